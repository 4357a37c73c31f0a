package cur

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/excerpt"
	"rebill/engine/lineitem"
	"rebill/engine/money"
	"rebill/engine/read"
)

// Mapper turns the text fields of one CUR table into line items. It is built
// once per header, because CUR columns vary from month to month.
type Mapper struct {
	header  []string
	col     [numColumns]int // field index of each kept column, -1 when absent
	tags    []tagColumn
	strings read.Interner
	// last is each column's previous value: CUR files are sorted enough
	// that most fields repeat the row before, and comparing with it is
	// cheaper than hashing into the interner.
	last [numColumns]string
	// lastStart is the previous usage start and its time, for the same
	// reason: hourly lines come in runs of the same hour. (Amounts repeat
	// too seldom for such a memory to pay.)
	lastStart struct {
		text []byte
		time time.Time
		ok   bool
	}
	// amounts reads the amounts, sharing the decimal of one met before.
	amounts money.Recent
	// periods reads the billing month, remembering the row before's.
	periods read.Period
	// bad is the first value of the row being mapped that is not text.
	bad error
}

type tagColumn struct {
	index int
	key   string
}

// NewMapper prepares the mapping for a header. It fails with a
// *read.DuplicateError for a column that appears twice (the same name, or two
// spellings of a column Rebill keeps, tag columns included) and with a
// *read.FormatError naming the required columns the header lacks.
func NewMapper(header []string) (*Mapper, error) {
	m := &Mapper{header: header, strings: read.NewInterner()}
	byName := make(map[string]int, len(header))
	exact := make(map[string]int, len(header))
	byTag := map[string]int{}
	slashStyle := false
	for i, h := range header {
		if j, dup := exact[h]; dup {
			return nil, &read.DuplicateError{First: j + 1, Second: i + 1, Name: h, SecondAs: h}
		}
		exact[h] = i
		if strings.Contains(h, "/") {
			slashStyle = true
		}
		c := Canonical(h)
		if j, dup := byName[c]; dup {
			if _, kept := columnOf[c]; kept {
				return nil, &read.DuplicateError{First: j + 1, Second: i + 1, Name: header[j], SecondAs: h}
			}
		} else {
			byName[c] = i
		}
		if k := tagKey(h); k != "" {
			if err := lineitem.CheckText(k); err != nil {
				// The tag's name is on every item that has the tag.
				return nil, &read.FieldError{Column: h, Err: fmt.Errorf("the tag name %s %w", excerpt.Quote(k), err)}
			}
			if j, dup := byTag[k]; dup {
				return nil, &read.DuplicateError{First: j + 1, Second: i + 1, Name: header[j], SecondAs: h}
			}
			byTag[k] = i
			m.tags = append(m.tags, tagColumn{index: i, key: k})
		}
	}
	for c := range m.col {
		m.col[c] = -1
		if i, ok := byName[columnNames[c]]; ok {
			m.col[c] = i
		}
	}
	if missing := missingRequired(&m.col, slashStyle); len(missing) > 0 {
		return nil, &read.FormatError{Missing: missing}
	}
	return m, nil
}

// Map fills it from one record. Every field of it is overwritten, so callers
// may reuse items; it.Tags keeps its backing array.
func (m *Mapper) Map(fields [][]byte, it *lineitem.Item) error {
	if len(fields) != len(m.header) {
		return fmt.Errorf("has %d fields, the header has %d", len(fields), len(m.header))
	}
	var err error
	m.bad = nil
	it.Provider = lineitem.AWS
	if it.BillingPeriod, err = m.period(fields); err != nil {
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
		it.Region = m.text(m.col[colAZ], az[:len(az)-1])
	}
	it.ResourceID = m.str(fields, colResourceID)
	it.ReservationARN = m.str(fields, colReservationARN)
	it.SavingsPlanARN = m.str(fields, colSavingsPlanARN)
	it.Currency = m.str(fields, colCurrency)
	it.InvoiceID = m.str(fields, colInvoiceID)
	it.Description = m.str(fields, colDescription)
	if m.bad != nil {
		return m.bad
	}
	if start := m.field(fields, colUsageStart); m.lastStart.ok && bytes.Equal(start, m.lastStart.text) {
		it.UsageStart = m.lastStart.time
	} else {
		if it.UsageStart, err = read.ParseTime(start); err != nil {
			return m.fieldErr(colUsageStart, err)
		}
		m.lastStart.text, m.lastStart.time, m.lastStart.ok = append(m.lastStart.text[:0], start...), it.UsageStart, true
	}
	for _, n := range []struct {
		col column
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
			return m.fieldErr(n.col, err)
		}
	}
	it.Tags = it.Tags[:0]
	for _, tc := range m.tags {
		if v := fields[tc.index]; !money.IsNull(v) {
			it.Tags = append(it.Tags, lineitem.Tag{Key: tc.key, Value: m.text(tc.index, v)})
		}
	}
	if err := m.mapColumns(fields, it); err != nil {
		return err
	}
	return m.bad
}

