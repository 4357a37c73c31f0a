package customer

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/money"
)

// Grant is a credit the reseller gives a customer: spent on invoices,
// oldest expiry first, carried over until used up or expired.
type Grant struct {
	ID       uint64          `json:"id"`
	Customer string          `json:"customer"`
	Amount   decimal.Decimal `json:"amount"` // positive
	Currency string          `json:"currency"`
	Reason   string          `json:"reason"`
	Expires  string          `json:"expires"` // YYYY-MM, last month usable; "" = never
	Granted  time.Time       `json:"granted"`
}

// Use is the part of a grant an invoice consumed.
type Use struct {
	// ID is the use's id in the ledger (0 until recorded; uses recorded
	// before ids were kept have none).
	ID       uint64          `json:"id,omitempty"`
	Grant    uint64          `json:"grant"`
	Customer string          `json:"customer"` // the grant's customer, so a ledger is read without the grants
	Invoice  string          `json:"invoice"`  // the invoice that used it
	Period   string          `json:"period"`   // YYYY-MM billed
	Amount   decimal.Decimal `json:"amount"`   // positive
	At       time.Time       `json:"at"`
}

// Validate checks a grant before it is recorded (the customer's existence
// is the store's to check). It returns nil or Problems naming the fields
// customer, amount, currency, reason and expires.
func (g Grant) Validate() error {
	var ps problems
	if err := CheckID(g.Customer); err != nil {
		ps.add("customer", "customer %s", err)
	}
	if !g.Amount.IsPositive() {
		ps.add("amount", "credit amount %s is not positive: a grant gives the customer credit, so write a positive amount", g.Amount)
	}
	if err := CheckCurrency("currency", g.Currency); err != nil {
		ps.addErr("currency", err)
	} else if units, _ := money.MinorUnits(g.Currency); !g.Amount.Equal(g.Amount.Round(int32(units))) {
		ps.add("amount", "credit amount %s has more decimals than %s allows (%d): round it", g.Amount, g.Currency, units)
	}
	if strings.TrimSpace(g.Reason) == "" {
		ps.add("reason", "the credit has no reason: say why it is granted (it is shown on the invoice that uses it)")
	}
	if g.Expires != "" {
		ps.addErr("expires", CheckMonth("expires", g.Expires))
	}
	return ps.err()
}

// UsableIn reports whether the grant can pay an invoice of a YYYY-MM
// month: it has not expired by then (Expires is the last usable month).
func (g Grant) UsableIn(month string) bool {
	return g.Expires == "" || month <= g.Expires
}

// Remaining is what is left of a grant after the uses recorded against it
// (uses of other grants are ignored); never negative.
func Remaining(g Grant, uses []Use) decimal.Decimal {
	var spent money.Sum
	for _, u := range uses {
		if u.Grant == g.ID {
			spent.Add(u.Amount)
		}
	}
	left := g.Amount.Sub(spent.Total())
	if left.IsNegative() {
		return decimal.Zero
	}
	return left
}

// Balance is the credit a customer can spend on an invoice of a YYYY-MM
// month: what remains of the grants not expired by that month. Pass the
// grants of one currency (ByCurrency); amounts in different currencies do
// not add up.
func Balance(grants []Grant, uses []Use, month string) decimal.Decimal {
	var sum money.Sum
	for _, g := range grants {
		if g.UsableIn(month) {
			sum.Add(Remaining(g, uses))
		}
	}
	return sum.Total()
}

// ByCurrency returns the grants in one currency, in their order.
func ByCurrency(grants []Grant, currency string) []Grant {
	var out []Grant
	for _, g := range grants {
		if g.Currency == currency {
			out = append(out, g)
		}
	}
	return out
}

