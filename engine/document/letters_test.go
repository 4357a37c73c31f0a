package document_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"rebill/engine/document"
	"rebill/engine/invoice"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// pdfOf renders a letter and returns its text in layout.
func pdfOf(t *testing.T, draw func(*bytes.Buffer) error) string {
	t.Helper()
	var b bytes.Buffer
	if err := draw(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b.Bytes(), []byte("%PDF-")) {
		t.Fatalf("not a PDF: %.20q", b.Bytes())
	}
	return strings.Join(pdfText(t, b.Bytes(), true), "\f")
}

func wantText(t *testing.T, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("the PDF does not print %q:\n%s", w, text)
		}
	}
}

func TestReminderPDF(t *testing.T) {
	inv := tanakaOpen(t) // JPY, no decimals
	inv.DueDate = invoice.NewDate(2026, 11, 4)
	text := pdfOf(t, func(b *bytes.Buffer) error {
		return document.ReminderPDF(b, document.Reminder{Seller: inv.Seller, Invoice: inv, Open: d("1000"), Paid: d("500"),
			Credited: inv.Total.Decimal().Sub(d("1500")), AsOf: invoice.NewDate(2026, 12, 4)})
	})
	// 2026-11-04 to 2026-12-04 is 30 days.
	wantText(t, text, "Payment reminder", inv.Seller.CompanyName, inv.Customer.Name, inv.Number,
		"is 30 days past due", "Open amount", "JPY 1,000", "Paid", "−500", "4 Dec 2026")
}

// TestLettersNameTheEInvoiceAccount: a reseller who entered its IBAN only
// in the e-invoicing settings has it printed where a reminder and a
// statement of account say how to pay, after the instructions.
func TestLettersNameTheEInvoiceAccount(t *testing.T) {
	inv := tanakaOpen(t)
	inv.DueDate = invoice.NewDate(2026, 11, 4)
	inv.Seller.PaymentInstructions = "Quote the invoice number."
	inv.Seller.EInvoice.IBAN, inv.Seller.EInvoice.PaymentMeans = "GB29NWBK60161331926819", "58"
	bank := "Bank transfer to IBAN GB29 NWBK 6016 1331 9268 19."
	reminder := pdfOf(t, func(b *bytes.Buffer) error {
		return document.ReminderPDF(b, document.Reminder{Seller: inv.Seller, Invoice: inv, Open: d("1000"), Credited: inv.Total.Decimal().Sub(d("1000")),
			AsOf: invoice.NewDate(2026, 12, 4)})
	})
	wantText(t, reminder, "Payment details: Quote the invoice number.", bank)
	dayAfter := pdfOf(t, func(b *bytes.Buffer) error {
		return document.ReminderPDF(b, document.Reminder{Seller: inv.Seller, Invoice: inv, Open: inv.Total.Decimal(), AsOf: invoice.NewDate(2026, 11, 5)})
	})
	wantText(t, dayAfter, "is 1 day past due")
	a := invoice.Account{ID: "ACME", Customer: invoice.Party{Name: "Acme Corp"}, Currency: "USD",
		From: invoice.NewDate(2026, 11, 1), Until: invoice.NewDate(2026, 11, 30), Opening: d("600"), Closing: d("600")}
	statement := pdfOf(t, func(b *bytes.Buffer) error { return document.StatementOfAccountPDF(b, inv.Seller, a) })
	wantText(t, statement, "Balance due: USD 600.00.", "Payment details: Quote the invoice number.", bank)
}

