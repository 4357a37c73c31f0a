package document

import (
	"strings"

	"github.com/signintech/gopdf"

	"rebill/engine/invoice"
)

// Table rows, in points.
const (
	headerBandH = 20.0
	sectionH    = 19.0
	subtotalH   = 19.0
	lineText    = 9.0
	lineH       = lineText * lineGap
	serviceText = 7.5 // the service column's smaller type
	serviceH    = serviceText * lineGap
	linePad     = 3.0
	descX       = left + tableIndent + 10 // lines are indented under their section
	descW       = serviceX - descX - 12
	serviceW    = amountRight - 100 - serviceX
)

// tableHeader draws the column heads in a grey band; it starts the table
// on the first page and every page the table continues on.
func (d *pdfDoc) tableHeader() {
	d.fill(left, d.y, right-left, headerBandH, bandGrey)
	d.setFont(true, 7.5, muted)
	ty := d.y + (headerBandH-7.5)/2 - 0.5
	d.text(left+tableIndent, ty, 200, "DESCRIPTION", gopdf.Left)
	d.text(serviceX, ty, serviceW, "SERVICE", gopdf.Left)
	d.text(amountRight-140, ty, 140, "AMOUNT ("+d.f.Currency+")", gopdf.Right)
	d.y += headerBandH + 4
}

// table draws the lines by product type section, each section with its
// subtotal. A section heading never ends a page alone, nor does a
// subtotal start one without its section's last line, nor does the totals
// block start one without the last line: when the totals do not fit under
// the last line, the last line goes over with them, so the reader finds
// the totals beside the lines they add up (unless the last line and the
// totals would not fit on a page together, which no invoice comes near).
func (d *pdfDoc) table() {
	cur := d.f.Currency
	if len(d.f.Sections) == 0 {
		d.setFont(false, lineText, muted)
		d.text(descX, d.y+linePad, 300, "No charges in this period.", gopdf.Left)
		d.y += lineH + 2*linePad
		return
	}
	_, _, totalsH, _ := d.totalsBlock()
	// withTotals is the room the totals block needs under the last line
	// of height h, when the two fit on a new page together.
	withTotals := func(h float64) float64 {
		room := bottom - top - runningHeaderH - headerBandH - 4 - sectionH
		if h+subtotalH+3+totalsH > room {
			return 0
		}
		return 3 + totalsH
	}
	for si, s := range d.f.Sections {
		lastSection := si == len(d.f.Sections)-1
		_, _, first := d.lineCells(s.Lines[0])
		d.section = ""
		if lastSection && len(s.Lines) == 1 {
			d.need(sectionH+first+subtotalH+withTotals(first), true)
		} else {
			d.need(sectionH+first, true)
		}
		d.section = string(s.ProductType)
		d.setFont(true, 9.5, ink)
		d.text(left+tableIndent, d.y+6, 300, string(s.ProductType), gopdf.Left)
		d.y += sectionH
		for i, l := range s.Lines {
			desc, service, h := d.lineCells(l)
			switch {
			case i == len(s.Lines)-1 && lastSection:
				d.need(h+subtotalH+withTotals(h), true)
			case i == len(s.Lines)-1:
				d.need(h+subtotalH, true)
			default:
				d.need(h, true)
			}
			d.setFont(false, lineText, ink)
			for j, t := range desc {
				d.text(descX, d.y+float64(j)*lineH, descW, t, gopdf.Left)
			}
			d.setFont(false, serviceText, muted)
			for j, t := range service {
				d.text(serviceX, d.y+1+float64(j)*serviceH, serviceW, t, gopdf.Left)
			}
			d.setFont(false, lineText, ink)
			d.text(amountRight-120, d.y, 120, grouped(l.Amount, cur), gopdf.Right)
			d.y += h
		}
		d.hline(serviceX, amountRight, d.y+1.5, 0.5, ruleGrey)
		d.setFont(false, 8, muted)
		d.text(serviceX, d.y+6, serviceW, "Subtotal", gopdf.Left)
		d.setFont(true, lineText, ink)
		d.text(amountRight-120, d.y+5.5, 120, grouped(s.Subtotal, cur), gopdf.Right)
		d.y += subtotalH + 3
	}
	d.section = ""
}

// lineCells wraps a line's description, in the line font, and its
// service, in the smaller one, each to its column, and returns the row's
// height: the taller of the two. The service's words are printed whole,
// as the description's are: Azure's and Google Cloud's service names
// ("Azure Database for MySQL", "Advanced Data Security") are longer than
// AWS's product codes and were cut to "Azure Database for …". A code too
// wide for the column (a Marketplace product id) is still shortened: a
// code broken over two lines reads as two. A line whose service is its
// description prints it once.
func (d *pdfDoc) lineCells(l invoice.Line) (desc, service []string, h float64) {
	if l.Name != "" && l.Service != l.Name {
		d.setFont(false, serviceText, muted)
		service = d.wrapWords(l.Service, serviceW)
	}
	d.setFont(false, lineText, ink)
	desc = d.wrap(l.Description(), descW)
	h = max(float64(max(1, len(desc)))*lineH, float64(len(service))*serviceH)
	return desc, service, h + linePad
}

// wrapWords wraps s to width w at its spaces only, a word wider than w
// shortened with an ellipsis on a line of its own.
func (d *pdfDoc) wrapWords(s string, w float64) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line != "" && d.width(line+" "+word) <= w:
			line += " " + word
			continue
		case line != "":
			lines = append(lines, line)
		}
		line = d.fit(word, w)
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
