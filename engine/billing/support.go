package billing

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
	"rebill/engine/lineitem"
)

// SupportBase says which charges a support plan is computed on.
type SupportBase string

// Support bases.
const (
	// GrossBase is AWS's rule and the default: the customer's own AWS
	// charges of the month before provider discounts (EdpDiscount,
	// PrivateRateDiscount, BundledDiscount, SppDiscount,
	// DistributorDiscount), provider credits and refunds, excluding
	// Marketplace, tax and support itself, each service line rounded as on
	// the statement. AWS's partner-led support pricing: "calculated based
	// on each month's gross AWS charges (before any discounts or credits
	// are applied)".
	GrossBase SupportBase = "gross"
	// NetBase is the same charges after provider discounts, for reseller
	// contracts that say so.
	NetBase SupportBase = "after-discounts"
)

// The rules as the trace states them.
const (
	grossBaseRule = "the customer's own AWS charges of the month before provider discounts (EDP, private pricing, bundled, SPP, distributor), provider credits and refunds; Marketplace, tax and support excluded; each service line rounded as on the statement"
	netBaseRule   = "the customer's own AWS charges of the month after provider discounts (EDP, private pricing, bundled, SPP, distributor), before provider credits and refunds; Marketplace, tax and support excluded; each service line rounded as on the statement (the reseller's setting: support base after provider discounts)"
)

// ParseSupportBase reads a support base as people type it: "gross",
// "after-discounts", "after provider discounts", "net".
func ParseSupportBase(s string) (SupportBase, error) {
	switch strings.NewReplacer("_", "-", " ", "-").Replace(strings.ToLower(strings.TrimSpace(s))) {
	case "gross", "before-discounts", "before-provider-discounts":
		return GrossBase, nil
	case "after-discounts", "after-provider-discounts", "net":
		return NetBase, nil
	}
	return "", fmt.Errorf("support base %q is not one of %s, %s", s, GrossBase, NetBase)
}

func (s SupportBase) valid() error {
	switch s {
	case "", GrossBase, NetBase:
		return nil
	}
	return fmt.Errorf("support base %q is not one of %s, %s", s, GrossBase, NetBase)
}

// SupportDetail is how a support charge was computed: the trace behind the
// Support line and the figure support recomputation adds to the reseller's
// margin.
type SupportDetail struct {
	// Plan is the customer's setting in the month; Version the stored plan
	// version that priced it, with its months and whether its figures
	// still await the accountant's confirmation.
	Plan      customer.SupportPlan `json:"plan"`
	Version   string               `json:"version"`
	Months    string               `json:"months"`
	ToConfirm bool                 `json:"to_confirm,omitempty"`
	Name      string               `json:"name"`
	// BaseRule states which charges Base is, BaseLines the service lines
	// it adds up (each rounded), Discounts the provider discounts on
	// those services, left out of a gross base and in a net one.
	BaseRule  string          `json:"base_rule"`
	BaseLines []BaseLine      `json:"base_lines,omitempty"`
	Discounts decimal.Decimal `json:"provider_discounts"`
	Base      decimal.Decimal `json:"base"`     // the charges it is computed on
	Percent   decimal.Decimal `json:"percent"`  // flat plans; zero for the others
	USDRate   decimal.Decimal `json:"usd_rate"` // 1 unit of the plan's currency in the invoice currency; zero for flat plans
	Tiers     []TierCharge    `json:"tiers,omitempty"`
	Minimum   decimal.Decimal `json:"minimum"` // in the invoice currency; zero for flat plans
	// Unrounded is the fee at full precision, before its rounding point.
	Unrounded decimal.Decimal `json:"unrounded"`
}

// BaseLine is one service's share of the support base: its charges before
// provider discounts (Gross) and the discounts (negative), each at full
// precision, and what it counts, rounded.
type BaseLine struct {
	Service   string          `json:"service"`
	Gross     decimal.Decimal `json:"gross"`
	Discounts decimal.Decimal `json:"provider_discounts"`
	Counted   Amount          `json:"counted"`
}

// TierCharge is one bracket's share of a tiered support fee.
type TierCharge struct {
	From    decimal.Decimal `json:"from"`
	To      decimal.Decimal `json:"to"` // zero: no upper bound
	Percent decimal.Decimal `json:"percent"`
	Charge  decimal.Decimal `json:"charge"`
}

// Charge computes the version's fee, unrounded, on charges in the invoice
// currency. rate is 1 unit of the plan's currency in the invoice currency
// (1 when they are the same), by which the minimum and the band bounds
// are converted; flatPercent is the customer's, used by a CustomerPercent
// plan. Negative charges count as zero.
func (p SupportPlan) Charge(flatPercent, charges, rate decimal.Decimal) SupportDetail {
	if charges.IsNegative() {
		charges = decimal.Zero
	}
	d := SupportDetail{Version: p.ID, Months: p.Months(), ToConfirm: p.ToConfirm, Name: p.Name, Base: charges}
	if p.CustomerPercent {
		d.Name = p.Name + " (" + flatPercent.String() + "%)"
		d.Percent = flatPercent
		d.Tiers = []TierCharge{{From: decimal.Zero, Percent: flatPercent, Charge: percentOf(charges, flatPercent)}}
		d.Unrounded = d.Tiers[0].Charge
		return d
	}
	d.USDRate = rate
	d.Minimum = p.Minimum.Mul(rate)
	sum := decimal.Zero
	for _, b := range p.Bands {
		from, to := b.From.Mul(rate), b.To.Mul(rate)
		open := b.To.IsZero()
		top := charges
		if !open && to.LessThan(charges) {
			top = to
		}
		tc := TierCharge{From: from, Percent: b.Percent}
		if !open {
			tc.To = to
		}
		if top.GreaterThan(from) {
			tc.Charge = percentOf(top.Sub(from), b.Percent)
		}
		sum = sum.Add(tc.Charge)
		d.Tiers = append(d.Tiers, tc)
		if open || !charges.GreaterThan(to) {
			break
		}
	}
	d.Unrounded = decimal.Max(sum, d.Minimum)
	return d
}

