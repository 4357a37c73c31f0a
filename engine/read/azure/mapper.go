package azure

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/lineitem"
	"rebill/engine/money"
	"rebill/engine/read"
)

// Mapper turns the rows of one Azure export into line items.
type Mapper struct {
	row *read.Row
	// owners are the subscriptions that bought a commitment, by its order
	// id, as the file's purchase and unused-commitment rows say.
	owners map[string]string
	// actual and amortized count the rows that mark the file as an
	// actual or an amortized cost export (see CostView).
	actual, amortized int
	// tags reads the Tags cell, which the EA and MCA exports write
	// without its outer braces.
	tags read.TagObject
}

// NewMapper prepares the mapping of a table of format name with this
// header: a *read.DuplicateError for a column found twice, a
// *read.FormatError naming the required columns the header lacks.
func NewMapper(name string, header []string) (*Mapper, error) {
	row, err := columns.Rows(header, required[name])
	if err != nil {
		return nil, err
	}
	return &Mapper{row: row, owners: map[string]string{}, tags: read.TagObject{Braceless: true}}, nil
}

// Charge is how an Azure charge type (and, for usage, its pricing model)
// reads in Rebill's vocabulary: the line item's Type and FOCUS's charge
// category and class. Usage a reservation covered is DiscountedUsage and
// usage a savings plan covered SavingsPlanCoveredUsage, as AWS names
// them, so the two stay distinct; a type Azure adds later is kept as
// written, with no category.
func Charge(chargeType, pricingModel string) (typ, category, class string) {
	switch strings.ToLower(chargeType) {
	case "usage", "":
		switch strings.ToLower(pricingModel) {
		case "reservation":
			return lineitem.DiscountedUsage, lineitem.CategoryUsage, ""
		case "savingsplan":
			return lineitem.SavingsPlanCoveredUsage, lineitem.CategoryUsage, ""
		}
		return lineitem.Usage, lineitem.CategoryUsage, ""
	case "purchase":
		return "Purchase", lineitem.CategoryPurchase, ""
	case "refund":
		// A refund of a purchase (a cancelled reservation): a correction
		// of an earlier purchase.
		return lineitem.Refund, lineitem.CategoryPurchase, lineitem.ClassCorrection
	case "unusedreservation":
		return "UnusedReservation", lineitem.CategoryUsage, ""
	case "unusedsavingsplan":
		return "UnusedSavingsPlan", lineitem.CategoryUsage, ""
	case "roundingadjustment":
		return "RoundingAdjustment", lineitem.CategoryAdjustment, ""
	case "tax":
		return lineitem.Tax, lineitem.CategoryTax, ""
	}
	return chargeType, "", ""
}

// Map fills it from one row.
func (m *Mapper) Map(fields [][]byte, it *lineitem.Item) error {
	r := m.row
	if err := r.Start(fields); err != nil {
		return err
	}
	it.Provider = lineitem.Azure
	it.UsageAccount = r.Str(colSubscription)
	if !r.Has(colSubscription) {
		it.UsageAccount = r.Str(colSubscriptionGUID)
	}
	it.PayerAccount = r.Str(colBillingAccount)
	if it.PayerAccount == "" {
		// Pay-as-you-go: the subscription is its own bill.
		it.PayerAccount = it.UsageAccount
	}
	typ, category, class := Charge(r.Str(colChargeType), r.Str(colPricingModel))
	it.Type, it.ChargeCategory, it.ChargeClass = typ, category, class
	publisher := r.Str(colPublisherName)
	it.Publisher = publisher
	if strings.EqualFold(r.Str(colPublisherType), "Marketplace") {
		it.BillingEntity, it.LegalEntity = MarketplaceEntity, publisher
	} else {
		it.BillingEntity, it.LegalEntity = "Azure", "Microsoft"
	}
	it.InvoiceIssuer = "Microsoft"
	it.ProductCode = r.Str(colMeterCategory)
	if it.ProductCode == "" {
		it.ProductCode = r.Str(colServiceName)
	}
	it.ProductName = r.Str(colProduct)
	if it.ProductName == "" {
		it.ProductName = it.ProductCode
	}
	it.UsageType = r.Str(colMeterName)
	it.Operation = r.Str(colMeterSubCategory)
	it.Region = r.Str(colLocation)
	it.ResourceID = r.Str(colResourceID)
	it.ReservationARN, it.SavingsPlanARN = "", ""
	it.Currency = r.Str(colCurrency)
	if !r.Has(colCurrency) {
		it.Currency = r.Str(colLegacyCurrency)
	}
	it.Currency = strings.ToUpper(it.Currency)
	// An MCA invoice id is there once the month is invoiced: the charge is
	// final.
	it.InvoiceID = r.Str(colInvoiceID)
	it.Description = ""
	m.commitment(it)
	if err := r.Bad(); err != nil {
		return err
	}
	if err := m.dates(it); err != nil {
		return err
	}
	if err := m.amounts(it); err != nil {
		return err
	}
	m.markView(it)
	var err error
	it.Tags, err = m.tags.Append(it.Tags[:0], r, colTags)
	return err
}

