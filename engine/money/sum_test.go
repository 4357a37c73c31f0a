package money

import (
	"math/rand"
	"testing"

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
