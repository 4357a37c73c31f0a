package billing

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
	"rebill/engine/lineitem"
)

// builder holds one statement while it is computed.
type builder struct {
	m        *Month
	c        customer.Customer
	opt      Options
	provider lineitem.Provider // the statement's (Options.Cloud)
	basis    customer.CostBasis
	currency string
	mode     Rounding
	rates    rates
	pricing  pricing
	lines    map[lineKey]*lineAcc
	order    []*lineAcc
	printed  []*lineAcc // the statement's lines in printed order
	support  *SupportDetail
	notes    []string
	// discounts is what the statement does with provider discounts: the
	// customer's override, else the reseller's setting (Options), else
	// passed on inside the service line.
	discounts customer.DiscountMode
	// termsFrom is the month the customer's terms that price the month
	// apply from (Trace.TermsFrom).
	termsFrom string
	// tiered are the customer's usage buckets priced through its price
	// table (tieredCharges).
	tiered map[bucketKey]tiered
}

// lineKey identifies a line: a product code in a role and section.
type lineKey struct {
	role    role
	section ProductType
	service string
}

// lineAcc is one line being computed: per file currency sums while the
// buckets are added, then converted to the invoice currency.
type lineAcc struct {
	key         lineKey
	code        string // the product code of a service or provider discount line
	provider    lineitem.Provider
	name        string
	onStatement bool
	parts       []part
	tracer      tracer
	recurring   []customer.RecurringCharge

	// In the invoice currency at full precision, after convert.
	unblended, blended, basis, priced, pricedCents decimal.Decimal
	// discount is the part of priced that is provider discounts.
	discount decimal.Decimal
	rates    []Rate
	amount   Amount
	trace    *Trace
}

// part is a line's sums in one file currency: unblended and blended as in
// the console, basis after re-rating, priced after the pricing rule, and
// pricedCents from the usage view's per-line-item cents.
type part struct {
	currency                                                 string
	unblended, blended, basis, priced, pricedCents, discount decimal.Decimal
}

func (m *Month) newBuilder(c customer.Customer, opt Options) (*builder, error) {
	if c.ID == "" {
		return nil, fmt.Errorf("the customer has no ID")
	}
	if err := m.readFor(c.ID); err != nil {
		return nil, err
	}
	// A month is priced with the terms that applied in it, so that an
	// invoiced month recomputes to its invoice after later edits.
	termsFrom := c.TermsFrom(m.cfg.Period)
	c = c.At(m.cfg.Period)
	basis := opt.Basis
	if basis == "" {
		basis = c.Basis
	}
	if basis == "" {
		basis = customer.BasisRerated
	}
	if err := validBasis(basis); err != nil {
		return nil, err
	}
	if err := opt.Check(); err != nil {
		return nil, err
	}
	opt = opt.Normalize()
	opt.Basis = basis
	provider := opt.Cloud()
	currency := c.Currency
	if currency == "" {
		currency = fileCurrency(m.bucketsOf(c.ID, provider))
	}
	b := &builder{m: m, c: c, opt: opt, provider: provider, basis: basis, currency: currency, mode: opt.Rounding,
		rates: rates{lookup: m.cfg.Rates, period: m.cfg.Period, to: currency},
		lines: map[lineKey]*lineAcc{}}
	b.pricing = pricing{c: &b.c}
	b.termsFrom = termsFrom
	b.discounts = discountMode(c, opt)
	if err := b.tieredCharges(); err != nil {
		return nil, err
	}
	if basis == customer.BasisBlended {
		b.notes = append(b.notes, "blended cost basis: for comparison only, not for invoicing")
	}
	return b, nil
}

func (b *builder) line(k lineKey, name string) *lineAcc {
	la := b.lines[k]
	if la == nil {
		la = &lineAcc{key: k, name: name}
		b.lines[k] = la
		b.order = append(b.order, la)
	}
	return la
}

func (la *lineAcc) part(currency string) *part {
	for i := range la.parts {
		if la.parts[i].currency == currency {
			return &la.parts[i]
		}
	}
	la.parts = append(la.parts, part{currency: currency})
	return &la.parts[len(la.parts)-1]
}

// discountMode is the provider discount mode of a customer's statement.
func discountMode(c customer.Customer, opt Options) customer.DiscountMode {
	switch {
	case c.ProviderDiscounts != "":
		return c.ProviderDiscounts
	case opt.ProviderDiscounts != "":
		return opt.ProviderDiscounts
	}
	return customer.DiscountsPassedOn
}

// lineOf is the line a bucket of role r is summed into. A provider
// discount passed on is part of its service's line; shown apart or kept
// as margin, it has a line of its own named after the service and the
// discount ("AmazonEC2 (EDP discount)"), which sorts right under the
// service's line.
func (b *builder) lineOf(bk *bucket, r role) *lineAcc {
	name := bk.name
	if r == roleMarketplace && bk.seller != "" && name != "" {
		name = strings.TrimSpace(name + " (" + bk.seller + ")")
	}
	service := bk.key.code
	if r == roleProviderDiscount {
		if b.discounts == customer.DiscountsPassedOn {
			r = roleCharge
		} else {
			service = bk.key.code + " (" + providerDiscounts[bk.key.typ] + ")"
			name = strings.TrimSpace(name + " " + providerDiscounts[bk.key.typ])
		}
	}
	la := b.line(lineKey{role: r, section: b.m.section(r, bk.key), service: service}, name)
	if la.name == "" {
		// A line's first bucket may be one whose items name no product
		// (a Marketplace fee or tax usage type); the line is named by the
		// first that does, never by its code when a name is known.
		la.name = name
	}
	la.code, la.provider = bk.key.code, bk.key.provider
	return la
}

