package billing

import (
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
)

// Statement is one customer's month as it would be invoiced: sections of
// rounded service lines, the figures computed from them, and the views
// and traces that explain them. Its JSON is what `rebill report --json`
// prints.
//
// Every figure is printed as is and Total is their sum: the lines (whose
// sum, with the support and recurring lines, is Subtotal), Discount,
// CreditsApplied (negative) and Tax. Support and Marketplace are parts of
// Subtotal shown apart because the discount, support and tax bases exclude
// them.
type Statement struct {
	CustomerID string             `json:"customer_id"`
	Customer   string             `json:"customer_name"`
	Period     string             `json:"period"`
	Currency   string             `json:"currency"`
	Basis      customer.CostBasis `json:"basis"`
	Options    Options            `json:"options"`
	// Accounts are the usage accounts whose line items the statement
	// bills, sorted: the account-months an invoice made from it covers,
	// so that no other customer's invoice bills them again.
	Accounts []string `json:"accounts,omitempty"`
	// AccountDays are the days the customer owned each of Accounts that
	// moved between customers inside the month: its statement bills those
	// days' line items alone (see Config.Transfers).
	AccountDays []AccountDays `json:"account_days,omitempty"`

	Sections       []Section `json:"sections"`
	Subtotal       Amount    `json:"subtotal"`
	Discount       Amount    `json:"discount"`
	Support        Amount    `json:"support"`
	Marketplace    Amount    `json:"marketplace"`
	CreditsApplied Amount    `json:"credits_applied"`
	Tax            Amount    `json:"tax"`
	Total          Amount    `json:"total"`
	// UsageViewTotal is the usage view's total (see UsageView), to compare
	// with the lines it covers.
	UsageViewTotal Amount `json:"usage_view_total"`
	// Unrounded is the total with every figure at full precision (line
	// items converted, rules applied; discount, support and tax computed
	// as on the statement, before their rounding): the sum a DBR-style
	// export of the customer's line items ties out to.
	Unrounded decimal.Decimal `json:"unrounded"`

	Rates          []Rate          `json:"rates"`
	DiscountDetail *DiscountDetail `json:"discount_detail,omitempty"`
	TaxLines       []TaxLine       `json:"tax_lines,omitempty"`
	// CreditUses are the reseller credits this statement spends, for the
	// invoice to record in the ledger once issued (Invoice and At are
	// left for it to fill). CreditsCarried is what stays usable.
	CreditUses     []customer.Use `json:"credit_uses,omitempty"`
	CreditsCarried Amount         `json:"credits_carried"`
	Notes          []string       `json:"notes,omitempty"`

	// Usage and Console are the other views of the same statement.
	Usage   UsageView `json:"-"`
	Console Variance  `json:"-"`
}

// Section is one product type's lines.
type Section struct {
	ProductType ProductType `json:"product_type"`
	Lines       []Line      `json:"lines"`
	Subtotal    Amount      `json:"subtotal"`
}

// Line is one printed service line: one product code in its section, a
// support plan or a recurring charge.
type Line struct {
	// Service is the product code (AmazonEC2), the support plan or the
	// recurring charge's description; Name is the product's name and, for
	// Marketplace, its seller.
	Service   string          `json:"service"`
	Name      string          `json:"name,omitempty"`
	Amount    Amount          `json:"amount"`
	Unrounded decimal.Decimal `json:"unrounded"`
	Trace     *Trace          `json:"trace,omitempty"`
}

// DiscountDetail is how the global discount or uplift was computed.
type DiscountDetail struct {
	Percent   decimal.Decimal `json:"percent"`
	Base      decimal.Decimal `json:"base"`
	Unrounded decimal.Decimal `json:"unrounded"`
}

// TaxLine is one tax on the statement: one of the customer's rates, or the
// provider's Tax lines passed through.
type TaxLine struct {
	Name      string          `json:"name"`
	Percent   decimal.Decimal `json:"percent"`
	Base      decimal.Decimal `json:"base"`
	Unrounded decimal.Decimal `json:"unrounded"`
	Amount    Amount          `json:"amount"`
}

// Statement computes a customer's statement for the month and one
// provider (opt.Provider, AWS when empty; Month.Providers lists the
// customer's): only that provider's line items are on it. ledger is the
// customer's reseller credits, used only with opt.Credits. It fails on an
// invalid option or plan and when an exchange rate the statement needs is
// missing (a *RateError).
func (m *Month) Statement(c customer.Customer, ledger Ledger, opt Options) (*Statement, error) {
	m.seal()
	b, err := m.newBuilder(c, opt)
	if err != nil {
		return nil, err
	}
	accounts := map[string]bool{}
	for _, bk := range m.bucketsOf(c.ID, b.provider) {
		b.addBucket(bk)
		accounts[bk.key.account] = true
	}
	b.addRecurring()
	if err := b.convert(); err != nil {
		return nil, err
	}
	if err := b.addSupport(); err != nil {
		return nil, err
	}
	st := b.statement(ledger)
	st.Usage = b.usageView(st)
	st.UsageViewTotal = st.Usage.Total
	st.Console = b.variance(st)
	for a := range accounts {
		st.Accounts = append(st.Accounts, a)
	}
	sort.Strings(st.Accounts)
	for _, a := range st.Accounts {
		if d, ok := DaysOwned(m.cfg.Transfers[a], c.ID, m.cfg.Period); ok {
			d.Account = a
			st.AccountDays = append(st.AccountDays, d)
			st.Notes = append(st.Notes, d.String())
		}
	}
	return st, nil
}

