package ingest

import "strings"

// costColumns name, per format (or, when the format is not listed, per
// family: the part of its name before the first '-', "azure" of
// "azure-ea-csv"), the column holding what the provider's invoice charges
// for a line. Every reader reads it into the line item's UnblendedCost
// (FOCUS's BilledCost), so a delivery's UnblendedCost is that column's
// exact total: what `rebill periods` shows beside it, to compare with the
// provider's invoice or another tool's sum of the same column. The Azure,
// Partner Center, Google Cloud and Oracle Cloud names are those of the
// providers' documented exports.
var costColumns = map[string]string{
	"cur-csv":         "lineItem/UnblendedCost",
	"cur-athena-text": "line_item_unblended_cost",
	"cur-parquet":     "line_item_unblended_cost",
	"cur2-csv":        "line_item_unblended_cost",
	"cur2-parquet":    "line_item_unblended_cost",
	"dbr":             "UnBlendedCost",
	"focus":           "BilledCost",
	"azure":           "CostInBillingCurrency",
	"partnercenter":   "BillingPreTaxTotal",
	"gcp":             "cost",
	"oci":             "cost/myCost",
}

// CostColumn names the invoice cost column of a format ("focus-csv":
// "BilledCost"); "" for a format it does not know.
func CostColumn(format string) string {
	if c, ok := costColumns[format]; ok {
		return c
	}
	family, _, _ := strings.Cut(format, "-")
	return costColumns[family]
}