// Allocate spends up to amount of credit on an invoice of a YYYY-MM
// month and returns the uses to record, oldest expiry first so that
// credit about to expire is not lost: grants expiring sooner first, grants
// that never expire last, grants with the same expiry by id (the order
// they were given). It never spends more than the balance, so a balance
// never goes negative; a zero or negative amount spends nothing. The
// caller fills each Use's Invoice and At. Pass the grants of the
// invoice's currency.
func Allocate(grants []Grant, uses []Use, month string, amount decimal.Decimal) []Use {
	order := make([]Grant, 0, len(grants))
	for _, g := range grants {
		if g.UsableIn(month) {
			order = append(order, g)
		}
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if a.Expires != b.Expires {
			if a.Expires == "" || b.Expires == "" {
				return b.Expires == ""
			}
			return a.Expires < b.Expires
		}
		return a.ID < b.ID
	})
	var out []Use
	for _, g := range order {
		if !amount.IsPositive() {
			break
		}
		left := Remaining(g, uses)
		if !left.IsPositive() {
			continue
		}
		take := decimal.Min(left, amount)
		out = append(out, Use{Grant: g.ID, Customer: g.Customer, Period: month, Amount: take})
		amount = amount.Sub(take)
	}
	return out
}

// CheckUses verifies uses about to be recorded against the grants and the
// uses already recorded: each names a known grant of the same customer,
// an invoice and a month the grant is usable in, has a positive amount,
// and no grant is spent beyond its amount. It is what keeps a balance from
// ever going negative whoever computed the uses.
func CheckUses(grants []Grant, recorded, uses []Use) error {
	byID := map[uint64]Grant{}
	for _, g := range grants {
		byID[g.ID] = g
	}
	spent := append([]Use(nil), recorded...)
	for _, u := range uses {
		g, ok := byID[u.Grant]
		switch {
		case !ok:
			return fmt.Errorf("credit grant %d does not exist", u.Grant)
		case u.Customer != g.Customer:
			return fmt.Errorf("credit grant %d belongs to %s, not %s", g.ID, g.Customer, u.Customer)
		case strings.TrimSpace(u.Invoice) == "":
			return fmt.Errorf("a use of credit grant %d names no invoice: every use is linked to the invoice that used it", g.ID)
		case !ValidMonth(u.Period):
			return CheckMonth("period", u.Period)
		case !u.Amount.IsPositive():
			return fmt.Errorf("a use of credit grant %d is %s: uses are positive amounts", g.ID, u.Amount)
		case !g.UsableIn(u.Period):
			return fmt.Errorf("credit grant %d expired after %s and cannot pay for %s", g.ID, g.Expires, u.Period)
		}
		if left := Remaining(g, spent); u.Amount.GreaterThan(left) {
			return fmt.Errorf("credit grant %d has %s %s left, not %s: allocate credit with Allocate so the balance never goes negative", g.ID, left, g.Currency, u.Amount)
		}
		spent = append(spent, u)
	}
	return nil
}

// Release gives back reseller credit an invoice used: all of its uses
// (the invoice is void: it bills nothing, so it spends nothing), or
// amount of them (a credit note reversing credits), latest use first;
// each use is removed, or the last one reached reduced by what is left
// to give back. uses are the invoice's uses in the order recorded. It
// returns the uses to remove and the use to keep reduced, if any.
func Release(uses []Use, amount decimal.Decimal, all bool) (removed []Use, reduced *Use) {
	for i := len(uses) - 1; i >= 0 && (all || amount.IsPositive()); i-- {
		u := uses[i]
		if all || !amount.LessThan(u.Amount) {
			amount = amount.Sub(u.Amount)
			removed = append(removed, u)
			continue
		}
		u.Amount = u.Amount.Sub(amount)
		return removed, &u
	}
	return removed, nil
}

// GrantNumbers numbers a customer's credit grants 1, 2, ... in the order
// they were granted (by id), as the accountant counts them: the store's
// ids run across all customers, so a customer's first credit may be
// grant 7. Grants of other customers are not expected.
func GrantNumbers(grants []Grant) map[uint64]int {
	ids := make([]uint64, len(grants))
	for i, g := range grants {
		ids[i] = g.ID
	}
	slices.Sort(ids)
	n := make(map[uint64]int, len(ids))
	for i, id := range ids {
		n[id] = i + 1
	}
	return n
}
