package customer

import (
	"fmt"
	"strings"
)

// EInvoiceFormat is the structured e-invoice a customer receives beside
// the PDF (EN 16931 in one of its syntaxes or CIUS).
type EInvoiceFormat string

// E-invoice formats. None means the customer has not asked for one (its
// country may still require one: see the einvoice package's Required).
const (
	EInvoiceNone      EInvoiceFormat = ""
	EInvoicePeppol    EInvoiceFormat = "ubl"       // UBL 2.1, Peppol BIS Billing 3.0
	EInvoiceCII       EInvoiceFormat = "cii"       // UN/CEFACT CII D16B, EN 16931
	EInvoiceXRechnung EInvoiceFormat = "xrechnung" // UBL, the German CIUS
	EInvoiceFacturX   EInvoiceFormat = "facturx"   // PDF/A-3 with the CII embedded
)

// EInvoiceFormats lists the formats a customer may ask for, in the order
// forms offer them ("" first: none).
var EInvoiceFormats = []EInvoiceFormat{EInvoiceNone, EInvoicePeppol, EInvoiceCII, EInvoiceXRechnung, EInvoiceFacturX}

// ParseEInvoiceFormat reads a format as people write it ("UBL",
// "Factur-X", "none").
func ParseEInvoiceFormat(s string) (EInvoiceFormat, error) {
	k := strings.NewReplacer("-", "", "_", "", " ", "").Replace(strings.ToLower(strings.TrimSpace(s)))
	switch k {
	case "", "none":
		return EInvoiceNone, nil
	case "ubl", "peppol":
		return EInvoicePeppol, nil
	case "zugferd":
		return EInvoiceFacturX, nil
	}
	for _, f := range EInvoiceFormats {
		if string(f) == k {
			return f, nil
		}
	}
	return "", fmt.Errorf("e-invoice format %q is not one of none, ubl, cii, xrechnung, facturx", s)
}

// VAT categories of EN 16931 (UNTDID 5305) an invoice's untaxed charges
// may fall under, when the customer is charged no tax.
const (
	VATReverseCharge = "AE" // intra-EU B2B services: the buyer accounts for the VAT
	VATExempt        = "E"
	VATNotSubject    = "O" // outside the scope of VAT (e.g. a buyer outside the EU)
	VATExport        = "G"
	VATZeroRated     = "Z"
)

// BuyerEInvoice is what a customer's e-invoices need beyond the printed
// invoice: identifiers the buyer's accounting system matches on.
type BuyerEInvoice struct {
	// Format is the e-invoice the customer wants; "" none.
	Format EInvoiceFormat `json:"format,omitempty"`
	// VATID is the buyer's VAT identifier with its country prefix
	// (BT-48), e.g. DE123456789.
	VATID string `json:"vat_id,omitempty"`
	// Address and AddressScheme are the buyer's electronic address (BT-49),
	// e.g. its Peppol participant id 0208:0123456789 is scheme 0208 (EAS
	// code list), address 0123456789.
	Address       string `json:"electronic_address,omitempty"`
	AddressScheme string `json:"electronic_address_scheme,omitempty"`
	// Reference is the buyer reference (BT-10): the Leitweg-ID German
	// public buyers route invoices by, or the buyer's cost centre.
	Reference string `json:"buyer_reference,omitempty"`
	// Order is the buyer's purchase order number (BT-13), printed on the
	// PDF too.
	Order string `json:"order_reference,omitempty"`
	// VATCategory is the EN 16931 category of the charges when the
	// customer is charged no tax: AE (reverse charge), E, O, G or Z; ""
	// is "not subject to VAT" (O) for an invoice without tax.
	VATCategory string `json:"vat_category,omitempty"`
	// ExemptionReason is printed with an exempt or reverse-charge
	// category ("Reverse charge: Article 196 of Council Directive
	// 2006/112/EC"); "" gives the category's usual wording.
	ExemptionReason string `json:"exemption_reason,omitempty"`
}

// IsZero reports whether nothing is set, so that JSON leaves it out.
func (b BuyerEInvoice) IsZero() bool { return b == BuyerEInvoice{} }

// UntaxedVAT is the VAT treatment of an invoice that charges a customer
// no tax, as its e-invoice states it and its PDF prints it.
type UntaxedVAT struct {
	// Category is the EN 16931 category: the customer's, else O (not
	// subject to VAT).
	Category string
	// Reason is why no VAT is charged: the customer's exemption reason,
	// else the category's usual words ("Reverse charge"); "" for zero
	// rated, which needs none.
	Reason string
	// Code is the reason's VATEX code, where the category has one.
	Code string
	// Chosen tells that the accountant chose the category or wrote the
	// reason, rather than leaving the default: a reseller outside the EU
	// does not print "Not subject to VAT" on every invoice.
	Chosen bool
}

