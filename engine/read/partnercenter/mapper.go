package partnercenter

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/lineitem"
	"rebill/engine/money"
	"rebill/engine/read"
)

// UsageSubtotal is Microsoft's rule for the pre-tax subtotal of a
// usage-based reconciliation line:
// ROUNDDOWN(ROUNDDOWN(EffectiveUnitPrice × BillableQuantity, 2) ×
// PCToBCExchangeRate, 2). ROUNDDOWN is Excel's: it cuts the digits past
// the cent toward zero, so a refund's negative amount is cut like a
// charge's.
func UsageSubtotal(effectiveUnitPrice, billableQuantity, exchangeRate decimal.Decimal) decimal.Decimal {
	return effectiveUnitPrice.Mul(billableQuantity).Truncate(2).Mul(exchangeRate).Truncate(2)
}

// SeatSubtotal is Microsoft's rule for a license- or seat-based line:
// ROUNDDOWN(EffectiveUnitPrice × PCToBCExchangeRate, 2) × BillableQuantity.
func SeatSubtotal(effectiveUnitPrice, billableQuantity, exchangeRate decimal.Decimal) decimal.Decimal {
	return effectiveUnitPrice.Mul(exchangeRate).Truncate(2).Mul(billableQuantity)
}

// TieOutError is a reconciliation line whose subtotal is neither what
// Microsoft's usage rule nor its seat rule makes of its price, quantity
// and exchange rate.
type TieOutError struct {
	Subtotal, Usage, Seat decimal.Decimal
}

func (e *TieOutError) Error() string {
	return fmt.Sprintf("the subtotal %s does not tie out: EffectiveUnitPrice, BillableQuantity and PCToBCExchangeRate make %s by Microsoft's usage rule "+
		"ROUNDDOWN(ROUNDDOWN(EffectiveUnitPrice × BillableQuantity, 2) × PCToBCExchangeRate, 2) and %s by its seat rule; "+
		"download the file again from Partner Center, or ask Microsoft about this line", e.Subtotal, e.Usage, e.Seat)
}

// TieOut checks a reconciliation line: nil when its subtotal is what the
// usage rule, or for a license or seat the seat rule, makes of it.
func TieOut(subtotal, effectiveUnitPrice, billableQuantity, exchangeRate decimal.Decimal) error {
	u := UsageSubtotal(effectiveUnitPrice, billableQuantity, exchangeRate)
	if subtotal.Equal(u) {
		return nil
	}
	s := SeatSubtotal(effectiveUnitPrice, billableQuantity, exchangeRate)
	if subtotal.Equal(s) {
		return nil
	}
	return &TieOutError{Subtotal: subtotal, Usage: u, Seat: s}
}

// Mapper turns the rows of one Partner Center file into line items.
type Mapper struct {
	format string
	row    *read.Row
}

// NewMapper prepares the mapping of a table of format name with this
// header.
func NewMapper(name string, header []string) (*Mapper, error) {
	row, err := columns.Rows(header, required[name])
	if err != nil {
		return nil, err
	}
	return &Mapper{format: name, row: row}, nil
}

// charge reads a new-commerce charge type: usage, or one of a
// subscription's events (new, renew, cycle charge, add or remove quantity,
// cancel), the refunds among them corrections.
func charge(t string) (typ, category, class string) {
	switch strings.ToLower(strings.TrimSpace(t)) {
	case "", "usage":
		return lineitem.Usage, lineitem.CategoryUsage, ""
	case "cancel", "cancelimmediate", "removequantity", "remove quantity", "refund", "credit":
		return lineitem.Refund, lineitem.CategoryPurchase, lineitem.ClassCorrection
	case "tax":
		return lineitem.Tax, lineitem.CategoryTax, ""
	}
	return "Purchase", lineitem.CategoryPurchase, ""
}

