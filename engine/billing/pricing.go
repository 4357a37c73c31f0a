package billing

import (
	"github.com/shopspring/decimal"

	"rebill/engine/customer"
)

// pricing applies the customer's pricing rules (Customer.RuleFor: the
// most specific matching rule) to charges. Provider credits, refunds and
// tax are passed through as received. Marketplace charges are pass-through
// under the reseller program, so only a rule that names the AWS Marketplace
// billing entity touches them.
type pricing struct {
	c *customer.Customer
}

// rule returns the rule for a bucket of the given role and the factor
// (1 + percent/100) it multiplies the charge by; ok is false, and the
// factor 1, when none applies.
func (p pricing) rule(b *bucket, r role) (rule customer.PricingRule, ok bool, f decimal.Decimal) {
	if r != roleCharge && r != roleMarketplace {
		return rule, false, one
	}
	rule, ok = p.c.RuleFor(string(b.key.provider), b.key.entity, b.key.code, b.key.usageType)
	if !ok || r == roleMarketplace && !marketplace(rule.BillingEntity) {
		return customer.PricingRule{}, false, one
	}
	return rule, true, factor(rule.Percent)
}

var one = decimal.NewFromInt(1)

// factor turns a percentage into a multiplier without division: 12.5 gives
// 1.125, exactly.
func factor(percent decimal.Decimal) decimal.Decimal {
	return one.Add(percent.Shift(-2))
}

// percentOf is p percent of d, exactly.
func percentOf(d, p decimal.Decimal) decimal.Decimal {
	return d.Mul(p.Shift(-2))
}

// discount applies the customer's global discount (negative percent) or
// uplift to its AWS charges net of provider credits and of the provider
// discounts passed on (in the service lines or apart); Marketplace, support
// and recurring charges are outside it, and a negative base gets none:
// rounding point 4, rounded once.
func (b *builder) discount(st *Statement) {
	if b.c.Adjustment.IsZero() {
		return
	}
	base := decimal.Max(b.sumRole(roleCharge).Add(b.sumRole(roleProviderDiscount)).Add(b.sumRole(roleCredit)).Decimal(), decimal.Zero)
	d := &DiscountDetail{Percent: b.c.Adjustment, Base: base, Unrounded: percentOf(base, b.c.Adjustment)}
	st.DiscountDetail = d
	st.Discount = b.mode.Round(d.Unrounded, b.currency)
}
