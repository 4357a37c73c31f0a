package ledger

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
)

// Mapping says which ledger account every part of a document is booked to.
// The defaults follow DATEV's SKR03 chart (revenue 8400, customer
// receivables from 10000), which a bookkeeper using another chart or
// program replaces in Settings > Ledger accounts.
type Mapping struct {
	// Revenue is the revenue account per product type (the invoice's
	// sections); a type without one is booked to DefaultRevenue.
	Revenue        map[billing.ProductType]string `json:"revenue,omitempty"`
	DefaultRevenue string                         `json:"default_revenue"`
	// Discount takes the global discount or uplift; Credits the reseller
	// credits an invoice spends (they settle part of it, so they are not
	// revenue reductions of the month's services).
	Discount string `json:"discount"`
	Credits  string `json:"credits"`
	// Taxes map a tax rate (its percent) to the account its tax is booked
	// to and the code the accounting program knows the rate by (DATEV's
	// BU-Schlüssel, Xero's tax type, QuickBooks' tax code). DefaultTax is
	// used for a rate not listed and for the provider's tax passed through.
	Taxes      []TaxAccount `json:"taxes,omitempty"`
	DefaultTax TaxAccount   `json:"default_tax"`
	// UntaxedCode is the tax code of lines no tax applies to (Marketplace,
	// and every line of a customer without a tax rate): Xero and QuickBooks
	// need one on every line, DATEV none.
	UntaxedCode string `json:"untaxed_code,omitempty"`
	// Receivables is the receivable (debtor) account per customer id; a
	// customer without one is booked to DefaultReceivable.
	Receivables       map[string]string `json:"receivables,omitempty"`
	DefaultReceivable string            `json:"default_receivable"`
	// DATEV's batch header: the tax adviser's and client's numbers, the
	// first month of the fiscal year (1-12), the length of general ledger
	// accounts (4-8; debtors have one digit more) and the chart ("03" for
	// SKR03, "04" for SKR04, "" when neither).
	Consultant    string `json:"datev_consultant"`
	Client        string `json:"datev_client"`
	FiscalStart   int    `json:"datev_fiscal_year_start"`
	AccountLength int    `json:"datev_account_length"`
	Chart         string `json:"datev_chart"`
}

// TaxAccount is where one tax rate is booked.
type TaxAccount struct {
	Percent decimal.Decimal `json:"percent"`
	Account string          `json:"account"`
	Code    string          `json:"code"`
}

// DefaultMapping is the mapping until the accountant saves one: SKR03's
// revenue account 8400, discounts to 8700 (Erlösschmälerungen), credits
// to 8700 as well, VAT to 1776, every customer to debtor 10000, and
// DATEV's test consultant 1001 and client 1 (DATEV refuses a consultant
// number below 1001).
func DefaultMapping() Mapping {
	return Mapping{DefaultRevenue: "8400", Discount: "8700", Credits: "8700",
		DefaultTax: TaxAccount{Account: "1776"}, DefaultReceivable: "10000",
		Consultant: "1001", Client: "1", FiscalStart: 1, AccountLength: 4, Chart: "03"}
}

// Normalize fills empty fields with the defaults, so a mapping saved by
// an older Rebill or half filled in still books everything somewhere.
func (m Mapping) Normalize() Mapping {
	d := DefaultMapping()
	for _, f := range []struct {
		v *string
		d string
	}{{&m.DefaultRevenue, d.DefaultRevenue}, {&m.Discount, d.Discount},
		{&m.Credits, d.Credits}, {&m.DefaultTax.Account, d.DefaultTax.Account}, {&m.DefaultReceivable, d.DefaultReceivable},
		{&m.Consultant, d.Consultant}, {&m.Client, d.Client}} {
		if strings.TrimSpace(*f.v) == "" {
			*f.v = f.d
		}
		*f.v = strings.TrimSpace(*f.v)
	}
	if m.FiscalStart == 0 {
		m.FiscalStart = d.FiscalStart
	}
	if m.AccountLength == 0 {
		m.AccountLength = d.AccountLength
	}
	// Clone what is edited below, so that normalizing never changes the
	// caller's mapping.
	m.Revenue, m.Receivables, m.Taxes = maps.Clone(m.Revenue), maps.Clone(m.Receivables), slices.Clone(m.Taxes)
	for t, a := range m.Revenue {
		if strings.TrimSpace(a) == "" {
			delete(m.Revenue, t)
		}
	}
	for c, a := range m.Receivables {
		if strings.TrimSpace(a) == "" {
			delete(m.Receivables, c)
		}
	}
	slices.SortFunc(m.Taxes, func(a, b TaxAccount) int { return a.Percent.Cmp(b.Percent) })
	return m
}

