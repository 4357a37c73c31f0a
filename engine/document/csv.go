package document

import (
	"encoding/csv"
	"io"

	"rebill/engine/invoice"
	"rebill/engine/lineitem"
)

// csvHeader names the invoice CSV's columns.
var csvHeader = []string{"document", "kind", "product_type", "service", "description", "amount", "currency"}

// CSV writes the view's printed figures, one row each: every line
// (kind "line"), each section's subtotal ("section_subtotal"), then the
// totals block as the PDF prints it ("services", "support",
// "marketplace", "subtotal", "discount", "credits_applied", "tax",
// "total", and "payable" in a display currency). Amounts are plain
// decimals with the currency's decimals ("1234.57", JPY "229230"), so a
// program reads them exactly; the "line" rows plus discount, credits and
// tax rows add up to the total.
func CSV(w io.Writer, v invoice.View) error {
	cw := csv.NewWriter(w)
	doc := docRef(v.Invoice)
	cur := v.Figures.Currency
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, s := range v.Figures.Sections {
		for _, l := range s.Lines {
			if err := cw.Write([]string{doc, "line", string(s.ProductType), l.Service, l.Description(), plain(l.Amount, cur), cur}); err != nil {
				return err
			}
		}
		if err := cw.Write([]string{doc, "section_subtotal", string(s.ProductType), "", string(s.ProductType) + " subtotal", plain(s.Subtotal, cur), cur}); err != nil {
			return err
		}
	}
	for _, r := range summaryRows(v) {
		if err := cw.Write([]string{doc, r.kind, "", "", r.label, plain(r.amount, r.currency), r.currency}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// docRef names the document in a CSV row: its number, or the draft's id.
func docRef(inv invoice.Invoice) string {
	if inv.Number != "" {
		return inv.Number
	}
	return "draft-" + inv.ID
}

// DetailCSV writes the source line items behind the invoice, one row
// each, every amount exactly as the provider wrote it (full precision,
// never scientific notation): the detailed export that sums to the penny.
// Columns are detailColumns' keys.
func DetailCSV(w io.Writer, items Items) error {
	cw := csv.NewWriter(w)
	head := make([]string, len(detailColumns))
	for i, c := range detailColumns {
		head[i] = c.key
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	row := make([]string, len(detailColumns))
	if items != nil {
		err := items(func(it *lineitem.Item) error {
			for i, c := range detailColumns {
				switch {
				case c.dec != nil:
					row[i] = exact(c.dec(it))
				case c.time != nil:
					row[i] = timeText(c.time(it))
				default:
					row[i] = c.text(it)
				}
			}
			return cw.Write(row)
		})
		if err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
