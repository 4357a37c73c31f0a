package document

import (
	"fmt"
	"rebill/engine/money"

	"github.com/xuri/excelize/v2"
)

// detail streams the line items into the Detail sheet and returns their
// totals.
//
// How exact amounts are kept: every amount is a number cell with a number
// format (so it sums, filters and pivots, and reads as an amount), and
// each amount that must reconcile to the penny has an "(exact)" text
// column beside it with every digit the provider wrote. Both are needed:
// an Excel number is an IEEE double (excelize cannot store more), which
// holds 15 to 17 significant digits, while providers write up to 28
// decimals (Azure), so a number alone would lose digits, and text alone
// would not add up in Excel. The number formats show up to 10 decimals,
// enough for any cost a double holds to the cent; the sum of the number
// cells is the invoice's to the cent (tested), the exact text is what a
// reconciliation to the last digit reads.
//
// Excel holds at most 1,048,576 rows a sheet, and one customer's month of
// a large CUR can hold more line items: they continue on "Detail (2)",
// "Detail (3)"… (detailPage), each with the first sheet's header, frozen
// pane, autofilter and print setup, in the order written.
func (x *xlsxDoc) detail(items Items) (detailTotals, error) {
	var totals detailTotals
	head, widths := x.detailHeader()
	page, err := x.openDetail(head, widths)
	if err != nil {
		return totals, err
	}
	values := make([]any, len(head))
	if items != nil {
		err = items(func(di DetailItem) error {
			if page.row == x.detailRows {
				if err := page.close(); err != nil {
					return err
				}
				next, err := x.openDetail(head, widths)
				if err != nil {
					return err
				}
				page = next
			}
			totals.add(di)
			x.detailRow(values, di)
			page.row++
			return page.sw.SetRow(cell("A", page.row), values)
		})
		if err != nil {
			return totals, err
		}
	}
	recon := x.reconciliation(totals)
	if len(recon) > 0 && page.row+1+len(recon) > x.detailRows {
		// No room left under the items: the block goes on a sheet of its
		// own, from its first row.
		if err := page.close(); err != nil {
			return totals, err
		}
		if page, err = x.openDetail(nil, widths); err != nil {
			return totals, err
		}
		page.row = -1 // the gap above the block is not needed
	}
	r := rows{sw: page.sw, row: page.row + 1}
	for _, values := range recon {
		r.put(values...)
	}
	if r.err != nil {
		return totals, r.err
	}
	return totals, page.close()
}

// detailHeader is the Detail's header row and its columns' widths.
func (x *xlsxDoc) detailHeader() (head []any, widths []float64) {
	add := func(label string, width float64) {
		head = append(head, excelize.Cell{StyleID: x.header, Value: label})
		widths = append(widths, width)
	}
	for _, c := range detailColumns {
		add(c.label, c.width)
		if c.money {
			add(c.label+" (exact)", 24)
		}
	}
	for _, c := range chargeColumns {
		add(c.label, c.width)
		if c.dec != nil {
			add(c.label+" (exact)", 24)
		}
	}
	return head, widths
}

