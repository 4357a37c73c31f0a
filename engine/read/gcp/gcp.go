// Package gcp reads the Google Cloud billing export to BigQuery, as the
// CSV its flattened table is saved to (billing_account_id, service.id,
// sku.description, project.id, cost, credits, invoice.month, ...).
//
// A row's account is its project, its payer the billing account and its
// billing month invoice.month. The repeated columns (credits, labels)
// are written as Python literals ([{'name': ..., 'amount': -5e-06, 'full_name':
// None}]), read exactly.
//
// Credits. A row's credits (free trial, promotions, sustained and
// committed use discounts, a partner's reseller margin) are on the same
// invoice as its cost, and Google's invoice asks the cost plus the credits.
// So the line item's cost (UnblendedCost, FOCUS's BilledCost) is the row's
// cost plus its credits, and its list (PublicOnDemandCost) and contracted
// cost are the cost before credits: one line item per row keeps each row's
// credits with the usage they reduce, which per-customer billing needs
// (a credit on a line of its own would have to be given an owner again).
// A RESELLER_MARGIN credit is the reseller's margin, not the customer's
// discount: it is also kept, as a positive amount, in PartnerCredit, so
// billing can charge it back unless the accountant passes it on. The file's
// total stays provable: the line items' costs add up to the sum of the cost
// column plus the sum of every credit's amount.
package gcp

import (
	"rebill/engine/lineitem"
	"rebill/engine/read"
)

// CSV is the format's code.
const CSV = "gcp-csv"

// The columns the reader uses.
const (
	colBillingAccount = iota
	colServiceID
	colService
	colSKUID
	colSKU
	colUsageStart
	colProject
	colLabels
	colRegion
	colLocation
	colCost
	colCostAtList
	colCurrency
	colUsageAmount
	colCredits
	colInvoiceMonth
	colCostType
	colSeller
	numColumns
)

var columns = read.NewColumns([][]string{
	colBillingAccount: {"billing_account_id"},
	colServiceID:      {"service.id", "service_id"},
	colService:        {"service.description", "service_description"},
	colSKUID:          {"sku.id", "sku_id"},
	colSKU:            {"sku.description", "sku_description"},
	colUsageStart:     {"usage_start_time"},
	colProject:        {"project.id", "project_id"},
	colLabels:         {"labels"},
	colRegion:         {"location.region", "location_region"},
	colLocation:       {"location.location", "location_location"},
	colCost:           {"cost"},
	colCostAtList:     {"cost_at_list"},
	colCurrency:       {"currency"},
	colUsageAmount:    {"usage.amount_in_pricing_units", "usage_amount_in_pricing_units"},
	colCredits:        {"credits"},
	colInvoiceMonth:   {"invoice.month", "invoice_month"},
	colCostType:       {"cost_type"},
	colSeller:         {"seller_name"},
})

// required are the columns billing needs.
var required = [][]int{{colBillingAccount}, {colCost}, {colCurrency}, {colInvoiceMonth}, {colCredits}, {colService}}

// Family registers the GCP billing export with the format registry.
var Family = &read.Family{
	Name: "gcp",
	Formats: []read.Format{
		{Name: CSV, Title: "Google Cloud billing export (BigQuery), CSV", Short: "GCP billing export",
			Provider: lineitem.GCP, Container: read.CSV, Extensions: []string{".csv", ".csv.gz"},
			Required: columns.RequiredNames(required), CostColumn: "cost + credits"},
	},
	Detect: func(header []string, c read.Container) (string, bool) {
		idx := columns.Find(header)
		if c.Parquet || idx[colBillingAccount] < 0 || idx[colInvoiceMonth] < 0 || idx[colCost] < 0 {
			return "", false
		}
		return CSV, true
	},
	Closest: func(header []string, _ read.Container) (string, int, []string) {
		m := columns.Missing(columns.Find(header), required)
		return CSV, len(required) - len(m), m
	},
	NewMapper: func(_ read.Format, header []string, _ func() string) (read.Mapper, error) {
		return NewMapper(header)
	},
}
