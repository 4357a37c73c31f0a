package view

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/lineitem"
)

// Trace explains one statement line from the engine's trace: the line
// items behind it per line item type, the cost basis, re-rated lines with
// whose reservation or Savings Plan they used, the pricing rules, exchange
// rates, support plan or recurring charges, and the rounding. Amounts of
// line items are in the file's currency.
type Trace struct {
	Title string
	// Facts are label: value pairs about the line.
	Facts    [][2]string
	Sections []TraceSection
}

// TraceSection is one part of a trace under its title: a note, label:
// value pairs, or a table (Header over Rows, Right marking the amount
// columns), in that order when it has several.
type TraceSection struct {
	Title  string
	Note   string
	Facts  [][2]string
	Header []string
	Right  []bool
	Rows   [][]string
}

// NewTrace words the trace of line l of section in st.
func NewTrace(st *billing.Statement, section billing.ProductType, l billing.Line) Trace {
	t := l.Trace
	v := Trace{Title: l.Service}
	if l.Name != "" && l.Name != l.Service {
		v.Title += " — " + l.Name
	}
	adj := Exact(t.RoundingAdjustment)
	if t.RoundingAdjustment.IsPositive() {
		adj = "+" + adj
	}
	v.Facts = [][2]string{
		{"Statement line", fmt.Sprintf("%s, in the %s section of %s's %s statement", l.Service, section, st.CustomerID, st.Period)},
		{"Printed amount", st.Currency + " " + Figure(l.Amount)},
		{"Full precision", st.Currency + " " + Exact(t.Unrounded)},
		{"Rounding", fmt.Sprintf("%s to the %s minor unit: adjustment %s", t.Rounding, st.Currency, adj)},
	}
	if len(t.Types) > 0 {
		v.Facts = append(v.Facts, [2]string{"Cost basis", BasisLabel(t.Basis)})
		var items int64
		s := TraceSection{Header: []string{"Line item type", "Currency", "Items", "Billed (unblended)", "Charged (" + BasisName(t.Basis) + ")"},
			Right: []bool{false, false, true, true, true}}
		for _, ty := range t.Types {
			items += ty.Items
			s.Rows = append(s.Rows, []string{ty.Type, ty.Currency, Count(ty.Items), Exact(ty.Billed), Exact(ty.Charged)})
		}
		s.Title = fmt.Sprintf("Line items by type (%s in all)", Plural(int(items), "line item", "line items"))
		v.Sections = append(v.Sections, s)
	}
	if len(t.Rerated) > 0 {
		s := TraceSection{Title: "Reservations and Savings Plans used",
			Header: []string{"Type", "Bought by account", "Its customer", "Items", "Billed", "On demand", "Charged", "Outcome"},
			Right:  []bool{false, false, false, true, true, true, true, false}}
		for _, r := range t.Rerated {
			owner := r.OwnerCustomer
			if owner == "" {
				owner = "no customer"
			}
			onDemand := ""
			if r.Type == lineitem.DiscountedUsage {
				onDemand = Exact(r.OnDemand)
			}
			s.Rows = append(s.Rows, []string{r.Type, r.Owner, owner, Count(r.Items), Exact(r.Billed), onDemand, Exact(r.Charged), rerateOutcome(r)})
		}
		v.Sections = append(v.Sections, s)
	}
	if len(t.Tiers) > 0 {
		s := TraceSection{Title: "Volume tiers of the price table " + t.Tiers[0].Table + " (" + billing.TiersText(t.Tiers) + ")",
			Header: []string{"Usage type", "Quantity", "Unit", "Price", "Currency", "Charge"},
			Right:  []bool{false, true, false, true, false, true},
			Note:   "The customer's own usage of the month, in usage order, priced as if it were its own AWS family: other customers' usage in the same payer does not lower its tiers."}
		for _, tr := range t.Tiers {
			s.Rows = append(s.Rows, []string{tr.UsageType, tr.Quantity.String(), tr.Unit, tr.Price.String(), tr.Currency, Exact(tr.Charge)})
		}
		v.Sections = append(v.Sections, s)
	}
	switch {
	case len(t.Rules) > 0:
		s := TraceSection{Title: "Pricing rules applied (the most specific rule wins)",
			Header: []string{"Rule", "Percent", "Currency", "On charges of", "Change"}, Right: []bool{false, true, false, true, true}}
		for _, r := range t.Rules {
			s.Rows = append(s.Rows, []string{ruleText(r.Rule), signedPercent(r.Rule.Percent) + "%", r.Currency, Exact(r.Base), Exact(r.Change)})
		}
		v.Sections = append(v.Sections, s)
	case len(t.Types) > 0:
		v.Sections = append(v.Sections, TraceSection{Title: "Pricing rules applied", Note: "None: the line is charged at its cost basis."})
	}
	if len(t.AccountDays) > 0 {
		var lines []string
		for _, d := range t.AccountDays {
			lines = append(lines, d.String())
		}
		v.Sections = append(v.Sections, TraceSection{Title: "Accounts moved inside the month",
			Note: strings.Join(lines, "\n") + "\nOnly the line items of these days are on this line: each is placed by its usage date; a monthly fee, dated the 1st, goes to the owner on the 1st."})
	}
	if t.TermsFrom != "" {
		v.Sections = append(v.Sections, TraceSection{Title: "Customer terms",
			Note: "Priced with the customer's terms (currency, discount or uplift, pricing rules, recurring charges) in force from " + t.TermsFrom + "."})
	}
	if len(t.Rates) > 0 {
		var lines []string
		for _, r := range t.Rates {
			lines = append(lines, fmt.Sprintf("1 %s = %s %s for %s (%s)", r.From, r.Rate, r.To, r.Period, r.Source))
		}
		v.Sections = append(v.Sections, TraceSection{Title: "Exchange rates", Note: strings.Join(lines, "\n") + "\nConverted at full precision, then rounded once."})
	}
	if sd := t.Support; sd != nil {
		v.Sections = append(v.Sections, supportBase(st, sd))
		s := TraceSection{Title: "Support plan: " + sd.Name, Facts: [][2]string{
			{"Customer's plan", fmt.Sprintf("%s in %s, priced by plan version %s (%s)", sd.Plan, st.Period, sd.Version, sd.Months)},
			{"Computed on", st.Currency + " " + Exact(sd.Base)}}}
		if sd.ToConfirm {
			s.Note = "This plan version's figures are presets still to be confirmed against AWS's pricing page (Settings > Support plans and provider discounts, or rebill support-plans set " + sd.Version + ")."
		}
		if !sd.Percent.IsZero() {
			s.Facts = append(s.Facts, [2]string{"Rate", sd.Percent.String() + "%"})
		}
		if !sd.Minimum.IsZero() {
			s.Facts = append(s.Facts, [2]string{"Minimum", st.Currency + " " + Exact(sd.Minimum)})
		}
		s.Facts = append(s.Facts, [2]string{"Fee at full precision", st.Currency + " " + Exact(sd.Unrounded)})
		if len(sd.Tiers) > 0 {
			s.Header, s.Right = []string{"Band from", "To", "Percent", "Charge"}, []bool{true, true, true, true}
			for _, tc := range sd.Tiers {
				to := "and above"
				if !tc.To.IsZero() {
					to = Exact(tc.To)
				}
				s.Rows = append(s.Rows, []string{Exact(tc.From), to, tc.Percent.String() + "%", Exact(tc.Charge)})
			}
		}
		v.Sections = append(v.Sections, s)
	}
	if len(t.Recurring) > 0 {
		s := TraceSection{Title: "Recurring charges", Header: []string{"Description", "From", "Until", "Amount"}, Right: []bool{false, false, false, true}}
		for _, rc := range t.Recurring {
			until := rc.Until
			if until == "" {
				until = "open-ended"
			}
			s.Rows = append(s.Rows, []string{rc.Description, rc.From, until, Exact(rc.Amount)})
		}
		v.Sections = append(v.Sections, s)
	}
	return v
}

