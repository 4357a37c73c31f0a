package customer

import (
	"fmt"
	"time"
)

// Months are written YYYY-MM everywhere in Rebill (the billing period of
// the providers' files), so that comparing two months is comparing two
// strings.

// ValidMonth reports whether s is a month written YYYY-MM (e.g. 2018-10).
func ValidMonth(s string) bool {
	if len(s) != 7 || s[4] != '-' {
		return false
	}
	for i, c := range []byte(s) {
		if i != 4 && (c < '0' || c > '9') {
			return false
		}
	}
	m := (s[5]-'0')*10 + s[6] - '0'
	return m >= 1 && m <= 12
}

// CheckMonth explains a malformed month of the named field ("month",
// "--period", "expires"): the one message every face and the store give,
// with the form to write it in.
func CheckMonth(field, s string) error {
	if !ValidMonth(s) {
		return fmt.Errorf("%s %q is not a month: write it as YYYY-MM, e.g. 2018-10", field, s)
	}
	return nil
}

// MonthOf returns the YYYY-MM month of t in t's own location.
func MonthOf(t time.Time) string { return t.Format("2006-01") }

// AddMonths returns the month n months after m (before when n < 0). m must
// be a valid month.
func AddMonths(m string, n int) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m
	}
	return MonthOf(t.AddDate(0, n, 0))
}

// BilledMonth is the month a screen means by "the invoices" when it
// shows what is available to them (a credit balance): the newest
// imported month, whose invoices come next; before any import, the
// month before now's, since a month is invoiced after it ends. It is
// never now's own month, which no invoice bills until it is over.
func BilledMonth(now time.Time, newestImported string) string {
	if newestImported != "" {
		return newestImported
	}
	return AddMonths(MonthOf(now), -1)
}
