package document

import (
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/signintech/gopdf"

	"rebill/assets"
	"rebill/engine/invoice"
)

// The page: A4 portrait in points, with the margins of a printed letter.
const (
	pageW        = 595.28
	pageH        = 841.89
	left         = 50.0
	right        = pageW - 50.0
	top          = 46.0
	bottom       = pageH - 64.0 // content stops here; the footer is below
	footerY      = pageH - 38.0
	fontRegular  = "DejaVuSans"
	fontBold     = "DejaVuSans-Bold"
	lineGap      = 1.38 // line height as a multiple of the font size
	tableIndent  = 8.0
	serviceX     = 352.0 // the service code column
	amountRight  = right - tableIndent
	totalsLeft   = right - 262.0
	watermarkPts = 118.0
)

// rgb is a colour. The palette is ink for what is read, muted for labels
// and secondary facts, one accent for the title and the total, and two
// greys for rules and the table header band.
type rgb struct{ r, g, b uint8 }

var (
	ink       = rgb{33, 37, 41}
	muted     = rgb{108, 117, 125}
	accent    = rgb{22, 58, 99}
	ruleGrey  = rgb{206, 212, 218}
	bandGrey  = rgb{241, 243, 246}
	draftMark = rgb{232, 234, 237}
	voidMark  = rgb{250, 219, 222}
)

// fonts holds DejaVu Sans parsed once for every document: parsing 1.4 MB
// of TrueType per invoice would dominate rendering. Each document gets its
// own subset of it (gopdf copies the parsed font and starts an empty
// glyph map per document), so documents do not leak glyphs into each
// other and render identically in any order.
var fonts = sync.OnceValues(func() (*gopdf.FontContainer, error) {
	fc := &gopdf.FontContainer{}
	if err := fc.AddTTFFontData(fontRegular, assets.DejaVuSans); err != nil {
		return nil, fmt.Errorf("the embedded regular font cannot be read: %w", err)
	}
	if err := fc.AddTTFFontData(fontBold, assets.DejaVuSansBold); err != nil {
		return nil, fmt.Errorf("the embedded bold font cannot be read: %w", err)
	}
	return fc, nil
})

// pdfDoc is one PDF being drawn. Drawing calls record their first error
// in err and do nothing after it, so the layout code reads as a sequence
// of drawing steps; PDF returns the error.
type pdfDoc struct {
	pdf *gopdf.GoPdf
	v   invoice.View
	inv invoice.Invoice
	f   invoice.Figures
	y   float64 // where the next block starts
	// section is the product type whose lines are being drawn, so a page
	// that continues it says so under the table header.
	section string
	err     error
	size    float64 // current font size
}

// PDF renders the view as an A4 invoice or credit note: the reseller's
// logo and details, the customer's contact block, number, dates, period
// and status (a diagonal DRAFT or VOID watermark), the lines by product
// type with section subtotals, the totals block, payment instructions,
// exchange rates and notes; page numbers "Page 1 of 3" and the table
// header on every page. Output is deterministic: no creation date, no
// random ids.
func PDF(w io.Writer, v invoice.View) error {
	fc, err := fonts()
	if err != nil {
		return err
	}
	d := &pdfDoc{pdf: &gopdf.GoPdf{}, v: v, inv: v.Invoice, f: v.Figures}
	d.pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	d.pdf.SetInfo(gopdf.PdfInfo{Title: docName(v.Invoice), Author: v.Invoice.Seller.CompanyName, Creator: "Rebill"})
	for _, fam := range []string{fontRegular, fontBold} {
		if err := d.pdf.AddTTFFontFromFontContainer(fam, fc); err != nil {
			return err
		}
	}
	d.newPage()
	d.header()
	d.table()
	d.totals()
	d.afterword()
	d.footers()
	if d.err != nil {
		return fmt.Errorf("rendering %s: %w", docName(v.Invoice), d.err)
	}
	_, err = d.pdf.WriteTo(w)
	return err
}

// docName names the document in its title and footer: "Invoice
// INV-2026-00012", "Draft invoice ACME 2026-09".
func docName(inv invoice.Invoice) string {
	if inv.Number == "" {
		return "Draft " + inv.Kind.Label() + " " + inv.CustomerID + " " + inv.Period
	}
	return title(inv) + " " + inv.Number
}

// setFont chooses the font, size and colour of the text that follows.
func (d *pdfDoc) setFont(bold bool, size float64, c rgb) {
	if d.err != nil {
		return
	}
	fam := fontRegular
	if bold {
		fam = fontBold
	}
	d.err = d.pdf.SetFont(fam, "", size)
	d.size = size
	d.pdf.SetTextColor(c.r, c.g, c.b)
}

