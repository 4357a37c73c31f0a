package billing

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
)

// EnteredRate is one exchange rate the accountant entered: in the month
// Period, 1 From = Rate To. Its source and entry time travel with it
// because an invoice states the rate it was converted at, where it came
// from and when.
type EnteredRate struct {
	From    string          `json:"from"`
	To      string          `json:"to"`
	Period  string          `json:"period"` // YYYY-MM
	Rate    decimal.Decimal `json:"rate"`
	Source  string          `json:"source"` // e.g. "ECB reference rate 2018-10-31"
	Entered time.Time       `json:"entered"`
	// History holds the values this rate replaced, oldest first: an
	// invoice converted before a correction states the old rate, so the
	// accountant must be able to see which rate held when, and from where.
	History []PastRate `json:"history,omitempty"`
}

// PastRate is a value an entered rate had before it was changed: the
// rate, its source and when it was entered, and when it was replaced.
type PastRate struct {
	Rate     decimal.Decimal `json:"rate"`
	Source   string          `json:"source"`
	Entered  time.Time       `json:"entered"`
	Replaced time.Time       `json:"replaced"`
}

// Supersede is the rule for entering a rate where one is already
// entered (r, for the same pair and month): next takes r's place with
// Entered set to now, and r's value, source and entry time go to the end
// of its history, so nothing entered is lost. Entering the same rate and
// source again changes nothing: it returns r and false.
func (r EnteredRate) Supersede(next EnteredRate, now time.Time) (EnteredRate, bool) {
	if r.Rate.Equal(next.Rate) && r.Source == next.Source {
		return r, false
	}
	next.Entered = now.UTC()
	next.History = append(append([]PastRate{}, r.History...),
		PastRate{Rate: r.Rate, Source: r.Source, Entered: r.Entered, Replaced: now.UTC()})
	return next, true
}

// Pair names the rate's currencies as "EUR/USD".
func (r EnteredRate) Pair() string { return r.From + "/" + r.To }

// Normalize upper-cases the codes and trims the text, as people type them.
func (r EnteredRate) Normalize() EnteredRate {
	r.From = strings.ToUpper(strings.TrimSpace(r.From))
	r.To = strings.ToUpper(strings.TrimSpace(r.To))
	r.Period = strings.TrimSpace(r.Period)
	r.Source = strings.TrimSpace(r.Source)
	return r
}

// The fields of an entered rate, as its Validate problems name them.
const (
	RateFieldFrom   = "from"
	RateFieldTo     = "to"
	RateFieldPeriod = "period"
	RateFieldRate   = "rate"
	RateFieldSource = "source"
)

// Validate checks a rate before it is recorded, every problem at once,
// as customer.Problems named by the RateField constants, so that a form
// shows each beside its input.
func (r EnteredRate) Validate() error {
	var ps customer.Problems
	add := func(field string, err error) {
		if err != nil {
			ps = append(ps, customer.Problem{Field: field, Message: err.Error()})
		}
	}
	add(RateFieldFrom, customer.CheckCurrency("the currency converted from", r.From))
	add(RateFieldTo, customer.CheckCurrency("the currency converted to", r.To))
	if r.From != "" && r.From == r.To {
		add(RateFieldTo, fmt.Errorf("%s to %s needs no rate: a currency converts to itself at 1", r.From, r.To))
	}
	add(RateFieldPeriod, customer.CheckMonth("month", r.Period))
	if !r.Rate.IsPositive() {
		add(RateFieldRate, fmt.Errorf("rate %s is not positive: write how many %s one %s buys, e.g. 1.1576", r.Rate, r.To, r.From))
	}
	if r.Source == "" {
		add(RateFieldSource, errors.New("the rate has no source: say where it comes from (e.g. \"ECB reference rate 2018-10-31\"); invoices print it"))
	}
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// RateKey is FROM/TO/YYYY-MM, the identity of an entered rate: a pair's
// months sort together and in order.
func RateKey(from, to, period string) string { return from + "/" + to + "/" + period }

// Lookup is the rule by which a statement finds an exchange rate among
// the entered ones: a currency converts to itself at 1; a pair's rate
// for the month is used as entered; a missing rate is ErrNoRate, which
// the statement reports as a *RateError naming the pair and month to
// enter. Rates are never inverted: an entered EUR/USD rate does not give
// USD/EUR, because the two are quoted separately and dividing would
// invent digits; the error says so. find returns the entered rate of a
// key, if any.
func Lookup(from, to, period string, find func(key string) (EnteredRate, bool)) (decimal.Decimal, string, error) {
	if from == to {
		return decimal.NewFromInt(1), "", nil
	}
	if r, ok := find(RateKey(from, to, period)); ok {
		return r.Rate, r.Source, nil
	}
	if _, ok := find(RateKey(to, from, period)); ok {
		return decimal.Zero, "", fmt.Errorf("%w; a %s/%s rate is entered but rates are not inverted: enter the %s/%s rate too", ErrNoRate, to, from, from, to)
	}
	return decimal.Zero, "", ErrNoRate
}

// RateTable is entered rates by key, looked up by the rule of Lookup.
type RateTable map[string]EnteredRate

// NewRateTable indexes entered rates.
func NewRateTable(list []EnteredRate) RateTable {
	t := make(RateTable, len(list))
	for _, r := range list {
		t[RateKey(r.From, r.To, r.Period)] = r
	}
	return t
}

// Lookup is the table as a RateFunc.
func (t RateTable) Lookup(from, to, period string) (decimal.Decimal, string, error) {
	return Lookup(from, to, period, func(k string) (EnteredRate, bool) {
		r, ok := t[k]
		return r, ok
	})
}
