package customer

import (
	"fmt"
	"sort"
	"time"
)

// A mapping starts and ends on a month (YYYY-MM: its first or last day)
// or, for an account moved between customers inside a month, on a day
// (YYYY-MM-DD). Days are written so that comparing two days is comparing
// two strings, like months.

// CheckMonthOrDay explains a malformed month or day of the named field.
func CheckMonthOrDay(field, s string) error {
	if ValidMonth(s) {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, s); err == nil && len(s) == 10 {
		return nil
	}
	return fmt.Errorf("%s %q is not a month: write it as YYYY-MM, e.g. 2018-10, or YYYY-MM-DD for a day inside a month, e.g. 2018-10-15", field, s)
}

// firstDay is the first day a mapping's From covers.
func firstDay(from string) string {
	if len(from) == 7 {
		return from + "-01"
	}
	return from
}

// lastDay is the last day a mapping's Until covers ("" for open-ended).
func lastDay(until string) string {
	if len(until) == 7 {
		t, _ := time.Parse("2006-01", until)
		return t.AddDate(0, 1, -1).Format(time.DateOnly)
	}
	return until
}

// dayBefore is the day before a YYYY-MM-DD day.
func dayBefore(day string) string {
	t, _ := time.Parse(time.DateOnly, day)
	return t.AddDate(0, 0, -1).Format(time.DateOnly)
}

// CoversDay reports whether the mapping is in force on a YYYY-MM-DD day.
func (m Mapping) CoversDay(day string) bool {
	return firstDay(m.From) <= day && (m.Until == "" || day <= lastDay(m.Until))
}

// Split reports whether the mapping starts or ends inside a month rather
// than on its boundary.
func (m Mapping) Split() bool {
	return len(m.From) == 10 && m.From[8:] != "01" || len(m.Until) == 10 && lastDay(m.Until[:7]) != m.Until
}

// DayOwner is an account's owner from a day of a month on, until the next
// DayOwner's day: Customer "" is nobody.
type DayOwner struct {
	From     string `json:"from"` // YYYY-MM-DD
	Customer string `json:"customer"`
}

// TransfersIn lists the accounts whose owner changes inside a YYYY-MM
// month, each with its owners by day from the month's first day: the
// lookup a month's billing does for the line items of a moved account.
// Accounts owned by one customer (or nobody) the whole month are left out;
// OwnersAt gives theirs.
func TransfersIn(mappings []Mapping, month string) map[string][]DayOwner {
	out := map[string][]DayOwner{}
	split := map[string]bool{}
	for _, m := range mappings {
		if m.Covers(month) && (firstDay(m.From) > month+"-01" || m.Until != "" && lastDay(m.Until) < lastDay(month)) {
			split[m.Account] = true
		}
	}
	for acct := range split {
		var days []DayOwner
		for _, day := range daysOf(month) {
			owner := OwnerOn(mappings, acct, day)
			if len(days) == 0 || days[len(days)-1].Customer != owner {
				days = append(days, DayOwner{From: day, Customer: owner})
			}
		}
		if len(days) > 1 {
			out[acct] = days
		}
	}
	return out
}

// OwnerOn returns the customer that owns an account on a YYYY-MM-DD day,
// "" for nobody.
func OwnerOn(mappings []Mapping, account, day string) string {
	for _, m := range mappings {
		if m.Account == account && m.CoversDay(day) {
			return m.Customer
		}
	}
	return ""
}

// OwnerOnDay is the owner on a day among an account's owners by day
// (TransfersIn). A line item is placed by its usage start; a monthly fee
// (RIFee, SavingsPlanRecurringFee) is dated the month's first day, so it
// follows the owner on the 1st, and an item without a date does too.
func OwnerOnDay(owners []DayOwner, day string) string {
	i := sort.Search(len(owners), func(i int) bool { return owners[i].From > day })
	if i == 0 {
		return ""
	}
	return owners[i-1].Customer
}

// daysOf lists the YYYY-MM-DD days of a YYYY-MM month.
func daysOf(month string) []string {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return nil
	}
	var out []string
	for d := t; d.Month() == t.Month(); d = d.AddDate(0, 0, 1) {
		out = append(out, d.Format(time.DateOnly))
	}
	return out
}