// AccountDays are the days, from From until Until (YYYY-MM-DD, both
// included), a customer owned an account that moved inside a month.
type AccountDays struct {
	Account string `json:"account"`
	From    string `json:"from"`
	Until   string `json:"until"`
}

// String words the days as the statement prints them: "account
// 111111111111 from 2025-03-15", "account 111111111111 until 2025-03-14",
// or both.
func (d AccountDays) String() string {
	s := "account " + d.Account
	t, _ := time.Parse(time.DateOnly, d.From)
	if t.Day() != 1 {
		s += " from " + d.From
	}
	if t.AddDate(0, 1, -t.Day()).Format(time.DateOnly) != d.Until {
		s += " until " + d.Until
	}
	return s
}

// Overlaps reports whether two spans of days share one.
func (d AccountDays) Overlaps(o AccountDays) bool {
	return d.Account == o.Account && d.From <= o.Until && o.From <= d.Until
}

// DaysOwned is the span of a YYYY-MM month a customer owned a moved
// account in, from its owners by day (customer.TransfersIn); ok is false
// when the account did not move that month or the customer did not own
// it. A customer owning it twice in a month (moved away and back) is
// given the span from its first to its last day.
func DaysOwned(owners []customer.DayOwner, customerID, period string) (AccountDays, bool) {
	var d AccountDays
	for i, o := range owners {
		if o.Customer != customerID {
			continue
		}
		if d.From == "" {
			d.From = o.From
		}
		d.Until = lastOfMonth(period)
		if i+1 < len(owners) {
			t, _ := time.Parse(time.DateOnly, owners[i+1].From)
			d.Until = t.AddDate(0, 0, -1).Format(time.DateOnly)
		}
	}
	return d, d.From != ""
}

func lastOfMonth(period string) string {
	t, _ := time.Parse("2006-01", period)
	return t.AddDate(0, 1, -1).Format(time.DateOnly)
}

// statement assembles the sections and computes the figures that follow
// from the rounded lines, each rounded once, in the order they depend on
// each other: discount, provider tax, reseller credits, the customer's tax.
// The total is the sum of what is printed.
func (b *builder) statement(ledger Ledger) *Statement {
	cur := b.currency
	st := &Statement{CustomerID: b.c.ID, Customer: b.c.Name, Period: b.m.cfg.Period, Currency: cur,
		Basis: b.basis, Options: b.opt, Rates: append([]Rate{}, b.rates.used...),
		Discount: zero(cur), CreditsApplied: zero(cur), CreditsCarried: zero(cur), Tax: zero(cur)}
	st.Sections = b.sections()
	st.Subtotal = zero(cur)
	for _, s := range st.Sections {
		st.Subtotal = st.Subtotal.Add(s.Subtotal)
	}
	st.Marketplace = b.sumRole(roleMarketplace)
	st.Support = b.sumRole(roleSupport)
	b.discount(st)
	if b.opt.Tax && b.opt.ProviderTax == PassThroughTax {
		b.passThroughTax(st)
	}
	if b.opt.Credits {
		b.applyCredits(st, ledger)
	} else {
		// Nothing is spent, but the accountant still sees what could be:
		// what stays usable is the whole balance.
		st.CreditsCarried = ledger.Available(b.c.ID, b.m.cfg.Period, cur)
	}
	if b.opt.Tax && b.opt.ProviderTax == ReplaceTax {
		b.customerTax(st)
	}
	st.Total = sumAmounts(cur, st.Subtotal, st.Discount, st.CreditsApplied, st.Tax)
	st.Unrounded = unrounded(st)
	b.noteUnknownBuyer()
	st.Notes = b.notes
	return st
}

// unrounded is the statement's total with every figure at full precision.
func unrounded(st *Statement) decimal.Decimal {
	u := st.CreditsApplied.Decimal()
	for _, s := range st.Sections {
		for _, l := range s.Lines {
			u = u.Add(l.Unrounded)
		}
	}
	if st.DiscountDetail != nil {
		u = u.Add(st.DiscountDetail.Unrounded)
	}
	for _, t := range st.TaxLines {
		u = u.Add(t.Unrounded)
	}
	return u
}

// charges is what reseller credits and tax apply to: the lines and the
// discount.
func (st *Statement) charges() Amount { return st.Subtotal.Add(st.Discount) }

// taxable is the charges without Marketplace, which is never taxed.
func (st *Statement) taxable() Amount { return st.charges().Add(st.Marketplace.Neg()) }
