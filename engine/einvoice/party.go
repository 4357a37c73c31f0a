package einvoice

import (
	"fmt"
	"regexp"
	"strings"

	"rebill/engine/invoice"
)

// sellerOf is the seller as the invoice snapshotted the reseller.
func sellerOf(s invoice.Seller, vatIDs bool) Party {
	e := s.EInvoice
	p := Party{Name: s.CompanyName, LegalID: e.LegalID, LegalScheme: e.LegalScheme,
		Endpoint: e.Address, EndpointScheme: e.AddressScheme, ContactName: s.CompanyName, Phone: s.Phone, Email: s.Email,
		Address: addressOf(s.Address, countryOf(s.Country, e.VATID))}
	if vatIDs {
		p.VATID = e.VATID
	}
	return p
}

// buyerOf is the buyer as the invoice snapshotted the customer.
func buyerOf(c invoice.Party, vatIDs bool) Party {
	e := c.EInvoice
	p := Party{Name: c.Name, Endpoint: e.Address, EndpointScheme: e.AddressScheme,
		ContactName: c.Contact.Name, Phone: c.Contact.Phone, Email: c.Contact.Email,
		Address: addressOf(c.Contact.Address, countryOf(c.Contact.Country, e.VATID))}
	if vatIDs {
		p.VATID = e.VATID
	}
	return p
}

// paymentOf is the payment instructions: a credit transfer to the
// reseller's account quoting the invoice number, and the terms in words
// (a credit note's say what it credits, since its amount "due" is the
// customer's; BR-CO-25 asks for terms or a due date).
func paymentOf(inv invoice.Invoice) Payment {
	e := inv.Seller.EInvoice
	p := Payment{Reference: inv.Number, IBAN: e.IBAN, BIC: e.BIC, MeansCode: e.PaymentMeans}
	if p.MeansCode == "" && p.IBAN != "" {
		p.MeansCode = "58"
	}
	if p.IBAN == "" && (p.MeansCode == "58" || p.MeansCode == "30") {
		p.MeansCode = "" // Check refuses this before; never write BR-61's failure
	}
	switch {
	case inv.Kind == invoice.KindCreditNote && inv.CorrectsNumber != "":
		p.Terms = fmt.Sprintf("Credits invoice %s: set off against it or refunded", inv.CorrectsNumber)
	case inv.Kind == invoice.KindCreditNote:
		p.Terms = "Set off against the next invoice or refunded"
	case inv.Seller.PaymentInstructions != "":
		p.Terms = inv.Seller.PaymentInstructions
	case !inv.DueDate.IsZero():
		p.Terms = "Due by " + inv.DueDate.String()
	}
	return p
}

// countryOf is a party's country: the one recorded, else its VAT
// identifier's prefix (Greece writes EL there).
func countryOf(country, vatID string) string {
	c := strings.ToUpper(strings.TrimSpace(country))
	if code, ok := countryNames[c]; ok {
		return code
	}
	if len(c) == 2 {
		return c
	}
	if len(vatID) >= 2 && vatID[0] >= 'A' && vatID[0] <= 'Z' && vatID[1] >= 'A' && vatID[1] <= 'Z' {
		if vatID[:2] == "EL" {
			return "GR"
		}
		return vatID[:2]
	}
	return ""
}

// Postcodes: leading as in Europe ("75010 Paris", "D-20457 Hamburg"),
// or trailing as in the UK and US ("London E14 5AB", "Austin, TX 78744").
var (
	leadingPostcode  = regexp.MustCompile(`^(?:[A-Z]{1,2}-)?(\d{4,5}|\d{3} ?\d{2}|\d{4} ?[A-Z]{2})\s+(.+)$`)
	trailingPostcode = regexp.MustCompile(`^(.+?),?\s+(?:([A-Z]{2})\s+)?(\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})$`)
)

// addressOf reads printed address lines into the model's parts: the
// first line is the street, the line with a postcode gives the postcode
// and city (else the last line is the city), a line naming only the
// country is dropped (the country code says it), the others are extra
// lines.
func addressOf(lines []string, country string) Address {
	a := Address{Country: country}
	var rest []string
	for i, l := range lines {
		switch m, n := leadingPostcode.FindStringSubmatch(l), trailingPostcode.FindStringSubmatch(l); {
		case i == 0:
			a.Street = l
		case a.City == "" && m != nil:
			a.Postcode, a.City = m[1], m[2]
		case a.City == "" && n != nil:
			a.City, a.Postcode = n[1], n[3]
		case i == len(lines)-1 && i > 0 && a.City != "":
			// the country's name under the city
		default:
			rest = append(rest, l)
		}
	}
	if a.City == "" && len(rest) > 0 {
		a.City, rest = rest[len(rest)-1], rest[:len(rest)-1]
	}
	if len(rest) > 0 {
		a.Additional = rest[0]
	}
	if len(rest) > 1 {
		a.Line3 = strings.Join(rest[1:], ", ")
	}
	return a
}

// countryNames reads the countries an address may be written with in
// full (the printed contact's country is free text) as ISO 3166 codes.
var countryNames = map[string]string{
	"AUSTRIA": "AT", "BELGIUM": "BE", "BULGARIA": "BG", "CROATIA": "HR", "CYPRUS": "CY", "CZECHIA": "CZ",
	"CZECH REPUBLIC": "CZ", "DENMARK": "DK", "ESTONIA": "EE", "FINLAND": "FI", "FRANCE": "FR", "GERMANY": "DE",
	"DEUTSCHLAND": "DE", "GREECE": "GR", "HUNGARY": "HU", "IRELAND": "IE", "ITALY": "IT", "LATVIA": "LV",
	"LITHUANIA": "LT", "LUXEMBOURG": "LU", "MALTA": "MT", "NETHERLANDS": "NL", "THE NETHERLANDS": "NL",
	"POLAND": "PL", "PORTUGAL": "PT", "ROMANIA": "RO", "SLOVAKIA": "SK", "SLOVENIA": "SI", "SPAIN": "ES",
	"SWEDEN": "SE", "UNITED KINGDOM": "GB", "UK": "GB", "NORWAY": "NO", "SWITZERLAND": "CH", "ICELAND": "IS",
	"UNITED STATES": "US", "USA": "US", "CANADA": "CA", "JAPAN": "JP", "AUSTRALIA": "AU", "SINGAPORE": "SG",
}
