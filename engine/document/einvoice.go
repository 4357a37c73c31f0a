package document

import (
	"bytes"
	"fmt"
	"io"

	"rebill/engine/einvoice"
	"rebill/engine/invoice"
)

// EInvoice writes the invoice of a view as an e-invoice in format f (one
// of the IsEInvoice formats), from the same stored invoice the PDF
// prints. The e-invoice stays in the invoice's own currency: a view in
// a display currency adds that currency's VAT total (BT-6, BT-111).
// Factur-X is this view's PDF, made a PDF/A-3 carrying the CII.
func EInvoice(w io.Writer, f Format, v invoice.View) error {
	if !f.IsEInvoice() {
		return fmt.Errorf("format %q is not an e-invoice", f)
	}
	var disp *einvoice.Display
	if v.Conversion != nil {
		disp = &einvoice.Display{Currency: v.Figures.Currency, Tax: v.Figures.Tax.Decimal()}
	}
	d, err := einvoice.Build(v.Invoice, einvoice.Format(f), disp)
	if err != nil {
		return err
	}
	switch f {
	case FormatUBL:
		return einvoice.UBL(w, d, false)
	case FormatXRechnung:
		return einvoice.UBL(w, d, true)
	case FormatCII:
		return einvoice.CII(w, d)
	}
	var pdf, cii bytes.Buffer
	if err := PDF(&pdf, v); err != nil {
		return err
	}
	if err := einvoice.CII(&cii, d); err != nil {
		return err
	}
	return einvoice.FacturX(w, pdf.Bytes(), cii.Bytes(), einvoice.FacturXMeta{Title: docName(v.Invoice),
		Author: v.Invoice.Seller.CompanyName, Creator: "Rebill", Day: v.Invoice.IssueDate.String()})
}
