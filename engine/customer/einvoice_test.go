package customer

import "testing"

// TestUntaxed: the VAT treatment of an invoice without tax, as EN 16931
// names it (VATEX codes of the CEF list): the category chosen or O, the
// reason written or the category's words, and whether anything was
// chosen at all.
func TestUntaxed(t *testing.T) {
	for _, c := range []struct {
		e    BuyerEInvoice
		want UntaxedVAT
	}{
		{BuyerEInvoice{}, UntaxedVAT{Category: "O", Reason: "Not subject to VAT", Code: "VATEX-EU-O"}},
		{BuyerEInvoice{VATCategory: "AE"}, UntaxedVAT{Category: "AE", Reason: "Reverse charge", Code: "VATEX-EU-AE", Chosen: true}},
		{BuyerEInvoice{VATCategory: "E"}, UntaxedVAT{Category: "E", Reason: "Exempt from VAT", Chosen: true}},
		{BuyerEInvoice{VATCategory: "G", ExemptionReason: "Export of services"}, UntaxedVAT{Category: "G", Reason: "Export of services", Code: "VATEX-EU-G", Chosen: true}},
		{BuyerEInvoice{ExemptionReason: "Outside the scope of UK VAT"}, UntaxedVAT{Category: "O", Reason: "Outside the scope of UK VAT", Code: "VATEX-EU-O", Chosen: true}},
		{BuyerEInvoice{VATCategory: "Z"}, UntaxedVAT{Category: "Z", Chosen: true}},
	} {
		if got := c.e.Untaxed(); got != c.want {
			t.Errorf("%+v: %+v, want %+v", c.e, got, c.want)
		}
	}
}
