package gcp

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/excerpt"
	"rebill/engine/lineitem"
	"rebill/engine/money"
	"rebill/engine/read"
)

// Mapper turns the rows of one GCP billing export into line items.
type Mapper struct {
	row *read.Row
	// The row before's labels, from its cell as written.
	lastLabels string
	lastTags   []lineitem.Tag
}

// NewMapper prepares the mapping of a table with this header.
func NewMapper(header []string) (*Mapper, error) {
	row, err := columns.Rows(header, required)
	if err != nil {
		return nil, err
	}
	return &Mapper{row: row}, nil
}

// Credit is one credit of a row.
type Credit struct {
	Name   string
	Type   string // PROMOTION, SUSTAINED_USAGE_DISCOUNT, RESELLER_MARGIN, ...
	Amount decimal.Decimal
}

// ResellerMargin is the credit type of a partner's margin.
const ResellerMargin = "RESELLER_MARGIN"

// Credits reads a credits cell: a list of credits as a Python literal or
// JSON; an empty cell or [] is none. Each amount is kept as written.
func Credits(cell []byte) ([]Credit, error) {
	if money.IsNull(cell) || string(cell) == "[]" {
		return nil, nil
	}
	js, err := toJSON(cell)
	if err != nil {
		return nil, err
	}
	var raw []struct {
		Name   string      `json:"name"`
		Type   string      `json:"type"`
		Amount json.Number `json:"amount"`
	}
	dec := json.NewDecoder(strings.NewReader(string(js)))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("is not a list of credits: %v", err)
	}
	out := make([]Credit, len(raw))
	for i, c := range raw {
		amt, err := money.Parse([]byte(c.Amount))
		if err != nil {
			return nil, fmt.Errorf("credit %d's amount: %w", i+1, err)
		}
		out[i] = Credit{Name: c.Name, Type: c.Type, Amount: amt}
	}
	return out, nil
}

// costType is how a cost_type reads in Rebill's vocabulary.
func costType(t string) (typ, category string) {
	switch t {
	case "regular", "":
		return lineitem.Usage, lineitem.CategoryUsage
	case "tax":
		return lineitem.Tax, lineitem.CategoryTax
	case "adjustment":
		return "Adjustment", lineitem.CategoryAdjustment
	case "rounding_error":
		return "RoundingAdjustment", lineitem.CategoryAdjustment
	}
	return t, ""
}

// Map fills it from one row.
func (m *Mapper) Map(fields [][]byte, it *lineitem.Item) error {
	r := m.row
	if err := r.Start(fields); err != nil {
		return err
	}
	it.Provider = lineitem.GCP
	it.PayerAccount = r.Str(colBillingAccount)
	it.UsageAccount = r.Str(colProject)
	it.Type, it.ChargeCategory = costType(r.Str(colCostType))
	it.ChargeClass = ""
	it.ProductName = r.Str(colService)
	it.ProductCode = it.ProductName
	it.UsageType = r.Str(colSKU)
	it.Operation = r.Str(colSKUID)
	it.Region = r.Str(colRegion)
	if it.Region == "" {
		it.Region = r.Str(colLocation)
	}
	it.ResourceID = ""
	it.ReservationARN, it.SavingsPlanARN = "", ""
	it.CommitmentDiscountID, it.CommitmentOwner = "", ""
	it.Currency = r.Str(colCurrency)
	it.InvoiceID = ""
	it.Description = it.UsageType
	it.InvoiceIssuer = "Google"
	it.BillingEntity, it.LegalEntity, it.Publisher = "GCP", "Google", ""
	if seller := r.Str(colSeller); seller != "" && !strings.HasPrefix(seller, "Google") {
		// A Google Cloud Marketplace product, sold by its partner.
		it.BillingEntity, it.LegalEntity, it.Publisher = lineitem.GCPMarketplaceEntity, seller, seller
	}
	if err := r.Bad(); err != nil {
		return err
	}
	month := r.Field(colInvoiceMonth)
	if len(month) != 6 || !validMonth(month) {
		return r.Err(colInvoiceMonth, fmt.Errorf("%s is not an invoice month (YYYYMM)", excerpt.Bytes(month)))
	}
	it.BillingPeriod = r.Text(r.Col[colInvoiceMonth], []byte(string(month[:4])+"-"+string(month[4:])))
	var err error
	if it.UsageStart, err = read.ParseTime(r.Field(colUsageStart)); err != nil {
		return r.Err(colUsageStart, err)
	}
	cost, err := r.Amount(colCost)
	if err != nil {
		return err
	}
	credits, err := Credits(r.Field(colCredits))
	if err != nil {
		return r.Err(colCredits, fmt.Errorf("%s %w", excerpt.Bytes(r.Field(colCredits)), err))
	}
	billed, margin := cost, decimal.Zero
	for _, c := range credits {
		billed = billed.Add(c.Amount)
		if c.Type == ResellerMargin {
			margin = margin.Sub(c.Amount)
		}
	}
	if err := money.CheckAmount(billed); err != nil {
		return r.Err(colCredits, fmt.Errorf("the cost plus its credits is out of range: %w", err))
	}
	it.UnblendedCost, it.EffectiveCost, it.PartnerCredit = billed, billed, margin
	it.ContractedCost, it.PublicOnDemandCost = cost, cost
	if r.Has(colCostAtList) && !money.IsNull(r.Field(colCostAtList)) {
		if it.PublicOnDemandCost, err = r.Amount(colCostAtList); err != nil {
			return err
		}
	}
	if it.UsageAmount, err = r.Amount(colUsageAmount); err != nil {
		return err
	}
	it.UnblendedRate = decimal.Zero
	it.BlendedRate, it.BlendedCost = it.UnblendedRate, it.UnblendedCost
	it.ReservationEffectiveCost, it.SavingsPlanEffectiveCost = decimal.Zero, decimal.Zero
	return m.labels(it)
}

