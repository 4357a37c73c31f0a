package document_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"rebill/engine/billing"
	"rebill/engine/document"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
)

// sourceItems are line items as a provider writes them: a 28-decimal
// Azure-style amount no double can hold, a value read from scientific
// notation, a negative credit, a tag, a usage start time.
func sourceItems() []lineitem.Item {
	start := time.Date(2026, 9, 14, 13, 0, 0, 0, time.UTC)
	return []lineitem.Item{
		{Provider: lineitem.AWS, BillingPeriod: period, PayerAccount: "999988887777", UsageAccount: "210987654321", Type: lineitem.Usage,
			BillingEntity: "AWS", ProductCode: "AmazonEC2", ProductName: "Amazon Elastic Compute Cloud", UsageType: "EUC1-BoxUsage:m7g.large",
			Operation: "RunInstances", Region: "eu-central-1", ResourceID: "i-0abc", UsageStart: start,
			UsageAmount: dec("24"), UnblendedRate: dec("0.0914"), UnblendedCost: dec("2.1936"), BlendedRate: dec("0.0914"),
			BlendedCost: dec("2.1936"), PublicOnDemandCost: dec("2.1936"), Currency: "USD", Description: "m7g.large Linux, Frankfurt",
			Tags: []lineitem.Tag{{Key: "team", Value: "data"}, {Key: "env", Value: "prod"}}},
		{Provider: lineitem.AWS, BillingPeriod: period, UsageAccount: "210987654321", Type: lineitem.Usage, BillingEntity: "AWS",
			ProductCode: "AmazonS3", UnblendedCost: dec("0.0000001234567890123456789012"), BlendedCost: dec("1.5E-10"), Currency: "USD",
			Description: "Requests, \"Tier 1\"; commas, too"},
		{Provider: lineitem.AWS, BillingPeriod: period, UsageAccount: "210987654321", Type: lineitem.Credit, BillingEntity: "AWS",
			ProductCode: "AmazonEC2", UnblendedCost: dec("-150"), BlendedCost: dec("-150"), Currency: "USD", Description: "Promotional credit"},
	}
}

func itemsOf(list []lineitem.Item) document.Items {
	return func(yield func(document.DetailItem) error) error {
		var it lineitem.Item
		for _, l := range list {
			it = l // one reused item, as the store passes them
			if err := yield(document.DetailItem{Item: &it}); err != nil {
				return err
			}
		}
		return nil
	}
}

