package einvoice

import (
	"io"
	"strings"

	"github.com/shopspring/decimal"
)

// UBL namespaces.
const (
	ublInvoiceNS    = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
	ublCreditNoteNS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
	ublCAC          = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
	ublCBC          = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
)

// UBL writes the document as a UBL 2.1 Invoice or CreditNote following
// Peppol BIS Billing 3.0, or XRechnung when xrechnung is set (the same
// syntax, its own specification identifier). Elements follow the UBL
// schema's order.
func UBL(w io.Writer, d Document, xrechnung bool) error {
	root, line, qty, typ := "Invoice", "cac:InvoiceLine", "cbc:InvoicedQuantity", "cbc:InvoiceTypeCode"
	ns, code := ublInvoiceNS, "380"
	if d.CreditNote {
		root, line, qty, typ = "CreditNote", "cac:CreditNoteLine", "cbc:CreditedQuantity", "cbc:CreditNoteTypeCode"
		ns, code = ublCreditNoteNS, "381"
	}
	custom := PeppolCustomization
	if xrechnung {
		custom = XRechnungCustomization
	}
	cur := d.Currency
	money := func(name string, a decimal.Decimal) *el { return leaf(name, amount(a), "currencyID", cur) }
	doc := &el{name: root, attrs: [][2]string{{"xmlns", ns}, {"xmlns:cac", ublCAC}, {"xmlns:cbc", ublCBC}}}
	doc.add(leaf("cbc:CustomizationID", custom), leaf("cbc:ProfileID", PeppolProfile),
		leaf("cbc:ID", d.Number), leaf("cbc:IssueDate", d.IssueDate))
	if !d.CreditNote {
		doc.add(leaf("cbc:DueDate", d.DueDate))
	}
	doc.add(leaf(typ, code))
	// Peppol allows one note (PEPPOL-EN16931-R002): the notes are one,
	// a line each.
	doc.add(leaf("cbc:Note", strings.Join(d.Notes, "\n")))
	doc.add(leaf("cbc:DocumentCurrencyCode", cur), leaf("cbc:TaxCurrencyCode", d.TaxCurrency),
		leaf("cbc:BuyerReference", d.BuyerRef),
		node("cac:InvoicePeriod", leaf("cbc:StartDate", d.PeriodStart), leaf("cbc:EndDate", d.PeriodEnd)),
		node("cac:OrderReference", leaf("cbc:ID", d.OrderRef)),
		node("cac:BillingReference", node("cac:InvoiceDocumentReference", leaf("cbc:ID", d.Preceding))),
		node("cac:AccountingSupplierParty", ublParty(d.Seller)),
		node("cac:AccountingCustomerParty", ublParty(d.Buyer)))
	if p := d.Payment; p.MeansCode != "" {
		doc.add(node("cac:PaymentMeans", leaf("cbc:PaymentMeansCode", p.MeansCode), leaf("cbc:PaymentID", p.Reference),
			node("cac:PayeeFinancialAccount", leaf("cbc:ID", p.IBAN),
				node("cac:FinancialInstitutionBranch", leaf("cbc:ID", p.BIC)))))
	}
	doc.add(node("cac:PaymentTerms", leaf("cbc:Note", d.Payment.Terms)))
	for _, a := range d.Adjustments {
		doc.add(node("cac:AllowanceCharge", leaf("cbc:ChargeIndicator", boolText(a.Charge)),
			leaf("cbc:AllowanceChargeReason", a.Reason), money("cbc:Amount", a.Amount),
			ublCategory("cac:TaxCategory", a.Category, a.Percent, "", "")))
	}
	tt := node("cac:TaxTotal", money("cbc:TaxAmount", d.Totals.VAT))
	for _, b := range d.VAT {
		tt.add(node("cac:TaxSubtotal", money("cbc:TaxableAmount", b.Base), money("cbc:TaxAmount", b.Tax),
			ublCategory("cac:TaxCategory", b.Category, b.Percent, b.ReasonCode, b.Reason)))
	}
	doc.add(tt)
	if d.TaxCurrency != "" {
		doc.add(node("cac:TaxTotal", leaf("cbc:TaxAmount", amount(d.TaxInTaxCurr), "currencyID", d.TaxCurrency)))
	}
	t := d.Totals
	mt := node("cac:LegalMonetaryTotal", money("cbc:LineExtensionAmount", t.LineNet),
		money("cbc:TaxExclusiveAmount", t.WithoutVAT), money("cbc:TaxInclusiveAmount", t.WithVAT))
	if t.HasAllow {
		mt.add(money("cbc:AllowanceTotalAmount", t.Allowances))
	}
	if t.HasCharge {
		mt.add(money("cbc:ChargeTotalAmount", t.Charges))
	}
	mt.add(money("cbc:PayableAmount", t.Due))
	doc.add(mt)
	for _, l := range d.Lines {
		doc.add(node(line, leaf("cbc:ID", l.ID), leaf(qty, l.Quantity.String(), "unitCode", "C62"),
			money("cbc:LineExtensionAmount", l.Net),
			node("cac:Item", leaf("cbc:Description", l.Description), leaf("cbc:Name", l.Name),
				ublCategory("cac:ClassifiedTaxCategory", l.Category, l.Percent, "", "")),
			node("cac:Price", money("cbc:PriceAmount", l.Price))))
	}
	return writeDoc(w, doc)
}

// ublCategory is a VAT category; "not subject to VAT" has no rate
// (BR-O-05, BR-O-14).
func ublCategory(name, code string, pct decimal.Decimal, reasonCode, reason string) *el {
	c := node(name, leaf("cbc:ID", code))
	if code != "O" {
		c.add(leaf("cbc:Percent", pct.String()))
	}
	return c.add(leaf("cbc:TaxExemptionReasonCode", reasonCode), leaf("cbc:TaxExemptionReason", reason),
		node("cac:TaxScheme", leaf("cbc:ID", "VAT")))
}

func ublParty(p Party) *el {
	a := p.Address
	party := node("cac:Party", leaf("cbc:EndpointID", p.Endpoint, "schemeID", p.EndpointScheme),
		node("cac:PartyName", leaf("cbc:Name", p.Name)),
		node("cac:PostalAddress", leaf("cbc:StreetName", a.Street), leaf("cbc:AdditionalStreetName", a.Additional),
			leaf("cbc:CityName", a.City), leaf("cbc:PostalZone", a.Postcode),
			node("cac:AddressLine", leaf("cbc:Line", a.Line3)),
			node("cac:Country", leaf("cbc:IdentificationCode", a.Country))))
	if p.VATID != "" {
		party.add(node("cac:PartyTaxScheme", leaf("cbc:CompanyID", p.VATID), node("cac:TaxScheme", leaf("cbc:ID", "VAT"))))
	}
	party.add(node("cac:PartyLegalEntity", leaf("cbc:RegistrationName", p.Name), leaf("cbc:CompanyID", p.LegalID, "schemeID", p.LegalScheme)),
		node("cac:Contact", leaf("cbc:Name", p.ContactName), leaf("cbc:Telephone", p.Phone), leaf("cbc:ElectronicMail", p.Email)))
	return party
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