// markView counts the row as evidence of the export's view of cost.
// Microsoft writes the same columns in both exports; what differs is
// where a reservation's or savings plan's cost sits. In the actual cost
// export the purchase row carries the cost and the usage it covers costs
// nothing; in the amortized export the purchase row is zero (or absent),
// the covered usage carries its share, and the unused part is a row of
// its own (UnusedReservation, UnusedSavingsPlan). Rows without a benefit
// read the same in both and tell nothing.
func (m *Mapper) markView(it *lineitem.Item) {
	if it.CommitmentDiscountID == "" {
		return
	}
	costs := !it.UnblendedCost.IsZero()
	switch it.Type {
	case "Purchase":
		if costs {
			m.actual++
		} else {
			m.amortized++
		}
	case lineitem.DiscountedUsage, lineitem.SavingsPlanCoveredUsage:
		if costs {
			m.amortized++
		} else {
			m.actual++
		}
	case "UnusedReservation", "UnusedSavingsPlan":
		m.amortized++
	}
}

// CostView tells which export the rows read were (read.CostViewer):
// read.ViewActual or read.ViewAmortized when every row with a benefit
// agrees, "" when none has one (both exports are then the same) or they
// disagree.
func (m *Mapper) CostView() string {
	switch {
	case m.actual > 0 && m.amortized == 0:
		return read.ViewActual
	case m.amortized > 0 && m.actual == 0:
		return read.ViewAmortized
	}
	return ""
}

// commitment fills the reservation or savings plan a row is about: the
// benefit's id (benefitId, or the reservation's), and the subscription
// that bought it when the file says so. A purchase, refund or unused
// commitment row is charged to the buying subscription; usage rows name
// only the benefit, so the buyer is known for the rows after one of those
// in the file, and otherwise through the purchase's line item, which
// carries the same order.
func (m *Mapper) commitment(it *lineitem.Item) {
	r := m.row
	id := r.Str(colBenefitID)
	if id == "" {
		id = r.Str(colReservationID)
	}
	it.CommitmentDiscountID, it.CommitmentOwner = id, ""
	if id == "" {
		return
	}
	order := orderOf(id)
	if order == "" {
		order = r.Str(colProductOrderID)
	}
	switch it.Type {
	case "Purchase", lineitem.Refund, "UnusedReservation", "UnusedSavingsPlan":
		it.CommitmentOwner = it.UsageAccount
		if order != "" && len(m.owners) < maxOwners {
			m.owners[order] = it.UsageAccount
		}
	default:
		it.CommitmentOwner = m.owners[order]
	}
}

// maxOwners bounds the commitments remembered, whatever a file holds.
const maxOwners = 1 << 16

// orderOf is the order id in a benefit's resource id
// (/providers/Microsoft.Capacity/reservationOrders/<order>/reservations/<id>,
// /providers/Microsoft.BillingBenefits/savingsPlanOrders/<order>/...), in
// lower case; "" for an id of another shape.
func orderOf(id string) string {
	parts := strings.Split(strings.ToLower(id), "/")
	for i, p := range parts {
		if (p == "reservationorders" || p == "savingsplanorders") && i+1 < len(parts) {
			return parts[i+1]
		}
	}
	return ""
}

// dates reads the usage date and the billing month: the billing period's
// start when the file has one, else the month of the usage date (a
// pay-as-you-go subscription is billed by calendar month).
func (m *Mapper) dates(it *lineitem.Item) error {
	r := m.row
	dateCol := colDate
	if !r.Has(colDate) {
		dateCol = colUsageDateTime
	}
	var err error
	if it.UsageStart, err = read.ParseDate(r.Field(dateCol)); err != nil {
		return r.Err(dateCol, err)
	}
	month := it.UsageStart
	if start, err := read.ParseDate(r.Field(colPeriodStart)); err != nil {
		return r.Err(colPeriodStart, err)
	} else if !start.IsZero() {
		month = start
	}
	if month.IsZero() {
		return r.Err(dateCol, fmt.Errorf("the date is empty: every line needs the day it was used"))
	}
	it.BillingPeriod = monthOf(month)
	return nil
}

