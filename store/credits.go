package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
	bolt "go.etcd.io/bbolt"

	"rebill/engine/customer"
	"rebill/engine/invoice"
)

func grantRecord(g customer.Grant) record {
	return record{bucket: bucketGrants, key: u64(g.ID), kind: KindGrant, name: strconv.FormatUint(g.ID, 10), customer: g.Customer}
}

func useRecord(seq uint64, u customer.Use) record {
	return record{bucket: bucketUses, key: u64(seq), kind: KindUse, name: strconv.FormatUint(u.Grant, 10) + " " + u.Invoice, customer: u.Customer}
}

// grantsOf reads one customer's grants, by id (the order they were given).
func grantsOf(tx *bolt.Tx, customerID string) ([]customer.Grant, error) {
	out := []customer.Grant{}
	err := tx.Bucket(bucketGrants).ForEach(func(k, v []byte) error {
		var g customer.Grant
		if err := json.Unmarshal(v, &g); err != nil {
			return fmt.Errorf("credit grant %x is damaged in the database: %w", k, err)
		}
		if g.Customer == customerID {
			out = append(out, g)
		}
		return nil
	})
	return out, err
}

// usesOf reads one customer's credit uses, in the order recorded.
func usesOf(tx *bolt.Tx, customerID string) ([]customer.Use, error) {
	out := []customer.Use{}
	err := tx.Bucket(bucketUses).ForEach(func(k, v []byte) error {
		u, err := decodeUse(k, v)
		if err != nil {
			return err
		}
		if u.Customer == customerID {
			out = append(out, u)
		}
		return nil
	})
	return out, err
}

// decodeUse reads a stored use; its id is its key (uses recorded before
// they carried it have it from there).
func decodeUse(k, v []byte) (customer.Use, error) {
	var u customer.Use
	if err := json.Unmarshal(v, &u); err != nil {
		return u, fmt.Errorf("credit use %x is damaged in the database: %w", k, err)
	}
	if len(k) == 8 {
		u.ID = binary.BigEndian.Uint64(k)
	}
	return u, nil
}

// ledgers are the credit ledgers one transaction reads and writes: every
// grant and use read once, by customer, and kept current as uses are
// recorded, so that approving n drafts reads the ledger once rather than
// once per draft.
type ledgers struct {
	grants map[string][]customer.Grant
	uses   map[string][]customer.Use
}

// readLedgers reads every grant and use.
func readLedgers(tx *bolt.Tx) (*ledgers, error) {
	l := &ledgers{grants: map[string][]customer.Grant{}, uses: map[string][]customer.Use{}}
	if err := tx.Bucket(bucketGrants).ForEach(func(k, v []byte) error {
		var g customer.Grant
		if err := json.Unmarshal(v, &g); err != nil {
			return fmt.Errorf("credit grant %x is damaged in the database: %w", k, err)
		}
		l.grants[g.Customer] = append(l.grants[g.Customer], g)
		return nil
	}); err != nil {
		return nil, err
	}
	err := tx.Bucket(bucketUses).ForEach(func(k, v []byte) error {
		u, err := decodeUse(k, v)
		l.uses[u.Customer] = append(l.uses[u.Customer], u)
		return err
	})
	return l, err
}

// Grant records a reseller credit for a customer and returns it with its
// id. The grant's currency defaults to the customer's invoice currency;
// Granted is set to now.
func (db *DB) Grant(g customer.Grant, now time.Time) (customer.Grant, error) {
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		var err error
		g, err = addGrant(tx, g, now)
		return err
	})
	return g, err
}

func addGrant(tx *bolt.Tx, g customer.Grant, now time.Time) (customer.Grant, error) {
	c, err := getCustomer(tx, g.Customer)
	if err != nil {
		return g, err
	}
	if g.Currency == "" {
		g.Currency = c.Currency
	}
	if err := g.Validate(); err != nil {
		return g, err
	}
	id, err := tx.Bucket(bucketGrants).NextSequence()
	if err != nil {
		return g, err
	}
	g.ID, g.Granted = id, now.UTC()
	_, err = grantRecord(g).put(tx, g, now)
	return g, err
}

