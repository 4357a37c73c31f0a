package billing

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/aggregate"
	"rebill/engine/customer"
	"rebill/engine/lineitem"
	"rebill/engine/money"
)

// lineType and commitmentOwner are the line's type and commitment owner
// as the rules read them; the rules live in engine/aggregate, which groups
// line items by them at import.
var (
	lineType        = aggregate.LineType
	commitmentOwner = aggregate.CommitmentOwner
)

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
//     Other providers' usage a commitment covered is DiscountedUsage (see
//     lineType) and follows the same rule; their purchases stay with the
//     buying subscription's customer.
//
// Microsoft's partner earned credit (lineitem.Item.PartnerCredit) is the
// reseller's margin: wherever a line is charged as billed (unblended,
// blended or re-rated and kept), the customer pays the cost before the
// credit, unless passOn (Options.PassPartnerCredit) gives it to the
// customer. At list price there is no credit to keep.
type rerate struct {
	charged, chargedCents decimal.Decimal
	// rerated is set on DiscountedUsage and SavingsPlanNegation lines under
	// the re-rated basis, kept when the commitment is the customer's own.
	rerated bool
	kept    bool
	// ownerCustomer is the customer of the commitment's buying account.
	ownerCustomer string
	// asBilled is set when charged is the provider's billed cost (not the
	// list price): the partner earned credit is added back to it.
	asBilled bool
}

func (m *Month) rerate(b *bucket, basis customer.CostBasis, customerID string, passOn bool) rerate {
	r := m.rerateBilled(b, basis, customerID)
	if r.asBilled && !passOn && !b.tot.partner.IsZero() {
		r.charged = r.charged.Add(b.tot.partner)
		r.chargedCents = r.chargedCents.Add(b.tot.partnerCents)
	}
	return r
}

// rerateBilled is rerate before the partner earned credit.
func (m *Month) rerateBilled(b *bucket, basis customer.CostBasis, customerID string) rerate {
	t := &b.tot
	switch basis {
	case customer.BasisBlended:
		return rerate{charged: t.blended, chargedCents: t.blendedCents, asBilled: true}
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
			r := rerate{rerated: true, ownerCustomer: m.commitmentCustomer(b.key)}
			r.kept = b.key.owner == b.key.account || r.ownerCustomer != "" && r.ownerCustomer == customerID
			switch {
			case r.kept:
				r.charged, r.chargedCents, r.asBilled = t.unblended, t.unblendedCents, true
			case b.key.typ == lineitem.DiscountedUsage:
				r.charged, r.chargedCents = t.list, t.listCents
			}
			return r
		}
	}
	return rerate{charged: t.unblended, chargedCents: t.unblendedCents, asBilled: true}
}

// NoteUnknownBuyer is the statement's note when usage a reservation or
// commitment covered (DiscountedUsage, see lineType) names no buyer (an Azure file without the
// purchase's row, so no CommitmentOwner): re-rated, it is billed at the
// pay-as-you-go price as another customer's benefit would be, the rule
// AWS usage gets when its ReservationARN names no account. The accountant
// checks who bought it: when the customer did, map the buying
// subscription to it, or bill it at the unblended basis.
const NoteUnknownBuyer = "%s %s of usage covered by a reservation or commitment whose buyer the file does not name (%s) is billed at the pay-as-you-go price, %s %s: check who bought it; if this customer did, map the buying account to it"

// noteUnknownBuyer adds NoteUnknownBuyer under the re-rated basis for
// the statement's provider, other than AWS (whose ARN names the buyer).
func (b *builder) noteUnknownBuyer() {
	if b.basis != customer.BasisRerated || b.provider == lineitem.AWS {
		return
	}
	var billed, list decimal.Decimal
	var accounts []string
	cur := ""
	for _, bk := range b.m.byCustomer[b.c.ID] {
		if bk.key.provider != b.provider || bk.key.typ != lineitem.DiscountedUsage || bk.key.owner != "" {
			continue
		}
		cur = bk.key.currency // the file's: the note states the provider's figures
		billed, list = billed.Add(bk.tot.unblended), list.Add(bk.tot.list)
		if !slices.Contains(accounts, bk.key.account) {
			accounts = append(accounts, bk.key.account)
		}
	}
	if len(accounts) == 0 {
		return
	}
	slices.Sort(accounts)
	b.notes = append(b.notes, fmt.Sprintf(NoteUnknownBuyer, cur, money.Text(billed, cur), strings.Join(accounts, ", "), cur, money.Text(list, cur)))
}
