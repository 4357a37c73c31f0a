package invoice

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/money"
)

// The fields a credit note request's refusals name (customer.Problem's
// Field), so that a form shows each beside what the accountant typed.
const (
	CreditFieldAmount = "amount"
	CreditFieldReason = "reason"
)

// amountProblem is a refusal of the amount to credit.
func amountProblem(format string, a ...any) error {
	return customer.Problem{Field: CreditFieldAmount, Message: fmt.Sprintf(format, a...)}
}

// CreditRequest asks for a credit note against an issued invoice.
type CreditRequest struct {
	ID string // the credit note's id, the store's
	// Amount is how much to credit, tax included, as a positive figure at
	// the currency's minor unit; zero credits everything not yet credited.
	Amount decimal.Decimal
	Reason string // printed on the credit note
	// Earlier are the invoice's credit notes so far; others are ignored,
	// so the store may pass all of the customer's credit notes.
	Earlier []Invoice
	Now     time.Time
}

// ParseCreditAmount reads an amount to credit as the accountant types it
// (money.ParseTyped: "25", "1,234.50"), tax included. It must be
// positive: leaving the amount out, not typing zero, credits all that is
// left.
func ParseCreditAmount(s string) (decimal.Decimal, error) {
	d, err := money.ParseTyped(s)
	if err != nil {
		return decimal.Zero, amountProblem("credit amount %v", err)
	}
	if !d.IsPositive() {
		return decimal.Zero, amountProblem("credit amount %s is not positive: write the amount to credit, e.g. 25.00, or credit all that is left", d)
	}
	return d, nil
}

// Creditable is what is left to credit on the invoice: its total less
// its credit notes among docs (whose totals are negative).
func (inv Invoice) Creditable(docs []Invoice) billing.Amount {
	left := inv.Total
	for _, n := range inv.CreditNotes(docs) {
		left = left.Add(n.Total)
	}
	return left
}

// CreditNote makes a Draft credit note against an Open or Closed invoice,
// linked to it, in its currency, never crediting more than is left.
//
// Its figures are negative, so an invoice and its credit notes add up to
// what the customer owes. Crediting the whole invoice when it has no
// earlier credit note mirrors every line of it (each section, discount,
// credits and tax, negated). A partial credit, or the rest of an invoice
// already partly credited, is one line in the Credits section plus each
// of the invoice's taxes on it (see partialCredit), so the note's total is
// exactly -Amount, its tax base is its taxed line, and crediting what is
// left always credits exactly the tax that is left.
func (inv Invoice) CreditNote(req CreditRequest) (Invoice, error) {
	if err := inv.Can(ActionCredit); err != nil {
		return Invoice{}, err
	}
	reason := strings.TrimSpace(req.Reason)
	switch {
	case strings.TrimSpace(req.ID) == "":
		return Invoice{}, fmt.Errorf("a credit note needs an id")
	case reason == "":
		return Invoice{}, customer.Problem{Field: CreditFieldReason, Message: fmt.Sprintf("a credit note of %s needs a reason (it is printed on the credit note)", inv.Label())}
	}
	notes := inv.CreditNotes(req.Earlier)
	left := inv.Creditable(notes)
	amount := req.Amount
	switch {
	case !left.Decimal().IsPositive():
		return Invoice{}, fmt.Errorf("%s has nothing left to credit: total %s %s, credited so far %s", inv.Label(), inv.Currency, inv.Total, inv.Total.Add(left.Neg()))
	case amount.IsNegative():
		return Invoice{}, amountProblem("credit amount %s is negative: write the amount to credit as a positive figure", amount)
	case amount.IsZero():
		amount = left.Decimal()
	case !atMinorUnit(amount, inv.Currency):
		return Invoice{}, amountProblem("credit amount %s has more decimals than %s allows", amount, inv.Currency)
	case amount.GreaterThan(left.Decimal()):
		return Invoice{}, amountProblem("credit amount %s %s is more than is left to credit on %s, %s (total %s less earlier credit notes)", inv.Currency, amount, inv.Label(), left, inv.Total)
	}
	var f Figures
	if len(notes) == 0 && amount.Equal(inv.Total.Decimal()) {
		f = inv.Figures.negate()
	} else {
		var err error
		if f, err = inv.partialCredit(notes, printed(amount, inv.Currency), left); err != nil {
			return Invoice{}, err
		}
	}
	note := Invoice{Version: Version, ID: req.ID, Kind: KindCreditNote, CustomerID: inv.CustomerID, Period: inv.Period,
		Status: Draft, Figures: f, Options: inv.Options, Customer: inv.Customer, Seller: inv.Seller,
		Generated: req.Now, Corrects: inv.ID, CorrectsNumber: inv.Number, Reason: reason}
	return note.clone(), nil
}

