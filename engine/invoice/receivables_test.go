package invoice_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/invoice"
)

func TestAgeOfBoundaries(t *testing.T) {
	asOf := day(12, 31)
	for _, tc := range []struct {
		name string
		due  invoice.Date
		days int
		want invoice.AgeBucket
	}{
		{name: "not yet due", due: invoice.NewDate(2027, 1, 5), days: -5, want: invoice.AgeCurrent},
		{name: "day 0: due today is not past due", due: day(12, 31), days: 0, want: invoice.AgeCurrent},
		{name: "day 1", due: day(12, 30), days: 1, want: invoice.Age1To30},
		{name: "day 30", due: day(12, 1), days: 30, want: invoice.Age1To30},
		{name: "day 31", due: day(11, 30), days: 31, want: invoice.Age31To60},
		{name: "day 60", due: day(11, 1), days: 60, want: invoice.Age31To60},
		{name: "day 61", due: day(10, 31), days: 61, want: invoice.Age61To90},
		{name: "day 90", due: day(10, 2), days: 90, want: invoice.Age61To90},
		{name: "day 91", due: day(10, 1), days: 91, want: invoice.AgeOver90},
	} {
		t.Run(tc.name, func(t *testing.T) {
			days, b := invoice.AgeOf(tc.due, asOf)
			if days != tc.days || b != tc.want {
				t.Errorf("%d days, %s; want %d days, %s", days, b.Label(), tc.days, tc.want.Label())
			}
		})
	}
}

// like returns a copy of the plain 1000.00 invoice as another invoice.
func like(inv invoice.Invoice, id, number, cust string, issue, due invoice.Date) invoice.Invoice {
	out := inv
	out.ID, out.Number, out.CustomerID, out.IssueDate, out.DueDate = id, number, cust, issue, due
	return out
}

func paid(inv invoice.Invoice, id uint64, amount, applied string, on invoice.Date) invoice.Payment {
	return invoice.Payment{ID: id, Invoice: inv.ID, Number: inv.Number, Customer: inv.CustomerID, Currency: "USD",
		Date: on, Amount: dec(amount), Applied: dec(applied), Excess: dec(amount).Sub(dec(applied)), Reference: "R"}
}

// The report as of 2026-12-31, every figure by hand from 1000.00
// invoices.
func TestAgeReceivables(t *testing.T) {
	base := plain(t)
	a1 := like(base, "1", "INV-1", "ACME", day(10, 5), day(11, 4))                    // 400 paid: 600 open, 57 days: 31–60
	a2 := like(base, "2", "INV-2", "ACME", day(11, 20), day(12, 20))                  // 250 credited: 750 open, 11 days: 1–30
	a3 := like(base, "3", "INV-3", "ACME", day(12, 11), invoice.NewDate(2027, 1, 10)) // due 2027-01-10: current; paid after the day
	a4 := like(base, "4", "INV-4", "ACME", day(10, 5), day(11, 4))                    // voided on 12-15: nothing
	a4.Status, a4.VoidDate = invoice.Void, day(12, 15)
	a5 := like(base, "5", "INV-5", "ACME", day(10, 5), day(11, 4)) // paid in full: nothing
	a6 := like(base, "6", "INV-6", "ACME", invoice.NewDate(2027, 1, 2), invoice.NewDate(2027, 2, 1))
	b1 := like(base, "7", "INV-7", "MUELLER", day(7, 2), day(8, 1)) // 152 days: over 90
	cn := creditNote(t, a2, "8", "250", day(12, 1))
	docs := []invoice.Invoice{a1, a2, a3, a4, a5, a6, b1, cn}
	pays := []invoice.Payment{
		paid(a1, 1, "400", "400", day(11, 10)),
		paid(a3, 2, "1000", "1000", invoice.NewDate(2027, 1, 2)),
		paid(a5, 3, "1200", "1000", day(12, 30)),
	}
	got := invoice.AgeReceivables(docs, pays, day(12, 31))
	want := map[string][]string{
		"ACME":    {"1000", "750", "600", "0", "0", "2350"},
		"MUELLER": {"0", "0", "0", "0", "1000", "1000"},
	}
	if len(got.Rows) != 2 {
		t.Fatalf("%d rows, want ACME and MUELLER", len(got.Rows))
	}
	for _, r := range got.Rows {
		if s := append(strs(r.Buckets), r.Total.String()); !equal(s, want[r.Customer]) {
			t.Errorf("%s: %v, want %v", r.Customer, s, want[r.Customer])
		}
	}
	if len(got.Totals) != 1 || !equal(append(strs(got.Totals[0].Buckets), got.Totals[0].Total.String()), []string{"1000", "750", "600", "0", "1000", "3350"}) {
		t.Errorf("totals %+v, want USD 1000 750 600 0 1000 = 3350", got.Totals)
	}
	if r := got.Rows[0].Receivables; len(r) != 3 || r[0].Number != "INV-1" || r[0].DaysPast != 57 || !r[1].Open.Equal(dec("750")) {
		t.Errorf("ACME's invoices %+v, want INV-1 (57 days), INV-2 (750 open), INV-3", r)
	}
}

