package document

import (
	"bytes"
	"image"
	_ "image/jpeg" // logos are PNG or JPEG (customer.CheckLogo)
	_ "image/png"
	"strconv"
	"strings"

	"github.com/signintech/gopdf"

	"rebill/engine/customer"
	"rebill/engine/invoice"
)

// Logo box: a logo is scaled to fit, keeping its proportions.
const (
	logoMaxW = 170.0
	logoMaxH = 58.0
)

// header draws the first page's top: the reseller (logo, name, address,
// tax number, contact) and the document's title, then the customer's
// contact block beside the document's facts (number, dates, period,
// status).
func (d *pdfDoc) header() {
	d.letterhead()
	d.headerRest()
}

// letterhead draws the reseller at the top of a first page: its logo (or
// its name as a wordmark) at the left, its details at the right. The
// invoice and every letter (reminder, statement of account) share it.
func (d *pdfDoc) letterhead() {
	s := d.inv.Seller
	// Left: the logo, or the company name as a wordmark without one.
	leftBottom := d.y
	h, hasLogo := d.logo(left, d.y)
	if hasLogo {
		leftBottom = d.y + h
	} else if s.CompanyName != "" {
		d.setFont(true, 16, accent)
		d.text(left, d.y, 250, d.fit(s.CompanyName, 250), gopdf.Left)
		leftBottom = d.y + 16*lineGap
	}
	// Right: the reseller's details, right-aligned, under its name when
	// a logo stands at the left; without one the wordmark is the name,
	// printed once.
	y := d.y
	if hasLogo {
		d.setFont(true, 10.5, ink)
		d.text(right-230, y, 230, s.CompanyName, gopdf.Right)
		y += 10.5 * lineGap
	}
	d.setFont(false, 8.5, muted)
	for _, l := range sellerLines(s) {
		d.text(right-230, y, 230, d.fit(l, 230), gopdf.Right)
		y += 8.5 * lineGap
	}
	d.y = max(leftBottom, y) + 18
}

// headerRest is the rest of the first page's top, under the letterhead.
func (d *pdfDoc) headerRest() {
	// The title and, under it, the number.
	d.setFont(true, 24, accent)
	d.text(left, d.y, 300, strings.ToUpper(title(d.inv)), gopdf.Left)
	d.y += 24 * 1.2
	d.setFont(false, 10, muted)
	num := d.inv.Number
	if num == "" {
		num = "Draft, not yet numbered"
	}
	d.text(left, d.y, 300, num, gopdf.Left)
	d.y += 10*lineGap + 14

	// The customer, left; the document's facts, right.
	top := d.y
	d.setFont(true, 7.5, muted)
	d.text(left, top, 200, "BILL TO", gopdf.Left)
	y := top + 7.5*lineGap + 2
	c := d.inv.Customer
	d.setFont(true, 10, ink)
	d.text(left, y, 250, d.fit(c.Name, 250), gopdf.Left)
	y += 10 * lineGap
	d.setFont(false, 8.5, ink)
	for _, l := range customerLines(c) {
		d.text(left, y, 250, d.fit(l, 250), gopdf.Left)
		y += 8.5 * lineGap
	}
	billBottom := y

	y = top
	for _, f := range facts(d.v) {
		d.setFont(false, 8.5, muted)
		d.text(totalsLeft, y, 120, f[0], gopdf.Left)
		d.setFont(f[0] == "Status", 8.5, ink)
		d.text(right-150, y, 150, d.fit(f[1], 150), gopdf.Right)
		y += 8.5*lineGap + 1.5
	}
	d.y = max(billBottom, y) + 18
	d.tableHeader()
}

