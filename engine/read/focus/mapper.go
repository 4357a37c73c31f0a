package focus

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

// Mapper turns the rows of one FOCUS table into line items.
type Mapper struct {
	header  []string
	col     [numColumns]int // field index of each column, -1 when absent
	strings read.Interner
	// last is each column's previous value: most fields repeat the row
	// before, and comparing is cheaper than interning.
	last    [numColumns]string
	bad     error
	periods read.Period
	// amounts reads the amounts, sharing the decimal of one met before.
	amounts money.Recent
	// who is the row before's provider, seller and billing entity, and
	// whoFrom the provider and publisher columns it was read from.
	who     entity
	whoFrom [5]string
	// The row before's tags, from its Tags cell as written.
	lastTags    string
	lastTagList []lineitem.Tag
}

// entity is who a row's charge is of: its cloud, the seller of record and
// the billing entity.
type entity struct {
	provider      lineitem.Provider
	seller        string
	billingEntity string
}

// providerColumns are where a row's provider is read, in order: the cloud
// up to FOCUS 1.2 (ProviderName), then the ones 1.3 names it by, the
// invoice issuer first because a marketplace seller is 1.3's service
// provider.
var providerColumns = [...]column{colProviderName, colInvoiceIssuer, colHostProvider, colServiceProvider}

// NewMapper prepares the mapping of a FOCUS table with this header. It
// fails with a *read.DuplicateError for a column that appears twice (two
// spellings count as one column) and a *read.FormatError naming the
// required columns the header lacks.
func NewMapper(header []string) (*Mapper, error) {
	m := &Mapper{header: header, strings: read.NewInterner()}
	for c := range m.col {
		m.col[c] = -1
	}
	exact := make(map[string]int, len(header))
	for i, h := range header {
		if j, dup := exact[h]; dup {
			return nil, &read.DuplicateError{First: j + 1, Second: i + 1, Name: h, SecondAs: h}
		}
		exact[h] = i
		if c, ok := columnOf[strings.ToLower(h)]; ok {
			if j := m.col[c]; j >= 0 {
				return nil, &read.DuplicateError{First: j + 1, Second: i + 1, Name: header[j], SecondAs: h}
			}
			m.col[c] = i
		}
	}
	if miss := missing(&m.col); len(miss) > 0 {
		return nil, &read.FormatError{Missing: miss}
	}
	return m, nil
}

// Map fills it from one row.
func (m *Mapper) Map(fields [][]byte, it *lineitem.Item) error {
	if len(fields) != len(m.header) {
		return fmt.Errorf("has %d fields, the header has %d", len(fields), len(m.header))
	}
	m.bad = nil
	var err error
	who, err := m.entity(fields)
	if err != nil {
		return err
	}
	it.Provider, it.BillingEntity, it.LegalEntity = who.provider, who.billingEntity, who.seller
	month, atEnd, err := m.periods.Month(m.field(fields, colPeriodStart), m.field(fields, colPeriodEnd), &m.strings)
	if err != nil {
		if atEnd {
			return m.fieldErr(colPeriodEnd, err)
		}
		return m.fieldErr(colPeriodStart, err)
	}
	it.BillingPeriod = month
	it.PayerAccount = billingAccount(who.provider, m.str(fields, colBillingAccount))
	it.UsageAccount = subAccount(who.provider, m.str(fields, colSubAccount))
	it.Type = m.str(fields, colChargeCategory)
	it.ProductName = m.str(fields, colServiceName)
	// FOCUS names a service by its name: the name is its code for
	// product types and pricing rules.
	it.ProductCode = it.ProductName
	it.UsageType, it.Operation = "", ""
	it.Region = m.str(fields, colRegionID)
	it.ResourceID = m.str(fields, colResourceID)
	it.ReservationARN, it.SavingsPlanARN = "", ""
	if who.provider == lineitem.AWS && it.Type == lineitem.Usage && m.str(fields, colCommitmentStatus) == "Used" {
		// Usage a reservation or Savings Plan covered: FOCUS bills it at
		// the commitment's cost (nothing; the purchase is billed to the
		// buyer) as the CUR bills DiscountedUsage, and lists its on-demand
		// cost, which the re-rated basis charges when the commitment is
		// another customer's. (The CUR's covered usage and negation pair
		// has no FOCUS counterpart.)
		if id := m.str(fields, colCommitmentID); id != "" {
			it.Type, it.ReservationARN = lineitem.DiscountedUsage, id
		}
	}
	it.ChargeCategory = m.str(fields, colChargeCategory)
	it.ChargeClass = m.str(fields, colChargeClass)
	it.CommitmentDiscountID = m.str(fields, colCommitmentID)
	it.CommitmentOwner = ""
	if who.provider == lineitem.AWS {
		// An AWS commitment's ARN names the account that bought it.
		it.CommitmentOwner = lineitem.ARNAccount(it.CommitmentDiscountID)
	}
	it.InvoiceIssuer = m.str(fields, colInvoiceIssuer)
	it.Publisher = m.str(fields, colPublisherName)
	if it.Publisher == "" {
		it.Publisher = m.str(fields, colServiceProvider) // 1.3
	}
	it.Currency = m.str(fields, colCurrency)
	// 1.2's InvoiceId: the charge is on an issued invoice.
	it.InvoiceID = m.str(fields, colInvoiceID)
	it.Description = m.str(fields, colChargeDescription)
	if m.bad != nil {
		return m.bad
	}
	if it.UsageStart, err = read.ParseTime(m.field(fields, colChargePeriodStart)); err != nil {
		return m.fieldErr(colChargePeriodStart, err)
	}
	for _, n := range []struct {
		col column
		dst *decimal.Decimal
	}{
		{colConsumedQuantity, &it.UsageAmount},
		{colContractedUnitPrice, &it.UnblendedRate},
		{colBilledCost, &it.UnblendedCost},
		{colListCost, &it.PublicOnDemandCost},
		{colEffectiveCost, &it.EffectiveCost},
		{colContractedCost, &it.ContractedCost},
	} {
		if *n.dst, err = m.amounts.Parse(m.field(fields, n.col)); err != nil {
			return m.fieldErr(n.col, err)
		}
	}
	// FOCUS blends nothing: the blended figures are the billed ones.
	it.BlendedRate, it.BlendedCost = it.UnblendedRate, it.UnblendedCost
	it.ReservationEffectiveCost, it.SavingsPlanEffectiveCost = decimal.Zero, decimal.Zero
	it.PartnerCredit = decimal.Zero
	if err := m.tags(fields, it); err != nil {
		return err
	}
	return m.bad
}

