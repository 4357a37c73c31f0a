package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"rebill/engine/customer"
)

// TestCustomerEInvoiceSection: the customer form's E-invoicing section
// saves what e-invoices need, shows a bad scheme under its field, and
// shows a saved customer's settings again.
func TestCustomerEInvoiceSection(t *testing.T) {
	h := newHarness(t)
	h.state.show("Customers")
	s := h.customers()
	h.addCustomer("FABRIKAM", "Fabrikam Analytics GmbH", "EMEA")
	s.selectCustomer("FABRIKAM")
	f := s.form
	f.einvoiceFormat.SetSelected(eInvoiceFormatLabels[customer.EInvoiceXRechnung])
	test.Type(f.einvoice["electronic_address"], "DE123456789")
	test.Type(f.einvoice["electronic_address_scheme"], "99")
	if got := problemOf(s, "electronic_address_scheme"); !strings.Contains(got, `"99" is not an EAS code`) || !f.save.Disabled() {
		t.Errorf("scheme problem %q, save disabled %v", got, f.save.Disabled())
	}
	f.einvoice["electronic_address_scheme"].SetText("9930")
	test.Type(f.einvoice["buyer_reference"], "04011000-12345-67")
	test.Type(f.einvoice["vat_id"], "de 123 456 789")
	if f.save.Disabled() {
		t.Fatalf("Save is disabled: %q", h.texts())
	}
	test.Tap(f.save)
	c, err := h.db.Customer("FABRIKAM")
	if err != nil {
		t.Fatal(err)
	}
	want := customer.BuyerEInvoice{Format: customer.EInvoiceXRechnung, VATID: "DE123456789", Address: "DE123456789", AddressScheme: "9930", Reference: "04011000-12345-67"}
	if c.EInvoice != want {
		t.Errorf("saved %+v, want %+v", c.EInvoice, want)
	}
	f.fill(customer.Customer{ID: "X", Name: "X"})
	f.fill(c)
	if f.einvoiceFormat.Selected != "XRechnung" || f.einvoice["vat_id"].Text != "DE123456789" {
		t.Errorf("shown again: %q %q", f.einvoiceFormat.Selected, f.einvoice["vat_id"].Text)
	}
}

// TestSettingsEInvoiceSection: Settings > E-invoicing saves the
// reseller's e-invoice data through the profile's keys, and refuses an
// IBAN whose check digits are wrong under its field.
func TestSettingsEInvoiceSection(t *testing.T) {
	h := newHarness(t)
	h.state.show("Settings")
	s := h.settings()
	test.Type(s.company, "Nimbus Cloud Partners Ltd")
	s.einvoice["iban"].SetText("GB29 NWBK 6016 1331 9268 18")
	if got := s.fields["iban"].problems(); !strings.Contains(got, "does not check out") || !s.save.Disabled() {
		t.Errorf("IBAN problem %q", got)
	}
	s.einvoice["iban"].SetText("GB29 NWBK 6016 1331 9268 19")
	s.einvoice["vat_id"].SetText("GB987654321")
	s.country.SetText("gb")
	if s.save.Disabled() {
		t.Fatalf("Save is disabled: %q", h.texts())
	}
	test.Tap(s.save)
	p, err := h.db.Profile()
	if err != nil {
		t.Fatal(err)
	}
	if p.EInvoice.IBAN != "GB29NWBK60161331926819" || p.EInvoice.VATID != "GB987654321" || p.Country != "GB" {
		t.Errorf("saved %+v, country %q", p.EInvoice, p.Country)
	}
}