// validMonth tells whether b is YYYYMM with a month from 01 to 12.
func validMonth(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	mo := int(b[4]-'0')*10 + int(b[5]-'0')
	return mo >= 1 && mo <= 12
}

// labels reads the labels cell, a list of {key, value} as a Python literal
// or JSON, into tags.
func (m *Mapper) labels(it *lineitem.Item) error {
	r := m.row
	it.Tags = it.Tags[:0]
	raw := r.Field(colLabels)
	if money.IsNull(raw) || string(raw) == "[]" {
		return nil
	}
	if string(raw) != m.lastLabels || m.lastTags == nil {
		js, err := toJSON(raw)
		var kv []struct{ Key, Value string }
		if err == nil {
			err = read.DecodeJSON(js, &kv)
		}
		if err != nil {
			return r.Err(colLabels, fmt.Errorf("%s is not a list of labels: %v", excerpt.Bytes(raw), err))
		}
		list := make([]lineitem.Tag, 0, len(kv))
		for _, l := range kv {
			list = append(list, lineitem.Tag{Key: r.Text(r.Col[colLabels], []byte(l.Key)), Value: r.Text(r.Col[colLabels], []byte(l.Value))})
		}
		if err := r.Bad(); err != nil {
			return err
		}
		sort.SliceStable(list, func(i, j int) bool { return list[i].Key < list[j].Key })
		m.lastLabels, m.lastTags = string(raw), list
	}
	it.Tags = append(it.Tags, m.lastTags...)
	return nil
}

// Allocated is the number of bytes of the strings the mapper has made.
func (m *Mapper) Allocated() int64 { return m.row.Allocated() }

// Done checks nothing: the export states no totals.
func (m *Mapper) Done() error { return nil }

var fieldColumns = map[lineitem.Field]int{
	lineitem.FieldBillingPeriod:      colInvoiceMonth,
	lineitem.FieldPayerAccount:       colBillingAccount,
	lineitem.FieldUsageAccount:       colProject,
	lineitem.FieldType:               colCostType,
	lineitem.FieldLegalEntity:        colSeller,
	lineitem.FieldProductCode:        colService,
	lineitem.FieldProductName:        colService,
	lineitem.FieldUsageType:          colSKU,
	lineitem.FieldOperation:          colSKUID,
	lineitem.FieldRegion:             colRegion,
	lineitem.FieldCurrency:           colCurrency,
	lineitem.FieldDescription:        colSKU,
	lineitem.FieldUsageAmount:        colUsageAmount,
	lineitem.FieldUnblendedCost:      colCost,
	lineitem.FieldBlendedCost:        colCost,
	lineitem.FieldPublicOnDemandCost: colCost,
	lineitem.FieldTagKey:             colLabels,
	lineitem.FieldTagValue:           colLabels,
}

// Column names, as the file spells it, the column the invalid value of it
// came from.
func (m *Mapper) Column(fields [][]byte, it *lineitem.Item, inv *lineitem.Invalid) string {
	if len(fields) != len(m.row.Header) {
		return ""
	}
	c, ok := fieldColumns[inv.Field]
	if inv.Field == lineitem.FieldUsageAccount && it.UsageAccount == it.PayerAccount {
		c = colBillingAccount // a row of no project is the billing account's
	}
	if !ok {
		return ""
	}
	return m.row.Heading(c)
}
