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
		if (i == 0 && (n < 1 || n > 3)) || (i > 0 && n != 3) || strings.Trim(g, "0123456789") != "" {
			return "", false
		}
	}
	out := sign + strings.Join(groups, "")
	if hasFrac {
		out += "." + frac
	}
	return out, true
}
