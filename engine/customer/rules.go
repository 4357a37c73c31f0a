package customer

import "strings"

// RuleFor returns the pricing rule that applies to a charge, and whether
// one does. A rule matches when each of its non-empty criteria equals the
// charge's value (exactly, case included: providers' codes are
// case-sensitive). Among matching rules the most specific wins:
//
//  1. the rule with more criteria set wins;
//  2. between rules with as many criteria, the criteria are ranked usage
//     type > product code > billing entity > provider, and the rule whose
//     highest-ranked criterion (then the next, and so on) is set wins: a
//     usage-type rule beats a product-code rule, which beats a
//     billing-entity rule;
//  3. two rules with the very same criteria are refused by Validate; if
//     they occur anyway, the first in the list wins.
//
// The order is fixed so that the same charge is always priced the same
// way, whatever order the accountant typed the rules in.
func (c *Customer) RuleFor(provider, billingEntity, productCode, usageType string) (PricingRule, bool) {
	charge := [4]string{provider, billingEntity, productCode, usageType}
	best, bestRank, found := PricingRule{}, -1, false
	for _, r := range c.PricingRules {
		if !r.matches(charge) {
			continue
		}
		if rank := r.specificity(); rank > bestRank {
			best, bestRank, found = r, rank, true
		}
	}
	return best, found
}

// criteria returns the rule's criteria in charge order: provider, billing
// entity, product code, usage type.
func (r PricingRule) criteria() [4]string {
	return [4]string{r.Provider, r.BillingEntity, r.ProductCode, r.UsageType}
}

func (r PricingRule) matches(charge [4]string) bool {
	for i, want := range r.criteria() {
		if want != "" && want != charge[i] {
			return false
		}
	}
	return true
}

// specificity ranks a rule: the number of criteria set first, then a bit
// per criterion with usage type the highest bit, as documented on RuleFor.
func (r PricingRule) specificity() int {
	count, bits := 0, 0
	for i, v := range r.criteria() { // i: 0 provider .. 3 usage type
		if v != "" {
			count++
			bits |= 1 << i
		}
	}
	return count<<4 | bits
}

// describe names the rule's criteria for messages, e.g.
// "product code AmazonEC2, usage type BoxUsage:m5.large".
func (r PricingRule) describe() string {
	names := [4]string{"provider", "billing entity", "product code", "usage type"}
	var parts []string
	for i, v := range r.criteria() {
		if v != "" {
			parts = append(parts, names[i]+" "+v)
		}
	}
	if len(parts) == 0 {
		return "every charge"
	}
	return strings.Join(parts, ", ")
}

// ActiveIn reports whether the charge is billed in a YYYY-MM month: from
// its first month to its last, inclusive.
func (r RecurringCharge) ActiveIn(month string) bool {
	return r.From <= month && (r.Until == "" || month <= r.Until)
}

// RecurringIn returns the recurring charges and credits billed in a month,
// in the order the accountant listed them (the invoice keeps that order).
func (c *Customer) RecurringIn(month string) []RecurringCharge {
	var out []RecurringCharge
	for _, r := range c.Recurring {
		if r.ActiveIn(month) {
			out = append(out, r)
		}
	}
	return out
}