// logo draws the reseller's logo with its top-left corner at (x, y),
// scaled into the logo box, and returns its height. A logo that cannot be
// read is left out rather than stopping the invoice: the profile checked
// it when it was set.
func (d *pdfDoc) logo(x, y float64) (float64, bool) {
	b := d.inv.Seller.Logo
	if len(b) == 0 || d.err != nil {
		return 0, false
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil || cfg.Width == 0 || cfg.Height == 0 {
		return 0, false
	}
	scale := min(logoMaxW/float64(cfg.Width), logoMaxH/float64(cfg.Height))
	w, h := float64(cfg.Width)*scale, float64(cfg.Height)*scale
	img, err := gopdf.ImageHolderByBytes(b)
	if err != nil {
		return 0, false
	}
	if err := d.pdf.ImageByHolder(img, x, y, &gopdf.Rect{W: w, H: h}); err != nil {
		return 0, false
	}
	return h, true
}

// sellerLines are the reseller's printed details under its name.
func sellerLines(s invoice.Seller) []string {
	lines := append([]string{}, s.Address...)
	lines = append(lines, taxIDs(s.TaxNumber, s.EInvoice.VATID)...)
	for _, l := range []string{s.Email, s.Phone, s.Website} {
		if l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// customerLines are the customer's contact block under its name.
func customerLines(c invoice.Party) []string {
	var lines []string
	if c.Contact.Name != "" {
		lines = append(lines, "Attn. "+c.Contact.Name)
	}
	lines = append(lines, c.Contact.Address...)
	if c.Contact.Country != "" {
		lines = append(lines, c.Contact.Country)
	}
	lines = append(lines, taxIDs(c.TaxNumber, c.EInvoice.VATID)...)
	if c.Contact.Email != "" {
		lines = append(lines, c.Contact.Email)
	}
	return lines
}

// facts are the document's label/value pairs beside the customer block.
func facts(v invoice.View) [][2]string {
	inv := v.Invoice
	dash := func(s string) string {
		if s == "" {
			return "—"
		}
		return s
	}
	out := [][2]string{{title(inv) + " number", dash(inv.Number)}, {"Issue date", dash(dateText(inv.IssueDate))}}
	if inv.Kind == invoice.KindCreditNote {
		out = append(out, [2]string{"Credits invoice", dash(inv.CorrectsNumber)})
	} else {
		due := dateText(inv.DueDate)
		if inv.IssueDate.IsZero() {
			due = strconv.Itoa(inv.Customer.TermsDays) + " days after issue"
		}
		out = append(out, [2]string{"Due date", due})
	}
	out = append(out, [2]string{"Billing period", periodText(inv.Period)})
	if c, ok := cloudText(inv); ok {
		out = append(out, [2]string{"Cloud", c})
	}
	out = append(out, [2]string{"Customer ID", inv.CustomerID})
	// The buyer's own references (the e-invoice's BT-10 and BT-13) are
	// printed too, so the PDF matches its e-invoice and the buyer's
	// accounts payable can match the paper to its order.
	if r := inv.Customer.EInvoice.Reference; r != "" {
		out = append(out, [2]string{"Your reference", r})
	}
	if o := inv.Customer.EInvoice.Order; o != "" {
		out = append(out, [2]string{"Purchase order", o})
	}
	if v.Conversion != nil {
		out = append(out, [2]string{"Shown in", v.Conversion.To + " (invoiced in " + v.Conversion.From + ")"})
	}
	out = append(out, [2]string{"Status", statusText(inv)})
	return out
}

// statusText is the status as printed: with the payment date once paid.
func statusText(inv invoice.Invoice) string {
	switch inv.Status {
	case invoice.Closed:
		if !inv.PaidDate.IsZero() {
			return inv.Settled() + " " + dateText(inv.PaidDate)
		}
	case invoice.Void:
		if !inv.VoidDate.IsZero() {
			return "Void since " + dateText(inv.VoidDate)
		}
	}
	return inv.StatusLabel(inv.Status)
}

// runningHeader heads every page after the first: who, which document,
// for whom, so a loose page is still identified.
func (d *pdfDoc) runningHeader() {
	d.setFont(true, 9, ink)
	d.text(left, d.y, 220, d.fit(d.inv.Seller.CompanyName, 220), gopdf.Left)
	d.setFont(false, 8.5, muted)
	d.text(right-270, d.y, 270, d.fit(docName(d.inv)+"  ·  "+periodText(d.inv.Period), 270), gopdf.Right)
	d.y += 9 * lineGap
	d.hline(left, right, d.y+2, 0.5, ruleGrey)
	d.y += 16
}

// runningHeaderH is the height runningHeader takes.
const runningHeaderH = 9*lineGap + 16

// taxIDs are a party's printed tax identifiers: its tax number, and its
// VAT identifier (entered for e-invoices) when that is another one. A VAT
// invoice must show the seller's VAT number, and the customer's on a
// reverse charge, so one entered only for e-invoicing is printed too.
func taxIDs(taxNumber, vatID string) []string {
	var lines []string
	if taxNumber != "" {
		lines = append(lines, "Tax ID "+taxNumber)
	}
	if vatID != "" && customer.CompactID(vatID) != customer.CompactID(taxNumber) {
		lines = append(lines, "VAT ID "+vatID)
	}
	return lines
}