// addBucket puts a bucket's sums into its line: re-rated under the basis,
// priced by the customer's rule, still in the file's currency. A provider
// discount is priced by the rule of the service it reduces, wherever it
// is shown, so that showing it apart never changes what the customer pays.
func (b *builder) addBucket(bk *bucket) {
	r := b.m.roleOf(bk)
	la := b.lineOf(bk, r)
	switch la.key.role {
	case roleCharge, roleCredit:
		la.onStatement = true
	case roleMarketplace:
		la.onStatement = b.opt.Marketplace
	case roleProviderDiscount:
		la.onStatement = b.discounts == customer.DiscountsSeparate
	}
	rr, tiers := b.rerate(bk)
	pricedAs := r
	if r == roleProviderDiscount {
		pricedAs = roleCharge
	}
	rule, ruled, f := b.pricing.rule(bk, pricedAs)
	priced, pricedCents := rr.charged, rr.chargedCents
	if ruled {
		priced, pricedCents = priced.Mul(f), pricedCents.Mul(f)
	}
	p := la.part(bk.key.currency)
	p.unblended = p.unblended.Add(bk.tot.unblended)
	p.blended = p.blended.Add(bk.tot.blended)
	p.basis = p.basis.Add(rr.charged)
	p.priced = p.priced.Add(priced)
	p.pricedCents = p.pricedCents.Add(pricedCents)
	if r == roleProviderDiscount {
		p.discount = p.discount.Add(priced)
	}
	la.tracer.add(bk, rr, rule, ruled, priced)
	if tiers != nil {
		la.tracer.tiers = append(la.tracer.tiers, tiers.tiers...)
	}
}

// addRecurring adds the customer's custom charges and credits running in
// the period, in the Recurring section. They are in the invoice currency, and
// on one statement of the month: its home provider's (Month.homeProvider).
func (b *builder) addRecurring() {
	if b.provider != b.m.homeProvider(b.c.ID) {
		return
	}
	for _, rc := range b.c.RecurringIn(b.m.cfg.Period) {
		la := b.line(lineKey{role: roleRecurring, section: Recurring, service: rc.Description}, "")
		la.onStatement = true
		p := la.part(b.currency)
		p.priced = p.priced.Add(rc.Amount)
		p.pricedCents = p.pricedCents.Add(rc.Amount)
		p.basis = p.basis.Add(rc.Amount)
		la.recurring = append(la.recurring, rc)
	}
}

// convert brings every line to the invoice currency at full precision and
// rounds it: rounding point 1 (service line) and 2 (recurring charge).
func (b *builder) convert() error {
	for _, la := range b.order {
		for _, p := range la.parts {
			rate, err := b.rates.get(p.currency)
			if err != nil {
				return err
			}
			conv := func(d decimal.Decimal) decimal.Decimal {
				if !rate.converts() {
					return d
				}
				return d.Mul(rate.Rate)
			}
			la.unblended = la.unblended.Add(conv(p.unblended))
			la.blended = la.blended.Add(conv(p.blended))
			la.basis = la.basis.Add(conv(p.basis))
			la.priced = la.priced.Add(conv(p.priced))
			la.pricedCents = la.pricedCents.Add(conv(p.pricedCents))
			la.discount = la.discount.Add(conv(p.discount))
			if rate.converts() {
				la.rates = append(la.rates, rate)
			}
		}
		la.amount = b.mode.Round(la.priced, b.currency)
		if la.onStatement {
			t := la.tracer.trace(b.basis)
			if la.key.role == roleRecurring {
				t = &Trace{Basis: b.basis, Recurring: la.recurring}
			}
			for _, a := range sortedKeys(la.tracer.moved) {
				if d, ok := DaysOwned(b.m.cfg.Transfers[a], b.c.ID, b.m.cfg.Period); ok {
					d.Account = a
					t.AccountDays = append(t.AccountDays, d)
				}
			}
			t.Rates = la.rates
			b.finishTrace(t, la.priced, la.amount)
			la.trace = t
		}
	}
	return nil
}

func (b *builder) finishTrace(t *Trace, unrounded decimal.Decimal, a Amount) {
	t.TermsFrom = b.termsFrom
	t.Unrounded = unrounded
	t.Rounding = b.mode
	t.RoundingAdjustment = a.Decimal().Sub(unrounded)
}

// sumRole adds the printed amounts of the statement's lines of one role.
func (b *builder) sumRole(r role) Amount {
	s := zero(b.currency)
	for _, la := range b.order {
		if la.onStatement && la.key.role == r {
			s = s.Add(la.amount)
		}
	}
	return s
}

// sections sorts the statement's lines into the printed order (by product
// type, then service name) and groups them.
func (b *builder) sections() []Section {
	b.printed = b.printed[:0]
	for _, la := range b.order {
		if la.onStatement {
			b.printed = append(b.printed, la)
		}
	}
	sort.SliceStable(b.printed, func(i, j int) bool {
		x, y := b.printed[i].key, b.printed[j].key
		if x.section != y.section {
			return sectionOrder(x.section) < sectionOrder(y.section)
		}
		return x.service < y.service
	})
	out := []Section{}
	for _, la := range b.printed {
		if len(out) == 0 || out[len(out)-1].ProductType != la.key.section {
			out = append(out, Section{ProductType: la.key.section, Subtotal: zero(b.currency)})
		}
		s := &out[len(out)-1]
		s.Lines = append(s.Lines, Line{Service: la.key.service, Name: la.name, Amount: la.amount,
			Unrounded: la.priced, Trace: la.trace})
		s.Subtotal = s.Subtotal.Add(la.amount)
	}
	return out
}

// sortedKeys lists a set's keys in order.
func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
