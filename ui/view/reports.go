package view

import (
	"errors"
	"fmt"
	"strings"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/lineitem"
	"rebill/store"
)

// The Reports screen's words and tables: a month's statement laid out as
// the invoice will print it, with its usage view and console variance, a
// group's totals per customer, and the headings, warnings and problems
// around them. Every figure is the engine's, as it printed it.

// Row is one row of a table.
type Row struct {
	// ID names what the row opens, when it opens something (a summary
	// row's customer).
	ID    string
	Cells []Cell
}

// MonthLabel is a month as the month picker offers it, with its
// finality: "2024-10  ·  Provisional".
func MonthLabel(period string, final bool) string { return period + "  ·  " + Finality(final) }

// Basis is one choice of the report's cost basis.
type Basis struct {
	Label string
	Basis customer.CostBasis
}

// Bases are the report's cost basis choices, the customer's own first.
var Bases = []Basis{
	{"Each customer's own basis", ""},
	{"Re-rated", customer.BasisRerated},
	{"Unblended", customer.BasisUnblended},
	{"Public on-demand", customer.BasisPublic},
	{"Blended (comparison only)", customer.BasisBlended},
}

// BasisLabel says what a statement's basis means, for the trace.
func BasisLabel(b customer.CostBasis) string {
	switch b {
	case customer.BasisRerated:
		return "re-rated (reservations and Savings Plans stay with the customer that bought them)"
	case customer.BasisUnblended:
		return "unblended (as the payer was billed)"
	case customer.BasisPublic:
		return "public on-demand prices"
	case customer.BasisBlended:
		return "blended, for comparison only"
	}
	return string(b)
}

// BasisName names a basis briefly, for headings and column titles.
func BasisName(b customer.CostBasis) string {
	switch b {
	case customer.BasisRerated:
		return "re-rated"
	case customer.BasisPublic:
		return "public on-demand"
	case customer.BasisBlended:
		return "blended (comparison only)"
	}
	return string(b)
}

// OptionsText lists the options chosen: "with reseller credits, tax".
func OptionsText(o billing.Options) string {
	var on []string
	if o.Credits {
		on = append(on, "reseller credits")
	}
	if o.Tax {
		on = append(on, "tax")
	}
	if o.Marketplace {
		on = append(on, "Marketplace")
	}
	if o.MarketplaceCredits {
		on = append(on, "credits for Marketplace")
	}
	if len(on) == 0 {
		return "without credits, tax or Marketplace"
	}
	return "with " + strings.Join(on, ", ")
}

// ReportEmpty explains why there is nothing to compute: no month
// imported, no customer, or a group without customers; with the screen
// to go to and its button. ok is true when there is something.
func ReportEmpty(period string, picked, customers int) (text, button, screen string, ok bool) {
	switch {
	case period == "":
		return "No billing data yet. Import your provider's billing files (or the sample data) on the Import screen; each month's statements then appear here.", "Go to Import", "Import", false
	case picked == 0 && customers == 0:
		return "No customers yet. Add your customers and map their cloud accounts to them on the Customers screen; their statements then appear here.", "Go to Customers", "Customers", false
	case picked == 0:
		return "This group has no customers.", "", "", false
	}
	return "", "", "", true
}

// Computing says what is being computed while the statements are.
func Computing(period string, rows int64) string {
	return "Computing " + period + " (" + Plural(int(rows), "line item", "line items") + ")…"
}

// ReportHeading titles a report: who (a customer's name and id, or the
// selection) and the month with its finality.
func ReportHeading(who, period string, final bool) string {
	return who + " — " + period + " · " + Finality(final)
}

// ReportWarning says when the month is provisional and, over several
// customers, when accounts with charges belong to no customer; "" when
// neither.
func ReportWarning(period string, final, single bool, unassigned []billing.AccountTotal) string {
	var parts []string
	if !final {
		parts = append(parts, "Provisional data: the provider has not closed "+period+" yet and may re-deliver it, so these figures may still change.")
	}
	if len(unassigned) > 0 && !single {
		var accts []string
		for _, a := range unassigned {
			accts = append(accts, a.Account+" ("+Overview(a.Currency, a.Unblended)+")")
		}
		verb, them := "belong to no customer and are", "them"
		if len(unassigned) == 1 {
			verb, them = "belongs to no customer and is", "it"
		}
		parts = append(parts, fmt.Sprintf("%s with charges this month %s on no statement: %s. Map %s on the Customers screen.",
			Plural(len(unassigned), "account", "accounts"), verb, strings.Join(accts, ", "), them))
	}
	return strings.Join(parts, " ")
}