// mapColumns reads CUR 2.0's JSON map columns: the product name and region
// live in "product", user tags in "resource_tags" as user_<key>.
func (m *Mapper) mapColumns(fields [][]byte, it *lineitem.Item) error {
	if raw := m.field(fields, colProductMap); len(raw) > 2 && (it.ProductName == "" || it.Region == "") {
		var product map[string]any
		if err := json.Unmarshal(raw, &product); err != nil {
			return m.fieldErr(colProductMap, fmt.Errorf("not a JSON object: %v", err))
		}
		if s, ok := product["product_name"].(string); ok && it.ProductName == "" {
			it.ProductName = m.text(m.col[colProductMap], []byte(s))
		}
		if s, ok := product["region"].(string); ok && it.Region == "" {
			it.Region = m.text(m.col[colProductMap], []byte(s))
		}
	}
	if raw := m.field(fields, colTagsMap); len(raw) > 2 {
		var tags map[string]any
		if err := json.Unmarshal(raw, &tags); err != nil {
			return m.fieldErr(colTagsMap, fmt.Errorf("not a JSON object: %v", err))
		}
		for k, v := range tags {
			s, ok := v.(string)
			key, user := strings.CutPrefix(k, "user_")
			if !ok || !user || s == "" {
				continue
			}
			it.Tags = append(it.Tags, lineitem.Tag{Key: m.text(m.col[colTagsMap], []byte(key)), Value: m.text(m.col[colTagsMap], []byte(s))})
		}
		sortTags(it.Tags)
	}
	return nil
}

func sortTags(tags []lineitem.Tag) {
	for i := 1; i < len(tags); i++ {
		for j := i; j > 0 && tags[j].Key < tags[j-1].Key; j-- {
			tags[j], tags[j-1] = tags[j-1], tags[j]
		}
	}
}

func (m *Mapper) field(fields [][]byte, c column) []byte {
	if i := m.col[c]; i >= 0 {
		return fields[i]
	}
	return nil
}

func (m *Mapper) str(fields [][]byte, c column) string {
	v := m.field(fields, c)
	if string(v) == m.last[c] {
		return m.last[c]
	}
	if money.IsNull(v) {
		return ""
	}
	s := m.text(m.col[c], v)
	if m.bad == nil {
		m.last[c] = s
	}
	return s
}

// text is the string of a field, shared with earlier equal values. A new
// value is checked to be text (lineitem.CheckText); the first that is not
// is kept in m.bad, naming the header's column i, for Map to return.
func (m *Mapper) text(i int, b []byte) string {
	s, err := m.strings.Get(b)
	if err != nil && m.bad == nil {
		m.bad = &read.FieldError{Column: m.header[i], Err: fmt.Errorf("%s %w", excerpt.Bytes(b), err)}
	}
	return s
}

func (m *Mapper) fieldErr(c column, err error) error {
	name := columnNames[c]
	if i := m.col[c]; i >= 0 {
		name = m.header[i]
	}
	return &read.FieldError{Column: name, Err: err}
}

// period returns YYYY-MM from the billing period start date (see
// read.Period), naming the column a bad date is in.
func (m *Mapper) period(fields [][]byte) (string, error) {
	month, atEnd, err := m.periods.Month(m.field(fields, colPeriodStart), m.field(fields, colPeriodEnd), &m.strings)
	if err != nil {
		if atEnd {
			return "", m.fieldErr(colPeriodEnd, err)
		}
		return "", m.fieldErr(colPeriodStart, err)
	}
	return month, nil
}

// Allocated is the number of bytes of the strings the mapper has made so
// far: what the items it filled hold beyond their fixed size. The importer
// uses it to hand items over before they hold too much memory.
func (m *Mapper) Allocated() int64 { return m.strings.Made() }

// fieldColumns is the column each field of a line item is read from, where
// it is one column; FieldRegion, FieldProductName and the tags depend on
// the row (see Column).
var fieldColumns = map[lineitem.Field]column{
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
	has := func(c column) bool { return m.col[c] >= 0 && !money.IsNull(fields[m.col[c]]) }
	name := func(c column) string {
		if m.col[c] >= 0 {
			return m.header[m.col[c]]
		}
		return ""
	}
	if len(fields) != len(m.header) {
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
		for _, c := range []column{colRegionCode, colRegion, colAZ} {
			if has(c) {
				return name(c)
			}
		}
		return name(colProductMap)
	case lineitem.FieldTagKey, lineitem.FieldTagValue:
		// A tag column of that key with a value, else the tags map.
		if inv.Tag < len(it.Tags) {
			for _, tc := range m.tags {
				if tc.key == it.Tags[inv.Tag].Key && !money.IsNull(fields[tc.index]) {
					return m.header[tc.index]
				}
			}
		}
		return name(colTagsMap)
	}
	if c, ok := fieldColumns[inv.Field]; ok {
		return name(c)
	}
	return ""
}
