package ui

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"rebill/engine/customer"
	"rebill/engine/document"
)

// TestEInvoiceDownload: an issued invoice's view offers the e-invoice
// formats under Download > E-invoice, and each downloads through the
// same export as the PDF; a draft offers none.
func TestEInvoiceDownload(t *testing.T) {
	h, _ := invoiceHarness(t)
	if _, err := h.db.UpdateProfile(func(p *customer.Profile) error {
		p.EInvoice = customer.SellerEInvoice{VATID: "GB987654321", LegalID: "5060000000009", LegalScheme: "0088",
			Address: "GB987654321", AddressScheme: "9932", IBAN: "GB29NWBK60161331926819"}
		return nil
	}, testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := h.db.UpdateCustomer("ACME", func(c *customer.Customer) error {
		c.Contact.Country = "GB"
		c.EInvoice = customer.BuyerEInvoice{Format: customer.EInvoicePeppol, VATID: "GB101202030", Address: "GB101202030", AddressScheme: "9932", Order: "PO-1"}
		return nil
	}, testNow); err != nil {
		t.Fatal(err)
	}
	approvedSeptember(t, h)
	inv := h.invoices()
	h.state.show("Invoices")
	inv.month.SetSelected("2024-09")
	inv.selectInvoice(inv.row(t, "ACME").Invoice.ID)
	test.Tap(inv.viewBtn)
	v := inv.viewer
	if !v.einvoice.Visible() {
		t.Fatal("an issued invoice offers no e-invoice")
	}
	test.Tap(v.einvoice)
	for _, e := range eInvoiceFormats {
		if !h.shows(e.label) {
			t.Errorf("the E-invoice menu has no %q", e.label)
		}
	}
	dir := t.TempDir()
	ubl := exportFile(t, v, document.FormatUBL, filepath.Join(dir, "INV-2024-0001.xml"))
	for _, want := range []string{"<cbc:ID>INV-2024-0001</cbc:ID>", "peppol.eu:2017:poacc:billing:3.0", "<cbc:ID>PO-1</cbc:ID>"} {
		if !bytes.Contains(ubl, []byte(want)) {
			t.Errorf("the UBL has no %s", want)
		}
	}
	if !strings.HasSuffix(v.fileName(document.FormatFacturX), ".pdf") || !strings.HasSuffix(v.fileName(document.FormatCII), ".xml") {
		t.Errorf("file names %q %q", v.fileName(document.FormatFacturX), v.fileName(document.FormatCII))
	}
}
