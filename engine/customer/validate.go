package customer

import (
	"fmt"
	"net/mail"
	"strings"

	"rebill/engine/money"
)

// MaxIDLength bounds customer ids: they are typed, printed in invoice
// lists and used as keys, so they stay short.
const MaxIDLength = 32

// CheckID explains what is wrong with a customer id, or returns nil. Ids
// are letters, digits, '-' and '_' so that they survive file names,
// spreadsheets and command lines unquoted.
func CheckID(id string) error {
	if id == "" {
		return fmt.Errorf("id is empty: choose a short code such as ACME")
	}
	if len(id) > MaxIDLength {
		return fmt.Errorf("id %q is %d characters long: keep it to %d at most", id, len(id), MaxIDLength)
	}
	for _, c := range id {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return fmt.Errorf("id %q contains %q: use only letters, digits, '-' and '_'", id, c)
		}
	}
	return nil
}

// GroupSeparator separates the two levels of a customer group, as in
// "EMEA / Enterprise".
const GroupSeparator = " / "

// GroupPath returns the levels of the customer's group: none, one
// ("Americas") or two ("EMEA", "Enterprise"), for the grouped list.
func (c *Customer) GroupPath() []string {
	if strings.TrimSpace(c.Group) == "" {
		return nil
	}
	parts := strings.Split(c.Group, "/")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// Normalize tidies what people type without changing what they meant:
// surrounding spaces go, the currency is upper-cased, blank address lines
// are dropped, the group is written "A / B", and an empty support plan or
// cost basis takes its default (none, re-rated). The store normalizes
// before validating, so that a CSV export and re-import give the same
// bytes.
func (c *Customer) Normalize() {
	for _, s := range []*string{&c.ID, &c.Name, &c.Contact.Name, &c.Contact.Email, &c.Contact.Phone,
		&c.Contact.Country, &c.TaxNumber, &c.Notes} {
		*s = strings.TrimSpace(*s)
	}
	c.Notes = strings.ReplaceAll(c.Notes, "\r\n", "\n")
	c.Currency = strings.ToUpper(strings.TrimSpace(c.Currency))
	if p := c.GroupPath(); p != nil {
		c.Group = strings.Join(p, GroupSeparator)
	} else {
		c.Group = ""
	}
	c.Contact.Address = normalizeLines(c.Contact.Address)
	c.EInvoice.normalize()
	if c.Support == "" {
		c.Support = SupportNone
	}
	if c.Basis == "" {
		c.Basis = BasisRerated
	}
	if c.TaxRates == nil {
		c.TaxRates = []TaxRate{}
	}
	for i := range c.TaxRates {
		c.TaxRates[i].Name = strings.TrimSpace(c.TaxRates[i].Name)
	}
	if c.PricingRules == nil {
		c.PricingRules = []PricingRule{}
	}
	for i := range c.PricingRules {
		r := &c.PricingRules[i]
		for _, s := range []*string{&r.Provider, &r.BillingEntity, &r.ProductCode, &r.UsageType} {
			*s = strings.TrimSpace(*s)
		}
	}
	if c.Recurring == nil {
		c.Recurring = []RecurringCharge{}
	}
	for i := range c.Recurring {
		r := &c.Recurring[i]
		r.Description, r.From, r.Until = strings.TrimSpace(r.Description), strings.TrimSpace(r.From), strings.TrimSpace(r.Until)
	}
}

// normalizeLines trims address lines and drops the blank ones; it never
// returns nil, so that JSON shows [] rather than null.
func normalizeLines(lines []string) []string {
	out := []string{}
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Validate checks everything about the customer that does not need the
// rest of the database (duplicate ids are the store's to refuse). It
// returns nil or Problems, naming each field by its Fields name.
func (c *Customer) Validate() error {
	var ps problems
	ps.addErr("id", CheckID(c.ID))
	if strings.TrimSpace(c.Name) == "" {
		ps.add("name", "name is empty: write the customer's name as it should appear on invoices")
	}
	if p := c.GroupPath(); len(p) > 2 {
		ps.add("group", "group %q has %d levels: use at most two, as in \"EMEA / Enterprise\"", c.Group, len(p))
	} else {
		for _, part := range p {
			if part == "" {
				ps.add("group", "group %q has an empty level: write it as \"Region\" or \"Region / Tier\"", c.Group)
				break
			}
		}
	}
	ps.addErr("email", checkEmail(c.Contact.Email))
	ps.addErr("address", checkLines("address", c.Contact.Address))
	c.EInvoice.validate(&ps)
	ps.addErr("currency", CheckCurrency("currency", c.Currency))
	if c.TermsDays < 0 {
		ps.add("payment_terms_days", "payment terms of %d days are negative: write 0 for payment due on receipt", c.TermsDays)
	}
	seen := map[string]bool{}
	for _, t := range c.TaxRates {
		switch {
		case strings.TrimSpace(t.Name) == "":
			ps.add("tax_rates", "a tax rate of %s%% has no name: name it as the invoice should show it, e.g. \"VAT 20%%\"", t.Percent)
		case seen[t.Name]:
			ps.add("tax_rates", "tax rate %q is listed twice: keep one", t.Name)
		}
		seen[t.Name] = true
		ps.addErr("tax_rates", checkPercent(fmt.Sprintf("tax rate %q", t.Name), t.Percent))
	}
	if !knownPlan(c.Support) {
		ps.add("support_plan", "support plan %q is unknown: use one of %s", c.Support, joinPlans())
	}
	ps.addErr("support_flat_percent", checkPercent("flat support percentage", c.SupportFlat))
	c.validateSupport(&ps)
	c.validateTerms(&ps)
	ps.addErr("adjustment_percent", checkPercent("adjustment", c.Adjustment))
	crit := map[[4]string]bool{}
	for _, r := range c.PricingRules {
		k := r.criteria()
		switch {
		case k == [4]string{}:
			ps.add("pricing_rules", "a pricing rule of %s%% matches everything: give it a provider, billing entity, product code or usage type, or use the adjustment percentage instead", r.Percent)
		case crit[k]:
			ps.add("pricing_rules", "two pricing rules match %s: keep one", r.describe())
		}
		crit[k] = true
		ps.addErr("pricing_rules", checkPercent("pricing rule for "+r.describe(), r.Percent))
	}
	units, known := money.MinorUnits(c.Currency)
	for _, rc := range c.Recurring {
		ps.addErr("recurring", rc.validate())
		if known && !rc.Amount.Equal(rc.Amount.Round(int32(units))) {
			ps.add("recurring", "recurring charge %q of %s has more decimals than %s allows (%d): round it", rc.Description, rc.Amount, c.Currency, units)
		}
	}
	if !knownBasis(c.Basis) {
		ps.add("cost_basis", "cost basis %q is unknown: use one of %s", c.Basis, joinBases())
	}
	return ps.err()
}

// CheckCurrency explains a currency that is not an ISO 4217 code with
// minor units, or returns nil; what names the field in the message.
func CheckCurrency(what, code string) error {
	if code == "" {
		return fmt.Errorf("%s is empty: write an ISO 4217 code such as USD or EUR", what)
	}
	if _, ok := money.MinorUnits(code); !ok {
		return fmt.Errorf("%s %q is not an ISO 4217 currency code: use one such as USD, EUR, GBP or JPY", what, code)
	}
	return nil
}

func checkEmail(s string) error {
	if s == "" {
		return nil
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s {
		return fmt.Errorf("email %q is not an email address: write it as name@example.com", s)
	}
	return nil
}

func checkLines(what string, lines []string) error {
	for i, l := range lines {
		if strings.TrimSpace(l) == "" {
			return fmt.Errorf("%s line %d is empty: remove it", what, i+1)
		}
		if strings.ContainsAny(l, "\r\n") {
			return fmt.Errorf("%s line %d contains a line break: make it two lines", what, i+1)
		}
	}
	return nil
}

func (r RecurringCharge) validate() error {
	name := fmt.Sprintf("recurring charge %q", r.Description)
	switch {
	case strings.TrimSpace(r.Description) == "":
		return fmt.Errorf("a recurring charge of %s has no description: describe it as the invoice line should read", r.Amount)
	case r.Amount.IsZero():
		return fmt.Errorf("%s has a zero amount: write a positive charge or a negative credit", name)
	}
	if err := CheckMonth(name+" from", r.From); err != nil {
		return err
	}
	if r.Until != "" {
		if err := CheckMonth(name+" until", r.Until); err != nil {
			return err
		}
		if r.Until < r.From {
			return fmt.Errorf("%s ends (%s) before it starts (%s): check the months", name, r.Until, r.From)
		}
	}
	return nil
}

func knownPlan(p SupportPlan) bool {
	for _, q := range SupportPlans {
		if p == q {
			return true
		}
	}
	return false
}

func joinPlans() string {
	s := make([]string, len(SupportPlans))
	for i, p := range SupportPlans {
		s[i] = string(p)
	}
	return strings.Join(s, ", ")
}

func knownBasis(b CostBasis) bool {
	for _, q := range CostBases {
		if b == q {
			return true
		}
	}
	return false
}

func joinBases() string {
	s := make([]string, len(CostBases))
	for i, b := range CostBases {
		s[i] = string(b)
	}
	return strings.Join(s, ", ")
}
