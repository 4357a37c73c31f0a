package oci

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/excerpt"
	"rebill/engine/lineitem"
	"rebill/engine/read"
)

// Mapper turns the rows of one OCI cost report into line items.
type Mapper struct {
	row  *read.Row
	tags read.TagColumns
}

// NewMapper prepares the mapping of a table with this header.
func NewMapper(header []string) (*Mapper, error) {
	row, err := columns.Rows(header, required)
	if err != nil {
		return nil, err
	}
	m := &Mapper{row: row}
	if m.tags, err = read.FindTags(header, tagKey, columns); err != nil {
		return nil, err
	}
	return m, nil
}

// Map fills it from one row.
func (m *Mapper) Map(fields [][]byte, it *lineitem.Item) error {
	r := m.row
	if err := r.Start(fields); err != nil {
		return err
	}
	it.Provider = lineitem.OCI
	it.PayerAccount = r.Str(colTenant)
	it.UsageAccount = r.Str(colCompartment)
	it.Type, it.ChargeCategory, it.ChargeClass = lineitem.Usage, lineitem.CategoryUsage, ""
	switch c := r.Str(colCorrection); {
	case strings.EqualFold(c, "true"):
		it.ChargeClass = lineitem.ClassCorrection
	case c == "", strings.EqualFold(c, "false"):
	default:
		return r.Err(colCorrection, fmt.Errorf("%s is not true or false", excerpt.Quote(c)))
	}
	it.BillingEntity, it.LegalEntity, it.InvoiceIssuer, it.Publisher = "OCI", "Oracle", "Oracle", ""
	it.ProductCode = r.Str(colService)
	it.ProductName = it.ProductCode
	it.UsageType = r.Str(colSKU)
	it.Operation = ""
	it.Region = r.Str(colRegion)
	it.ResourceID = r.Str(colResourceID)
	it.ReservationARN, it.SavingsPlanARN = "", ""
	it.CommitmentDiscountID, it.CommitmentOwner = "", ""
	it.Currency = r.Str(colCurrency)
	it.InvoiceID = ""
	it.Description = r.Str(colDescription)
	if err := r.Bad(); err != nil {
		return err
	}
	var err error
	if it.UsageStart, err = read.ParseTime(r.Field(colUsageStart)); err != nil {
		return r.Err(colUsageStart, err)
	}
	if it.UsageStart.IsZero() {
		return r.Err(colUsageStart, fmt.Errorf("the usage start is empty: every line needs the hour it was used"))
	}
	start := r.Field(colUsageStart)
	it.BillingPeriod = r.Text(r.Col[colUsageStart], start[:7])
	if it.UsageStart.Format("2006-01") != it.BillingPeriod {
		// A time with a zone other than UTC starts the interval in
		// another month than it writes.
		it.BillingPeriod = it.UsageStart.Format("2006-01")
	}
	if it.UnblendedCost, err = r.Amount(colCost); err != nil {
		return err
	}
	if it.UsageAmount, err = r.Amount(colQuantity); err != nil {
		return err
	}
	if it.UnblendedRate, err = r.Amount(colUnitPrice); err != nil {
		return err
	}
	it.BlendedRate, it.BlendedCost = it.UnblendedRate, it.UnblendedCost
	it.EffectiveCost, it.ContractedCost, it.PublicOnDemandCost = it.UnblendedCost, it.UnblendedCost, it.UnblendedCost
	it.ReservationEffectiveCost, it.SavingsPlanEffectiveCost, it.PartnerCredit = decimal.Zero, decimal.Zero, decimal.Zero
	it.Tags = m.tags.Append(it.Tags[:0], r, fields)
	return r.Bad()
}

// Allocated is the number of bytes of the strings the mapper has made.
func (m *Mapper) Allocated() int64 { return m.row.Allocated() }

// Done checks nothing: a cost report states no totals.
func (m *Mapper) Done() error { return nil }

var fieldColumns = map[lineitem.Field]int{
	lineitem.FieldBillingPeriod:      colUsageStart,
	lineitem.FieldPayerAccount:       colTenant,
	lineitem.FieldUsageAccount:       colCompartment,
	lineitem.FieldProductCode:        colService,
	lineitem.FieldProductName:        colService,
	lineitem.FieldUsageType:          colSKU,
	lineitem.FieldRegion:             colRegion,
	lineitem.FieldResourceID:         colResourceID,
	lineitem.FieldCurrency:           colCurrency,
	lineitem.FieldDescription:        colDescription,
	lineitem.FieldUsageAmount:        colQuantity,
	lineitem.FieldUnblendedRate:      colUnitPrice,
	lineitem.FieldBlendedRate:        colUnitPrice,
	lineitem.FieldUnblendedCost:      colCost,
	lineitem.FieldBlendedCost:        colCost,
	lineitem.FieldPublicOnDemandCost: colCost,
}

// Column names, as the file spells it, the column the invalid value of it
// came from.
func (m *Mapper) Column(fields [][]byte, it *lineitem.Item, inv *lineitem.Invalid) string {
	if len(fields) != len(m.row.Header) {
		return ""
	}
	if inv.Field == lineitem.FieldTagKey || inv.Field == lineitem.FieldTagValue {
		if inv.Tag < len(it.Tags) {
			return m.tags.Column(m.row.Header, fields, it.Tags[inv.Tag].Key)
		}
		return ""
	}
	c, ok := fieldColumns[inv.Field]
	if !ok {
		return ""
	}
	return m.row.Heading(c)
}