// entity reads who a row's charge is of. The cloud is the first of the
// provider columns that names one Rebill reads; the seller is the
// publisher (up to 1.2) or the service provider (1.3), the cloud itself
// when the file names neither. An AWS charge sold by another is an AWS
// Marketplace charge.
func (m *Mapper) entity(fields [][]byte) (entity, error) {
	var from [5]string
	for i, c := range providerColumns {
		from[i] = m.str(fields, c)
	}
	publisher := m.str(fields, colPublisherName)
	from[4] = publisher
	if m.bad != nil {
		return entity{}, m.bad
	}
	if m.who.provider != "" && from == m.whoFrom {
		return m.who, nil
	}
	var e entity
	for _, name := range from[:len(providerColumns)] {
		if e.provider = cloudOf(name); e.provider != "" {
			break
		}
	}
	if e.provider == "" {
		c := colProviderName
		if m.col[c] < 0 || from[0] == "" {
			c = colServiceProvider
		}
		return entity{}, m.fieldErr(c, fmt.Errorf("%s is not a cloud Rebill reads: AWS, Microsoft (Azure) or Oracle (OCI)", excerpt.Quote(m.str(fields, c))))
	}
	e.seller = publisher
	if e.seller == "" {
		e.seller = from[3] // 1.3's service provider
	}
	if e.seller == "" {
		e.seller = from[0]
	}
	// A product another publisher sells through the cloud's marketplace
	// is passed through (lineitem.Marketplace).
	switch e.provider {
	case lineitem.AWS:
		e.billingEntity = "AWS"
		if cloudOf(e.seller) != lineitem.AWS {
			e.billingEntity = lineitem.MarketplaceEntity
		}
	case lineitem.Azure:
		if cloudOf(e.seller) != lineitem.Azure {
			e.billingEntity = lineitem.AzureMarketplaceEntity
		}
	}
	m.who, m.whoFrom = e, from
	return e, nil
}

// billingAccount is a billing account as the provider's other files name
// it: Azure's FOCUS writes its resource id
// (/providers/Microsoft.Billing/billingAccounts/8611537).
func billingAccount(p lineitem.Provider, id string) string {
	if p == lineitem.Azure {
		return lastSegment(id, "/providers/Microsoft.Billing/billingAccounts/")
	}
	return id
}

// subAccount is a sub account as the provider's other files name it:
// Azure's FOCUS writes a subscription as its resource id
// (/subscriptions/64e355d7-…), its cost exports as the GUID alone.
func subAccount(p lineitem.Provider, id string) string {
	if p == lineitem.Azure {
		return lastSegment(id, "/subscriptions/")
	}
	return id
}

