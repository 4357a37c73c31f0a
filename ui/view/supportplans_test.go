package view

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/customer"
)

func TestSupportChangesText(t *testing.T) {
	cases := []struct {
		name string
		cs   []customer.SupportChange
		want string
	}{
		{"none", nil, ""},
		{"two changes", []customer.SupportChange{{From: "2027-01", Plan: customer.SupportBusiness},
			{From: "2027-06", Plan: customer.SupportFlat, FlatPercent: decimal.RequireFromString("7.5")}},
			"From 2027-01: AWS Business. From 2027-06: Flat percentage of the charges (7.5%). The plan above applies before."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := SupportChangesText(tc.cs); !strings.HasPrefix(got, tc.want) || (tc.want == "") != (got == "") {
				t.Errorf("SupportChangesText = %q, want it to start %q", got, tc.want)
			}
		})
	}
}

func TestPlanRows(t *testing.T) {
	rows := PlanRows(billing.DefaultSupportPlans())
	byID := map[string]PlanRow{}
	for _, r := range rows {
		byID[r.ID] = r
	}
	cases := []struct{ id, bands, minimum, serves string }{
		{"aws-business", "10% to 10,000; 7% to 80,000; 5% to 250,000; 3% above 250,000", "USD 100", "AWS Business"},
		{"aws-developer", "3%", "USD 29", "AWS Developer"},
		{"aws-business-plus-2027", "9% to 10,000; 7% to 80,000; 5% to 250,000; 3% above 250,000", "USD 29", "AWS Developer, AWS Business"},
		{"flat", "the customer's own percentage", "none", "Flat percentage of the charges"},
	}
	for _, tc := range cases {
		t.Run(tc.id, func(t *testing.T) {
			r := byID[tc.id]
			if r.Bands != tc.bands || r.Minimum != tc.minimum || r.Serves != tc.serves {
				t.Errorf("row %+v, want bands %q, minimum %q, serves %q", r, tc.bands, tc.minimum, tc.serves)
			}
		})
	}
	if !byID["aws-enterprise-2027"].ToConfirm || byID["aws-enterprise"].ToConfirm {
		t.Error("only the 2027 versions are to confirm")
	}
}
