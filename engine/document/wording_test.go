package document_test

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
	"rebill/engine/document"
	"rebill/engine/invoice"
)

// TestTaxLabel: a tax line prints its rate, which a VAT invoice must
// show, once: a name that already states it ("VAT 20%", "MwSt. 19 %",
// "IVA 10,5%") is not given it again; the base is printed when it is a
// figure of the currency (not a converted one), and a passed-through
// provider tax (no rate) prints its name alone.
func TestTaxLabel(t *testing.T) {
	d := decimal.RequireFromString
	for _, tc := range []struct {
		name, percent, base, currency, want string
	}{
		{"MwSt", "19", "7.95", "EUR", "MwSt 19% on 7.95"},
		{"VAT 20%", "20", "575.24", "GBP", "VAT 20% on 575.24"},
		{"MwSt. 19 %", "19", "76.96", "EUR", "MwSt. 19 % on 76.96"},
		{"IVA 10,5%", "10.5", "1234.5", "EUR", "IVA 10,5% on 1,234.50"},
		{"Sales tax", "8.875", "1000", "USD", "Sales tax 8.875% on 1,000.00"},
		{"Consumption tax", "10", "6754", "JPY", "Consumption tax 10% on 6,754"},
		// Converted to a display currency, the base has more decimals.
		{"VAT", "20", "534.9732", "EUR", "VAT 20%"},
		{"Tax", "0", "0", "USD", "Tax"},
		// A rate of 1% is not stated by a name holding 21%.
		{"VAT 21%", "1", "10", "EUR", "VAT 21% 1% on 10.00"},
		{"Reduced 10.5%", "0.5", "10", "EUR", "Reduced 10.5% 0.5% on 10.00"},
	} {
		if got := document.TaxLabel(tc.name, d(tc.percent), d(tc.base), tc.currency); got != tc.want {
			t.Errorf("TaxLabel(%q, %s, %s, %s) = %q, want %q", tc.name, tc.percent, tc.base, tc.currency, got, tc.want)
		}
	}
}

// TestTaxIdentifiersArePrinted: the seller's VAT identifier entered for
// e-invoicing is printed under its name, which a VAT invoice must show,
// and the customer's too (a reverse charge needs it); one that is the tax
// number again, spaced or not, is printed once.
func TestTaxIdentifiersArePrinted(t *testing.T) {
	seller := invoice.Seller{Address: []string{"1 High St"}, Email: "billing@nimbus.example",
		EInvoice: customer.SellerEInvoice{VATID: "GB987654321"}}
	if got, want := strings.Join(document.SellerLines(seller), " | "), "1 High St | VAT ID GB987654321 | billing@nimbus.example"; got != want {
		t.Errorf("seller lines %q, want %q", got, want)
	}
	seller.TaxNumber = "gb 987 654 321"
	if got, want := strings.Join(document.SellerLines(seller), " | "), "1 High St | Tax ID gb 987 654 321 | billing@nimbus.example"; got != want {
		t.Errorf("seller lines %q, want %q", got, want)
	}
	buyer := invoice.Party{Contact: customer.Contact{Address: []string{"Hauptstr. 1", "10115 Berlin"}, Country: "DE"},
		TaxNumber: "12/345/67890", EInvoice: customer.BuyerEInvoice{VATID: "DE123456789"}}
	if got, want := strings.Join(document.CustomerLines(buyer), " | "), "Hauptstr. 1 | 10115 Berlin | DE | Tax ID 12/345/67890 | VAT ID DE123456789"; got != want {
		t.Errorf("customer lines %q, want %q", got, want)
	}
}
