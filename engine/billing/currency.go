package billing

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"
)

// RateFunc looks up the exchange rate the store holds for a currency pair
// and a YYYY-MM month, with where the rate came from (e.g. "ECB reference
// rate 2026-09-30"). It is how the engine reads the rates table without
// knowing about the database.
type RateFunc func(from, to, period string) (rate decimal.Decimal, source string, err error)

// Rate is one exchange rate a statement used; it is part of the result
// because an issued invoice keeps the rate of the day it was issued.
type Rate struct {
	From   string          `json:"from"`
	To     string          `json:"to"`
	Period string          `json:"period"`
	Rate   decimal.Decimal `json:"rate"` // 1 From = Rate To
	Source string          `json:"source"`
}

// ErrNoRate is wrapped by RateError when the rates table has no rate (or a
// zero one) for a pair and month; a RateFunc may return it too.
var ErrNoRate = errors.New("no exchange rate")

// RateError names the pair and month that stopped a statement, so the
// accountant knows which rate to enter.
type RateError struct {
	From, To, Period string
	Err              error
}

// Error says which rate to enter, and where: the command that enters it
// and the window's place.
func (e *RateError) Error() string {
	msg := fmt.Sprintf("no %s to %s exchange rate for %s: enter it (rebill rates set %s %s %s RATE --source SOURCE, or Settings > Exchange rates), then try again",
		e.From, e.To, e.Period, e.From, e.To, e.Period)
	if e.Err != nil && e.Err.Error() != ErrNoRate.Error() {
		msg += " (" + e.Err.Error() + ")"
	}
	return msg
}

// Unwrap gives the lookup's own error, ErrNoRate when there was none.
func (e *RateError) Unwrap() error { return e.Err }

// rates caches the lookups of one statement, so each pair is asked once and
// reported once.
type rates struct {
	lookup RateFunc
	period string
	to     string
	used   []Rate
}

// get returns the rate of 1 from in the statement's currency; a currency
// converted to itself needs no table entry and gives rate 1, and so do line
// items without a currency code (CUR always writes one).
func (r *rates) get(from string) (Rate, error) {
	if from == r.to || from == "" {
		return Rate{From: r.to, To: r.to, Period: r.period, Rate: one}, nil
	}
	for _, u := range r.used {
		if u.From == from {
			return u, nil
		}
	}
	if r.lookup == nil {
		return Rate{}, &RateError{From: from, To: r.to, Period: r.period, Err: ErrNoRate}
	}
	v, src, err := r.lookup(from, r.to, r.period)
	if err == nil && !v.IsPositive() {
		err = ErrNoRate
	}
	if err != nil {
		return Rate{}, &RateError{From: from, To: r.to, Period: r.period, Err: err}
	}
	u := Rate{From: from, To: r.to, Period: r.period, Rate: v, Source: src}
	r.used = append(r.used, u)
	return u, nil
}

// converts reports whether the rate changes amounts.
func (r Rate) converts() bool { return r.From != r.To }
