package document

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"rebill/engine/billing"
	"rebill/engine/invoice"
)

// summary writes the Summary sheet: the parties and facts, the lines by
// section, the totals block, then rates, payment and notes; totals is
// what the Detail sheet listed, for the reconciliation line at the end.
func (x *xlsxDoc) summary(totals detailTotals) error {
	if err := x.pageSetup(summarySheet, "portrait"); err != nil {
		return err
	}
	sw, err := x.f.NewStreamWriter(summarySheet)
	if err != nil {
		return err
	}
	for i, w := range []float64{26, 24, 52, 20} {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	r := &rows{sw: sw}
	x.summaryHead(r)
	sections := x.summaryLines(r)
	r.put()
	if err := x.summaryTotals(r, sections); err != nil {
		return err
	}
	r.put()
	for _, row := range x.summaryNotes(totals) {
		r.put(row...)
	}
	if r.err != nil {
		return r.err
	}
	return sw.Flush()
}

// label is a muted label cell.
func (x *xlsxDoc) label(s string) excelize.Cell { return excelize.Cell{StyleID: x.muted, Value: s} }

// date is a date cell, or a dash for no date.
func (x *xlsxDoc) day(d invoice.Date) any {
	if d.IsZero() {
		return "—"
	}
	return excelize.Cell{StyleID: x.date, Value: d.Time()}
}

// figure is a printed figure as a number in a currency style; with a
// formula, the figure is the formula's cached value.
func figure(a billing.Amount, style int, formula string) excelize.Cell {
	return excelize.Cell{StyleID: style, Formula: formula, Value: number(a.Decimal())}
}

// summaryHead writes the reseller, the title and the document's facts,
// as the PDF's header shows them.
func (x *xlsxDoc) summaryHead(r *rows) {
	inv := x.v.Invoice
	heading := strings.ToUpper(title(inv))
	if inv.Status == invoice.Draft || inv.Status == invoice.Void {
		heading += " — " + strings.ToUpper(inv.Status.Label())
	}
	r.put(excelize.Cell{StyleID: x.bold, Value: inv.Seller.CompanyName})
	r.put(strings.Join(sellerLines(inv.Seller), ", "))
	r.put()
	r.put(excelize.Cell{StyleID: x.title, Value: heading})
	r.put(x.label(title(inv)+" number"), orDash(inv.Number))
	r.put(x.label("Issue date"), x.day(inv.IssueDate))
	if inv.Kind == invoice.KindCreditNote {
		r.put(x.label("Credits invoice"), orDash(inv.CorrectsNumber))
	} else {
		r.put(x.label("Due date"), x.day(inv.DueDate))
	}
	r.put(x.label("Billing period"), periodText(inv.Period))
	if c, ok := cloudText(inv); ok {
		r.put(x.label("Cloud"), c)
	}
	r.put(x.label("Status"), excelize.Cell{StyleID: x.bold, Value: statusText(inv)})
	r.put(x.label("Bill to"), excelize.Cell{StyleID: x.bold, Value: inv.Customer.Name})
	r.put(x.label("Customer ID"), inv.CustomerID)
	if l := customerLines(inv.Customer); len(l) > 0 {
		r.put(x.label("Contact"), strings.Join(l, ", "))
	}
	r.put(x.label("Currency"), x.v.Figures.Currency)
	r.put()
}

// summaryLines writes the table: a header, then per section its title,
// its lines and its subtotal as a SUM over them. It returns the subtotal
// cell of each section, in order.
func (x *xlsxDoc) summaryLines(r *rows) []sectionCell {
	hs := func(s string) excelize.Cell { return excelize.Cell{StyleID: x.header, Value: s} }
	r.put(hs("Product type"), hs("Service"), hs("Description"), hs("Amount ("+x.v.Figures.Currency+")"))
	x.summaryHeader = r.row
	var out []sectionCell
	for _, sec := range x.v.Figures.Sections {
		r.put(excelize.Cell{StyleID: x.bold, Value: string(sec.ProductType)})
		first := r.row + 1
		for _, l := range sec.Lines {
			r.put(string(sec.ProductType), l.Service, l.Description(), figure(l.Amount, x.amount, ""))
		}
		r.put(nil, nil, excelize.Cell{StyleID: x.bold, Value: string(sec.ProductType) + " subtotal"},
			figure(sec.Subtotal, x.amountBold, fmt.Sprintf("SUM(D%d:D%d)", first, r.row)))
		out = append(out, sectionCell{sec.ProductType, cell("D", r.row)})
	}
	return out
}

// sectionCell is where a section's subtotal is.
type sectionCell struct {
	t   billing.ProductType
	ref string
}

// summaryTotals writes the totals block as summaryRows lists it; the
// figures that follow from others are formulas: the breakdown refers to
// the section subtotals, the subtotal adds them, the total adds the
// subtotal, discount, credits and taxes. Rows are numbered before they are
// written, because the breakdown above the subtotal refers to it.
func (x *xlsxDoc) summaryTotals(r *rows, sections []sectionCell) error {
	list := summaryRows(x.v)
	at := map[string]string{}
	var taxes []string
	for i, s := range list {
		if ref := cell("D", r.row+1+i); s.kind == kindTax {
			taxes = append(taxes, ref)
		} else {
			at[s.kind] = ref
		}
	}
	ref := func(kind string) string {
		if c, ok := at[kind]; ok {
			return c
		}
		return "0"
	}
	section := func(t billing.ProductType) string {
		for _, s := range sections {
			if s.t == t {
				return s.ref
			}
		}
		return "0"
	}
	for _, s := range list {
		var c excelize.Cell
		switch s.kind {
		case kindServices:
			c = figure(s.amount, x.amount, ref(kindSubtotal)+"-"+ref(kindSupport)+"-"+ref(kindMarketplace)+"-"+ref(kindRecurring))
		case kindSupport:
			c = figure(s.amount, x.amount, section(billing.Support))
		case kindMarketplace:
			c = figure(s.amount, x.amount, section(billing.Marketplace))
		case kindRecurring:
			c = figure(s.amount, x.amount, section(billing.Recurring))
		case kindSubtotal:
			refs := []string{"0"}
			if len(sections) > 0 {
				refs = refs[:0]
				for _, sc := range sections {
					refs = append(refs, sc.ref)
				}
			}
			c = figure(s.amount, x.amountBold, strings.Join(refs, "+"))
		case kindTotal:
			f := ref(kindSubtotal) + "+" + ref(kindDiscount) + "+" + ref(kindCredits)
			if len(taxes) > 0 {
				f += "+SUM(" + taxes[0] + ":" + taxes[len(taxes)-1] + ")"
			}
			c = figure(s.amount, x.amountBold, f)
		case kindPayable:
			id, err := x.f.NewStyle(&excelize.Style{CustomNumFmt: ptr(excelFormat(s.currency))})
			if err != nil {
				return err
			}
			c = figure(s.amount, id, "")
		default:
			c = figure(s.amount, x.amount, "")
		}
		lab := any(s.label)
		if s.kind == kindSubtotal || s.kind == kindTotal {
			lab = excelize.Cell{StyleID: x.bold, Value: s.label}
		}
		r.put(nil, nil, lab, c)
	}
	return nil
}

// detailNote says what the Detail holds and, when the items spill past one
// sheet's rows, over which sheets.
func (x *xlsxDoc) detailNote(totals detailTotals) []any {
	var items []string
	for _, d := range x.detailSheets {
		if d.header {
			items = append(items, d.name)
		}
	}
	switch len(items) {
	case 0, 1:
		return []any{x.label("Detail sheet"), totals.text()}
	case 2:
		return []any{x.label("Detail sheets"), totals.text() + "; the line items continue from " + items[0] + " on " + items[1]}
	default:
		return []any{x.label("Detail sheets"), totals.text() + "; the line items continue from " + items[0] + " on " + items[1] + " to " + items[len(items)-1]}
	}
}

// summaryNotes are the rows under the totals: exchange rates, the display
// rate, payment instructions, reason and notes, what the Detail sheet
// holds, and the audit log's end when the workbook was exported.
func (x *xlsxDoc) summaryNotes(totals detailTotals) [][]any {
	inv, c := x.v.Invoice, x.v.Conversion
	var out [][]any
	for _, r := range x.v.Figures.Rates {
		out = append(out, []any{x.label("Exchange rate"), rateText(r) + " (" + r.Source + ")"})
	}
	if c != nil {
		out = append(out, []any{x.label("Display rate"), rateText(*c) + " (" + c.Source + ", " + dateText(c.Date) +
			"); each line converted and rounded, totals are sums of converted lines"})
	}
	if p := strings.TrimSpace(inv.Seller.PaymentInstructions); p != "" && inv.Kind == invoice.KindInvoice {
		out = append(out, []any{x.label("Payment"), strings.ReplaceAll(p, "\n", " · ")})
	}
	if inv.Reason != "" {
		out = append(out, []any{x.label("Reason"), inv.Reason})
	}
	for _, n := range inv.Notes {
		out = append(out, []any{x.label("Note"), n})
	}
	out = append(out, x.detailNote(totals))
	if a := AuditText(x.v.Audit); a != "" {
		out = append(out, []any{x.label("Audit log"), a})
	}
	return out
}