// partialCredit is the figures of a credit of amount out of left. The
// rule, so that an accountant can check every printed figure:
//
//   - the provider's tax passed through (no rate) is credited in
//     proportion to what is left of it, rounded once;
//   - the customer's rates (which all apply to one base, see
//     billing's customerTax) are charged on the note's taxed line: the
//     printed base is that line, and each tax is rate x base rounded once,
//     exactly as on the invoice;
//   - when the invoice has an untaxed part (Marketplace, or charges its
//     reseller credits paid), the taxed line takes the taxed base's share
//     of the amount and the rest is a second, untaxed line;
//   - when it has none, the taxed line is the net N with N + tax(N) equal
//     to the amount. Some amounts have no such N (with 20%, 24.98 is
//     20.82 + 4.16 and 25.00 is 20.83 + 4.17): those are refused, naming
//     the amounts around them, rather than print a tax that is not the
//     rate of its base;
//   - crediting all that is left credits exactly the tax and base left.
//
// The base used to be worked back from the rounded tax (4.17 / 20% =
// 20.85), which printed a base a few cents off the note's own subtotal.
func (inv Invoice) partialCredit(notes []Invoice, amount, left billing.Amount) (Figures, error) {
	cur, mode := inv.Currency, inv.rounding()
	f := Figures{Currency: cur, Discount: zero(cur), Support: zero(cur), Marketplace: zero(cur),
		CreditsApplied: zero(cur), Tax: zero(cur), Rates: inv.Figures.clone().Rates}
	all := amount.Decimal().Equal(left.Decimal())
	// What is left of each tax line and of the taxed base.
	type rest struct {
		t         TaxLine
		tax       billing.Amount
		base      decimal.Decimal
		rated     bool
		creditTax billing.Amount
	}
	var rests []rest
	taxLeft, ratedLeft := zero(cur), zero(cur)
	baseLeft, rated := decimal.Zero, false
	for _, t := range inv.TaxLines {
		r := rest{t: t, tax: t.Amount, base: t.Base, rated: !t.Percent.IsZero()}
		for _, n := range notes {
			for _, nt := range n.TaxLines {
				if nt.Name == t.Name {
					r.tax, r.base = r.tax.Add(nt.Amount), r.base.Add(nt.Base)
				}
			}
		}
		taxLeft = taxLeft.Add(r.tax)
		if r.rated {
			ratedLeft = ratedLeft.Add(r.tax)
			if !rated {
				baseLeft, rated = r.base, true
			}
		}
		rests = append(rests, r)
	}
	// The provider's tax, in proportion.
	passed := zero(cur)
	for i := range rests {
		r := &rests[i]
		if r.rated {
			continue
		}
		r.creditTax = r.tax
		if !all {
			r.creditTax = mode.Round(amount.Decimal().Mul(r.tax.Decimal()).DivRound(left.Decimal(), 16), cur)
		}
		passed = passed.Add(r.creditTax)
	}
	// What the net lines and the customer's rates share.
	share := amount.Add(passed.Neg())
	netLeft := left.Add(taxLeft.Neg())
	taxOn := func(base decimal.Decimal) (billing.Amount, []billing.Amount) {
		sum, parts := zero(cur), []billing.Amount{}
		for _, r := range rests {
			if r.rated {
				p := mode.Round(percentOf(base, r.t.Percent), cur)
				parts = append(parts, p)
				sum = sum.Add(p)
			}
		}
		return sum, parts
	}
	var taxed, untaxed billing.Amount
	var ratedParts []billing.Amount
	switch {
	case !rated || baseLeft.IsZero():
		// No rate, or a base of zero (the invoice's charges were covered
		// by provider refunds): the customer's rates credit nothing.
		taxed, untaxed = share, zero(cur)
		for _, r := range rests {
			if r.rated {
				ratedParts = append(ratedParts, zero(cur))
			}
		}
		rated = false
	case all:
		taxed = printed(baseLeft, cur)
		for _, r := range rests {
			if r.rated {
				ratedParts = append(ratedParts, r.tax)
			}
		}
		untaxed = share.Add(ratedLeft.Neg()).Add(taxed.Neg())
	case baseLeft.Equal(netLeft.Decimal()):
		n, parts, err := inv.netFor(share, passed, taxOn)
		if err != nil {
			return Figures{}, err
		}
		taxed, ratedParts, untaxed = n, parts, zero(cur)
	default:
		// The taxed base's share of the amount, then the untaxed rest;
		// a cent less of base when rounding would leave the rest negative.
		b := mode.Round(share.Decimal().Mul(baseLeft).DivRound(netLeft.Add(ratedLeft).Decimal(), 16), cur)
		unit := printed(decimal.New(1, -money.Places(cur)), cur)
		for {
			sum, parts := taxOn(b.Decimal())
			taxed, ratedParts, untaxed = b, parts, share.Add(sum.Neg()).Add(b.Neg())
			if !untaxed.Decimal().IsNegative() || !b.Decimal().IsPositive() {
				break
			}
			b = b.Add(unit.Neg())
		}
	}
	k := 0
	for i := range rests {
		r := &rests[i]
		tl := TaxLine{Name: r.t.Name, Percent: r.t.Percent}
		if r.rated {
			r.creditTax = ratedParts[k]
			k++
			if rated {
				tl.Base = taxed.Neg().Decimal()
			}
		}
		tl.Amount, tl.Unrounded = r.creditTax.Neg(), r.creditTax.Neg().Decimal()
		f.TaxLines = append(f.TaxLines, tl)
		f.Tax = f.Tax.Add(tl.Amount)
	}
	label := "Credit on " + inv.Label()
	lines := []Line{{Service: label, Amount: taxed.Neg(), Unrounded: taxed.Neg().Decimal()}}
	if !untaxed.IsZero() {
		lines = append(lines, Line{Service: label + untaxedPart, Amount: untaxed.Neg(), Unrounded: untaxed.Neg().Decimal()})
	}
	net := taxed.Add(untaxed).Neg()
	f.Sections = []Section{{ProductType: billing.Credits, Lines: lines, Subtotal: net}}
	f.Subtotal = net
	f.Total = amount.Neg()
	f.Unrounded = f.Total.Decimal()
	return f, nil
}

