// Package aggregate reads Rebill's aggregate import format: a CSV of a
// month's sums, one row per group of the fields Rebill's billing rules
// read (payer, usage account, line item type, billing entity, product,
// usage type, usage day, reservation or Savings Plan owner, currency,
// invoice id), with the sums of every cost basis.
//
// It exists for CURs too large to download: the SQL under docs/sql turns a
// CUR table in Athena (or DuckDB) into this format, a few hundred kilobytes
// however many rows the month has, and `rebill import` reads it like any
// other file. Each row becomes one line item carrying its group's sums, so
// statements, reconciliation and invoices come out as from the rows
// themselves. What the rows alone know is lost: resource ids, tags, rates,
// descriptions, regions, and each row's own rounding to the cent (the
// usage view's rounded sums are the groups' sums rounded). The layout is
// documented in docs/aggregate-format.md.
package aggregate

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/lineitem"
	"rebill/engine/read"
)

// CSV is the format's code.
const CSV = "rebill-aggregate-csv"

// The columns, in the order the SQL writes them.
const (
	colProvider = iota
	colPeriod
	colPayer
	colUsageAccount
	colType
	colBillingEntity
	colLegalEntity
	colProductCode
	colProductName
	colUsageType
	colOperation
	colUsageDate
	colOwner
	colCurrency
	colInvoiceID
	colUsageAmount
	colUnblendedCost
	colBlendedCost
	colListCost
	colReservationCost
	colSavingsPlanCost
	colRowCount
	numColumns
)

// Header is the format's header, as the SQL under docs/sql writes it.
var Header = []string{
	colProvider:        "provider",
	colPeriod:          "billing_period",
	colPayer:           "payer_account_id",
	colUsageAccount:    "usage_account_id",
	colType:            "line_item_type",
	colBillingEntity:   "billing_entity",
	colLegalEntity:     "legal_entity",
	colProductCode:     "product_code",
	colProductName:     "product_name",
	colUsageType:       "usage_type",
	colOperation:       "operation",
	colUsageDate:       "usage_date",
	colOwner:           "commitment_owner_account_id",
	colCurrency:        "currency",
	colInvoiceID:       "invoice_id",
	colUsageAmount:     "usage_amount",
	colUnblendedCost:   "unblended_cost",
	colBlendedCost:     "blended_cost",
	colListCost:        "list_cost",
	colReservationCost: "reservation_effective_cost",
	colSavingsPlanCost: "savings_plan_effective_cost",
	colRowCount:        "row_count",
}

var columns = func() *read.Columns {
	s := make([][]string, len(Header))
	for i, h := range Header {
		s[i] = []string{h}
	}
	return read.NewColumns(s)
}()

// required are the columns a statement cannot do without; the others read
// as empty or zero when absent.
var required = [][]int{{colProvider}, {colPeriod}, {colPayer}, {colUsageAccount}, {colType},
	{colProductCode}, {colUsageType}, {colCurrency}, {colUnblendedCost}, {colRowCount}}

