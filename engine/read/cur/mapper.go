package cur

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/lineitem"
	"rebill/engine/money"
	"rebill/engine/read"
)

// Mapper turns the text fields of one CUR table into line items. It is built
// once per header, because CUR columns vary from month to month.
type Mapper struct {
	// row names the columns in errors, shares the strings and keeps the
	// row's first value that is not text.
	row *read.Row
	// col and last are row.Col and each column's previous string again,
	// in arrays: Map is the import's hot path, and str reads them for
	// every field of millions of rows, cheaper than through row's slices.
	// CUR files are sorted enough that most fields repeat the row before,
	// and comparing with it is cheaper than hashing into the interner.
	col  [numColumns]int
	last [numColumns]string
	tags read.TagColumns
	// tagMap reads CUR 2.0's resource_tags.
	tagMap read.TagObject
	// lastStart is the previous usage start and its time, for the same
	// reason: hourly lines come in runs of the same hour. (Amounts repeat
	// too seldom for such a memory to pay.)
	lastStart struct {
		text []byte
		time time.Time
		ok   bool
	}
	// product is CUR 2.0's product map cell last decoded and what Map
	// takes from it: rows come in runs of one product, and decoding the
	// JSON took half of the mapping of a CUR 2.0 Parquet file.
	product struct {
		cell               string
		name, region       []byte // the strings under product_name and region
		hasName, hasRegion bool   // whether the map has them as strings
		ok                 bool   // whether cell was decoded
	}
	// amounts reads the amounts, sharing the decimal of one met before.
	amounts money.Recent
	// periods reads the billing month, remembering the row before's.
	periods read.Period
}

// userTag is the tag key of a key of CUR 2.0's resource_tags: its user
// cost allocation tags are "user_<key>"; AWS's own ("aws_createdBy") are
// left out, as the CUR's resourceTags/aws: columns are.
func userTag(k string) (string, bool) {
	key, user := strings.CutPrefix(k, "user_")
	return key, user && key != ""
}

// NewMapper prepares the mapping for a header. It fails with a
// *read.DuplicateError for a column that appears twice (the same name, or two
// spellings of a column Rebill keeps, tag columns included) and with a
// *read.FormatError naming the required columns the header lacks.
func NewMapper(header []string) (*Mapper, error) {
	m := &Mapper{tagMap: read.TagObject{Key: userTag, OmitEmpty: true}}
	slashStyle := false
	for _, h := range header {
		slashStyle = slashStyle || strings.Contains(h, "/")
	}
	var err error
	if m.tags, err = read.FindTags(header, tagKey, columns); err != nil {
		return nil, err
	}
	idx, err := columns.Index(header)
	if err != nil {
		return nil, err
	}
	if missing := missingRequired(idx, slashStyle); len(missing) > 0 {
		return nil, &read.FormatError{Missing: missing}
	}
	m.row = read.NewRow(columns, header, idx)
	copy(m.col[:], idx)
	return m, nil
}

