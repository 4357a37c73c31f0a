// Package excerpt shortens values for messages. A billing file can hold a
// field of megabytes, invalid UTF-8 or control bytes; an error message that
// quotes it must stay short and printable, so every message that shows a
// value from a file goes through Quote.
package excerpt

import (
	"strconv"
	"unicode/utf8"
)

// MaxRunes is how much of a value a message shows: enough to recognise it,
// short enough that a message stays a line or two.
const MaxRunes = 100

// Quote returns s as a Go-quoted string of at most MaxRunes characters of s
// (invalid bytes count as one and are shown as \xNN), followed by "…" when
// s was longer.
func Quote(s string) string {
	head, cut := Clip(s, MaxRunes)
	q := strconv.Quote(head)
	if cut {
		q += "…"
	}
	return q
}

// Bytes is Quote for a field still in a reader's buffer.
func Bytes(b []byte) string {
	if len(b) > 4*MaxRunes {
		// Only the head can be shown: copying the rest would cost as
		// much memory as the field itself.
		s, _ := Clip(string(b[:4*MaxRunes]), MaxRunes)
		return strconv.Quote(s) + "…"
	}
	return Quote(string(b))
}

// Clip returns the first n characters of s (an invalid byte counts as one)
// and whether anything was cut. It never splits a valid UTF-8 sequence.
func Clip(s string, n int) (string, bool) {
	if len(s) <= n {
		return s, false
	}
	i := 0
	for c := 0; i < len(s); c++ {
		if c == n {
			return s[:i], true
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s, false
}

// Name returns a name from a file (a column header, an archive member) fit
// for a message: as is when it is short printable text, otherwise quoted and
// clipped like a value.
func Name(s string) string {
	if len(s) <= MaxRunes && printable(s) {
		return s
	}
	return Quote(s)
}

func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !strconv.IsPrint(r) {
			return false
		}
	}
	return true
}
