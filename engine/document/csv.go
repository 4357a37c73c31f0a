package document

import (
	"encoding/csv"
	"fmt"
	"io"

	"rebill/engine/invoice"
	"rebill/engine/words"
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
// Columns are detailColumns' keys, then the item's charge on the invoice
// (chargeColumns: charged_basis and billed in the invoice's currency,
// unrounded, and charge_note), empty when items carry no charge.
//
// With charges, reconciliation rows follow the items, one per invoice
// line made of line items, marked "reconciliation" in the billing_period
// column: product_name the line's section, product_code its service,
// billed the sum of its items' billed amounts, charge_note whether that
// sum is the line's unrounded amount, description both amounts and the
// printed one. v is the invoice whose line items they are; its own
// figures are compared, not a display conversion.
func DetailCSV(w io.Writer, v invoice.View, items Items) error {
	cw := csv.NewWriter(w)
	n := len(detailColumns) + len(chargeColumns)
	head := make([]string, 0, n)
	col := map[string]int{}
	for _, c := range detailColumns {
		col[c.key] = len(head)
		head = append(head, c.key)
	}
	for _, c := range chargeColumns {
		col[c.key] = len(head)
		head = append(head, c.key)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	var totals detailTotals
	row := make([]string, n)
	if items != nil {
		err := items(func(di DetailItem) error {
			it := di.Item
			totals.add(di)
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
			for j, c := range chargeColumns {
				i := len(detailColumns) + j
				switch {
				case di.Charge == nil:
					row[i] = ""
				case c.dec != nil:
					row[i] = exact(c.dec(di.Charge))
				default:
					row[i] = c.text(di.Charge)
				}
			}
			return cw.Write(row)
		})
		if err != nil {
			return err
		}
	}
	f := v.Invoice.Figures
	for _, r := range totals.reconciliation(f) {
		clear(row)
		row[col["billing_period"]] = "reconciliation"
		row[col["product_name"]] = string(r.key.section)
		row[col["product_code"]] = r.key.service
		row[col["billed"]] = exact(r.billed)
		row[col["charge_note"]] = r.check
		row[col["currency"]] = f.Currency
		row[col["description"]] = reconText(r, f.Currency)
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// reconText is a reconciliation row in words.
func reconText(r reconRow, currency string) string {
	s := fmt.Sprintf("%s: %s billed %s %s", reconLabel(r.key.section, r.key.service), words.Plural(int(r.items), "line item", "line items"), currency, exact(r.billed))
	if r.printed == "" {
		return s + "; no such line on the invoice"
	}
	return s + "; invoice line unrounded " + exact(r.unrounded) + ", printed " + r.printed
}
