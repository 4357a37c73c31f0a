package document

import (
	"fmt"

	"rebill/engine/customer"
)

// Attachment is one document a customer receives with an issued invoice
// or credit note: the format it is rendered in (Render, as `invoices
// export` renders it), its file name and its media type.
type Attachment struct {
	Format      Format
	Name        string // e.g. "NCP-2026-00001.pdf"
	ContentType string // e.g. "application/pdf"
}

// Attachments are the documents a customer who wants the e-invoice
// format want receives with the document numbered number: the PDF, plus
// the e-invoice in that format (UBL, CII or XRechnung as XML). Factur-X
// replaces the plain PDF, since it is that PDF with the CII embedded; a
// customer who wants none receives the PDF alone. A format Rebill does not
// write is refused.
func Attachments(number string, want customer.EInvoiceFormat) ([]Attachment, error) {
	var fs []Format
	switch want {
	case customer.EInvoiceNone:
		fs = []Format{FormatPDF}
	case customer.EInvoiceFacturX:
		fs = []Format{FormatFacturX}
	case customer.EInvoicePeppol, customer.EInvoiceCII, customer.EInvoiceXRechnung:
		fs = []Format{FormatPDF, Format(want)}
	default:
		return nil, fmt.Errorf("e-invoice format %q is not one of none, ubl, cii, xrechnung, facturx: choose one in the customer's E-invoicing settings", want)
	}
	out := make([]Attachment, len(fs))
	for i, f := range fs {
		out[i] = Attachment{Format: f, Name: number + f.Ext(), ContentType: f.MediaType()}
	}
	return out, nil
}
