package document

import (
	"github.com/xuri/excelize/v2"

	"rebill/engine/lineitem"
)

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
