package invoice_test

import (
	"strings"
	"testing"

	"rebill/engine/billing"
	"rebill/engine/invoice"
)

func TestFullCreditNoteMirrorsTheInvoice(t *testing.T) {
	inv := issued(t, draft(t, "17"))
	var note invoice.Invoice
	unchanged(t, inv, func(inv invoice.Invoice) {
		var err error
		note, err = inv.CreditNote(invoice.CreditRequest{ID: "c1", Reason: "issued to the wrong entity", Now: now})
		if err != nil {
			t.Fatal(err)
		}
	})
	if note.Kind != invoice.KindCreditNote || note.Status != invoice.Draft || note.Corrects != "17" || note.CorrectsNumber != "INV-2026-00001" {
		t.Errorf("note: kind %s status %s corrects %s %s", note.Kind, note.Status, note.Corrects, note.CorrectsNumber)
	}
	addsUp(t, note.Figures)
	want := map[string]string{}
	for k, v := range lines(inv.Figures) {
		want[k] = "-" + v
	}
	if got := lines(note.Figures); len(got) != len(want) {
		t.Errorf("lines %v, want %v", got, want)
	} else {
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: %s, want %s", k, got[k], v)
			}
		}
	}
	for _, f := range []struct {
		name      string
		inv, note billing.Amount
	}{
		{"subtotal", inv.Subtotal, note.Subtotal}, {"discount", inv.Discount, note.Discount},
		{"marketplace", inv.Marketplace, note.Marketplace}, {"tax", inv.Tax, note.Tax}, {"total", inv.Total, note.Total},
	} {
		if !f.note.Decimal().Equal(f.inv.Decimal().Neg()) {
			t.Errorf("%s: invoice %s, credit note %s", f.name, f.inv, f.note)
		}
	}
	if !inv.Total.Add(note.Total).IsZero() {
		t.Errorf("invoice %s + credit note %s is not zero", inv.Total, note.Total)
	}
}

// TestPartialCreditNotes credits an invoice of 1579.60 (sales tax 8.25%
// of 117.15 on a base of 1419.95; 42.50 of Marketplace is not taxed) in
// three steps, worked out by hand: the taxed line is the base's share of
// the amount, the tax 8.25% of it, the untaxed line the rest.
//
//	100.00:  base 100 x 1419.95 / 1579.60 = 89.893 -> 89.89, tax 7.4159 -> 7.42,
//	         untaxed 100 - 89.89 - 7.42 = 2.69, net 92.58
//	1000.00: base 1000 x 1330.06 / 1479.60 = 898.93, tax 74.1617 -> 74.16,
//	         untaxed 26.91, net 925.84
//	the rest, 479.60: base left 431.13, tax left 35.57 (431.13 x 8.25% =
//	         35.568), untaxed 12.90, net 444.03
//
// so the tax credited adds up to the invoice's 117.15 exactly, and the
// untaxed lines to its Marketplace 42.50 (2.69 + 26.91 + 12.90).
func TestPartialCreditNotes(t *testing.T) {
	inv := issued(t, draft(t, "17"))
	if inv.Total.String() != "1579.60" || inv.Tax.String() != "117.15" {
		t.Fatalf("the test month changed: total %s tax %s", inv.Total, inv.Tax)
	}
	var notes []invoice.Invoice
	for _, tc := range []struct {
		amount, tax, net, total, untaxed string
	}{
		{"100", "-7.42", "-92.58", "-100.00", "-2.69"},
		{"1000.00", "-74.16", "-925.84", "-1000.00", "-26.91"},
		{"0", "-35.57", "-444.03", "-479.60", "-12.90"},
	} {
		n, err := inv.CreditNote(invoice.CreditRequest{ID: "c", Amount: dec(tc.amount), Reason: "service credit", Earlier: notes, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		addsUp(t, n.Figures)
		if n.Tax.String() != tc.tax || n.Subtotal.String() != tc.net || n.Total.String() != tc.total {
			t.Errorf("credit %s: tax %s net %s total %s, want %s %s %s", tc.amount, n.Tax, n.Subtotal, n.Total, tc.tax, tc.net, tc.total)
		}
		if len(n.Sections) != 1 || n.Sections[0].Lines[0].Service != "Credit on invoice INV-2026-00001" || n.Sections[0].Lines[1].Amount.String() != tc.untaxed {
			t.Errorf("credit lines %+v", n.Sections)
		}
		notes = append(notes, n)
	}
	if left := inv.Creditable(notes); !left.IsZero() {
		t.Errorf("left after crediting everything: %s", left)
	}
	if _, err := inv.CreditNote(invoice.CreditRequest{ID: "c", Reason: "again", Earlier: notes}); err == nil || !strings.Contains(err.Error(), "nothing left to credit") {
		t.Errorf("crediting a fully credited invoice: %v", err)
	}
	// A voided credit note no longer counts.
	voided := notes[1]
	voided.Status = invoice.Void
	if left := inv.Creditable([]invoice.Invoice{notes[0], voided, notes[2]}); left.String() != "1000.00" {
		t.Errorf("left with the second note void: %s", left)
	}
}

func TestCreditNoteRefusals(t *testing.T) {
	d := draft(t, "17")
	inv := issued(t, d)
	void, _ := inv.Void("duplicate", inv.IssueDate.Time())
	first, _ := inv.CreditNote(invoice.CreditRequest{ID: "c1", Amount: dec("1500"), Reason: "x"})
	for _, tc := range []struct {
		name string
		inv  invoice.Invoice
		req  invoice.CreditRequest
		want string
	}{
		{"draft", d, invoice.CreditRequest{ID: "c", Reason: "x"}, "nothing to credit; regenerate or delete it"},
		{"void", void, invoice.CreditRequest{ID: "c", Reason: "x"}, "is Void"},
		{"no reason", inv, invoice.CreditRequest{ID: "c", Reason: " "}, "needs a reason"},
		{"no id", inv, invoice.CreditRequest{Reason: "x"}, "needs an id"},
		{"negative", inv, invoice.CreditRequest{ID: "c", Reason: "x", Amount: dec("-5")}, "positive"},
		{"sub-cent", inv, invoice.CreditRequest{ID: "c", Reason: "x", Amount: dec("10.001")}, "more decimals than USD allows"},
		{"more than the total", inv, invoice.CreditRequest{ID: "c", Reason: "x", Amount: dec("1579.61")}, "more than is left to credit"},
		{"more than is left", inv, invoice.CreditRequest{ID: "c", Reason: "x", Amount: dec("79.61"), Earlier: []invoice.Invoice{first}}, "is left to credit on invoice INV-2026-00001, 79.60"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.inv.CreditNote(tc.req)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}
