package invoice_test

import (
	"strings"
	"testing"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
)

// vatInvoice is an issued invoice of 100.00 of EC2 (plus Marketplace
// when market is not "") with VAT 20% on the AWS charges: 100.00 + 20.00
// VAT = 120.00 without Marketplace.
func vatInvoice(t *testing.T, market string) invoice.Invoice {
	t.Helper()
	c := customer.Customer{ID: "ACME", Name: "Acme Corp", Currency: "USD", TermsDays: 30,
		TaxRates: []customer.TaxRate{{Name: "VAT 20%", Percent: dec("20")}}}
	items := []item{{acct: acctA, code: "AmazonEC2", name: "Amazon Elastic Compute Cloud", cost: "100.00"}}
	if market != "" {
		items = append(items, item{acct: acctA, code: "prodfirewall", name: "Firewall Appliance", cost: market,
			entity: lineitem.MarketplaceEntity, seller: "Example Seller Inc"})
	}
	st := statement(t, month(t, items...), c, allOptions, billing.Ledger{})
	d, err := invoice.NewDraft("17", st, c, profile, now)
	if err != nil {
		t.Fatal(err)
	}
	return issued(t, d)
}

// TestPartialCreditNoteTaxBase is the walkthrough's credit note: 25.00
// credited on an invoice of 100.00 + VAT 20% used to print "VAT 20% on
// -20.85" under a -20.83 subtotal, because the base was worked back from
// the rounded tax (4.17 / 20%). The base is now the printed net, and the
// tax is 20% of it: 20.83 x 20% = 4.166 -> 4.17, 20.83 + 4.17 = 25.00.
func TestPartialCreditNoteTaxBase(t *testing.T) {
	for _, tc := range []struct {
		name, market, amount string
		lines                []string // the note's lines, "amount"
		base, tax, total     string
	}{
		// 25.00 = N + round(N x 20%): N = 20.83.
		{"walkthrough", "", "25.00", []string{"-20.83"}, "-20.83", "-4.17", "-25.00"},
		// 60.00 = 50.00 + 10.00.
		{"half", "", "60.00", []string{"-50.00"}, "-50.00", "-10.00", "-60.00"},
		// Crediting everything mirrors the invoice.
		{"the whole invoice, mirrored", "", "0", []string{"-100.00"}, "-100.00", "-20.00", "-120.00"},
		// With 30.00 of Marketplace (not taxed), the invoice is 100 + 30 +
		// 20 = 150.00. 75.00 credits the taxable base in proportion:
		// 75 x 100 / 150 = 50.00, VAT 10.00, and the rest, 15.00, on a
		// line of its own that is not taxed.
		{"with Marketplace", "30.00", "75.00", []string{"-50.00", "-15.00"}, "-50.00", "-10.00", "-75.00"},
		// 40.00 x 100 / 150 = 26.666.. -> 26.67, VAT 5.334 -> 5.33, the
		// untaxed rest 40.00 - 26.67 - 5.33 = 8.00.
		{"with Marketplace, rounded", "30.00", "40.00", []string{"-26.67", "-8.00"}, "-26.67", "-5.33", "-40.00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inv := vatInvoice(t, tc.market)
			n, err := inv.CreditNote(invoice.CreditRequest{ID: "c", Amount: dec(tc.amount), Reason: "service credit", Now: now})
			if err != nil {
				t.Fatal(err)
			}
			addsUp(t, n.Figures)
			var got []string
			for _, s := range n.Sections {
				for _, l := range s.Lines {
					got = append(got, l.Amount.String())
				}
			}
			if strings.Join(got, " ") != strings.Join(tc.lines, " ") {
				t.Errorf("lines %v, want %v", got, tc.lines)
			}
			if len(n.TaxLines) != 1 {
				t.Fatalf("tax lines %+v", n.TaxLines)
			}
			tl := n.TaxLines[0]
			if tl.Base.StringFixed(2) != tc.base || tl.Amount.String() != tc.tax || n.Total.String() != tc.total {
				t.Errorf("VAT %s on %s, total %s; want %s on %s, total %s", tl.Amount, tl.Base.StringFixed(2), n.Total, tc.tax, tc.base, tc.total)
			}
			// The base is the first (taxed) line, and the rate on it gives the tax.
			if first := n.Sections[0].Lines[0].Amount.Decimal(); !first.Equal(tl.Base) {
				t.Errorf("base %s is not the taxed line %s", tl.Base, first)
			}
			if tax := tl.Base.Mul(dec("0.20")).Round(2); !tax.Equal(tl.Amount.Decimal()) {
				t.Errorf("20%% of %s is %s, the note says %s", tl.Base, tax, tl.Amount)
			}
		})
	}
}

// TestPartialCreditNoteAmountThatCannotBeSplit: with VAT 20% and nothing
// untaxed, N + round(N x 20%) goes from 24.98 (20.82 + 4.16) straight to
// 25.00 (20.83 + 4.17): no net gives 24.99, so the note is refused naming
// the two amounts that can be credited, rather than printing a tax that is
// not 20% of its base.
func TestPartialCreditNoteAmountThatCannotBeSplit(t *testing.T) {
	inv := vatInvoice(t, "")
	_, err := inv.CreditNote(invoice.CreditRequest{ID: "c", Amount: dec("24.99"), Reason: "x", Now: now})
	if err == nil || !strings.Contains(err.Error(), "credit 24.98 (net 20.82, tax 4.16) or 25.00 (net 20.83, tax 4.17)") {
		t.Errorf("24.99: %v", err)
	}
}

// TestPartialCreditNoteOfAnUntaxedInvoice: EC2 100.00 refunded in full
// leaves only 30.00 of Marketplace, so VAT 20% is on a base of zero; a
// credit of 10.00 is one line of 10.00 and VAT 0.00 with no base printed.
func TestPartialCreditNoteOfAnUntaxedInvoice(t *testing.T) {
	c := customer.Customer{ID: "ACME", Name: "Acme Corp", Currency: "USD", TermsDays: 30,
		TaxRates: []customer.TaxRate{{Name: "VAT 20%", Percent: dec("20")}}}
	st := statement(t, month(t,
		item{acct: acctA, code: "AmazonEC2", name: "Amazon Elastic Compute Cloud", cost: "100.00"},
		item{acct: acctA, code: "AmazonEC2", name: "Amazon Elastic Compute Cloud", cost: "-100.00", typ: lineitem.Refund},
		item{acct: acctA, code: "prodfw", name: "Firewall", cost: "30.00", entity: lineitem.MarketplaceEntity, seller: "Sec Inc"},
	), c, allOptions, billing.Ledger{})
	d, err := invoice.NewDraft("17", st, c, profile, now)
	if err != nil {
		t.Fatal(err)
	}
	inv := issued(t, d)
	if inv.Total.String() != "30.00" || !inv.Tax.IsZero() {
		t.Fatalf("the test month changed: total %s tax %s", inv.Total, inv.Tax)
	}
	n, err := inv.CreditNote(invoice.CreditRequest{ID: "c", Amount: dec("10"), Reason: "x", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	addsUp(t, n.Figures)
	if len(n.Sections[0].Lines) != 1 || n.Subtotal.String() != "-10.00" || !n.Tax.IsZero() || !n.TaxLines[0].Base.IsZero() {
		t.Errorf("lines %+v tax %s base %s", n.Sections[0].Lines, n.Tax, n.TaxLines[0].Base)
	}
}
