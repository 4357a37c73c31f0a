package einvoice

import (
	"io"
	"strings"

	"github.com/shopspring/decimal"
)

// CII namespaces (D16B).
const (
	ciiRSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
	ciiRAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
	ciiQDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
	ciiUDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
)

// CII writes the document as a UN/CEFACT Cross Industry Invoice D16B
// following EN 16931 (guideline urn:cen.eu:en16931:2017), which is also
// Factur-X's and ZUGFeRD's EN 16931 profile. A credit note is type 381
// with positive amounts. Elements follow the D16B schema's order.
func CII(w io.Writer, d Document) error {
	code := "380"
	if d.CreditNote {
		code = "381"
	}
	root := &el{name: "rsm:CrossIndustryInvoice", attrs: [][2]string{{"xmlns:rsm", ciiRSM}, {"xmlns:ram", ciiRAM}, {"xmlns:qdt", ciiQDT}, {"xmlns:udt", ciiUDT}}}
	root.add(node("rsm:ExchangedDocumentContext",
		node("ram:GuidelineSpecifiedDocumentContextParameter", leaf("ram:ID", CIIGuideline))))
	ed := node("rsm:ExchangedDocument", leaf("ram:ID", d.Number), leaf("ram:TypeCode", code),
		node("ram:IssueDateTime", ciiDate("udt:DateTimeString", d.IssueDate)))
	for _, n := range d.Notes {
		ed.add(node("ram:IncludedNote", leaf("ram:Content", n)))
	}
	root.add(ed)
	tx := node("rsm:SupplyChainTradeTransaction")
	for _, l := range d.Lines {
		tx.add(node("ram:IncludedSupplyChainTradeLineItem",
			node("ram:AssociatedDocumentLineDocument", leaf("ram:LineID", l.ID)),
			node("ram:SpecifiedTradeProduct", leaf("ram:Name", l.Name), leaf("ram:Description", l.Description)),
			node("ram:SpecifiedLineTradeAgreement", node("ram:NetPriceProductTradePrice", leaf("ram:ChargeAmount", amount(l.Price)))),
			node("ram:SpecifiedLineTradeDelivery", leaf("ram:BilledQuantity", l.Quantity.String(), "unitCode", "C62")),
			node("ram:SpecifiedLineTradeSettlement", ciiTax(l.Category, l.Percent, decimal.Decimal{}, decimal.Decimal{}, "", "", false),
				node("ram:SpecifiedTradeSettlementLineMonetarySummation", leaf("ram:LineTotalAmount", amount(l.Net))))))
	}
	tx.add(node("ram:ApplicableHeaderTradeAgreement", leaf("ram:BuyerReference", d.BuyerRef),
		ciiParty("ram:SellerTradeParty", d.Seller), ciiParty("ram:BuyerTradeParty", d.Buyer),
		node("ram:BuyerOrderReferencedDocument", leaf("ram:IssuerAssignedID", d.OrderRef))))
	tx.add(kept("ram:ApplicableHeaderTradeDelivery"))
	st := node("ram:ApplicableHeaderTradeSettlement", leaf("ram:PaymentReference", d.Payment.Reference),
		leaf("ram:TaxCurrencyCode", d.TaxCurrency), leaf("ram:InvoiceCurrencyCode", d.Currency))
	if p := d.Payment; p.MeansCode != "" {
		st.add(node("ram:SpecifiedTradeSettlementPaymentMeans", leaf("ram:TypeCode", p.MeansCode),
			node("ram:PayeePartyCreditorFinancialAccount", leaf("ram:IBANID", p.IBAN)),
			node("ram:PayeeSpecifiedCreditorFinancialInstitution", leaf("ram:BICID", p.BIC))))
	}
	for _, b := range d.VAT {
		st.add(ciiTax(b.Category, b.Percent, b.Tax, b.Base, b.Reason, b.ReasonCode, true))
	}
	st.add(node("ram:BillingSpecifiedPeriod", ciiDateIn("ram:StartDateTime", d.PeriodStart), ciiDateIn("ram:EndDateTime", d.PeriodEnd)))
	for _, a := range d.Adjustments {
		st.add(node("ram:SpecifiedTradeAllowanceCharge",
			node("ram:ChargeIndicator", leaf("udt:Indicator", boolText(a.Charge))),
			leaf("ram:ActualAmount", amount(a.Amount)), leaf("ram:Reason", a.Reason),
			ciiTax(a.Category, a.Percent, decimal.Decimal{}, decimal.Decimal{}, "", "", false).rename("ram:CategoryTradeTax")))
	}
	terms := node("ram:SpecifiedTradePaymentTerms", leaf("ram:Description", d.Payment.Terms))
	if d.DueDate != "" {
		terms.add(ciiDateIn("ram:DueDateDateTime", d.DueDate))
	}
	st.add(terms)
	t := d.Totals
	sum := node("ram:SpecifiedTradeSettlementHeaderMonetarySummation", leaf("ram:LineTotalAmount", amount(t.LineNet)))
	if t.HasCharge {
		sum.add(leaf("ram:ChargeTotalAmount", amount(t.Charges)))
	}
	if t.HasAllow {
		sum.add(leaf("ram:AllowanceTotalAmount", amount(t.Allowances)))
	}
	sum.add(leaf("ram:TaxBasisTotalAmount", amount(t.WithoutVAT)),
		leaf("ram:TaxTotalAmount", amount(t.VAT), "currencyID", d.Currency))
	if d.TaxCurrency != "" {
		sum.add(leaf("ram:TaxTotalAmount", amount(d.TaxInTaxCurr), "currencyID", d.TaxCurrency))
	}
	sum.add(leaf("ram:GrandTotalAmount", amount(t.WithVAT)), leaf("ram:DuePayableAmount", amount(t.Due)))
	st.add(sum, node("ram:InvoiceReferencedDocument", leaf("ram:IssuerAssignedID", d.Preceding)))
	tx.add(st)
	root.add(tx)
	return writeDoc(w, root)
}

