package einvoice

import (
	"fmt"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
	"rebill/engine/invoice"
)

// category is an EN 16931 VAT category with its rate and, for the
// categories that need one, the exemption reason (BT-120, BT-121).
type category struct {
	code       string
	percent    decimal.Decimal
	reason     string
	reasonCode string
}

// taxes is how an invoice's tax maps to EN 16931: the category of its
// charges and the one of its Marketplace charges, with the stored tax
// when one is charged.
type taxes struct {
	taxed, market category
	charged       bool
	base, amount  decimal.Decimal // the stored tax line's, signed as written
	// vatIDs is false when a category is "not subject to VAT", whose
	// invoices carry neither party's VAT identifier (BR-O-02).
	vatIDs bool
}

// taxOf maps the invoice's tax lines to VAT categories.
//
// Rebill charges each of the customer's rates on one base, the charges
// without Marketplace (billing.customerTax). EN 16931 gives every line
// exactly one VAT rate, so a customer taxed at one rate maps to category
// S at that rate for every line but Marketplace; two rates charged on the
// same base (a state and a county sales tax) cannot be written, nor can
// the provider's tax passed through as billed (it is no rate on a base).
//
// Marketplace charges are passed through untaxed: they are written as
// exempt (E) with that reason, beside the taxed lines; on an invoice
// whose charges are exempt or not subject to VAT they share its category.
//
// An invoice without tax takes the customer's category (reverse charge
// for intra-EU B2B, exempt, export, zero rated); without one it is "not
// subject to VAT" (O), which then covers the whole invoice (BR-O-11).
func taxOf(inv invoice.Invoice, f invoice.Figures, sign decimal.Decimal) (taxes, error) {
	var t taxes
	e := inv.Customer.EInvoice
	switch {
	case len(f.TaxLines) > 1:
		return t, fmt.Errorf("%s charges %d tax rates on the same charges, and an EN 16931 e-invoice has one VAT rate per line: give customer %s one combined rate, or issue it without an e-invoice", inv.Label(), len(f.TaxLines), inv.CustomerID)
	case len(f.TaxLines) == 1 && f.TaxLines[0].Percent.IsZero() && !f.TaxLines[0].Amount.IsZero():
		return t, fmt.Errorf("%s passes the provider's tax through as billed, which is not a VAT rate on a base as EN 16931 requires: generate it with the customer's own tax rate", inv.Label())
	case len(f.TaxLines) == 0 && !f.Tax.IsZero():
		return t, fmt.Errorf("%s has a tax of %s without a rate, which EN 16931 cannot state", inv.Label(), f.Tax)
	case len(f.TaxLines) == 1 && f.TaxLines[0].Percent.IsPositive():
		tl := f.TaxLines[0]
		t.taxed = category{code: "S", percent: tl.Percent}
		t.charged, t.base, t.amount = true, tl.Base.Mul(sign), tl.Amount.Decimal().Mul(sign)
	case len(f.TaxLines) == 1:
		t.taxed = category{code: customer.VATZeroRated}
	default:
		t.taxed = untaxed(e)
	}
	switch t.taxed.code {
	case customer.VATNotSubject, customer.VATExempt:
		t.market = t.taxed
	default:
		t.market = category{code: customer.VATExempt, reason: "Marketplace charges passed through without the seller's VAT"}
	}
	t.vatIDs = t.taxed.code != customer.VATNotSubject
	return t, nil
}

// untaxed is the category of an invoice charged no tax, with its reason
// (customer.BuyerEInvoice.Untaxed).
func untaxed(e customer.BuyerEInvoice) category {
	u := e.Untaxed()
	return category{code: u.Category, reason: u.Reason, reasonCode: u.Code}
}
