package view

import (
	"github.com/shopspring/decimal"

	"rebill/engine/customer"
)

// The Profile tab's names for a customer's support plan and cost basis,
// and how its settings read in the form.

// supportNames are the support plans as the accountant knows them.
var supportNames = map[customer.SupportPlan]string{
	customer.SupportNone:             "None",
	customer.SupportDeveloper:        "AWS Developer",
	customer.SupportBusiness:         "AWS Business",
	customer.SupportEnterpriseOnRamp: "AWS Enterprise On-Ramp",
	customer.SupportEnterprise:       "AWS Enterprise",
	customer.SupportFlat:             "Flat percentage of the charges",
}

// basisNames explain each cost basis in a few words.
var basisNames = map[customer.CostBasis]string{
	customer.BasisRerated:   "Re-rated: reservations and Savings Plans stay with their buyer",
	customer.BasisUnblended: "Unblended: what AWS billed for the account",
	customer.BasisPublic:    "Public on-demand prices",
}

// PlanName names a support plan.
func PlanName(p customer.SupportPlan) string { return supportNames[p] }

// BasisChoice names a cost basis as the form offers it.
func BasisChoice(b customer.CostBasis) string { return basisNames[b] }

// PlanOptions are the support plans, in the engine's order.
func PlanOptions() []string {
	out := make([]string, len(customer.SupportPlans))
	for i, p := range customer.SupportPlans {
		out[i] = supportNames[p]
	}
	return out
}

// BasisOptions are the cost bases a customer can have, in the engine's
// order.
func BasisOptions() []string {
	out := make([]string, len(customer.CostBases))
	for i, b := range customer.CostBases {
		out[i] = basisNames[b]
	}
	return out
}

// PlanNamed is the support plan of a name, "" for none.
func PlanNamed(name string) customer.SupportPlan {
	for p, n := range supportNames {
		if n == name {
			return p
		}
	}
	return ""
}

// BasisNamed is the cost basis of a name, "" for none.
func BasisNamed(name string) customer.CostBasis {
	for b, n := range basisNames {
		if n == name {
			return b
		}
	}
	return ""
}

// FieldText is a customer setting's text form, as the CSV writes it.
func FieldText(name string, c *customer.Customer) string {
	fd, _ := customer.FieldNamed(name)
	return fd.Get(c)
}

// ZeroEmpty writes a percentage, leaving 0 empty so the placeholder shows.
func ZeroEmpty(d decimal.Decimal) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}
