package document

import (
	"strings"

	"github.com/signintech/gopdf"

	"rebill/engine/invoice"
)

// Totals block rows, in points.
const (
	totalsRowH = 16.0
	totalH     = 28.0
)

// totals draws the closing block, kept on one page: at the right the
// breakdown of the subtotal, the subtotal, discount, credits, each tax and
// the total in a band (and, in a display currency, what is payable in the
// invoice's own); at the left, how to pay, where a reader looks for it
// beside the total.
func (d *pdfDoc) totals() {
	rows, pay, height, payH := d.totalsBlock()
	payW := totalsLeft - 24 - left
	d.need(height, false)
	d.y += 14
	top := d.y

	d.setFont(true, 8.5, accent)
	d.text(left, top+3.5, payW, "PAYMENT", gopdf.Left)
	d.setFont(false, 8.5, ink)
	for i, l := range pay {
		d.text(left, top+3.5+8.5*lineGap+3+float64(i)*8.5*lineGap, payW, l, gopdf.Left)
	}

	for _, r := range rows {
		switch r.kind {
		case kindTotal:
			d.y += 4
			d.fill(totalsLeft-8, d.y, right-totalsLeft+8, totalH, bandGrey)
			d.hline(totalsLeft-8, right, d.y, 1.2, accent)
			d.setFont(true, 11.5, accent)
			amt := withSign(r.amount, r.currency)
			labelW := amountRight - totalsLeft - d.width(amt) - 12
			d.text(amountRight-150, d.y+(totalH-11.5)/2, 150, amt, gopdf.Right)
			d.setFont(true, 10.5, accent)
			d.text(totalsLeft, d.y+(totalH-10.5)/2, labelW, d.fit(r.label, labelW), gopdf.Left)
			d.y += totalH
		default:
			if r.kind == kindSubtotal || r.kind == kindBalance {
				d.hline(totalsLeft, amountRight, d.y, 0.5, ruleGrey)
			}
			d.setFont(r.kind == kindSubtotal, 9, ink)
			if r.kind == kindBalance {
				d.setFont(true, 10, accent)
			}
			if r.part || r.kind == kindPayable {
				d.setFont(false, 9, muted)
			}
			amt := withSign(r.amount, r.currency)
			labelW := amountRight - totalsLeft - d.width(amt) - 12
			d.text(totalsLeft, d.y+3.5, labelW, d.fit(r.label, labelW), gopdf.Left)
			d.text(amountRight-120, d.y+3.5, 120, amt, gopdf.Right)
			d.y += totalsRowH
		}
	}
	d.y = max(d.y, top+payH)
}

// totalsBlock measures the totals block: its rows, the payment text
// wrapped to its column, the whole block's height (with the gap above it)
// and the payment column's.
func (d *pdfDoc) totalsBlock() (rows []summaryRow, pay []string, height, payH float64) {
	rows = summaryRows(d.v)
	h := 0.0
	for _, r := range rows {
		if r.kind == kindTotal {
			h += totalH + 4
		} else {
			h += totalsRowH
		}
	}
	payW := totalsLeft - 24 - left
	d.setFont(false, 8.5, ink)
	for _, t := range paymentText(d.v) {
		pay = append(pay, d.wrap(t, payW)...)
	}
	payH = 8.5*lineGap + 3 + float64(len(pay))*8.5*lineGap
	return rows, pay, 14 + max(h, payH), payH
}

// afterword draws what follows the totals (Afterword).
func (d *pdfDoc) afterword() {
	d.y += 22
	for _, p := range Afterword(d.v) {
		d.paragraph(p.Heading, p.Lines)
	}
}

// Paragraph is a small heading over its text, as the documents print
// what follows the totals.
type Paragraph struct {
	Heading string
	Lines   []string
}