// lastSegment is id without the prefix (in any case) and what follows the
// next slash; id itself when it does not start with the prefix.
func lastSegment(id, prefix string) string {
	if len(id) <= len(prefix) || !strings.EqualFold(id[:len(prefix)], prefix) {
		return id
	}
	rest := id[len(prefix):]
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// tags reads the Tags cell, a JSON object of keys and values; values that
// are not strings are kept as their JSON text, null ones are left out.
// Rows repeat their tags, so the row before's are reused when the cell is
// the same.
func (m *Mapper) tags(fields [][]byte, it *lineitem.Item) error {
	it.Tags = it.Tags[:0]
	raw := m.field(fields, colTags)
	if money.IsNull(raw) {
		return nil
	}
	if string(raw) != m.lastTags || m.lastTagList == nil {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil {
			return m.fieldErr(colTags, fmt.Errorf("%s is not a JSON object of tags: %v", excerpt.Bytes(raw), err))
		}
		list := make([]lineitem.Tag, 0, len(obj))
		for k, v := range obj {
			if string(v) == "null" {
				continue
			}
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				s = string(v) // a number or a boolean, as written
			}
			list = append(list, lineitem.Tag{Key: m.text(m.col[colTags], []byte(k)), Value: m.text(m.col[colTags], []byte(s))})
		}
		if m.bad != nil {
			return m.bad
		}
		sort.Slice(list, func(i, j int) bool { return list[i].Key < list[j].Key })
		m.lastTags, m.lastTagList = string(raw), list
	}
	it.Tags = append(it.Tags, m.lastTagList...)
	return nil
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

// text is the string of a field, shared with earlier equal values; the
// first value that is not text is kept in m.bad, naming header column i.
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

// Allocated is the number of bytes of the strings the mapper has made.
func (m *Mapper) Allocated() int64 { return m.strings.Made() }

// Done checks nothing: FOCUS states no totals of its own.
func (m *Mapper) Done() error { return nil }

// fieldColumns is the column each field of a line item is read from,
// where that does not depend on the row.
var fieldColumns = map[lineitem.Field]column{
	lineitem.FieldBillingPeriod:      colPeriodStart,
	lineitem.FieldPayerAccount:       colBillingAccount,
	lineitem.FieldType:               colChargeCategory,
	lineitem.FieldProductCode:        colServiceName,
	lineitem.FieldProductName:        colServiceName,
	lineitem.FieldRegion:             colRegionID,
	lineitem.FieldResourceID:         colResourceID,
	lineitem.FieldReservationARN:     colCommitmentID,
	lineitem.FieldCurrency:           colCurrency,
	lineitem.FieldInvoiceID:          colInvoiceID,
	lineitem.FieldDescription:        colChargeDescription,
	lineitem.FieldUsageAmount:        colConsumedQuantity,
	lineitem.FieldUnblendedRate:      colContractedUnitPrice,
	lineitem.FieldBlendedRate:        colContractedUnitPrice,
	lineitem.FieldUnblendedCost:      colBilledCost,
	lineitem.FieldBlendedCost:        colBilledCost,
	lineitem.FieldPublicOnDemandCost: colListCost,
	lineitem.FieldTagKey:             colTags,
	lineitem.FieldTagValue:           colTags,
}

// Column names, as the file spells it, the column the invalid value of it
// came from.
func (m *Mapper) Column(fields [][]byte, it *lineitem.Item, inv *lineitem.Invalid) string {
	if len(fields) != len(m.header) {
		return ""
	}
	has := func(c column) bool { return m.col[c] >= 0 && !money.IsNull(fields[m.col[c]]) }
	name := func(c column) string {
		if m.col[c] >= 0 {
			return m.header[m.col[c]]
		}
		return ""
	}
	switch inv.Field {
	case lineitem.FieldProvider:
		for _, c := range providerColumns {
			if has(c) {
				return name(c)
			}
		}
		return ""
	case lineitem.FieldUsageAccount:
		if has(colSubAccount) {
			return name(colSubAccount)
		}
		return name(colBillingAccount) // a row of no sub account is the billing account's
	case lineitem.FieldLegalEntity:
		for _, c := range []column{colPublisherName, colServiceProvider, colProviderName} {
			if has(c) {
				return name(c)
			}
		}
		return ""
	}
	if c, ok := fieldColumns[inv.Field]; ok {
		return name(c)
	}
	return ""
}
