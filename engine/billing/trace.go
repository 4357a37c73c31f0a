package billing

import (
	"sort"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
	"rebill/engine/lineitem"
)

// Trace is the explanation behind one statement line: the answer to "where
// does this number come from" that the accountant opens from any line.
// Amounts are unrounded; those of line items are in the file's currency.
type Trace struct {
	Basis customer.CostBasis `json:"basis"`
	// Types are the line items summed into the line, per line item type.
	Types []TypeTrace `json:"types,omitempty"`
	// Rerated are the DiscountedUsage and SavingsPlanNegation lines whose
	// charge depends on who bought the commitment, per commitment owner.
	Rerated []RerateTrace `json:"rerated,omitempty"`
	// Rules are the pricing rules applied to the line's charges.
	Rules []RuleTrace `json:"rules,omitempty"`
	// Rates are the exchange rates the line was converted at.
	Rates     []Rate                     `json:"rates,omitempty"`
	Support   *SupportDetail             `json:"support,omitempty"`
	Recurring []customer.RecurringCharge `json:"recurring,omitempty"`
	// Unrounded is the line at full precision in the invoice currency;
	// RoundingAdjustment is what rounding it added (amount - unrounded).
	Unrounded          decimal.Decimal `json:"unrounded"`
	Rounding           Rounding        `json:"rounding"`
	RoundingAdjustment decimal.Decimal `json:"rounding_adjustment"`
	// AccountDays are the days of the accounts moved inside the month
	// whose line items the line sums: the customer's days alone.
	AccountDays []AccountDays `json:"account_days,omitempty"`
	// TermsFrom is the YYYY-MM month from which the customer's terms that
	// priced the line apply, when the customer's terms are dated
	// (customer.Customer.TermsHistory); "" when they have always applied.
	TermsFrom string `json:"terms_from,omitempty"`
	// Tiers are the price table tiers the line's usage was priced at,
	// in tier order (see TiersText).
	Tiers []TierTrace `json:"tiers,omitempty"`
}

// TypeTrace sums the line items of one line item type in a line.
type TypeTrace struct {
	Type     string          `json:"type"`
	Currency string          `json:"currency"`
	Items    int64           `json:"items"`
	Billed   decimal.Decimal `json:"billed"`  // lineItem/UnblendedCost
	Charged  decimal.Decimal `json:"charged"` // under the basis, before pricing rules
}

// RerateTrace shows, for the line items of one type covered by one
// account's reservations or Savings Plans, what AWS billed, what the usage
// costs on demand and what the customer is charged.
type RerateTrace struct {
	Type     string `json:"type"`
	Currency string `json:"currency"`
	// Owner is the account that bought the commitment, OwnerCustomer its
	// customer ("" for none, e.g. a distributor's shared payer).
	Owner         string `json:"owner"`
	OwnerCustomer string `json:"owner_customer"`
	// Kept is set when the commitment is the customer's own and its
	// benefit stays, exactly as AWS billed it.
	Kept     bool            `json:"kept"`
	Items    int64           `json:"items"`
	Billed   decimal.Decimal `json:"billed"`
	OnDemand decimal.Decimal `json:"on_demand"` // DiscountedUsage only
	Charged  decimal.Decimal `json:"charged"`
}

// RuleTrace is one pricing rule's effect on a line.
type RuleTrace struct {
	Rule     customer.PricingRule `json:"rule"`
	Currency string               `json:"currency"`
	Base     decimal.Decimal      `json:"base"`   // the charges it matched
	Change   decimal.Decimal      `json:"change"` // base x percent / 100
}

// tracer collects a line's trace while its buckets are added.
type tracer struct {
	types   map[[2]string]*TypeTrace
	rerated map[[3]string]*RerateTrace
	rules   []RuleTrace // few per line: found by a linear search, kept in the order met
	moved   map[string]bool
	tiers   []TierTrace
}

func (tr *tracer) add(b *bucket, rr rerate, rule customer.PricingRule, ruled bool, priced decimal.Decimal) {
	if tr.types == nil {
		tr.types = map[[2]string]*TypeTrace{}
	}
	k := [2]string{b.key.typ, b.key.currency}
	t := tr.types[k]
	if t == nil {
		t = &TypeTrace{Type: k[0], Currency: k[1]}
		tr.types[k] = t
	}
	t.Items += b.count
	t.Billed = t.Billed.Add(b.tot.unblended)
	t.Charged = t.Charged.Add(rr.charged)
	if b.key.customer != "" { // an account moved inside the month
		if tr.moved == nil {
			tr.moved = map[string]bool{}
		}
		tr.moved[b.key.account] = true
	}

	if rr.rerated {
		if tr.rerated == nil {
			tr.rerated = map[[3]string]*RerateTrace{}
		}
		k := [3]string{b.key.typ, b.key.owner, b.key.currency}
		r := tr.rerated[k]
		if r == nil {
			r = &RerateTrace{Type: k[0], Owner: k[1], Currency: k[2], OwnerCustomer: rr.ownerCustomer, Kept: rr.kept}
			tr.rerated[k] = r
		}
		r.Items += b.count
		r.Billed = r.Billed.Add(b.tot.unblended)
		if b.key.typ == lineitem.DiscountedUsage { // a negation has no on-demand cost of its own
			r.OnDemand = r.OnDemand.Add(b.tot.list)
		}
		r.Charged = r.Charged.Add(rr.charged)
	}

	if ruled {
		tr.addRule(rule, b.key.currency, rr.charged, priced.Sub(rr.charged))
	}
}

// addRule sums a rule's effect; rules are told apart by their criteria,
// which Customer.Validate keeps unique.
func (tr *tracer) addRule(rule customer.PricingRule, currency string, base, change decimal.Decimal) {
	for i := range tr.rules {
		r := &tr.rules[i]
		if r.Currency == currency && r.Rule.Provider == rule.Provider && r.Rule.BillingEntity == rule.BillingEntity &&
			r.Rule.ProductCode == rule.ProductCode && r.Rule.UsageType == rule.UsageType {
			r.Base, r.Change = r.Base.Add(base), r.Change.Add(change)
			return
		}
	}
	tr.rules = append(tr.rules, RuleTrace{Rule: rule, Currency: currency, Base: base, Change: change})
}

// trace returns the collected trace in a stable order: by type, by owner,
// rules as met.
func (tr *tracer) trace(basis customer.CostBasis) *Trace {
	t := &Trace{Basis: basis}
	for _, v := range tr.types {
		t.Types = append(t.Types, *v)
	}
	sort.Slice(t.Types, func(i, j int) bool {
		a, b := t.Types[i], t.Types[j]
		return a.Type < b.Type || a.Type == b.Type && a.Currency < b.Currency
	})
	for _, v := range tr.rerated {
		t.Rerated = append(t.Rerated, *v)
	}
	sort.Slice(t.Rerated, func(i, j int) bool {
		a, b := t.Rerated[i], t.Rerated[j]
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		return a.Owner < b.Owner || a.Owner == b.Owner && a.Currency < b.Currency
	})
	t.Rules = tr.rules
	t.Tiers = mergeTiers(tr.tiers)
	return t
}
