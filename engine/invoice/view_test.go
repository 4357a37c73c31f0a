package invoice_test

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/invoice"
)

// TestConvert shows a USD invoice in yen at 149.123, each printed line
// converted and rounded to the yen by hand:
//
//	EC2 1234.57 -> 184102.78211 -> 184103     S3 10.01 -> 1493
//	RDS 250.10 -> 37296    Marketplace 42.50 -> 6338
//	discount -74.73 -> -11144    tax 117.15 -> 17470
//	subtotal 229230, total 229230 - 11144 + 17470 = 235556
//
// while 1579.60 x 149.123 = 235554.69: the converted total is the sum of
// the converted lines, not the converted total, as documented.
func TestConvert(t *testing.T) {
	inv := issued(t, draft(t, "17"))
	var v invoice.View
	unchanged(t, inv, func(inv invoice.Invoice) {
		var err error
		v, err = inv.Convert("jpy", dec("149.123"), "ECB reference rate", invoice.NewDate(2026, 10, 5))
		if err != nil {
			t.Fatal(err)
		}
	})
	f := v.Figures
	addsUp(t, f)
	want := map[string]string{"Compute/AmazonEC2": "184103", "Storage/AmazonS3": "1493", "Database/AmazonRDS": "37296", "Marketplace/prodfirewall": "6338"}
	got := lines(f)
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %s, want %s", k, got[k], w)
		}
	}
	for name, p := range map[string][2]string{
		"subtotal": {f.Subtotal.String(), "229230"}, "discount": {f.Discount.String(), "-11144"},
		"marketplace": {f.Marketplace.String(), "6338"}, "support": {f.Support.String(), "0"},
		"tax": {f.Tax.String(), "17470"}, "total": {f.Total.String(), "235556"},
	} {
		if p[0] != p[1] {
			t.Errorf("%s: %s, want %s", name, p[0], p[1])
		}
	}
	c := v.Conversion
	if f.Currency != "JPY" || c == nil || c.From != "USD" || c.To != "JPY" || c.Source != "ECB reference rate" || c.Date.String() != "2026-10-05" {
		t.Errorf("conversion %+v in %s", c, f.Currency)
	}
	if v.Invoice.Currency != "USD" || v.Invoice.Total.String() != "1579.60" {
		t.Errorf("the view's invoice changed: %s %s", v.Invoice.Currency, v.Invoice.Total)
	}
}

func TestConvertRefusals(t *testing.T) {
	inv := issued(t, draft(t, "17"))
	day := invoice.NewDate(2026, 10, 5)
	same, err := inv.Convert("USD", dec("2"), "", invoice.Date{})
	if err != nil || same.Conversion != nil || same.Figures.Total.String() != "1579.60" {
		t.Errorf("converting to the invoice's own currency: %v %+v", err, same.Conversion)
	}
	for _, tc := range []struct {
		name, to string
		rate     decimal.Decimal
		source   string
		on       invoice.Date
		want     string
	}{
		{"unknown currency", "XYZ", dec("1"), "ECB", day, "not an ISO 4217 code"},
		{"zero rate", "EUR", decimal.Zero, "ECB", day, "not positive"},
		{"no source", "EUR", dec("0.9"), " ", day, "needs its source"},
		{"no date", "EUR", dec("0.9"), "ECB", invoice.Date{}, "needs its date"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := inv.Convert(tc.to, tc.rate, tc.source, tc.on); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}

// TestRateFunc: a fresh statement uses the invoice's own rates first.
func TestRateFunc(t *testing.T) {
	inv := issued(t, draft(t, "17"))
	inv.Rates = []invoice.Rate{{From: "EUR", To: "USD", Period: period, Rate: dec("1.1"), Source: "ECB 2026-09-30"}}
	f := inv.RateFunc(func(from, to, p string) (decimal.Decimal, string, error) {
		return dec("9"), "today", nil
	})
	if r, src, err := f("EUR", "USD", period); err != nil || !r.Equal(dec("1.1")) || src != "ECB 2026-09-30" {
		t.Errorf("kept rate: %s %s %v", r, src, err)
	}
	if r, src, _ := f("GBP", "USD", period); !r.Equal(dec("9")) || src != "today" {
		t.Errorf("fallback: %s %s", r, src)
	}
	if _, _, err := inv.RateFunc(nil)("GBP", "USD", period); err != billing.ErrNoRate {
		t.Errorf("no fallback: %v", err)
	}
}