// Untaxed is the customer's VAT treatment when an invoice charges it no
// tax.
func (b BuyerEInvoice) Untaxed() UntaxedVAT {
	u := UntaxedVAT{Category: b.VATCategory, Reason: b.ExemptionReason, Chosen: b.VATCategory != "" || b.ExemptionReason != ""}
	if u.Category == "" {
		u.Category = VATNotSubject
	}
	words := ""
	switch u.Category {
	case VATReverseCharge:
		words, u.Code = "Reverse charge", "VATEX-EU-AE"
	case VATExempt:
		words = "Exempt from VAT"
	case VATNotSubject:
		words, u.Code = "Not subject to VAT", "VATEX-EU-O"
	case VATExport:
		words, u.Code = "Export outside the EU", "VATEX-EU-G"
	case VATZeroRated:
		return UntaxedVAT{Category: u.Category, Chosen: u.Chosen}
	}
	if u.Reason == "" {
		u.Reason = words
	}
	return u
}

func (b *BuyerEInvoice) normalize() {
	for _, s := range []*string{&b.VATID, &b.Address, &b.AddressScheme, &b.Reference, &b.Order, &b.VATCategory, &b.ExemptionReason} {
		*s = strings.TrimSpace(*s)
	}
	b.VATID = CompactID(b.VATID)
	b.VATCategory = strings.ToUpper(b.VATCategory)
	b.AddressScheme = strings.ToUpper(b.AddressScheme) // "em" is EM
	if f, err := ParseEInvoiceFormat(string(b.Format)); err == nil {
		b.Format = f
	}
}

func (b BuyerEInvoice) validate(ps *problems) {
	if _, err := ParseEInvoiceFormat(string(b.Format)); err != nil {
		ps.add("einvoice_format", "%s", err)
	}
	switch b.VATCategory {
	case "", VATReverseCharge, VATExempt, VATNotSubject, VATExport, VATZeroRated:
	default:
		ps.add("vat_category", "VAT category %q is not one of AE (reverse charge), E (exempt), O (not subject), G (export), Z (zero rated)", b.VATCategory)
	}
	if (b.Address == "") != (b.AddressScheme == "") {
		ps.add("electronic_address", "an electronic address needs both its scheme and its identifier, set together, e.g. scheme 0208 and 0123456789")
	}
	ps.addErr("electronic_address_scheme", CheckScheme(b.AddressScheme))
}

// SellerEInvoice is what the reseller's e-invoices need beyond its
// printed profile.
type SellerEInvoice struct {
	// VATID is the reseller's VAT identifier with its country prefix
	// (BT-31), e.g. GB987654321.
	VATID string `json:"vat_id,omitempty"`
	// LegalID and LegalScheme are the registration in the trade register
	// (BT-30) and its ICD scheme (e.g. 0088 GLN, 0002 SIRENE, 0060 DUNS).
	LegalID     string `json:"legal_id,omitempty"`
	LegalScheme string `json:"legal_id_scheme,omitempty"`
	// Address and AddressScheme are the reseller's electronic address
	// (BT-34), e.g. a Peppol participant id 9932:GB987654321.
	Address       string `json:"electronic_address,omitempty"`
	AddressScheme string `json:"electronic_address_scheme,omitempty"`
	// PaymentMeans is the UNTDID 4461 code: 58 SEPA credit transfer, 30
	// credit transfer; "" gives 58 with an IBAN.
	PaymentMeans string `json:"payment_means,omitempty"`
	IBAN         string `json:"iban,omitempty"`
	BIC          string `json:"bic,omitempty"`
}

// field addresses a setting by its profile key (ProfileKeys).
func (s *SellerEInvoice) field(key string) *string {
	switch key {
	case "vat_id":
		return &s.VATID
	case "legal_id":
		return &s.LegalID
	case "legal_id_scheme":
		return &s.LegalScheme
	case "electronic_address":
		return &s.Address
	case "electronic_address_scheme":
		return &s.AddressScheme
	case "payment_means":
		return &s.PaymentMeans
	case "iban":
		return &s.IBAN
	case "bic":
		return &s.BIC
	}
	return nil
}

// IsZero reports whether nothing is set, so that JSON leaves it out.
func (s SellerEInvoice) IsZero() bool { return s == SellerEInvoice{} }

func (s *SellerEInvoice) normalize() {
	for _, p := range []*string{&s.VATID, &s.LegalID, &s.LegalScheme, &s.Address, &s.AddressScheme, &s.PaymentMeans, &s.IBAN, &s.BIC} {
		*p = strings.TrimSpace(*p)
	}
	s.VATID, s.IBAN, s.BIC = CompactID(s.VATID), CompactID(s.IBAN), CompactID(s.BIC)
	s.AddressScheme = strings.ToUpper(s.AddressScheme) // "em" is EM
}

