package document_test

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
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

// TestXLSXDetailContinuesOnMoreSheets: Excel holds 1,048,576 rows a sheet
// and one customer's month can hold more line items. The items continue
// on "Detail (2)", "Detail (3)"…, each sheet with the header, frozen,
// filtered and printed on every page, and together they hold every item
// once, in order, with the reconciliation block after the last; a block
// with no room left under the items starts the next sheet.
func TestXLSXDetailContinuesOnMoreSheets(t *testing.T) {
	v, items, src := chargedDetail(t)
	var b bytes.Buffer
	if err := document.XLSX(&b, v, items); err != nil {
		t.Fatal(err)
	}
	one := openXLSXBytes(t, b.Bytes())
	whole, err := one.GetRows("Detail")
	if err != nil {
		t.Fatal(err)
	}
	n := len(src)
	header, itemRows, block := whole[0], whole[1:1+n], whole[2+n:]
	oneLabel, oneText := detailNote(t, one)
	if oneLabel != "Detail sheet" || !strings.HasPrefix(oneText, itoa(n)+" line items; unblended cost") {
		t.Fatalf("the Summary says %s: %q", oneLabel, oneText)
	}
	if len(block) < 3 {
		t.Fatalf("no reconciliation block under the items: %v", whole)
	}
	for _, tc := range []struct {
		name          string
		rows          int // per sheet
		itemSheets    int
		blockOnItsOwn bool
	}{
		{"two items a sheet, the block on the next", 3, (n + 1) / 2, true},
		{"every item on one sheet, the block just fits under", 1 + n + 1 + len(block), 1, false},
		{"every item on one sheet, one row short for the block", n + 1 + len(block), 1, true},
		{"the items fill the sheet", 1 + n, 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := document.XLSXRowsPerSheet(&b, v, items, tc.rows); err != nil {
				t.Fatal(err)
			}
			x := openXLSXBytes(t, b.Bytes())
			want := []string{"Summary", "Detail"}
			sheets := tc.itemSheets
			if tc.blockOnItsOwn {
				sheets++
			}
			for i := 2; i <= sheets; i++ {
				want = append(want, "Detail ("+itoa(i)+")")
			}
			if got := x.GetSheetList(); !slices.Equal(got, want) {
				t.Fatalf("sheets %v, want %v", got, want)
			}
			titles := map[string]string{}
			filters := map[string]string{}
			for _, dn := range x.GetDefinedName() {
				switch dn.Name {
				case "_xlnm.Print_Titles":
					titles[dn.Scope] = dn.RefersTo
				case "_xlnm._FilterDatabase":
					filters[dn.Scope] = dn.RefersTo
				}
			}
			var gotItems, gotBlock [][]string
			for i, sheet := range want[1:] {
				rows, err := x.GetRows(sheet)
				if err != nil {
					t.Fatal(err)
				}
				if tc.blockOnItsOwn && i == len(want)-2 {
					// One row per invoice line: it fits any real sheet.
					gotBlock = rows
					if titles[sheet] != "" {
						t.Errorf("%s, the block alone, repeats %q on every page", sheet, titles[sheet])
					}
					continue
				}
				if len(rows) > tc.rows {
					t.Errorf("%s has %d rows, more than %d", sheet, len(rows), tc.rows)
				}
				if !slices.Equal(rows[0], header) {
					t.Errorf("%s starts %v, not the header", sheet, rows[0])
				}
				if panes, err := x.GetPanes(sheet); err != nil || !panes.Freeze || panes.YSplit != 1 {
					t.Errorf("%s: header not frozen: %+v %v", sheet, panes, err)
				}
				if want := "'" + sheet + "'!$1:$1"; titles[sheet] != want {
					t.Errorf("%s repeats %q on every page, want %q", sheet, titles[sheet], want)
				}
				body := rows[1:]
				end := len(body)
				for j, r := range body {
					if len(r) == 0 {
						end = j
						gotBlock = body[j+1:]
						break
					}
				}
				if want := "'" + sheet + "'!$A$1:$AH$" + itoa(end+1); filters[sheet] != want {
					t.Errorf("%s filters %q, want %q", sheet, filters[sheet], want)
				}
				gotItems = append(gotItems, body[:end]...)
			}
			if len(gotItems) != n {
				t.Fatalf("%d item rows over the sheets, want %d", len(gotItems), n)
			}
			for i := range gotItems {
				if !slices.Equal(gotItems[i], itemRows[i]) {
					t.Errorf("item %d reads %v, want %v", i+1, gotItems[i], itemRows[i])
				}
			}
			label, text := detailNote(t, x)
			wantLabel, wantText := "Detail sheet", oneText
			switch {
			case tc.itemSheets == 2:
				wantLabel, wantText = "Detail sheets", oneText+"; the line items continue from Detail on Detail (2)"
			case tc.itemSheets > 2:
				wantLabel, wantText = "Detail sheets", oneText+"; the line items continue from Detail on Detail (2) to Detail ("+itoa(tc.itemSheets)+")"
			}
			if label != wantLabel || text != wantText {
				t.Errorf("the Summary says %s: %q, want %s: %q", label, text, wantLabel, wantText)
			}
			if len(gotBlock) != len(block) || !slices.Equal(gotBlock[0], block[0]) || !slices.Equal(gotBlock[len(block)-1], block[len(block)-1]) {
				t.Errorf("reconciliation block %v, want %v", gotBlock, block)
			}
		})
	}
}

// detailNote is the Summary's note on what the Detail holds.
func detailNote(t *testing.T, x *excelize.File) (label, text string) {
	t.Helper()
	rows, err := x.GetRows("Summary")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if len(r) > 1 && strings.HasPrefix(r[0], "Detail sheet") {
			return r[0], r[1]
		}
	}
	return "", ""
}
