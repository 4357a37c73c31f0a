package focus

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/excerpt"
	"rebill/engine/lineitem"
	"rebill/engine/money"
	"rebill/engine/read"
)

// Mapper turns the rows of one FOCUS table into line items.
type Mapper struct {
	row     *read.Row
	periods read.Period
	// who is the row before's provider, seller and billing entity, and
	// whoFrom the provider and publisher columns it was read from.
	who     entity
	whoFrom [5]string
	tags    read.TagObject // the Tags cell
	// awsAccounts are the short AWS account ids met, with their zeros
	// put back (awsAccount).
	awsAccounts map[string]string
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
var providerColumns = [...]int{colProviderName, colInvoiceIssuer, colHostProvider, colServiceProvider}

// NewMapper prepares the mapping of a FOCUS table with this header. It
// fails with a *read.DuplicateError for a column that appears twice (two
// spellings count as one column) and a *read.FormatError naming the
// required columns the header lacks.
func NewMapper(header []string) (*Mapper, error) {
	row, err := columns.Rows(header, required)
	if err != nil {
		return nil, err
	}
	return &Mapper{row: row}, nil
}

// Reads lists the header columns Map and Column read: every field goes
// through m.row (read.ColumnReader).
func (m *Mapper) Reads() []int { return m.row.Indexes(nil) }

// Map fills it from one row.
func (m *Mapper) Map(fields [][]byte, it *lineitem.Item) error {
	r := m.row
	if err := r.Start(fields); err != nil {
		return err
	}
	var err error
	who, err := m.entity()
	if err != nil {
		return err
	}
	it.Provider, it.BillingEntity, it.LegalEntity = who.provider, who.billingEntity, who.seller
	if it.BillingPeriod, err = r.Month(&m.periods, colPeriodStart, colPeriodEnd); err != nil {
		return err
	}
	it.PayerAccount = m.billingAccount(who.provider, r.Str(colBillingAccount))
	it.UsageAccount = m.subAccount(who.provider, r.Str(colSubAccount))
	it.Type = r.Str(colChargeCategory)
	it.ProductName = r.Str(colServiceName)
	// FOCUS names a service by its name: the name is its code for
	// product types and pricing rules, but for AWS the code its CUR
	// writes beside that name.
	it.ProductCode = it.ProductName
	it.UsageType, it.Operation = "", ""
	if who.provider == lineitem.AWS {
		// AWS's own export names the code, usage type and operation
		// (x_ServiceCode, x_UsageType, x_Operation); other files only the
		// service's name.
		it.ProductCode = r.Str(colAWSServiceCode)
		if it.ProductCode == "" {
			it.ProductCode = read.AWSProductCode(it.ProductName)
		}
		it.UsageType, it.Operation = r.Str(colAWSUsageType), r.Str(colAWSOperation)
	}
	it.Region = r.Str(colRegionID)
	it.ResourceID = r.Str(colResourceID)
	it.ReservationARN, it.SavingsPlanARN = "", ""
	if who.provider == lineitem.AWS && it.Type == lineitem.Usage && r.Str(colCommitmentStatus) == "Used" {
		// Usage a reservation or Savings Plan covered: FOCUS bills it at
		// the commitment's cost (nothing; the purchase is billed to the
		// buyer) as the CUR bills DiscountedUsage, and lists its on-demand
		// cost, which the re-rated basis charges when the commitment is
		// another customer's. (The CUR's covered usage and negation pair
		// has no FOCUS counterpart.)
		if id := r.Str(colCommitmentID); id != "" {
			it.Type, it.ReservationARN = lineitem.DiscountedUsage, id
		}
	}
	it.ChargeCategory = r.Str(colChargeCategory)
	it.ChargeClass = r.Str(colChargeClass)
	it.CommitmentDiscountID = r.Str(colCommitmentID)
	it.CommitmentOwner = ""
	if who.provider == lineitem.AWS {
		// An AWS commitment's ARN names the account that bought it.
		it.CommitmentOwner = lineitem.ARNAccount(it.CommitmentDiscountID)
	}
	it.InvoiceIssuer = r.Str(colInvoiceIssuer)
	it.Publisher = r.Str(colPublisherName)
	if it.Publisher == "" {
		it.Publisher = r.Str(colServiceProvider) // 1.3
	}
	it.Currency = r.Str(colCurrency)
	// 1.2's InvoiceId: the charge is on an issued invoice.
	it.InvoiceID = r.Str(colInvoiceID)
	it.Description = r.Str(colChargeDescription)
	if err := r.Bad(); err != nil {
		return err
	}
	if it.UsageStart, err = read.ParseTime(r.Field(colChargePeriodStart)); err != nil {
		return r.Err(colChargePeriodStart, err)
	}
	for _, n := range []struct {
		col int
		dst *decimal.Decimal
	}{
		{colConsumedQuantity, &it.UsageAmount},
		{colContractedUnitPrice, &it.UnblendedRate},
		{colBilledCost, &it.UnblendedCost},
		{colListCost, &it.PublicOnDemandCost},
		{colEffectiveCost, &it.EffectiveCost},
		{colContractedCost, &it.ContractedCost},
	} {
		if *n.dst, err = r.Amount(n.col); err != nil {
			return err
		}
	}
	// FOCUS blends nothing: the blended figures are the billed ones.
	it.BlendedRate, it.BlendedCost = it.UnblendedRate, it.UnblendedCost
	it.ReservationEffectiveCost, it.SavingsPlanEffectiveCost = decimal.Zero, decimal.Zero
	it.PartnerCredit = decimal.Zero
	if it.Tags, err = m.tags.Append(it.Tags[:0], r, colTags); err != nil {
		return err
	}
	return r.Bad()
}

// entity reads who a row's charge is of. The cloud is the first of the
// provider columns that names one Rebill reads; the seller is the
// publisher (up to 1.2) or the service provider (1.3), the cloud itself
// when the file names neither. An AWS charge sold by another is an AWS
// Marketplace charge.
func (m *Mapper) entity() (entity, error) {
	r := m.row
	var from [5]string
	for i, c := range providerColumns {
		from[i] = r.Str(c)
	}
	publisher := r.Str(colPublisherName)
	from[4] = publisher
	if err := r.Bad(); err != nil {
		return entity{}, err
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
		if !r.Has(c) || from[0] == "" {
			c = colServiceProvider
		}
		return entity{}, r.Err(c, fmt.Errorf("%s is not a cloud Rebill reads: AWS, Microsoft (Azure) or Oracle (OCI)", excerpt.Quote(r.Str(c))))
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
// (/providers/Microsoft.Billing/billingAccounts/8611537); an AWS payer
// is an AWS account (awsAccount).
func (m *Mapper) billingAccount(p lineitem.Provider, id string) string {
	switch p {
	case lineitem.Azure:
		return lastSegment(id, "/providers/Microsoft.Billing/billingAccounts/")
	case lineitem.AWS:
		return m.awsAccount(id)
	}
	return id
}

// subAccount is a sub account as the provider's other files name it:
// Azure's FOCUS writes a subscription as its resource id
// (/subscriptions/64e355d7-…), its cost exports as the GUID alone; an AWS
// account keeps its leading zeros (awsAccount).
func (m *Mapper) subAccount(p lineitem.Provider, id string) string {
	switch p {
	case lineitem.Azure:
		return lastSegment(id, "/subscriptions/")
	case lineitem.AWS:
		return m.awsAccount(id)
	}
	return id
}

// awsAccount is an AWS account id as AWS writes it, 12 digits: an
// all-digit id shorter than that lost its leading zeros on the way (a
// spreadsheet, an anonymiser; the FinOps Foundation's FOCUS sample names
// 10961396247), and they are put back, so that the account is the one
// the CUR and the console name and a mapping of 010961396247 bills it.
// Without them it could not be mapped at all: a mapping refuses an id
// of fewer digits, which is nobody's account. Other ids are kept as
// written.
func (m *Mapper) awsAccount(id string) string {
	if len(id) >= lineitem.AWSAccountDigits || id == "" || strings.Trim(id, "0123456789") != "" {
		return id
	}
	if full, ok := m.awsAccounts[id]; ok {
		return full
	}
	full := strings.Repeat("0", lineitem.AWSAccountDigits-len(id)) + id
	if m.awsAccounts == nil {
		m.awsAccounts = map[string]string{}
	}
	m.awsAccounts[id] = full
	return full
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

// Allocated is the number of bytes of the strings the mapper has made.
func (m *Mapper) Allocated() int64 { return m.row.Allocated() }

// Done checks nothing: FOCUS states no totals of its own.
func (m *Mapper) Done() error { return nil }

// fieldColumns is the column each field of a line item is read from,
// where that does not depend on the row.
var fieldColumns = map[lineitem.Field]int{
	lineitem.FieldBillingPeriod:      colPeriodStart,
	lineitem.FieldPayerAccount:       colBillingAccount,
	lineitem.FieldType:               colChargeCategory,
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
	r := m.row
	if len(fields) != len(r.Header) {
		return ""
	}
	has := func(c int) bool { return r.Has(c) && !money.IsNull(fields[r.Col[c]]) }
	name := r.Heading
	switch inv.Field {
	case lineitem.FieldProductCode:
		if has(colAWSServiceCode) && it.Provider == lineitem.AWS {
			return name(colAWSServiceCode)
		}
		return name(colServiceName)
	case lineitem.FieldUsageType:
		return name(colAWSUsageType)
	case lineitem.FieldOperation:
		return name(colAWSOperation)
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
		for _, c := range []int{colPublisherName, colServiceProvider, colProviderName} {
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
