package document

import (
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
	"rebill/engine/money"
)

// Items streams the source line items behind an invoice: the customer's
// accounts' items of the invoice's month, at the provider file's full
// precision, in the store's order, each with its charge on the invoice
// when known. It has the shape of the store's scan (pass a closure over
// it), so an export never holds a month in memory:
//
//	items := func(yield func(document.DetailItem) error) error {
//		return db.ScanCustomerItems(inv.CustomerID, inv.Period, func(it *lineitem.Item) error {
//			return yield(document.DetailItem{Item: it})
//		})
//	}
//
// yield may be called with the same *Item each time; renderers copy what
// they keep. A nil Items is a month without line items.
type Items func(yield func(DetailItem) error) error

// DetailItem is one source line item and what it contributes to the
// invoice.
type DetailItem struct {
	Item *lineitem.Item
	// Charge is the item's charge under the invoice's basis, rules and
	// options (billing.Charger), in the invoice's currency; nil when it
	// was not computed, which leaves the charge columns empty.
	Charge *billing.ItemCharge
}

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

// chargeColumn is one of the columns that follow the line item's own: its
// charge on the invoice, in the invoice's currency, empty without one.
type chargeColumn struct {
	key, label string
	width      float64
	text       func(*billing.ItemCharge) string
	dec        func(*billing.ItemCharge) decimal.Decimal // with an exact text column in Excel
}

// chargeColumns are the item's charge: the cost charged under the basis
// (re-rated: another customer's reservation at its on-demand cost...),
// the amount billed after the pricing rule, both unrounded, and a note
// (the rule applied, or why the item is not on the invoice).
var chargeColumns = []chargeColumn{
	{key: "charged_basis", label: "Charged (basis)", width: 14, dec: func(c *billing.ItemCharge) decimal.Decimal { return c.Basis }},
	{key: "billed", label: "Billed (after pricing)", width: 14, dec: func(c *billing.ItemCharge) decimal.Decimal { return c.Billed }},
	{key: "charge_note", label: "Charge note", width: 30, text: chargeNote},
}

// chargeNote says why an item is not billed, or which pricing rule
// applied and in which line it is billed.
func chargeNote(c *billing.ItemCharge) string {
	if !c.Included {
		return "not billed: " + c.Reason
	}
	s := reconLabel(c.Section, c.Service)
	if c.Ruled {
		p := exact(c.Percent)
		if c.Percent.IsPositive() {
			p = "+" + p
		}
		s += "; pricing rule " + p + "%"
	}
	if c.Currency != "" {
		s += "; " + c.Currency
	}
	return s
}

// reconLabel names an invoice line: "Compute / AmazonEC2", or the tax line.
func reconLabel(section billing.ProductType, service string) string {
	if section == "" {
		return service
	}
	return string(section) + " / " + service
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
// exactly, for the reconciliation line under the summary, and their
// billed amounts per invoice line, for the reconciliation block.
type detailTotals struct {
	items int64
	sums  map[string]*money.Sum
	order []string

	charged bool // some item carried its charge
	billed  map[reconKey]*reconSum
	border  []reconKey
}

// reconKey is an invoice line: a service in its section, or a tax line
// (section "").
type reconKey struct {
	section billing.ProductType
	service string
}

type reconSum struct {
	items  int64
	billed decimal.Decimal
}

func (t *detailTotals) add(di DetailItem) {
	it := di.Item
	if t.sums == nil {
		t.sums = map[string]*money.Sum{}
		t.billed = map[reconKey]*reconSum{}
	}
	t.items++
	s := t.sums[it.Currency]
	if s == nil {
		s = &money.Sum{}
		t.sums[it.Currency] = s
		t.order = append(t.order, strings.Clone(it.Currency))
	}
	s.Add(it.UnblendedCost)
	if c := di.Charge; c != nil {
		t.charged = true
		if c.Included {
			k := reconKey{c.Section, c.Service}
			r := t.billed[k]
			if r == nil {
				k.service = strings.Clone(k.service)
				r = &reconSum{}
				t.billed[k] = r
				t.border = append(t.border, k)
			}
			r.items++
			r.billed = r.billed.Add(c.Billed)
		}
	}
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

// reconRow is one line of the reconciliation block: the billed amounts of
// an invoice line's items, summed at full precision, beside the line's
// unrounded and printed amounts.
type reconRow struct {
	key       reconKey
	items     int64
	billed    decimal.Decimal
	unrounded decimal.Decimal
	printed   string // "" when the invoice has no such line
	amount    decimal.Decimal
	check     string
}

// reconciliation compares the items' billed sums with the invoice's own
// figures (f: the stored invoice's, in its currency), line by line in the
// invoice's order, then any line the items have and the invoice does not
// (data changed since the invoice was made). Lines not made of line items
// (support plan, recurring charges, the customer's tax rates) are left out.
// Nil when no item carried its charge.
func (t *detailTotals) reconciliation(f invoice.Figures) []reconRow {
	if !t.charged {
		return nil
	}
	var out []reconRow
	seen := map[reconKey]bool{}
	add := func(k reconKey, unrounded decimal.Decimal, amount billing.Amount, printed string) {
		r := t.billed[k]
		if r == nil {
			return
		}
		seen[k] = true
		row := reconRow{key: k, items: r.items, billed: r.billed, unrounded: unrounded, printed: printed, amount: amount.Decimal()}
		switch {
		case printed == "":
			row.check = "not on the invoice"
		case r.billed.Equal(unrounded):
			row.check = "matches"
		default:
			row.check = "differs by " + exact(r.billed.Sub(unrounded))
		}
		out = append(out, row)
	}
	for _, s := range f.Sections {
		for _, l := range s.Lines {
			add(reconKey{s.ProductType, l.Service}, l.Unrounded, l.Amount, plain(l.Amount, f.Currency))
		}
	}
	for _, tl := range f.TaxLines {
		if tl.Name == billing.ProviderTaxLine {
			add(reconKey{"", tl.Name}, tl.Unrounded, tl.Amount, plain(tl.Amount, f.Currency))
		}
	}
	for _, k := range t.border {
		if !seen[k] {
			add(k, decimal.Zero, billing.Amount{}, "")
		}
	}
	return out
}
