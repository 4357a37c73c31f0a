package money

import (
	"testing"

	"github.com/shopspring/decimal"
)

// TestAddSum: adding a sum's running coefficient and its spill gives the
// exact total, whatever the exponents and however big the terms.
func TestAddSum(t *testing.T) {
	cases := []struct {
		name       string
		into, from []string
		want       string
	}{
		{"empty into empty", nil, nil, "0"},
		{"small terms, finer exponent", []string{"1.5"}, []string{"0.0000000001", "2"}, "3.5000000001"},
		{"coarser exponent", []string{"0.000000001"}, []string{"1E+5"}, "100000.000000001"},
		{"a spilled term", []string{"1"}, []string{"12345678901234567890.123", "0.5"}, "12345678901234567891.623"},
		{"negatives cancel", []string{"-2.25"}, []string{"2.25"}, "0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var into, from Sum
			for _, v := range tc.into {
				into.Add(decimal.RequireFromString(v))
			}
			for _, v := range tc.from {
				from.Add(decimal.RequireFromString(v))
			}
			into.AddSum(from)
			if got := into.Total(); !got.Equal(decimal.RequireFromString(tc.want)) {
				t.Errorf("total %s, want %s", got, tc.want)
			}
		})
	}
}
