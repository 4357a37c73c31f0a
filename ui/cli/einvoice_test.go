package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// sampleIssued is the sample data's September, generated with tax,
// credits and Marketplace and approved: NCP-2026-00001 to 00006 are
// ACME, CONTOSO, FABRIKAM, GLOBEX, INITECH and UMBRELLA.
func sampleIssued(t *testing.T) string {
	t.Helper()
	db := invoicesDB(t)
	var v any
	ok(t, db, &v, "invoices", "generate", "--period", "2026-09", "--all", "--credits", "--tax", "--marketplace")
	ok(t, db, &v, "invoices", "approve", "--all", "--period", "2026-09")
	return db
}

// validateEN16931 runs the official EN 16931 rules over an e-invoice
// file, skipping when they cannot run here.
func validateEN16931(t *testing.T, file string) {
	t.Helper()
	script, err := filepath.Abs("../../../shared/validation/en16931/validate")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(script); err != nil {
		t.Skipf("the EN 16931 validation script is not at %s", script)
	}
	out, err := exec.Command(script, file).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 2 {
		t.Skipf("the EN 16931 rules could not run (node and npm are needed): %s", out)
	}
	if err != nil || !bytes.Contains(out, []byte(" 0 failed")) {
		t.Errorf("%s does not validate (%v):\n%s", filepath.Base(file), err, out)
	}
}

// TestEInvoiceExportsOfTheSampleData: every sample invoice exports as
// UBL and CII that pass the EN 16931 rules; FABRIKAM's as XRechnung;
// CONTOSO's Factur-X carries exactly its CII and renders as a PDF.
func TestEInvoiceExportsOfTheSampleData(t *testing.T) {
	db := sampleIssued(t)
	dir := t.TempDir()
	for _, n := range []string{"1", "2", "3", "4", "5", "6"} {
		for _, f := range []string{"ubl", "cii"} {
			num := "NCP-2026-0000" + n
			t.Run(num+" "+f, func(t *testing.T) {
				out := filepath.Join(dir, num+"-"+f+".xml")
				var ex map[string]any
				ok(t, db, &ex, "invoices", "export", num, "--format", f, "--out", out)
				if ex["format"] != f {
					t.Errorf("export --json %v", ex)
				}
				validateEN16931(t, out)
			})
		}
	}
	t.Run("xrechnung", func(t *testing.T) {
		out := filepath.Join(dir, "x.xml")
		var ex map[string]any
		ok(t, db, &ex, "invoices", "export", "NCP-2026-00003", "--format", "xrechnung", "--out", out)
		b, _ := os.ReadFile(out)
		if !bytes.Contains(b, []byte("xrechnung_3.0")) || !bytes.Contains(b, []byte("<cbc:BuyerReference>04011000-12345-67</cbc:BuyerReference>")) {
			t.Errorf("not an XRechnung with FABRIKAM's Leitweg-ID:\n%s", b)
		}
		validateEN16931(t, out)
	})
	t.Run("partial credit note", func(t *testing.T) {
		var v any
		ok(t, db, &v, "invoices", "credit-note", "NCP-2026-00001", "--amount", "10.00", "--reason", "Goodwill")
		out := filepath.Join(dir, "cn.xml")
		ok(t, db, &v, "invoices", "export", "CN-2026-00001", "--format", "ubl", "--out", out)
		b, _ := os.ReadFile(out)
		// 10.00 with ACME's 20% VAT: net 10 / 1.2 = 8.333 is 8.33, VAT 20% of
		// 8.33 = 1.666 is 1.67, 8.33 + 1.67 = 10.00.
		for _, want := range []string{"<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>", "<cbc:ID>NCP-2026-00001</cbc:ID>",
			`<cbc:TaxExclusiveAmount currencyID="USD">8.33</cbc:TaxExclusiveAmount>`, `<cbc:TaxAmount currencyID="USD">1.67</cbc:TaxAmount>`,
			`<cbc:TaxInclusiveAmount currencyID="USD">10.00</cbc:TaxInclusiveAmount>`, `<cbc:PayableAmount currencyID="USD">10.00</cbc:PayableAmount>`} {
			if !bytes.Contains(b, []byte(want)) {
				t.Errorf("the credit note has no %s", want)
			}
		}
		validateEN16931(t, out)
	})
	t.Run("display currency", func(t *testing.T) {
		out := filepath.Join(dir, "eur.xml")
		var v any
		ok(t, db, &v, "invoices", "export", "NCP-2026-00003", "--format", "cii", "--currency", "EUR", "--rate", "0.9137", "--rate-source", "ECB reference rate", "--out", out)
		b, _ := os.ReadFile(out)
		for _, want := range []string{"<ram:InvoiceCurrencyCode>USD</ram:InvoiceCurrencyCode>", "<ram:TaxCurrencyCode>EUR</ram:TaxCurrencyCode>", `<ram:TaxTotalAmount currencyID="EUR">`} {
			if !bytes.Contains(b, []byte(want)) {
				t.Errorf("the e-invoice shown in EUR has no %s", want)
			}
		}
		validateEN16931(t, out)
	})
	t.Run("facturx", func(t *testing.T) {
		if _, err := exec.LookPath("pdfdetach"); err != nil {
			t.Skip("pdfdetach (poppler-utils) is not installed")
		}
		pdf, cii := filepath.Join(dir, "fx.pdf"), filepath.Join(dir, "fx-cii.xml")
		var ex map[string]any
		ok(t, db, &ex, "invoices", "export", "NCP-2026-00002", "--format", "facturx", "--out", pdf)
		ok(t, db, &ex, "invoices", "export", "NCP-2026-00002", "--format", "cii", "--out", cii)
		got := filepath.Join(dir, "factur-x.xml")
		if out, err := exec.Command("pdfdetach", "-save", "1", "-o", got, pdf).CombinedOutput(); err != nil {
			t.Fatalf("pdfdetach: %v %s", err, out)
		}
		a, _ := os.ReadFile(got)
		b, _ := os.ReadFile(cii)
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("the Factur-X carries %d bytes, not the %d of the CII export", len(a), len(b))
		}
		// It opens as a normal PDF: poppler renders its page.
		if _, err := exec.LookPath("pdftoppm"); err != nil {
			t.Skip("pdftoppm (poppler-utils) is not installed")
		}
		page := filepath.Join(dir, "fx-page")
		if out, err := exec.Command("pdftoppm", "-r", "30", "-png", "-singlefile", pdf, page).CombinedOutput(); err != nil || len(out) != 0 {
			t.Fatalf("pdftoppm cannot render the Factur-X: %v %s", err, out)
		}
		png, _ := os.ReadFile(page + ".png")
		if !bytes.HasPrefix(png, []byte("\x89PNG")) {
			t.Errorf("pdftoppm wrote no page image (%d bytes)", len(png))
		}
	})
}

