package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/customer"
)

// customerEInvoiceFields are the customer's e-invoice settings by their
// customer.Field names, in the order the E-invoicing section shows them
// (the format is a choice, the others are text).
var customerEInvoiceFields = []struct{ name, label, placeholder, hint string }{
	{"vat_id", "VAT identifier", "e.g. DE123456789", "With its country prefix (BT-48): a reverse-charge invoice needs it."},
	{"electronic_address", "Electronic address", "e.g. DE123456789", "The customer's Peppol participant id without its scheme, or an e-mail address with scheme EM (BT-49): Peppol and XRechnung need it."},
	{"electronic_address_scheme", "Address scheme", "e.g. 9930", "Its EAS code: 0208 Belgian company number, 9930 German VAT id, 0009 SIRET, 0088 GLN, EM e-mail address."},
	{"buyer_reference", "Buyer reference", "e.g. 04011000-12345-67", "The Leitweg-ID for XRechnung, or the reference the customer asks invoices to quote; printed on the PDF."},
	{"order_reference", "Purchase order", "", "The customer's purchase order number, printed on the PDF and in the e-invoice."},
	{"vat_category", "VAT category without tax", "O", "When no tax is charged: AE reverse charge (intra-EU B2B), E exempt, G export, Z zero rated; empty is O, not subject to VAT."},
	{"exemption_reason", "Exemption reason", "", "Why no VAT is charged, written into the e-invoice; empty gives the category's usual words."},
}

// eInvoiceFormatLabels are the format choices as the form shows them.
var eInvoiceFormatLabels = map[customer.EInvoiceFormat]string{
	customer.EInvoiceNone: "None", customer.EInvoicePeppol: "Peppol UBL", customer.EInvoiceCII: "CII",
	customer.EInvoiceXRechnung: "XRechnung", customer.EInvoiceFacturX: "Factur-X / ZUGFeRD",
}

// eInvoiceForm builds the E-invoicing section, its fields registered as
// the form's others are.
func (f *customerForm) eInvoiceForm(cols *labelColumn, entry func(string) *widget.Entry, field func(name, label string, input fyne.CanvasObject, hint string) *formField) fyne.CanvasObject {
	var labels []string
	for _, k := range customer.EInvoiceFormats {
		labels = append(labels, eInvoiceFormatLabels[k])
	}
	f.einvoiceFormat = widget.NewSelect(labels, func(string) { f.onChanged() })
	items := []*formField{field("einvoice_format", "E-invoice", f.einvoiceFormat,
		"The structured e-invoice the customer receives. Approval then refuses an invoice missing what that format needs. Belgian, French and German customers of a reseller in the same country are held to their country's mandate from its start.")}
	f.einvoice = map[string]*widget.Entry{}
	for _, e := range customerEInvoiceFields {
		f.einvoice[e.name] = entry(e.placeholder)
		items = append(items, field(e.name, e.label, f.einvoice[e.name], e.hint))
	}
	return cols.form(items...)
}

// fillEInvoice shows the customer's e-invoice settings.
func (f *customerForm) fillEInvoice(c customer.Customer) {
	f.einvoiceFormat.SetSelected(eInvoiceFormatLabels[c.EInvoice.Format])
	for name, e := range f.einvoice {
		fd, _ := customer.FieldNamed(name)
		e.SetText(fd.Get(&c))
	}
}

// eInvoiceTexts are the section's values by field name, as the CSV
// writes them.
func (f *customerForm) eInvoiceTexts() map[string]string {
	out := map[string]string{"einvoice_format": string(customer.EInvoiceNone)}
	for k, l := range eInvoiceFormatLabels {
		if l == f.einvoiceFormat.Selected {
			out["einvoice_format"] = string(k)
		}
	}
	for name, e := range f.einvoice {
		out[name] = e.Text
	}
	return out
}
