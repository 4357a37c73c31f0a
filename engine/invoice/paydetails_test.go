package invoice

import (
	"slices"
	"testing"

	"rebill/engine/customer"
)

func TestPaymentDetails(t *testing.T) {
	iban := customer.SellerEInvoice{IBAN: "DE89370400440532013000", BIC: "COBADEFFXXX"}
	for _, c := range []struct {
		name   string
		seller Seller
		want   []string
	}{
		{"nothing entered", Seller{}, nil},
		{"instructions only, blank lines dropped", Seller{PaymentInstructions: "Pay by card at pay.example\n\n  Thank you  "},
			[]string{"Pay by card at pay.example", "Thank you"}},
		{"the e-invoice account, grouped as on paper", Seller{EInvoice: iban},
			[]string{"Bank transfer to IBAN DE89\u00a03704\u00a00044\u00a00532\u00a00130\u00a000, BIC COBADEFFXXX."}},
		{"without a BIC", Seller{EInvoice: customer.SellerEInvoice{IBAN: "GB29NWBK60161331926819", PaymentMeans: "30"}},
			[]string{"Bank transfer to IBAN GB29\u00a0NWBK\u00a06016\u00a01331\u00a09268\u00a019."}},
		{"after the instructions", Seller{PaymentInstructions: "Quote the invoice number.", EInvoice: iban},
			[]string{"Quote the invoice number.", "Bank transfer to IBAN DE89\u00a03704\u00a00044\u00a00532\u00a00130\u00a000, BIC COBADEFFXXX."}},
		{"not twice when the instructions quote it, spaced as printed",
			Seller{PaymentInstructions: "IBAN de89 3704 0044 0532 0130 00", EInvoice: iban},
			[]string{"IBAN de89 3704 0044 0532 0130 00"}},
		{"not under a direct debit, where the reseller collects",
			Seller{EInvoice: customer.SellerEInvoice{IBAN: iban.IBAN, PaymentMeans: "59"}}, nil},
	} {
		if got := c.seller.PaymentDetails(); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}
