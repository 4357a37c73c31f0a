package view

import "rebill/engine/billing"

// The Settings screen's billing rules: how amounts are rounded and what
// statements do with the provider's own tax, with the same meanings
// `rebill settings show` prints.

// RoundingChoices are the rounding modes as Settings offers them, the
// default (half-up) first.
var RoundingChoices = []Choice{
	{Label: "Half up: halves away from zero (0.125 → 0.13)", Value: string(billing.HalfUp)},
	{Label: "Half even: halves to the even cent (0.125 → 0.12)", Value: string(billing.HalfEven)},
	{Label: "Down: toward zero, Microsoft's Azure rule (0.129 → 0.12)", Value: string(billing.Down)},
}

// ProviderTaxChoices are the provider-tax modes as Settings offers them,
// the default (replace) first.
var ProviderTaxChoices = []Choice{
	{Label: "Replaced by each customer's own tax rates", Value: string(billing.ReplaceTax)},
	{Label: "Passed through as the provider charged it", Value: string(billing.PassThroughTax)},
}

// SettingSaved confirms a billing setting saved: what changes and what
// does not.
func SettingSaved(name, label string) string {
	return name + " is now \"" + label + "\". Reports and new drafts use it; issued invoices keep what they were computed with."
}
