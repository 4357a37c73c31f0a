package reconcile

import (
	"sort"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
)

// Margin is one invoiced customer's month: its statement's console
// variance, whose rows are the services with what the reseller pays for
// them and what it bills.
type Margin struct {
	Period   string
	Provider string
	Customer string
	Invoice  string
	Console  billing.Variance
	// Credited is what the invoice's issued credit notes take off it
	// before their tax, in its currency (negative): billed no more, so no
	// longer earned.
	Credited decimal.Decimal
}

// MarginRow is what the reseller earns on one customer's service over the
// months of a report, in the invoice currency: Billed - Cost = Margin, and
// Margin is the sum of the causes. Cost is the provider's unblended cost
// of the customer's accounts, net of provider discounts (those the
// reseller keeps as margin reduce its cost and bill nothing).
//
// Both sides are before tax: the tax an invoice charges is owed to the
// tax authority, never earned, and the provider's Tax lines it replaces
// or passes through are the reseller's to recover or to pass on. So a
// customer's Total row bills its invoices' net amount, not their total.
type MarginRow struct {
	Customer string `json:"customer"`
	Provider string `json:"provider"`
	Service  string `json:"service"`
	// Section is the statement section of the service's line ("" for
	// Support, Discount, Tax, reseller credits, rounding, credit notes
	// and totals).
	Section  billing.ProductType `json:"section,omitempty"`
	Currency string              `json:"currency"`
	Months   int                 `json:"months"`
	Cost     string              `json:"cost"`
	Billed   string              `json:"billed"`
	Margin   string              `json:"margin"`
	// Causes are the margin's parts by cause; zero causes are left out.
	Causes map[Cause]string `json:"causes"`

	cost, billed decimal.Decimal
	causes       map[Cause]decimal.Decimal
}

// Figures returns the row's cost, billed amount and margin as numbers.
func (r MarginRow) Figures() (cost, billed, margin decimal.Decimal) {
	return r.cost, r.billed, r.billed.Sub(r.cost)
}

// Part returns one cause's part of the margin.
func (r MarginRow) Part(c Cause) decimal.Decimal { return r.causes[c] }

// MarginCauses are the causes a customer's margin splits into, in order.
// Tax is not one: the report is before tax (see MarginRow).
var MarginCauses = []Cause{Rerating, PricingRules, Support, KeptDiscounts, Marketplace, ProviderCredits,
	ResellerCredits, Recurring, LineRounding, CreditNotes}

// CreditNotesRow is the service of a customer's margin row for the credit
// notes issued against its invoices.
const CreditNotesRow = "Credit notes"

// Margins adds the months' statements up per customer, provider, service
// and currency, in that order, with a "Total" row per customer and
// provider after its services. The service-line rounding, which the
// variance reports on its total row, is a row of its own ("Rounding"), and
// so are the credit notes (CreditNotesRow), which bill less and cost
// nothing.
func Margins(ms []Margin) []MarginRow {
	type key struct {
		customer, provider, currency, service string
		section                               billing.ProductType
	}
	rows := map[key]*MarginRow{}
	var keys []key
	months := map[key]map[string]bool{}
	rowOf := func(m Margin, service string, section billing.ProductType) *MarginRow {
		k := key{m.Customer, m.Provider, m.Console.Currency, service, section}
		r := rows[k]
		if r == nil {
			r = &MarginRow{Customer: k.customer, Provider: k.provider, Currency: k.currency, Service: service, Section: section, causes: map[Cause]decimal.Decimal{}}
			rows[k] = r
			keys = append(keys, k)
			months[k] = map[string]bool{}
		}
		months[k][m.Period] = true
		return r
	}
	addLine := func(m Margin, service string, l billing.VarianceLine, withRounding bool) {
		r := rowOf(m, service, l.ProductType)
		r.cost = r.cost.Add(l.ConsoleUnblended.Decimal())
		r.billed = r.billed.Add(l.Statement.Decimal())
		one := billing.Variance{Lines: []billing.VarianceLine{l}}
		if withRounding {
			one.Total.Rounding = l.Rounding
		}
		for c, d := range causesOf(&one) {
			r.causes[c] = r.causes[c].Add(d)
		}
	}
	for _, m := range ms {
		for _, l := range m.Console.Lines {
			if l.IsTax() {
				continue
			}
			addLine(m, l.Service, l, false)
		}
		if !m.Console.Total.Rounding.IsZero() {
			// The console rounds its total once; the statement per line.
			r := billing.VarianceLine{Service: "Rounding", ConsoleUnblended: m.Console.Total.Rounding.Neg(), Rounding: m.Console.Total.Rounding}
			addLine(m, "Rounding", r, true)
		}
		if !m.Credited.IsZero() {
			r := rowOf(m, CreditNotesRow, "")
			r.billed = r.billed.Add(m.Credited)
			r.causes[CreditNotes] = r.causes[CreditNotes].Add(m.Credited)
		}
	}
	sort.SliceStable(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.customer != b.customer {
			return a.customer < b.customer
		}
		if a.provider != b.provider {
			return a.provider < b.provider
		}
		return a.currency < b.currency
	})
	var out []MarginRow
	var total *MarginRow
	flush := func() {
		if total != nil {
			out = append(out, finish(*total))
		}
	}
	for _, k := range keys {
		r := rows[k]
		r.Months = len(months[k])
		if total == nil || total.Customer != k.customer || total.Provider != k.provider || total.Currency != k.currency {
			flush()
			total = &MarginRow{Customer: k.customer, Provider: k.provider, Currency: k.currency, Service: "Total", causes: map[Cause]decimal.Decimal{}}
		}
		total.cost, total.billed = total.cost.Add(r.cost), total.billed.Add(r.billed)
		if r.Months > total.Months {
			total.Months = r.Months
		}
		for c, d := range r.causes {
			total.causes[c] = total.causes[c].Add(d)
		}
		out = append(out, finish(*r))
	}
	flush()
	return out
}

// finish writes a row's figures as strings for JSON.
func finish(r MarginRow) MarginRow {
	str := func(d decimal.Decimal) string { return billing.HalfUp.Round(d, r.Currency).String() }
	r.Cost, r.Billed, r.Margin = str(r.cost), str(r.billed), str(r.billed.Sub(r.cost))
	r.Causes = map[Cause]string{}
	for _, c := range MarginCauses {
		if d := r.causes[c]; !d.IsZero() {
			r.Causes[c] = str(d)
		}
	}
	return r
}