func openXLSX(t *testing.T, v invoice.View, items []lineitem.Item) *excelize.File {
	t.Helper()
	var b bytes.Buffer
	if err := document.XLSX(&b, v, itemsOf(items)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// raw reads a cell's stored value (a number's digits, not its display).
func raw(t *testing.T, f *excelize.File, sheet, ref string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// numFmt is a cell's custom number format.
func numFmt(t *testing.T, f *excelize.File, sheet, ref string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if s.CustomNumFmt == nil {
		return ""
	}
	return *s.CustomNumFmt
}

// TestXLSXSummary reads the Summary sheet back cell by cell: every line
// amount is a number equal to the stored figure with the currency's
// format; subtotals and totals are the expected formulas, their cached
// values are the stored figures, and excelize's own calculation of each
// formula gives the stored figure too.
func TestXLSXSummary(t *testing.T) {
	for _, tc := range []struct {
		name   string
		v      invoice.View
		format string
	}{
		{"usd", bigCorpOpen(t).View(), `"$"#,##0.00;-"$"#,##0.00`},
		{"jpy", tanakaOpen(t).View(), `"¥"#,##0;-"¥"#,##0`},
		{"eur draft", muellerDraft(t).View(), `"€"#,##0.00;-"€"#,##0.00`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := openXLSX(t, tc.v, sourceItems())
			if got := x.GetSheetList(); len(got) != 2 || got[0] != "Summary" || got[1] != "Detail" {
				t.Fatalf("sheets %v", got)
			}
			rows, err := x.GetRows("Summary")
			if err != nil {
				t.Fatal(err)
			}
			f := tc.v.Figures
			r := 0
			for r < len(rows) && (len(rows[r]) == 0 || rows[r][0] != "Product type") {
				r++
			}
			if r == len(rows) || rows[r][3] != "Amount ("+f.Currency+")" {
				t.Fatalf("no table header in %v", rows)
			}
			check := func(ref string, want billing.Amount, formula string) {
				t.Helper()
				got, err := decimal.NewFromString(raw(t, x, "Summary", ref))
				if err != nil || !got.Equal(want.Decimal()) {
					t.Errorf("%s holds %s, want %s", ref, raw(t, x, "Summary", ref), want)
				}
				fm, _ := x.GetCellFormula("Summary", ref)
				if fm != formula {
					t.Errorf("%s formula %q, want %q", ref, fm, formula)
				}
				if formula != "" {
					calc, err := x.CalcCellValue("Summary", ref, excelize.Options{RawCellValue: true})
					if c, perr := decimal.NewFromString(calc); err != nil || perr != nil || !c.Round(4).Equal(want.Decimal()) {
						t.Errorf("%s calculates to %q (%v), want %s", ref, calc, err, want)
					}
				}
				if got := numFmt(t, x, "Summary", ref); got != tc.format {
					t.Errorf("%s number format %q, want %q", ref, got, tc.format)
				}
			}
			row := r + 1 // Excel rows are 1-based: the header is row r+1
			var sectionCells []string
			for _, s := range f.Sections {
				row++
				if rows[row-1][0] != string(s.ProductType) {
					t.Fatalf("row %d: %v, want the %s section", row, rows[row-1], s.ProductType)
				}
				first := row + 1
				for _, l := range s.Lines {
					row++
					got := rows[row-1]
					if got[0] != string(s.ProductType) || got[1] != l.Service || got[2] != l.Description() {
						t.Errorf("row %d: %v, want %s %s", row, got, l.Service, l.Description())
					}
					check(cellRef("D", row), l.Amount, "")
				}
				row++
				check(cellRef("D", row), s.Subtotal, "SUM(D"+itoa(first)+":D"+itoa(row-1)+")")
				sectionCells = append(sectionCells, cellRef("D", row))
			}
			row++ // blank
			// The totals block, as summaryRows lists it.
			labels := map[string]int{}
			for i := row; i < len(rows); i++ {
				if len(rows[i]) > 2 && rows[i][2] != "" {
					labels[rows[i][2]] = i + 1
				}
			}
			sub, ok := labels["Subtotal"]
			if !ok {
				t.Fatalf("no Subtotal row in %v", rows[row:])
			}
			check(cellRef("D", sub), f.Subtotal, strings.Join(sectionCells, "+"))
			total, ok := labels[totalLabelOf(tc.v)]
			if !ok {
				t.Fatalf("no %q row", totalLabelOf(tc.v))
			}
			fm, _ := x.GetCellFormula("Summary", cellRef("D", total))
			if !strings.HasPrefix(fm, cellRef("D", sub)+"+") {
				t.Errorf("total formula %q does not start from the subtotal", fm)
			}
			check(cellRef("D", total), f.Total, fm)
			for i, s := range f.Sections {
				if s.ProductType == billing.Support {
					check(cellRef("D", labels["Support"]), f.Support, sectionCells[i])
				}
			}
		})
	}
}

func cellRef(col string, row int) string { return col + itoa(row) }

// TestXLSXDetail reads the Detail sheet back: a frozen header row, an
// autofilter over every row, each line item's amounts as a number and, for
// costs, as exact text with every digit the provider wrote.
func TestXLSXDetail(t *testing.T) {
	items := sourceItems()
	x := openXLSX(t, muellerDraft(t).View(), items)
	panes, err := x.GetPanes("Detail")
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("panes %+v %v", panes, err)
	}
	filtered := false
	for _, dn := range x.GetDefinedName() {
		if dn.Name == "_xlnm._FilterDatabase" && dn.Scope == "Detail" && dn.RefersTo == "'Detail'!$A$1:$AH$4" {
			filtered = true
		}
	}
	if !filtered {
		t.Errorf("no autofilter over A1:AH4: %+v", x.GetDefinedName())
	}
	rows, err := x.GetRows("Detail")
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]string{}
	for i, h := range rows[0] {
		name, _ := excelize.ColumnNumberToName(i + 1)
		col[h] = name
	}
	for _, h := range []string{"Usage account", "Unblended cost", "Unblended cost (exact)", "Blended cost (exact)", "Public on-demand cost (exact)", "Usage start (UTC)", "Tags"} {
		if col[h] == "" {
			t.Errorf("no %q column in %v", h, rows[0])
		}
	}
	for i, it := range items {
		r := i + 2
		if got := raw(t, x, "Detail", col["Unblended cost (exact)"]+itoa(r)); got != it.UnblendedCost.String() && !decimal.RequireFromString(got).Equal(it.UnblendedCost) {
			t.Errorf("row %d exact cost %q, want %s", r, got, it.UnblendedCost)
		}
		if got := raw(t, x, "Detail", col["Unblended cost (exact)"]+itoa(r)); strings.ContainsAny(got, "eE") {
			t.Errorf("row %d exact cost in scientific notation: %q", r, got)
		}
		typ, _ := x.GetCellType("Detail", col["Unblended cost"]+itoa(r))
		num, _ := decimal.NewFromString(raw(t, x, "Detail", col["Unblended cost"]+itoa(r)))
		if typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
			t.Errorf("row %d: the numeric cost is text", r)
		}
		if it.UnblendedCost.NumDigits() <= 15 && !num.Equal(it.UnblendedCost) {
			t.Errorf("row %d numeric cost %s, want %s", r, num, it.UnblendedCost)
		}
	}
	if got := raw(t, x, "Detail", col["Unblended cost (exact)"]+"3"); got != "0.0000001234567890123456789012" {
		t.Errorf("28 decimals kept as %q", got)
	}
	if got := raw(t, x, "Detail", col["Blended cost (exact)"]+"3"); got != "0.00000000015" {
		t.Errorf("1.5E-10 written as %q", got)
	}
	if got, _ := x.GetCellValue("Detail", col["Usage start (UTC)"]+"2"); got != "2026-09-14 13:00" {
		t.Errorf("usage start %q", got)
	}
	if got, _ := x.GetCellValue("Detail", col["Tags"]+"2"); got != "team=data; env=prod" {
		t.Errorf("tags %q", got)
	}
	// The Summary names what the Detail sheet holds, summed exactly.
	rows, _ = x.GetRows("Summary")
	last := rows[len(rows)-1]
	if len(last) < 2 || last[0] != "Detail sheet" || last[1] != "3 line items; unblended cost USD -147.8063998765432109876543210988 (full precision)" {
		t.Errorf("reconciliation line %v", last)
	}
}

