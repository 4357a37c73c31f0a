package view

import (
	"testing"

	"rebill/engine/distributor"
	"rebill/engine/period"
	"rebill/store"

	"github.com/shopspring/decimal"
)

func TestMonthBadge(t *testing.T) {
	row := func(provider string, final bool) store.PeriodRow {
		return store.PeriodRow{Provider: provider, Final: final}
	}
	closed := []period.Record{{Provider: "aws", Status: period.Closed}}
	awsClosedAzureOpen := []period.Record{{Provider: "aws", Status: period.Closed}, {Provider: "azure", Status: period.Open}}
	both := []period.Record{{Provider: "aws", Status: period.Closed}, {Provider: "azure", Status: period.Closed}}
	cases := []struct {
		name     string
		st       store.MonthStatus
		provider string
		want     Cell
	}{
		{"final and closed", store.MonthStatus{Rows: []store.PeriodRow{row("aws", true)}, Providers: closed}, "aws", Cell{Text: "Final · Closed", Tone: Success}},
		{"final and open", store.MonthStatus{Rows: []store.PeriodRow{row("aws", true)}}, "aws", Cell{Text: "Final · Open", Tone: Normal}},
		{"one payer provisional", store.MonthStatus{Rows: []store.PeriodRow{row("aws", true), row("aws", false)}, Providers: closed}, "aws", Cell{Text: "Provisional · Closed", Tone: Warning}},
		{"another provider's month", store.MonthStatus{Rows: []store.PeriodRow{row("azure", true)}}, "aws", Cell{}},
		{"nothing imported", store.MonthStatus{}, "", Cell{}},
		{"whole month, one provider closed of two", store.MonthStatus{Rows: []store.PeriodRow{row("aws", true), row("azure", true)}, Providers: awsClosedAzureOpen}, "", Cell{Text: "Final · Partly closed", Tone: Normal}},
		{"whole month, every provider closed", store.MonthStatus{Rows: []store.PeriodRow{row("aws", true), row("azure", true)}, Providers: both}, "", Cell{Text: "Final · Closed", Tone: Success}},
		{"whole month, one provider provisional", store.MonthStatus{Rows: []store.PeriodRow{row("aws", true), row("azure", false)}, Providers: both}, "", Cell{Text: "Provisional · Closed", Tone: Warning}},
		{"one provider of a mixed month", store.MonthStatus{Rows: []store.PeriodRow{row("aws", true), row("azure", false)}, Providers: awsClosedAzureOpen}, "aws", Cell{Text: "Final · Closed", Tone: Success}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := MonthBadge(tc.st, tc.provider); got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestDistributorLineReadsAsMoney: the Periods list's distributor
// invoices read to the cent, with thousands separators and every digit
// entered.
func TestDistributorLineReadsAsMoney(t *testing.T) {
	d := distributor.Invoice{Period: "2026-09", Provider: "aws", Number: "D-7", Currency: "USD",
		Amount: decimal.RequireFromString("1234"), Tax: decimal.RequireFromString("0.005")}
	if got, want := DistributorLine(d), "2026-09  aws  D-7  USD 1,234.00 + tax 0.005"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}
