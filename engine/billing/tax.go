package billing

import "github.com/shopspring/decimal"

// passThroughTax charges the provider's Tax lines of the customer's
// accounts (those on Marketplace only when Marketplace is included) as
// they are: rounding point 6, their sum rounded once. It does not depend
// on reseller credits, which never pay tax.
func (b *builder) passThroughTax(st *Statement) {
	u := decimal.Zero
	for _, la := range b.order {
		if la.key.role == roleTax || la.key.role == roleMarketTax && b.opt.Marketplace {
			u = u.Add(la.priced)
		}
	}
	t := TaxLine{Name: "Tax as billed by the provider", Unrounded: u, Amount: b.mode.Round(u, b.currency)}
	st.TaxLines = []TaxLine{t}
	st.Tax = t.Amount
}

// NoteNoTaxRates is the statement's note when tax is asked for and the
// customer has neither a tax rate nor a VAT category saying why none is
// due: the invoice then charges no tax, which is rarely what was meant.
const NoteNoTaxRates = "Tax was asked for, but the customer has no tax rates: no tax is charged. Give it its rates, or the VAT category that says why none is due (AE for a reverse charge, E for exempt)"

// customerTax applies the customer's rates to the taxable base (charges
// without Marketplace) net of the reseller credits that paid taxable
// charges (credits pay those first): rounding point 6, each rate rounded
// once. A negative base (provider refunds larger than the month's charges)
// is taxed as zero: negative tax belongs on a credit note.
func (b *builder) customerTax(st *Statement) {
	if len(b.c.TaxRates) == 0 && b.c.EInvoice.VATCategory == "" {
		b.notes = append(b.notes, NoteNoTaxRates)
	}
	taxable := st.taxable().Decimal()
	paid := decimal.Min(st.CreditsApplied.Neg().Decimal(), decimal.Max(taxable, decimal.Zero))
	base := decimal.Max(taxable.Sub(paid), decimal.Zero)
	for _, r := range b.c.TaxRates {
		u := percentOf(base, r.Percent)
		t := TaxLine{Name: r.Name, Percent: r.Percent, Base: base, Unrounded: u, Amount: b.mode.Round(u, b.currency)}
		st.TaxLines = append(st.TaxLines, t)
		st.Tax = st.Tax.Add(t.Amount)
	}
}
