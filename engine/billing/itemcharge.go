package billing

import (
	"github.com/shopspring/decimal"

	"rebill/engine/customer"
	"rebill/engine/lineitem"
)

// ItemCharge is what one source line item contributes to a customer's
// statement, for the detailed exports: the sums of ItemCharge.Billed over
// the items of a printed line are that line's Unrounded exactly, because
// each item is decided by the same re-rating and pricing rules the month's
// buckets are (a bucket is only a sum of items with the same key).
type ItemCharge struct {
	// Included says the item counts in the statement: in the service line
	// Section/Service, or, with Section "", in the tax line Service (the
	// provider's Tax lines passed through). Otherwise Reason says why, and
	// Basis and Billed are zero.
	Included bool        `json:"included"`
	Reason   string      `json:"reason,omitempty"`
	Section  ProductType `json:"section,omitempty"`
	Service  string      `json:"service"`
	// Currency is the statement's currency Basis and Billed are in.
	Currency string `json:"currency"`
	// Basis is the item's cost under the statement's cost basis (re-rated:
	// the public on-demand cost of another customer's reservation's use,
	// zero for another customer's Savings Plan negation), converted to the
	// statement's currency, unrounded.
	Basis decimal.Decimal `json:"basis"`
	// Percent is the pricing rule's markup (positive) or discount
	// (negative) applied, zero when no rule applies (Ruled false).
	Percent decimal.Decimal `json:"percent"`
	Ruled   bool            `json:"ruled"`
	// Billed is Basis after the pricing rule, unrounded.
	Billed decimal.Decimal `json:"billed"`
}

// Reasons an item is not on a statement.
const (
	ReasonOtherCustomer  = "the account is not the customer's this month"
	ReasonMarketplace    = "Marketplace charges are not included"
	ReasonNoTax          = "the statement carries no tax"
	ReasonTaxReplaced    = "the provider's tax is replaced by the customer's own rates"
	ReasonMarketplaceTax = "tax on Marketplace charges, which are not included"
	ReasonSupport        = "the provider's support charge is replaced by the customer's support plan"
	ReasonOtherProvider  = "another provider's charge, billed on the customer's statement of that provider"
	ReasonDiscountKept   = "the provider discount is kept as the reseller's margin"
)

// ProviderTaxLine is the name of the statement's tax line that passes the
// provider's Tax lines through.
const ProviderTaxLine = "Tax as billed by the provider"

// Charger decides the charges of single line items for one customer and
// options, with the statement's own rules; it caches the exchange rates it
// looks up, so reuse one for all the items of an export. It is not safe
// for concurrent use.
type Charger struct {
	b *builder
}

// Charger prepares the charges of the customer's line items under opt, as
// Statement computes them. It fails on the options Statement rejects.
func (m *Month) Charger(c customer.Customer, opt Options) (*Charger, error) {
	m.seal()
	b, err := m.newBuilder(c, opt)
	if err != nil {
		return nil, err
	}
	return &Charger{b: b}, nil
}

// ItemCharge is the charge of one line item to a customer under opt (see
// Charger, which to prefer for many items).
func (m *Month) ItemCharge(it *lineitem.Item, c customer.Customer, opt Options) (ItemCharge, error) {
	ch, err := m.Charger(c, opt)
	if err != nil {
		return ItemCharge{}, err
	}
	return ch.Charge(it)
}

// Currency is the statement's currency.
func (ch *Charger) Currency() string { return ch.b.currency }

// Charge decides one line item: the bucket the month summed it into, with
// the item's amounts alone, through the same role, re-rating and pricing
// rule as the statement, converted at the statement's rate. It fails when
// an exchange rate the item needs is missing (a *RateError).
func (ch *Charger) Charge(it *lineitem.Item) (ItemCharge, error) {
	b, m := ch.b, ch.b.m
	bk := &bucket{key: m.keyOf(it), count: 1, tot: totals{unblended: it.UnblendedCost,
		blended: it.BlendedCost, list: listCost(it), partner: it.PartnerCredit}}
	r := m.roleOf(bk)
	service := bk.key.code
	if r == roleProviderDiscount && b.discounts != customer.DiscountsPassedOn {
		service = bk.key.code + " (" + providerDiscounts[bk.key.typ] + ")"
	}
	out := ItemCharge{Section: m.section(r, bk.key), Service: service, Currency: b.currency,
		Basis: decimal.Zero, Percent: decimal.Zero, Billed: decimal.Zero}
	switch r {
	case roleTax, roleMarketTax:
		out.Section, out.Service = "", ProviderTaxLine
	}
	reason := ""
	switch {
	case m.customerOf(bk.key) != b.c.ID:
		reason = ReasonOtherCustomer
	case bk.key.provider != b.provider:
		reason = ReasonOtherProvider
	case r == roleMarketplace && !b.opt.Marketplace:
		reason = ReasonMarketplace
	case (r == roleTax || r == roleMarketTax) && !b.opt.Tax:
		reason = ReasonNoTax
	case (r == roleTax || r == roleMarketTax) && b.opt.ProviderTax == ReplaceTax:
		reason = ReasonTaxReplaced
	case r == roleMarketTax && !b.opt.Marketplace:
		reason = ReasonMarketplaceTax
	case r == roleProviderSupport:
		reason = ReasonSupport
	case r == roleProviderDiscount && b.discounts == customer.DiscountsMargin:
		reason = ReasonDiscountKept
	}
	if reason != "" {
		out.Reason = reason
		return out, nil
	}
	rr, tiers := b.rerate(bk)
	if tiers != nil {
		share := b.itemTiered(it, bk.key, tiers)
		rr.charged, rr.chargedCents = share, share
	}
	pricedAs := r
	if r == roleProviderDiscount {
		pricedAs = roleCharge // as addBucket prices it
	}
	rule, ruled, f := b.pricing.rule(bk, pricedAs)
	priced := rr.charged
	if ruled {
		priced = priced.Mul(f)
		out.Ruled, out.Percent = true, rule.Percent
	}
	rate, err := b.rates.get(bk.key.currency)
	if err != nil {
		return ItemCharge{}, err
	}
	out.Included, out.Basis, out.Billed = true, rr.charged, priced
	if rate.converts() {
		out.Basis, out.Billed = out.Basis.Mul(rate.Rate), out.Billed.Mul(rate.Rate)
	}
	return out, nil
}
