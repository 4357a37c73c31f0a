package document

import (
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/lineitem"
	"rebill/engine/money"
)

// Items streams the source line items behind an invoice: the customer's
// accounts' items of the invoice's month, at the provider file's full
// precision, in the store's order. It has the shape of the store's scan
// (pass a closure over it), so an export never holds a month in memory:
//
//	items := func(yield func(*lineitem.Item) error) error {
//		return db.ScanCustomerItems(inv.CustomerID, inv.Period, yield)
//	}
//
// yield may be called with the same *Item each time; renderers copy what
// they keep. A nil Items is a month without line items.
type Items func(yield func(*lineitem.Item) error) error

// detailColumn is one column of the detailed export, the same in the
// Excel Detail sheet and the detail CSV: a header (label for people, key
// for programs) and how to read the value from a line item, as text, a
// decimal or a time.
type detailColumn struct {
	key, label string
	width      float64 // Excel column width, in characters
	text       func(*lineitem.Item) string
	dec        func(*lineitem.Item) decimal.Decimal
	time       func(*lineitem.Item) time.Time
	// money marks the amounts that must reconcile to the penny: Excel gets
	// an exact text column beside their numeric one (see XLSX).
	money bool
}

// detailColumns are the line item's fields in the order of AWS's detailed
// billing report, so an accountant who knows the DBR finds them in place.
var detailColumns = []detailColumn{
	{key: "billing_period", label: "Billing period", width: 10, text: func(i *lineitem.Item) string { return i.BillingPeriod }},
	{key: "provider", label: "Provider", width: 8, text: func(i *lineitem.Item) string { return string(i.Provider) }},
	{key: "payer_account", label: "Payer account", width: 15, text: func(i *lineitem.Item) string { return i.PayerAccount }},
	{key: "usage_account", label: "Usage account", width: 15, text: func(i *lineitem.Item) string { return i.UsageAccount }},
	{key: "line_item_type", label: "Line item type", width: 16, text: func(i *lineitem.Item) string { return i.Type }},
	{key: "billing_entity", label: "Billing entity", width: 14, text: func(i *lineitem.Item) string { return i.BillingEntity }},
	{key: "legal_entity", label: "Seller", width: 20, text: func(i *lineitem.Item) string { return i.LegalEntity }},
	{key: "product_code", label: "Product code", width: 18, text: func(i *lineitem.Item) string { return i.ProductCode }},
	{key: "product_name", label: "Product name", width: 28, text: func(i *lineitem.Item) string { return i.ProductName }},
	{key: "usage_type", label: "Usage type", width: 24, text: func(i *lineitem.Item) string { return i.UsageType }},
	{key: "operation", label: "Operation", width: 16, text: func(i *lineitem.Item) string { return i.Operation }},
	{key: "region", label: "Region", width: 12, text: func(i *lineitem.Item) string { return i.Region }},
	{key: "resource_id", label: "Resource", width: 24, text: func(i *lineitem.Item) string { return i.ResourceID }},
	{key: "usage_start", label: "Usage start (UTC)", width: 17, time: func(i *lineitem.Item) time.Time { return i.UsageStart }},
	{key: "usage_amount", label: "Usage amount", width: 14, dec: func(i *lineitem.Item) decimal.Decimal { return i.UsageAmount }},
	{key: "unblended_rate", label: "Unblended rate", width: 14, dec: func(i *lineitem.Item) decimal.Decimal { return i.UnblendedRate }},
	{key: "unblended_cost", label: "Unblended cost", width: 14, money: true, dec: func(i *lineitem.Item) decimal.Decimal { return i.UnblendedCost }},
	{key: "blended_rate", label: "Blended rate", width: 14, dec: func(i *lineitem.Item) decimal.Decimal { return i.BlendedRate }},
	{key: "blended_cost", label: "Blended cost", width: 14, money: true, dec: func(i *lineitem.Item) decimal.Decimal { return i.BlendedCost }},
	{key: "public_on_demand_cost", label: "Public on-demand cost", width: 14, money: true, dec: func(i *lineitem.Item) decimal.Decimal { return i.PublicOnDemandCost }},
	{key: "reservation_arn", label: "Reservation ARN", width: 30, text: func(i *lineitem.Item) string { return i.ReservationARN }},
	{key: "savings_plan_arn", label: "Savings Plan ARN", width: 30, text: func(i *lineitem.Item) string { return i.SavingsPlanARN }},
	{key: "currency", label: "Currency", width: 9, text: func(i *lineitem.Item) string { return i.Currency }},
	{key: "invoice_id", label: "Provider invoice", width: 14, text: func(i *lineitem.Item) string { return i.InvoiceID }},
	{key: "description", label: "Description", width: 48, text: func(i *lineitem.Item) string { return i.Description }},
	{key: "tags", label: "Tags", width: 30, text: tagsText},
}

// tagsText writes a line item's tags as key=value pairs separated by "; ".
func tagsText(i *lineitem.Item) string {
	var b strings.Builder
	for n, t := range i.Tags {
		if n > 0 {
			b.WriteString("; ")
		}
		b.WriteString(t.Key + "=" + t.Value)
	}
	return b.String()
}

// timeText writes a line item's time as the CSV column does: RFC 3339 in
// UTC, empty when the file had none.
func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// detailTotals adds up the line items' unblended cost per currency,
// exactly, for the reconciliation line under the summary.
type detailTotals struct {
	items int64
	sums  map[string]*money.Sum
	order []string
}

func (t *detailTotals) add(it *lineitem.Item) {
	if t.sums == nil {
		t.sums = map[string]*money.Sum{}
	}
	t.items++
	s := t.sums[it.Currency]
	if s == nil {
		s = &money.Sum{}
		t.sums[it.Currency] = s
		t.order = append(t.order, strings.Clone(it.Currency))
	}
	s.Add(it.UnblendedCost)
}

// text is the reconciliation line: "1,234 line items; unblended cost USD
// 4321.123456789 (full precision)".
func (t *detailTotals) text() string {
	s := groupDigits(decimal.NewFromInt(t.items).String()) + " line items"
	if t.items == 1 {
		s = "1 line item"
	}
	var parts []string
	for _, c := range t.order {
		parts = append(parts, c+" "+exact(t.sums[c].Total()))
	}
	if len(parts) > 0 {
		s += "; unblended cost " + strings.Join(parts, ", ") + " (full precision)"
	}
	return s
}
