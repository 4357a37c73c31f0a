package view

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rebill/engine/distributor"
	"rebill/engine/ingest"
	"rebill/engine/lineitem"
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

// TestConfirmFinalText: the confirmation dialog names the delivery and,
// for AWS, whose CUR says it is final in a later delivery, advises
// waiting for that one.
func TestConfirmFinalText(t *testing.T) {
	azure := ingest.Delivery{ID: 4, Provider: lineitem.Azure, Period: "2023-09", Rows: 11,
		Parts: []ingest.Part{{File: filepath.Join("exports", "EA_ActualCost_Small.csv")}}}
	got := ConfirmFinalText(azure)
	for _, want := range []string{
		"Delivery 4 (EA_ActualCost_Small.csv, 11 rows) carries no Microsoft Azure invoice number, so its files do not say that 2023-09 is final.",
		"Confirm it once the distributor has billed the month or announced its billing close.",
		"(Microsoft Azure's own final data still does)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Azure: %q lacks %q", got, want)
		}
	}
	aws := ingest.Delivery{ID: 5, Provider: lineitem.AWS, Period: "2024-10", Rows: 1, Parts: []ingest.Part{{File: "a.csv"}, {File: "b.csv"}}}
	got = ConfirmFinalText(aws)
	if !strings.Contains(got, "Delivery 5 (2 files, 1 row)") || !strings.Contains(got, "importing that delivery is better") ||
		strings.Contains(got, "announced its billing close") {
		t.Errorf("AWS: %q", got)
	}
}

func TestConfirmed(t *testing.T) {
	c := &ingest.Confirmation{At: time.Date(2024, 11, 9, 10, 30, 0, 0, time.UTC), Reason: "invoice D-17"}
	if got := Confirmed(c); got != "confirmed by an unknown user on "+Moment(c.At)+": invoice D-17" {
		t.Errorf("no user: %q", got)
	}
	c.By = "ann"
	if got := Confirmed(c); !strings.HasPrefix(got, "confirmed by ann on ") {
		t.Errorf("%q", got)
	}
}