// TestApprovalRefusesAnIncompleteEInvoice: a customer held to an
// e-invoice is not invoiced while a field its format needs is missing;
// the refusal names it, and nothing is issued.
func TestApprovalRefusesAnIncompleteEInvoice(t *testing.T) {
	cases := []struct {
		name string
		edit []string
		who  string
		want string
	}{
		{"FABRIKAM's Leitweg-ID", []string{"customers", "edit", "FABRIKAM", "--buyer-reference", ""}, "FABRIKAM",
			"Customer FABRIKAM has no buyer reference (Leitweg-ID), which XRechnung requires: set it in Customers > FABRIKAM > E-invoicing"},
		{"ACME's Peppol id", []string{"customers", "edit", "ACME", "--electronic-address", "", "--electronic-address-scheme", ""}, "ACME",
			"Customer ACME has no electronic address (Peppol participant id), which Peppol BIS Billing requires"},
		{"the reseller's VAT id", []string{"profile", "set", "vat_id", ""}, "CONTOSO",
			"your VAT identifier is missing, which an invoice with VAT category S requires: set it in Settings > E-invoicing"},
		{"the reseller's IBAN", []string{"profile", "set", "iban", ""}, "FABRIKAM",
			"your IBAN is missing, which XRechnung requires"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := invoicesDB(t)
			var v any
			ok(t, db, &v, "invoices", "generate", "--period", "2026-09", "--all", "--tax", "--marketplace")
			ok(t, db, &v, tc.edit...)
			out, errs, code := cli(t, db, "invoices", "approve", "--all", "--period", "2026-09")
			if code == 0 || !strings.Contains(out+errs, tc.want) {
				t.Fatalf("approve: exit %d\n%s%s\nwant %q", code, out, errs, tc.want)
			}
			var list []struct {
				CustomerID string `json:"customer_id"`
				Status     string `json:"status"`
			}
			ok(t, db, &list, "invoices", "list", "--period", "2026-09")
			for _, inv := range list {
				if inv.CustomerID == tc.who && inv.Status != "draft" {
					t.Errorf("%s's invoice was issued (%s)", tc.who, inv.Status)
				}
			}
		})
	}
	// Customers held to no e-invoice are never refused for data they do
	// not need: GLOBEX has no VAT id and is issued.
	db := invoicesDB(t)
	var v any
	ok(t, db, &v, "customers", "edit", "ACME", "--einvoice", "none", "--electronic-address", "", "--electronic-address-scheme", "")
	ok(t, db, &v, "invoices", "generate", "--period", "2026-09", "--all", "--tax")
	ok(t, db, &v, "invoices", "approve", "--all", "--period", "2026-09")
}

// Rebill charges each of a customer's tax rates on the same base (its
// charges without Marketplace); an EN 16931 line has one VAT rate, so
// rates stacked on the same charges cannot be written as one breakdown
// per rate: a customer held to an e-invoice is not invoiced with them,
// and the refusal says what to do. Without an e-invoice it is invoiced,
// and an export as UBL is refused, writing no file.
func TestStackedTaxRatesHaveNoEInvoice(t *testing.T) {
	db := invoicesDB(t)
	var v any
	ok(t, db, &v, "customers", "edit", "INITECH", "--tax-rates", "State tax=6;County tax=1.5", "--einvoice", "ubl")
	ok(t, db, &v, "invoices", "generate", "--period", "2026-09", "--customers", "INITECH", "--tax")
	want := "charges 2 tax rates on the same charges, and an EN 16931 e-invoice has one VAT rate per line: give customer INITECH one combined rate, or issue it without an e-invoice"
	out, errs, code := cli(t, db, "invoices", "approve", "--all", "--period", "2026-09")
	if code == 0 || !strings.Contains(out+errs, want) {
		t.Fatalf("approve: exit %d\n%s%s\nwant %q", code, out, errs, want)
	}
	ok(t, db, &v, "customers", "edit", "INITECH", "--einvoice", "none")
	ok(t, db, &v, "invoices", "approve", "--all", "--period", "2026-09")
	file := filepath.Join(t.TempDir(), "x.xml")
	fails(t, db, 1, want, "invoices", "export", "NCP-2026-00001", "--format", "ubl", "--out", file)
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("a refused export left %s: %v", file, err)
	}
}
