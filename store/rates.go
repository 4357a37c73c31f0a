package store

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
	bolt "go.etcd.io/bbolt"

	"rebill/engine/billing"
	"rebill/engine/customer"
)

// Exchange rates the accountant entered, kept as billing.EnteredRate
// values in bucketRates under billing.RateKey; the rules (what a valid
// rate is, how a statement looks one up) are the engine's.

// KindRate is the change log's kind for exchange rates.
const KindRate = "rate"

func rateRecord(r billing.EnteredRate) record {
	return record{bucket: bucketRates, key: []byte(billing.RateKey(r.From, r.To, r.Period)), kind: KindRate, name: r.Pair() + " " + r.Period}
}

// PutRate records the rate of a pair for a month and returns it
// normalized with Entered set to now. A rate entered before for the pair
// and month is kept in the new one's History with its source and times
// (billing's Supersede rule; both also stay in the change log). Putting
// the same rate and source again changes nothing.
func (db *DB) PutRate(r billing.EnteredRate, now time.Time) (billing.EnteredRate, error) {
	e := r.Normalize()
	if err := e.Validate(); err != nil {
		return e, err
	}
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		old, ok, err := getRate(tx, e.From, e.To, e.Period)
		if err != nil {
			return err
		}
		e.History = nil // only the store writes the history
		if !ok {
			e.Entered = now.UTC()
		} else if e, ok = old.Supersede(e, now); !ok {
			return nil
		}
		_, err = rateRecord(e).put(tx, e, now)
		return err
	})
	return e, err
}

// DeleteRate removes the rate of a pair for a month; the change log keeps
// it. The error wraps ErrNotFound when there was none.
func (db *DB) DeleteRate(from, to, period string, now time.Time) error {
	r := billing.EnteredRate{From: from, To: to, Period: period}.Normalize()
	return db.bolt.Update(func(tx *bolt.Tx) error {
		ok, err := rateRecord(r).del(tx, now)
		if err == nil && !ok {
			err = customer.NotFound("there is no %s rate for %s", r.Pair(), r.Period)
		}
		return err
	})
}

// Rates lists the exchange rates by pair, then month.
func (db *DB) Rates() ([]billing.EnteredRate, error) {
	var out []billing.EnteredRate
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		out, err = allRates(tx)
		return err
	})
	return out, err
}

func allRates(tx *bolt.Tx) ([]billing.EnteredRate, error) {
	out := []billing.EnteredRate{}
	err := tx.Bucket(bucketRates).ForEach(func(k, v []byte) error {
		r, err := decodeRate(k, v)
		out = append(out, r)
		return err
	})
	return out, err
}

func decodeRate(k, v []byte) (billing.EnteredRate, error) {
	var r billing.EnteredRate
	if err := json.Unmarshal(v, &r); err != nil {
		return r, fmt.Errorf("exchange rate %s is damaged in the database: %w", k, err)
	}
	return r, nil
}

func getRate(tx *bolt.Tx, from, to, period string) (billing.EnteredRate, bool, error) {
	k := []byte(billing.RateKey(from, to, period))
	v := tx.Bucket(bucketRates).Get(k)
	if v == nil {
		return billing.EnteredRate{}, false, nil
	}
	r, err := decodeRate(k, v)
	return r, err == nil, err
}

// RateFunc is the billing engine's view of the rates table, read at each
// lookup, by the engine's rule (billing.Lookup).
func (db *DB) RateFunc() billing.RateFunc {
	return func(from, to, period string) (decimal.Decimal, string, error) {
		var rate decimal.Decimal
		var source string
		var lookupErr error
		err := db.bolt.View(func(tx *bolt.Tx) error {
			var readErr error
			rate, source, lookupErr = billing.Lookup(from, to, period, func(key string) (billing.EnteredRate, bool) {
				v := tx.Bucket(bucketRates).Get([]byte(key))
				if v == nil || readErr != nil {
					return billing.EnteredRate{}, false
				}
				r, err := decodeRate([]byte(key), v)
				readErr = err
				return r, err == nil
			})
			return readErr
		})
		if err != nil {
			return decimal.Zero, "", err
		}
		return rate, source, lookupErr
	}
}

// RateLog returns every change of the exchange rates, oldest first.
func (db *DB) RateLog() ([]Change, error) {
	return db.Changes(func(c *Change) bool { return c.Kind == KindRate })
}
