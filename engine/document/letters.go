package document

import (
	"fmt"
	"io"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/signintech/gopdf"

	"rebill/engine/billing"
	"rebill/engine/invoice"
	"rebill/engine/words"
)

// Letters: the reseller's documents about receivables, drawn with the
// invoice's letterhead, fonts and palette (pdfDoc) so that a customer
// recognises them: a payment reminder, a statement of account, and the
// ageing report for the reseller's own files.

// Reminder is what a payment reminder prints: the Past Due invoice, what
// is still open on it, as of a day.
type Reminder struct {
	Seller   invoice.Seller // the reseller as it is today (the profile)
	Invoice  invoice.Invoice
	Open     decimal.Decimal // what is owed on it
	Paid     decimal.Decimal // its payments so far
	Credited decimal.Decimal // its issued credit notes, positive
	AsOf     invoice.Date    // the letter's date
}

// letter is a PDF being drawn with the invoice's primitives; its pages
// carry a small running header after the first and a footer naming it.
type letter struct {
	*pdfDoc
	name string // "Payment reminder INV-2026-00012"
}

func newLetter(seller invoice.Seller, party invoice.Party, name string) (*letter, error) {
	fc, err := fonts()
	if err != nil {
		return nil, err
	}
	inv := invoice.Invoice{Seller: seller, Customer: party, Status: invoice.Open}
	d := &pdfDoc{pdf: &gopdf.GoPdf{}, inv: inv, v: invoice.View{Invoice: inv}}
	d.pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	d.pdf.SetInfo(gopdf.PdfInfo{Title: name, Author: seller.CompanyName, Creator: "Rebill"})
	for _, fam := range []string{fontRegular, fontBold} {
		if err := d.pdf.AddTTFFontFromFontContainer(fam, fc); err != nil {
			return nil, err
		}
	}
	l := &letter{pdfDoc: d, name: name}
	d.pdf.AddPage()
	d.y = top
	d.letterhead()
	return l, nil
}

// heading prints the letter's title and, under it, a muted subtitle.
func (l *letter) heading(title, sub string) {
	l.setFont(true, 20, accent)
	l.text(left, l.y, right-left, title, gopdf.Left)
	l.y += 20 * 1.3
	l.setFont(false, 10, muted)
	l.text(left, l.y, right-left, sub, gopdf.Left)
	l.y += 10*lineGap + 12
}

// addressee prints the customer's contact block.
func (l *letter) addressee(c invoice.Party) {
	l.setFont(true, 10, ink)
	l.text(left, l.y, 260, l.fit(c.Name, 260), gopdf.Left)
	l.y += 10 * lineGap
	l.setFont(false, 8.5, ink)
	for _, s := range customerLines(c) {
		l.text(left, l.y, 260, l.fit(s, 260), gopdf.Left)
		l.y += 8.5 * lineGap
	}
	l.y += 16
}

// para prints wrapped running text, each of texts from a new line.
func (l *letter) para(texts ...string) {
	l.setFont(false, 10, ink)
	for _, s := range texts {
		for _, line := range l.wrap(s, right-left) {
			l.need(10 * lineGap)
			l.text(left, l.y, right-left, line, gopdf.Left)
			l.y += 10 * lineGap
		}
	}
	l.y += 8
}

// need starts a new page, with a running header, unless h more points
// fit on this one.
func (l *letter) need(h float64) {
	if l.y+h <= bottom {
		return
	}
	l.pdf.AddPage()
	l.y = top
	l.setFont(true, 9, ink)
	l.text(left, l.y, 220, l.fit(l.inv.Seller.CompanyName, 220), gopdf.Left)
	l.setFont(false, 8.5, muted)
	l.text(right-270, l.y, 270, l.fit(l.name, 270), gopdf.Right)
	l.y += runningHeaderH
}

// row prints cells in columns: x is each column's left edge, w its width,
// right-aligned where alignRight says.
func (l *letter) row(cells []string, x, w []float64, alignRight []bool, bold bool, size float64) {
	l.need(size*lineGap + 4)
	l.setFont(bold, size, ink)
	for i, c := range cells {
		a := gopdf.Left
		if alignRight[i] {
			a = gopdf.Right
		}
		l.text(x[i], l.y, w[i], l.fit(c, w[i]), a)
	}
	l.y += size*lineGap + 3
}

