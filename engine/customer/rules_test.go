package customer

import (
	"fmt"
	"testing"
)

func TestRuleFor(t *testing.T) {
	rules := []PricingRule{
		{Provider: "aws", Percent: dec("1")},                                    // 1 criterion, provider
		{BillingEntity: "AWS Marketplace", Percent: dec("2")},                   // 1 criterion, entity
		{ProductCode: "AmazonEC2", Percent: dec("3")},                           // 1 criterion, product
		{UsageType: "BoxUsage:m5.large", Percent: dec("4")},                     // 1 criterion, usage type
		{Provider: "aws", ProductCode: "AmazonS3", Percent: dec("5")},           // 2 criteria
		{BillingEntity: "AWS", ProductCode: "AmazonS3", Percent: dec("6")},      // 2 criteria, entity beats provider
		{Provider: "aws", UsageType: "TimedStorage-ByteHrs", Percent: dec("7")}, // 2 criteria, usage type ranks highest
		{Provider: "azure", ProductCode: "AmazonEC2", Percent: dec("8")},        // never matches aws charges
		{Provider: "aws", BillingEntity: "AWS", ProductCode: "AmazonRDS", Percent: dec("9")},
	}
	cases := []struct {
		name                             string
		provider, entity, product, usage string
		want                             string // percent of the winning rule, "" for none
	}{
		{"nothing matches", "gcp", "Google", "Compute", "n1", ""},
		{"only the provider rule matches", "aws", "AWS", "AmazonLambda", "Request", "1"},
		{"product beats provider (same count, product ranks higher)", "aws", "AWS", "AmazonEC2", "BoxUsage:t3.micro", "3"},
		{"usage type beats product", "aws", "AWS", "AmazonEC2", "BoxUsage:m5.large", "4"},
		{"entity beats provider", "aws", "AWS Marketplace", "prod-abc", "SoftwareUsage", "2"},
		{"two criteria beat one", "aws", "Other", "AmazonS3", "Requests-Tier1", "5"},
		{"two-criteria tie: entity+product beats provider+product", "aws", "AWS", "AmazonS3", "Requests-Tier1", "6"},
		{"two-criteria tie: provider+usage beats entity+product", "aws", "AWS", "AmazonS3", "TimedStorage-ByteHrs", "7"},
		{"three criteria beat two", "aws", "AWS", "AmazonRDS", "InstanceUsage", "9"},
		{"criteria are case-sensitive", "AWS", "aws", "amazonec2", "boxusage:m5.large", ""},
		{"a criterion of another provider does not match", "azure", "Microsoft", "AmazonEC2", "", "8"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, order := range []string{"as written", "reversed"} {
				c := Customer{PricingRules: append([]PricingRule(nil), rules...)}
				if order == "reversed" {
					for i, j := 0, len(c.PricingRules)-1; i < j; i, j = i+1, j-1 {
						c.PricingRules[i], c.PricingRules[j] = c.PricingRules[j], c.PricingRules[i]
					}
				}
				r, ok := c.RuleFor(tc.provider, tc.entity, tc.product, tc.usage)
				got := ""
				if ok {
					got = r.Percent.String()
				}
				if got != tc.want {
					t.Errorf("%s: RuleFor = %q (ok %v), want %q", order, got, ok, tc.want)
				}
			}
		})
	}
}

func TestRecurringIn(t *testing.T) {
	c := Customer{Recurring: []RecurringCharge{
		{Description: "open-ended", Amount: dec("10"), From: "2024-01"},
		{Description: "one month", Amount: dec("20"), From: "2024-03", Until: "2024-03"},
		{Description: "quarter", Amount: dec("-5"), From: "2024-02", Until: "2024-04"},
	}}
	cases := []struct{ month, want string }{
		{"2023-12", "[]"},
		{"2024-01", "[open-ended]"},
		{"2024-02", "[open-ended quarter]"},
		{"2024-03", "[open-ended one month quarter]"},
		{"2024-04", "[open-ended quarter]"},
		{"2030-01", "[open-ended]"},
	}
	for _, tc := range cases {
		t.Run(tc.month, func(t *testing.T) {
			var names []string
			for _, r := range c.RecurringIn(tc.month) {
				names = append(names, r.Description)
			}
			if got := fmt.Sprint(names); got != tc.want && !(got == "[]" && tc.want == "[]") {
				t.Errorf("RecurringIn(%s) = %s, want %s", tc.month, got, tc.want)
			}
		})
	}
}
