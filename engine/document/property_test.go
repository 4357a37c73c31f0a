package document_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/document"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
)

// TestPrintedFiguresAlwaysAddUp is a property test over random months:
// amounts with up to 9 decimals (credits among them), Marketplace,
// recurring charges, a discount or an uplift (folded or worded), one or
// two tax rates, reseller credits. For the invoice and for a partial
// credit note of a random amount, the document's printed lines add up to
// the printed subtotal, and subtotal, discount, credits and taxes to the
// printed total, read back from the CSV every document shares its rows
// with; and the credit note's tax is its rate of the base it prints, which
// is its taxed line.
func TestPrintedFiguresAlwaysAddUp(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 2026))
	amount := func(max int64, scale int32) decimal.Decimal {
		return decimal.New(rng.Int64N(max), -scale)
	}
	codes := []string{"AmazonEC2", "AmazonS3", "AmazonRDS", "AWSLambda", "AmazonCloudFront", "AWSGlue"}
	refused, notes, folded := 0, 0, 0
	for run := range 300 {
		var items []li
		for range 1 + rng.IntN(12) {
			it := li{acct: "777788889999", code: codes[rng.IntN(len(codes))], name: "Service", cost: amount(5_000_000_000_000, 9).String()}
			switch rng.IntN(8) {
			case 0:
				it.typ, it.cost = lineitem.Credit, amount(50_000_000_000, 9).Neg().String()
			case 1:
				it.code, it.name, it.entity, it.seller = "prodmkt", "Appliance", lineitem.MarketplaceEntity, "Seller Ltd"
			}
			items = append(items, it)
		}
		c := customer.Customer{ID: "RND", Name: "Random Ltd", Currency: "USD", TermsDays: 30,
			Adjustment: amount(4000, 2).Sub(decimal.NewFromInt(20))} // -20.00% to +19.99%
		for range rng.IntN(3) {
			c.TaxRates = append(c.TaxRates, customer.TaxRate{Name: fmt.Sprintf("Tax %d", len(c.TaxRates)+1), Percent: amount(2500, 2)})
		}
		if rng.IntN(2) == 0 {
			c.Recurring = []customer.RecurringCharge{{Description: "Managed service", Amount: amount(100000, 2), From: "2026-01"}}
		}
		var ledger billing.Ledger
		if rng.IntN(3) == 0 {
			ledger.Grants = []customer.Grant{{ID: 1, Customer: "RND", Amount: amount(50000, 2), Currency: "USD", Reason: "r", Expires: "2027-12"}}
		}
		p := seller
		if rng.IntN(2) == 0 {
			p.UpliftWording = "Service management"
		}
		opt := billing.Options{Credits: true, Tax: true, Marketplace: rng.IntN(2) == 0}
		st := statementOf(t, c, opt, ledger, items)
		d, err := invoice.NewDraft("1", st, c, p, now)
		if err != nil {
			t.Fatal(err)
		}
		inv := approve(t, d, 1)
		name := fmt.Sprintf("run %d (adjustment %s%%, %d rates)", run, c.Adjustment, len(c.TaxRates))
		addsUpAsPrinted(t, name, inv.View())
		if !inv.Discount.IsZero() && inv.View().Figures.Discount.IsZero() {
			folded++
		}
		if !inv.Total.Decimal().IsPositive() {
			continue
		}
		credit := decimal.New(1+rng.Int64N(inv.Total.Decimal().Shift(2).IntPart()), -2)
		note, err := inv.CreditNote(invoice.CreditRequest{ID: "2", Amount: credit, Reason: "r", Now: now})
		if err != nil {
			if !strings.Contains(err.Error(), "cannot be split into a net amount and its tax") {
				t.Errorf("%s: credit %s: %v", name, credit, err)
			}
			refused++
			continue
		}
		notes++
		addsUpAsPrinted(t, name+" credit note of "+credit.String(), note.View())
		for _, tl := range note.TaxLines {
			if tl.Percent.IsZero() {
				continue
			}
			if first := note.Sections[0].Lines[0].Amount.Decimal(); !tl.Base.Equal(first) {
				t.Errorf("%s: credit %s: %s printed on %s, the taxed line is %s", name, credit, tl.Name, tl.Base, first)
			}
			if want := tl.Base.Mul(tl.Percent.Shift(-2)).Round(2); !want.Equal(tl.Amount.Decimal()) {
				t.Errorf("%s: credit %s: %s%% of %s is %s, printed %s", name, credit, tl.Percent, tl.Base, want, tl.Amount)
			}
		}
	}
	t.Logf("%d credit notes checked, %d refused as not splittable, %d invoices with a folded uplift", notes, refused, folded)
	if refused > 100 {
		t.Errorf("%d of 300 credit notes refused as not splittable", refused)
	}
}

// addsUpAsPrinted reads a view's CSV back and checks that the lines add
// up to each section's subtotal and to the subtotal, and that subtotal,
// discount, credits and taxes add up to the total.
func addsUpAsPrinted(t *testing.T, name string, v invoice.View) {
	t.Helper()
	var b bytes.Buffer
	if err := document.CSV(&b, v); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	lines, section, subtotal, adjust, total := decimal.Zero, decimal.Zero, decimal.Zero, decimal.Zero, decimal.Zero
	for _, r := range rows[1:] {
		a := decimal.RequireFromString(r[5])
		switch r[1] {
		case "line":
			lines, section = lines.Add(a), section.Add(a)
		case "section_subtotal":
			if !section.Equal(a) {
				t.Errorf("%s: %s lines add up to %s, printed subtotal %s", name, r[2], section, a)
			}
			section = decimal.Zero
		case "subtotal":
			subtotal = a
		case "discount", "credits_applied", "tax":
			adjust = adjust.Add(a)
		case "total":
			total = a
		}
	}
	if !lines.Equal(subtotal) {
		t.Errorf("%s: lines add up to %s, printed subtotal %s", name, lines, subtotal)
	}
	if !subtotal.Add(adjust).Equal(total) {
		t.Errorf("%s: subtotal %s + discount, credits and taxes %s is not the printed total %s", name, subtotal, adjust, total)
	}
	if !total.Equal(v.Invoice.Total.Decimal()) {
		t.Errorf("%s: printed total %s, invoice total %s", name, total, v.Invoice.Total)
	}
}
