package money

import (
	"math/big"
	"math/rand"
	"testing"
	"unsafe"

	"github.com/shopspring/decimal"
)

func TestSumMatchesDecimal(t *testing.T) {
	cases := []struct {
		name string
		in   []string
	}{
		{"empty", nil},
		{"mixed exponents", []string{"0.0116000000", "1.4724E-6", "-5e-06", "12", "1E+3"}},
		{"cancelling", []string{"1.25", "-1.25"}},
		{"overflowing int64", []string{"9000000000000000000", "9000000000000000000", "0.000000001"}},
		{"huge precision", []string{"0.0000000000000000000000000001", "123456789012345678901234"}},
		{"finer exponent arrives late", []string{"123456789012.5", "0.0000000001"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var s Sum
			want := decimal.Zero
			for _, v := range tc.in {
				d := decimal.RequireFromString(v)
				s.Add(d)
				want = want.Add(d)
			}
			if got := s.Total(); !got.Equal(want) {
				t.Fatalf("Sum = %s, want %s", got, want)
			}
		})
	}
}

func TestSumRandom(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	var s Sum
	want := decimal.Zero
	for i := 0; i < 100000; i++ {
		d := decimal.New(r.Int63n(1<<40)-(1<<39), int32(-r.Intn(16)))
		if i%1000 == 0 {
			d = decimal.New(r.Int63(), int32(r.Intn(5)))
		}
		s.Add(d)
		want = want.Add(d)
	}
	if got := s.Total(); !got.Equal(want) {
		t.Fatalf("Sum = %s, want %s", got, want)
	}
}

// TestSumCopiesDoNotShareSpill: a copy of a sum that kept part of itself
// as a decimal goes its own way when either is added to.
func TestSumCopiesDoNotShareSpill(t *testing.T) {
	var a Sum
	a.Add(decimal.RequireFromString("123456789012345678901234.5"))
	b := a
	b.Add(decimal.RequireFromString("1000000000000000000000000"))
	a.AddSum(b)
	if got := b.Total().String(); got != "1123456789012345678901234.5" {
		t.Errorf("the copy: %s", got)
	}
	if got := a.Total().String(); got != "1246913578024691357802469" {
		t.Errorf("the original: %s", got)
	}
	if unsafe.Sizeof(a) != 24 {
		t.Errorf("a Sum takes %d bytes, want 24", unsafe.Sizeof(a))
	}
}

// Coefficient gives a coefficient of up to 18 digits as an int64 and
// refuses a longer one, including one whose low 64 bits alone would look
// small (2^64 + 5 must not come back as 5).
func TestCoefficient(t *testing.T) {
	wrapped := new(big.Int).Add(new(big.Int).Lsh(big.NewInt(1), 64), big.NewInt(5))
	for _, tc := range []struct {
		d    decimal.Decimal
		coef int64
		exp  int32
		ok   bool
	}{
		{decimal.RequireFromString("123.45"), 12345, -2, true},
		{decimal.RequireFromString("-0.000000000000000001"), -1, -18, true},
		{decimal.New(0, -3), 0, -3, true},
		{decimal.Decimal{}, 0, 0, true},
		{decimal.RequireFromString("999999999999999999"), 999999999999999999, 0, true},
		{decimal.RequireFromString("-99999999999999999.9"), -999999999999999999, -1, true},
		{decimal.RequireFromString("1000000000000000000"), 0, 0, false},
		{decimal.RequireFromString("0.1234567890123456789"), 0, 0, false},
		{decimal.NewFromBigInt(wrapped, -2), 0, 0, false},
	} {
		coef, exp, ok := Coefficient(tc.d)
		if coef != tc.coef || exp != tc.exp || ok != tc.ok {
			t.Errorf("Coefficient(%s) = %d, %d, %v; want %d, %d, %v", tc.d, coef, exp, ok, tc.coef, tc.exp, tc.ok)
		}
	}
}

// SmallCoefficient draws Coefficient's line for an int64 already made.
func TestSmallCoefficient(t *testing.T) {
	for c, want := range map[int64]bool{0: true, 999999999999999999: true, -999999999999999999: true,
		1000000000000000000: false, -1000000000000000000: false, 1 << 62: false} {
		if got := SmallCoefficient(c); got != want {
			t.Errorf("SmallCoefficient(%d) = %v, want %v", c, got, want)
		}
	}
}

// TestScale: c x 10^n only while it stays within 2^62 (4,611,686,018,427,387,904)
// either way, so that two such terms still add up inside an int64; Pow10
// only for 0 to 18.
func TestScale(t *testing.T) {
	for _, c := range []struct {
		c    int64
		n    int32
		want int64
		ok   bool
	}{
		{123, 0, 123, true}, {123, 2, 12300, true}, {-7, 3, -7000, true}, {0, 18, 0, true},
		{4, 18, 4e18, true}, {-4, 18, -4e18, true}, // under 2^62
		{5, 18, 0, false}, {-5, 18, 0, false}, // 5e18 is over 2^62
		{461168601842738790, 1, 4611686018427387900, true}, {461168601842738791, 1, 0, false},
		{1 << 62, 0, 1 << 62, true}, {1<<62 + 1, 0, 0, false}, {-1 << 63, 0, 0, false},
		{1, 19, 0, false}, {1, -1, 0, false},
	} {
		got, ok := Scale(c.c, c.n)
		if got != c.want || ok != c.ok {
			t.Errorf("Scale(%d, %d) = %d, %v; want %d, %v", c.c, c.n, got, ok, c.want, c.ok)
		}
	}
	for n, want := range map[int32]int64{0: 1, 1: 10, 2: 100, 9: 1e9, 18: 1e18, 19: 0, -1: 0} {
		if got, ok := Pow10(n); got != want || ok != (want != 0) {
			t.Errorf("Pow10(%d) = %d, %v; want %d", n, got, ok, want)
		}
	}
}
