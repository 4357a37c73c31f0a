package billing

import (
	"fmt"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
	"rebill/engine/lineitem"
)

// supportTier is one bracket of an AWS support price: percent of the
// charges up to upTo USD (0: no upper bound).
type supportTier struct {
	upTo    int64
	percent int64
}

// supportFormula is an AWS support plan's price: the greater of a monthly
// minimum and the sum of its tiers.
type supportFormula struct {
	name    string
	minimum int64 // USD
	tiers   []supportTier
}

// supportFormulas are AWS's published prices for its paid support plans
// (https://aws.amazon.com/premiumsupport/pricing/, "Pricing" section), on
// the monthly AWS charges of the customer's own accounts. Minimums and tier
// bounds are in US dollars; for another invoice currency they are converted
// at the month's USD rate.
//
//   - Developer: the greater of $29 or 3% of monthly charges.
//   - Business: the greater of $100 or 10% of the first $10K, 7% of
//     $10K-$80K, 5% of $80K-$250K and 3% above $250K.
//   - Enterprise On-Ramp: the greater of $5,500 or 10% of monthly charges.
//   - Enterprise: the greater of $15,000 or 10% of the first $150K, 7% of
//     $150K-$500K, 5% of $500K-$1M and 3% above $1M.
var supportFormulas = map[customer.SupportPlan]supportFormula{
	customer.SupportDeveloper: {name: "AWS Support (Developer)", minimum: 29,
		tiers: []supportTier{{0, 3}}},
	customer.SupportBusiness: {name: "AWS Support (Business)", minimum: 100,
		tiers: []supportTier{{10_000, 10}, {80_000, 7}, {250_000, 5}, {0, 3}}},
	customer.SupportEnterpriseOnRamp: {name: "AWS Support (Enterprise On-Ramp)", minimum: 5_500,
		tiers: []supportTier{{0, 10}}},
	customer.SupportEnterprise: {name: "AWS Support (Enterprise)", minimum: 15_000,
		tiers: []supportTier{{150_000, 10}, {500_000, 7}, {1_000_000, 5}, {0, 3}}},
}

// SupportDetail is how a support charge was computed: the trace behind the
// Support line and the figure support recomputation adds to the reseller's
// margin.
type SupportDetail struct {
	Plan    customer.SupportPlan `json:"plan"`
	Name    string               `json:"name"`
	Base    decimal.Decimal      `json:"base"`     // the charges it is computed on
	Percent decimal.Decimal      `json:"percent"`  // flat plans; zero for the others
	USDRate decimal.Decimal      `json:"usd_rate"` // 1 USD in the invoice currency; zero for flat plans
	Tiers   []TierCharge         `json:"tiers,omitempty"`
	Minimum decimal.Decimal      `json:"minimum"` // in the invoice currency; zero for flat plans
	// Unrounded is the fee at full precision, before its rounding point.
	Unrounded decimal.Decimal `json:"unrounded"`
}

// TierCharge is one bracket's share of a tiered support fee.
type TierCharge struct {
	From    decimal.Decimal `json:"from"`
	To      decimal.Decimal `json:"to"` // zero: no upper bound
	Percent decimal.Decimal `json:"percent"`
	Charge  decimal.Decimal `json:"charge"`
}

// SupportCharge computes a support plan's fee, unrounded, on charges in the
// invoice currency. usdRate is 1 USD in that currency (1 for USD), used
// only by the AWS tiered plans; flatPercent only by SupportFlat. Negative
// charges count as zero. SupportNone costs nothing.
func SupportCharge(plan customer.SupportPlan, flatPercent, charges, usdRate decimal.Decimal) (SupportDetail, error) {
	if charges.IsNegative() {
		charges = decimal.Zero
	}
	d := SupportDetail{Plan: plan, Base: charges}
	switch plan {
	case customer.SupportNone, "":
		d.Plan = customer.SupportNone
		return d, nil
	case customer.SupportFlat:
		d.Name = "Support (" + flatPercent.String() + "%)"
		d.Percent = flatPercent
		d.Unrounded = percentOf(charges, flatPercent)
		return d, nil
	}
	f, ok := supportFormulas[plan]
	if !ok {
		return d, fmt.Errorf("support plan %q is not one of none, developer, business, enterprise-on-ramp, enterprise, flat", plan)
	}
	d.Name = f.name
	d.USDRate = usdRate
	d.Minimum = decimal.NewFromInt(f.minimum).Mul(usdRate)
	from := decimal.Zero
	sum := decimal.Zero
	for _, t := range f.tiers {
		to := decimal.NewFromInt(t.upTo).Mul(usdRate)
		top := charges
		if t.upTo > 0 && to.LessThan(charges) {
			top = to
		}
		tc := TierCharge{From: from, Percent: decimal.NewFromInt(t.percent)}
		if t.upTo > 0 {
			tc.To = to
		}
		if top.GreaterThan(from) {
			tc.Charge = percentOf(top.Sub(from), tc.Percent)
		}
		sum = sum.Add(tc.Charge)
		d.Tiers = append(d.Tiers, tc)
		if t.upTo == 0 || !charges.GreaterThan(to) {
			break
		}
		from = to
	}
	d.Unrounded = decimal.Max(sum, d.Minimum)
	return d, nil
}

// addSupport recomputes the customer's support plan from its own rounded
// AWS charges (no Marketplace, provider credits, recurring or provider
// support lines, which it replaces) and rounds it once: rounding point 3.
func (b *builder) addSupport() error {
	plan := b.c.Support
	if plan == "" || plan == customer.SupportNone || b.provider != lineitem.AWS {
		return nil // support plans are AWS's: other providers' statements have none
	}
	usd := one
	if _, tiered := supportFormulas[plan]; tiered {
		r, err := b.rates.get("USD")
		if err != nil {
			return err
		}
		usd = r.Rate
	}
	d, err := SupportCharge(plan, b.c.SupportFlat, b.sumRole(roleCharge).Decimal(), usd)
	if err != nil {
		return fmt.Errorf("customer %s: %w", b.c.ID, err)
	}
	b.support = &d
	la := b.line(lineKey{role: roleSupport, section: Support, service: d.Name}, "")
	la.onStatement = true
	la.priced, la.basis = d.Unrounded, d.Unrounded
	la.amount = b.mode.Round(d.Unrounded, b.currency)
	la.trace = &Trace{Basis: b.basis, Support: &d}
	b.finishTrace(la.trace, d.Unrounded, la.amount)
	return nil
}