// monthOf is t's YYYY-MM, built without fmt since every row has one.
func monthOf(t time.Time) string {
	y, mo := t.Year(), int(t.Month())
	b := []byte{byte('0' + y/1000%10), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-', byte('0' + mo/10), byte('0' + mo%10)}
	return string(b)
}

// amounts reads the cost and the prices. The list cost is the
// pay-as-you-go price times the quantity (what a user pays whose
// reservation is another's), the unit price's when the file has no
// pay-as-you-go price; the contracted cost is the unit price's.
func (m *Mapper) amounts(it *lineitem.Item) error {
	r := m.row
	costCol := colCost
	if !r.Has(colCost) {
		costCol = colPreTaxCost
	}
	var err error
	if it.UnblendedCost, err = r.Amount(costCol); err != nil {
		return err
	}
	if it.UsageAmount, err = r.Amount(colQuantity); err != nil {
		return err
	}
	if it.UnblendedRate, err = r.Amount(colEffectivePrice); err != nil {
		return err
	}
	unit, err := r.Amount(colUnitPrice)
	if err != nil {
		return err
	}
	payg, err := r.Amount(colPayGPrice)
	if err != nil {
		return err
	}
	it.BlendedRate, it.BlendedCost = it.UnblendedRate, it.UnblendedCost
	it.EffectiveCost = it.UnblendedCost
	it.ContractedCost = it.UnblendedCost
	it.PublicOnDemandCost = it.UnblendedCost
	if r.Has(colUnitPrice) && !unit.IsZero() {
		it.ContractedCost = unit.Mul(it.UsageAmount)
		it.PublicOnDemandCost = it.ContractedCost
	}
	if r.Has(colPayGPrice) && !payg.IsZero() {
		it.PublicOnDemandCost = payg.Mul(it.UsageAmount)
	}
	for _, d := range []*decimal.Decimal{&it.ContractedCost, &it.PublicOnDemandCost} {
		if err := money.CheckAmount(*d); err != nil {
			return r.Err(colQuantity, fmt.Errorf("the quantity times the price is out of range: %w", err))
		}
	}
	it.ReservationEffectiveCost, it.SavingsPlanEffectiveCost = decimal.Zero, decimal.Zero
	it.PartnerCredit = decimal.Zero
	return nil
}

// Allocated is the number of bytes of the strings the mapper has made.
func (m *Mapper) Allocated() int64 { return m.row.Allocated() }

// Done checks nothing: Azure's exports state no totals.
func (m *Mapper) Done() error { return nil }

// fieldColumns is the column each field of a line item is read from.
var fieldColumns = map[lineitem.Field][]int{
	lineitem.FieldBillingPeriod:      {colPeriodStart, colDate, colUsageDateTime},
	lineitem.FieldPayerAccount:       {colBillingAccount, colSubscription, colSubscriptionGUID},
	lineitem.FieldUsageAccount:       {colSubscription, colSubscriptionGUID},
	lineitem.FieldType:               {colChargeType},
	lineitem.FieldLegalEntity:        {colPublisherName},
	lineitem.FieldProductCode:        {colMeterCategory, colServiceName},
	lineitem.FieldProductName:        {colProduct},
	lineitem.FieldUsageType:          {colMeterName},
	lineitem.FieldOperation:          {colMeterSubCategory},
	lineitem.FieldRegion:             {colLocation},
	lineitem.FieldResourceID:         {colResourceID},
	lineitem.FieldCurrency:           {colCurrency, colLegacyCurrency},
	lineitem.FieldInvoiceID:          {colInvoiceID},
	lineitem.FieldUsageAmount:        {colQuantity},
	lineitem.FieldUnblendedRate:      {colEffectivePrice},
	lineitem.FieldBlendedRate:        {colEffectivePrice},
	lineitem.FieldUnblendedCost:      {colCost, colPreTaxCost},
	lineitem.FieldBlendedCost:        {colCost, colPreTaxCost},
	lineitem.FieldPublicOnDemandCost: {colPayGPrice, colUnitPrice},
	lineitem.FieldTagKey:             {colTags},
	lineitem.FieldTagValue:           {colTags},
}

// Column names, as the file spells it, the column the invalid value of it
// came from: the first of the field's columns the file has.
func (m *Mapper) Column(fields [][]byte, it *lineitem.Item, inv *lineitem.Invalid) string {
	if len(fields) != len(m.row.Header) {
		return ""
	}
	for _, c := range fieldColumns[inv.Field] {
		if m.row.Has(c) {
			return m.row.ColumnName(c)
		}
	}
	return ""
}
