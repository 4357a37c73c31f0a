package ui

import (
	"path/filepath"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/document"
	"rebill/engine/ingest"
	"rebill/engine/lineitem"
)

// Display helpers. They only format what the engine computed: no amount is
// ever rounded, converted to float or added up here.

// groupDigits puts thousands separators into the integer part of a plain
// decimal string such as "-1234567.25", as the documents print it.
func groupDigits(s string) string { return document.GroupDigits(s) }

// count writes a row or account count with thousands separators.
func count(n int64) string { return groupDigits(strconv.FormatInt(n, 10)) }

// plural writes "1 file" or "12,345 files".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return count(int64(n)) + " " + many
}

// decimals is how many decimals d needs to be written exactly, and at least
// the two of a cent, so amounts read like money.
func decimals(d decimal.Decimal) int32 {
	_, frac, _ := strings.Cut(d.String(), ".")
	return max(int32(len(frac)), 2)
}

// amount writes an exact amount with its currency and thousands
// separators, padded with zeros to at least places decimals so that a
// right-aligned column lines up on the decimal point. Padding never rounds:
// places below what d needs are raised to it.
func amount(currency string, d decimal.Decimal, places int32) string {
	places = max(places, decimals(d))
	s := groupDigits(d.StringFixed(places))
	if currency == "" {
		return s
	}
	return currency + " " + s
}

// finality names whether a month's data is final.
func finality(final bool) string {
	if final {
		return "Final"
	}
	return "Provisional"
}

// providerName writes a provider the way accountants know it.
func providerName(p lineitem.Provider) string {
	if p == lineitem.AWS {
		return "AWS"
	}
	return strings.ToUpper(string(p))
}

// baseName is a file's name without its folder; archive members keep the
// member name ("report.zip:part-1.csv").
func baseName(path string) string { return filepath.Base(path) }

// formatName names a file format by the registry's short name; unknown
// codes are shown as they are.
func formatName(code string) string {
	if f, _, ok := ingest.Formats.Format(code); ok {
		return f.Short
	}
	return code
}