// supportBase adds up the support base from the statement's service
// lines, as the rule (GrossBase or NetBase) says: per service, the charges
// before (or after) the provider discounts on it, wherever the discount
// mode put them (inside the line, in a line of their own, or kept as
// margin), rounded once per service as a line on the statement is.
func (b *builder) supportBase(d *SupportDetail) {
	net := b.opt.SupportBase == NetBase
	d.BaseRule = grossBaseRule
	if net {
		d.BaseRule = netBaseRule
	}
	idx := map[string]int{}
	for _, la := range b.order {
		if la.provider != lineitem.AWS { // AWS support is priced on AWS charges only
			continue
		}
		var gross, disc decimal.Decimal
		switch la.key.role {
		case roleCharge:
			if !la.onStatement {
				continue
			}
			gross, disc = la.priced.Sub(la.discount), la.discount
		case roleProviderDiscount:
			disc = la.discount
		default:
			continue
		}
		i, ok := idx[la.code]
		if !ok {
			i = len(d.BaseLines)
			idx[la.code] = i
			d.BaseLines = append(d.BaseLines, BaseLine{Service: la.code})
		}
		l := &d.BaseLines[i]
		l.Gross, l.Discounts = l.Gross.Add(gross), l.Discounts.Add(disc)
	}
	base, discounts := zero(b.currency), decimal.Zero
	for i := range d.BaseLines {
		l := &d.BaseLines[i]
		counted := l.Gross
		if net {
			counted = counted.Add(l.Discounts)
		}
		l.Counted = b.mode.Round(counted, b.currency)
		base = base.Add(l.Counted)
		discounts = discounts.Add(l.Discounts)
	}
	d.Base, d.Discounts = base.Decimal(), discounts
}

// addSupport recomputes the customer's support plan of the month (the
// customer's setting, resolved to the plan version that prices it that
// month) on the support base, and rounds it once: rounding point 3. The
// provider's own support lines are never billed: the plan replaces them,
// and with plan "none" a note says so.
func (b *builder) addSupport() error {
	if b.provider != lineitem.AWS {
		return nil // support plans are AWS's: other providers' statements have none
	}
	setting, flat := b.c.SupportAt(b.m.cfg.Period)
	if setting == "" || setting == customer.SupportNone {
		b.noteUnbilledSupport()
		return nil
	}
	p, err := b.m.plans.For(setting, b.m.cfg.Period)
	if err != nil {
		return fmt.Errorf("customer %s: %w", b.c.ID, err)
	}
	if len(b.m.bucketsOf(b.c.ID, b.provider)) == 0 {
		// No line item of the month on any of the customer's accounts
		// (none owned that month, or a departed customer): AWS charged
		// nothing, not even a support fee, so the plan's minimum has
		// nothing to stand for.
		b.notes = append(b.notes, fmt.Sprintf(NoteNoChargesNoSupport, b.m.cfg.Period))
		return nil
	}
	rate := one
	if p.Currency != "" && !p.CustomerPercent {
		r, err := b.rates.get(p.Currency)
		if err != nil {
			return err
		}
		rate = r.Rate
	}
	var d SupportDetail
	b.supportBase(&d)
	pd := p.Charge(flat, d.Base, rate)
	pd.Plan, pd.BaseRule, pd.BaseLines, pd.Discounts = setting, d.BaseRule, d.BaseLines, d.Discounts
	d = pd
	b.support = &d
	la := b.line(lineKey{role: roleSupport, section: Support, service: d.Name}, "")
	la.onStatement = true
	la.priced, la.basis = d.Unrounded, d.Unrounded
	la.amount = b.mode.Round(d.Unrounded, b.currency)
	la.trace = &Trace{Basis: b.basis, Support: &d}
	b.finishTrace(la.trace, d.Unrounded, la.amount)
	return nil
}

// NoteNoChargesNoSupport is the statement's note when the customer has a
// support plan but its accounts have no AWS charges in the month.
const NoteNoChargesNoSupport = "no support fee: the customer's accounts have no AWS charges in %s, so its support plan's minimum does not apply"

// NoteUnbilledSupport is the statement's note when the customer has no
// support plan and the provider charged support to its accounts.
const NoteUnbilledSupport = "AWS support charged to %s is not billed: the customer has no support plan"

func (b *builder) noteUnbilledSupport() {
	var accounts []string
	seen := map[string]bool{}
	for _, bk := range b.m.byCustomer[b.c.ID] {
		if b.m.roleOf(bk) == roleProviderSupport && !bk.tot.unblended.IsZero() && !seen[bk.key.account] {
			seen[bk.key.account] = true
			accounts = append(accounts, bk.key.account)
		}
	}
	if len(accounts) == 0 {
		return
	}
	sort.Strings(accounts)
	what := "account " + accounts[0]
	if len(accounts) > 1 {
		what = "accounts " + strings.Join(accounts, ", ")
	}
	b.notes = append(b.notes, fmt.Sprintf(NoteUnbilledSupport, what))
}
