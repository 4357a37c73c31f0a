package ui

import (
	"bytes"
	"image"
	"image/color"
	_ "image/jpeg" // logos are PNG or JPEG (customer.CheckLogo)
	_ "image/png"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/billing"
	"rebill/engine/document"
	"rebill/engine/invoice"
)

// The invoice as the customer will see it, drawn with Fyne: the same
// blocks, in the same order and words, as engine/document's PDF (reseller,
// title and number, bill-to and facts, lines by product type with their
// subtotals, the totals block, payment, exchange rates and notes). It
// shows only the figures the view holds: nothing is added or rounded here.
// The paper is always dark ink on white, whatever the window's theme, as
// the printed document is.

// Paper colours, those of the PDF.
var (
	paperInk     = color.NRGBA{R: 33, G: 37, B: 41, A: 255}
	paperMuted   = color.NRGBA{R: 108, G: 117, B: 125, A: 255}
	paperAccent  = color.NRGBA{R: 22, G: 58, B: 99, A: 255}
	paperRule    = color.NRGBA{R: 206, G: 212, B: 218, A: 255}
	paperBand    = color.NRGBA{R: 241, G: 243, B: 246, A: 255}
	paperRed     = color.NRGBA{R: 200, G: 35, B: 51, A: 255}
	paperGreen   = color.NRGBA{R: 25, G: 135, B: 84, A: 255}
	paperOrange  = color.NRGBA{R: 176, G: 96, B: 0, A: 255}
	draftBand    = color.NRGBA{R: 255, G: 243, B: 205, A: 255}
	voidBand     = color.NRGBA{R: 248, G: 215, B: 218, A: 255}
	paperWhite   = color.NRGBA{R: 255, G: 255, B: 255, A: 255}
	paperMaxW    = float32(880)
	logoMaxW     = float32(230)
	logoMaxH     = float32(78)
	paperTextPts = float32(13)
)

// paperTheme draws the paper's widgets (the wrapped paragraphs) in the
// light variant.
type paperTheme struct{ fyne.Theme }

func (t paperTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, theme.VariantLight)
}

// paperText is one run of text on the paper.
func paperText(s string, size float32, c color.Color, bold bool, align fyne.TextAlign) *canvas.Text {
	t := canvas.NewText(s, c)
	t.TextSize = size
	t.TextStyle = fyne.TextStyle{Bold: bold}
	t.Alignment = align
	return t
}

// newInvoicePaper lays out the view as the customer's document, with the
// status as of now.
func newInvoicePaper(v invoice.View, now time.Time) fyne.CanvasObject {
	inv := v.Invoice
	var blocks []fyne.CanvasObject
	if b := statusBand(inv); b != nil {
		blocks = append(blocks, b)
	}
	blocks = append(blocks, paperHeader(inv), paperGap(14))
	title := paperText(strings.ToUpper(document.Title(inv)), 30, paperAccent, true, fyne.TextAlignLeading)
	num := inv.Number
	if num == "" {
		num = "Draft, not yet numbered"
	}
	blocks = append(blocks, title, paperText(num, paperTextPts, paperMuted, false, fyne.TextAlignLeading), paperGap(14))
	blocks = append(blocks, container.NewGridWithColumns(2, billTo(inv), paperFacts(v, now)), paperGap(16))
	blocks = append(blocks, paperLines(v.Figures)...)
	blocks = append(blocks, paperGap(10), paperTotals(v), paperGap(14))
	blocks = append(blocks, paperAfterword(v)...)

	bg := canvas.NewRectangle(paperWhite)
	bg.StrokeColor = paperRule
	bg.StrokeWidth = 1
	body := container.New(&paddedLayout{top: 30, bottom: 36, left: 40, right: 40}, container.NewVBox(blocks...))
	paper := container.NewStack(bg, body)
	return container.NewThemeOverride(container.New(&centerMaxLayout{max: paperMaxW}, paper), paperTheme{theme.DefaultTheme()})
}

// statusBand marks a draft (the PDF's watermark) or a voided document.
func statusBand(inv invoice.Invoice) fyne.CanvasObject {
	var text string
	var bg, fg color.Color
	switch inv.Status {
	case invoice.Draft:
		text, bg, fg = "DRAFT — for your review. The customer cannot see it until you approve it.", draftBand, paperOrange
	case invoice.Void:
		text, bg, fg = "VOID since "+document.DateText(inv.VoidDate)+" — "+inv.VoidReason+". Nothing is due on it; its number stays used.", voidBand, paperRed
	default:
		return nil
	}
	r := canvas.NewRectangle(bg)
	return container.NewStack(r, container.New(&paddedLayout{top: 6, bottom: 6, left: 10, right: 10},
		paperText(text, paperTextPts, fg, true, fyne.TextAlignLeading)))
}

