// Package words writes numbers and counts as Rebill's messages and
// documents read them: "1,234,567.25", "1 row", "12,345 rows". Every face
// (the engine's messages, the store's, the window, the command line, the
// documents) counts with it, so a message never says "1 rows" or
// "3 problem(s)".
package words

import (
	"strconv"
	"strings"
)

// GroupDigits puts thousands separators into the integer part of a plain
// decimal string such as "-1234567.25": "-1,234,567.25".
func GroupDigits(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	b.WriteString(sign)
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// Count writes a count with thousands separators: "12,345".
func Count(n int64) string { return GroupDigits(strconv.FormatInt(n, 10)) }

// Noun is the noun for a count of n, without the count: "column" for 1,
// "columns" otherwise, for a list that follows it.
func Noun(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Plural writes a count and its noun: "1 file", "0 files", "12,345 files".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return Count(int64(n)) + " " + many
}

// List joins items as a sentence does: "EUR", "EUR and USD", "CHF, EUR
// and USD".
func List(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
