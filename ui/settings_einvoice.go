package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/customer"
)

// eInvoiceSettings are the profile settings e-invoices need, by their
// profile keys (customer.ProfileKeys), in the order the E-invoicing
// section shows them. The country (BT-40) is Account information's.
var eInvoiceSettings = []struct{ key, label, placeholder, hint string }{
	{"vat_id", "VAT identifier", "e.g. GB987654321", "With its country prefix (BT-31): every e-invoice that charges VAT needs it."},
	{"legal_id", "Legal registration", "e.g. 5060000000009", "Your company's registration (BT-30): it identifies you on invoices not subject to VAT."},
	{"legal_id_scheme", "Registration scheme", "e.g. 0088", "Its ICD code: 0088 GLN, 0002 SIRENE, 0060 DUNS."},
	{"electronic_address", "Electronic address", "e.g. GB987654321", "Your Peppol participant id without its scheme, or an e-mail address with scheme EM (BT-34): Peppol and XRechnung need it."},
	{"electronic_address_scheme", "Address scheme", "e.g. 9932", "Its EAS code: 0208 Belgian company number, 9930 German VAT id, 9932 UK VAT number, 0088 GLN, EM e-mail address."},
	{"payment_means", "Payment means", "58", "UNTDID 4461 code: 58 SEPA credit transfer (the default with an IBAN), 30 credit transfer."},
	{"iban", "IBAN", "", "The account customers pay to: printed on invoices, reminders and statements after the payment instructions, and written into e-invoices (XRechnung needs it)."},
	{"bic", "BIC", "", ""},
}

// eInvoiceForm builds the E-invoicing section: one entry per setting,
// registered as the profile's other fields are, so problems show under
// them and Save reads them through Profile.Set.
func (s *settingsScreen) eInvoiceForm(cols *labelColumn, entry func(string) *widget.Entry, field func(key, label string, input fyne.CanvasObject, hint string) *formField) fyne.CanvasObject {
	s.einvoice = map[string]*widget.Entry{}
	items := make([]*formField, len(eInvoiceSettings))
	for i, e := range eInvoiceSettings {
		s.einvoice[e.key] = entry(e.placeholder)
		items[i] = field(e.key, e.label, s.einvoice[e.key], e.hint)
	}
	return cols.form(items...)
}

// fillEInvoice shows the profile's e-invoice settings.
func (s *settingsScreen) fillEInvoice(p customer.Profile) {
	for key, e := range s.einvoice {
		e.SetText(p.Get(key))
	}
}

// eInvoiceTexts are the E-invoicing entries by profile key.
func (s *settingsScreen) eInvoiceTexts() map[string]string {
	out := make(map[string]string, len(s.einvoice))
	for key, e := range s.einvoice {
		out[key] = e.Text
	}
	return out
}
