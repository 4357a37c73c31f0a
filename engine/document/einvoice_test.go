package document_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"rebill/engine/customer"
	"rebill/engine/document"
	"rebill/engine/invoice"
)

// withEInvoice gives a fixture invoice the parties' e-invoice data.
func withEInvoice(inv invoice.Invoice) invoice.Invoice {
	inv.Seller.EInvoice = customer.SellerEInvoice{VATID: "GB987654321", LegalID: "5060000000009", LegalScheme: "0088",
		Address: "GB987654321", AddressScheme: "9932", IBAN: "GB29NWBK60161331926819", BIC: "NWBKGB2L"}
	inv.Customer.EInvoice = customer.BuyerEInvoice{Format: customer.EInvoiceFacturX, VATID: "GB123456789",
		Address: "GB123456789", AddressScheme: "9932", Order: "PO-77-2026"}
	return inv
}

// TestFacturX: the Factur-X PDF opens as a normal PDF (poppler reads its
// text, which prints the purchase order), and carries as factur-x.xml
// exactly the CII the cii format writes for the same invoice.
func TestFacturX(t *testing.T) {
	for _, tool := range []string{"pdfdetach", "pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s (poppler-utils) is not installed: apt-get install poppler-utils", tool)
		}
	}
	v := withEInvoice(bigCorpOpen(t)).View()
	var pdf, cii bytes.Buffer
	if err := document.Render(&pdf, document.FormatFacturX, v, nil); err != nil {
		t.Fatal(err)
	}
	if err := document.Render(&cii, document.FormatCII, v, nil); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	f := filepath.Join(dir, "fx.pdf")
	if err := os.WriteFile(f, pdf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(name string, args ...string) string {
		t.Helper()
		var stderr bytes.Buffer
		cmd := exec.Command(name, args...)
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil || stderr.Len() > 0 {
			t.Fatalf("%s %s: %v %s", name, strings.Join(args, " "), err, stderr.String())
		}
		return string(out)
	}
	if list := run("pdfdetach", "-list", f); !strings.Contains(list, "1 embedded files") || !strings.Contains(list, "1: factur-x.xml") {
		t.Errorf("pdfdetach -list:\n%s", list)
	}
	out := filepath.Join(dir, "factur-x.xml")
	run("pdfdetach", "-save", "1", "-o", out, f)
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, cii.Bytes()) {
		t.Errorf("the embedded factur-x.xml (%d bytes) is not the CII written for the invoice (%d bytes)", len(got), cii.Len())
	}
	text := run("pdftotext", f, "-")
	for _, want := range []string{"INVOICE", "INV-2026-00088", "Big Corporation International plc", "Purchase order", "PO-77-2026"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext reads no %q", want)
		}
	}
	info := run("pdfinfo", "-meta", f)
	for _, want := range []string{"<pdfaid:part>3</pdfaid:part>", "<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>", "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>"} {
		if !strings.Contains(info, want) {
			t.Errorf("the XMP metadata has no %s", want)
		}
	}
	// The PDF drawn before the update is kept: the Factur-X starts with it
	// (after the binary comment line PDF/A asks for).
	var plain bytes.Buffer
	if err := document.PDF(&plain, v); err != nil {
		t.Fatal(err)
	}
	if i := bytes.IndexByte(plain.Bytes(), '\n'); !bytes.HasPrefix(pdf.Bytes(), plain.Bytes()[:i+1]) || !bytes.Contains(pdf.Bytes(), plain.Bytes()[i+1:bytes.Index(plain.Bytes(), []byte("xref"))]) {
		t.Error("the Factur-X does not keep the drawn PDF's objects")
	}
}

// TestEInvoiceOfComputedInvoice runs the official EN 16931 rules over the
// UBL and CII of an invoice the billing engine computed: a discount,
// reseller credits, Marketplace, support and a recurring charge.
func TestEInvoiceOfComputedInvoice(t *testing.T) {
	script, err := filepath.Abs("../../../shared/validation/en16931/validate")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(script); err != nil {
		t.Skipf("the EN 16931 validation script is not at %s", script)
	}
	v := withEInvoice(bigCorpOpen(t)).View()
	for _, f := range []document.Format{document.FormatUBL, document.FormatCII} {
		t.Run(string(f), func(t *testing.T) {
			var b bytes.Buffer
			if err := document.Render(&b, f, v, nil); err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(t.TempDir(), "e.xml")
			if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(script, p).CombinedOutput()
			if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 2 {
				t.Skipf("the EN 16931 rules could not run (node and npm are needed): %s", out)
			}
			if err != nil || !bytes.Contains(out, []byte(" 0 failed")) {
				t.Errorf("%s does not validate (%v):\n%s", f, err, out)
			}
		})
	}
}
