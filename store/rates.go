package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	bolt "go.etcd.io/bbolt"

	"rebill/engine/billing"
	"rebill/engine/customer"
)

// KindRate is the change log's kind for exchange rates.
const KindRate = "rate"

// Rate is one exchange rate the accountant entered: in the month Period,
// 1 From = Rate To. Its source and entry time travel with it because an
// invoice states the rate it was converted at, where it came from and when.
type Rate struct {
	From    string          `json:"from"`
	To      string          `json:"to"`
	Period  string          `json:"period"` // YYYY-MM
	Rate    decimal.Decimal `json:"rate"`
	Source  string          `json:"source"` // e.g. "ECB reference rate 2018-10-31"
	Entered time.Time       `json:"entered"`
}

// Pair names the rate's currencies as "EUR/USD".
func (r Rate) Pair() string { return r.From + "/" + r.To }

// normalize upper-cases the codes and trims the text.
func (r *Rate) normalize() {
	r.From = strings.ToUpper(strings.TrimSpace(r.From))
	r.To = strings.ToUpper(strings.TrimSpace(r.To))
	r.Period = strings.TrimSpace(r.Period)
	r.Source = strings.TrimSpace(r.Source)
}

// validate checks a rate before it is recorded, every problem at once.
func (r Rate) validate() error {
	var errs []error
	if err := customer.CheckCurrency("the currency converted from", r.From); err != nil {
		errs = append(errs, err)
	}
	if err := customer.CheckCurrency("the currency converted to", r.To); err != nil {
		errs = append(errs, err)
	}
	if r.From != "" && r.From == r.To {
		errs = append(errs, fmt.Errorf("%s to %s needs no rate: a currency converts to itself at 1", r.From, r.To))
	}
	if err := customer.CheckMonth("month", r.Period); err != nil {
		errs = append(errs, err)
	}
	if !r.Rate.IsPositive() {
		errs = append(errs, fmt.Errorf("rate %s is not positive: write how many %s one %s buys, e.g. 1.1576", r.Rate, r.To, r.From))
	}
	if r.Source == "" {
		errs = append(errs, errors.New("the rate has no source: say where it comes from (e.g. \"ECB reference rate 2018-10-31\"); invoices print it"))
	}
	return errors.Join(errs...)
}

// rateKey is FROM/TO/YYYY-MM: a pair's months are adjacent and in order.
func rateKey(from, to, period string) []byte { return []byte(from + "/" + to + "/" + period) }

func rateRecord(r Rate) record {
	return record{bucket: bucketRates, key: rateKey(r.From, r.To, r.Period), kind: KindRate, name: r.Pair() + " " + r.Period}
}

// PutRate records the rate of a pair for a month, replacing the one
// entered before (both stay in the change log), and returns it
// normalized with Entered set to now. Putting the same rate and source
// again changes nothing.
func (db *DB) PutRate(r Rate, now time.Time) (Rate, error) {
	r.normalize()
	if err := r.validate(); err != nil {
		return r, err
	}
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		if old, ok, err := getRate(tx, r.From, r.To, r.Period); err != nil {
			return err
		} else if ok && old.Rate.Equal(r.Rate) && old.Source == r.Source {
			r = old
			return nil
		}
		r.Entered = now.UTC()
		_, err := rateRecord(r).put(tx, r, now)
		return err
	})
	return r, err
}

// DeleteRate removes the rate of a pair for a month; the change log keeps
// it. The error wraps ErrNotFound when there was none.
func (db *DB) DeleteRate(from, to, period string, now time.Time) error {
	r := Rate{From: from, To: to, Period: period}
	r.normalize()
	return db.bolt.Update(func(tx *bolt.Tx) error {
		ok, err := rateRecord(r).del(tx, now)
		if err == nil && !ok {
			err = fmt.Errorf("%w: there is no %s rate for %s", ErrNotFound, r.Pair(), r.Period)
		}
		return err
	})
}

// Rates lists the exchange rates by pair, then month.
func (db *DB) Rates() ([]Rate, error) {
	var out []Rate
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		out, err = allRates(tx)
		return err
	})
	return out, err
}

func allRates(tx *bolt.Tx) ([]Rate, error) {
	out := []Rate{}
	err := tx.Bucket(bucketRates).ForEach(func(k, v []byte) error {
		r, err := decodeRate(k, v)
		out = append(out, r)
		return err
	})
	return out, err
}

func decodeRate(k, v []byte) (Rate, error) {
	var r Rate
	if err := json.Unmarshal(v, &r); err != nil {
		return r, fmt.Errorf("exchange rate %s is damaged in the database: %w", k, err)
	}
	return r, nil
}

func getRate(tx *bolt.Tx, from, to, period string) (Rate, bool, error) {
	k := rateKey(from, to, period)
	v := tx.Bucket(bucketRates).Get(k)
	if v == nil {
		return Rate{}, false, nil
	}
	r, err := decodeRate(k, v)
	return r, err == nil, err
}

// RateFunc is the billing engine's view of the rates table, read at each
// lookup. A currency converts to itself at 1. A missing rate returns
// billing.ErrNoRate, which the engine reports as a *billing.RateError
// naming the pair and the month to enter. Rates are never inverted: an
// entered EUR/USD rate does not give USD/EUR, because the two are quoted
// separately and dividing would invent digits; the error says so.
func (db *DB) RateFunc() billing.RateFunc {
	return func(from, to, period string) (decimal.Decimal, string, error) {
		var r Rate
		var inverse, ok bool
		err := db.bolt.View(func(tx *bolt.Tx) error {
			var err error
			if r, ok, err = getRate(tx, from, to, period); err != nil || ok {
				return err
			}
			_, inverse, err = getRate(tx, to, from, period)
			return err
		})
		return lookupResult(from, to, period, r, ok, inverse, err)
	}
}

// rateTable is a snapshot of the rates table, for statements computed
// from one read transaction.
type rateTable map[string]Rate

func (t rateTable) lookup(from, to, period string) (decimal.Decimal, string, error) {
	r, ok := t[string(rateKey(from, to, period))]
	_, inverse := t[string(rateKey(to, from, period))]
	return lookupResult(from, to, period, r, ok, inverse, nil)
}

func lookupResult(from, to, period string, r Rate, ok, inverse bool, err error) (decimal.Decimal, string, error) {
	switch {
	case err != nil:
		return decimal.Zero, "", err
	case from == to:
		return decimal.NewFromInt(1), "", nil
	case ok:
		return r.Rate, r.Source, nil
	case inverse:
		return decimal.Zero, "", fmt.Errorf("%w; a %s/%s rate is entered but rates are not inverted: enter the %s/%s rate too", billing.ErrNoRate, to, from, from, to)
	}
	return decimal.Zero, "", billing.ErrNoRate
}

// RateLog returns every change of the exchange rates, oldest first.
func (db *DB) RateLog() ([]Change, error) {
	return db.Changes(func(c *Change) bool { return c.Kind == KindRate })
}