// untaxedPart ends the line of a partial credit note that credits the
// part of the amount no tax applied to (the invoice's Marketplace
// charges); the other line is the taxed part.
const untaxedPart = ", part not taxed"

// Untaxed reports whether the line is a partial credit note's untaxed
// part, which an e-invoice puts under the untaxed VAT category rather
// than the taxed one (its tax lines' base is the other line).
func (l Line) Untaxed() bool { return strings.HasSuffix(l.Service, untaxedPart) }

// netFor finds the net N whose taxes (taxOn) make share with it, on an
// invoice whose whole net is taxed; passed is the provider's tax credited
// beside them, only to name the amounts a refusal suggests. N + tax(N)
// grows by one or two minor units at a time, so it starts from share /
// (1 + rates) and looks a few units either side.
func (inv Invoice) netFor(share, passed billing.Amount, taxOn func(decimal.Decimal) (billing.Amount, []billing.Amount)) (billing.Amount, []billing.Amount, error) {
	cur := inv.Currency
	rates := decimal.Zero
	for _, t := range inv.TaxLines {
		rates = rates.Add(t.Percent)
	}
	unit := decimal.New(1, -money.Places(cur))
	start := printed(share.Decimal().DivRound(decimal.NewFromInt(1).Add(rates.Shift(-2)), 16), cur).Decimal()
	type try struct {
		n   billing.Amount
		sum billing.Amount
	}
	var below, above *try
	for i := -4; i <= 4; i++ {
		n := printed(start.Add(unit.Mul(decimal.NewFromInt(int64(i)))), cur)
		sum, parts := taxOn(n.Decimal())
		got := n.Add(sum)
		switch c := got.Decimal().Cmp(share.Decimal()); {
		case c == 0:
			return n, parts, nil
		case c < 0:
			below = &try{n, sum}
		case above == nil:
			above = &try{n, sum}
		}
	}
	if below == nil || above == nil {
		return billing.Amount{}, nil, fmt.Errorf("a credit of %s %s cannot be split into a net amount and its tax: credit all that is left instead", cur, share.Add(passed))
	}
	say := func(t *try) string {
		return fmt.Sprintf("%s (net %s, tax %s)", t.n.Add(t.sum).Add(passed), t.n, t.sum.Add(passed))
	}
	return billing.Amount{}, nil, fmt.Errorf("a credit of %s %s cannot be split into a net amount and its tax at the invoice's rates to the cent (the tax must be the rate of the net it is printed on): credit %s or %s instead",
		cur, share.Add(passed), say(below), say(above))
}

// percentOf is p percent of d, exactly.
func percentOf(d, p decimal.Decimal) decimal.Decimal { return d.Mul(p.Shift(-2)) }

// rounding is the rounding the invoice's figures were computed with.
func (inv Invoice) rounding() billing.Rounding { return inv.Options.Normalize().Rounding }
