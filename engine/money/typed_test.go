package money

import (
	"strings"
	"testing"
)

func TestParseTyped(t *testing.T) {
	tests := []struct {
		name, in, want, err string
	}{
		{"plain", "25", "25", ""},
		{"cents", " 99.50 ", "99.5", ""},
		{"thousands", "1,234.50", "1234.5", ""},
		{"millions", "-1,234,567", "-1234567", ""},
		{"rate", "0.8812", "0.8812", ""},
		{"scientific", "1.5e2", "150", ""},
		{"misplaced comma", "12,34.50", "", "group thousands by three digits"},
		{"decimal comma", "25,5", "", `"25,5" is not a number: write 25.5 (a point marks the decimals`},
		{"rate with a decimal comma", " 0,93 ", "", "write 0.93 ("},
		{"three decimals after a zero", "0,930", "", "write 0.930 ("},
		{"thousands of a leading zero", "0,930.5", "", "group thousands by three digits"},
		{"German thousands and decimals", "-1.234,50", "", "write -1234.50 ("},
		{"dots not in threes", "1.23,5", "", `"1.23,5" is not a number`},
		{"empty", "  ", "", "is not a number: write it as 1234.50"},
		{"null", "NULL", "", "is not a number: write it as 1234.50"},
		{"words", "ten", "", `"ten" is not a number`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ParseTyped(tc.in)
			switch {
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Errorf("ParseTyped(%q) = %s, %v; want an error with %q", tc.in, d, err, tc.err)
			case tc.err == "" && (err != nil || d.String() != tc.want):
				t.Errorf("ParseTyped(%q) = %s, %v; want %s", tc.in, d, err, tc.want)
			}
		})
	}
}
