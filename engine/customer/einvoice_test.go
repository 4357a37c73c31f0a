package customer

import (
	"errors"
	"strings"
	"testing"
)

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

// TestElectronicAddressScheme: an electronic address's scheme is a code
// of the EAS list that EN 16931's rule BR-CL-25 checks, digits or
// letters: EM (an e-mail address, what XRechnung buyers without a Peppol
// id give) as well as 9930; typed in lower case it is the same code. A
// code off the list, a number of the wrong length or two codes at once
// are refused, for the customer and for the reseller alike.
func TestElectronicAddressScheme(t *testing.T) {
	for _, c := range []struct {
		typed, stored string // stored "" when refused
	}{
		{"EM", "EM"}, {" em ", "EM"}, {"9930", "9930"}, {"0208", "0208"}, {"0088", "0088"}, {"AQ", "AQ"},
		{"99", ""}, {"1234", ""}, {"0001", ""}, {"XX", ""}, {"0208 9930", ""}, {"E M", ""}, {"EMAIL", ""},
	} {
		cust := valid()
		cust.EInvoice = BuyerEInvoice{Address: "ap@fabrik.example", AddressScheme: c.typed}
		cust.Normalize()
		p := DefaultProfile()
		p.EInvoice = SellerEInvoice{Address: "billing@cloudhaus.example", AddressScheme: c.typed}
		p.Normalize()
		for who, err := range map[string]error{"customer": cust.Validate(), "profile": p.Validate()} {
			var ps Problems
			errors.As(err, &ps)
			refused := strings.Join(ps.Of("electronic_address_scheme"), "; ")
			switch {
			case c.stored == "" && !strings.Contains(refused, "is not an EAS code"):
				t.Errorf("%s scheme %q: %v, want refused as off the EAS list", who, c.typed, err)
			case c.stored != "" && err != nil:
				t.Errorf("%s scheme %q: %v, want accepted", who, c.typed, err)
			}
		}
		if c.stored != "" && (cust.EInvoice.AddressScheme != c.stored || p.EInvoice.AddressScheme != c.stored) {
			t.Errorf("scheme %q stored as %q and %q, want %q", c.typed, cust.EInvoice.AddressScheme, p.EInvoice.AddressScheme, c.stored)
		}
	}
}