var accountPattern = regexp.MustCompile(`^[0-9A-Za-z.\-]{1,20}$`)

// Validate refuses a mapping an export could not use, naming the field
// to correct.
func (m Mapping) Validate() error {
	check := func(what, a string) error {
		if !accountPattern.MatchString(a) {
			return fmt.Errorf("%s account %q is not an account number (digits and letters, up to 20)", what, a)
		}
		return nil
	}
	for _, t := range sortedTypes(m.Revenue) {
		if err := check("the "+string(t)+" revenue", m.Revenue[t]); err != nil {
			return err
		}
	}
	for _, c := range []struct{ what, a string }{{"the default revenue", m.DefaultRevenue}, {"the discount", m.Discount},
		{"the credits", m.Credits}, {"the default tax", m.DefaultTax.Account}, {"the default receivable", m.DefaultReceivable}} {
		if err := check(c.what, c.a); err != nil {
			return err
		}
	}
	seen := map[string]bool{}
	for _, t := range m.Taxes {
		if t.Percent.IsNegative() {
			return fmt.Errorf("tax rate %s%% is negative", t.Percent)
		}
		if seen[t.Percent.String()] {
			return fmt.Errorf("tax rate %s%% is mapped twice; keep one", t.Percent)
		}
		seen[t.Percent.String()] = true
		if err := check("the "+t.Percent.String()+"% tax", t.Account); err != nil {
			return err
		}
	}
	for _, c := range sortedKeys(m.Receivables) {
		if err := check("customer "+c+"'s receivable", m.Receivables[c]); err != nil {
			return err
		}
	}
	switch {
	case m.FiscalStart < 1 || m.FiscalStart > 12:
		return fmt.Errorf("the fiscal year's first month %d is not 1 to 12", m.FiscalStart)
	case m.AccountLength < 4 || m.AccountLength > 8:
		return fmt.Errorf("the DATEV account length %d is not 4 to 8 (DATEV's Sachkontenlänge)", m.AccountLength)
	case m.Chart != "" && m.Chart != "03" && m.Chart != "04":
		return fmt.Errorf("the DATEV chart %q is not 03 (SKR03), 04 (SKR04) or empty", m.Chart)
	}
	return nil
}

// RevenueFor is the revenue account of a product type.
func (m Mapping) RevenueFor(t billing.ProductType) string {
	if a, ok := m.Revenue[t]; ok {
		return a
	}
	return m.DefaultRevenue
}

// TaxFor is the account and code of a tax rate; percent zero is the
// provider's tax passed through, booked to the default.
func (m Mapping) TaxFor(percent decimal.Decimal) TaxAccount {
	for _, t := range m.Taxes {
		if t.Percent.Equal(percent) {
			return t
		}
	}
	d := m.DefaultTax
	d.Percent = percent
	return d
}

// ReceivableFor is the debtor account of a customer.
func (m Mapping) ReceivableFor(customerID string) string {
	if a, ok := m.Receivables[customerID]; ok {
		return a
	}
	return m.DefaultReceivable
}

func sortedTypes(m map[billing.ProductType]string) []billing.ProductType {
	out := make([]billing.ProductType, 0, len(m))
	for t := range m {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
