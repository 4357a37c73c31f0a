package invoice

import (
	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/money"
)

// upliftBase reports whether a section's lines are in the base of the
// global discount or uplift (billing's discount: the AWS charges and the
// provider's credits), as opposed to Support, Marketplace and the
// reseller's recurring charges, which it never touches.
func upliftBase(t billing.ProductType) bool {
	return t != billing.Support && t != billing.Marketplace && t != billing.Recurring
}

// Printed is the figures as documents print them. An uplift (a positive
// adjustment) is by default part of the price the customer pays, not a
// line of its own: when the reseller's profile has no uplift wording
// (Seller.UpliftWording), the uplift is folded into the lines it was
// computed on, each line taking its share. With a wording, or for a
// discount, the figures are the stored ones and the totals print the
// adjustment with its rate and base.
//
// Folding never changes what is owed: the stored figures keep the uplift
// apart (they are the invoice), the printed subtotal grows by exactly the
// uplift, the tax and the total are the same, and every printed line
// still adds up. The uplift is split in proportion to the lines, each
// share rounded to the minor unit and the cents left by rounding given
// to the lines whose shares were rounded the most (the largest remainder
// method), so the shares add up to the uplift exactly. An invoice whose
// uplift base is not the sum of those lines (one made before the base
// was recorded, or whose base was negative and got no uplift) is printed
// unfolded, with its rate.
func (f Figures) Printed(upliftWording string) Figures {
	if upliftWording != "" || !f.DiscountPercent.IsPositive() || f.Discount.IsZero() {
		return f
	}
	type share struct {
		sec, line int
		exact     decimal.Decimal
		amount    billing.Amount
	}
	var shares []share
	base := zero(f.Currency)
	for i, s := range f.Sections {
		if !upliftBase(s.ProductType) {
			continue
		}
		for j, l := range s.Lines {
			shares = append(shares, share{sec: i, line: j})
			base = base.Add(l.Amount)
		}
	}
	// A credit note mirroring the invoice has the base and the uplift
	// negated with its lines: they fold the same way.
	if !base.Decimal().Equal(f.DiscountBase) || base.IsZero() {
		return f
	}
	out := f.clone()
	u := f.Discount.Decimal()
	allotted := zero(f.Currency)
	for k := range shares {
		sh := &shares[k]
		a := f.Sections[sh.sec].Lines[sh.line].Amount.Decimal()
		sh.exact = u.Mul(a).DivRound(base.Decimal(), 16)
		sh.amount = printed(sh.exact.RoundFloor(money.Places(f.Currency)), f.Currency) // the rest is given out below
		allotted = allotted.Add(sh.amount)
	}
	// Each share rounded down (toward minus infinity, also on a credit
	// note) leaves a remainder under one minor unit, so fewer units than
	// there are shares are left to give: one each to the shares with the
	// largest remainders (ties: the earlier line).
	unit := printed(decimal.New(1, -money.Places(f.Currency)), f.Currency)
	for left := f.Discount.Add(allotted.Neg()); left.Decimal().IsPositive(); left = left.Add(unit.Neg()) {
		best := -1
		var most decimal.Decimal
		for k, sh := range shares {
			r := sh.exact.Sub(sh.amount.Decimal())
			if best < 0 || r.GreaterThan(most) {
				best, most = k, r
			}
		}
		shares[best].amount = shares[best].amount.Add(unit)
		shares[best].exact = shares[best].amount.Decimal() // given its cent: last in line for another
	}
	for _, sh := range shares {
		s := &out.Sections[sh.sec]
		l := &s.Lines[sh.line]
		l.Amount = l.Amount.Add(sh.amount)
		l.Unrounded = l.Unrounded.Add(sh.amount.Decimal())
		s.Subtotal = s.Subtotal.Add(sh.amount)
	}
	out.Subtotal = out.Subtotal.Add(f.Discount)
	out.Discount, out.DiscountPercent, out.DiscountBase = zero(f.Currency), decimal.Zero, decimal.Zero
	return out
}