// supportBase words the support base: its rule and the service lines it
// adds up, each rounded as on the statement.
func supportBase(st *billing.Statement, sd *billing.SupportDetail) TraceSection {
	s := TraceSection{Title: "Support base", Note: "The base is " + sd.BaseRule + ".",
		Facts: [][2]string{{"Base", st.Currency + " " + Exact(sd.Base)}}}
	if !sd.Discounts.IsZero() {
		s.Facts = append(s.Facts, [2]string{"Provider discounts on these services", st.Currency + " " + Exact(sd.Discounts)})
	}
	if len(sd.BaseLines) > 0 {
		s.Header, s.Right = []string{"Service", "Charges before provider discounts", "Provider discounts", "Counted (rounded)"}, []bool{false, true, true, true}
		for _, l := range sd.BaseLines {
			s.Rows = append(s.Rows, []string{l.Service, Exact(l.Gross), Exact(l.Discounts), Figure(l.Counted)})
		}
	}
	return s
}

// rerateOutcome says what happened to re-rated line items.
func rerateOutcome(r billing.RerateTrace) string {
	switch {
	case r.Kept:
		return "the customer's own: benefit kept, as AWS billed"
	case r.OwnerCustomer == "":
		return "bought by no customer: charged on demand"
	case r.Type == lineitem.DiscountedUsage:
		return "another customer's: charged on demand"
	}
	return "another customer's: not credited"
}

// ruleText describes a pricing rule's criteria.
func ruleText(r customer.PricingRule) string {
	var parts []string
	for _, c := range []struct{ name, v string }{{"provider", r.Provider}, {"billing entity", r.BillingEntity},
		{"product code", r.ProductCode}, {"usage type", r.UsageType}} {
		if c.v != "" {
			parts = append(parts, c.name+" "+c.v)
		}
	}
	if len(parts) == 0 {
		return "every charge"
	}
	return strings.Join(parts, ", ")
}

// signedPercent writes a percentage with its sign: +5, -10.
func signedPercent(d decimal.Decimal) string {
	if d.IsPositive() {
		return "+" + d.String()
	}
	return d.String()
}