// detailRow fills values with one line item's cells.
func (x *xlsxDoc) detailRow(values []any, di DetailItem) {
	it := di.Item
	i := 0
	for _, c := range detailColumns {
		switch {
		case c.dec != nil:
			d := c.dec(it)
			values[i] = x.detailNumber(c.key, d)
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
	for _, c := range chargeColumns {
		switch {
		case c.dec != nil:
			values[i], values[i+1] = nil, nil
			if di.Charge != nil {
				d := c.dec(di.Charge)
				values[i], values[i+1] = excelize.Cell{StyleID: x.exactAmount, Value: number(d)}, exact(d)
			}
			i++
		default:
			values[i] = nil
			if di.Charge != nil {
				if t := c.text(di.Charge); t != "" {
					values[i] = t
				}
			}
		}
		i++
	}
}

// detailPage is one sheet of the Detail being streamed.
type detailPage struct {
	x      *xlsxDoc
	name   string
	sw     *excelize.StreamWriter
	row    int // the last row written
	filter string
}

// openDetail starts the next Detail sheet: "Detail", then "Detail (2)"…;
// with head, its header row, frozen, repeated on every printed page and
// filtered (over the items written, on close).
func (x *xlsxDoc) openDetail(head []any, widths []float64) (*detailPage, error) {
	p := &detailPage{x: x, name: detailSheet}
	if n := len(x.detailSheets); n > 0 {
		p.name = fmt.Sprintf("%s (%d)", detailSheet, n+1)
	}
	if _, err := x.f.NewSheet(p.name); err != nil {
		return nil, err
	}
	x.detailSheets = append(x.detailSheets, detailSheetName{p.name, head != nil})
	if err := x.pageSetup(p.name, "landscape"); err != nil { // 34 columns
		return nil, err
	}
	sw, err := x.f.NewStreamWriter(p.name)
	if err != nil {
		return nil, err
	}
	p.sw = sw
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return nil, err
		}
	}
	if head == nil {
		return p, nil
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	if err := sw.SetRow("A1", head); err != nil {
		return nil, err
	}
	p.row = 1
	p.filter, _ = excelize.ColumnNumberToName(len(head))
	return p, nil
}

// close sets the sheet's autofilter over its items (on the worksheet the
// stream writer writes, before Flush, so it is written with the sheet
// without re-reading it) and writes the sheet.
func (p *detailPage) close() error {
	if p.filter != "" {
		if err := p.x.f.AutoFilter(p.name, "A1:"+cell(p.filter, max(p.row, 1)), nil); err != nil {
			return err
		}
	}
	return p.sw.Flush()
}

// reconciliation is the block written under the line items (after an
// empty row, outside the autofilter), row by row: per invoice line made of line items, the
// sum of its items' billed amounts at full precision, the invoice line's
// unrounded amount, the printed amount and whether the sum is the
// unrounded amount. The invoice's own figures are compared, not a display
// conversion. Nothing is written when the items carried no charge.
func (x *xlsxDoc) reconciliation(totals detailTotals) [][]any {
	f := x.v.Invoice.Figures
	recon := totals.reconciliation(f)
	if recon == nil {
		return nil
	}
	var out [][]any
	put := func(values ...any) { out = append(out, values) }
	put(excelize.Cell{StyleID: x.bold, Value: "Reconciliation to the invoice (" + f.Currency + ", full precision)"})
	head := []string{"Section", "Service", "Line items", "Billed (sum)", "Billed (sum, exact)",
		"Invoice line unrounded", "Invoice line unrounded (exact)", "Printed", "Check"}
	hv := make([]any, len(head))
	for i, h := range head {
		hv[i] = excelize.Cell{StyleID: x.header, Value: h}
	}
	put(hv...)
	for _, c := range recon {
		unrounded, unroundedExact, printed := any(excelize.Cell{StyleID: x.exactAmount, Value: number(c.unrounded)}),
			any(exact(c.unrounded)), any(excelize.Cell{StyleID: x.invoiceAmount, Value: number(c.amount)})
		if c.printed == "" {
			unrounded, unroundedExact, printed = nil, nil, nil
		}
		put(orDash(string(c.key.section)), c.key.service, c.items, excelize.Cell{StyleID: x.exactAmount, Value: number(c.billed)},
			exact(c.billed), unrounded, unroundedExact, printed, c.check)
	}
	if inv := x.v.Invoice; !inv.Discount.IsZero() && x.v.Figures.Discount.IsZero() {
		// The Summary prints the lines with the uplift folded into their
		// prices (invoice.Figures.Printed); the items are billed before
		// it, so they are compared with the lines as computed.
		put(x.label(fmt.Sprintf("Lines as computed, before the uplift of %s of %s (%s %s) that the Summary's prices include.",
			percentText(inv.DiscountPercent), money.Text(inv.DiscountBase, inv.Currency),
			inv.Currency, plain(inv.Discount, inv.Currency))))
	}
	return out
}
