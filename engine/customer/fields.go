package customer

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/money"
)

// Field is one customer setting under the one name the CSV file, the
// command line, validation problems and forms all use, with its text form.
// Keeping the text form in one table means a CSV cell and a command-line
// flag are read by the same code and always agree.
type Field struct {
	Name string // CSV column and Problem.Field, e.g. "payment_terms_days"
	Flag string // command-line flag, e.g. "terms"
	Doc  string // what the text is, for help and documentation
	get  func(c *Customer) string
	set  func(c *Customer, v string) error
}

// Get returns the field's text form.
func (f Field) Get(c *Customer) string { return f.get(c) }

// Set reads the field's text form into c. It checks the syntax only;
// Validate checks the value.
func (f Field) Set(c *Customer, v string) error { return f.set(c, v) }

// Examples of the list syntax (see cells.go), shared by docs and messages.
const (
	taxRatesExample  = "NAME=PERCENT, e.g. VAT 20%=20;Reduced=5.5"
	rulesExample     = "PROVIDER|BILLING_ENTITY|PRODUCT_CODE|USAGE_TYPE=PERCENT, empty parts match anything, e.g. aws||AmazonEC2|=-10"
	recurringExample = "DESCRIPTION|FROM|UNTIL=AMOUNT, UNTIL may be empty, e.g. Managed service|2024-01|=250"
	addressExample   = "lines separated by ';', e.g. 1 Main Street;Springfield IL 62701"
)

// Fields lists every customer setting in CSV column order.
var Fields = append([]Field{
	text("id", "id", "short code, letters, digits, '-' and '_', at most 32", func(c *Customer) *string { return &c.ID }),
	text("name", "name", "name as printed on invoices", func(c *Customer) *string { return &c.Name }),
	text("group", "group", "group for the customer list, one level of nesting: \"EMEA / Enterprise\"", func(c *Customer) *string { return &c.Group }),
	text("contact_name", "contact", "billing contact's name", func(c *Customer) *string { return &c.Contact.Name }),
	text("email", "email", "billing contact's email", func(c *Customer) *string { return &c.Contact.Email }),
	text("phone", "phone", "billing contact's phone", func(c *Customer) *string { return &c.Contact.Phone }),
	{Name: "address", Flag: "address", Doc: "billing address, " + addressExample,
		get: func(c *Customer) string { return formatLines(c.Contact.Address) },
		set: func(c *Customer, v string) (err error) { c.Contact.Address, err = parseLines(v); return err }},
	text("country", "country", "billing country", func(c *Customer) *string { return &c.Contact.Country }),
	text("tax_number", "tax-number", "customer's VAT or tax number", func(c *Customer) *string { return &c.TaxNumber }),
	text("currency", "currency", "invoice currency, ISO 4217 (default: the reseller profile's)", func(c *Customer) *string { return &c.Currency }),
	{Name: "payment_terms_days", Flag: "terms", Doc: "payment terms in days, 0 = on receipt (default: the reseller profile's)",
		get: func(c *Customer) string { return strconv.Itoa(c.TermsDays) },
		set: func(c *Customer, v string) error {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				return fmt.Errorf("payment terms %q are not a whole number of days", v)
			}
			c.TermsDays = n
			return nil
		}},
	{Name: "tax_rates", Flag: "tax-rates", Doc: "sales tax or VAT rates, " + taxRatesExample,
		get: func(c *Customer) string {
			items := make([]listItem, len(c.TaxRates))
			for i, t := range c.TaxRates {
				items[i] = listItem{parts: []string{t.Name}, value: t.Percent.String(), hasValue: true}
			}
			return formatList(items)
		},
		set: func(c *Customer, v string) error {
			items, err := parseList(v, 1, true, "tax rate", taxRatesExample)
			if err != nil {
				return err
			}
			c.TaxRates = make([]TaxRate, len(items))
			for i, it := range items {
				c.TaxRates[i].Name = it.parts[0]
				if c.TaxRates[i].Percent, err = parsePercent("tax rate "+strconv.Quote(it.parts[0]), it.value); err != nil {
					return err
				}
			}
			return nil
		}},
	{Name: "support_plan", Flag: "support", Doc: "support plan: " + joinPlans(),
		get: func(c *Customer) string { return string(c.Support) },
		set: func(c *Customer, v string) error { c.Support = SupportPlan(strings.TrimSpace(v)); return nil }},
	percent("support_flat_percent", "support-percent", "percentage of the charges for the flat support plan",
		func(c *Customer) *decimal.Decimal { return &c.SupportFlat }),
	percent("adjustment_percent", "adjustment", "global discount (negative) or uplift (positive) percentage, marketplace excluded",
		func(c *Customer) *decimal.Decimal { return &c.Adjustment }),
	{Name: "pricing_rules", Flag: "rules", Doc: "markups and discounts, the most specific wins, " + rulesExample,
		get: func(c *Customer) string {
			items := make([]listItem, len(c.PricingRules))
			for i, r := range c.PricingRules {
				k := r.criteria()
				items[i] = listItem{parts: k[:], value: r.Percent.String(), hasValue: true}
			}
			return formatList(items)
		},
		set: func(c *Customer, v string) error {
			items, err := parseList(v, 4, true, "pricing rule", rulesExample)
			if err != nil {
				return err
			}
			c.PricingRules = make([]PricingRule, len(items))
			for i, it := range items {
				r := PricingRule{Provider: it.parts[0], BillingEntity: it.parts[1], ProductCode: it.parts[2], UsageType: it.parts[3]}
				if r.Percent, err = parsePercent("pricing rule for "+r.describe(), it.value); err != nil {
					return err
				}
				c.PricingRules[i] = r
			}
			return nil
		}},
	{Name: "recurring", Flag: "recurring", Doc: "monthly custom charges (positive) or credits (negative) in the invoice currency, " + recurringExample,
		get: func(c *Customer) string {
			items := make([]listItem, len(c.Recurring))
			for i, r := range c.Recurring {
				items[i] = listItem{parts: []string{r.Description, r.From, r.Until}, value: r.Amount.String(), hasValue: true}
			}
			return formatList(items)
		},
		set: func(c *Customer, v string) error {
			items, err := parseList(v, 3, true, "recurring charge", recurringExample)
			if err != nil {
				return err
			}
			c.Recurring = make([]RecurringCharge, len(items))
			for i, it := range items {
				r := RecurringCharge{Description: it.parts[0], From: it.parts[1], Until: it.parts[2]}
				if r.Amount, err = money.Parse([]byte(it.value)); err != nil || it.value == "" {
					return fmt.Errorf("recurring charge %q: amount %q is not a number", r.Description, it.value)
				}
				c.Recurring[i] = r
			}
			return nil
		}},
	{Name: "cost_basis", Flag: "basis", Doc: "cost the customer is billed on: " + joinBases(),
		get: func(c *Customer) string { return string(c.Basis) },
		set: func(c *Customer, v string) error { c.Basis = CostBasis(strings.TrimSpace(v)); return nil }},
	text("notes", "notes", "free notes, never printed", func(c *Customer) *string { return &c.Notes }),
	{Name: "support_changes", Flag: "support-changes", Doc: "support plan changes from a month on, " + supportChangesExample,
		get: func(c *Customer) string { return formatSupportChanges(c.SupportChanges) },
		set: func(c *Customer, v string) (err error) { c.SupportChanges, err = parseSupportChanges(v); return err }},
	{Name: "provider_discounts", Flag: "provider-discounts", Doc: "provider discounts (EDP, private pricing, bundled, SPP): " + joinModes() + "; empty follows the reseller's setting",
		get: func(c *Customer) string { return string(c.ProviderDiscounts) },
		set: func(c *Customer, v string) (err error) { c.ProviderDiscounts, err = ParseDiscountMode(v); return err }},
	text("price_table", "price-table", "the reseller's volume price table the customer's own usage is re-priced through (rebill price-tables list); empty for none",
		func(c *Customer) *string { return &c.PriceTable }),
}, eInvoiceFields...)

