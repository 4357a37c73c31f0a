package invoice

import (
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
)

func withTotal(s, currency string) Invoice {
	var inv Invoice
	inv.Total = billing.HalfUp.Round(decimal.RequireFromString(s), currency)
	return inv
}

func TestChangeFrom(t *testing.T) {
	cases := []struct {
		name, prev, cur, by, pct string
		hasPct                   bool
	}{
		// 4.36 - 7.72 = -3.36; -3.36 / 7.72 = -43.52...% -> -43.5
		{"decrease", "7.72", "4.36", "-3.36", "-43.5", true},
		// 150.00 - 100.00 = 50.00 = +50.0%
		{"increase", "100.00", "150.00", "50", "50", true},
		// from a zero invoice there is no percentage
		{"from zero", "0", "12.00", "12", "0", false},
		// against a negative total the magnitude is the base: (5 - -10) / 10 = +150%
		{"from a credit", "-10.00", "5.00", "15", "150", true},
		// 1/3 of a cent-exact base: 1.00 / 3.00 = 33.333% -> 33.3
		{"rounded to one decimal", "3.00", "4.00", "1", "33.3", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, ok := ChangeFrom(withTotal(tc.prev, "USD"), withTotal(tc.cur, "USD"))
			if !ok || !c.By.Decimal().Equal(decimal.RequireFromString(tc.by)) || c.HasPercent != tc.hasPct ||
				!c.Percent.Equal(decimal.RequireFromString(tc.pct)) {
				t.Fatalf("ChangeFrom = %+v %v; want by %s, %s%% (%v)", c, ok, tc.by, tc.pct, tc.hasPct)
			}
		})
	}
	if _, ok := ChangeFrom(withTotal("1", "USD"), withTotal("1", "EUR")); ok {
		t.Fatal("currencies differ: no change can be computed")
	}
}

func TestTotalsByCurrency(t *testing.T) {
	got := TotalsByCurrency([]Invoice{withTotal("1.10", "USD"), withTotal("80", "EUR"), withTotal("2.25", "USD")})
	if len(got) != 2 || got[0].Currency() != "EUR" || got[0].String() != "80.00" || got[1].String() != "3.35" {
		t.Fatalf("got %v", got)
	}
}
