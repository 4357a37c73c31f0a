package period

import (
	"fmt"
	"strings"
	"time"

	"rebill/engine/invoice"
)

// WaitBusinessDays is how many business days after month end the
// distributor recommends waiting before invoicing a month: providers
// settle the bill in the first days of the next month (DOMAIN.md, "When
// is a month final?").
const WaitBusinessDays = 5

// Holiday is one public holiday of a country, entered by the accountant:
// Rebill ships no calendar, since holidays differ by country and region
// and change from year to year.
type Holiday struct {
	Country string       `json:"country"` // ISO 3166-1 alpha-2, upper case
	Date    invoice.Date `json:"date"`
	Name    string       `json:"name,omitempty"`
}

// Normalize upper-cases the country and trims the name.
func (h *Holiday) Normalize() {
	h.Country = strings.ToUpper(strings.TrimSpace(h.Country))
	h.Name = strings.TrimSpace(h.Name)
}

// Check validates a holiday: a two-letter country code and a day.
func (h Holiday) Check() error {
	if err := CheckCountry(h.Country); err != nil {
		return err
	}
	if h.Date.IsZero() {
		return fmt.Errorf("a holiday needs its day, YYYY-MM-DD")
	}
	return nil
}

// CheckCountry validates a country code: two letters A-Z (ISO 3166-1
// alpha-2, e.g. FR, US). Whether the code is assigned is not checked.
func CheckCountry(cc string) error {
	if len(cc) != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z' {
		return fmt.Errorf("country %q is not a two-letter ISO 3166 code such as FR or US", cc)
	}
	return nil
}

// BusinessDay tells whether d is a business day: not a Saturday or a
// Sunday, and not one of the holidays.
func BusinessDay(d invoice.Date, holidays []invoice.Date) bool {
	switch d.Time().Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	for _, h := range holidays {
		if h.Equal(d) {
			return false
		}
	}
	return true
}

// AddBusinessDays returns the n-th business day after d (d itself never
// counts); n is at least 1.
func AddBusinessDays(d invoice.Date, n int, holidays []invoice.Date) invoice.Date {
	for n > 0 {
		d = d.AddDays(1)
		if BusinessDay(d, holidays) {
			n--
		}
	}
	return d
}

// MonthEnd returns the last day of a YYYY-MM month.
func MonthEnd(period string) (invoice.Date, error) {
	start, err := time.Parse("2006-01", period)
	if err != nil || len(period) != 7 {
		return invoice.Date{}, fmt.Errorf("month %q is not a YYYY-MM month", period)
	}
	return invoice.DateOf(start.AddDate(0, 1, -1)), nil
}

// EarliestInvoicing returns the recommended earliest day to invoice a
// YYYY-MM month: the fifth business day after its last day (weekends and
// the given holidays skipped), the day the distributor's recommended
// wait is over. Holidays of other countries must not be passed in.
func EarliestInvoicing(period string, holidays []invoice.Date) (invoice.Date, error) {
	end, err := MonthEnd(period)
	if err != nil {
		return invoice.Date{}, err
	}
	return AddBusinessDays(end, WaitBusinessDays, holidays), nil
}
