package ingest

import (
	"slices"
	"strings"

	"rebill/engine/lineitem"
)

// Month is one billing month as its current deliveries (one per provider
// and payer) make it. A month is final once the provider has closed it
// for every payer: until then its statements are estimates, and the
// faces say so before anything is invoiced.
type Month struct {
	Period string // YYYY-MM
	Final  bool
	// Open are the providers that have not closed the month yet, sorted.
	Open []lineitem.Provider
	// Rows are the month's line items, every payer's.
	Rows int64
}

// Months groups current deliveries into their months, newest first.
func Months(current []Delivery) []Month {
	by := map[string]*Month{}
	var out []*Month
	for _, d := range current {
		m := by[d.Period]
		if m == nil {
			m = &Month{Period: d.Period, Final: true}
			by[d.Period] = m
			out = append(out, m)
		}
		m.Rows += d.Rows
		if !d.Final {
			m.Final = false
			if !slices.Contains(m.Open, d.Provider) {
				m.Open = append(m.Open, d.Provider)
			}
		}
	}
	slices.SortFunc(out, func(a, b *Month) int { return strings.Compare(b.Period, a.Period) })
	months := make([]Month, len(out))
	for i, m := range out {
		slices.Sort(m.Open)
		months[i] = *m
	}
	return months
}
