package view

import (
	"testing"

	"rebill/engine/period"
	"rebill/store"
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
