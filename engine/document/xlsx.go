package document

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"rebill/engine/customer"
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
	return writeXLSX(w, v, items, excelize.TotalRows)
}

// writeXLSX is XLSX with Detail sheets of rowsPerSheet rows, Excel's
// maximum but in tests.
func writeXLSX(w io.Writer, v invoice.View, items Items, rowsPerSheet int) error {
	f := excelize.NewFile()
	defer f.Close()
	x, err := newXLSX(f, v)
	if err != nil {
		return err
	}
	x.detailRows = rowsPerSheet
	totals, err := x.detail(items)
	if err != nil {
		return err
	}
	if err := x.summary(totals); err != nil {
		return err
	}
	created := createdAt(v.Invoice).UTC().Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{Title: docName(v.Invoice), Creator: "Rebill",
		Description: AuditText(v.Audit), Created: created, Modified: created}); err != nil {
		return err
	}
	if err := x.printTitles(); err != nil {
		return err
	}
	// Summary is the first sheet, and so the one Excel opens on; calling
	// SetActiveSheet would make excelize parse the streamed Detail sheet
	// back into memory.
	return writeWorkbook(f, w)
}

// createdAt is when the document came into being, the workbook's
// creation and modification time: the instant the invoice was issued, or
// for a draft when it was generated. It is the invoice's, not the clock's
// at export, so the same invoice exports to the same bytes (an auditor can
// export an old invoice again and compare) and the date is a real one.
func createdAt(inv invoice.Invoice) time.Time {
	if !inv.Approved.IsZero() {
		return inv.Approved
	}
	return inv.Generated
}

// pageSetup lays a sheet out for the reseller's paper (A4 or Letter, the
// profile's), fitted to the page's width (as many pages down as needed).
// It is called before the sheet's stream writer starts: the stream
// writes the sheet's properties first and its page setup from the
// worksheet it was given.
func (x *xlsxDoc) pageSetup(sheet, orientation string) error {
	size := 9 // A4 in the OOXML paper size codes
	if x.v.Invoice.Seller.PaperSize == customer.PaperLetter {
		size = 1
	}
	if err := x.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
		return err
	}
	return x.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orientation,
		FitToWidth: ptr(1), FitToHeight: ptr(0)})
}

// printTitles repeats each sheet's table header row on every printed
// page: the Summary's lines header, each Detail sheet's first row.
func (x *xlsxDoc) printTitles() error {
	type title struct {
		sheet string
		row   int
	}
	titles := []title{{summarySheet, x.summaryHeader}}
	for _, d := range x.detailSheets {
		if d.header {
			titles = append(titles, title{d.name, 1})
		}
	}
	for _, t := range titles {
		if t.row == 0 {
			continue
		}
		if err := x.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: t.sheet,
			RefersTo: fmt.Sprintf("'%s'!$%d:$%d", t.sheet, t.row, t.row)}); err != nil {
			return err
		}
	}
	return nil
}

// xlsxDoc holds a workbook being written and its styles.
type xlsxDoc struct {
	f *excelize.File
	v invoice.View
	// styles: amount in the view's currency, the same bold, a label in
	// bold, a header cell, a date, a date-time, a title, muted text; on
	// the Detail sheet an amount at full precision (exactAmount), a rate,
	// and a printed amount in the invoice's own currency.
	amount, amountBold, bold, header, date, dateTime, title, muted int
	exactAmount, rate, invoiceAmount                               int
	// summaryHeader is the Summary's table header row, repeated on every
	// printed page.
	summaryHeader int
	// detailSheets are the Detail's sheets, in order (see detail), of
	// detailRows rows at most each.
	detailSheets []detailSheetName
	detailRows   int
}

// detailSheetName is a Detail sheet's name and whether it starts with the
// items' header row (every sheet but one that only holds the
// reconciliation block).
type detailSheetName struct {
	name   string
	header bool
}

// The Detail sheet's number formats: amounts with at least two and up to
// ten decimals, grouped; rates and quantities with up to ten decimals.
const (
	exactAmountFormat = "#,##0.00########;-#,##0.00########"
	rateFormat        = "0.00########"
)

// detailNumber is a line item's figure as a number cell in its format:
// amounts and rates formatted, quantities as Excel shows them (General).
func (x *xlsxDoc) detailNumber(key string, d decimal.Decimal) any {
	switch key {
	case "usage_amount":
		return number(d)
	case "unblended_rate", "blended_rate":
		return excelize.Cell{StyleID: x.rate, Value: number(d)}
	}
	return excelize.Cell{StyleID: x.exactAmount, Value: number(d)}
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
		{&x.exactAmount, excelize.Style{CustomNumFmt: ptr(exactAmountFormat)}},
		{&x.rate, excelize.Style{CustomNumFmt: ptr(rateFormat)}},
		{&x.invoiceAmount, excelize.Style{CustomNumFmt: ptr(excelFormat(v.Invoice.Currency))}},
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
