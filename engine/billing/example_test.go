package billing_test

import (
	"fmt"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/lineitem"
)

// Each rounding mode at exactly half a cent (and half a yen): half-up
// goes away from zero, half-even to the even digit, down toward zero.
func ExampleRounding_Round() {
	for _, r := range billing.Roundings {
		fmt.Println(r,
			r.Round(decimal.RequireFromString("2.665"), "USD"),
			r.Round(decimal.RequireFromString("-0.125"), "USD"),
			r.Round(decimal.RequireFromString("1234.5"), "JPY"),
			r.Round(decimal.RequireFromString("7"), "USD"))
	}
	// Output:
	// half-up 2.67 -0.13 1235 7.00
	// half-even 2.66 -0.12 1234 7.00
	// down 2.66 -0.12 1234 7.00
}

// Printed figures add up without rounding again: the statement total is
// the sum of what is printed, not the rounded sum of the unrounded lines.
func ExampleAmount_Add() {
	a := billing.HalfUp.Round(decimal.RequireFromString("0.004"), "USD")
	b := billing.HalfUp.Round(decimal.RequireFromString("0.004"), "USD")
	c := billing.HalfUp.Round(decimal.RequireFromString("1.005"), "USD")
	fmt.Println(a, b, c, a.Add(b).Add(c))
	// Output: 0.00 0.00 1.01 1.01
}

// A month is read in one pass (the store passes m.Add as its scan
// callback), then each customer's statement is asked for.
func ExampleMonth_Statement() {
	m, _ := billing.NewMonth(billing.Config{Period: "2026-09", Owners: map[string]string{"111111111111": "ACME"}})
	for _, cost := range []string{"10.004", "5.0031"} {
		it := lineitem.Item{Provider: lineitem.AWS, BillingPeriod: "2026-09", UsageAccount: "111111111111",
			Type: lineitem.Usage, BillingEntity: "AWS", ProductCode: "AmazonEC2", Currency: "USD",
			UnblendedCost: decimal.RequireFromString(cost)}
		_ = m.Add(&it)
	}
	acme := customer.Customer{ID: "ACME", Currency: "USD",
		TaxRates: []customer.TaxRate{{Name: "VAT 20%", Percent: decimal.NewFromInt(20)}}}
	st, _ := m.Statement(acme, billing.Ledger{}, billing.Options{Tax: true})
	for _, s := range st.Sections {
		for _, l := range s.Lines {
			fmt.Println(s.ProductType, l.Service, l.Amount, "unrounded", l.Unrounded)
		}
	}
	fmt.Println("tax", st.Tax, "total", st.Total)
	// Output:
	// Compute AmazonEC2 15.01 unrounded 15.0071
	// tax 3.00 total 18.01
}
