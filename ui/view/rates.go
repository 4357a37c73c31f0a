package view

import (
	"fmt"
	"strings"

	"rebill/engine/billing"
)

// The words of the exchange rates table, the same in the window and in
// `rebill rates list`: a rate changed for a month keeps the values it
// replaced, and both faces show them.

// rateTime is how the rates table shows when a rate was entered or
// replaced: to the minute, in the computer's time zone.
const rateTime = "2006-01-02 15:04"

// PastRates words a rate's earlier values, oldest first, one each:
// "0.9123 (ECB 2026-09-30), entered 2026-10-01 09:00, replaced
// 2026-10-05 08:30". None: nil.
func PastRates(r billing.EnteredRate) []string {
	var out []string
	for _, h := range r.History {
		out = append(out, fmt.Sprintf("%s (%s), entered %s, replaced %s", h.Rate, h.Source,
			h.Entered.Local().Format(rateTime), h.Replaced.Local().Format(rateTime)))
	}
	return out
}

// RateEntered is when a rate was entered, as the rates table shows it.
func RateEntered(r billing.EnteredRate) string { return r.Entered.Local().Format(rateTime) }

// RateSet says what entering a rate did, naming the value it replaced
// when it replaced one just now.
func RateSet(r billing.EnteredRate) string {
	s := fmt.Sprintf("%s: 1 %s = %s %s (%s).", r.Period, r.From, r.Rate, r.To, r.Source)
	if n := len(r.History); n > 0 && r.History[n-1].Replaced.Equal(r.Entered) {
		h := r.History[n-1]
		s += fmt.Sprintf(" It replaces %s (%s), kept in the rate's history.", h.Rate, h.Source)
	}
	return s
}

// RateDeleted says what deleting a rate did.
func RateDeleted(from, to, period string) string {
	return fmt.Sprintf("The %s/%s rate for %s is deleted; the change log keeps it.", strings.ToUpper(from), strings.ToUpper(to), period)
}

// RateLine is one rate as the Settings list shows it.
func RateLine(r billing.EnteredRate) string {
	return fmt.Sprintf("%s %s: 1 %s = %s %s (%s), entered %s", r.Pair(), r.Period, r.From, r.Rate, r.To, r.Source, RateEntered(r))
}

// DeleteRateQuestion asks before deleting a rate.
func DeleteRateQuestion(r billing.EnteredRate) string {
	return fmt.Sprintf("Delete the %s rate for %s (1 %s = %s %s)?\n\nStatements of %s in %s then stop until a rate is entered again; invoices already issued keep the rate they state. The change log keeps the deleted rate.",
		r.Pair(), r.Period, r.From, r.Rate, r.To, r.Period, r.To)
}

// RateReplaces tells, while a rate is typed, that it will replace the
// one entered for the pair and month, which its history keeps.
func RateReplaces(old billing.EnteredRate) string {
	return fmt.Sprintf("Saving replaces %s (%s), entered %s; the rate's history keeps it.", old.Rate, old.Source, RateEntered(old))
}
