package document

import (
	"io"
	"strconv"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"rebill/engine/invoice"
)

// Sheet names.
const (
	summarySheet = "Summary"
	detailSheet  = "Detail"
)

// XLSX writes the view as an Excel workbook of two sheets.
//
// Summary matches the PDF: the reseller, the customer, the document's
// facts, the lines by section, the totals block. Amounts are numbers with
// the currency's number format; section subtotals, the subtotal, its
// breakdown and the total are formulas over the cells above them, whose
// cached values are the stored figures, so the sheet both recalculates
// and shows exactly the invoice without recalculating.
//
// Detail lists every source line item (items) with a frozen header row
// and an autofilter. Excel numbers are binary doubles with 15 significant
// digits, and provider amounts carry up to 28 decimals, so a number alone
// cannot hold them: each amount that must reconcile (unblended, blended
// and public on-demand cost) has a numeric column, for sums, filters and
// pivots, and beside it an "(exact)" text column with every digit the
// provider wrote, which is what the reconciliation to the penny reads.
func XLSX(w io.Writer, v invoice.View, items Items) error {
	f := excelize.NewFile()
	defer f.Close()
	x, err := newXLSX(f, v)
	if err != nil {
		return err
	}
	if _, err := f.NewSheet(detailSheet); err != nil {
		return err
	}
	totals, err := x.detail(items)
	if err != nil {
		return err
	}
	if err := x.summary(totals); err != nil {
		return err
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: docName(v.Invoice), Creator: "Rebill",
		Description: AuditText(v.Audit), Created: "2006-01-02T00:00:00Z", Modified: "2006-01-02T00:00:00Z"}); err != nil {
		return err
	}
	// Summary is the first sheet, and so the one Excel opens on; calling
	// SetActiveSheet would make excelize parse the streamed Detail sheet
	// back into memory.
	_, err = f.WriteTo(w)
	return err
}

// xlsxDoc holds a workbook being written and its styles.
type xlsxDoc struct {
	f *excelize.File
	v invoice.View
	// styles: amount in the view's currency, the same bold, a label in
	// bold, a header cell, a date, a date-time, a title, muted text.
	amount, amountBold, bold, header, date, dateTime, title, muted int
}

func newXLSX(f *excelize.File, v invoice.View) (*xlsxDoc, error) {
	if err := f.SetSheetName("Sheet1", summarySheet); err != nil {
		return nil, err
	}
	x := &xlsxDoc{f: f, v: v}
	numFmt := excelFormat(v.Figures.Currency)
	for _, s := range []struct {
		id    *int
		style excelize.Style
	}{
		{&x.amount, excelize.Style{CustomNumFmt: &numFmt}},
		{&x.amountBold, excelize.Style{CustomNumFmt: &numFmt, Font: &excelize.Font{Bold: true}}},
		{&x.bold, excelize.Style{Font: &excelize.Font{Bold: true}}},
		{&x.header, excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F1F3F6"}},
			Border: []excelize.Border{{Type: "bottom", Color: "CED4DA", Style: 1}}}},
		{&x.date, excelize.Style{CustomNumFmt: ptr("d mmm yyyy")}},
		{&x.dateTime, excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd hh:mm")}},
		{&x.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 16, Color: "163A63"}}},
		{&x.muted, excelize.Style{Font: &excelize.Font{Color: "6C757D"}}},
	} {
		id, err := f.NewStyle(&s.style)
		if err != nil {
			return nil, err
		}
		*s.id = id
	}
	return x, nil
}

func ptr[T any](v T) *T { return &v }

// number is a figure as an Excel number. Excel stores numbers as IEEE
// doubles, so this is the one place Rebill hands money to a float: the
// double nearest to the decimal, which excelize writes back as the
// shortest text that reads as that double, the decimal's own digits for
// any figure of up to 15 significant digits (every printed figure). No
// arithmetic is ever done on it.
func number(d decimal.Decimal) float64 {
	f, _ := strconv.ParseFloat(d.String(), 64)
	return f
}

// cell is a reference such as "D12".
func cell(col string, row int) string { return col + strconv.Itoa(row) }

// rows writes a stream sheet's rows one after the other, errors kept
// until the end, so sheet layouts read as a list of rows.
type rows struct {
	sw  *excelize.StreamWriter
	row int // the last row written, 1-based
	err error
}

// put writes the next row (no values: an empty row).
func (r *rows) put(values ...any) {
	if r.err != nil {
		return
	}
	r.row++
	r.err = r.sw.SetRow(cell("A", r.row), values)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
