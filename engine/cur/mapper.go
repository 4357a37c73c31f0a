package cur

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/excerpt"
	"rebill/engine/lineitem"
	"rebill/engine/money"
)

// Mapper turns the text fields of one CUR table into line items. It is built
// once per header, because CUR columns vary from month to month.
type Mapper struct {
	header  []string
	col     [numColumns]int // field index of each kept column, -1 when absent
	tags    []tagColumn
	strings interner
	// last is each column's previous value: CUR files are sorted enough
	// that most fields repeat the row before, and comparing with it is
	// cheaper than hashing into the interner.
	last [numColumns]string
	// The billing period of the row before, with the raw start and end
	// it was read and checked from.
	lastPeriod, lastStart, lastEnd string
	// bad is the first value of the row being mapped that is not text.
	bad error
}

type tagColumn struct {
	index int
	key   string
}

// FieldError names the column whose value could not be read.
type FieldError struct {
	Column string // as the file spells it
	Err    error
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("column %s: %v", excerpt.Name(e.Column), e.Err)
}
func (e *FieldError) Unwrap() error { return e.Err }

// NewMapper prepares the mapping for a header. It fails with a
// *DuplicateError for a column that appears twice (the same name, or two
// spellings of a column Rebill keeps, tag columns included) and with a
// *FormatError naming the required columns the header lacks.
func NewMapper(header []string) (*Mapper, error) {
	m := &Mapper{header: header, strings: newInterner()}
	byName := make(map[string]int, len(header))
	exact := make(map[string]int, len(header))
	byTag := map[string]int{}
	slashStyle := false
	for i, h := range header {
		if j, dup := exact[h]; dup {
			return nil, &DuplicateError{First: j + 1, Second: i + 1, Name: h, SecondAs: h}
		}
		exact[h] = i
		if strings.Contains(h, "/") {
			slashStyle = true
		}
		c := Canonical(h)
		if j, dup := byName[c]; dup {
			if _, kept := columnOf[c]; kept {
				return nil, &DuplicateError{First: j + 1, Second: i + 1, Name: header[j], SecondAs: h}
			}
		} else {
			byName[c] = i
		}
		if k := tagKey(h); k != "" {
			if err := lineitem.CheckText(k); err != nil {
				// The tag's name is on every item that has the tag.
				return nil, &FieldError{Column: h, Err: fmt.Errorf("the tag name %s %w", excerpt.Quote(k), err)}
			}
			if j, dup := byTag[k]; dup {
				return nil, &DuplicateError{First: j + 1, Second: i + 1, Name: header[j], SecondAs: h}
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
		return nil, &FormatError{Missing: missing}
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
	if it.UsageStart, err = parseTime(m.field(fields, colUsageStart)); err != nil {
		return m.fieldErr(colUsageStart, err)
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
		if *n.dst, err = money.Parse(m.field(fields, n.col)); err != nil {
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
	s, err := m.strings.get(b)
	if err != nil && m.bad == nil {
		m.bad = &FieldError{Column: m.header[i], Err: fmt.Errorf("%s %w", excerpt.Bytes(b), err)}
	}
	return s
}

func (m *Mapper) fieldErr(c column, err error) error {
	name := columnNames[c]
	if i := m.col[c]; i >= 0 {
		name = m.header[i]
	}
	return &FieldError{Column: name, Err: err}
}

// period returns YYYY-MM from the billing period start date, checking that
// the start is a real date and that the end, when the file has one, is one
// month after it: AWS writes 2018-10-01T00:00:00Z to 2018-11-01T00:00:00Z.
// Every row of a month repeats the same pair, so only a change is checked.
func (m *Mapper) period(fields [][]byte) (string, error) {
	start, end := m.field(fields, colPeriodStart), m.field(fields, colPeriodEnd)
	if m.lastPeriod != "" && string(start) == m.lastStart && string(end) == m.lastEnd {
		return m.lastPeriod, nil
	}
	if money.IsNull(start) {
		return "", m.fieldErr(colPeriodStart, fmt.Errorf("the billing period start date is empty"))
	}
	from, err := parseTime(start)
	if err != nil {
		return "", m.fieldErr(colPeriodStart, err)
	}
	if !money.IsNull(end) {
		to, err := parseTime(end)
		if err != nil {
			return "", m.fieldErr(colPeriodEnd, err)
		}
		if !to.Equal(from.AddDate(0, 1, 0)) {
			return "", m.fieldErr(colPeriodEnd, fmt.Errorf("%s is not one month after the billing period start %s",
				excerpt.Bytes(end), excerpt.Bytes(start)))
		}
	}
	// The month as written: parseTime has checked that start begins with
	// a real YYYY-MM-DD.
	m.lastPeriod, _ = m.strings.get(start[:7])
	m.lastStart, m.lastEnd = string(start), string(end)
	return m.lastPeriod, nil
}

func digits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// parseTime reads the timestamps CUR files write: "2018-10-01T00:00:00Z",
// "2023-11-01T00:00:00.000Z", "2019-11-26 00:00:00", "2023-11-13T10:00Z",
// with an optional numeric zone. A null is the zero time.
func parseTime(v []byte) (time.Time, error) {
	if money.IsNull(v) {
		return time.Time{}, nil
	}
	bad := func() (time.Time, error) { return time.Time{}, fmt.Errorf("%s is not a timestamp", excerpt.Bytes(v)) }
	if len(v) < 10 || v[4] != '-' || v[7] != '-' {
		return bad()
	}
	num := func(b []byte) int {
		n := 0
		for _, c := range b {
			n = n*10 + int(c-'0')
		}
		return n
	}
	if !digits(v[:4]) || !digits(v[5:7]) || !digits(v[8:10]) {
		return bad()
	}
	year, month, day := num(v[:4]), num(v[5:7]), num(v[8:10])
	hour, minute, sec, nsec := 0, 0, 0, 0
	rest := v[10:]
	if len(rest) > 0 {
		if rest[0] != 'T' && rest[0] != ' ' || len(rest) < 6 || rest[3] != ':' || !digits(rest[1:3]) || !digits(rest[4:6]) {
			return bad()
		}
		hour, minute = num(rest[1:3]), num(rest[4:6])
		rest = rest[6:]
		if len(rest) >= 3 && rest[0] == ':' {
			if !digits(rest[1:3]) {
				return bad()
			}
			sec = num(rest[1:3])
			rest = rest[3:]
			if len(rest) > 0 && rest[0] == '.' {
				i := 1
				scale := 100000000
				for ; i < len(rest) && rest[i] >= '0' && rest[i] <= '9'; i++ {
					nsec += int(rest[i]-'0') * scale
					scale /= 10
				}
				rest = rest[i:]
			}
		}
	}
	loc := time.UTC
	switch {
	case len(rest) == 0, len(rest) == 1 && rest[0] == 'Z', string(rest) == "+00:00", string(rest) == "UTC":
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' && digits(rest[1:3]) && digits(rest[4:6]):
		off := (num(rest[1:3])*60 + num(rest[4:6])) * 60
		if rest[0] == '-' {
			off = -off
		}
		loc = time.FixedZone("", off)
	default:
		return bad()
	}
	if hour > 23 || minute > 59 || sec > 60 {
		return bad()
	}
	if month < 1 || month > 12 {
		return time.Time{}, fmt.Errorf("%s is not a real date: there is no month %02d", excerpt.Bytes(v), month)
	}
	if day < 1 || day > daysIn(year, time.Month(month)) {
		// time.Date would quietly turn 30 February into 1 March.
		return time.Time{}, fmt.Errorf("%s is not a real date: %04d-%02d has %d days", excerpt.Bytes(v), year, month, daysIn(year, time.Month(month)))
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, loc).UTC(), nil
}

// daysIn is the number of days of a month.
func daysIn(year int, month time.Month) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// interner shares one string per distinct value: CUR values repeat on
// almost every line, so this saves most allocations and memory. It forgets
// everything once full, keeping memory bounded on high-cardinality columns.
type interner struct {
	m     map[string]string
	bytes int   // bytes of the strings in m
	made  int64 // bytes of every string made so far, for Allocated
}

// The interner forgets everything once it holds internerLimit strings or
// internerBytes bytes, whichever comes first.
const (
	internerLimit = 1 << 16
	internerBytes = 16 << 20
)

func newInterner() interner { return interner{m: make(map[string]string, 1024)} }

// get returns the string of b. Each new value is checked to be text once,
// when it is first seen: it holds only text, and what is not text is
// returned with the error and never kept.
func (in *interner) get(b []byte) (string, error) {
	if s, ok := in.m[string(b)]; ok {
		return s, nil
	}
	s := string(b)
	in.made += int64(len(s))
	if err := lineitem.CheckText(s); err != nil {
		return s, err
	}
	if len(in.m) >= internerLimit || in.bytes+len(b) > internerBytes {
		clear(in.m)
		in.bytes = 0
	}
	in.m[s] = s
	in.bytes += len(s)
	return s, nil
}

// Allocated is the number of bytes of the strings the mapper has made so
// far: what the items it filled hold beyond their fixed size. The importer
// uses it to hand items over before they hold too much memory.
func (m *Mapper) Allocated() int64 { return m.strings.made }

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