// Afterword is what every face prints after the totals block, in order:
// the exchange rates the charges were converted at, the display
// currency's rate (and what is payable in the invoice's own currency),
// why no VAT is charged, and the notes. Paragraphs without text are left
// out. The PDF and the window's preview both print it, so they cannot say
// different things.
func Afterword(v invoice.View) []Paragraph {
	inv, f := v.Invoice, v.Figures
	var out []Paragraph
	if len(f.Rates) > 0 {
		var rs []string
		for _, r := range f.Rates {
			s := rateText(r)
			if r.Source != "" {
				s += " (" + r.Source + ")"
			}
			rs = append(rs, s)
		}
		out = append(out, Paragraph{"Exchange rates", []string{"Charges billed in another currency were converted at " + strings.Join(rs, "; ") + "."}})
	}
	if c := v.Conversion; c != nil {
		payable := "The " + inv.Kind.Label() + " is payable in " + c.From + ": " + withSign(inv.Total, c.From)
		if s := v.Settlement; s != nil && s.Balance.Decimal().IsPositive() {
			payable += ", of which " + withSign(s.Balance, c.From) + " is still due"
		}
		out = append(out, Paragraph{"Display currency", []string{
			"Amounts are shown in " + c.To + " for information, converted from " + c.From + " at " + rateText(*c) +
				" (" + c.Source + ", " + dateText(c.Date) + "). Each line is converted and rounded to the " + c.To +
				" minor unit; subtotals and the total are sums of the converted lines. " + payable + "."}})
	}
	// An invoice without tax says why, in the words its e-invoice gives
	// (BT-120): an EU reseller's reverse-charge invoice must say so on
	// the document the customer reads, not only in the XML beside it.
	if u := inv.Customer.EInvoice.Untaxed(); len(f.TaxLines) == 0 && u.Chosen && u.Reason != "" {
		out = append(out, Paragraph{"VAT", []string{u.Reason}})
	}
	var notes []string
	if inv.Reason != "" {
		notes = append(notes, "Reason: "+inv.Reason)
	}
	notes = append(notes, inv.Notes...)
	if len(notes) > 0 {
		out = append(out, Paragraph{"Notes", notes})
	}
	return out
}

// paymentText says how to pay, or why nothing is to be paid.
func paymentText(v invoice.View) []string {
	inv := v.Invoice
	total := withSign(inv.Total, inv.Currency)
	var out []string
	switch {
	case inv.Status == invoice.Draft:
		out = append(out, "This is a draft for review: it is not a request for payment.")
	case inv.Status == invoice.Void:
		out = append(out, "This "+inv.Kind.Label()+" was voided on "+dateText(inv.VoidDate)+" ("+inv.VoidReason+"). Nothing is due on it.")
		return out
	case inv.Kind == invoice.KindCreditNote:
		out = append(out, "This credit note credits "+strings.TrimPrefix(total, "-")+" against invoice "+inv.CorrectsNumber+".")
		return out
	case inv.Status == invoice.Closed && inv.ClosedBy == invoice.ClosedByCreditNotes:
		return append(out, "Credited in full on "+dateText(inv.PaidDate)+": nothing is due on this invoice.")
	case inv.Status == invoice.Closed:
		s := inv.Settled() + " on " + dateText(inv.PaidDate)
		if inv.PaymentRef != "" {
			s += " (reference " + inv.PaymentRef + ")"
		}
		return append(out, s+". Thank you.")
	case v.Settlement != nil && v.Settlement.Balance.Decimal().IsPositive():
		balance := withSign(v.Settlement.Balance, inv.Currency)
		out = append(out, "Please pay the balance of "+balance+" by "+dateText(inv.DueDate)+", quoting "+inv.Number+".")
	case v.Settlement != nil:
		return append(out, "Nothing is due on this invoice: "+settledText(*v.Settlement)+".")
	case inv.Total.Decimal().IsPositive():
		out = append(out, "Please pay "+total+" by "+dateText(inv.DueDate)+", quoting "+inv.Number+".")
	default:
		out = append(out, "Nothing is due on this invoice.")
	}
	return append(out, inv.Seller.PaymentDetails()...)
}

// settledText says what settled an Open invoice's total: "credited",
// "paid" or "credited and paid".
func settledText(s invoice.Settlement) string {
	credited, paid := false, false
	for _, e := range s.Entries {
		paid = paid || e.IsPayment()
		credited = credited || !e.IsPayment()
	}
	switch {
	case credited && paid:
		return "it was credited and paid"
	case paid:
		return "it was paid"
	}
	return "it was credited"
}

// paragraph draws a small heading and its text, wrapped to the page
// width and kept on one page; nothing when there is no text.
func (d *pdfDoc) paragraph(heading string, text []string) {
	if len(text) == 0 {
		return
	}
	d.setFont(false, 8.5, ink)
	var lines []string
	for _, t := range text {
		lines = append(lines, d.wrap(t, right-left)...)
	}
	h := 8.5*lineGap + 3 + float64(len(lines))*8.5*lineGap + 12
	d.need(h, false)
	d.setFont(true, 8.5, accent)
	d.text(left, d.y, 300, strings.ToUpper(heading), gopdf.Left)
	d.y += 8.5*lineGap + 3
	d.setFont(false, 8.5, ink)
	for _, l := range lines {
		d.text(left, d.y, right-left, l, gopdf.Left)
		d.y += 8.5 * lineGap
	}
	d.y += 10
}