// rowWrapping is row with column wrap's text wrapped onto as many lines
// as it needs instead of cut: a movement's description holds the reason
// a document was voided, which the reader needs whole.
func (l *letter) rowWrapping(cells []string, x, w []float64, alignRight []bool, wrap int, size float64) {
	l.setFont(false, size, ink)
	lines := l.wrap(cells[wrap], w[wrap])
	if len(lines) <= 1 {
		l.row(cells, x, w, alignRight, false, size)
		return
	}
	l.need(float64(len(lines))*size*lineGap + 4)
	first := append([]string{}, cells...)
	first[wrap] = lines[0]
	for i, c := range first {
		a := gopdf.Left
		if alignRight[i] {
			a = gopdf.Right
		}
		l.text(x[i], l.y, w[i], l.fit(c, w[i]), a)
	}
	for _, line := range lines[1:] {
		l.y += size * lineGap
		l.text(x[wrap], l.y, w[wrap], l.fit(line, w[wrap]), gopdf.Left)
	}
	l.y += size*lineGap + 3
}

// band prints a table's header row on the grey band.
func (l *letter) band(cells []string, x, w []float64, alignRight []bool) {
	l.need(20)
	l.fill(left, l.y-3, right-left, 8*lineGap+6, bandGrey)
	l.row(cells, x, w, alignRight, true, 8)
	l.y += 2
}

// finish writes the footers and the file.
func (l *letter) finish(w io.Writer) error {
	n := l.pdf.GetNumberOfPages()
	who := l.inv.Seller.CompanyName
	if who != "" {
		who += "  ·  "
	}
	for i := 1; i <= n && l.err == nil; i++ {
		l.err = l.pdf.SetPage(i)
		l.hline(left, right, footerY-8, 0.5, ruleGrey)
		l.setFont(false, 7.5, muted)
		l.text(left, footerY, 330, l.fit(who+l.name, 330), gopdf.Left)
		l.text(right-120, footerY, 120, fmt.Sprintf("Page %d of %d", i, n), gopdf.Right)
	}
	if l.err != nil {
		return fmt.Errorf("rendering %s: %w", l.name, l.err)
	}
	_, err := l.pdf.WriteTo(w)
	return err
}

// amountText writes an amount grouped at its currency's minor unit: "1,234.50".
func amountText(d decimal.Decimal, currency string) string {
	return grouped(billing.HalfUp.Round(d, currency), currency)
}

// ReminderPDF renders a payment reminder for a Past Due invoice: the
// reseller's letterhead, the customer, the invoice with its dates, what
// is still open, and how to pay (the profile's payment instructions).
func ReminderPDF(w io.Writer, r Reminder) error {
	inv, cur := r.Invoice, r.Invoice.Currency
	l, err := newLetter(r.Seller, inv.Customer, "Payment reminder "+inv.Number)
	if err != nil {
		return err
	}
	l.heading("Payment reminder", dateText(r.AsOf))
	l.addressee(inv.Customer)
	days, _ := invoice.AgeOf(inv.DueDate, r.AsOf)
	l.para(fmt.Sprintf("Our records show that invoice %s of %s, for %s and due on %s, is %s past due.",
		inv.Number, dateText(inv.IssueDate), periodText(inv.Period), dateText(inv.DueDate), words.Plural(days, "day", "days")))
	x, wd, ar := []float64{left, right - 160}, []float64{300, 160}, []bool{false, true}
	l.band([]string{"Invoice " + inv.Number, cur}, x, wd, ar)
	l.row([]string{"Invoice total", amountText(inv.Total.Decimal(), cur)}, x, wd, ar, false, 9.5)
	if r.Credited.IsPositive() {
		l.row([]string{"Credited", "−" + amountText(r.Credited, cur)}, x, wd, ar, false, 9.5)
	}
	if r.Paid.IsPositive() {
		l.row([]string{"Paid", "−" + amountText(r.Paid, cur)}, x, wd, ar, false, 9.5)
	}
	l.hline(right-160, right, l.y, 0.6, ruleGrey)
	l.y += 4
	l.row([]string{"Open amount", cur + " " + amountText(r.Open, cur)}, x, wd, ar, true, 10.5)
	l.y += 12
	l.para(fmt.Sprintf("Please pay the open amount of %s %s at your earliest convenience, quoting %s. If you have paid it in the last few days, please accept our thanks and disregard this reminder.",
		cur, amountText(r.Open, cur), inv.Number))
	l.paymentDetails(r.Seller)
	if contact := strings.Join(nonEmpty(r.Seller.Email, r.Seller.Phone), ", "); contact != "" {
		l.para("Questions about this invoice: " + contact + ".")
	}
	return l.finish(w)
}

