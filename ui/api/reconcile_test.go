package api

import (
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/distributor"
	"rebill/engine/invoice"
	"rebill/engine/reconcile"
	"rebill/store"
)

// testReconcileAndMargin is TestAPI's subtest of the reconciliation and
// margin routes, run on its fixture before any invoice is written to:
// September 2026 has three issued invoices (GLOBEX, INITECH, UMBRELLA)
// and three drafts (ACME, CONTOSO, FABRIKAM).
func testReconcileAndMargin(t *testing.T, f *fixture) {
	v1 := Base
	var issued []invoice.Invoice
	for _, inv := range mustInvoices(t, f) {
		if inv.Period == "2026-09" && inv.Kind != invoice.KindCreditNote && (inv.Status == invoice.Open || inv.Status == invoice.Closed) {
			issued = append(issued, inv)
		}
	}
	if len(issued) != 3 {
		t.Fatalf("%d issued invoices in the fixture, want 3", len(issued))
	}
	// invoicedTotal is the issued invoices' totals added up here, in the
	// file's currency (the sample's invoices are all in USD).
	var invoicedTotal decimal.Decimal
	for _, inv := range issued {
		if inv.Currency != "USD" {
			t.Fatalf("%s is in %s; this test adds USD totals", inv.ID, inv.Currency)
		}
		invoicedTotal = invoicedTotal.Add(inv.Total.Decimal())
	}
	dec := func(t *testing.T, s string) decimal.Decimal {
		t.Helper()
		d, err := decimal.NewFromString(s)
		if err != nil {
			t.Fatalf("%q is not a decimal: %v", s, err)
		}
		return d
	}
	// balances checks the bridge's promise: the distributor's total, the
	// causes and the unexplained rest add up to what was invoiced.
	balances := func(t *testing.T, b reconcile.Bridge) {
		t.Helper()
		sum := dec(t, b.Start).Add(dec(t, b.Unexplained))
		for _, it := range b.Items {
			sum = sum.Add(dec(t, it.Amount))
		}
		if !sum.Equal(dec(t, b.InvoicedTotal)) {
			t.Errorf("start %s + items + unexplained %s = %s, invoiced %s", b.Start, b.Unexplained, sum, b.InvoicedTotal)
		}
		if len(b.DistributorInvoices) > 0 && b.Start != b.DistributorTotal {
			t.Errorf("with a distributor invoice the bridge starts at %s, not its total %s", b.Start, b.DistributorTotal)
		}
		if !dec(t, b.InvoicedTotal).Equal(invoicedTotal) {
			t.Errorf("invoiced total %s, want the issued invoices' %s", b.InvoicedTotal, invoicedTotal)
		}
	}
	// sameAsStore checks that the API adds nothing to the use case the
	// CLI prints: the body is the store's result as JSON.
	sameAsStore := func(t *testing.T, body []byte, want any) {
		t.Helper()
		w, err := json.Marshal(want)
		if err != nil {
			t.Fatal(err)
		}
		var got, exp any
		json.Unmarshal(body, &got)
		json.Unmarshal(w, &exp)
		if !reflect.DeepEqual(got, exp) {
			t.Errorf("the API answers\n%s\nthe store use case gives\n%s", body, w)
		}
	}

	t.Run("reconciliation without a distributor invoice", func(t *testing.T) {
		var rec store.Reconciliation
		f.get(t, f.read, v1+"/reconciliation/2026-09", &rec)
		if rec.Period != "2026-09" || len(rec.Bridges) != 1 || rec.Bridges[0].Provider != "aws" {
			t.Fatalf("reconciliation %+v, want September's one AWS bridge", rec)
		}
		b := rec.Bridges[0]
		// Not an error: the bridge starts at the file's total, rounded,
		// explains the invoices from there and says what to record; the
		// file is not one cause of its own ("distributor-only charges").
		fileTotal := dec(t, b.FileTotal).Round(2).StringFixed(2)
		if b.DistributorTotal != "0.00" || len(b.DistributorInvoices) != 0 || b.Start != fileTotal || b.StartLabel != reconcile.StartFileTotal ||
			!strings.Contains(strings.Join(b.Notes, " "), "No distributor invoice is recorded for this month: the bridge starts at the provider file's total, 1,282.79, so") {
			t.Errorf("without a distributor invoice (file total %s): total %s, start %s %q, invoices %v, notes %q", fileTotal, b.DistributorTotal, b.Start, b.StartLabel, b.DistributorInvoices, b.Notes)
		}
		for _, it := range b.Items {
			if it.Cause == reconcile.DistributorOnly && !it.Value().IsZero() {
				t.Errorf("distributor-only charges %s without a distributor invoice", it.Amount)
			}
		}
		balances(t, b)
		var notInvoiced []string
		for _, it := range b.Items {
			if it.Cause == reconcile.NotInvoiced {
				for _, sh := range it.Customers {
					notInvoiced = append(notInvoiced, sh.Customer)
				}
			}
		}
		slices.Sort(notInvoiced)
		if want := []string{"ACME", "CONTOSO", "FABRIKAM"}; !slices.Equal(notInvoiced, want) {
			t.Errorf("customers not yet invoiced %v, want the three with drafts %v", notInvoiced, want)
		}
	})

	t.Run("reconciliation with the distributor invoice", func(t *testing.T) {
		if _, err := f.db.AddDistributorInvoices([]distributor.Invoice{{Provider: "aws", Period: "2026-09", Number: "D-2026-09",
			Amount: decimal.RequireFromString("1300.00"), Currency: "USD"}}, testNow, "test"); err != nil {
			t.Fatal(err)
		}
		resp, body := f.do(t, f.read, http.MethodGet, v1+"/reconciliation/2026-09?provider=aws", nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		var rec store.Reconciliation
		if err := json.Unmarshal(body, &rec); err != nil || len(rec.Bridges) != 1 {
			t.Fatalf("%v: %s", err, body)
		}
		b := rec.Bridges[0]
		if b.DistributorTotal != "1300.00" || !slices.Equal(b.DistributorInvoices, []string{"D-2026-09"}) {
			t.Errorf("distributor %s %v, want 1300.00 from D-2026-09", b.DistributorTotal, b.DistributorInvoices)
		}
		// The file's cent-rounded total against the distributor's 1300.00.
		wantOnly := dec(t, b.FileTotal).Round(2).Sub(decimal.RequireFromString("1300.00"))
		for _, it := range b.Items {
			if it.Cause == reconcile.DistributorOnly && !dec(t, it.Amount).Equal(wantOnly) {
				t.Errorf("distributor-only charges %s, want file %s - 1300.00 = %s", it.Amount, b.FileTotal, wantOnly)
			}
		}
		balances(t, b)
		want, err := f.db.Reconcile("2026-09", "aws")
		if err != nil {
			t.Fatal(err)
		}
		sameAsStore(t, body, want)
		// Drafts are not in the bridge, so a read-write key sees the same.
		_, rw := f.do(t, f.write, http.MethodGet, v1+"/reconciliation/2026-09?provider=aws", nil)
		sameAsStore(t, rw, want)
	})

	t.Run("reconciliation refusals", func(t *testing.T) {
		for _, tc := range []struct {
			name, path string
			status     int
			code, want string
		}{
			{"a month without data", "/reconciliation/2026-08", http.StatusNotFound, "not_found", "no billing data for 2026-08"},
			{"a provider without data", "/reconciliation/2026-09?provider=azure", http.StatusNotFound, "not_found", "2026-09 holds no AZURE data"},
			{"not a month", "/reconciliation/2026-13", http.StatusBadRequest, "bad_request", `month "2026-13" is not a month`},
			{"not a provider", "/reconciliation/2026-09?provider=aliyun", http.StatusBadRequest, "bad_request", `provider "aliyun" is not one of`},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f.fails(t, f.read, http.MethodGet, v1+tc.path, nil, tc.status, tc.code, tc.want)
			})
		}
	})

	t.Run("margin", func(t *testing.T) {
		resp, body := f.do(t, f.read, http.MethodGet, v1+"/margin/2026-09", nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		var m marginDoc
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatal(err)
		}
		if m.From != "2026-09" || m.To != "2026-09" {
			t.Errorf("months %s..%s, want 2026-09 alone", m.From, m.To)
		}
		totals := map[string]string{}
		for _, r := range m.Rows {
			if r.Service == "Total" {
				totals[r.Customer] = r.Billed
			}
		}
		// Only issued invoices count, and a customer's total row bills
		// what its invoice does before tax (the margin is before tax;
		// store's TestMarginsAreBeforeTax has a taxed invoice).
		if len(totals) != len(issued) {
			t.Errorf("total rows for %v, want one per issued invoice (%d)", totals, len(issued))
		}
		for _, inv := range issued {
			net := inv.Total.Add(inv.Tax.Neg())
			if got := totals[inv.CustomerID]; got != net.String() {
				t.Errorf("%s's total row bills %q, want its invoice %s's %s before tax (total %s, tax %s)", inv.CustomerID, got, inv.Number, net, inv.Total, inv.Tax)
			}
		}
		rows, err := f.db.Margins("2026-09", "", "")
		if err != nil {
			t.Fatal(err)
		}
		sameAsStore(t, body, marginDoc{From: "2026-09", To: "2026-09", Rows: rows})
		// August has no data: a range from it adds nothing to September.
		var wider marginDoc
		f.get(t, f.read, v1+"/margin/2026-08?until=2026-09&provider=aws", &wider)
		if wider.From != "2026-08" || wider.To != "2026-09" || !reflect.DeepEqual(wider.Rows, m.Rows) {
			t.Errorf("2026-08..2026-09 gives %s..%s with %d rows, want September's %d", wider.From, wider.To, len(wider.Rows), len(m.Rows))
		}
		var none marginDoc
		f.get(t, f.read, v1+"/margin/2026-08", &none)
		if none.Rows == nil || len(none.Rows) != 0 {
			t.Errorf("a month without data: rows %v, want an empty list", none.Rows)
		}
	})

	t.Run("margin refusals", func(t *testing.T) {
		for _, tc := range []struct{ name, path, want string }{
			{"not a month", "/margin/2026-9", `month "2026-9" is not a month`},
			{"until not a month", "/margin/2026-09?until=2026-13", `until "2026-13" is not a month`},
			{"until before the month", "/margin/2026-09?until=2026-08", "until 2026-08 is before the month 2026-09"},
			{"not a provider", "/margin/2026-09?provider=aliyun", `provider "aliyun" is not one of`},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f.fails(t, f.read, http.MethodGet, v1+tc.path, nil, http.StatusBadRequest, "bad_request", tc.want)
			})
		}
	})
}