// Map fills it from one record. Every field of it is overwritten, so callers
// may reuse items; it.Tags keeps its backing array.
//
// It calls m.row's methods without a local copy of m.row: one held across
// the str calls cost a few percent of the mapping (cachegrind).
func (m *Mapper) Map(fields [][]byte, it *lineitem.Item) error {
	if err := m.row.Start(fields); err != nil {
		return err
	}
	var err error
	it.Provider = lineitem.AWS
	if it.BillingPeriod, err = m.row.Month(&m.periods, colPeriodStart, colPeriodEnd); err != nil {
		return err
	}
	it.PayerAccount = m.str(fields, colPayer)
	it.UsageAccount = m.str(fields, colUsageAccount)
	it.Type = m.str(fields, colType)
	it.BillingEntity = m.str(fields, colBillingEntity)
	it.LegalEntity = m.str(fields, colLegalEntity)
	it.ProductCode = m.str(fields, colProductCode)
	it.ProductName = m.str(fields, colProductName)
	it.UsageType = m.str(fields, colUsageType)
	it.Operation = m.str(fields, colOperation)
	it.Region = m.str(fields, colRegionCode)
	if it.Region == "" {
		it.Region = m.str(fields, colRegion)
	}
	if az := m.field(fields, colAZ); it.Region == "" && len(az) > 2 && az[len(az)-1] >= 'a' && az[len(az)-1] <= 'z' && az[len(az)-2] >= '0' && az[len(az)-2] <= '9' {
		// An availability zone is its region plus a letter: us-east-1a.
		it.Region = m.row.Text(m.col[colAZ], az[:len(az)-1])
	}
	it.ResourceID = m.str(fields, colResourceID)
	it.ReservationARN = m.str(fields, colReservationARN)
	it.SavingsPlanARN = m.str(fields, colSavingsPlanARN)
	it.Currency = m.str(fields, colCurrency)
	it.InvoiceID = m.str(fields, colInvoiceID)
	it.Description = m.str(fields, colDescription)
	if err := m.row.Bad(); err != nil {
		return err
	}
	if start := m.field(fields, colUsageStart); m.lastStart.ok && bytes.Equal(start, m.lastStart.text) {
		it.UsageStart = m.lastStart.time
	} else {
		if it.UsageStart, err = read.ParseTime(start); err != nil {
			return m.row.Err(colUsageStart, err)
		}
		m.lastStart.text, m.lastStart.time, m.lastStart.ok = append(m.lastStart.text[:0], start...), it.UsageStart, true
	}
	for _, n := range []struct {
		col int
		dst *decimal.Decimal
	}{
		{colUsageAmount, &it.UsageAmount},
		{colUnblendedRate, &it.UnblendedRate},
		{colUnblendedCost, &it.UnblendedCost},
		{colBlendedRate, &it.BlendedRate},
		{colBlendedCost, &it.BlendedCost},
		{colPublicOnDemand, &it.PublicOnDemandCost},
		{colReservationCost, &it.ReservationEffectiveCost},
		{colSavingsPlanCost, &it.SavingsPlanEffectiveCost},
	} {
		if *n.dst, err = m.amounts.Parse(m.field(fields, n.col)); err != nil {
			return m.row.Err(n.col, err)
		}
	}
	it.Tags = m.tags.Append(it.Tags[:0], m.row, fields)
	if err := m.mapColumns(it); err != nil {
		return err
	}
	return m.row.Bad()
}

// mapColumns reads CUR 2.0's JSON map columns: the product name and region
// live in "product", user tags in "resource_tags" as user_<key>.
func (m *Mapper) mapColumns(it *lineitem.Item) error {
	r := m.row
	if raw := r.Field(colProductMap); len(raw) > 2 && (it.ProductName == "" || it.Region == "") {
		p := &m.product
		if !p.ok || string(raw) != p.cell {
			var product map[string]any
			if err := read.DecodeJSON(raw, &product); err != nil {
				return r.Err(colProductMap, fmt.Errorf("not a JSON object: %v", err))
			}
			name, hasName := product["product_name"].(string)
			region, hasRegion := product["region"].(string)
			p.cell, p.ok = string(raw), true
			p.name, p.hasName = append(p.name[:0], name...), hasName
			p.region, p.hasRegion = append(p.region[:0], region...), hasRegion
		}
		if p.hasName && it.ProductName == "" {
			it.ProductName = r.Text(r.Col[colProductMap], p.name)
		}
		if p.hasRegion && it.Region == "" {
			it.Region = r.Text(r.Col[colProductMap], p.region)
		}
	}
	n := len(it.Tags)
	tags, err := m.tagMap.Append(it.Tags, r, colTagsMap)
	if err != nil {
		return err
	}
	if len(tags) > n {
		sortTags(tags) // among the tag columns' (a CUR 2.0 file has none)
	}
	it.Tags = tags
	return nil
}

func sortTags(tags []lineitem.Tag) {
	for i := 1; i < len(tags); i++ {
		for j := i; j > 0 && tags[j].Key < tags[j-1].Key; j-- {
			tags[j], tags[j-1] = tags[j-1], tags[j]
		}
	}
}