// Map fills it from one row.
func (m *Mapper) Map(fields [][]byte, it *lineitem.Item) error {
	r := m.row
	if err := r.Start(fields); err != nil {
		return err
	}
	it.Provider = lineitem.Azure
	it.PayerAccount = r.Str(colPartner)
	it.UsageAccount = r.Str(colEntitlement)
	if it.UsageAccount == "" {
		it.UsageAccount = r.Str(colSubscription)
	}
	if m.format == Usage {
		it.Type, it.ChargeCategory, it.ChargeClass = lineitem.Usage, lineitem.CategoryUsage, ""
	} else {
		it.Type, it.ChargeCategory, it.ChargeClass = charge(r.Str(colChargeType))
	}
	it.Publisher = r.Str(colPublisher)
	it.BillingEntity, it.LegalEntity = "Azure", "Microsoft"
	if it.Publisher != "" && !strings.HasPrefix(strings.ToLower(it.Publisher), "microsoft") {
		it.BillingEntity, it.LegalEntity = lineitem.AzureMarketplaceEntity, it.Publisher
	}
	it.InvoiceIssuer = "Microsoft"
	it.ProductCode = r.Str(colMeterCategory)
	if it.ProductCode == "" {
		it.ProductCode = r.Str(colProductName)
	}
	it.ProductName = r.Str(colProductName)
	it.UsageType = r.Str(colMeterName)
	if it.UsageType == "" {
		it.UsageType = r.Str(colSKUName)
	}
	it.Operation = ""
	it.Region = r.Str(colLocation)
	it.ResourceID = r.Str(colResourceURI)
	it.ReservationARN, it.SavingsPlanARN = "", ""
	it.CommitmentDiscountID = r.Str(colBenefitID)
	if it.CommitmentDiscountID == "" {
		it.CommitmentDiscountID = r.Str(colReservationOrder)
	}
	it.CommitmentOwner = ""
	if m.format == Usage {
		it.Currency = r.Str(colBillingCurrency)
	} else {
		it.Currency = r.Str(colCurrency)
	}
	it.Currency = strings.ToUpper(it.Currency)
	// A billed line names its invoice: final.
	it.InvoiceID = r.Str(colInvoice)
	it.Description = r.Str(colSubscriptionDescription)
	it.Tags = it.Tags[:0]
	if err := r.Bad(); err != nil {
		return err
	}
	if err := m.dates(it); err != nil {
		return err
	}
	return m.amounts(it)
}

// dates reads the day of use and the billing month, the month the
// charge's billing cycle starts in.
func (m *Mapper) dates(it *lineitem.Item) error {
	r := m.row
	start, err := read.ParseDate(r.Field(colChargeStart))
	if err != nil {
		return r.Err(colChargeStart, err)
	}
	if start.IsZero() {
		return r.Err(colChargeStart, fmt.Errorf("the charge start date is empty: every line needs its billing cycle"))
	}
	it.BillingPeriod = start.Format("2006-01")
	it.UsageStart = start
	if r.Has(colUsageDate) {
		if it.UsageStart, err = read.ParseDate(r.Field(colUsageDate)); err != nil {
			return r.Err(colUsageDate, err)
		}
	}
	return nil
}

