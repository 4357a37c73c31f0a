package view

import (
	"strings"

	"rebill/engine/billing"
	"rebill/engine/customer"
)

// PlanRow is one support plan version as Settings lists it.
type PlanRow struct {
	ID, Name, Serves, Months, Minimum, Bands, Status string
	// ToConfirm offers the Confirm action.
	ToConfirm bool
}

// PlanRows words the stored support plan versions, by first month.
func PlanRows(ps billing.SupportPlans) []PlanRow {
	out := make([]PlanRow, 0, len(ps))
	for _, p := range ps.Sorted() {
		serves := make([]string, len(p.Serves))
		for i, s := range p.Serves {
			serves[i] = PlanName(s)
		}
		r := PlanRow{ID: p.ID, Name: p.Name, Serves: strings.Join(serves, ", "), Months: p.Months(),
			Bands: BandsText(p), Status: "confirmed", ToConfirm: p.ToConfirm}
		switch {
		case p.CustomerPercent:
			r.Minimum = "none"
		case p.Currency != "":
			r.Minimum = p.Currency + " " + Exact(p.Minimum)
		default:
			r.Minimum = Exact(p.Minimum)
		}
		if p.ToConfirm {
			r.Status = "to confirm against AWS's pricing page"
		}
		out = append(out, r)
	}
	return out
}

// BandsText words a plan's bands: "10% to 10,000; 7% to 80,000; 3% above".
func BandsText(p billing.SupportPlan) string {
	if p.CustomerPercent {
		return "the customer's own percentage"
	}
	parts := make([]string, len(p.Bands))
	for i, b := range p.Bands {
		switch {
		case len(p.Bands) == 1:
			parts[i] = b.Percent.String() + "%"
		case b.To.IsZero():
			parts[i] = b.Percent.String() + "% above " + Exact(b.From)
		default:
			parts[i] = b.Percent.String() + "% to " + Exact(b.To)
		}
	}
	return strings.Join(parts, "; ")
}

// SupportBaseChoices are the support base setting's choices as Settings
// offers them, with the setting's value for each.
var SupportBaseChoices = []Choice{
	{Label: "Gross: before provider discounts, credits and refunds (AWS's rule)", Value: string(billing.GrossBase)},
	{Label: "After provider discounts (EDP, private pricing, bundled, SPP)", Value: string(billing.NetBase)},
}

// DiscountModeChoices are the provider discount modes as Settings and the
// customer form offer them.
var DiscountModeChoices = []Choice{
	{Label: "Passed on inside the service line", Value: string(customer.DiscountsPassedOn)},
	{Label: "Passed on as a line of their own under the service", Value: string(customer.DiscountsSeparate)},
	{Label: "Kept as our margin: customers billed before the discount", Value: string(customer.DiscountsMargin)},
}

// CustomerDiscountChoices are the customer form's provider discount
// choices: the reseller's setting (the first, value "") or a mode of the
// customer's own.
var CustomerDiscountChoices = append([]Choice{{Label: "As in Settings (the reseller's choice)", Value: ""}}, DiscountModeChoices...)

// Choice is one option of a setting: what the form shows and the value
// the setting takes.
type Choice struct{ Label, Value string }

// ChoiceLabels are the labels of choices, for a Select.
func ChoiceLabels(cs []Choice) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Label
	}
	return out
}

// ChoiceLabel is the label of the choice with value v, the first one
// (the default) when v is empty or unknown.
func ChoiceLabel(cs []Choice, v string) string {
	for _, c := range cs {
		if c.Value == v {
			return c.Label
		}
	}
	return cs[0].Label
}

// ChoiceValue is the value of the choice labelled label, "" for none.
func ChoiceValue(cs []Choice, label string) string {
	for _, c := range cs {
		if c.Label == label {
			return c.Value
		}
	}
	return ""
}

// SupportChangesText words a customer's plan changes from a month on:
// "From 2027-01: AWS Business. From 2027-06: Flat percentage of the
// charges (7.5%)." with how to change them.
func SupportChangesText(cs []customer.SupportChange) string {
	if len(cs) == 0 {
		return ""
	}
	var parts []string
	for _, ch := range cs {
		p := "From " + ch.From + ": " + PlanName(ch.Plan)
		if ch.Plan == customer.SupportFlat {
			p += " (" + ch.FlatPercent.String() + "%)"
		}
		parts = append(parts, p+".")
	}
	return strings.Join(parts, " ") + " The plan above applies before. (rebill customers edit ID --support PLAN --support-from YYYY-MM, or the customers CSV's support_changes, change these.)"
}

// TermsHistoryText words a customer's dated terms for its form: each
// change with its month, and when a change saved now applies.
func TermsHistoryText(c customer.Customer) string {
	var parts []string
	for _, ch := range c.TermsLog() {
		if ch.From == "" {
			continue // the first terms: what each change changes says the rest
		}
		parts = append(parts, "From "+ch.From+": "+strings.Join(ch.Changes, "; ")+".")
	}
	rule := "A change to the currency, discount or uplift, pricing rules or recurring charges applies from the month after the customer's latest issued invoice; the months before keep the terms they were priced with (rebill customers edit ID --from YYYY-MM chooses the month)."
	if len(parts) == 0 {
		return rule
	}
	return "Terms by month: " + strings.Join(parts, " ") + " " + rule
}

// PlanSaved says what saving a support plan version did.
func PlanSaved(id string, added bool) string {
	if added {
		return "Support plan " + id + " added. Statements of the months it covers use it; issued invoices keep their figures."
	}
	return "Support plan " + id + " saved and confirmed."
}