// Ledger returns a customer's credit grants (in the order given) and the
// uses recorded against them (in the order recorded).
func (db *DB) Ledger(customerID string) ([]customer.Grant, []customer.Use, error) {
	var gs []customer.Grant
	var us []customer.Use
	err := db.bolt.View(func(tx *bolt.Tx) error {
		if _, err := getCustomer(tx, customerID); err != nil {
			return err
		}
		var err error
		if gs, err = grantsOf(tx, customerID); err != nil {
			return err
		}
		us, err = usesOf(tx, customerID)
		return err
	})
	return gs, us, err
}

// Balance is a customer's credit in one currency.
type Balance struct {
	Currency string          `json:"currency"`
	Amount   decimal.Decimal `json:"amount"`
}

// CreditBalances returns what a customer can spend on an invoice of a
// YYYY-MM month, per currency of its grants (by currency code); see
// customer.Balance.
func (db *DB) CreditBalances(customerID, month string) ([]Balance, error) {
	gs, us, err := db.Ledger(customerID)
	if err != nil {
		return nil, err
	}
	out := []Balance{}
	seen := map[string]bool{}
	for _, g := range gs {
		if !seen[g.Currency] {
			seen[g.Currency] = true
			out = append(out, Balance{Currency: g.Currency, Amount: customer.Balance(customer.ByCurrency(gs, g.Currency), us, month)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Currency < out[j].Currency })
	return out, nil
}

// RecordUses records the credit an issued invoice used, in one
// transaction, refusing (see customer.CheckUses) any use of an unknown or
// expired grant or beyond a grant's remaining amount, so no balance ever
// goes negative. At is set to now.
func (db *DB) RecordUses(uses []customer.Use, now time.Time) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		l, err := readLedgers(tx)
		if err == nil {
			_, err = l.record(tx, uses, now)
		}
		return err
	})
}

// record is RecordUses inside a transaction, so that approving an
// invoice debits its credits in the transaction that issues it: checked
// first, then written, so a refusal writes nothing. It returns the uses
// as recorded, each with its id and time.
func (l *ledgers) record(tx *bolt.Tx, uses []customer.Use, now time.Time) ([]customer.Use, error) {
	byCustomer := map[string][]customer.Use{}
	var order []string
	for _, u := range uses {
		if byCustomer[u.Customer] == nil {
			order = append(order, u.Customer)
		}
		byCustomer[u.Customer] = append(byCustomer[u.Customer], u)
	}
	for _, id := range order {
		if err := customer.CheckUses(l.grants[id], l.uses[id], byCustomer[id]); err != nil {
			return nil, fmt.Errorf("customer %s: %w", id, err)
		}
	}
	b := tx.Bucket(bucketUses)
	out := make([]customer.Use, 0, len(uses))
	for _, u := range uses {
		seq, err := b.NextSequence()
		if err != nil {
			return nil, err
		}
		u.ID, u.At = seq, now.UTC()
		if _, err := useRecord(seq, u).put(tx, u, now); err != nil {
			return nil, err
		}
		l.uses[u.Customer] = append(l.uses[u.Customer], u)
		out = append(out, u)
	}
	return out, nil
}

// releaseCredits gives back to the ledger the reseller credit an issued
// invoice used: all of it (a void) or amount (a credit note reversing
// credits), by the engine's rule (customer.Release), each use reduced or
// removed with its change-log entry. The invoice names its uses by id;
// one issued before uses had ids has them looked up in the ledger.
func releaseCredits(tx *bolt.Tx, inv invoice.Invoice, amount decimal.Decimal, all bool, now time.Time) error {
	var uses []customer.Use
	b := tx.Bucket(bucketUses)
	byID := len(inv.CreditUses) > 0
	for _, u := range inv.CreditUses {
		byID = byID && u.ID != 0
	}
	if byID {
		for _, mine := range inv.CreditUses {
			k := u64(mine.ID)
			v := b.Get(k)
			if v == nil {
				continue // given back already
			}
			u, err := decodeUse(k, v)
			if err != nil {
				return err
			}
			uses = append(uses, u)
		}
	} else if err := b.ForEach(func(k, v []byte) error {
		u, err := decodeUse(k, v)
		if err == nil && u.Invoice == inv.ID {
			uses = append(uses, u)
		}
		return err
	}); err != nil {
		return err
	}
	removed, reduced := customer.Release(uses, amount, all)
	for _, u := range removed {
		if _, err := useRecord(u.ID, u).del(tx, now); err != nil {
			return err
		}
	}
	if reduced != nil {
		if _, err := useRecord(reduced.ID, *reduced).put(tx, *reduced, now); err != nil {
			return err
		}
	}
	return nil
}
