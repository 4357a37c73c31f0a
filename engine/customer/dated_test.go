package customer

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// TestTermsFromAMonth: an edit dated from a month leaves the months before
// it with the terms they had; an undated history means the same terms in
// every month.
func TestTermsFromAMonth(t *testing.T) {
	rule := func(pct string) []PricingRule {
		return []PricingRule{{Provider: "aws", ProductCode: "AmazonEC2", Percent: decimal.RequireFromString(pct)}}
	}
	base := Customer{ID: "ACME", Name: "Acme Corp", Currency: "USD", TermsDays: 30, Support: SupportNone, Basis: BasisRerated, PricingRules: rule("10")}
	edit := func(c Customer, from string, change func(*Customer)) Customer {
		after := c
		change(&after)
		after.RecordTerms(from, c)
		return after
	}
	// Rule 10% until February, 20% from March, then a 3% discount added
	// from April over the 20% rule.
	march := edit(base, "2025-03", func(c *Customer) { c.PricingRules = rule("20") })
	april := edit(march, "2025-04", func(c *Customer) { c.Adjustment = decimal.RequireFromString("-3") })
	// Re-dating from March replaces the April change: the new terms hold
	// from March on.
	again := edit(april, "2025-03", func(c *Customer) { c.PricingRules = rule("15") })
	undated := edit(base, "", func(c *Customer) { c.PricingRules = rule("20") })
	same := edit(march, "2025-06", func(c *Customer) { c.Name = "Acme" })

	cases := []struct {
		name  string
		c     Customer
		month string
		rule  string // percent of the EC2 rule
		adj   string
	}{
		{"before any change", march, "2025-02", "10", "0"},
		{"from the change's month", march, "2025-03", "20", "0"},
		{"after the change", march, "2026-01", "20", "0"},
		{"second change: February", april, "2025-02", "10", "0"},
		{"second change: March", april, "2025-03", "20", "0"},
		{"second change: April", april, "2025-04", "20", "-3"},
		{"re-dated from March replaces April: March", again, "2025-03", "15", "-3"},
		{"re-dated from March replaces April: May", again, "2025-05", "15", "-3"},
		{"re-dated keeps February", again, "2025-02", "10", "0"},
		{"undated edit: every month", undated, "2020-01", "20", "0"},
		{"a non-terms edit dates nothing", same, "2025-02", "10", "0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			at := tc.c.At(tc.month)
			if got := at.PricingRules[0].Percent.String(); got != tc.rule {
				t.Errorf("rule %s%%, want %s%%", got, tc.rule)
			}
			if got := at.Adjustment.String(); got != tc.adj {
				t.Errorf("adjustment %s%%, want %s%%", got, tc.adj)
			}
			if err := tc.c.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
	if n := len(again.TermsHistory); n != 2 {
		t.Errorf("history %+v, want the beginning and 2025-03", again.TermsHistory)
	}
	if undated.TermsHistory != nil || same.TermsHistory == nil || len(same.TermsHistory) != 2 {
		t.Errorf("undated %+v, same %+v", undated.TermsHistory, same.TermsHistory)
	}
	log := fmt.Sprint(april.TermsLog())
	want := "[{ [currency: USD adjustment_percent: 0 pricing_rules: aws||AmazonEC2|=10 recurring:  price_table: ]} " +
		"{2025-03 [pricing_rules: aws||AmazonEC2|=10 → aws||AmazonEC2|=20]} {2025-04 [adjustment_percent: 0 → -3]}]"
	if log != want {
		t.Errorf("TermsLog\n%s\nwant\n%s", log, want)
	}
}

func TestFirstUninvoiced(t *testing.T) {
	cases := []struct {
		name     string
		invoiced []string
		want     string
	}{
		{"no invoice: from the beginning", nil, ""},
		{"after the latest", []string{"2025-01", "2025-03", "2025-02"}, "2025-04"},
		{"across a year", []string{"2025-12"}, "2026-01"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := FirstUninvoiced(tc.invoiced); got != tc.want {
				t.Errorf("FirstUninvoiced(%v) = %q, want %q", tc.invoiced, got, tc.want)
			}
		})
	}
}

func TestTermsHistoryValidate(t *testing.T) {
	c := Customer{ID: "ACME", Name: "Acme", Currency: "USD", TermsDays: 30, Support: SupportNone, Basis: BasisRerated,
		TermsHistory: History[Terms]{{Value: Terms{Currency: "USD"}}, {From: "2025-13", Value: Terms{Currency: "EUR"}}}}
	err := c.Validate()
	if err == nil {
		t.Fatal("a malformed month and a last entry unlike the terms validated")
	}
	for _, want := range []string{`"2025-13" is not a month`, "differs from the customer's terms"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate = %v, want %q", err, want)
		}
	}
}
