package invoice

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
)

func withTotal(s, currency string) Invoice {
	var inv Invoice
	inv.Total = billing.HalfUp.Round(decimal.RequireFromString(s), currency)
	return inv
}

func TestChangeFrom(t *testing.T) {
	cases := []struct {
		name, prev, cur, by, pct string
		hasPct                   bool
	}{
		// 4.36 - 7.72 = -3.36; -3.36 / 7.72 = -43.52...% -> -43.5
		{"decrease", "7.72", "4.36", "-3.36", "-43.5", true},
		// 150.00 - 100.00 = 50.00 = +50.0%
		{"increase", "100.00", "150.00", "50", "50", true},
		// from a zero invoice there is no percentage
		{"from zero", "0", "12.00", "12", "0", false},
		// against a negative total the magnitude is the base: (5 - -10) / 10 = +150%
		{"from a credit", "-10.00", "5.00", "15", "150", true},
		// 1/3 of a cent-exact base: 1.00 / 3.00 = 33.333% -> 33.3
		{"rounded to one decimal", "3.00", "4.00", "1", "33.3", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, ok := ChangeFrom(withTotal(tc.prev, "USD"), withTotal(tc.cur, "USD"))
			if !ok || !c.By.Decimal().Equal(decimal.RequireFromString(tc.by)) || c.HasPercent != tc.hasPct ||
				!c.Percent.Equal(decimal.RequireFromString(tc.pct)) {
				t.Fatalf("ChangeFrom = %+v %v; want by %s, %s%% (%v)", c, ok, tc.by, tc.pct, tc.hasPct)
			}
		})
	}
	if _, ok := ChangeFrom(withTotal("1", "USD"), withTotal("1", "EUR")); ok {
		t.Fatal("currencies differ: no change can be computed")
	}
}

func TestTotalsByCurrency(t *testing.T) {
	got := TotalsByCurrency([]Invoice{withTotal("1.10", "USD"), withTotal("80", "EUR"), withTotal("2.25", "USD")})
	if len(got) != 2 || got[0].Currency() != "EUR" || got[0].String() != "80.00" || got[1].String() != "3.35" {
		t.Fatalf("got %v", got)
	}
}

func TestNotable(t *testing.T) {
	cases := []struct {
		name, prev, cur string
		want            bool
	}{
		// 125.00 - 100.00 = +25.0%: the threshold itself is notable.
		{"up by exactly a quarter", "100.00", "125.00", true},
		// 124.90 - 100.00 = +24.9%.
		{"just under a quarter", "100.00", "124.90", false},
		// 1.00 - 4.36 = -3.36, -77.1%: a fall counts as much as a rise.
		{"down by three quarters", "4.36", "1.00", true},
		// 75.00 - 100.00 = -25.0%.
		{"down by exactly a quarter", "100.00", "75.00", true},
		// No percentage from a zero total, however large the change.
		{"from zero", "0", "1000.00", false},
		{"unchanged", "10.00", "10.00", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, ok := ChangeFrom(withTotal(tc.prev, "USD"), withTotal(tc.cur, "USD"))
			if !ok || c.Notable() != tc.want {
				t.Fatalf("%s -> %s: notable %v (change %+v), want %v", tc.prev, tc.cur, c.Notable(), c, tc.want)
			}
		})
	}
}

func TestPrevious(t *testing.T) {
	doc := func(id, cust string, kind Kind, st Status) Invoice {
		return Invoice{ID: id, CustomerID: cust, Kind: kind, Status: st}
	}
	cases := []struct {
		name   string
		docs   []Invoice
		want   string // the id found, "" for none
		wantOK bool
	}{
		{"none", nil, "", false},
		{"another customer's only", []Invoice{doc("1", "GLOBEX", KindInvoice, Open)}, "", false},
		{"the draft when nothing is approved", []Invoice{doc("1", "ACME", KindInvoice, Draft)}, "1", true},
		{"the approved one over a draft after it", []Invoice{doc("1", "ACME", KindInvoice, Open), doc("2", "ACME", KindInvoice, Draft)}, "1", true},
		{"the approved one over a draft before it", []Invoice{doc("1", "ACME", KindInvoice, Draft), doc("2", "ACME", KindInvoice, Closed)}, "2", true},
		{"never a void invoice", []Invoice{doc("1", "ACME", KindInvoice, Void)}, "", false},
		{"a draft rather than a void one", []Invoice{doc("1", "ACME", KindInvoice, Void), doc("2", "ACME", KindInvoice, Draft)}, "2", true},
		{"never a credit note", []Invoice{doc("1", "ACME", KindCreditNote, Open)}, "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Previous(tc.docs, "ACME")
			if ok != tc.wantOK || got.ID != tc.want {
				t.Fatalf("Previous = %q %v, want %q %v", got.ID, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestTallyOf(t *testing.T) {
	now := time.Date(2025, time.January, 6, 9, 0, 0, 0, time.UTC)
	due := func(inv Invoice, d Date) Invoice { inv.DueDate = d; return inv }
	docs := []Invoice{
		{ID: "d1", Kind: KindInvoice, Status: Draft},
		{ID: "d2", Kind: KindInvoice, Status: Draft},
		// Due 2024-12-05, a month before now: Past Due.
		due(Invoice{ID: "o1", Kind: KindInvoice, Status: Open}, NewDate(2024, time.December, 5)),
		// Due 2025-01-06, today: still Open.
		due(Invoice{ID: "o2", Kind: KindInvoice, Status: Open}, NewDate(2025, time.January, 6)),
		{ID: "c1", Kind: KindInvoice, Status: Closed},
		{ID: "v1", Kind: KindInvoice, Status: Void},
		// Credit notes: counted apart, the void one not at all; a
		// draft credit note is a draft to approve.
		{ID: "n1", Kind: KindCreditNote, Status: Open},
		{ID: "n2", Kind: KindCreditNote, Status: Void},
		{ID: "n3", Kind: KindCreditNote, Status: Draft},
	}
	got := TallyOf(docs, now)
	want := map[Status]int{Draft: 2, PastDue: 1, Open: 1, Closed: 1, Void: 1}
	if len(got.Invoices) != len(want) {
		t.Errorf("invoices by status %v, want %v", got.Invoices, want)
	}
	for st, n := range want {
		if got.Invoices[st] != n {
			t.Errorf("%s: %d, want %d", st, got.Invoices[st], n)
		}
	}
	ids := func(invs []Invoice) string {
		var s []string
		for _, inv := range invs {
			s = append(s, inv.ID)
		}
		return strings.Join(s, ",")
	}
	if ids(got.Drafts) != "d1,d2,n3" || ids(got.CreditNotes) != "n1,n3" {
		t.Errorf("drafts %s, credit notes %s; want d1,d2,n3 and n1,n3", ids(got.Drafts), ids(got.CreditNotes))
	}
}

func TestIssued(t *testing.T) {
	cases := []struct {
		name string
		st   []Status
		want bool
	}{
		{"nothing", nil, false},
		{"drafts and void only", []Status{Draft, Void}, false},
		{"an open one", []Status{Draft, Open}, true},
		{"a closed one", []Status{Closed}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var docs []Invoice
			for _, st := range tc.st {
				docs = append(docs, Invoice{Status: st})
			}
			if got := Issued(docs); got != tc.want {
				t.Fatalf("Issued = %v, want %v", got, tc.want)
			}
		})
	}
}
