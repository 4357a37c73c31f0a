package view

import (
	"fmt"

	"rebill/engine/period"
)

// The Settings screen's public holidays, which `rebill holidays` adds,
// lists and deletes: the days not counted as business days before a
// month may be invoiced.

// HolidayLine is one holiday as the Settings list shows it.
func HolidayLine(h period.Holiday) string {
	s := fmt.Sprintf("%s %s (%s)", h.Country, h.Date, h.Date.Time().Weekday().String()[:3])
	if h.Name != "" {
		s += " " + h.Name
	}
	return s
}

// HolidayAdded says what adding a holiday did.
func HolidayAdded(h period.Holiday) string {
	return fmt.Sprintf("%s %s (%s) is a holiday: it no longer counts as a business day.", h.Country, h.Date, h.Date.Time().Weekday())
}

// HolidayDeleteQuestion asks before deleting a holiday.
func HolidayDeleteQuestion(h period.Holiday) string {
	return fmt.Sprintf("Delete the holiday %s?\n\nThe day counts as a business day again when Rebill works out the earliest day a month may be invoiced.", HolidayLine(h))
}

// HolidayDeleted says what deleting a holiday did.
func HolidayDeleted(h period.Holiday) string {
	return fmt.Sprintf("%s %s is a business day again.", h.Country, h.Date)
}