// amounts reads the cost in the billing currency and the prices: the list
// cost is the price list's unit price, the contracted cost the effective
// unit price (after partner earned credit and discounts), both times the
// quantity and the exchange rate from pricing to billing currency.
func (m *Mapper) amounts(it *lineitem.Item) error {
	r := m.row
	rate, err := r.Amount(colExchangeRate)
	if err != nil {
		return err
	}
	if rate.IsZero() && !r.Has(colExchangeRate) {
		rate = decimal.NewFromInt(1)
	}
	unit, err := r.Amount(colUnitPrice)
	if err != nil {
		return err
	}
	eff, err := r.Amount(colEffectiveUnitPrice)
	if err != nil {
		return err
	}
	qtyCol, costCol := colQuantity, colBillingPreTaxTotal
	if m.format == Recon {
		qtyCol, costCol = colBillableQuantity, colSubtotal
	}
	if it.UsageAmount, err = r.Amount(qtyCol); err != nil {
		return err
	}
	if it.UnblendedCost, err = r.Amount(costCol); err != nil {
		return err
	}
	if m.format == Recon {
		if err := TieOut(it.UnblendedCost, eff, it.UsageAmount, rate); err != nil {
			return r.Err(colSubtotal, err)
		}
	}
	it.UnblendedRate = eff
	it.BlendedRate, it.BlendedCost = it.UnblendedRate, it.UnblendedCost
	it.EffectiveCost = it.UnblendedCost
	it.ContractedCost = eff.Mul(it.UsageAmount).Mul(rate)
	it.PublicOnDemandCost = unit.Mul(it.UsageAmount).Mul(rate)
	it.PartnerCredit = decimal.Zero
	if r.Has(colPECPercentage) {
		pct, err := r.Amount(colPECPercentage)
		if err != nil {
			return err
		}
		// The credit is the percentage of the list price Microsoft did
		// not bill, in the billing currency.
		it.PartnerCredit = it.PublicOnDemandCost.Mul(pct).Div(decimal.NewFromInt(100))
	}
	for _, d := range []*decimal.Decimal{&it.ContractedCost, &it.PublicOnDemandCost, &it.PartnerCredit} {
		if err := money.CheckAmount(*d); err != nil {
			return r.Err(qtyCol, fmt.Errorf("the quantity times the price is out of range: %w", err))
		}
	}
	it.ReservationEffectiveCost, it.SavingsPlanEffectiveCost = decimal.Zero, decimal.Zero
	return nil
}

// Allocated is the number of bytes of the strings the mapper has made.
func (m *Mapper) Allocated() int64 { return m.row.Allocated() }

// Done checks nothing more: each reconciliation line was tied out as it
// was read.
func (m *Mapper) Done() error { return nil }

var fieldColumns = map[lineitem.Field][]int{
	lineitem.FieldBillingPeriod:      {colChargeStart},
	lineitem.FieldPayerAccount:       {colPartner},
	lineitem.FieldUsageAccount:       {colEntitlement, colSubscription},
	lineitem.FieldType:               {colChargeType},
	lineitem.FieldLegalEntity:        {colPublisher},
	lineitem.FieldProductCode:        {colMeterCategory, colProductName},
	lineitem.FieldProductName:        {colProductName},
	lineitem.FieldUsageType:          {colMeterName, colSKUName},
	lineitem.FieldRegion:             {colLocation},
	lineitem.FieldResourceID:         {colResourceURI},
	lineitem.FieldCurrency:           {colBillingCurrency, colCurrency},
	lineitem.FieldInvoiceID:          {colInvoice},
	lineitem.FieldDescription:        {colSubscriptionDescription},
	lineitem.FieldUsageAmount:        {colQuantity, colBillableQuantity},
	lineitem.FieldUnblendedRate:      {colEffectiveUnitPrice},
	lineitem.FieldBlendedRate:        {colEffectiveUnitPrice},
	lineitem.FieldUnblendedCost:      {colBillingPreTaxTotal, colSubtotal},
	lineitem.FieldBlendedCost:        {colBillingPreTaxTotal, colSubtotal},
	lineitem.FieldPublicOnDemandCost: {colUnitPrice},
}

// Column names, as the file spells it, the column the invalid value of it
// came from.
func (m *Mapper) Column(fields [][]byte, it *lineitem.Item, inv *lineitem.Invalid) string {
	if len(fields) != len(m.row.Header) {
		return ""
	}
	cols := fieldColumns[inv.Field]
	if inv.Field == lineitem.FieldUsageAccount && !m.row.Has(colEntitlement) || (inv.Field == lineitem.FieldUsageAccount && it.UsageAccount != "" && it.UsageAccount == string(m.row.Field(colSubscription))) {
		cols = []int{colSubscription}
	}
	for _, c := range cols {
		if m.row.Has(c) {
			return m.row.ColumnName(c)
		}
	}
	return ""
}
