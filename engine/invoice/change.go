package invoice

import (
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
)

// MonthChange is how an invoice's total moved against the customer's invoice of
// an earlier month: the figure accountants check first in a preview.
type MonthChange struct {
	By billing.Amount // cur.Total - prev.Total, in the invoices' currency
	// Percent is By as a percentage of the earlier total's magnitude,
	// rounded half-up to one decimal; absent when the earlier total is 0.
	Percent    decimal.Decimal
	HasPercent bool
}

// ChangeFrom compares cur with prev. ok is false when the two are in
// different currencies, which cannot be compared without a rate.
func ChangeFrom(prev, cur Invoice) (c MonthChange, ok bool) {
	if prev.Total.Currency() != cur.Total.Currency() {
		return MonthChange{}, false
	}
	c.By = cur.Total.Add(prev.Total.Neg())
	if base := prev.Total.Decimal().Abs(); !base.IsZero() {
		c.Percent = c.By.Decimal().Mul(decimal.NewFromInt(100)).DivRound(base, 1)
		c.HasPercent = true
	}
	return c, true
}

// TotalsByCurrency adds invoices' totals per currency, sorted by currency
// code, for summaries such as "USD 1,234.56 + EUR 80.00".
func TotalsByCurrency(invs []Invoice) []billing.Amount {
	sums := map[string]billing.Amount{}
	for _, inv := range invs {
		cur := inv.Total.Currency()
		if s, ok := sums[cur]; ok {
			sums[cur] = s.Add(inv.Total)
		} else {
			sums[cur] = inv.Total
		}
	}
	out := make([]billing.Amount, 0, len(sums))
	for _, s := range sums {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b billing.Amount) int { return strings.Compare(a.Currency(), b.Currency()) })
	return out
}

// NotableChange is the month-on-month change, in percent of the earlier
// total either way, from which a preview marks an invoice so that the
// accountant looks twice before approving it.
var NotableChange = decimal.NewFromInt(25)

// Notable reports whether the change is at least NotableChange percent
// either way; a change without a percentage (from a zero total) is not.
func (c MonthChange) Notable() bool {
	return c.HasPercent && c.Percent.Abs().GreaterThanOrEqual(NotableChange)
}

// Previous returns the customer's invoice among docs (the documents of
// an earlier month) that a new invoice is compared with: the approved
// one when there is one, else its draft; never a void invoice nor a
// credit note. ok is false when the customer has none: a new customer.
func Previous(docs []Invoice, customerID string) (prev Invoice, ok bool) {
	for _, d := range docs {
		if d.CustomerID != customerID || d.Kind != KindInvoice || d.Status == Void {
			continue
		}
		if !ok || prev.Status == Draft || d.Status != Draft {
			prev, ok = d, true
		}
	}
	return prev, ok
}