func (m *Mapper) field(fields [][]byte, c int) []byte {
	if i := m.col[c]; i >= 0 {
		return fields[i]
	}
	return nil
}

// str is read.Row.Str on the mapper's arrays.
func (m *Mapper) str(fields [][]byte, c int) string {
	v := m.field(fields, c)
	if string(v) == m.last[c] {
		return m.last[c]
	}
	if money.IsNull(v) {
		return ""
	}
	s := m.row.Text(m.col[c], v)
	if m.row.Bad() == nil {
		m.last[c] = s
	}
	return s
}

// Reads lists the header columns Map and Column read: the known columns
// (m.col is m.row.Col) and the tag columns (read.ColumnReader).
func (m *Mapper) Reads() []int { return m.tags.Indexes(m.row.Indexes(nil)) }

// Allocated is the number of bytes of the strings the mapper has made so
// far: what the items it filled hold beyond their fixed size. The importer
// uses it to hand items over before they hold too much memory.
func (m *Mapper) Allocated() int64 { return m.row.Allocated() }

// fieldColumns is the column each field of a line item is read from, where
// it is one column; FieldRegion, FieldProductName and the tags depend on
// the row (see Column).
var fieldColumns = map[lineitem.Field]int{
	lineitem.FieldBillingPeriod:            colPeriodStart,
	lineitem.FieldPayerAccount:             colPayer,
	lineitem.FieldUsageAccount:             colUsageAccount,
	lineitem.FieldType:                     colType,
	lineitem.FieldBillingEntity:            colBillingEntity,
	lineitem.FieldLegalEntity:              colLegalEntity,
	lineitem.FieldProductCode:              colProductCode,
	lineitem.FieldUsageType:                colUsageType,
	lineitem.FieldOperation:                colOperation,
	lineitem.FieldResourceID:               colResourceID,
	lineitem.FieldReservationARN:           colReservationARN,
	lineitem.FieldSavingsPlanARN:           colSavingsPlanARN,
	lineitem.FieldCurrency:                 colCurrency,
	lineitem.FieldInvoiceID:                colInvoiceID,
	lineitem.FieldDescription:              colDescription,
	lineitem.FieldUsageAmount:              colUsageAmount,
	lineitem.FieldUnblendedRate:            colUnblendedRate,
	lineitem.FieldUnblendedCost:            colUnblendedCost,
	lineitem.FieldBlendedRate:              colBlendedRate,
	lineitem.FieldBlendedCost:              colBlendedCost,
	lineitem.FieldPublicOnDemandCost:       colPublicOnDemand,
	lineitem.FieldReservationEffectiveCost: colReservationCost,
	lineitem.FieldSavingsPlanEffectiveCost: colSavingsPlanCost,
}

// Column names, as the file spells it, the column the invalid value of it
// came from, it being the item Map last filled from fields: what a message
// about a lineitem.Invalid points at. It returns "" for a field no column
// fills (the provider).
func (m *Mapper) Column(fields [][]byte, it *lineitem.Item, inv *lineitem.Invalid) string {
	r := m.row
	has := func(c int) bool { return r.Has(c) && !money.IsNull(fields[r.Col[c]]) }
	name := r.Heading
	if len(fields) != len(r.Header) {
		return ""
	}
	switch inv.Field {
	case lineitem.FieldProductName:
		if has(colProductName) {
			return name(colProductName)
		}
		return name(colProductMap)
	case lineitem.FieldRegion:
		// The order Map reads them in.
		for _, c := range []int{colRegionCode, colRegion, colAZ} {
			if has(c) {
				return name(c)
			}
		}
		return name(colProductMap)
	case lineitem.FieldTagKey, lineitem.FieldTagValue:
		// A tag column of that key with a value, else the tags map.
		if inv.Tag < len(it.Tags) {
			if c := m.tags.Column(r.Header, fields, it.Tags[inv.Tag].Key); c != "" {
				return c
			}
		}
		return name(colTagsMap)
	}
	if c, ok := fieldColumns[inv.Field]; ok {
		return name(c)
	}
	return ""
}
