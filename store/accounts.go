package store

import (
	"slices"
	"time"

	"github.com/shopspring/decimal"
	bolt "go.etcd.io/bbolt"

	"rebill/engine/customer"
	"rebill/engine/money"
)

// AccountCost is one usage account of a month under one payer, with its
// exact unblended cost and its owner that month.
type AccountCost struct {
	Provider      string          `json:"provider"`
	Payer         string          `json:"payer"`
	Account       string          `json:"account"`
	Currency      string          `json:"currency"`
	Rows          int64           `json:"rows"`
	UnblendedCost decimal.Decimal `json:"unblended_cost"`
	Customer      string          `json:"customer"` // "" when unassigned
	// OwnersByDay are the account's owners by day when it moved inside
	// the month (customer.TransfersIn); Customer is then its owner on
	// the month's last day.
	OwnersByDay []customer.DayOwner `json:"owners_by_day,omitempty"`
}

// AccountCosts lists the usage accounts present in a YYYY-MM month's
// current deliveries, per provider and payer (in Periods order) then by
// account, each with its owner that month from the account mappings.
func (db *DB) AccountCosts(period string) ([]AccountCost, error) {
	periods, err := db.PeriodsOf(period)
	if err != nil {
		return nil, err
	}
	mappings, err := db.Mappings()
	if err != nil {
		return nil, err
	}
	owners := customer.OwnersAt(mappings, period)
	moved := customer.TransfersIn(mappings, period)
	type key struct{ provider, payer, account string }
	sums := map[key]*money.Sum{}
	var order []key
	out := map[key]*AccountCost{}
	for _, p := range periods {
		for _, acct := range p.AccountIDs() {
			k := key{string(p.Provider), p.Payer, acct}
			a := out[k]
			if a == nil {
				a = &AccountCost{Provider: k.provider, Payer: k.payer, Account: acct, Currency: p.Currency, Customer: owners[acct], OwnersByDay: moved[acct]}
				if days := moved[acct]; len(days) > 0 {
					a.Customer = days[len(days)-1].Customer
				}
				out[k], sums[k] = a, &money.Sum{}
				order = append(order, k)
			}
			sums[k].Add(p.Accounts[acct])
			a.Rows += p.AccountRows[acct]
		}
	}
	list := make([]AccountCost, 0, len(order))
	for _, k := range order {
		a := out[k]
		a.UnblendedCost = sums[k].Total()
		list = append(list, *a)
	}
	return list, nil
}

// Unassigned lists the accounts of a YYYY-MM month that no customer owns
// that month, with their exact unblended cost: the money no invoice will
// carry unless the accountant maps them. They are never dropped.
func (db *DB) Unassigned(period string) ([]AccountCost, error) {
	all, err := db.AccountCosts(period)
	if err != nil {
		return nil, err
	}
	out := []AccountCost{}
	for _, a := range all {
		if a.Customer == "" || slices.ContainsFunc(a.OwnersByDay, func(d customer.DayOwner) bool { return d.Customer == "" }) {
			out = append(out, a) // nobody's some days of the month: those days are billed to no one
		}
	}
	return out, nil
}

// FirstPeriod returns the earliest imported YYYY-MM month, and false when
// nothing is imported yet.
func (db *DB) FirstPeriod() (string, bool, error) {
	var first string
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		first, err = firstPeriod(tx)
		return err
	})
	return first, first != "", err
}

func firstPeriod(tx *bolt.Tx) (string, error) {
	ps, err := currentDeliveries(tx, "")
	first := ""
	for _, p := range ps {
		if first == "" || p.Period < first {
			first = p.Period
		}
	}
	return first, err
}

// MappingStart is the month a new mapping starts from when none is given:
// the earliest imported month, so that it covers everything on file, or
// now's month when nothing is imported yet. The window offers it in its
// form; Map takes it for a mapping given without its first month.
func (db *DB) MappingStart(now time.Time) (string, error) {
	var from string
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		from, err = mappingStart(tx, now)
		return err
	})
	return from, err
}

func mappingStart(tx *bolt.Tx, now time.Time) (string, error) {
	first, err := firstPeriod(tx)
	if first == "" {
		first = customer.MonthOf(now)
	}
	return first, err
}
