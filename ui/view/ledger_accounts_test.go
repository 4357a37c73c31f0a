package view

import (
	"strings"
	"testing"
	"time"

	"rebill/engine/billing"
	"rebill/engine/invoice"
	"rebill/engine/ledger"

	"github.com/shopspring/decimal"
)

func TestLedgerFormRoundTrip(t *testing.T) {
	f := LedgerFormOf(ledger.DefaultMapping())
	f.Revenue = "marketplace = 8195\n\nCompute=8401"
	f.Taxes = "19% = 1776 : 3\n7 = 1771"
	f.Receivables = "ACME = 10001"
	m, err := f.Mapping()
	if err != nil {
		t.Fatal(err)
	}
	if m.RevenueFor(billing.Marketplace) != "8195" || m.RevenueFor(billing.Compute) != "8401" || m.RevenueFor(billing.Storage) != "8400" ||
		len(m.Taxes) != 2 || m.Taxes[0].Code != "3" || m.Taxes[1].Account != "1771" || m.ReceivableFor("ACME") != "10001" || m.AccountLength != 4 {
		t.Fatalf("mapping %+v", m)
	}
	back := LedgerFormOf(m.Normalize())
	if back.Revenue != "Compute = 8401\nMarketplace = 8195" || back.Taxes != "7 = 1771\n19 = 1776 : 3" {
		t.Errorf("form shows\n%s\n%s", back.Revenue, back.Taxes)
	}
}

func TestLedgerFormRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*LedgerForm)
		want string
	}{
		{"no equals sign", func(f *LedgerForm) { f.Receivables = "ACME = 10001\nBETA 10002" }, `Receivable accounts, line 2: "BETA 10002" is not KEY = ACCOUNT`},
		{"unknown product type", func(f *LedgerForm) { f.Revenue = "Lambda = 8400" }, `Revenue accounts, line 1: "Lambda" is not a product type`},
		{"percent", func(f *LedgerForm) { f.Taxes = "VAT = 1776" }, `Tax rates, line 1: "VAT" is not a percent`},
		{"length", func(f *LedgerForm) { f.AccountLength = "four" }, `Account length: "four" is not a number`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := LedgerFormOf(ledger.DefaultMapping())
			tc.edit(&f)
			if _, err := f.Mapping(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
		})
	}
}

func TestLedgerPeriodIsTheMonthBefore(t *testing.T) {
	for _, tc := range []struct{ now, from, until string }{
		{"2026-10-05", "2026-09-01", "2026-09-30"},
		{"2027-01-04", "2026-12-01", "2026-12-31"},
		{"2028-03-31", "2028-02-01", "2028-02-29"},
	} {
		now, _ := time.Parse(time.DateOnly, tc.now)
		from, until := LedgerPeriod(now)
		if from.String() != tc.from || until.String() != tc.until {
			t.Errorf("%s: %s to %s, want %s to %s", tc.now, from, until, tc.from, tc.until)
		}
	}
}

// TestLedgerWritten: the export's summary counts in words, one and many,
// in the words the window and the command line share.
func TestLedgerWritten(t *testing.T) {
	one := ledger.Summary{From: "2026-10-01", Until: "2026-10-31", Documents: 1, Bookings: 1,
		Totals: []ledger.Total{{Currency: "EUR", Amount: decimal.RequireFromString("9.46")}}}
	if got, want := LedgerWritten(one), "1 document issued or voided from 2026-10-01 to 2026-10-31, 1 booking, totalling EUR 9.46."; got != want {
		t.Errorf("one:\n got %q\nwant %q", got, want)
	}
	many := ledger.Summary{From: "2026-10-01", Until: "2026-10-31", Documents: 2, Bookings: 5, Notes: []string{"post the rounding by hand"}}
	if got, want := LedgerExported(many, "out.csv"), "out.csv is saved: 2 documents issued or voided from 2026-10-01 to 2026-10-31, 5 bookings, totalling nothing.\nNote: post the rounding by hand"; got != want {
		t.Errorf("many:\n got %q\nwant %q", got, want)
	}
}

// TestLedgerOfOneCurrency: an export of one currency's documents says so,
// and its file is named after the currency, so that the euro and the
// dollar batches of a month do not take each other's name.
func TestLedgerOfOneCurrency(t *testing.T) {
	eur := ledger.Summary{From: "2026-10-01", Until: "2026-10-31", Currency: "EUR", Documents: 2, Bookings: 4,
		Totals: []ledger.Total{{Currency: "EUR", Amount: decimal.RequireFromString("9.46")}}}
	if got, want := LedgerWritten(eur), "2 documents in EUR issued or voided from 2026-10-01 to 2026-10-31, 4 bookings, totalling EUR 9.46."; got != want {
		t.Errorf("written:\n got %q\nwant %q", got, want)
	}
	if got, want := LedgerNothing(ledger.Summary{From: "2026-10-01", Until: "2026-10-31", Currency: "CHF"}),
		"No invoice or credit note in CHF was issued or voided from 2026-10-01 to 2026-10-31. Drafts are never exported: approve them first."; got != want {
		t.Errorf("nothing:\n got %q\nwant %q", got, want)
	}
	o := ledger.Options{From: invoice.NewDate(2026, 10, 1), Until: invoice.NewDate(2026, 10, 31)}
	for _, c := range []struct {
		f        ledger.Format
		currency string
		want     string
	}{
		{ledger.DATEV, "", "EXTF_Buchungsstapel_20261001_20261031.csv"},
		{ledger.DATEV, "usd", "EXTF_Buchungsstapel_20261001_20261031_USD.csv"},
		{ledger.Xero, "EUR", "rebill-xero-2026-10-01-2026-10-31-EUR.csv"},
		{ledger.Journal, "", "rebill-journal-2026-10-01-2026-10-31.csv"},
	} {
		o.Currency = c.currency
		if got := LedgerFileName(c.f, o); got != c.want {
			t.Errorf("%s in %q: %q, want %q", c.f, c.currency, got, c.want)
		}
	}
}

// TestLedgerCurrencies: the export dialog offers every currency first,
// then each customer currency once, sorted; choosing every currency
// exports them all.
func TestLedgerCurrencies(t *testing.T) {
	got := LedgerCurrencies([]string{"USD", "EUR", "USD", ""})
	if strings.Join(got, "|") != "Every currency|EUR|USD" {
		t.Errorf("choices %q", got)
	}
	if LedgerCurrency(got[0]) != "" || LedgerCurrency("EUR") != "EUR" {
		t.Errorf("the choices read %q and %q", LedgerCurrency(got[0]), LedgerCurrency("EUR"))
	}
}