// FieldNamed returns the field with that CSV column name.
func FieldNamed(name string) (Field, bool) {
	for _, f := range Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

func text(name, flag, doc string, ptr func(*Customer) *string) Field {
	return Field{Name: name, Flag: flag, Doc: doc,
		get: func(c *Customer) string { return *ptr(c) },
		set: func(c *Customer, v string) error { *ptr(c) = v; return nil }}
}

func percent(name, flag, doc string, ptr func(*Customer) *decimal.Decimal) Field {
	return Field{Name: name, Flag: flag, Doc: doc + ", e.g. -5 or 12.5",
		get: func(c *Customer) string { return ptr(c).String() },
		set: func(c *Customer, v string) (err error) {
			*ptr(c), err = parsePercent(strings.ReplaceAll(name, "_", " "), v)
			return err
		}}
}

// parsePercent reads a percentage, with or without a trailing '%'; an
// empty text is zero.
func parsePercent(what, v string) (decimal.Decimal, error) {
	d, err := money.Parse([]byte(strings.TrimSuffix(strings.TrimSpace(v), "%")))
	if err != nil {
		return decimal.Zero, fmt.Errorf("%s %q is not a percentage: write a number such as -5 or 12.5", what, v)
	}
	return d, nil
}

func formatLines(lines []string) string {
	items := make([]listItem, len(lines))
	for i, l := range lines {
		items[i] = listItem{parts: []string{l}}
	}
	return formatList(items)
}

func parseLines(v string) ([]string, error) {
	// A line break separates lines as ';' does: what a value typed over
	// several lines in a terminal, or a spreadsheet's multi-line cell,
	// means.
	v = strings.NewReplacer("\r\n", ";", "\n", ";", "\r", ";").Replace(v)
	items, err := parseList(v, 1, false, "address", addressExample)
	if err != nil {
		return nil, err
	}
	lines := make([]string, len(items))
	for i, it := range items {
		lines[i] = it.parts[0]
	}
	return lines, nil
}

// Defaults are what a customer starts from when a setting is not given:
// the reseller profile's currency and payment terms.
type Defaults struct {
	Currency  string
	TermsDays int
}

// New returns a customer with the defaults filled in: the profile's
// currency and terms, no support plan, the re-rated cost basis.
func (d Defaults) New() Customer {
	return Customer{Currency: d.Currency, TermsDays: d.TermsDays, Support: SupportNone, Basis: BasisRerated,
		Contact: Contact{Address: []string{}}, TaxRates: []TaxRate{}, PricingRules: []PricingRule{}, Recurring: []RecurringCharge{}}
}