func (e *el) rename(name string) *el { e.name = name; return e }

// ciiTax is a trade tax: a line's or an allowance's category (header
// false), or a VAT breakdown with its amounts (header true). "Not subject
// to VAT" has no rate.
func ciiTax(code string, pct, tax, base decimal.Decimal, reason, reasonCode string, header bool) *el {
	t := node("ram:ApplicableTradeTax")
	if header {
		t.add(leaf("ram:CalculatedAmount", amount(tax)))
	}
	t.add(leaf("ram:TypeCode", "VAT"))
	if header {
		t.add(leaf("ram:ExemptionReason", reason), leaf("ram:BasisAmount", amount(base)))
	}
	t.add(leaf("ram:CategoryCode", code))
	if header {
		t.add(leaf("ram:ExemptionReasonCode", reasonCode))
	}
	if code != "O" {
		t.add(leaf("ram:RateApplicablePercent", pct.String()))
	}
	return t
}

func ciiParty(name string, p Party) *el {
	a := p.Address
	party := node(name, leaf("ram:Name", p.Name),
		node("ram:SpecifiedLegalOrganization", leaf("ram:ID", p.LegalID, "schemeID", p.LegalScheme)),
		node("ram:DefinedTradeContact", leaf("ram:PersonName", p.ContactName),
			node("ram:TelephoneUniversalCommunication", leaf("ram:CompleteNumber", p.Phone)),
			node("ram:EmailURIUniversalCommunication", leaf("ram:URIID", p.Email))),
		node("ram:PostalTradeAddress", leaf("ram:PostcodeCode", a.Postcode), leaf("ram:LineOne", a.Street),
			leaf("ram:LineTwo", a.Additional), leaf("ram:LineThree", a.Line3), leaf("ram:CityName", a.City),
			leaf("ram:CountryID", a.Country)),
		node("ram:URIUniversalCommunication", leaf("ram:URIID", p.Endpoint, "schemeID", p.EndpointScheme)))
	if p.VATID != "" {
		party.add(node("ram:SpecifiedTaxRegistration", leaf("ram:ID", p.VATID, "schemeID", "VA")))
	}
	return party
}

// ciiDate is a date in format 102 (YYYYMMDD).
func ciiDate(name, day string) *el {
	return leaf(name, strings.ReplaceAll(day, "-", ""), "format", "102")
}

func ciiDateIn(name, day string) *el { return node(name, ciiDate("udt:DateTimeString", day)) }