// Family registers the aggregate format with the format registry. It is
// told by its row_count column beside unblended_cost and usage_account_id,
// names no CUR, DBR or FOCUS file uses.
var Family = &read.Family{
	Name: "aggregate",
	Formats: []read.Format{
		{Name: CSV, Title: "Rebill aggregate (month sums, CSV)", Short: "Aggregate CSV",
			Container: read.CSV, Extensions: []string{".csv", ".csv.gz"},
			Required: columns.RequiredNames(required), CostColumn: Header[colUnblendedCost]},
	},
	Detect: func(header []string, c read.Container) (string, bool) {
		idx := columns.Find(header)
		if c.Parquet || c.Sep != ',' || idx[colRowCount] < 0 || idx[colUnblendedCost] < 0 || idx[colUsageAccount] < 0 {
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

// Mapper turns the rows of an aggregate file into line items, one per
// group.
type Mapper struct {
	row *read.Row
}

// NewMapper prepares the mapping of a table with this header.
func NewMapper(header []string) (*Mapper, error) {
	row, err := columns.Rows(header, required)
	if err != nil {
		return nil, err
	}
	return &Mapper{row: row}, nil
}

// Map fills it from one group's row. The group's usage day becomes the
// item's usage start (midnight UTC), which is all a mid-month account move
// needs; its owner account stands for the reservation or Savings Plan ARN
// the rows named, which is all re-rating needs (lineitem.ARNAccount).
func (m *Mapper) Map(fields [][]byte, it *lineitem.Item) error {
	r := m.row
	if err := r.Start(fields); err != nil {
		return err
	}
	it.Provider = lineitem.Provider(strings.ToLower(r.Str(colProvider)))
	it.BillingPeriod = r.Str(colPeriod)
	it.PayerAccount = r.Str(colPayer)
	it.UsageAccount = r.Str(colUsageAccount)
	it.Type = r.Str(colType)
	it.BillingEntity = r.Str(colBillingEntity)
	it.LegalEntity = r.Str(colLegalEntity)
	it.ProductCode = r.Str(colProductCode)
	it.ProductName = r.Str(colProductName)
	it.UsageType = r.Str(colUsageType)
	it.Operation = r.Str(colOperation)
	it.CommitmentOwner = r.Str(colOwner)
	it.CommitmentDiscountID = ""
	if it.Provider != lineitem.AWS {
		// Other providers tell a covered line by its commitment
		// (billing's lineType); the owner is all that is kept of it.
		it.CommitmentDiscountID = it.CommitmentOwner
	}
	it.Currency = r.Str(colCurrency)
	it.InvoiceID = r.Str(colInvoiceID)
	it.Region, it.ResourceID, it.Description = "", "", ""
	it.ReservationARN, it.SavingsPlanARN = "", ""
	it.ChargeCategory, it.ChargeClass, it.InvoiceIssuer, it.Publisher = "", "", "", ""
	it.Tags = it.Tags[:0]
	if err := r.Bad(); err != nil {
		return err
	}
	var err error
	day := r.Field(colUsageDate)
	if it.UsageStart, err = read.ParseTime(day); err != nil {
		return r.Err(colUsageDate, err)
	}
	for _, a := range []struct {
		col int
		dst *decimal.Decimal
	}{
		{colUsageAmount, &it.UsageAmount},
		{colUnblendedCost, &it.UnblendedCost},
		{colBlendedCost, &it.BlendedCost},
		{colListCost, &it.PublicOnDemandCost},
		{colReservationCost, &it.ReservationEffectiveCost},
		{colSavingsPlanCost, &it.SavingsPlanEffectiveCost},
	} {
		if *a.dst, err = r.Amount(a.col); err != nil {
			return err
		}
	}
	it.UnblendedRate, it.BlendedRate = decimal.Decimal{}, decimal.Decimal{}
	it.EffectiveCost, it.ContractedCost, it.PartnerCredit = decimal.Decimal{}, decimal.Decimal{}, decimal.Decimal{}
	n, err := r.Amount(colRowCount)
	if err != nil {
		return err
	}
	if !n.IsInteger() || !n.IsPositive() {
		return r.Err(colRowCount, fmt.Errorf("%s is not a count of rows: a group has one row or more", n))
	}
	return nil
}

// Allocated is the number of bytes of the strings the mapper has made.
func (m *Mapper) Allocated() int64 { return m.row.Allocated() }

// Done checks nothing: an aggregate states no totals of its own.
func (m *Mapper) Done() error { return nil }

var fieldColumns = map[lineitem.Field]int{
	lineitem.FieldProvider:                 colProvider,
	lineitem.FieldBillingPeriod:            colPeriod,
	lineitem.FieldPayerAccount:             colPayer,
	lineitem.FieldUsageAccount:             colUsageAccount,
	lineitem.FieldType:                     colType,
	lineitem.FieldBillingEntity:            colBillingEntity,
	lineitem.FieldLegalEntity:              colLegalEntity,
	lineitem.FieldProductCode:              colProductCode,
	lineitem.FieldProductName:              colProductName,
	lineitem.FieldUsageType:                colUsageType,
	lineitem.FieldOperation:                colOperation,
	lineitem.FieldCurrency:                 colCurrency,
	lineitem.FieldInvoiceID:                colInvoiceID,
	lineitem.FieldUsageAmount:              colUsageAmount,
	lineitem.FieldUnblendedCost:            colUnblendedCost,
	lineitem.FieldBlendedCost:              colBlendedCost,
	lineitem.FieldPublicOnDemandCost:       colListCost,
	lineitem.FieldReservationEffectiveCost: colReservationCost,
	lineitem.FieldSavingsPlanEffectiveCost: colSavingsPlanCost,
}

// Column names, as the file spells it, the column the invalid value of it
// came from.
func (m *Mapper) Column(fields [][]byte, _ *lineitem.Item, inv *lineitem.Invalid) string {
	if len(fields) != len(m.row.Header) {
		return ""
	}
	c, ok := fieldColumns[inv.Field]
	if !ok {
		return ""
	}
	return m.row.Heading(c)
}