// TestXLSXEmptyDetail: a month without line items still has a Detail
// sheet with its header and filter.
func TestXLSXEmptyDetail(t *testing.T) {
	x := openXLSX(t, tanakaOpen(t).View(), nil)
	rows, err := x.GetRows("Detail")
	if err != nil || len(rows) != 1 || rows[0][0] != "Billing period" {
		t.Errorf("rows %v %v", rows, err)
	}
}

// TestXLSXCarriesTheAuditHead: the Summary's last row and the workbook's
// description carry the audit log's end; without one, neither does.
func TestXLSXCarriesTheAuditHead(t *testing.T) {
	x := openXLSX(t, withAudit(tanakaOpen(t).View()), sourceItems())
	rows, _ := x.GetRows("Summary")
	if last := rows[len(rows)-1]; len(last) < 2 || last[0] != "Audit log" || last[1] != testHeadText {
		t.Errorf("last Summary row %q", last)
	}
	if p, err := x.GetDocProps(); err != nil || p.Description != testHeadText {
		t.Errorf("description %q (%v)", p.Description, err)
	}
	x = openXLSX(t, tanakaOpen(t).View(), sourceItems())
	rows, _ = x.GetRows("Summary")
	if last := rows[len(rows)-1]; last[0] != "Detail sheet" {
		t.Errorf("without an audit head the last row is %q", last)
	}
	if p, _ := x.GetDocProps(); p.Description != "" {
		t.Errorf("description %q without an audit head", p.Description)
	}
}