// The statement's printed balances are the account's: opening 1,000.00,
// one payment of 400.00, closing 600.00.
func TestStatementOfAccountPDF(t *testing.T) {
	seller := invoice.Seller{CompanyName: "Cloud Reseller Ltd", PaymentInstructions: "IBAN IE29 AIBK"}
	a := invoice.Account{ID: "ACME", Customer: invoice.Party{Name: "Acme Corp"}, Currency: "USD",
		From: invoice.NewDate(2026, 11, 1), Until: invoice.NewDate(2026, 11, 30), Opening: d("1000"), Closing: d("600"),
		Lines: []invoice.AccountLine{{Date: invoice.NewDate(2026, 11, 10), Description: "Payment", Document: "INV-1", Reference: "WIRE-7",
			Debit: d("0"), Credit: d("400"), Balance: d("600")}}}
	text := pdfOf(t, func(b *bytes.Buffer) error { return document.StatementOfAccountPDF(b, seller, a) })
	wantText(t, text, "Statement of account", "Acme Corp", "Opening balance", "1,000.00", "Payment (WIRE-7)", "400.00",
		"Closing balance", "Balance due: USD 600.00.", "IBAN IE29 AIBK")
}

// TestStatementOfAccountWrapsAVoidReason: the reason a document was
// voided is printed whole, wrapped under its description, not cut.
func TestStatementOfAccountWrapsAVoidReason(t *testing.T) {
	a := invoice.Account{ID: "ACME", Customer: invoice.Party{Name: "Acme Corp"}, Currency: "USD",
		From: invoice.NewDate(2026, 11, 1), Until: invoice.NewDate(2026, 11, 30), Opening: d("0"), Closing: d("91.58"),
		Lines: []invoice.AccountLine{{Date: invoice.NewDate(2026, 11, 10), Description: "Credit note voided", Document: "CN-2026-00001",
			Reference: "issued without our VAT identifier, credited again", Debit: d("91.58"), Credit: d("0"), Balance: d("91.58")}}}
	text := pdfOf(t, func(b *bytes.Buffer) error {
		return document.StatementOfAccountPDF(b, invoice.Seller{CompanyName: "Cloud Reseller Ltd"}, a)
	})
	flat := strings.Join(strings.Fields(text), " ")
	if strings.Contains(text, "…") || !strings.Contains(flat, "credited again)") {
		t.Errorf("the void reason is cut:\n%s", text)
	}
}

func TestAgeingDocuments(t *testing.T) {
	z := d("0")
	a := invoice.Ageing{AsOf: invoice.NewDate(2026, 12, 31),
		Rows: []invoice.AgeingRow{{Customer: "ACME", Name: "Acme Corp", Currency: "USD", Buckets: []decimal.Decimal{d("1000"), d("750"), d("600"), z, z}, Total: d("2350"),
			Receivables: []invoice.Receivable{{Number: "INV-1", Due: invoice.NewDate(2026, 11, 4), DaysPast: 57, Bucket: invoice.Age31To60, Total: d("1000"), Open: d("600")}}}},
		Totals: []invoice.AgeingTotal{{Currency: "USD", Buckets: []decimal.Decimal{d("1000"), d("750"), d("600"), z, z}, Total: d("2350")}}}
	text := pdfOf(t, func(b *bytes.Buffer) error {
		return document.AgeingPDF(b, invoice.Seller{CompanyName: "Cloud Reseller Ltd"}, a)
	})
	wantText(t, text, "Ageing of receivables", "31 Dec 2026", "ACME Acme Corp", "2,350.00", "Over 90")

	var b bytes.Buffer
	if err := document.AgeingXLSX(&b, a); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ sheet, cell, want string }{
		{"Customers", "A4", "ACME"}, {"Customers", "D4", "1000"}, {"Customers", "E4", "750"}, {"Customers", "F4", "600"},
		{"Customers", "I4", "2350"}, {"Customers", "A6", "Total"}, {"Customers", "I6", "2350"},
		{"Invoices", "B2", "INV-1"}, {"Invoices", "F2", "57"}, {"Invoices", "G2", "31–60 days"}, {"Invoices", "J2", "600"},
	} {
		if got, _ := f.GetCellValue(c.sheet, c.cell, excelize.Options{RawCellValue: true}); got != c.want {
			t.Errorf("%s!%s = %q, want %q", c.sheet, c.cell, got, c.want)
		}
	}
}