// paperHeader is the reseller: the logo (or the name as a wordmark) at
// the left, the details at the right, under the name when a logo stands
// at the left (document.HasLogo: the name is printed once).
func paperHeader(inv invoice.Invoice) fyne.CanvasObject {
	s := inv.Seller
	var left fyne.CanvasObject = container.NewVBox(paperText(s.CompanyName, 20, paperAccent, true, fyne.TextAlignLeading))
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(s.Logo)); err == nil && cfg.Width > 0 && cfg.Height > 0 {
		// Scaled into the PDF's logo box, keeping its proportions, at the
		// left edge.
		scale := min(logoMaxW/float32(cfg.Width), logoMaxH/float32(cfg.Height))
		if img := canvas.NewImageFromReader(bytes.NewReader(s.Logo), "logo"); img != nil {
			img.FillMode = canvas.ImageFillContain
			img.SetMinSize(fyne.NewSize(float32(cfg.Width)*scale, float32(cfg.Height)*scale))
			left = container.NewVBox(container.New(&leftImageLayout{}, img))
		}
	}
	var right []fyne.CanvasObject
	if document.HasLogo(s) {
		right = append(right, paperText(s.CompanyName, 14, paperInk, true, fyne.TextAlignTrailing))
	}
	for _, l := range document.SellerLines(s) {
		right = append(right, paperText(l, 12, paperMuted, false, fyne.TextAlignTrailing))
	}
	return container.NewBorder(nil, nil, left, container.NewVBox(right...))
}

// billTo is the customer's contact block.
func billTo(inv invoice.Invoice) fyne.CanvasObject {
	c := inv.Customer
	out := []fyne.CanvasObject{paperText("BILL TO", 11, paperMuted, true, fyne.TextAlignLeading),
		paperText(c.Name, 14, paperInk, true, fyne.TextAlignLeading)}
	for _, l := range document.CustomerLines(c) {
		out = append(out, paperText(l, 12.5, paperInk, false, fyne.TextAlignLeading))
	}
	return container.NewVBox(out...)
}

// paperFacts are the document's number, dates, period, customer id and
// status, as the PDF prints them; the status in its colour as of now.
func paperFacts(v invoice.View, now time.Time) fyne.CanvasObject {
	inv := v.Invoice
	st := inv.Effective(now)
	var rows []fyne.CanvasObject
	for _, f := range document.Facts(v) {
		if f[0] == "Status" {
			// The PDF prints the stored status; on screen it is as of now,
			// so an Open invoice past its due date reads Past Due.
			f[1] = paperStatus(inv, st)
		}
		val := paperText(f[1], 12.5, paperInk, f[0] == "Status", fyne.TextAlignTrailing)
		if f[0] == "Status" {
			val.Color = paperStatusColor(st)
		}
		if f[0] == "Due date" && st == invoice.PastDue {
			val.Color, val.TextStyle.Bold = paperRed, true
		}
		rows = append(rows, container.NewBorder(nil, nil, paperText(f[0], 12.5, paperMuted, false, fyne.TextAlignLeading), val))
	}
	return container.NewVBox(rows...)
}

// paperStatus is the status as printed, as of now: the documents' words
// for a stored status, Past Due when an Open invoice is overdue.
func paperStatus(inv invoice.Invoice, st invoice.Status) string {
	if st == invoice.PastDue {
		return st.Label()
	}
	return document.StatusText(inv)
}

func paperStatusColor(st invoice.Status) color.Color {
	switch st {
	case invoice.PastDue, invoice.Void:
		return paperRed
	case invoice.Closed:
		return paperGreen
	case invoice.Draft:
		return paperOrange
	}
	return paperInk
}

// Columns of the lines table: the description takes what the service
// code and the amount leave.
var paperCols = []float32{190, 140}

