package money

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/shopspring/decimal"
)

func TestMinorUnits(t *testing.T) {
	cases := []struct {
		name  string
		code  string
		units int
		ok    bool
	}{
		{"US dollar has cents", "USD", 2, true},
		{"euro has cents", "EUR", 2, true},
		{"yen has no minor unit", "JPY", 0, true},
		{"won has no minor unit", "KRW", 0, true},
		{"Bahraini dinar has fils", "BHD", 3, true},
		{"Kuwaiti dinar has fils", "KWD", 3, true},
		{"Chilean unidad de fomento has four", "CLF", 4, true},
		{"Uruguayan unidad previsional has four", "UYW", 4, true},
		{"Caribbean guilder (2025)", "XCG", 2, true},
		{"Zimbabwe gold (2024)", "ZWG", 2, true},
		{"Bulgarian lev kept for older data", "BGN", 2, true},
		{"gold has no minor units", "XAU", 0, false},
		{"SDR has no minor units", "XDR", 0, false},
		{"lower case is not a code", "usd", 0, false},
		{"made up", "ABC", 0, false},
		{"empty", "", 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			units, ok := MinorUnits(tc.code)
			if units != tc.units || ok != tc.ok {
				t.Fatalf("MinorUnits(%q) = %d, %v; want %d, %v", tc.code, units, ok, tc.units, tc.ok)
			}
		})
	}
}

func TestCurrenciesAreWellFormed(t *testing.T) {
	code := regexp.MustCompile(`^[A-Z]{3}$`)
	all := Currencies()
	if len(all) < 150 {
		t.Fatalf("only %d currencies: the ISO 4217 list has about 160 with minor units", len(all))
	}
	for i, c := range all {
		if !code.MatchString(c) {
			t.Errorf("%q is not three upper-case letters", c)
		}
		if i > 0 && all[i-1] >= c {
			t.Errorf("Currencies not sorted at %q", c)
		}
		if u, _ := MinorUnits(c); u < 0 || u > 4 {
			t.Errorf("%s has %d minor units; ISO 4217 uses 0 to 4", c, u)
		}
	}
}

func ExampleMinorUnits() {
	for _, c := range []string{"USD", "JPY", "BHD", "XAU"} {
		n, ok := MinorUnits(c)
		fmt.Println(c, n, ok)
	}
	// Output:
	// USD 2 true
	// JPY 0 true
	// BHD 3 true
	// XAU 0 false
}

func TestText(t *testing.T) {
	for _, c := range []struct{ amount, code, want string }{
		{"1234.5", "USD", "1,234.50"},
		{"-74.73", "EUR", "-74.73"},
		{"229230", "JPY", "229,230"},
		{"1234567.125", "BHD", "1,234,567.125"},
		{"0.5", "XYZ", "0.50"}, // unknown: the cents of most currencies
		{"1000", "", "1,000.00"},
	} {
		if got := Text(decimal.RequireFromString(c.amount), c.code); got != c.want {
			t.Errorf("Text(%s, %q) = %q, want %q", c.amount, c.code, got, c.want)
		}
	}
}
