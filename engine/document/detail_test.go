package document_test

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/document"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
)

// chargedDetail is Müller's month with a pricing rule, invoiced in EUR,
// and its line items each with its charge on the invoice.
func chargedDetail(t *testing.T) (invoice.View, document.Items, []li) {
	t.Helper()
	c := mueller
	c.PricingRules = []customer.PricingRule{{ProductCode: "AmazonEC2", Percent: dec("12.5")}, {ProductCode: "AmazonS3", Percent: dec("-3")}}
	items := append(append([]li{}, muellerItems...),
		li{acct: "210987654321", code: "AmazonEC2", name: "Amazon Elastic Compute Cloud", cost: "0.0000123456789"},
		li{acct: "210987654321", code: "AWSSupportBusiness", name: "AWS Support (Business)", cost: "100"},
		li{acct: "210987654321", code: "AmazonEC2", cost: "7.77", typ: lineitem.Tax})
	d := draftOf(t, "41", c, allOptions, billing.Ledger{}, items)
	ch, err := lastMonth.Charger(c, allOptions)
	if err != nil {
		t.Fatal(err)
	}
	return d.View(), func(yield func(document.DetailItem) error) error {
		var it lineitem.Item
		for _, l := range items {
			it = l.item()
			ic, err := ch.Charge(&it)
			if err != nil {
				return err
			}
			if err := yield(document.DetailItem{Item: &it, Charge: &ic}); err != nil {
				return err
			}
		}
		return nil
	}, items
}

// TestDetailCSVCharges: each item's charged and billed amounts in the
// invoice currency; the billed amounts of each line's items add up to its
// unrounded amount, and the reconciliation rows say so.
func TestDetailCSVCharges(t *testing.T) {
	v, items, src := chargedDetail(t)
	var b bytes.Buffer
	if err := document.DetailCSV(&b, v, items); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for _, k := range []string{"unblended_cost", "charged_basis", "billed", "charge_note"} {
		if _, ok := col[k]; !ok {
			t.Fatalf("no %s column: %v", k, recs[0])
		}
	}
	sums := map[string]decimal.Decimal{}
	recon := map[string][]string{}
	n := 0
	for _, r := range recs[1:] {
		if r[col["billing_period"]] == "reconciliation" {
			recon[r[col["product_name"]]+"/"+r[col["product_code"]]] = r
			continue
		}
		n++
		if r[col["charge_note"]] == "" {
			t.Errorf("item without a charge note: %v", r)
		}
		k := r[col["charge_note"]]
		if len(k) > 4 && k[:4] == "not " {
			if !decimal.RequireFromString(r[col["billed"]]).IsZero() {
				t.Errorf("excluded item billed: %v", r)
			}
			continue
		}
		sums[sectionOf(t, v, r[col["product_code"]], r[col["line_item_type"]])] =
			sums[sectionOf(t, v, r[col["product_code"]], r[col["line_item_type"]])].Add(decimal.RequireFromString(r[col["billed"]]))
	}
	if n != len(src) {
		t.Errorf("%d item rows for %d items", n, len(src))
	}
	lines := 0
	for _, s := range v.Figures.Sections {
		for _, l := range s.Lines {
			k := string(s.ProductType) + "/" + l.Service
			r, ok := recon[k]
			if s.ProductType == billing.Support { // the customer's plan, not line items
				continue
			}
			lines++
			if got := sums[k]; !got.Equal(l.Unrounded) {
				t.Errorf("%s: billed sum %s, unrounded %s", k, got, l.Unrounded)
			}
			if !ok || r[col["billed"]] != l.Unrounded.String() && !decimal.RequireFromString(r[col["billed"]]).Equal(l.Unrounded) || r[col["charge_note"]] != "matches" {
				t.Errorf("%s: reconciliation row %v", k, r)
			}
		}
	}
	if lines < 8 || len(recon) != lines {
		t.Errorf("%d lines from items, %d reconciliation rows: %v", lines, len(recon), recon)
	}
	// EC2 with its 12.5% rule, converted to EUR at 0.9137.
	if ec2 := sums["Compute/AmazonEC2"]; !ec2.Equal(dec("4210.331").Add(dec("0.0000123456789")).Mul(dec("1.125")).Mul(dec("0.9137"))) {
		t.Errorf("EC2 billed %s", ec2)
	}
}

// sectionOf finds the invoice section of a service ("Credits" for a
// credit line).
func sectionOf(t *testing.T, v invoice.View, code, typ string) string {
	t.Helper()
	for _, s := range v.Figures.Sections {
		if (typ == lineitem.Credit) != (s.ProductType == billing.Credits) {
			continue
		}
		for _, l := range s.Lines {
			if l.Service == code {
				return string(s.ProductType) + "/" + code
			}
		}
	}
	t.Errorf("no line for %s (%s)", code, typ)
	return ""
}

// TestXLSXDetailCharges: the Detail sheet carries the charge columns,
// exact beside numeric, and the reconciliation block under the items.
func TestXLSXDetailCharges(t *testing.T) {
	v, items, src := chargedDetail(t)
	var b bytes.Buffer
	if err := document.XLSX(&b, v, items); err != nil {
		t.Fatal(err)
	}
	x := openXLSXBytes(t, b.Bytes())
	rows, err := x.GetRows("Detail")
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, h := range []string{"Charged (basis)", "Charged (basis) (exact)", "Billed (after pricing)", "Billed (after pricing) (exact)", "Charge note", "Unblended cost (exact)"} {
		if _, ok := col[h]; !ok {
			t.Fatalf("no %q column: %v", h, rows[0])
		}
	}
	if got := rows[len(src)][col["Billed (after pricing) (exact)"]]; got == "" {
		t.Errorf("last item has no billed amount: %v", rows[len(src)])
	}
	block := rows[len(src)+2:]
	if len(block) < 3 || block[0][0] != "Reconciliation to the invoice (EUR, full precision)" || block[1][3] != "Billed (sum)" {
		t.Fatalf("reconciliation block %v", block)
	}
	for _, r := range block[2:] {
		if len(r) < 9 || r[8] != "matches" {
			t.Errorf("reconciliation row %v", r)
		}
	}
}

func openXLSXBytes(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}
