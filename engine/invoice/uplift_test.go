package invoice

import (
	"testing"

	"github.com/shopspring/decimal"
)

// TestIsUplift: the adjustment is an uplift by its rate's sign; without
// a recorded rate, by its amount against the subtotal, so that a credit
// note (the invoice's figures negated) reverses a discount as a discount.
func TestIsUplift(t *testing.T) {
	for _, tc := range []struct {
		name                        string
		subtotal, discount, percent string
		want                        bool
	}{
		{"invoice, discount 5%", "81.01", "-4.05", "-5", false},
		{"invoice, uplift 12%", "100.00", "12.00", "12", true},
		{"credit note of a discount", "-81.01", "4.05", "-5", false},
		{"credit note of an uplift", "-100.00", "-12.00", "12", true},
		{"invoice, discount, no rate recorded", "100.00", "-3.00", "0", false},
		{"invoice, uplift, no rate recorded", "100.00", "3.00", "0", true},
		{"credit note of a discount, no rate recorded", "-100.00", "3.00", "0", false},
		{"credit note of an uplift, no rate recorded", "-100.00", "-3.00", "0", true},
		{"nothing", "100.00", "0", "0", false},
	} {
		f := Figures{Currency: "USD", Subtotal: printed(decimal.RequireFromString(tc.subtotal), "USD"),
			Discount: printed(decimal.RequireFromString(tc.discount), "USD"), DiscountPercent: decimal.RequireFromString(tc.percent)}
		if got := f.IsUplift(); got != tc.want {
			t.Errorf("%s: IsUplift %v, want %v", tc.name, got, tc.want)
		}
	}
}