func (s SellerEInvoice) validate(ps *problems) {
	switch s.PaymentMeans {
	case "", "30", "58", "31", "42", "49", "59":
	default:
		ps.add("payment_means", "payment means %q is not a UNTDID 4461 code Rebill writes: use 58 (SEPA credit transfer), 30 (credit transfer), 31, 42, 49 or 59", s.PaymentMeans)
	}
	if (s.Address == "") != (s.AddressScheme == "") {
		ps.add("electronic_address", "an electronic address needs both its scheme and its identifier, set together, e.g. scheme 9932 and GB987654321")
	}
	ps.addErr("electronic_address_scheme", CheckScheme(s.AddressScheme))
	if s.IBAN != "" && !validIBAN(s.IBAN) {
		ps.add("iban", "IBAN %s does not check out (its check digits are wrong): copy it from the bank statement", s.IBAN)
	}
}

// CompactID upper-cases an identifier and drops its spaces, as VAT ids,
// IBANs and BICs are compared.
func CompactID(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// CheckScheme accepts a code of the EAS code list, the schemes an
// electronic address (BT-34, BT-49) may name: the ISO 6523 ICD codes of
// four digits and the letter codes, among them EM, an e-mail address,
// which XRechnung buyers without a Peppol id use. A code off the list
// fails the e-invoice (rule BR-CL-25), so it is refused where it is typed
// rather than when the invoice is sent; approval checks it again, for a
// scheme saved under an older rule.
func CheckScheme(s string) error {
	if s == "" || easCodes[s] {
		return nil
	}
	return fmt.Errorf("scheme %q is not an EAS code (e.g. 0208 for a Belgian company number, 9930 for a German VAT id, 0088 for a GLN, EM for an e-mail address)", s)
}

// easCodes is the EAS code list as EN 16931's validation artefacts 1.3.16
// check it (BR-CL-25).
var easCodes = codeSet("0002 0007 0009 0037 0060 0088 0096 0097 0106 0130 0135 0142 0147 0151 0154 0158 0170 0177 0183 0184 0188 0190 0191 0192 0193 0194 0195 0196 0198 0199 0200 0201 0202 0203 0204 0205 0208 0209 0210 0211 0212 0213 0215 0216 0217 0218 0219 0220 0221 0225 0230 0235 0240 0242 0244 0245 0246 0248 " +
	"9910 9913 9914 9915 9918 9919 9920 9922 9923 9924 9925 9926 9927 9928 9929 9930 9931 9932 9933 9934 9935 9936 9937 9938 9939 9940 9941 9942 9943 9944 9945 9946 9947 9948 9949 9950 9951 9952 9953 9957 9959 " +
	"AN AQ AS AU EM")

// codeSet is the set of the space-separated codes of list.
func codeSet(list string) map[string]bool {
	set := map[string]bool{}
	for _, c := range strings.Fields(list) {
		set[c] = true
	}
	return set
}

// validIBAN checks an IBAN's check digits (ISO 13616: mod 97 = 1).
func validIBAN(s string) bool {
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	r := s[4:] + s[:4]
	m := 0
	for _, c := range r {
		switch {
		case c >= '0' && c <= '9':
			m = (m*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			m = (m*100 + int(c-'A') + 10) % 97
		default:
			return false
		}
	}
	return m == 1
}

// eInvoiceFields are the e-invoice settings as customer fields (CSV
// columns and command-line flags), after the others so that older CSV
// files still line up.
var eInvoiceFields = []Field{
	{Name: "einvoice_format", Flag: "einvoice", Doc: "e-invoice the customer receives: none, ubl (Peppol), cii, xrechnung or facturx",
		get: func(c *Customer) string { return string(c.EInvoice.Format) },
		set: func(c *Customer, v string) error {
			f, err := ParseEInvoiceFormat(v)
			c.EInvoice.Format = f
			return err
		}},
	text("vat_id", "vat-id", "buyer's VAT identifier with its country prefix, e.g. DE123456789", func(c *Customer) *string { return &c.EInvoice.VATID }),
	text("electronic_address", "electronic-address", "buyer's electronic address, e.g. its Peppol participant id without the scheme", func(c *Customer) *string { return &c.EInvoice.Address }),
	text("electronic_address_scheme", "electronic-address-scheme", "EAS scheme of the electronic address, e.g. 0208 (Belgian company number), 9930 (German VAT id), 0088 (GLN), EM (e-mail address)", func(c *Customer) *string { return &c.EInvoice.AddressScheme }),
	text("buyer_reference", "buyer-reference", "buyer reference, e.g. the Leitweg-ID XRechnung requires", func(c *Customer) *string { return &c.EInvoice.Reference }),
	text("order_reference", "order-reference", "buyer's purchase order number, printed on invoices", func(c *Customer) *string { return &c.EInvoice.Order }),
	text("vat_category", "vat-category", "VAT category when no tax is charged: AE (reverse charge), E, O, G or Z; empty is O", func(c *Customer) *string { return &c.EInvoice.VATCategory }),
	text("exemption_reason", "exemption-reason", "why no VAT is charged, printed on e-invoices (default: the category's usual words)", func(c *Customer) *string { return &c.EInvoice.ExemptionReason }),
}
