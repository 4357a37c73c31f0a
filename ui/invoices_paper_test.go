package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/customer"
	"rebill/engine/invoice"
)

// paperWords is the text of a preview's objects, in order.
func paperWords(objs []fyne.CanvasObject) string {
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch o := o.(type) {
		case *canvas.Text:
			out = append(out, o.Text)
		case *widget.Label:
			out = append(out, o.Text)
		case *fyne.Container:
			for _, c := range o.Objects {
				walk(c)
			}
		}
	}
	for _, o := range objs {
		walk(o)
	}
	return strings.Join(out, " | ")
}

// TestPaperAfterwordIsThePDFs: the preview prints after its totals what
// the PDF prints (document.Afterword), in the same words: here why a
// reverse-charge invoice charges no VAT, which the preview used to leave
// out, and a display currency's note with the balance still due.
func TestPaperAfterwordIsThePDFs(t *testing.T) {
	inv := invoice.Invoice{Kind: invoice.KindInvoice, Status: invoice.Open, Number: "INV-1", Reason: "",
		Customer: invoice.Party{EInvoice: customer.BuyerEInvoice{VATCategory: customer.VATReverseCharge}}}
	words := paperWords(paperAfterword(inv.View()))
	if !strings.Contains(words, "VAT | Reverse charge") {
		t.Errorf("the preview does not say why no VAT is charged: %s", words)
	}
}
