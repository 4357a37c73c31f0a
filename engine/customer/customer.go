// Package customer defines who Rebill bills: the customer profile with its
// billing terms, the effective-dated ownership of cloud accounts, the
// reseller's own credits, and the reseller's public profile. It is pure
// data and rules; the store keeps these values and the billing engine reads
// them.
package customer

import (
	"github.com/shopspring/decimal"
)

// SupportPlan names how a customer's support charge is computed.
type SupportPlan string

// Support plans: the AWS tiers, recomputed from the customer's own charges,
// or a flat percentage.
const (
	SupportNone             SupportPlan = "none"
	SupportDeveloper        SupportPlan = "developer"
	SupportBusiness         SupportPlan = "business"
	SupportEnterpriseOnRamp SupportPlan = "enterprise-on-ramp"
	SupportEnterprise       SupportPlan = "enterprise"
	SupportFlat             SupportPlan = "flat"
)

// SupportPlans lists every plan, in the order a form offers them.
var SupportPlans = []SupportPlan{SupportNone, SupportDeveloper, SupportBusiness, SupportEnterpriseOnRamp, SupportEnterprise, SupportFlat}

// CostBasis chooses which cost of the provider file the customer is billed.
type CostBasis string

// Cost bases.
const (
	// BasisRerated bills the customer as its own AWS family: reservation
	// and Savings Plan benefits stay with the customer that bought them.
	BasisRerated CostBasis = "rerated"
	// BasisUnblended is exactly what the payer was billed, per account.
	BasisUnblended CostBasis = "unblended"
	// BasisPublic is the public on-demand (list) price.
	BasisPublic CostBasis = "public"
	// BasisBlended is AWS's blended cost, for comparison only.
	BasisBlended CostBasis = "blended"
)

// CostBases lists the bases a customer can be billed on (blended is for
// comparison in reports only).
var CostBases = []CostBasis{BasisRerated, BasisUnblended, BasisPublic}

// Contact is a billing contact block as printed on invoices.
type Contact struct {
	Name    string   `json:"name"`
	Email   string   `json:"email"`
	Phone   string   `json:"phone"`
	Address []string `json:"address"` // lines, as printed
	Country string   `json:"country"`
}

// TaxRate is one named sales tax or VAT rate, e.g. "VAT 20%".
type TaxRate struct {
	Name    string          `json:"name"`
	Percent decimal.Decimal `json:"percent"`
}

// PricingRule marks up (positive percent) or discounts (negative) the
// charges it matches. Empty criteria match anything; the rule with the
// most criteria set wins (see Customer.RuleFor).
type PricingRule struct {
	Provider      string          `json:"provider"`       // "aws", "azure", ... or ""
	BillingEntity string          `json:"billing_entity"` // "AWS", "AWS Marketplace", or ""
	ProductCode   string          `json:"product_code"`
	UsageType     string          `json:"usage_type"`
	Percent       decimal.Decimal `json:"percent"`
}

// RecurringCharge is a custom monthly charge (positive) or credit
// (negative) on the customer's invoices from one month until another.
type RecurringCharge struct {
	Description string          `json:"description"`
	Amount      decimal.Decimal `json:"amount"` // in the customer's invoice currency
	From        string          `json:"from"`   // YYYY-MM
	Until       string          `json:"until"`  // YYYY-MM or "" for open-ended
}

// Customer is the profile the accountant keeps for each customer: contact
// data for the invoice and the terms that price its month.
type Customer struct {
	ID          string          `json:"id"` // short, chosen by the accountant, e.g. ACME
	Name        string          `json:"name"`
	Group       string          `json:"group"` // e.g. "EMEA / Enterprise": one level of nesting
	Contact     Contact         `json:"contact"`
	TaxNumber   string          `json:"tax_number"`
	Currency    string          `json:"currency"` // ISO 4217 invoice currency
	TermsDays   int             `json:"payment_terms_days"`
	TaxRates    []TaxRate       `json:"tax_rates"`
	Support     SupportPlan     `json:"support_plan"`
	SupportFlat decimal.Decimal `json:"support_flat_percent"` // for SupportFlat
	// SupportChanges change the plan from a month on (see SupportAt).
	SupportChanges []SupportChange `json:"support_changes,omitempty"`
	// PriceTable names the reseller's volume price table (billing.PriceTable)
	// the customer's own usage is re-priced through, as if it were its own
	// family; "" for none. Dated with the other terms (TermsHistory).
	PriceTable string `json:"price_table,omitempty"`
	// ProviderDiscounts overrides the reseller's provider discount mode
	// for this customer; "" follows the reseller's setting.
	ProviderDiscounts DiscountMode `json:"provider_discounts,omitempty"`
	// Adjustment is the global discount (negative) or uplift (positive)
	// percentage on the charges excluding marketplace.
	Adjustment   decimal.Decimal   `json:"adjustment_percent"`
	PricingRules []PricingRule     `json:"pricing_rules"`
	Recurring    []RecurringCharge `json:"recurring"`
	// TermsHistory dates the terms above (see Terms and At): empty, they
	// have applied from the beginning.
	TermsHistory History[Terms] `json:"terms_history,omitempty"`
	Basis        CostBasis      `json:"cost_basis"`
	Notes        string         `json:"notes"`
	// EInvoice is what the customer's e-invoices need (and whether it
	// wants one).
	EInvoice BuyerEInvoice `json:"einvoice,omitzero"`
}
