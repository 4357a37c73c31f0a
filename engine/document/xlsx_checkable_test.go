package document_test

import (
	"archive/zip"
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"rebill/engine/billing"
	"rebill/engine/document"
	"rebill/engine/invoice"
)

// cellNumber reads a cell that must be a number (not text) as the double
// Excel holds, for sums done as Excel does them.
func cellNumber(t *testing.T, x *excelize.File, sheet, ref string) float64 {
	t.Helper()
	typ, err := x.GetCellType(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	if typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
		t.Errorf("%s!%s is text, not a number: %q", sheet, ref, raw(t, x, sheet, ref))
	}
	f, err := strconv.ParseFloat(raw(t, x, sheet, ref), 64)
	if err != nil {
		t.Fatalf("%s!%s: %v", sheet, ref, err)
	}
	return f
}

// cents is a double rounded to the cent, as a decimal to compare.
func cents(f float64) decimal.Decimal { return decimal.NewFromFloat(f).Round(2) }

// TestXLSXNumberCellsAddUpToTheTotal adds the Summary's number cells as
// Excel would (doubles): the lines, the discount, the credits and each
// tax make the total to the cent, for an invoice, a credit note and an
// invoice with its uplift folded into the prices.
func TestXLSXNumberCellsAddUpToTheTotal(t *testing.T) {
	open := bigCorpOpen(t)
	note, err := open.CreditNote(invoice.CreditRequest{ID: "60", Amount: dec("1200"), Reason: "SLA credit", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		v    invoice.View
	}{
		{"invoice", open.View()},
		{"credit note", note.View()},
		{"uplift folded", upliftOpen(t, "").View()},
		{"uplift worded", upliftOpen(t, "Service management").View()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := openXLSX(t, tc.v, nil)
			rows, err := x.GetRows("Summary")
			if err != nil {
				t.Fatal(err)
			}
			labels := map[string]bool{}
			for _, r := range document.SummaryRows(tc.v) {
				if !r.Part && !r.Subtotal && !r.Total {
					labels[r.Label] = true // discount, credits, taxes
				}
			}
			sum, total, lines := 0.0, 0.0, 0
			for i, r := range rows {
				ref := cellRef("D", i+1)
				switch {
				case len(r) > 3 && r[0] != "" && r[1] != "" && r[0] != "Product type":
					sum += cellNumber(t, x, "Summary", ref)
					lines++
				case len(r) > 3 && labels[r[2]]:
					sum += cellNumber(t, x, "Summary", ref)
				case len(r) > 3 && r[2] == totalLabelOf(tc.v):
					total = cellNumber(t, x, "Summary", ref)
				}
			}
			f := tc.v.Figures
			if lines != f.LineCount() {
				t.Errorf("read %d line cells, the view prints %d", lines, f.LineCount())
			}
			if !cents(sum).Equal(f.Total.Decimal()) || !cents(total).Equal(f.Total.Decimal()) {
				t.Errorf("number cells add up to %s, total cell %s, invoice total %s", cents(sum), cents(total), f.Total)
			}
		})
	}
}

// TestXLSXDetailAmountsAreNumbers: on the Detail sheet every amount is a
// number with a number format, beside its exact text; the billed number
// cells of each invoice line add up, to the cent, to the printed line, and
// the reconciliation's printed amounts are numbers in the invoice's
// currency format.
func TestXLSXDetailAmountsAreNumbers(t *testing.T) {
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
	col := map[string]string{}
	for i, h := range rows[0] {
		name, _ := excelize.ColumnNumberToName(i + 1)
		col[h] = name
	}
	for _, h := range []string{"Unblended cost", "Blended cost", "Public on-demand cost", "Charged (basis)", "Billed (after pricing)"} {
		ref := col[h] + "2"
		cellNumber(t, x, "Detail", ref)
		if got := numFmt(t, x, "Detail", ref); got != "#,##0.00########;-#,##0.00########" {
			t.Errorf("%s (%s) number format %q", h, ref, got)
		}
	}
	if got := numFmt(t, x, "Detail", col["Unblended rate"]+"2"); got != "0.00########" {
		t.Errorf("rate number format %q", got)
	}
	// The billed number cells, summed per line as Excel would, against the
	// printed lines.
	sums := map[string]float64{}
	for i := range src {
		r := rows[i+1]
		idx := 0
		for j, h := range rows[0] {
			if h == "Charge note" {
				idx = j
			}
		}
		if strings.HasPrefix(r[idx], "not billed") {
			continue
		}
		code := r[7]
		sec := "line"
		if r[4] == "Credit" {
			sec = "credit"
		}
		sums[sec+"/"+code] += cellNumber(t, x, "Detail", col["Billed (after pricing)"]+itoa(i+2))
	}
	f := v.Invoice.Figures
	checked := 0
	for _, s := range f.Sections {
		for _, l := range s.Lines {
			key := "line/" + l.Service
			if s.ProductType == billing.Credits {
				key = "credit/" + l.Service
			}
			got, ok := sums[key]
			if !ok {
				continue // support plan: not made of line items
			}
			checked++
			if !cents(got).Equal(l.Amount.Decimal()) {
				t.Errorf("%s: billed cells add up to %s, printed %s", key, cents(got), l.Amount)
			}
		}
	}
	if checked < 8 {
		t.Errorf("checked %d lines", checked)
	}
	// The reconciliation block's printed amount: a number in EUR.
	block := len(src) + 5 // the header row, the items, a blank row, the title, the block's header, then its first row
	ref := cellRef("H", block)
	cellNumber(t, x, "Detail", ref)
	if got := numFmt(t, x, "Detail", ref); got != `"€"#,##0.00;-"€"#,##0.00` {
		t.Errorf("printed amount %s number format %q", ref, got)
	}
}

