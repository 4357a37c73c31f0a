package store

import (
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/money"
)

// TestAppendSum: a sum written without building a decimal reads back as
// its total, whether it is zero, has trailing zeros, is negative, sits at
// the int64 coefficient's edge or had to keep part of itself as a
// decimal; sumIsZero agrees with the total.
func TestAppendSum(t *testing.T) {
	for _, terms := range [][]string{
		{}, {"1.50"}, {"-0.0000001", "0.0000001"}, {"-12.345"}, {"999999999999999999"},
		{"0.999999999999999999", "0.000000000000000001"}, {"123456789012345678901234.5"},
		{"9000000000000000000", "900000000000000000"}, {"100", "0.01"},
	} {
		var s money.Sum
		want := decimal.Zero
		for _, x := range terms {
			d := decimal.RequireFromString(x)
			s.Add(d)
			want = want.Add(d)
		}
		r := reader{b: appendSum(nil, &s)}
		var got money.Sum
		r.addDecimal(&got)
		if r.err != nil || len(r.b) != 0 || !got.Total().Equal(want) {
			t.Errorf("%v: read back %s (%v, %d bytes left), want %s", terms, got.Total(), r.err, len(r.b), want)
		}
		if sumIsZero(&s) != want.IsZero() {
			t.Errorf("%v: sumIsZero %v, total %s", terms, sumIsZero(&s), want)
		}
	}
}