// The statement of ACME's November 2026, by hand: owed 1000.00 at its
// start (INV-1 of 10-05), then
//
//	11-10 payment of INV-1       400.00 credit    600.00
//	11-20 invoice INV-2         1000.00 debit    1600.00
//	11-25 credit note of INV-1   100.00 credit   1500.00
//	11-28 payment 1200 of INV-2 1000.00 credit    500.00 (200.00 kept as credit)
//
// and what follows November is left out. 500.00 is what is open on INV-1
// (1000 - 400 - 100), INV-2 being paid.
func TestStatementOfAccount(t *testing.T) {
	base := plain(t)
	a1 := like(base, "1", "INV-1", "ACME", day(10, 5), day(11, 4))
	a2 := like(base, "2", "INV-2", "ACME", day(11, 20), day(12, 20))
	a3 := like(base, "3", "INV-3", "ACME", day(12, 2), invoice.NewDate(2027, 1, 1))
	other := like(base, "4", "INV-4", "MUELLER", day(11, 3), day(12, 3))
	cn := creditNote(t, a1, "5", "100", day(11, 25))
	docs := []invoice.Invoice{a1, a2, a3, other, cn}
	pays := []invoice.Payment{
		paid(a1, 1, "400", "400", day(11, 10)),
		paid(a2, 2, "1200", "1000", day(11, 28)),
		paid(a1, 3, "500", "500", day(12, 5)),
	}
	acc, err := invoice.StatementOfAccount("ACME", docs, pays, day(11, 1), day(11, 30))
	if err != nil {
		t.Fatal(err)
	}
	if acc.Opening.String() != "1000" || acc.Closing.String() != "500" || acc.Currency != "USD" {
		t.Errorf("opening %s closing %s %s, want 1000 and 500 USD", acc.Opening, acc.Closing, acc.Currency)
	}
	want := []struct{ date, doc, debit, credit, balance string }{
		{"2026-11-10", "INV-1", "0", "400", "600"},
		{"2026-11-20", "INV-2", "1000", "0", "1600"},
		{"2026-11-25", cn.Number, "0", "100", "1500"},
		{"2026-11-28", "INV-2", "0", "1000", "500"},
	}
	if len(acc.Lines) != len(want) {
		t.Fatalf("%d lines %+v, want %d", len(acc.Lines), acc.Lines, len(want))
	}
	for i, w := range want {
		l := acc.Lines[i]
		if l.Date.String() != w.date || l.Document != w.doc || l.Debit.String() != w.debit || l.Credit.String() != w.credit || l.Balance.String() != w.balance {
			t.Errorf("line %d: %s %s %s %s %s (%s), want %v", i, l.Date, l.Document, l.Debit, l.Credit, l.Balance, l.Description, w)
		}
	}
	if d := acc.Lines[3].Description; d != "Payment of 1,200.00, 200.00 kept as credit" {
		t.Errorf("the overpayment reads %q", d)
	}
	if _, err := invoice.StatementOfAccount("ACME", docs, pays, day(11, 30), day(11, 1)); err == nil {
		t.Error("a period that ends before it starts was accepted")
	}
}

func strs(ds []decimal.Decimal) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.String()
	}
	return out
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestStatementOfAccountOrdersADayAsItHappened: on 12-15 the accountant
// credits INV-1 in full (09:00), voids that credit note (10:00), credits
// again (11:00) and issues the replacement INV-9 (12:00). The running
// balance tells that story, 1000 -> 0 -> 1000 -> 0 -> 1000, not the
// fixed order issued, credited, voided (2000, 1000, 0, 1000). A day with
// a movement recorded without its instant keeps the fixed order.
func TestStatementOfAccountOrdersADayAsItHappened(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 12, 15, h, 0, 0, 0, time.UTC) }
	inv1 := like(plain(t), "1", "INV-1", "ACME", day(10, 5), day(11, 4))
	cn1 := creditNote(t, inv1, "c1", "", day(12, 15))
	cn1.Approved = at(9)
	voided, err := cn1.Void("credited the wrong amount", at(10))
	if err != nil {
		t.Fatal(err)
	}
	cn2 := creditNote(t, inv1, "c2", "", day(12, 15), voided)
	cn2.Approved = at(11)
	inv9 := like(inv1, "9", "INV-9", "ACME", day(12, 15), invoice.NewDate(2027, 1, 14))
	inv9.Approved = at(12)
	balances := func(docs ...invoice.Invoice) []string {
		t.Helper()
		acc, err := invoice.StatementOfAccount("ACME", docs, nil, day(12, 1), day(12, 31))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, l := range acc.Lines {
			out = append(out, l.Description+" "+l.Balance.String())
		}
		return out
	}
	want := []string{"Credit note of INV-1 0", "Credit note voided 1000", "Credit note of INV-1 0", "Invoice 1000"}
	if got := balances(inv1, voided, cn2, inv9); !equal(got, want) {
		t.Errorf("the day reads %q, want %q", got, want)
	}
	inv9.Approved = time.Time{}
	want = []string{"Invoice 2000", "Credit note of INV-1 1000", "Credit note of INV-1 0", "Credit note voided 1000"}
	if got := balances(inv1, voided, cn2, inv9); !equal(got, want) {
		t.Errorf("without INV-9's instant the day reads %q, want %q", got, want)
	}
}
