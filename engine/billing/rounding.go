package billing

import (
	"fmt"

	"github.com/shopspring/decimal"

	"rebill/engine/aggregate"
	"rebill/engine/money"
)

// Rounding is how a figure is brought to its currency's minor unit. It is an
// accountant's setting because the rule the customer was promised differs:
// half-up for most invoices, half-even for some public buyers, round-down to
// tie out with Microsoft's Azure invoices.
//
// Rebill rounds only at these points, each once, always with the
// statement's Rounding and the invoice currency's minor unit:
//
//  1. service line: the full-precision sum of the line's line items (after
//     the cost basis, re-rating and pricing rule, converted at the month's
//     rate) is rounded; one line per product code in its section;
//  2. recurring charge: its amount in the invoice currency is rounded;
//  3. support: the plan version's minimum and bands on the support base
//     (each service's AWS charges before provider discounts, rounded as a
//     service line is, then added up; see GrossBase), rounded once;
//  4. discount: the customer's percentage of the sum of the rounded charge,
//     provider discount (when shown apart) and provider credit lines,
//     rounded once;
//  5. reseller credits: each grant's balance is rounded down (toward zero,
//     whatever the mode) so a credit never spends more than was granted;
//  6. tax: each rate on the taxable base of rounded figures, rounded once
//     per rate (passed-through provider tax lines: their sum, rounded once).
//
// The subtotal and total are sums of printed figures and are not rounded.
// The usage view has its own rule (see UsageView).
type Rounding string

// Rounding modes. Half-up rounds halves away from zero (-0.125 gives -0.13),
// as accountants and AWS mean it; down rounds toward zero, as Excel's
// ROUNDDOWN in Microsoft's published Azure rule.
const (
	HalfUp   Rounding = "half-up"
	HalfEven Rounding = "half-even"
	Down     Rounding = "down"
)

// Roundings lists the modes, default first, for forms and flag help.
var Roundings = []Rounding{HalfUp, HalfEven, Down}

func (r Rounding) valid() error {
	switch r {
	case "", HalfUp, HalfEven, Down:
		return nil
	}
	return fmt.Errorf("rounding %q is not one of half-up, half-even, down", r)
}

// Round brings d to the minor unit of currency (USD 2 decimals, JPY 0):
// the one operation behind every rounding point of a statement. The zero
// Rounding is HalfUp.
func (r Rounding) Round(d decimal.Decimal, currency string) Amount {
	return Amount{value: r.round(d, money.Places(currency)), currency: currency}
}

func (r Rounding) round(d decimal.Decimal, places int32) decimal.Decimal {
	switch r {
	case HalfEven:
		return d.RoundBank(places)
	case Down:
		return d.RoundDown(places)
	}
	return d.Round(places)
}

// addCents adds d rounded half away from zero to the cent, the usage
// report's per-line-item rule (aggregate.AddCents).
var addCents = aggregate.AddCents
