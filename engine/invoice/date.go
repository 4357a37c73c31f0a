package invoice

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Date is a calendar day, as printed on an invoice: issue, due and payment
// dates are days in the accountant's calendar, not instants, so comparing
// them never depends on a time zone or a time of day. The zero Date is "no
// date" (a draft has no issue date) and is written as JSON null.
type Date struct {
	t time.Time // midnight UTC of the day; zero for no date
}

// NewDate returns the day y-m-d (normalised as time.Date does).
func NewDate(y int, m time.Month, d int) Date {
	return Date{t: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// DateOf returns the calendar day of t in t's own location: pass now in
// the accountant's local time and the day is the one on their calendar.
func DateOf(t time.Time) Date {
	if t.IsZero() {
		return Date{}
	}
	y, m, d := t.Date()
	return NewDate(y, m, d)
}

// ParseDate reads a YYYY-MM-DD day, as typed on the command line.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	var pe *time.ParseError
	switch {
	case err == nil:
	case errors.As(err, &pe) && strings.HasSuffix(pe.Message, "month out of range"):
		return Date{}, fmt.Errorf("date %q is not on the calendar: a month is 01 to 12", s)
	case errors.As(err, &pe) && strings.HasSuffix(pe.Message, "day out of range"):
		// The shape is right; the month has fewer days.
		month, _ := time.Parse("2006-01", s[:7])
		days := month.AddDate(0, 1, -1).Day()
		return Date{}, fmt.Errorf("date %q is not on the calendar: %s has %d days", s, s[:7], days)
	default:
		return Date{}, fmt.Errorf("date %q is not a YYYY-MM-DD day", s)
	}
	return Date{t: t}, nil
}

// IsZero reports whether there is no date.
func (d Date) IsZero() bool { return d.t.IsZero() }

// Time returns midnight UTC of the day, e.g. for FormatNumber's year and
// month tokens.
func (d Date) Time() time.Time { return d.t }

// AddDays returns the day n days later (earlier when n is negative).
func (d Date) AddDays(n int) Date {
	if d.IsZero() {
		return d
	}
	return Date{t: d.t.AddDate(0, 0, n)}
}

// Before reports whether d is an earlier day than e.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }

// After reports whether d is a later day than e.
func (d Date) After(e Date) bool { return d.t.After(e.t) }

// Equal reports whether d and e are the same day.
func (d Date) Equal(e Date) bool { return d.t.Equal(e.t) }

// String writes YYYY-MM-DD, or "" for no date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(time.DateOnly)
}

// MarshalJSON writes "YYYY-MM-DD", or null for no date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads what MarshalJSON writes.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("date %s is not a string", b)
	}
	p, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// periodStart is the first day of a YYYY-MM month, zero if it is not one.
func periodStart(period string) Date {
	t, err := time.Parse("2006-01", period)
	if err != nil {
		return Date{}
	}
	return Date{t: t}
}
