package ui

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestAmount(t *testing.T) {
	for _, tc := range []struct {
		name     string
		currency string
		value    string
		places   int32
		want     string
	}{
		{"cents padded", "USD", "12.5", 2, "USD 12.50"},
		{"full precision kept", "USD", "3.62345678911", 2, "USD 3.62345678911"},
		{"padded to the column", "USD", "10.005", 11, "USD 10.00500000000"},
		{"thousands", "EUR", "1234567.891", 2, "EUR 1,234,567.891"},
		{"negative", "USD", "-1234.5", 2, "USD -1,234.50"},
		{"zero", "USD", "0", 2, "USD 0.00"},
		{"scientific input", "USD", "4.0E-7", 2, "USD 0.0000004"},
		{"no currency", "", "999", 2, "999.00"},
		{"places never round", "USD", "0.123456", 2, "USD 0.123456"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := decimal.NewFromString(tc.value)
			if err != nil {
				t.Fatal(err)
			}
			if got := amount(tc.currency, d, tc.places); got != tc.want {
				t.Errorf("amount(%s) = %q, want %q", tc.value, got, tc.want)
			}
		})
	}
}

func TestCountAndPlural(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{
		{0, "0 rows"}, {1, "1 row"}, {999, "999 rows"}, {1000, "1,000 rows"}, {12345678, "12,345,678 rows"},
	} {
		if got := plural(tc.n, "row", "rows"); got != tc.want {
			t.Errorf("plural(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}
