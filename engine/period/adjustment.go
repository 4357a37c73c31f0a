package period

import (
	"cmp"
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// Kinds of a line's change between two deliveries.
const (
	Added   = "added"
	Removed = "removed"
	Changed = "changed"
)

// Line is one usage account's charges for one service (product code).
type Line struct {
	Account string
	Service string
}

// Totals are a delivery's exact unblended totals per account and service.
type Totals map[Line]decimal.Decimal

// Add adds a line item's amount to its account and service.
func (t Totals) Add(account, service string, amount decimal.Decimal) {
	k := Line{Account: account, Service: service}
	t[k] = t[k].Add(amount)
}

// Adjustment is a delivery imported into a Closed month: what it changed
// against the delivery it replaced, per customer. The invoices already
// issued for the month do not change; `invoices corrections` shows the
// difference per invoice and `invoices correct` issues the credit note
// and replacement.
type Adjustment struct {
	At       time.Time `json:"at"`
	By       string    `json:"by,omitempty"`
	ImportID uint64    `json:"import_id"`
	Provider string    `json:"provider"`
	Payer    string    `json:"payer"`
	Period   string    `json:"period"`
	Currency string    `json:"currency"`
	// Delivery is the new current delivery, Previous the one it replaced
	// or completed (0 for the payer's first delivery of the month).
	Delivery uint64 `json:"delivery"`
	Previous uint64 `json:"previous,omitempty"`
	// ClosedAt is when the month was closed.
	ClosedAt time.Time `json:"closed_at"`
	// Was and Now are the payer's month totals before and after.
	Was decimal.Decimal `json:"was"`
	Now decimal.Decimal `json:"now"`
	// Customers lists what changed per customer; "" is the accounts no
	// customer owns that month.
	Customers []CustomerChange `json:"customers"`
}

// CustomerChange is what a re-delivery changed for one customer.
type CustomerChange struct {
	Customer string          `json:"customer"` // "" for unassigned accounts
	Was      decimal.Decimal `json:"was"`
	Now      decimal.Decimal `json:"now"`
	By       decimal.Decimal `json:"by"`
	Lines    []LineChange    `json:"lines"`
}

// LineChange is one account and service whose total changed.
type LineChange struct {
	Account string          `json:"account"`
	Service string          `json:"service"`
	Change  string          `json:"change"` // Added, Removed or Changed
	Was     decimal.Decimal `json:"was"`
	Now     decimal.Decimal `json:"now"`
	By      decimal.Decimal `json:"by"`
}

// Compare lists, per customer, the account and service totals that a new
// delivery added, removed or changed against the one before; a line
// whose total is the same (to the last decimal) is left out, and so is a
// customer with no such line. owners maps a usage account to its
// customer that month (customer.OwnersAt); an account missing from it is
// unassigned. Customers come in id order, unassigned last; lines by
// account, then service.
func Compare(before, after Totals, owners map[string]string) []CustomerChange {
	by := map[string]*CustomerChange{}
	note := func(l Line, kind string, was, now decimal.Decimal) {
		c := by[owners[l.Account]]
		if c == nil {
			c = &CustomerChange{Customer: owners[l.Account]}
			by[c.Customer] = c
		}
		c.Was, c.Now = c.Was.Add(was), c.Now.Add(now)
		c.Lines = append(c.Lines, LineChange{Account: l.Account, Service: l.Service, Change: kind, Was: was, Now: now, By: now.Sub(was)})
	}
	for l, was := range before {
		now, ok := after[l]
		switch {
		case !ok:
			note(l, Removed, was, decimal.Zero)
		case !now.Equal(was):
			note(l, Changed, was, now)
		}
	}
	for l, now := range after {
		if _, ok := before[l]; !ok {
			note(l, Added, decimal.Zero, now)
		}
	}
	out := make([]CustomerChange, 0, len(by))
	for _, c := range by {
		c.By = c.Now.Sub(c.Was)
		slices.SortFunc(c.Lines, func(a, b LineChange) int {
			return cmp.Or(cmp.Compare(a.Account, b.Account), cmp.Compare(a.Service, b.Service))
		})
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b CustomerChange) int {
		if (a.Customer == "") != (b.Customer == "") {
			if a.Customer == "" {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.Customer, b.Customer)
	})
	return out
}
