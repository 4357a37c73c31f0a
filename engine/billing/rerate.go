package billing

import (
	"fmt"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
	"rebill/engine/lineitem"
)

// commitmentOwner is the account that bought the reservation or Savings
// Plan a line item belongs to (5th field of its ARN), "" for lines that
// belong to none. It is part of the month's sums so that re-rating can be
// decided per customer later, without reading the line items again.
func commitmentOwner(it *lineitem.Item) string {
	switch it.Type {
	case lineitem.DiscountedUsage, lineitem.RIFee:
		return lineitem.ARNAccount(it.ReservationARN)
	case lineitem.SavingsPlanCoveredUsage, lineitem.SavingsPlanNegation,
		lineitem.SavingsPlanRecurringFee, lineitem.SavingsPlanUpfrontFee:
		return lineitem.ARNAccount(it.SavingsPlanARN)
	}
	return ""
}

func validBasis(b customer.CostBasis) error {
	switch b {
	case customer.BasisRerated, customer.BasisUnblended, customer.BasisPublic, customer.BasisBlended:
		return nil
	}
	return fmt.Errorf("cost basis %q is not one of rerated, unblended, public, blended", b)
}

// rerate says how a bucket is charged to the customer its account belongs
// to under a cost basis.
//
//   - unblended: lineItem/UnblendedCost, exactly what the payer was billed
//     for the account.
//   - blended: lineItem/BlendedCost, AWS's family-averaged rate; for
//     comparison only.
//   - public (list price): usage lines (Usage, DiscountedUsage,
//     SavingsPlanCoveredUsage) at pricing/publicOnDemandCost (the unblended
//     cost where AWS leaves it empty); the commitment lines that buy or
//     cancel a discount (RIFee, Savings Plan fees and negations) and the
//     provider's discounts (IsProviderDiscount) at zero, since list
//     price has no discount to pay for; every other line (Tax, Credit,
//     Refund, Fee...) at its unblended cost.
//   - re-rated: the customer is billed as its own AWS family. A
//     DiscountedUsage line whose reservation was bought by an account of
//     another customer, or of no customer, is charged its public on-demand
//     cost; a SavingsPlanNegation of another customer's (or no customer's)
//     Savings Plan is not credited (zero), so its SavingsPlanCoveredUsage
//     line keeps its own on-demand cost. Everything else, including RIFee
//     and Savings Plan fees (AWS writes them in the buying account, so they
//     stay with its customer in full) and the benefit used by the buying
//     customer's own accounts, is the unblended cost, exactly as billed.
type rerate struct {
	charged, chargedCents decimal.Decimal
	// rerated is set on DiscountedUsage and SavingsPlanNegation lines under
	// the re-rated basis, kept when the commitment is the customer's own.
	rerated bool
	kept    bool
	// ownerCustomer is the customer of the commitment's buying account.
	ownerCustomer string
}

func (m *Month) rerate(b *bucket, basis customer.CostBasis, customerID string) rerate {
	t := &b.tot
	switch basis {
	case customer.BasisBlended:
		return rerate{charged: t.blended, chargedCents: t.blendedCents}
	case customer.BasisPublic:
		switch b.key.typ {
		case lineitem.Usage, lineitem.DiscountedUsage, lineitem.SavingsPlanCoveredUsage:
			return rerate{charged: t.list, chargedCents: t.listCents}
		case lineitem.RIFee, lineitem.SavingsPlanNegation, lineitem.SavingsPlanRecurringFee,
			lineitem.SavingsPlanUpfrontFee:
			return rerate{}
		}
		if IsProviderDiscount(b.key.typ) {
			return rerate{}
		}
	case customer.BasisRerated:
		switch b.key.typ {
		case lineitem.DiscountedUsage, lineitem.SavingsPlanNegation:
			r := rerate{rerated: true, ownerCustomer: m.cfg.Owners[b.key.owner]}
			r.kept = b.key.owner == b.key.account || r.ownerCustomer != "" && r.ownerCustomer == customerID
			switch {
			case r.kept:
				r.charged, r.chargedCents = t.unblended, t.unblendedCents
			case b.key.typ == lineitem.DiscountedUsage:
				r.charged, r.chargedCents = t.list, t.listCents
			}
			return r
		}
	}
	return rerate{charged: t.unblended, chargedCents: t.unblendedCents}
}
