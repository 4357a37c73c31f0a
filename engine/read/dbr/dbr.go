// Package dbr reads the AWS Detailed Billing Report (DBR), the hourly
// billing file AWS delivered before the Cost and Usage Report, in its
// "with resources and tags" form: one CSV per payer and month (delivered
// as .csv.zip), quoted fields, a column per user tag ("user:Name").
//
// Its rows are line items (RecordType LineItem) and the totals AWS stated
// for them: InvoiceTotal, AccountTotal, StatementTotal and Rounding. The
// totals are not line items and are never stored; they check the import
// instead: every total must be what the line items of its invoice, account
// or statement add up to (see Mapper.Done).
package dbr

import (
	"rebill/engine/lineitem"
	"rebill/engine/read"
	"strings"
)

// Name is the format's code.
const Name = "dbr-csv"

// The columns Rebill reads; DBR columns are matched without regard to
// case.
const (
	colInvoiceID = iota
	colPayer
	colLinked
	colRecordType
	colProductName
	colUsageType
	colOperation
	colAZ
	colDescription
	colUsageStart
	colUsageQuantity
	colBlendedRate
	colBlendedCost
	colUnblendedRate
	colUnblendedCost
	colRate // single-account reports write Rate and Cost instead of the blended and unblended pairs
	colCost
	colResourceID
	colCurrency // not in AWS's files, which are in US dollars; read when present
)

// columns are the columns as AWS spells them.
var columns = read.NewColumns([][]string{
	colInvoiceID:     {"InvoiceID"},
	colPayer:         {"PayerAccountId"},
	colLinked:        {"LinkedAccountId"},
	colRecordType:    {"RecordType"},
	colProductName:   {"ProductName"},
	colUsageType:     {"UsageType"},
	colOperation:     {"Operation"},
	colAZ:            {"AvailabilityZone"},
	colDescription:   {"ItemDescription"},
	colUsageStart:    {"UsageStartDate"},
	colUsageQuantity: {"UsageQuantity"},
	colBlendedRate:   {"BlendedRate"},
	colBlendedCost:   {"BlendedCost"},
	colUnblendedRate: {"UnBlendedRate"},
	colUnblendedCost: {"UnBlendedCost"},
	colRate:          {"Rate"},
	colCost:          {"Cost"},
	colResourceID:    {"ResourceId"},
	colCurrency:      {"CurrencyCode"},
})

// required are what a file must have to be billed; the cost is
// UnBlendedCost or, in a single account's report, Cost.
var required = [][]int{{colInvoiceID}, {colPayer}, {colLinked}, {colRecordType}, {colUsageStart}, {colUnblendedCost, colCost}}

// tagKey is the user tag key a column carries ("user:Name" gives
// "Name"), or "" for a column that is not a tag.
func tagKey(column string) string {
	if key, ok := strings.CutPrefix(column, "user:"); ok {
		return key
	}
	return ""
}

// Record types, as RecordType writes them.
const (
	recordLineItem       = "LineItem"
	recordInvoiceTotal   = "InvoiceTotal"
	recordAccountTotal   = "AccountTotal"
	recordStatementTotal = "StatementTotal"
	recordRounding       = "Rounding"
	// recordDisclaimer is the last row of an estimated report: words,
	// no figures.
	recordDisclaimer = "EstimatedDisclaimer"
)

// estimated is the InvoiceID of every row until AWS issues the month's
// invoice.
const estimated = "Estimated"

// Family registers the DBR with the format registry.
var Family = &read.Family{
	Name: "dbr",
	Formats: []read.Format{{
		Name:       Name,
		Title:      "AWS Detailed Billing Report",
		Short:      "DBR CSV",
		Provider:   lineitem.AWS,
		Container:  read.CSV,
		Extensions: []string{".csv", ".csv.zip"},
		Required:   columns.RequiredNames(required),
		CostColumn: "UnBlendedCost",
	}},
	Detect:  detect,
	Closest: closest,
	NewMapper: func(_ read.Format, header []string, at func() string) (read.Mapper, error) {
		m, err := NewMapper(header, at)
		if err != nil {
			return nil, err
		}
		return m, nil
	},
}

// detect knows a DBR by its record type, linked account and usage start
// columns and a cost column, in text: no other format has RecordType and
// LinkedAccountId together, and AWS's monthly report, which has both,
// has no UnBlendedCost or Cost.
func detect(header []string, c read.Container) (string, bool) {
	if c.Parquet {
		return "", false
	}
	idx := columns.Find(header)
	if idx[colRecordType] < 0 || idx[colLinked] < 0 || idx[colUsageStart] < 0 || idx[colUnblendedCost] < 0 && idx[colCost] < 0 {
		return "", false
	}
	return Name, true
}

func closest(header []string, _ read.Container) (string, int, []string) {
	idx := columns.Find(header)
	m := columns.Missing(idx, required)
	if len(m) == len(required)-1 && idx[colUnblendedCost] < 0 {
		// A column named Cost alone, as many exports have, is no sign
		// of a DBR.
		idx[colCost] = -1
		m = columns.Missing(idx, required)
	}
	return Name, len(required) - len(m), m
}
