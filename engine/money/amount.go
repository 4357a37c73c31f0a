package money

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/shopspring/decimal"
)

// The range of amounts Rebill holds. Providers write at most 28 decimals
// (Azure) and no bill comes near 10^28; beyond this a number is a damaged or
// hostile field, and an exponent like 1e-9999 would make every later sum
// carry ten thousand digits.
const (
	// MaxExponent bounds the power of ten of an amount's last significant
	// digit, both ways: 1e30 and 1e-30 are the extremes.
	MaxExponent = 30
	// MaxIntegerDigits bounds the digits before the decimal point.
	MaxIntegerDigits = 28
	// maxNumberLen bounds the text of a number: the widest amount in range
	// written out in full is about 60 characters. Longer text is refused
	// before it is parsed, because parsing a megabyte of digits takes
	// seconds.
	maxNumberLen = 128
)

// ErrOutOfRange is wrapped by Parse and CheckAmount for numbers outside the
// range above.
var ErrOutOfRange = errors.New("out of range")

// CheckAmount tells whether d lies in the range Rebill holds: its exponent
// (trailing zeros aside) within ±MaxExponent and at most MaxIntegerDigits
// digits before the point. The error says which bound d breaks.
func CheckAmount(d decimal.Decimal) error {
	exp := d.Exponent()
	if exp >= -MaxExponent && exp <= 0 && d.NumDigits() <= MaxIntegerDigits {
		// The common case, settled without touching the coefficient.
		return nil
	}
	if d.IsZero() {
		return nil
	}
	if exp > MaxExponent || exp < -MaxExponent && !endsInZeros(d, int(-MaxExponent-exp)) {
		// Written 1.000...0 with 40 zeros, 1 is still in range: only the
		// significant digits count.
		return rangeError(fmt.Sprintf("its exponent is outside ±%d", MaxExponent))
	}
	if intDigits := int64(d.NumDigits()) + int64(exp); intDigits > MaxIntegerDigits {
		return rangeError(fmt.Sprintf("it has more than %d digits before the decimal point", MaxIntegerDigits))
	}
	return nil
}

// rangeError says which bound a number breaks; errors.Is matches it to
// ErrOutOfRange without the message saying "out of range" twice.
type rangeError string

func (e rangeError) Error() string        { return string(e) }
func (e rangeError) Is(target error) bool { return target == ErrOutOfRange }

// endsInZeros tells whether d's coefficient ends in at least n zeros.
func endsInZeros(d decimal.Decimal, n int) bool {
	if n >= d.NumDigits() {
		return false // the coefficient is not zero (checked before)
	}
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
	return new(big.Int).Rem(d.Coefficient(), p).Sign() == 0
}
