package invoice_test

import (
	"testing"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
)

// upliftInvoice is a month of EC2 100.00, S3 33.33 and RDS 66.67 (the
// uplift base, 200.00), Marketplace 40.00 and a managed service of 250.00,
// for a customer with a 5% uplift: 10.00 of uplift.
func upliftInvoice(t *testing.T, wording string) invoice.Invoice {
	t.Helper()
	c := customer.Customer{ID: "ACME", Name: "Acme Corp", Currency: "USD", TermsDays: 30, Adjustment: dec("5"),
		Recurring: []customer.RecurringCharge{{Description: "Managed service", Amount: dec("250"), From: "2026-01"}}}
	m := month(t,
		item{acct: acctA, code: "AmazonEC2", name: "Amazon Elastic Compute Cloud", cost: "100.00"},
		item{acct: acctA, code: "AmazonS3", name: "Amazon Simple Storage Service", cost: "33.33"},
		item{acct: acctA, code: "AmazonRDS", name: "Amazon Relational Database Service", cost: "66.67"},
		item{acct: acctA, code: "prodfw", name: "Firewall", cost: "40.00", entity: lineitem.MarketplaceEntity, seller: "Sec Inc"})
	p := profile
	p.UpliftWording = wording
	d, err := invoice.NewDraft("9", statement(t, m, c, allOptions, billing.Ledger{}), c, p, now)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestUpliftFoldedIntoPrices works the 10.00 uplift out by hand: shares
// 100 x 5% = 5.00, 33.33 x 5% = 1.6665 (1.66, remainder .0065) and
// 66.67 x 5% = 3.3335 (3.33, remainder .0035); rounded down they make
// 9.99, and the cent left goes to S3's larger remainder. Marketplace and
// the managed service keep their prices; the total is the invoice's.
func TestUpliftFoldedIntoPrices(t *testing.T) {
	inv := upliftInvoice(t, "")
	if inv.Discount.String() != "10.00" || inv.DiscountBase.StringFixed(2) != "200.00" || inv.Total.String() != "500.00" {
		t.Fatalf("the test month changed: uplift %s on %s, total %s", inv.Discount, inv.DiscountBase, inv.Total)
	}
	v := inv.View()
	want := map[string]string{
		"Compute/AmazonEC2": "105.00", "Storage/AmazonS3": "35.00", "Database/AmazonRDS": "70.00",
		"Marketplace/prodfw": "40.00", "Recurring and managed services/Managed service": "250.00",
	}
	got := lines(v.Figures)
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %s, want %s", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("lines %v", got)
	}
	addsUp(t, v.Figures)
	f := v.Figures
	if f.Subtotal.String() != "500.00" || !f.Discount.IsZero() || !f.DiscountPercent.IsZero() || f.Total.String() != "500.00" {
		t.Errorf("subtotal %s discount %s (%s%%) total %s", f.Subtotal, f.Discount, f.DiscountPercent, f.Total)
	}
	if s := f.Services(); s.String() != "210.00" {
		t.Errorf("cloud services %s, want 210.00 (without Marketplace and the managed service)", s)
	}
	if r := f.Recurring(); r.String() != "250.00" {
		t.Errorf("recurring %s", r)
	}
	// The stored invoice keeps its uplift apart.
	if inv.Discount.String() != "10.00" || lines(inv.Figures)["Compute/AmazonEC2"] != "100.00" {
		t.Error("the view changed the invoice")
	}
}

func TestUpliftPrintedUnderTheResellersWording(t *testing.T) {
	inv := upliftInvoice(t, "Service management")
	if f := inv.View().Figures; f.Discount.String() != "10.00" || lines(f)["Compute/AmazonEC2"] != "100.00" {
		t.Errorf("with a wording the uplift stays a line of its own: %s, EC2 %s", f.Discount, lines(f)["Compute/AmazonEC2"])
	}
	// An invoice made before the base was recorded cannot be folded
	// safely: it prints its uplift with its rate.
	old := upliftInvoice(t, "")
	old.DiscountBase = dec("0")
	if f := old.View().Figures; f.Discount.String() != "10.00" {
		t.Errorf("an invoice without its base folded its uplift: %s", f.Discount)
	}
}

// TestUpliftFoldedOnTheCreditNote: crediting the whole invoice mirrors it
// as printed: the same folded prices, negated.
func TestUpliftFoldedOnTheCreditNote(t *testing.T) {
	inv := issued(t, upliftInvoice(t, ""))
	note, err := inv.CreditNote(invoice.CreditRequest{ID: "c", Reason: "wrong entity", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	f := note.View().Figures
	got := lines(f)
	for k, w := range map[string]string{"Compute/AmazonEC2": "-105.00", "Storage/AmazonS3": "-35.00", "Database/AmazonRDS": "-70.00"} {
		if got[k] != w {
			t.Errorf("%s: %s, want %s", k, got[k], w)
		}
	}
	if !f.Discount.IsZero() || f.Total.String() != "-500.00" {
		t.Errorf("discount %s total %s", f.Discount, f.Total)
	}
	addsUp(t, f)
}
