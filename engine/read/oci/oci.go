// Package oci reads Oracle Cloud Infrastructure cost reports: the CSV
// files OCI writes for a tenancy every few hours (lineItem/referenceNo,
// lineItem/tenantId, product/compartmentId, cost/myCost,
// cost/currencyCode, tags/<namespace>.<key>, ...).
//
// A row's account is its compartment (the root compartment's id is the
// tenancy's, so a tenancy of one compartment is mapped by its tenancy id),
// its payer the tenancy the report is of. The billing month is the month
// the usage interval starts in, since a cost report names no billing
// period. What the line costs is cost/myCost, the cost at the tenancy's own
// prices; lineItem/isCorrection marks a correction of an earlier line.
// Numbers come as plain or scientific notation, timestamps with or
// without seconds; both are read exactly.
package oci

import (
	"rebill/engine/lineitem"
	"rebill/engine/read"
)

// CSV is the format's code.
const CSV = "oci-csv"

// The columns the reader uses.
const (
	colReference = iota
	colTenant
	colUsageStart
	colService
	colCompartment
	colRegion
	colResourceID
	colQuantity
	colSubscription
	colSKU
	colDescription
	colUnitPrice
	colCost
	colCurrency
	colCorrection
	numColumns
)

var columns = read.NewColumns([][]string{
	colReference:    {"lineItem/referenceNo"},
	colTenant:       {"lineItem/tenantId"},
	colUsageStart:   {"lineItem/intervalUsageStart"},
	colService:      {"product/service"},
	colCompartment:  {"product/compartmentId"},
	colRegion:       {"product/region"},
	colResourceID:   {"product/resourceId"},
	colQuantity:     {"usage/billedQuantity"},
	colSubscription: {"cost/subscriptionId"},
	colSKU:          {"cost/productSku"},
	colDescription:  {"product/Description"},
	colUnitPrice:    {"cost/unitPrice"},
	colCost:         {"cost/myCost"},
	colCurrency:     {"cost/currencyCode"},
	colCorrection:   {"lineItem/isCorrection"},
})

// required are the columns billing needs.
var required = [][]int{{colTenant}, {colUsageStart}, {colCompartment}, {colCost}, {colCurrency}}

// tagPrefix starts the name of a tag column: tags/<namespace>.<key>.
const tagPrefix = "tags/"

// Family registers OCI cost reports with the format registry.
var Family = &read.Family{
	Name: "oci",
	Formats: []read.Format{
		{Name: CSV, Title: "Oracle Cloud Infrastructure cost report, CSV", Short: "OCI cost report",
			Provider: lineitem.OCI, Container: read.CSV, Extensions: []string{".csv", ".csv.gz"},
			Required: columns.RequiredNames(required), CostColumn: "cost/myCost"},
	},
	Detect: func(header []string, c read.Container) (string, bool) {
		idx := columns.Find(header)
		if c.Parquet || idx[colTenant] < 0 || idx[colCost] < 0 {
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