// text writes s in a box from x to x+w whose top is y, aligned left,
// right or centre (gopdf.Left, Right, Center).
//
// A no-break space, which kept words together while the text was wrapped
// (an IBAN's groups), is drawn as a plain space: a reader who copies the
// number from the PDF into a bank's form gets the spaces it expects.
func (d *pdfDoc) text(x, y, w float64, s string, align int) {
	if d.err != nil || s == "" {
		return
	}
	s = strings.ReplaceAll(s, "\u00a0", " ")
	d.pdf.SetXY(x, y)
	d.err = d.pdf.CellWithOption(&gopdf.Rect{W: w, H: d.size}, s, gopdf.CellOption{Align: align | gopdf.Top})
}

// width measures s in the current font.
func (d *pdfDoc) width(s string) float64 {
	if d.err != nil {
		return 0
	}
	w, err := d.pdf.MeasureTextWidth(s)
	if err != nil {
		d.err = err
	}
	return w
}

// wrap splits s into lines no wider than w in the current font, at word
// boundaries where it can.
func (d *pdfDoc) wrap(s string, w float64) []string {
	if d.err != nil || s == "" {
		return nil
	}
	lines, err := d.pdf.SplitTextWithWordWrap(s, w)
	if err != nil {
		d.err = err
	}
	return lines
}

// fit shortens s with an ellipsis until it fits w in the current font.
func (d *pdfDoc) fit(s string, w float64) string {
	if d.width(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && d.width(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// hline draws a horizontal rule.
func (d *pdfDoc) hline(x1, x2, y, width float64, c rgb) {
	d.pdf.SetLineWidth(width)
	d.pdf.SetStrokeColor(c.r, c.g, c.b)
	d.pdf.Line(x1, y, x2, y)
}

// fill paints a rectangle.
func (d *pdfDoc) fill(x, y, w, h float64, c rgb) {
	d.pdf.SetFillColor(c.r, c.g, c.b)
	d.pdf.RectFromUpperLeftWithStyle(x, y, w, h, "F")
}

// newPage starts a page: the watermark first (under everything), then,
// after the first page, the running header.
func (d *pdfDoc) newPage() {
	d.pdf.AddPage()
	d.watermark()
	d.y = top
	if d.pdf.GetNumberOfPages() > 1 {
		d.runningHeader()
	}
}

// need starts a new page unless h more points fit on this one; in the
// table, the new page repeats the table header.
func (d *pdfDoc) need(h float64, inTable bool) {
	if d.y+h <= bottom {
		return
	}
	d.newPage()
	if inTable {
		d.tableHeader()
		if d.section != "" {
			d.setFont(true, 9.5, muted)
			d.text(left+tableIndent, d.y+2, 300, d.section+" (continued)", gopdf.Left)
			d.y += sectionH - 4
		}
	}
}

// watermark marks a draft (never to be sent) or a voided invoice across
// the page, diagonally, in a pale colour under the content.
func (d *pdfDoc) watermark() {
	mark, c := "", draftMark
	switch d.inv.Status {
	case invoice.Draft:
		mark = "DRAFT"
	case invoice.Void:
		mark, c = "VOID", voidMark
	default:
		return
	}
	d.setFont(true, watermarkPts, c)
	w := d.width(mark)
	cx, cy := pageW/2, pageH/2
	d.pdf.Rotate(52, cx, cy)
	d.text(cx-w/2, cy-watermarkPts*0.36, w, mark, gopdf.Left)
	d.pdf.RotateReset()
}

// footers writes each page's footer once the page count is known: who
// issued which document, and "Page i of n"; under it, in small print, the
// audit log's end when the document was exported.
func (d *pdfDoc) footers() {
	n := d.pdf.GetNumberOfPages()
	who := d.inv.Seller.CompanyName
	if who != "" {
		who += "  ·  "
	}
	who += docName(d.inv)
	for i := 1; i <= n && d.err == nil; i++ {
		d.err = d.pdf.SetPage(i)
		d.hline(left, right, footerY-8, 0.5, ruleGrey)
		d.setFont(false, 7.5, muted)
		d.text(left, footerY, 300, who, gopdf.Left)
		d.text(right-120, footerY, 120, fmt.Sprintf("Page %d of %d", i, n), gopdf.Right)
		if audit := AuditText(d.v.Audit); audit != "" {
			d.setFont(false, 6, muted)
			d.text(left, footerY+11, right-left, audit, gopdf.Left)
		}
	}
}