// paperLines is the lines table: a header band, then each product type's
// lines and subtotal.
func paperLines(f invoice.Figures) []fyne.CanvasObject {
	band := canvas.NewRectangle(paperBand)
	head := newPaperRow(paperCols,
		paperText("DESCRIPTION", 11, paperMuted, true, fyne.TextAlignLeading),
		paperText("SERVICE", 11, paperMuted, true, fyne.TextAlignLeading),
		paperText("AMOUNT ("+f.Currency+")", 11, paperMuted, true, fyne.TextAlignTrailing))
	out := []fyne.CanvasObject{container.NewStack(band, container.New(&paddedLayout{top: 5, bottom: 5, left: 8, right: 8}, head))}
	if len(f.Sections) == 0 {
		return append(out, paperText("No charges in this period.", paperTextPts, paperMuted, false, fyne.TextAlignLeading))
	}
	for _, s := range f.Sections {
		out = append(out, paperGap(6), indent(8, paperText(string(s.ProductType), 14, paperInk, true, fyne.TextAlignLeading)))
		for _, l := range s.Lines {
			service := ""
			if l.Name != "" && l.Service != l.Name {
				service = l.Service
			}
			out = append(out, indent(18, newPaperRow(paperCols,
				paperText(l.Description(), paperTextPts, paperInk, false, fyne.TextAlignLeading),
				paperText(service, 11, paperMuted, false, fyne.TextAlignLeading),
				paperText(paperAmount(l.Amount), paperTextPts, paperInk, false, fyne.TextAlignTrailing))))
		}
		rule := canvas.NewRectangle(paperRule)
		rule.SetMinSize(fyne.NewSize(0, 1))
		out = append(out, container.New(&trailingLayout{w: paperCols[0] + paperCols[1] + 8}, rule),
			indent(18, newPaperRow(paperCols, paperText("", paperTextPts, paperInk, false, fyne.TextAlignLeading),
				paperText("Subtotal", 12, paperMuted, false, fyne.TextAlignLeading),
				paperText(paperAmount(s.Subtotal), paperTextPts, paperInk, true, fyne.TextAlignTrailing))))
	}
	return out
}

// paperAmount writes a figure with its currency's decimals and thousands
// separators, "1,234.57", as the amount column of the PDF.
func paperAmount(a billing.Amount) string { return groupDigits(a.String()) }

// paperTotals is the totals block at the right.
func paperTotals(v invoice.View) fyne.CanvasObject {
	var rows []fyne.CanvasObject
	for _, r := range document.SummaryRows(v) {
		switch {
		case r.Total:
			band := canvas.NewRectangle(paperBand)
			line := canvas.NewRectangle(paperAccent)
			line.SetMinSize(fyne.NewSize(0, 2))
			row := container.NewBorder(nil, nil, paperText(r.Label, 16, paperAccent, true, fyne.TextAlignLeading),
				paperText(document.WithSign(r.Amount), 18, paperAccent, true, fyne.TextAlignTrailing))
			rows = append(rows, paperGap(4), line, container.NewStack(band, container.New(&paddedLayout{top: 8, bottom: 8, left: 8, right: 8}, row)))
		default:
			c, bold := paperInk, r.Subtotal
			if r.Part {
				c = paperMuted
			}
			if r.Subtotal {
				rule := canvas.NewRectangle(paperRule)
				rule.SetMinSize(fyne.NewSize(0, 1))
				rows = append(rows, rule)
			}
			rows = append(rows, container.New(&paddedLayout{top: 3, bottom: 3, left: 8, right: 8}, container.NewBorder(nil, nil,
				paperText(r.Label, paperTextPts, c, bold, fyne.TextAlignLeading),
				paperText(document.WithSign(r.Amount), paperTextPts, c, bold, fyne.TextAlignTrailing))))
		}
	}
	return container.New(&trailingLayout{w: 400}, container.NewVBox(rows...))
}

// paperAfterword is what follows the totals: how to pay, then what the
// PDF prints after its totals (document.Afterword).
func paperAfterword(v invoice.View) []fyne.CanvasObject {
	out := paperParagraph("Payment", document.PaymentLines(v))
	for _, p := range document.Afterword(v) {
		out = append(out, paperParagraph(p.Heading, p.Lines)...)
	}
	return out
}

// paperParagraph is a small heading over wrapped text; nothing without
// text.
func paperParagraph(heading string, text []string) []fyne.CanvasObject {
	if len(text) == 0 {
		return nil
	}
	out := []fyne.CanvasObject{paperGap(6), paperText(strings.ToUpper(heading), 11, paperAccent, true, fyne.TextAlignLeading)}
	for _, t := range text {
		l := widget.NewLabel(t)
		l.Wrapping = fyne.TextWrapWord
		out = append(out, container.New(&paddedLayout{top: -6, bottom: -6, left: -8}, l))
	}
	return out
}

// paperGap is vertical space.
func paperGap(h float32) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(0, h))
	return r
}

// indent moves an object right.
func indent(w float32, o fyne.CanvasObject) fyne.CanvasObject {
	return container.New(&paddedLayout{left: w}, o)
}
