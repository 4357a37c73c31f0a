package store

import (
	"bytes"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"golang.org/x/text/encoding/charmap"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/invoice"
	"rebill/engine/ledger"
)

func TestLedgerMappingSavedAndRefused(t *testing.T) {
	db := sampleDB(t)
	m, err := db.LedgerMapping()
	if err != nil || m.DefaultRevenue != "8400" || m.DefaultReceivable != "10000" {
		t.Fatalf("unsaved mapping %+v, %v; want the defaults", m, err)
	}
	if _, err := db.UpdateLedgerMapping(func(m *ledger.Mapping) error {
		m.Revenue = map[billing.ProductType]string{billing.Marketplace: "8195"}
		m.Receivables = map[string]string{"ACME": "10001"}
		return nil
	}, oct5); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		edit func(*ledger.Mapping)
		want string
	}{
		{"an account with a space", func(m *ledger.Mapping) { m.Discount = "87 00" }, `the discount account "87 00"`},
		{"a customer that does not exist", func(m *ledger.Mapping) { m.Receivables["NOPE"] = "10009" }, `customer "NOPE" of the receivable accounts does not exist`},
	} {
		_, err = db.UpdateLedgerMapping(func(m *ledger.Mapping) error { tc.edit(m); return nil }, oct6)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Fatalf("%s: err %v", tc.name, err)
		}
	}
	m, err = db.LedgerMapping()
	if err != nil || m.RevenueFor(billing.Marketplace) != "8195" || m.ReceivableFor("ACME") != "10001" || m.Discount != "8700" {
		t.Fatalf("saved mapping %+v, %v: the refused change must leave the saved one", m, err)
	}
	log, err := db.SettingsLog()
	n := 0
	for _, c := range log {
		if c.Key == "ledger-accounts" {
			n++
		}
	}
	if err != nil || n != 1 {
		t.Errorf("%d ledger-accounts changes in the settings log (%v); want the one saved", n, err)
	}
}

// TestLedgerExportAddsUpToTheIssuedDocuments issues the sample's
// September invoices on 5 October (one left a draft), voids one and
// credits another on 6 October, and checks that October's DATEV and
// journal exports add up to the stored documents' totals, summed here
// from the documents themselves.
func TestLedgerExportAddsUpToTheIssuedDocuments(t *testing.T) {
	db := sampleDB(t)
	rep := generate(t, db, customer.Selection{All: true}, allOn, oct5)
	var ids []string
	draft := ""
	for _, g := range rep.Results {
		if g.Invoice == nil || g.Invoice.Status != invoice.Draft {
			continue
		}
		if draft == "" {
			draft = g.Invoice.ID // stays a draft: never in the ledger
			continue
		}
		ids = append(ids, g.Invoice.ID)
	}
	if len(ids) < 3 {
		t.Fatalf("only %d invoices to issue", len(ids))
	}
	issued := approveOK(t, db, oct5, ids...)
	var owed []string // invoices with something to credit
	for _, inv := range issued {
		if inv.Total.Decimal().GreaterThan(decimal.NewFromInt(10)) {
			owed = append(owed, inv.ID)
		}
	}
	if len(owed) < 2 {
		t.Fatalf("only %d invoices over 10", len(owed))
	}
	if _, err := db.VoidInvoice(owed[0], "sent to the wrong customer", oct6); err != nil {
		t.Fatal(err)
	}
	if _, err := db.IssueCreditNote(CreditRequest{Invoice: owed[1], Amount: decimal.NewFromInt(10), Reason: "goodwill", Now: oct6}); err != nil {
		t.Fatal(err)
	}
	docs, err := db.Documents(InvoiceFilter{}, oct20)
	if err != nil {
		t.Fatal(err)
	}
	// The month's ledger total from the stored documents: each issued
	// document's total on its issue day, less each voided one's.
	want, n := decimal.Zero, 0
	for _, d := range docs {
		if d.Status == invoice.Draft {
			continue
		}
		want, n = want.Add(d.Total.Decimal()), n+1
		if d.Status == invoice.Void {
			want, n = want.Sub(d.Total.Decimal()), n+1
		}
	}
	o := ledger.Options{From: invoice.NewDate(2026, 10, 1), Until: invoice.NewDate(2026, 10, 31), Now: oct20}

	var b bytes.Buffer
	s, err := db.LedgerExport(&b, ledger.DATEV, o)
	if err != nil {
		t.Fatal(err)
	}
	text, _ := charmap.Windows1252.NewDecoder().String(b.String())
	lines := strings.Split(strings.TrimSuffix(text, "\r\n"), "\r\n")
	if got := len(strings.Split(lines[0], ";")); got != 31 || !strings.HasPrefix(lines[0], `"EXTF";700;21;"Buchungsstapel";13;`) {
		t.Errorf("header has %d fields: %s", got, lines[0])
	}
	if got := len(strings.Split(lines[1], ";")); got != 125 {
		t.Errorf("%d columns, want 125", got)
	}
	sum := decimal.Zero
	for _, l := range lines[2:] {
		f := strings.Split(l, ";")
		if len(f) != 125 {
			t.Fatalf("booking has %d fields: %s", len(f), l)
		}
		a, err := decimal.NewFromString(strings.Replace(f[0], ",", ".", 1))
		if err != nil {
			t.Fatal(err)
		}
		if f[1] == `"H"` {
			a = a.Neg()
		}
		sum = sum.Add(a)
	}
	if !sum.Equal(want) || s.Documents != n || len(lines)-2 != s.Bookings {
		t.Errorf("DATEV: %d bookings of %d documents add up to %s; want %d documents adding up to %s", s.Bookings, s.Documents, sum, n, want)
	}

	b.Reset()
	s, err = db.LedgerExport(&b, ledger.Journal, o)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Totals[0].Amount.Equal(want) {
		t.Errorf("journal total %s, want %s", s.Totals[0].Amount, want)
	}

	s, err = db.LedgerExport(&b, ledger.DATEV, ledger.Options{From: invoice.NewDate(2026, 11, 1), Until: invoice.NewDate(2026, 11, 30), Now: oct20})
	if err != nil || s.Documents != 0 {
		t.Errorf("November: %d documents, %v; want none", s.Documents, err)
	}
}
