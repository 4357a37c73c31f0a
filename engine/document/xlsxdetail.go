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
func (x *xlsxDoc) detail(items Items) (detailTotals, error) {
	var totals detailTotals
	if err := x.pageSetup(detailSheet, "landscape"); err != nil { // 34 columns
		return totals, err
	}
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
	for _, c := range chargeColumns {
		if err := sw.SetColWidth(col, col, c.width); err != nil {
			return totals, err
		}
		head = append(head, excelize.Cell{StyleID: x.header, Value: c.label})
		col++
		if c.dec != nil {
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
		err = items(func(di DetailItem) error {
			it := di.Item
			row++
			totals.add(di)
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
			return sw.SetRow(cell("A", row), values)
		})
		if err != nil {
			return totals, err
		}
	}
	if err := x.reconciliation(sw, row, totals); err != nil {
		return totals, err
	}
	last, _ := excelize.ColumnNumberToName(len(head))
	// The filter is set on the worksheet the stream writer writes, before
	// Flush, so it is written with the sheet without re-reading it.
	if err := x.f.AutoFilter(detailSheet, "A1:"+cell(last, row), nil); err != nil {
		return totals, err
	}
	return totals, sw.Flush()
}

// reconciliation writes the block under the line items (after an empty
// row, outside the autofilter): per invoice line made of line items, the
// sum of its items' billed amounts at full precision, the invoice line's
// unrounded amount, the printed amount and whether the sum is the
// unrounded amount. The invoice's own figures are compared, not a display
// conversion. Nothing is written when the items carried no charge.
func (x *xlsxDoc) reconciliation(sw *excelize.StreamWriter, last int, totals detailTotals) error {
	f := x.v.Invoice.Figures
	recon := totals.reconciliation(f)
	if recon == nil {
		return nil
	}
	r := rows{sw: sw, row: last + 1}
	r.put(excelize.Cell{StyleID: x.bold, Value: "Reconciliation to the invoice (" + f.Currency + ", full precision)"})
	head := []string{"Section", "Service", "Line items", "Billed (sum)", "Billed (sum, exact)",
		"Invoice line unrounded", "Invoice line unrounded (exact)", "Printed", "Check"}
	hv := make([]any, len(head))
	for i, h := range head {
		hv[i] = excelize.Cell{StyleID: x.header, Value: h}
	}
	r.put(hv...)
	for _, c := range recon {
		unrounded, unroundedExact, printed := any(excelize.Cell{StyleID: x.exactAmount, Value: number(c.unrounded)}),
			any(exact(c.unrounded)), any(excelize.Cell{StyleID: x.invoiceAmount, Value: number(c.amount)})
		if c.printed == "" {
			unrounded, unroundedExact, printed = nil, nil, nil
		}
		r.put(orDash(string(c.key.section)), c.key.service, c.items, excelize.Cell{StyleID: x.exactAmount, Value: number(c.billed)},
			exact(c.billed), unrounded, unroundedExact, printed, c.check)
	}
	if inv := x.v.Invoice; !inv.Discount.IsZero() && x.v.Figures.Discount.IsZero() {
		// The Summary prints the lines with the uplift folded into their
		// prices (invoice.Figures.Printed); the items are billed before
		// it, so they are compared with the lines as computed.
		r.put(x.label(fmt.Sprintf("Lines as computed, before the uplift of %s of %s (%s %s) that the Summary's prices include.",
			percentText(inv.DiscountPercent), groupDigits(inv.DiscountBase.StringFixed(money.Places(inv.Currency))),
			inv.Currency, plain(inv.Discount, inv.Currency))))
	}
	return r.err
}
