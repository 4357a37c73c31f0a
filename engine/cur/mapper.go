package cur

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

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

func (e *FieldError) Error() string { return fmt.Sprintf("column %s: %v", e.Column, e.Err) }
func (e *FieldError) Unwrap() error { return e.Err }

// NewMapper prepares the mapping for a header. It fails with a *FormatError
// naming the required columns the header lacks.
func NewMapper(header []string) (*Mapper, error) {
	m := &Mapper{header: header, strings: newInterner()}
	byName := make(map[string]int, len(header))
	slashStyle := false
	for i, h := range header {
		if strings.Contains(h, "/") {
			slashStyle = true
		}
		c := Canonical(h)
		if _, dup := byName[c]; !dup {
			byName[c] = i
		}
		if k := tagKey(h); k != "" {
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
	it.Provider = lineitem.AWS
	period := m.field(fields, colPeriodStart)
	if it.BillingPeriod, err = m.period(period); err != nil {
		return m.fieldErr(colPeriodStart, err)
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
		it.Region = m.strings.get(az[:len(az)-1])
	}
	it.ResourceID = m.str(fields, colResourceID)
	it.ReservationARN = m.str(fields, colReservationARN)
	it.SavingsPlanARN = m.str(fields, colSavingsPlanARN)
	it.Currency = m.str(fields, colCurrency)
	it.InvoiceID = m.str(fields, colInvoiceID)
	it.Description = m.str(fields, colDescription)
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
			it.Tags = append(it.Tags, lineitem.Tag{Key: tc.key, Value: m.strings.get(v)})
		}
	}
	if err := m.mapColumns(fields, it); err != nil {
		return err
	}
	return nil
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
			it.ProductName = m.strings.get([]byte(s))
		}
		if s, ok := product["region"].(string); ok && it.Region == "" {
			it.Region = m.strings.get([]byte(s))
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
			it.Tags = append(it.Tags, lineitem.Tag{Key: m.strings.get([]byte(key)), Value: m.strings.get([]byte(s))})
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
	s := m.strings.get(v)
	m.last[c] = s
	return s
}

func (m *Mapper) fieldErr(c column, err error) error {
	name := columnNames[c]
	if i := m.col[c]; i >= 0 {
		name = m.header[i]
	}
	return &FieldError{Column: name, Err: err}
}

// period returns YYYY-MM from the billing period start date.
func (m *Mapper) period(v []byte) (string, error) {
	if money.IsNull(v) {
		return "", fmt.Errorf("billing period start date is empty")
	}
	if len(v) < 7 || v[4] != '-' || !digits(v[:4]) || !digits(v[5:7]) || v[5] > '1' {
		return "", fmt.Errorf("%q is not a date", v)
	}
	return m.strings.get(v[:7]), nil
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
	bad := func() (time.Time, error) { return time.Time{}, fmt.Errorf("%q is not a timestamp", v) }
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
	if month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || sec > 60 {
		return bad()
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, loc).UTC(), nil
}

// interner shares one string per distinct value: CUR values repeat on
// almost every line, so this saves most allocations and memory. It forgets
// everything once full, keeping memory bounded on high-cardinality columns.
type interner struct{ m map[string]string }

const internerLimit = 1 << 16

func newInterner() interner { return interner{m: make(map[string]string, 1024)} }

func (in *interner) get(b []byte) string {
	if s, ok := in.m[string(b)]; ok {
		return s
	}
	if len(in.m) >= internerLimit {
		clear(in.m)
	}
	s := string(b)
	in.m[s] = s
	return s
}
