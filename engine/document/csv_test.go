package document_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/document"
	"rebill/engine/invoice"
)

// TestCSVRoundTrip reads the invoice CSV back: every line and section
// subtotal as stored, the totals block as the PDF prints it, amounts with
// exactly the currency's decimals, and the lines, discount, credits and
// taxes adding up to the total.
func TestCSVRoundTrip(t *testing.T) {
	jpy, err := bigCorpOpen(t).Convert("JPY", dec("149.5"), "ECB reference rate", invoice.NewDate(2026, 10, 5))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		v      invoice.View
		places int
	}{
		{"usd", bigCorpOpen(t).View(), 2},
		{"jpy", tanakaOpen(t).View(), 0},
		{"eur draft", muellerDraft(t).View(), 2},
		{"display jpy", jpy, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := document.CSV(&b, tc.v); err != nil {
				t.Fatal(err)
			}
			recs, err := csv.NewReader(&b).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(recs[0], ",") != "document,kind,product_type,service,description,amount,currency" {
				t.Fatalf("header %v", recs[0])
			}
			f := tc.v.Figures
			doc := tc.v.Invoice.Number
			if doc == "" {
				doc = "draft-" + tc.v.Invoice.ID
			}
			i := 1
			next := func() []string { i++; return recs[i-1] }
			amount := func(rec []string) decimal.Decimal {
				t.Helper()
				s := rec[5]
				if _, frac, _ := strings.Cut(s, "."); len(frac) != tc.places {
					t.Errorf("%q does not have %d decimals", s, tc.places)
				}
				return decimal.RequireFromString(s)
			}
			sum := decimal.Zero
			for _, s := range f.Sections {
				for _, l := range s.Lines {
					rec := next()
					if rec[0] != doc || rec[1] != "line" || rec[2] != string(s.ProductType) || rec[3] != l.Service || rec[4] != l.Description() || rec[6] != f.Currency {
						t.Errorf("line row %v", rec)
					}
					a := amount(rec)
					if !a.Equal(l.Amount.Decimal()) {
						t.Errorf("%s: %s, stored %s", l.Service, a, l.Amount)
					}
					sum = sum.Add(a)
				}
				rec := next()
				if rec[1] != "section_subtotal" || !amount(rec).Equal(s.Subtotal.Decimal()) {
					t.Errorf("subtotal row %v, stored %s", rec, s.Subtotal)
				}
			}
			byKind := map[string]decimal.Decimal{}
			for i < len(recs) {
				rec := next()
				byKind[rec[1]] = byKind[rec[1]].Add(decimal.RequireFromString(rec[5]))
			}
			for kind, want := range map[string]decimal.Decimal{"subtotal": f.Subtotal.Decimal(), "discount": f.Discount.Decimal(),
				"credits_applied": f.CreditsApplied.Decimal(), "tax": f.Tax.Decimal(), "total": f.Total.Decimal()} {
				if !byKind[kind].Equal(want) {
					t.Errorf("%s: %s, stored %s", kind, byKind[kind], want)
				}
			}
			if got := sum.Add(byKind["discount"]).Add(byKind["credits_applied"]).Add(byKind["tax"]); !got.Equal(byKind["total"]) {
				t.Errorf("lines + discount + credits + tax = %s, total row %s", got, byKind["total"])
			}
			if tc.v.Conversion != nil && !byKind["payable"].Equal(tc.v.Invoice.Total.Decimal()) {
				t.Errorf("payable %s, invoice total %s", byKind["payable"], tc.v.Invoice.Total)
			}
		})
	}
}

// TestDetailCSVRoundTrip: every line item comes back with every digit,
// never in scientific notation.
func TestDetailCSVRoundTrip(t *testing.T) {
	items := sourceItems()
	var b bytes.Buffer
	if err := document.DetailCSV(&b, muellerDraft(t).View(), itemsOf(items)); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(items)+1 {
		t.Fatalf("%d rows for %d items", len(recs), len(items))
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for i, it := range items {
		rec := recs[i+1]
		for key, want := range map[string]decimal.Decimal{"unblended_cost": it.UnblendedCost, "blended_cost": it.BlendedCost,
			"public_on_demand_cost": it.PublicOnDemandCost, "usage_amount": it.UsageAmount, "unblended_rate": it.UnblendedRate} {
			s := rec[col[key]]
			if strings.ContainsAny(s, "eE") || !decimal.RequireFromString(s).Equal(want) {
				t.Errorf("item %d %s: %q, want %s", i, key, s, want)
			}
		}
		if rec[col["usage_account"]] != it.UsageAccount || rec[col["description"]] != it.Description || rec[col["product_code"]] != it.ProductCode {
			t.Errorf("item %d: %v", i, rec)
		}
	}
	if got := recs[1][col["usage_start"]]; got != "2026-09-14T13:00:00Z" {
		t.Errorf("usage start %q", got)
	}
	if got := recs[2][col["unblended_cost"]]; got != "0.0000001234567890123456789012" {
		t.Errorf("28 decimals written as %q", got)
	}
	var empty bytes.Buffer
	if err := document.DetailCSV(&empty, muellerDraft(t).View(), nil); err != nil || strings.Count(empty.String(), "\n") != 1 {
		t.Errorf("no items: %q %v", empty.String(), err)
	}
}
