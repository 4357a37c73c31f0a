// Package money holds Rebill's one representation of amounts (shopspring
// decimals, never float64) and the exact parsing of the numbers providers write.
package money

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"rebill/engine/excerpt"
)

// ErrNotNumber is wrapped by Parse for text that is not a decimal number.
var ErrNotNumber = errors.New("not a number")

// IsNull reports whether a field holds one of the ways providers write "no
// value": an empty field, Hive's \N or the literal NULL.
func IsNull(b []byte) bool {
	switch len(b) {
	case 0:
		return true
	case 2:
		return b[0] == '\\' && b[1] == 'N'
	case 4:
		return string(b) == "NULL" || string(b) == "null"
	}
	return false
}

// maxFastDigits is how many significant digits always fit an int64 mantissa.
const maxFastDigits = 18

// Parse reads a number exactly as a provider file writes it: plain
// ("-0.0123"), scientific ("1.4724E-6", "5e-06") or null (see IsNull, which
// reads as zero). Every digit is kept; nothing is rounded.
//
// The common case is parsed without big-number arithmetic because an import
// parses several amounts per line item, millions of times.
//
// A number outside the range CheckAmount allows is refused with an error
// wrapping ErrOutOfRange, so that no sum or invoice ever meets one.
func Parse(b []byte) (decimal.Decimal, error) {
	b = trimSpace(b)
	if IsNull(b) {
		return decimal.Decimal{}, nil
	}
	if m, exp, ok := parseFast(b); ok {
		if m == 0 {
			// Most CUR amounts are zero; the zero Decimal needs no allocation.
			return decimal.Decimal{}, nil
		}
		d := decimal.New(m, exp)
		if exp < -MaxExponent || exp > 0 {
			// At most 18 digits and a non-positive exponent are always
			// in range; only the rest needs the check.
			if err := CheckAmount(d); err != nil {
				return decimal.Decimal{}, fmt.Errorf("%s is not an amount Rebill can hold: %w", excerpt.Bytes(b), err)
			}
		}
		return d, nil
	}
	if len(b) > maxNumberLen {
		if looksNumeric(b) {
			return decimal.Decimal{}, fmt.Errorf("%s is not an amount Rebill can hold: %w",
				excerpt.Bytes(b), rangeError(fmt.Sprintf("it is longer than %d characters", maxNumberLen)))
		}
		return decimal.Decimal{}, fmt.Errorf("%s is %w", excerpt.Bytes(b), ErrNotNumber)
	}
	d, err := decimal.NewFromString(string(b))
	if err != nil || !looksNumeric(b) {
		if err != nil && looksNumeric(b) && exponentTooLong(b) {
			return decimal.Decimal{}, fmt.Errorf("%s is not an amount Rebill can hold: %w",
				excerpt.Bytes(b), rangeError(fmt.Sprintf("its exponent is outside ±%d", MaxExponent)))
		}
		return decimal.Decimal{}, fmt.Errorf("%s is %w", excerpt.Bytes(b), ErrNotNumber)
	}
	if err := CheckAmount(d); err != nil {
		return decimal.Decimal{}, fmt.Errorf("%s is not an amount Rebill can hold: %w", excerpt.Bytes(b), err)
	}
	return d, nil
}

// exponentTooLong tells whether b is mantissa digits and an exponent of
// more digits than any int32 holds, which decimal refuses without saying
// why.
func exponentTooLong(b []byte) bool {
	i := bytes.IndexAny(b, "eE")
	if i <= 0 {
		return false
	}
	e := b[i+1:]
	if len(e) > 0 && (e[0] == '-' || e[0] == '+') {
		e = e[1:]
	}
	if len(e) < 10 {
		return false
	}
	for _, c := range e {
		if c < '0' || c > '9' {
			return false
		}
	}
	_, err := decimal.NewFromString(string(b[:i]))
	return err == nil
}

// parseFast handles numbers with at most maxFastDigits significant digits.
func parseFast(b []byte) (mantissa int64, exp int32, ok bool) {
	i := 0
	neg := false
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		neg = b[i] == '-'
		i++
	}
	digits, sawDigit, sawDot := 0, false, false
	for ; i < len(b); i++ {
		c := b[i]
		switch {
		case c >= '0' && c <= '9':
			sawDigit = true
			if mantissa == 0 && c == '0' {
				// Leading zeros carry no digits of their own.
			} else {
				if digits == maxFastDigits {
					return 0, 0, false
				}
				digits++
				mantissa = mantissa*10 + int64(c-'0')
			}
			if sawDot {
				exp--
			}
		case c == '.' && !sawDot:
			sawDot = true
		case c == 'e' || c == 'E':
			if !sawDigit {
				return 0, 0, false
			}
			e, ok := parseExponent(b[i+1:])
			if !ok {
				return 0, 0, false
			}
			exp += e
			i = len(b)
		default:
			return 0, 0, false
		}
	}
	if !sawDigit {
		return 0, 0, false
	}
	if neg {
		mantissa = -mantissa
	}
	return mantissa, exp, true
}

func parseExponent(b []byte) (int32, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 4 {
		return 0, false
	}
	var e int32
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		e = e*10 + int32(c-'0')
	}
	if neg {
		e = -e
	}
	return e, true
}

// looksNumeric rejects what decimal.NewFromString tolerates but no billing
// file means as a number.
func looksNumeric(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			return false
		}
	}
	return len(b) > 0
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}
