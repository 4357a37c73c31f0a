package customer

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// valid is a customer that passes Validate; each case breaks one thing.
func valid() Customer {
	return Customer{
		ID: "ACME", Name: "Acme Corp", Group: "EMEA / Enterprise",
		Contact:  Contact{Name: "Ann", Email: "billing@acme.example", Address: []string{"1 Main St", "Springfield"}, Country: "US"},
		Currency: "USD", TermsDays: 30,
		TaxRates: []TaxRate{{Name: "VAT 20%", Percent: dec("20")}},
		Support:  SupportFlat, SupportFlat: dec("5"), Adjustment: dec("-3.5"),
		PricingRules: []PricingRule{{Provider: "aws", ProductCode: "AmazonEC2", Percent: dec("10")}},
		Recurring:    []RecurringCharge{{Description: "Managed service", Amount: dec("250"), From: "2024-01"}},
		Basis:        BasisRerated,
	}
}

func TestValidCustomerPasses(t *testing.T) {
	c := valid()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestCustomerValidate(t *testing.T) {
	cases := []struct {
		name   string
		break_ func(c *Customer)
		field  string
		want   string // part of the message
	}{
		{"empty id", func(c *Customer) { c.ID = "" }, "id", "id is empty"},
		{"id with a space", func(c *Customer) { c.ID = "AC ME" }, "id", `contains ' '`},
		{"id with a dot", func(c *Customer) { c.ID = "acme.com" }, "id", `contains '.'`},
		{"id of 33 characters", func(c *Customer) { c.ID = strings.Repeat("A", 33) }, "id", "33 characters long"},
		{"empty name", func(c *Customer) { c.Name = "" }, "name", "name is empty"},
		{"blank name", func(c *Customer) { c.Name = "   " }, "name", "name is empty"},
		{"three group levels", func(c *Customer) { c.Group = "EMEA / Enterprise / Gold" }, "group", "3 levels"},
		{"empty group level", func(c *Customer) { c.Group = "EMEA / " }, "group", "empty level"},
		{"bad email", func(c *Customer) { c.Contact.Email = "billing at acme" }, "email", "not an email address"},
		{"named email", func(c *Customer) { c.Contact.Email = "Ann <ann@acme.example>" }, "email", "not an email address"},
		{"blank address line", func(c *Customer) { c.Contact.Address = []string{"1 Main St", " "} }, "address", "line 2 is empty"},
		{"empty currency", func(c *Customer) { c.Currency = "" }, "currency", "currency is empty"},
		{"unknown currency", func(c *Customer) { c.Currency = "EUX" }, "currency", `"EUX" is not an ISO 4217 currency code`},
		{"lower-case currency", func(c *Customer) { c.Currency = "usd" }, "currency", "not an ISO 4217"},
		{"negative terms", func(c *Customer) { c.TermsDays = -1 }, "payment_terms_days", "-1 days are negative"},
		{"unnamed tax rate", func(c *Customer) { c.TaxRates = []TaxRate{{Percent: dec("7")}} }, "tax_rates", "has no name"},
		{"duplicate tax rate", func(c *Customer) { c.TaxRates = append(c.TaxRates, c.TaxRates[0]) }, "tax_rates", "listed twice"},
		{"tax rate above 1000", func(c *Customer) { c.TaxRates[0].Percent = dec("1000.01") }, "tax_rates", "1000.01% is outside -100..1000%"},
		{"tax rate below -100", func(c *Customer) { c.TaxRates[0].Percent = dec("-101") }, "tax_rates", "outside -100..1000%"},
		{"unknown support plan", func(c *Customer) { c.Support = "gold" }, "support_plan", `"gold" is unknown`},
		{"flat support above 1000", func(c *Customer) { c.SupportFlat = dec("1001") }, "support_flat_percent", "outside -100..1000%"},
		{"adjustment below -100", func(c *Customer) { c.Adjustment = dec("-100.5") }, "adjustment_percent", "adjustment: -100.5% is outside"},
		{"rule above 1000", func(c *Customer) { c.PricingRules[0].Percent = dec("2000") }, "pricing_rules", "product code AmazonEC2: 2000%"},
		{"rule without criteria", func(c *Customer) { c.PricingRules = []PricingRule{{Percent: dec("5")}} }, "pricing_rules", "matches everything"},
		{"two rules with the same criteria", func(c *Customer) {
			c.PricingRules = append(c.PricingRules, PricingRule{Provider: "aws", ProductCode: "AmazonEC2", Percent: dec("1")})
		}, "pricing_rules", "two pricing rules match provider aws, product code AmazonEC2"},
		{"recurring without description", func(c *Customer) { c.Recurring[0].Description = "" }, "recurring", "has no description"},
		{"recurring of zero", func(c *Customer) { c.Recurring[0].Amount = decimal.Zero }, "recurring", "zero amount"},
		{"recurring month malformed", func(c *Customer) { c.Recurring[0].From = "2024-1" }, "recurring", `from "2024-1" is not a month`},
		{"recurring month 13", func(c *Customer) { c.Recurring[0].From = "2024-13" }, "recurring", "is not a month"},
		{"recurring until malformed", func(c *Customer) { c.Recurring[0].Until = "Jan 2025" }, "recurring", `until "Jan 2025" is not a month`},
		{"recurring until before from", func(c *Customer) { c.Recurring[0].Until = "2023-12" }, "recurring", "ends (2023-12) before it starts (2024-01)"},
		{"recurring finer than the currency", func(c *Customer) { c.Recurring[0].Amount = dec("250.005") }, "recurring", "more decimals than USD allows (2)"},
		{"recurring in yen with cents", func(c *Customer) { c.Currency = "JPY"; c.Recurring[0].Amount = dec("250.5") }, "recurring", "JPY allows (0)"},
		{"blended basis is for reports only", func(c *Customer) { c.Basis = BasisBlended }, "cost_basis", `"blended" is unknown`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := valid()
			tc.break_(&c)
			err := c.Validate()
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("Validate() = %v, want Problems", err)
			}
			msgs := ps.Of(tc.field)
			if len(msgs) == 0 || !strings.Contains(strings.Join(msgs, "\n"), tc.want) {
				t.Fatalf("problems %v: want one on %s containing %q", ps, tc.field, tc.want)
			}
			if len(ps) != len(msgs) {
				t.Errorf("other fields reported too: %v", ps)
			}
		})
	}
}

