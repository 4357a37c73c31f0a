package customer

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestSupportAt(t *testing.T) {
	c := Customer{Support: SupportDeveloper}
	c.SetSupportFrom("2027-06", SupportFlat, decimal.NewFromInt(7))
	c.SetSupportFrom("2027-01", SupportBusiness, decimal.Zero)
	c.SetSupportFrom("2027-06", SupportEnterprise, decimal.Zero) // replaces the change from 2027-06
	cases := []struct{ month, want string }{
		{"2026-12", "developer"},
		{"2027-01", "business"},
		{"2027-05", "business"},
		{"2027-06", "enterprise"},
		{"2030-01", "enterprise"},
	}
	for _, tc := range cases {
		t.Run(tc.month, func(t *testing.T) {
			if p, _ := c.SupportAt(tc.month); string(p) != tc.want {
				t.Errorf("SupportAt(%s) = %s, want %s", tc.month, p, tc.want)
			}
		})
	}
	if len(c.SupportChanges) != 2 || c.SupportChanges[0].From != "2027-01" {
		t.Errorf("changes %+v, want two in month order", c.SupportChanges)
	}
}

func TestValidateSupportChanges(t *testing.T) {
	cases := []struct {
		name string
		ch   []SupportChange
		mode DiscountMode
		want string
	}{
		{"fine", []SupportChange{{From: "2027-01", Plan: SupportBusiness}}, DiscountsMargin, ""},
		{"not a month", []SupportChange{{From: "2027-1", Plan: SupportBusiness}}, "", `"2027-1" is not a month`},
		{"twice a month", []SupportChange{{From: "2027-01", Plan: SupportBusiness}, {From: "2027-01", Plan: SupportNone}}, "", "changes twice from 2027-01"},
		{"unknown plan", []SupportChange{{From: "2027-01", Plan: "gold"}}, "", `support plan "gold" from 2027-01 is unknown`},
		{"unknown mode", nil, "keep", `provider discount mode "keep" is unknown`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := Customer{ID: "ACME", Name: "Acme", Currency: "USD", Support: SupportNone, Basis: BasisRerated,
				SupportChanges: tc.ch, ProviderDiscounts: tc.mode}
			err := c.Validate()
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("Validate() = %v, want %q", err, tc.want)
			}
		})
	}
}
