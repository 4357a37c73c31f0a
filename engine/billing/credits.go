package billing

import (
	"fmt"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
	"rebill/engine/money"
)

// Ledger is a customer's reseller credits as the store keeps them: what was
// granted and what earlier invoices already used. The store passes the uses
// that count against the balance (for a regenerated draft, not the draft's
// own earlier uses).
type Ledger struct {
	Grants []customer.Grant
	Uses   []customer.Use
}

// creditPlan is the outcome of applying reseller credits to one statement.
type creditPlan struct {
	uses    []customer.Use
	applied decimal.Decimal // positive
	carried decimal.Decimal // balance left in usable grants
	notes   []string
}

// allocateCredits spends the customer's grants on up to limit (a printed
// figure, never negative) with customer.Allocate: oldest expiry first,
// never beyond a grant's balance, the rest carried over. Only grants in the
// invoice currency can pay it (a grant without one is taken to be in it).
// Rounding point 5: each grant is rounded down to the minor unit first, so
// every use is a printable figure and none exceeds what was granted.
func allocateCredits(l Ledger, customerID, period, currency string, limit decimal.Decimal) creditPlan {
	var p creditPlan
	var grants []customer.Grant
	for _, g := range l.Grants {
		if g.Customer != "" && g.Customer != customerID || !g.UsableIn(period) {
			continue
		}
		if g.Customer == "" {
			g.Customer = customerID // so each use names its customer
		}
		if g.Currency == "" {
			g.Currency = currency
		}
		if g.Currency != currency {
			p.notes = append(p.notes, fmt.Sprintf("credit grant %d is in %s and the invoice in %s: not applied", g.ID, g.Currency, currency))
			continue
		}
		g.Amount = Down.round(g.Amount, money.Places(currency))
		grants = append(grants, g)
	}
	p.uses = customer.Allocate(grants, l.Uses, period, limit)
	for _, u := range p.uses {
		p.applied = p.applied.Add(u.Amount)
	}
	p.carried = customer.Balance(grants, append(append([]customer.Use{}, l.Uses...), p.uses...), period)
	return p
}

// applyCredits spends reseller credits on the statement: rounding point 5.
// They pay the charges (Marketplace only when the accountant allows it),
// never tax, so the statement never goes below zero because of them; a
// negative passed-through tax lowers what they may pay.
func (b *builder) applyCredits(st *Statement, ledger Ledger) {
	limit := st.charges()
	if !b.opt.CreditsPayMarketplace() {
		limit = st.taxable()
	}
	if st.Tax.Decimal().IsNegative() {
		limit = limit.Add(st.Tax)
	}
	p := allocateCredits(ledger, b.c.ID, b.m.cfg.Period, b.currency, decimal.Max(limit.Decimal(), decimal.Zero))
	st.CreditUses = p.uses
	st.CreditsApplied = Amount{value: p.applied.Neg(), currency: b.currency}
	st.CreditsCarried = Amount{value: p.carried, currency: b.currency}
	b.notes = append(b.notes, p.notes...)
}

// Available is the customer's reseller credit balance usable in a YYYY-MM
// period, in the invoice currency, after the uses the ledger records: what
// a statement could spend, shown also when credits are not applied. Only
// grants in that currency count (allocateCredits' rule, rounding point 5).
func (l Ledger) Available(customerID, period, currency string) Amount {
	p := allocateCredits(l, customerID, period, currency, decimal.Zero)
	return Amount{value: p.carried, currency: currency}
}