func TestPercentBoundsAreInclusive(t *testing.T) {
	for _, p := range []string{"-100", "0", "1000"} {
		t.Run(p, func(t *testing.T) {
			c := valid()
			c.Adjustment, c.SupportFlat, c.TaxRates[0].Percent, c.PricingRules[0].Percent = dec(p), dec(p), dec(p), dec(p)
			if err := c.Validate(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	c := Customer{ID: " ACME ", Name: " Acme ", Group: "EMEA/Enterprise ", Currency: " eur ",
		Contact: Contact{Address: []string{" 1 Main St ", "", "Springfield"}}, Notes: "a\r\nb"}
	c.Normalize()
	if c.ID != "ACME" || c.Name != "Acme" || c.Group != "EMEA / Enterprise" || c.Currency != "EUR" || c.Notes != "a\nb" {
		t.Errorf("Normalize = %+v", c)
	}
	if strings.Join(c.Contact.Address, "|") != "1 Main St|Springfield" {
		t.Errorf("address = %q", c.Contact.Address)
	}
	if c.Support != SupportNone || c.Basis != BasisRerated || c.TaxRates == nil || c.PricingRules == nil || c.Recurring == nil {
		t.Errorf("defaults not filled: %+v", c)
	}
}

func TestGroupPath(t *testing.T) {
	cases := []struct{ name, group, want string }{
		{"none", "", ""},
		{"one level", "Americas", "Americas"},
		{"two levels", "EMEA / Enterprise", "EMEA|Enterprise"},
		{"two levels unspaced", "EMEA/Enterprise", "EMEA|Enterprise"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := Customer{Group: tc.group}
			if got := strings.Join(c.GroupPath(), "|"); got != tc.want {
				t.Errorf("GroupPath(%q) = %q, want %q", tc.group, got, tc.want)
			}
		})
	}
}

func TestMonths(t *testing.T) {
	valid := []string{"2018-10", "2024-01", "1999-12"}
	invalid := []string{"", "2018-1", "2018-00", "2018-13", "18-10", "2018/10", "2018-10-01", "20x8-10"}
	for _, m := range valid {
		if !ValidMonth(m) {
			t.Errorf("ValidMonth(%q) = false", m)
		}
	}
	for _, m := range invalid {
		if ValidMonth(m) {
			t.Errorf("ValidMonth(%q) = true", m)
		}
	}
	adds := []struct {
		m    string
		n    int
		want string
	}{{"2018-11", -1, "2018-10"}, {"2019-01", -1, "2018-12"}, {"2018-12", 1, "2019-01"}, {"2018-10", 0, "2018-10"}}
	for _, a := range adds {
		if got := AddMonths(a.m, a.n); got != a.want {
			t.Errorf("AddMonths(%s, %d) = %s, want %s", a.m, a.n, got, a.want)
		}
	}
}

// TestCheckMonth: the one message for a malformed month, whichever field
// or flag it came from.
func TestCheckMonth(t *testing.T) {
	tests := []struct {
		name, field, month, want string
	}{
		{"valid", "month", "2018-10", ""},
		{"month 13", "month", "2018-13", `month "2018-13" is not a month: write it as YYYY-MM, e.g. 2018-10`},
		{"a flag", "--period", "2018-1", `--period "2018-1" is not a month: write it as YYYY-MM, e.g. 2018-10`},
		{"empty", "expires", "", `expires "" is not a month: write it as YYYY-MM, e.g. 2018-10`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ""
			if err := CheckMonth(tc.field, tc.month); err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("CheckMonth(%q, %q) = %q, want %q", tc.field, tc.month, got, tc.want)
			}
		})
	}
}
