package invoice_test

import (
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/invoice"
)

// TestSettlement: an Open invoice lists its issued credit notes and the
// applied part of its payments, oldest first, and the balance is what
// OpenAmount says; drafts of credit notes, other invoices' payments and
// an excess kept as credit are left out.
func TestSettlement(t *testing.T) {
	inv := issued(t, draft(t, "17"))
	total := inv.Total.Decimal()
	credit := func(id, amount string, day int) invoice.Invoice {
		t.Helper()
		n, err := inv.CreditNote(invoice.CreditRequest{ID: id, Amount: decimal.RequireFromString(amount), Reason: "goodwill", Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if day == 0 {
			return n // left a draft
		}
		n, _, err = n.Approve(invoice.CreditNoteNumbering("", 1), invoice.NewDate(2026, 10, day), now)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if s := inv.Settlement(nil, nil); s != nil {
		t.Errorf("nothing credited or paid: %+v", s)
	}
	note := credit("18", "10.00", 20)
	docs := []invoice.Invoice{inv, note, credit("19", "5.00", 0)}
	pays := []invoice.Payment{
		{ID: 1, Invoice: inv.ID, Date: invoice.NewDate(2026, 10, 12), Amount: decimal.RequireFromString("100"), Applied: decimal.RequireFromString("100"), Reference: "BANK-7"},
		{ID: 2, Invoice: "other", Date: invoice.NewDate(2026, 10, 13), Amount: decimal.RequireFromString("50"), Applied: decimal.RequireFromString("50")},
	}
	s := inv.Settlement(docs, pays)
	if s == nil || len(s.Entries) != 2 {
		t.Fatalf("settlement %+v, want the payment of 10-12 and the credit note of 10-20", s)
	}
	if p := s.Entries[0]; !p.IsPayment() || p.Date != invoice.NewDate(2026, 10, 12) || p.Reference != "BANK-7" || p.Amount.String() != "-100.00" {
		t.Errorf("first entry %+v, want the payment of -100 on 2026-10-12", p)
	}
	if n := s.Entries[1]; n.IsPayment() || n.Document != "CN-2026-00001" || n.Amount.String() != "-10.00" {
		t.Errorf("second entry %+v, want CN-2026-00001 of -10.00", n)
	}
	// The total less 100 paid and 10 credited; the draft's 5 does not count.
	if want := total.Sub(decimal.RequireFromString("110")); !s.Balance.Decimal().Equal(want) {
		t.Errorf("balance %s, want %s - 110 = %s", s.Balance, total, want)
	}
	if s := note.Settlement(docs, pays); s != nil {
		t.Errorf("a credit note has no settlement: %+v", s)
	}
	closed := inv
	closed.Status = invoice.Closed
	if s := closed.Settlement(docs, pays); s != nil {
		t.Errorf("a Closed invoice says how it was settled, not a balance: %+v", s)
	}
	// Lists show the same balance, and none where nothing is owed.
	if b, ok := inv.Balance(docs, pays); !ok || b.String() != s.Balance.String() || b.Currency() != s.Balance.Currency() {
		t.Errorf("Balance %v (%v), want the settlement's %v", b, ok, s.Balance)
	}
	if b, ok := inv.Balance(nil, nil); !ok || !b.Decimal().Equal(total) || b.String() != total.StringFixed(2) {
		t.Errorf("nothing credited or paid: Balance %v (%v), want the total %s", b, ok, total)
	}
	for _, d := range []invoice.Invoice{closed, note, draft(t, "20")} {
		if b, ok := d.Balance(docs, pays); ok {
			t.Errorf("%s %s has a balance %v", d.Status, d.Kind, b)
		}
	}
}

// TestSettlementEntryLabel: one wording for every face, each writing the
// date its own way; a payment's reference is there for the customer to
// match it with their transfer.
func TestSettlementEntryLabel(t *testing.T) {
	iso := func(d invoice.Date) string { return d.String() }
	long := func(d invoice.Date) string { return d.Time().Format("2 Jan 2006") }
	cases := []struct {
		e    invoice.SettlementEntry
		date func(invoice.Date) string
		want string
	}{
		{invoice.SettlementEntry{Date: invoice.NewDate(2026, 12, 4), Document: "CN-2026-00001"}, long, "Credit note CN-2026-00001 of 4 Dec 2026"},
		{invoice.SettlementEntry{Date: invoice.NewDate(2026, 12, 4), Document: "CN-2026-00001"}, iso, "Credit note CN-2026-00001 of 2026-12-04"},
		{invoice.SettlementEntry{Date: invoice.NewDate(2026, 10, 12), Reference: "BANK-42"}, long, "Paid on 12 Oct 2026, reference BANK-42"},
		{invoice.SettlementEntry{Date: invoice.NewDate(2026, 10, 12)}, iso, "Paid on 2026-10-12"},
	}
	for _, c := range cases {
		if got := c.e.Label(c.date); got != c.want {
			t.Errorf("Label = %q, want %q", got, c.want)
		}
	}
}
