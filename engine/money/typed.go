package money

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// ParseTyped reads a number as a person types it in a form or on the
// command line: spaces around it ignored, thousands separated by commas
// or not ("1,234.50", "1234.50"), "NULL" and the other ways files write
// "no value" refused like an empty field. The window, the CLI and the API
// read amounts, rates and percentages through it, so every face accepts
// the same input.
func ParseTyped(s string) (decimal.Decimal, error) {
	t := strings.TrimSpace(s)
	if meant, ok := decimalComma(t); ok {
		return decimal.Zero, fmt.Errorf("%q is not a number: write %s (a point marks the decimals; a comma may only group thousands, as in 1,234.50)", s, meant)
	}
	if strings.Contains(t, ",") {
		var ok bool
		if t, ok = ungroup(t); !ok {
			return decimal.Zero, fmt.Errorf("%q is not a number: group thousands by three digits (1,234.50) or not at all (1234.50)", s)
		}
	}
	if IsNull([]byte(t)) {
		return decimal.Zero, fmt.Errorf("%q is not a number: write it as 1234.50", s)
	}
	d, err := Parse([]byte(t))
	if err != nil {
		return decimal.Zero, fmt.Errorf("%q is not a number (%v): write it as 1234.50", s, err)
	}
	return d, nil
}

// ungroup removes the thousands separators of "1,234,567.89", refusing
// separators anywhere but between groups of three digits of the integer
// part.
func ungroup(s string) (string, bool) {
	sign := ""
	if s != "" && (s[0] == '-' || s[0] == '+') {
		sign, s = s[:1], s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	groups := strings.Split(whole, ",")
	for i, g := range groups {
		n := len(g)
		if (i == 0 && (n < 1 || n > 3 || g[0] == '0')) || (i > 0 && n != 3) || strings.Trim(g, "0123456789") != "" {
			// A thousands group never follows a leading zero: "0,930".
			return "", false
		}
	}
	out := sign + strings.Join(groups, "")
	if hasFrac {
		out += "." + frac
	}
	return out, true
}

// decimalComma reads a number written with a decimal comma, as much of
// Europe writes it ("0,93", "1.234,50", "-12,5"), and returns it with a
// decimal point, for a refusal to suggest; ok is false for anything else.
// Only the refusal uses it: "1,234" is a thousand two hundred and
// thirty-four, so a comma is never read as decimals.
func decimalComma(s string) (string, bool) {
	sign := ""
	if s != "" && (s[0] == '-' || s[0] == '+') {
		sign, s = s[:1], s[1:]
	}
	whole, frac, found := strings.Cut(s, ",")
	if !found || frac == "" || strings.Trim(frac, "0123456789") != "" || (len(frac) == 3 && !strings.Contains(whole, ".") && !strings.HasPrefix(whole, "0")) {
		// "1,234" groups thousands; so does "12,345,678" (its fraction
		// holds a comma). "0,930" cannot.
		return "", false
	}
	groups := strings.Split(whole, ".")
	for i, g := range groups {
		n := len(g)
		if (i == 0 && (n < 1 || (len(groups) > 1 && n > 3))) || (i > 0 && n != 3) || strings.Trim(g, "0123456789") != "" {
			return "", false
		}
	}
	return sign + strings.Join(groups, "") + "." + frac, true
}