// paymentDetails says how to pay the seller (Seller.PaymentDetails), a
// line each; nothing when nothing is entered.
func (l *letter) paymentDetails(seller invoice.Seller) {
	if d := seller.PaymentDetails(); len(d) > 0 {
		d[0] = "Payment details: " + d[0]
		l.para(d...)
	}
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

// StatementOfAccountPDF renders a customer's statement of account: the
// opening balance, each document and payment with the running balance,
// the closing balance.
func StatementOfAccountPDF(w io.Writer, seller invoice.Seller, a invoice.Account) error {
	cur := a.Currency
	l, err := newLetter(seller, a.Customer, "Statement of account "+a.ID+" "+a.From.String()+" to "+a.Until.String())
	if err != nil {
		return err
	}
	l.heading("Statement of account", dateText(a.From)+" to "+dateText(a.Until)+"  ·  "+cur)
	l.addressee(a.Customer)
	x := []float64{left, left + 70, left + 226, right - 225, right - 150, right - 75}
	wd := []float64{68, 154, 96, 70, 70, 75}
	ar := []bool{false, false, false, true, true, true}
	l.band([]string{"Date", "Description", "Document", "Debit", "Credit", "Balance"}, x, wd, ar)
	l.row([]string{dateText(a.From), "Opening balance", "", "", "", amountText(a.Opening, cur)}, x, wd, ar, true, 8.5)
	for _, m := range a.Lines {
		debit, credit := "", ""
		if !m.Debit.IsZero() {
			debit = amountText(m.Debit, cur)
		}
		if !m.Credit.IsZero() {
			credit = amountText(m.Credit, cur)
		}
		desc := m.Description
		if m.Reference != "" {
			desc += " (" + m.Reference + ")"
		}
		l.rowWrapping([]string{dateText(m.Date), desc, m.Document, debit, credit, amountText(m.Balance, cur)}, x, wd, ar, 1, 8.5)
	}
	l.hline(left, right, l.y, 0.6, ruleGrey)
	l.y += 4
	l.row([]string{dateText(a.Until), "Closing balance", "", "", "", amountText(a.Closing, cur)}, x, wd, ar, true, 9)
	l.y += 12
	switch {
	case a.Closing.IsPositive():
		l.para(fmt.Sprintf("Balance due: %s %s.", cur, amountText(a.Closing, cur)))
	case a.Closing.IsNegative():
		l.para(fmt.Sprintf("We owe you %s %s.", cur, amountText(a.Closing.Neg(), cur)))
	default:
		l.para("Your account is settled. Thank you.")
	}
	if a.Closing.IsPositive() {
		l.paymentDetails(seller)
	}
	return l.finish(w)
}

// AgeingPDF renders the ageing report: one row per customer and currency,
// what it owes by days past due, and each currency's totals.
func AgeingPDF(w io.Writer, seller invoice.Seller, a invoice.Ageing) error {
	l, err := newLetter(seller, invoice.Party{}, "Ageing of receivables as of "+a.AsOf.String())
	if err != nil {
		return err
	}
	l.heading("Ageing of receivables", "Open amounts as of "+dateText(a.AsOf)+", by days past due")
	cols := []string{"Customer", "Cur."}
	for _, b := range invoice.AgeBuckets {
		cols = append(cols, b.Short())
	}
	cols = append(cols, "Total")
	x, wd, ar := []float64{left, left + 118}, []float64{116, 28}, []bool{false, false}
	for i := range len(invoice.AgeBuckets) + 1 {
		x = append(x, left+150+float64(i)*57.5)
		wd = append(wd, 57)
		ar = append(ar, true)
	}
	l.band(cols, x, wd, ar)
	for _, r := range a.Rows {
		cells := []string{r.Customer + " " + r.Name, r.Currency}
		for _, b := range r.Buckets {
			cells = append(cells, amountText(b, r.Currency))
		}
		l.row(append(cells, amountText(r.Total, r.Currency)), x, wd, ar, false, 8)
	}
	l.hline(left, right, l.y, 0.6, ruleGrey)
	l.y += 4
	for _, t := range a.Totals {
		cells := []string{"Total", t.Currency}
		for _, b := range t.Buckets {
			cells = append(cells, amountText(b, t.Currency))
		}
		l.row(append(cells, amountText(t.Total, t.Currency)), x, wd, ar, true, 8)
	}
	if len(a.Rows) == 0 {
		l.para("Nothing was owed as of " + dateText(a.AsOf) + ".")
	}
	return l.finish(w)
}