// TestXLSXProperties: the workbook was created when the invoice was
// issued (a draft: generated), never at a fixed date, and the same
// invoice exports to the same parts. (Not the same bytes: excelize writes
// the streamed sheets into the zip in map order, so the entries' order
// varies between runs; their contents do not.)
func TestXLSXProperties(t *testing.T) {
	draft := muellerDraft(t)
	draft.Generated = time.Date(2026, 10, 2, 8, 15, 0, 0, time.UTC)
	open := tanakaOpen(t)
	open.Approved = time.Date(2026, 10, 5, 11, 42, 7, 0, time.UTC)
	for _, tc := range []struct {
		name string
		v    invoice.View
		want string
	}{
		{"draft", draft.View(), "2026-10-02T08:15:00Z"},
		{"issued", open.View(), "2026-10-05T11:42:07Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := openXLSX(t, tc.v, nil)
			p, err := x.GetDocProps()
			if err != nil {
				t.Fatal(err)
			}
			if p.Created != tc.want || p.Modified != tc.want {
				t.Errorf("created %q modified %q, want %q", p.Created, p.Modified, tc.want)
			}
			var a, b bytes.Buffer
			if err := document.XLSX(&a, tc.v, nil); err != nil {
				t.Fatal(err)
			}
			if err := document.XLSX(&b, tc.v, nil); err != nil {
				t.Fatal(err)
			}
			if pa, pb := zipParts(t, a.Bytes()), zipParts(t, b.Bytes()); len(pa) != len(pb) || len(pa) < 8 {
				t.Errorf("%d and %d parts", len(pa), len(pb))
			} else {
				for name, body := range pa {
					if !bytes.Equal(body, pb[name]) {
						t.Errorf("the same invoice exported twice differs in %s", name)
					}
				}
			}
		})
	}
}

// TestXLSXPrintSetup: both sheets print on the profile's paper, fitted to
// the page's width, with their header row on every page.
func TestXLSXPrintSetup(t *testing.T) {
	letter := tanakaOpen(t)
	letter.Seller.PaperSize = "Letter"
	for _, tc := range []struct {
		name string
		v    invoice.View
		size int
	}{
		{"A4 by default", tanakaOpen(t).View(), 9},
		{"Letter", letter.View(), 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := openXLSX(t, tc.v, sourceItems())
			rows, _ := x.GetRows("Summary")
			header := 0
			for i, r := range rows {
				if len(r) > 0 && r[0] == "Product type" {
					header = i + 1
				}
			}
			titles := map[string]string{}
			for _, dn := range x.GetDefinedName() {
				if dn.Name == "_xlnm.Print_Titles" {
					titles[dn.Scope] = dn.RefersTo
				}
			}
			want := map[string]string{"Summary": "'Summary'!$" + itoa(header) + ":$" + itoa(header), "Detail": "'Detail'!$1:$1"}
			for sheet, ref := range want {
				if titles[sheet] != ref {
					t.Errorf("%s repeats %q, want %q", sheet, titles[sheet], ref)
				}
				pl, err := x.GetPageLayout(sheet)
				if err != nil {
					t.Fatal(err)
				}
				if pl.Size == nil || *pl.Size != tc.size || pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 0 {
					t.Errorf("%s page layout size %v fit %v x %v", sheet, deref(pl.Size), deref(pl.FitToWidth), deref(pl.FitToHeight))
				}
				props, err := x.GetSheetProps(sheet)
				if err != nil || props.FitToPage == nil || !*props.FitToPage {
					t.Errorf("%s is not fitted to the page: %v", sheet, err)
				}
			}
		})
	}
}

// zipParts reads a zip's entries by name.
func zipParts(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = body
	}
	return out
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestXLSXReconciliationBeforeTheUplift: with the uplift folded into the
// Summary's prices, the Detail's reconciliation says that it compares the
// items with the lines before the uplift, naming it.
func TestXLSXReconciliationBeforeTheUplift(t *testing.T) {
	inv := upliftOpen(t, "")
	ch, err := lastMonth.Charger(harbour("5"), allOptions)
	if err != nil {
		t.Fatal(err)
	}
	items := func(yield func(document.DetailItem) error) error {
		for _, l := range harbourItems {
			it := l.item()
			ic, err := ch.Charge(&it)
			if err != nil {
				return err
			}
			if err := yield(document.DetailItem{Item: &it, Charge: &ic}); err != nil {
				return err
			}
		}
		return nil
	}
	var b bytes.Buffer
	if err := document.XLSX(&b, inv.View(), items); err != nil {
		t.Fatal(err)
	}
	rows, err := openXLSXBytes(t, b.Bytes()).GetRows("Detail")
	if err != nil {
		t.Fatal(err)
	}
	last := rows[len(rows)-1]
	if want := "Lines as computed, before the uplift of 5% of 232.21 (USD 11.61) that the Summary's prices include."; len(last) == 0 || last[0] != want {
		t.Errorf("last Detail row %q, want %q", last, want)
	}
	if r := rows[len(rows)-3]; len(r) < 9 || r[1] != "AmazonEC2" || r[7] != "$150.00" || r[8] != "matches" {
		t.Errorf("EC2 reconciliation row %q", r)
	}
}
