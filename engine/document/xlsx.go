package document

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/xuri/excelize/v2"

	"rebill/engine/billing"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
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
		Created: "2006-01-02T00:00:00Z", Modified: "2006-01-02T00:00:00Z"}); err != nil {
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

// summary writes the Summary sheet; totals is what the Detail sheet
// listed, for the reconciliation line at the bottom.
func (x *xlsxDoc) summary(totals detailTotals) error {
	sw, err := x.f.NewStreamWriter(summarySheet)
	if err != nil {
		return err
	}
	for i, w := range []float64{26, 24, 52, 20} {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	v, inv, fig := x.v, x.v.Invoice, x.v.Figures
	cur := fig.Currency
	row := 0
	put := func(values ...any) error {
		row++
		return sw.SetRow(cell("A", row), values)
	}
	label := func(s string) excelize.Cell { return excelize.Cell{StyleID: x.muted, Value: s} }
	date := func(d invoice.Date) any {
		if d.IsZero() {
			return "—"
		}
		return excelize.Cell{StyleID: x.date, Value: d.Time()}
	}
	amount := func(a billing.Amount, style int) excelize.Cell {
		return excelize.Cell{StyleID: style, Value: number(a.Decimal())}
	}
	formula := func(f string, a billing.Amount, style int) excelize.Cell {
		return excelize.Cell{StyleID: style, Formula: f, Value: number(a.Decimal())}
	}

	s := inv.Seller
	heading := strings.ToUpper(title(inv))
	if inv.Status == invoice.Draft || inv.Status == invoice.Void {
		heading += " — " + strings.ToUpper(inv.Status.Label())
	}
	for _, r := range [][]any{
		{excelize.Cell{StyleID: x.bold, Value: s.CompanyName}},
		{strings.Join(sellerLines(s), ", ")},
		{},
		{excelize.Cell{StyleID: x.title, Value: heading}},
		{label(title(inv) + " number"), orDash(inv.Number)},
		{label("Issue date"), date(inv.IssueDate)},
	} {
		if err := put(r...); err != nil {
			return err
		}
	}
	if inv.Kind == invoice.KindCreditNote {
		err = put(label("Credits invoice"), orDash(inv.CorrectsNumber))
	} else {
		err = put(label("Due date"), date(inv.DueDate))
	}
	if err != nil {
		return err
	}
	facts := [][]any{
		{label("Billing period"), periodText(inv.Period)},
		{label("Status"), excelize.Cell{StyleID: x.bold, Value: statusText(inv)}},
		{label("Bill to"), excelize.Cell{StyleID: x.bold, Value: inv.Customer.Name}},
		{label("Customer ID"), inv.CustomerID},
	}
	if l := customerLines(inv.Customer); len(l) > 0 {
		facts = append(facts, []any{label("Contact"), strings.Join(l, ", ")})
	}
	facts = append(facts, []any{label("Currency"), cur}, []any{})
	for _, r := range facts {
		if err := put(r...); err != nil {
			return err
		}
	}

	hs := func(s string) excelize.Cell { return excelize.Cell{StyleID: x.header, Value: s} }
	if err := put(hs("Product type"), hs("Service"), hs("Description"), hs("Amount ("+cur+")")); err != nil {
		return err
	}
	subtotalCell := map[billing.ProductType]string{}
	var sectionCells []string
	for _, sec := range fig.Sections {
		if err := put(excelize.Cell{StyleID: x.bold, Value: string(sec.ProductType)}); err != nil {
			return err
		}
		first := row + 1
		for _, l := range sec.Lines {
			if err := put(string(sec.ProductType), l.Service, l.Description(), amount(l.Amount, x.amount)); err != nil {
				return err
			}
		}
		if err := put(nil, nil, excelize.Cell{StyleID: x.bold, Value: string(sec.ProductType) + " subtotal"},
			formula(fmt.Sprintf("SUM(D%d:D%d)", first, row), sec.Subtotal, x.amountBold)); err != nil {
			return err
		}
		subtotalCell[sec.ProductType] = cell("D", row)
		sectionCells = append(sectionCells, cell("D", row))
	}
	if err := put(); err != nil {
		return err
	}

	// The totals block: rows as summaryRows lists them, the derived ones
	// as formulas. Rows are numbered before they are written, because the
	// breakdown above the subtotal refers to it.
	rows := summaryRows(v)
	at := map[string]int{}
	var taxCells []string
	for i, r := range rows {
		n := row + 1 + i
		if r.kind == kindTax {
			taxCells = append(taxCells, cell("D", n))
		} else {
			at[r.kind] = n
		}
	}
	ref := func(kind string) string {
		if n, ok := at[kind]; ok {
			return cell("D", n)
		}
		return "0"
	}
	sectionRef := func(t billing.ProductType) string {
		if c, ok := subtotalCell[t]; ok {
			return c
		}
		return "0"
	}
	for _, r := range rows {
		style := x.amount
		var c excelize.Cell
		switch r.kind {
		case kindServices:
			c = formula(ref(kindSubtotal)+"-"+ref(kindSupport)+"-"+ref(kindMarketplace), r.amount, style)
		case kindSupport:
			c = formula(sectionRef(billing.Support), r.amount, style)
		case kindMarketplace:
			c = formula(sectionRef(billing.Marketplace), r.amount, style)
		case kindSubtotal:
			f := "0"
			if len(sectionCells) > 0 {
				f = strings.Join(sectionCells, "+")
			}
			c = formula(f, r.amount, x.amountBold)
		case kindTotal:
			f := ref(kindSubtotal) + "+" + ref(kindDiscount) + "+" + ref(kindCredits)
			if len(taxCells) > 0 {
				f += "+SUM(" + taxCells[0] + ":" + taxCells[len(taxCells)-1] + ")"
			}
			c = formula(f, r.amount, x.amountBold)
		case kindPayable:
			id, err := x.f.NewStyle(&excelize.Style{CustomNumFmt: ptr(excelFormat(r.currency))})
			if err != nil {
				return err
			}
			c = amount(r.amount, id)
		default:
			c = amount(r.amount, style)
		}
		lab := any(r.label)
		if r.kind == kindSubtotal || r.kind == kindTotal {
			lab = excelize.Cell{StyleID: x.bold, Value: r.label}
		}
		if err := put(nil, nil, lab, c); err != nil {
			return err
		}
	}

	var after [][]any
	if len(fig.Rates) > 0 {
		for _, r := range fig.Rates {
			after = append(after, []any{label("Exchange rate"), rateText(r) + " (" + r.Source + ")"})
		}
	}
	if c := v.Conversion; c != nil {
		after = append(after, []any{label("Display rate"), rateText(*c) + " (" + c.Source + ", " + dateText(c.Date) +
			"); each line converted and rounded, totals are sums of converted lines"})
	}
	if p := strings.TrimSpace(s.PaymentInstructions); p != "" && inv.Kind == invoice.KindInvoice {
		after = append(after, []any{label("Payment"), strings.ReplaceAll(p, "\n", " · ")})
	}
	if inv.Reason != "" {
		after = append(after, []any{label("Reason"), inv.Reason})
	}
	for _, n := range inv.Notes {
		after = append(after, []any{label("Note"), n})
	}
	after = append(after, []any{label("Detail sheet"), totals.text()})
	if err := put(); err != nil {
		return err
	}
	for _, r := range after {
		if err := put(r...); err != nil {
			return err
		}
	}
	return sw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// detail streams the line items into the Detail sheet and returns their
// totals.
func (x *xlsxDoc) detail(items Items) (detailTotals, error) {
	var totals detailTotals
	sw, err := x.f.NewStreamWriter(detailSheet)
	if err != nil {
		return totals, err
	}
	var head []any
	col := 1
	for _, c := range detailColumns {
		if err := sw.SetColWidth(col, col, c.width); err != nil {
			return totals, err
		}
		head = append(head, excelize.Cell{StyleID: x.header, Value: c.label})
		col++
		if c.money {
			if err := sw.SetColWidth(col, col, 24); err != nil {
				return totals, err
			}
			head = append(head, excelize.Cell{StyleID: x.header, Value: c.label + " (exact)"})
			col++
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return totals, err
	}
	if err := sw.SetRow("A1", head); err != nil {
		return totals, err
	}
	row := 1
	values := make([]any, len(head))
	if items != nil {
		err = items(func(it *lineitem.Item) error {
			row++
			totals.add(it)
			i := 0
			for _, c := range detailColumns {
				switch {
				case c.dec != nil:
					d := c.dec(it)
					values[i] = number(d)
					if c.money {
						i++
						values[i] = exact(d)
					}
				case c.time != nil:
					values[i] = nil
					if t := c.time(it); !t.IsZero() {
						values[i] = excelize.Cell{StyleID: x.dateTime, Value: t.UTC()}
					}
				default:
					values[i] = nil // an empty cell rather than an empty string
					if t := c.text(it); t != "" {
						values[i] = t
					}
				}
				i++
			}
			return sw.SetRow(cell("A", row), values)
		})
		if err != nil {
			return totals, err
		}
	}
	last, _ := excelize.ColumnNumberToName(len(head))
	// The filter is set on the worksheet the stream writer writes, before
	// Flush, so it is written with the sheet without re-reading it.
	if err := x.f.AutoFilter(detailSheet, "A1:"+cell(last, row), nil); err != nil {
		return totals, err
	}
	return totals, sw.Flush()
}
