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
	"regexp"
	"strconv"
	"strings"

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

// reportName is how OCI names its cost report files. OCI writes them into
// the bucket it keeps for the tenancy, under reports/cost-csv/, each
// named by a 16-digit number one higher than the report before it
// (reports/cost-csv/0001000000013449.csv.gz); each file holds the line
// items written since the previous one, several a day, so a month is the
// sum of all its files, never one of them. Downloaded, a file keeps its
// number as its name (0001000000013449.csv.gz), or the tool that fetched
// it flattens the object's path into the name:
// reports_cost-csv_0000000030000269.csv is one of such a series.
var reportName = regexp.MustCompile(`^(?:reports_cost-csv_|cost-csv_)?([0-9]{16})\.csv(?:\.gz)?$`)

// series reads a cost report's file name as its number in the tenancy's
// series of cost reports (see reportName).
func series(name string) (string, int, bool) {
	m := reportName.FindStringSubmatch(name)
	if m == nil {
		return "", 0, false
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		return "", 0, false
	}
	return "oci cost reports", int(n), true
}

// tagKey is the tag a column carries, "<namespace>.<key>" of a column
// tags/<namespace>.<key> (the prefix in any case), or "" for a column that
// is not a tag.
func tagKey(column string) string {
	const prefix = "tags/"
	if len(column) > len(prefix) && strings.EqualFold(column[:len(prefix)], prefix) {
		return column[len(prefix):]
	}
	return ""
}

// Family registers OCI cost reports with the format registry.
var Family = &read.Family{
	Name: "oci",
	Formats: []read.Format{
		{Name: CSV, Title: "Oracle Cloud Infrastructure cost report, CSV", Short: "OCI cost report",
			Provider: lineitem.OCI, Container: read.CSV, Extensions: []string{".csv", ".csv.gz"},
			Required: columns.RequiredNames(required), CostColumn: "cost/myCost", Series: series},
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
