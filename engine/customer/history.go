package customer

import "sort"

// Dated is a setting's value in force from a YYYY-MM month (From "" is
// from the beginning) until the next entry's month.
type Dated[T any] struct {
	From  string `json:"from"`
	Value T      `json:"value"`
}

// History is a dated setting: its values by the month they apply from, in
// order. It is the one shape of every setting that changes from a month on
// and prices past months as they were (a customer's terms, a product
// code's section), so that "what applied in that month" is one lookup.
type History[T any] []Dated[T]

// At is the entry in force in a YYYY-MM month: the latest from that month
// or before; ok is false when the history starts later (or is empty), and
// the caller's undated value applies.
func (h History[T]) At(month string) (e Dated[T], ok bool) {
	for i := len(h) - 1; i >= 0; i-- {
		if h[i].From <= month {
			return h[i], true
		}
	}
	return e, false
}

// Set returns the history with v in force from a YYYY-MM month on: the
// entries from that month or later are replaced (the new value holds for
// every month from then), the earlier ones kept. start is the value before
// any entry, recorded from the beginning when the history was empty.
func (h History[T]) Set(from string, v T, start T) History[T] {
	if len(h) == 0 {
		h = History[T]{{Value: start}}
	}
	out := make(History[T], 0, len(h)+1)
	for _, e := range h {
		if e.From < from {
			out = append(out, e)
		}
	}
	out = append(out, Dated[T]{From: from, Value: v})
	sort.SliceStable(out, func(i, j int) bool { return out[i].From < out[j].From })
	return out
}

// Latest is the last entry, the value in force from its month on.
func (h History[T]) Latest() (Dated[T], bool) {
	if len(h) == 0 {
		return Dated[T]{}, false
	}
	return h[len(h)-1], true
}