// NoStatement says in full why a customer has no statement; a missing
// exchange rate is returned too, for the screen to offer entering it.
func NoStatement(c customer.Customer, err error) (string, *billing.RateError) {
	var re *billing.RateError
	if !errors.As(err, &re) {
		return "No statement: " + err.Error(), nil
	}
	text := fmt.Sprintf("No statement yet: %s is invoiced in %s and its charges are in %s, so it needs the %s → %s exchange rate for %s.",
		c.Name, re.To, re.From, re.From, re.To, re.Period)
	if re.Err != nil && re.Err.Error() != billing.ErrNoRate.Error() {
		text += " (" + re.Err.Error() + ")"
	}
	return text, re
}

// EnterRate labels the button that enters a missing rate.
func EnterRate(re *billing.RateError) string {
	return fmt.Sprintf("Enter the %s → %s rate for %s…", re.From, re.To, re.Period)
}

// ProblemNote says briefly, in a summary row, why a customer has no
// statement; the customer's own view says it in full (NoStatement).
func ProblemNote(err error) string {
	var re *billing.RateError
	if errors.As(err, &re) {
		return fmt.Sprintf("needs the %s → %s rate for %s", re.From, re.To, re.Period)
	}
	text := err.Error()
	if r := []rune(text); len(r) > 70 {
		text = string(r[:69]) + "…"
	}
	return "no statement: " + text
}

// StatementSubheading names the currency, basis, rounding and options of
// a statement, and the exchange rates it used.
func StatementSubheading(st *billing.Statement) string {
	parts := []string{ProviderName(st.Options.Cloud()), "In " + st.Currency, BasisName(st.Basis) + " basis", string(st.Options.Rounding) + " rounding", OptionsText(st.Options)}
	for _, r := range st.Rates {
		parts = append(parts, fmt.Sprintf("1 %s = %s %s (%s)", r.From, r.Rate, r.To, r.Source))
	}
	return strings.Join(parts, " · ")
}

// GroupSubheading says how many customers a group's summary covers and
// with which options.
func GroupSubheading(customers int, o billing.Options) string {
	return Plural(customers, "customer", "customers") + " · " + OptionsText(o)
}

// Columns of a group's summary.
const (
	SumCustomer = iota
	SumSubtotal
	SumDiscount
	SumCredits
	SumTax
	SumTotal
	SumInvoice // the issued invoice's number, once the month is invoiced (InvoicedSummary)
	SumNote
)

// SummaryRow is one customer's line of a group's summary: its figures,
// or why it has no statement (st nil, err set) in red.
func SummaryRow(c customer.Customer, st *billing.Statement, err error) Row {
	r := Row{ID: c.ID, Cells: make([]Cell, SumNote+1)}
	r.Cells[SumCustomer].Text = c.Name + " (" + c.ID + ")"
	r.Cells[SumTotal].Bold = true
	if err != nil {
		r.Cells[SumNote] = Cell{Text: ProblemNote(err), Tone: Danger}
		return r
	}
	r.Cells[SumSubtotal].Text, r.Cells[SumDiscount].Text = Figure(st.Subtotal), Figure(st.Discount)
	// Credits and tax are left blank when their option is off (the
	// subheading says so): a column of zeros would only take width
	// from the names and notes.
	if st.Options.Credits || !st.CreditsApplied.IsZero() {
		r.Cells[SumCredits].Text = Figure(st.CreditsApplied)
	}
	if st.Options.Tax || !st.Tax.IsZero() {
		r.Cells[SumTax].Text = Figure(st.Tax)
	}
	r.Cells[SumTotal].Text = st.Currency + " " + Figure(st.Total)
	r.Cells[SumNote].Tone = Low
	switch {
	case len(st.Sections) == 0:
		r.Cells[SumNote].Text = "no charges this month"
	case len(st.Notes) > 0:
		// The engine's notes each ask the accountant to check something.
		r.Cells[SumNote] = Cell{Text: Sentences(st.Notes...), Tone: Warning}
	}
	return r
}

// MonthProviders lists each imported month's providers, in
// billing.BilledProviders' order, for the Reports screen's provider
// choice: a customer's month has one statement per provider.
func MonthProviders(periods []store.Period) map[string][]lineitem.Provider {
	seen := map[string]map[lineitem.Provider]bool{}
	for _, p := range periods {
		if seen[p.Period] == nil {
			seen[p.Period] = map[lineitem.Provider]bool{}
		}
		seen[p.Period][p.Provider] = true
	}
	out := map[string][]lineitem.Provider{}
	for month, ps := range seen {
		for _, p := range billing.BilledProviders {
			if ps[p] {
				out[month] = append(out[month], p)
			}
		}
	}
	return out
}
