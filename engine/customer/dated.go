package customer

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"
)

// Terms are the customer settings that price a month: the invoice
// currency, the global discount or uplift, the pricing rules and the
// recurring charges. They change from a month on, and a past month is
// always priced with the terms that applied then, so that recomputing an
// invoiced month (a report, `invoices corrections`) finds the invoice's
// own figures after the accountant has edited the customer.
//
// The support plan is dated too, but by its own SupportChanges (see
// SupportAt): its changes were shipped first, with their own CSV column and
// form rows, and each change names one plan, not the whole terms.
type Terms struct {
	Currency     string            `json:"currency"`
	Adjustment   decimal.Decimal   `json:"adjustment_percent"`
	PricingRules []PricingRule     `json:"pricing_rules"`
	Recurring    []RecurringCharge `json:"recurring"`
	// PriceTable names the reseller's volume price table the customer's
	// own usage is re-priced through ("" for none).
	PriceTable string `json:"price_table,omitempty"`
}

// Terms returns the customer's current terms (the fields a form edits).
func (c *Customer) Terms() Terms {
	return Terms{Currency: c.Currency, Adjustment: c.Adjustment, PricingRules: c.PricingRules, Recurring: c.Recurring,
		PriceTable: c.PriceTable}
}

func (c *Customer) setTerms(t Terms) {
	c.Currency, c.Adjustment, c.PricingRules, c.Recurring = t.Currency, t.Adjustment, t.PricingRules, t.Recurring
	c.PriceTable = t.PriceTable
}

// At returns the customer as it priced a YYYY-MM month: its terms are the
// latest entry of TermsHistory from that month or before. Without a
// history the current terms have applied from the beginning. The history's
// last entry is always the current terms (RecordTerms keeps it so), so the
// months from that entry on are priced as the customer reads today.
//
// The customer returned has no history: it is the customer of that month,
// so that a caller may still set a term (a recomputation in the invoice's
// currency) and At again leaves it as it is.
func (c Customer) At(month string) Customer {
	if e, ok := c.TermsHistory.At(month); ok {
		c.setTerms(e.Value)
	}
	c.TermsHistory = nil
	return c
}

// TermsFrom is the YYYY-MM month from which the terms that price a month
// apply, for a trace to name: "" when the terms are not dated or are those
// from the beginning.
func (c Customer) TermsFrom(month string) string {
	e, _ := c.TermsHistory.At(month)
	return e.From
}

// RecordTerms dates an edit: c holds the terms after the edit, before the
// customer as stored. The new terms apply from the month from on ("" is
// from the beginning): the months before keep the terms they had, and a
// dated change from that month or later is replaced, since the new terms
// hold for every month from from on. An edit that leaves the terms as they
// were records nothing.
func (c *Customer) RecordTerms(from string, before Customer) {
	now := c.Terms()
	c.TermsHistory = before.TermsHistory
	if sameTerms(now, before.Terms()) {
		return
	}
	if from == "" {
		c.TermsHistory = nil // the same terms in every month: nothing to date
		return
	}
	c.TermsHistory = before.TermsHistory.Set(from, now, before.Terms())
}

// FirstUninvoiced is the month an edit applies from when the accountant
// names none: the month after the latest YYYY-MM month in which the
// customer has an issued invoice, so that no issued invoice's month is
// priced otherwise than it was; "" (from the beginning) when it has none.
func FirstUninvoiced(invoiced []string) string {
	last := ""
	for _, m := range invoiced {
		last = max(last, m)
	}
	if last == "" {
		return ""
	}
	return AddMonths(last, 1)
}

// validateTerms checks the history: real months, in order, one entry a
// month, the last one the current terms.
func (c *Customer) validateTerms(ps *problems) {
	h := c.TermsHistory
	for i, e := range h {
		if e.From != "" {
			if err := CheckMonth("terms change", e.From); err != nil {
				ps.addErr("terms_history", err)
			}
		}
		if i > 0 && e.From <= h[i-1].From {
			ps.add("terms_history", "the terms change from %q is not after the one from %q: keep one change a month, in order", e.From, h[i-1].From)
		}
	}
	if n := len(h); n > 0 && !sameTerms(h[n-1].Value, c.Terms()) {
		ps.add("terms_history", "the latest terms change (from %s) differs from the customer's terms: edit the customer again with --from", h[n-1].From)
	}
}

// TermsChange is one dated change of the terms, as a history shows it.
type TermsChange struct {
	From    string   // YYYY-MM, "" from the beginning
	Changes []string // "adjustment_percent: -3 → -5", by field
}

// TermsLog words the history: each entry with the fields it changes from
// the entry before, in the text form of the customers CSV.
func (c Customer) TermsLog() []TermsChange {
	var out []TermsChange
	var prev *Customer
	for _, e := range c.TermsHistory {
		cur := c
		cur.setTerms(e.Value)
		ch := TermsChange{From: e.From}
		for _, f := range Fields {
			if !termsField[f.Name] {
				continue
			}
			v := f.Get(&cur)
			switch {
			case prev == nil:
				ch.Changes = append(ch.Changes, fmt.Sprintf("%s: %s", f.Name, v))
			case f.Get(prev) != v:
				ch.Changes = append(ch.Changes, fmt.Sprintf("%s: %s → %s", f.Name, f.Get(prev), v))
			}
		}
		prev = &cur
		out = append(out, ch)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].From < out[j].From })
	return out
}

// EditedFrom is the YYYY-MM month from which an edit of the terms applies,
// c being the customer after the edit and before the one before: the
// month RecordTerms dated it from, "" when the edit dated nothing (the
// terms were not changed, or changed from the beginning).
func (c Customer) EditedFrom(before Customer) string {
	n, o := len(c.TermsHistory), len(before.TermsHistory)
	if n == 0 || sameTerms(c.Terms(), before.Terms()) && n == o {
		return ""
	}
	return c.TermsHistory[n-1].From
}

// IsTermsField reports whether a Fields name is one of the dated terms.
func IsTermsField(name string) bool { return termsField[name] }

// termsField names the Fields that hold Terms.
var termsField = map[string]bool{"currency": true, "adjustment_percent": true, "pricing_rules": true, "recurring": true, "price_table": true}

// sameTerms compares terms by their text form, as the CSV writes them:
// 5 and 5.0 percent are the same rule, nil and no rules the same list.
func sameTerms(a, b Terms) bool {
	var ca, cb Customer
	ca.setTerms(a)
	cb.setTerms(b)
	for _, f := range Fields {
		if termsField[f.Name] && f.Get(&ca) != f.Get(&cb) {
			return false
		}
	}
	return true
}
