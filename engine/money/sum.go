package money

import (
	"math/bits"

	"github.com/shopspring/decimal"
)

// Sum adds decimals exactly. It keeps a running int64 coefficient at the
// finest exponent seen and falls back to decimal arithmetic only on overflow,
// because totalling millions of line items with big-number additions alone
// would dominate an import. The zero Sum is ready to use.
type Sum struct {
	coef int64 // running total of small terms, scaled by 10^exp
	exp  int32
	used bool
	// spill is what no longer fitted coef, nil while nothing did: a
	// pointer, so that a Sum takes 24 bytes, not 32 (an import holds 14
	// per group, for hundreds of thousands of groups).
	spill *decimal.Decimal
}

// Add adds d to the sum.
func (s *Sum) Add(d decimal.Decimal) {
	if coef, exp, ok := Coefficient(d); ok {
		s.AddCoefficient(coef, exp)
		return
	}
	s.addSpill(d)
}

// Coefficient returns d as coef × 10^exp when its coefficient has at
// most 18 digits (ok), as nearly every amount's has, so that whoever adds
// or writes millions of amounts does so in int64 and leaves the rest to
// decimal arithmetic. A zero d gives coef 0 and ok, at once: most of
// a line item's amounts are zero, and an import asks this of every amount
// of every line item, several times.
func Coefficient(d decimal.Decimal) (coef int64, exp int32, ok bool) {
	if d.IsZero() {
		return 0, d.Exponent(), true
	}
	if d.NumDigits() > 18 {
		return 0, 0, false
	}
	return d.CoefficientInt64(), d.Exponent(), true
}

// SmallCoefficient tells whether c has at most 18 digits, Coefficient's
// bound, for a coefficient already in an int64 (a Sum's, which may reach
// 19): whoever writes both kinds writes them alike.
func SmallCoefficient(c int64) bool { return c > -1e18 && c < 1e18 }

// AddCoefficient adds coef x 10^exp without building a decimal.
func (s *Sum) AddCoefficient(coef int64, exp int32) {
	if coef == 0 {
		return
	}
	if !s.used {
		s.coef, s.exp, s.used = coef, exp, true
		return
	}
	term := coef
	if exp > s.exp {
		if c, ok := Scale(coef, exp-s.exp); ok {
			term = c
		} else {
			s.addSpill(decimal.New(coef, exp))
			return
		}
	} else if exp < s.exp {
		c, ok := Scale(s.coef, s.exp-exp)
		if !ok {
			s.flush()
			s.coef, s.exp, s.used = coef, exp, true
			return
		}
		s.coef, s.exp = c, exp
	}
	sum := s.coef + term
	if (sum > s.coef) != (term > 0) { // overflow
		s.flush()
		s.coef, s.exp, s.used = coef, exp, true
		return
	}
	s.coef = sum
}

// AddSum adds another sum's total, its running coefficient without
// building a decimal of it.
func (s *Sum) AddSum(o Sum) {
	if o.used {
		s.AddCoefficient(o.coef, o.exp)
	}
	if o.spill != nil {
		s.addSpill(*o.spill)
	}
}

// Small returns the sum as coef × 10^exp without building a decimal,
// when none of it had to be kept as one (ok); the zero Sum is 0 × 10^0.
// Whoever stores millions of sums writes these directly.
func (s *Sum) Small() (coef int64, exp int32, ok bool) {
	if s.spill != nil && !s.spill.IsZero() {
		return 0, 0, false
	}
	if !s.used {
		return 0, 0, true
	}
	return s.coef, s.exp, true
}

// Total returns the exact sum.
func (s *Sum) Total() decimal.Decimal {
	if !s.used {
		return s.spilled()
	}
	return s.spilled().Add(decimal.New(s.coef, s.exp))
}

// addSpill adds d to the part kept as a decimal. It points the sum at a
// new decimal, never writing through the pointer: a copied Sum shares it.
func (s *Sum) addSpill(d decimal.Decimal) {
	v := s.spilled().Add(d)
	s.spill = &v
}

// spilled is the part kept as a decimal.
func (s *Sum) spilled() decimal.Decimal {
	if s.spill == nil {
		return decimal.Zero
	}
	return *s.spill
}

func (s *Sum) flush() {
	if s.used {
		s.addSpill(decimal.New(s.coef, s.exp))
		s.coef, s.used = 0, false
	}
}

var pow10 = [...]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// Pow10 returns 10^n when it fits an int64 (n from 0 to 18).
func Pow10(n int32) (int64, bool) {
	if n < 0 || int(n) >= len(pow10) {
		return 0, false
	}
	return pow10[n], true
}

// Scale returns c x 10^n when n >= 0 and the product is at most 2^62 in
// size, which leaves a sum of two such terms room in an int64.
func Scale(c int64, n int32) (int64, bool) {
	if n < 0 || int(n) >= len(pow10) { // Pow10's bound, written out: Scale must stay cheap enough to inline
		return 0, false
	}
	p := pow10[n]
	neg := c < 0
	u := uint64(c)
	if neg {
		u = uint64(-c)
	}
	hi, lo := bits.Mul64(u, uint64(p))
	if hi != 0 || lo > 1<<62 {
		return 0, false
	}
	if neg {
		return -int64(lo), true
	}
	return int64(lo), true
}
