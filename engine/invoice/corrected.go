package invoice

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"rebill/engine/billing"
)

// The rules the store's correction use cases ask: which issued invoices
// still need a correction, which a credit note can correct, and the
// credit ledger a correction computes with.

// NeedsCorrection returns nil when the invoice's month differs from it
// (d, its Difference with a fresh statement) and its credit notes among
// docs do not already account for the difference, or the reason there is
// nothing to correct. An invoice corrected by a credit note of the
// differences still differs from the fresh figures by exactly that note:
// its credit notes adding up to the difference in total means it was
// corrected (and a manual credit note of the very same amount is taken as
// the correction).
func (inv Invoice) NeedsCorrection(docs []Invoice, d Difference) error {
	if !d.Changed() {
		return fmt.Errorf("%s matches the fresh figures of %s: there is nothing to correct", inv.Label(), inv.Period)
	}
	notes := inv.CreditNotes(docs)
	if len(notes) == 0 {
		return nil
	}
	credited := inv.Creditable(notes).Add(inv.Total.Neg()) // the notes' totals: negative
	if credited.Decimal().Equal(d.Total.By.Decimal()) {
		return fmt.Errorf("%s was already corrected by %s: its credit notes account for the change of %s", inv.Label(), notes[len(notes)-1].Label(), d.Total.By)
	}
	return nil
}

// CheckCorrectable refuses to correct an invoice a credit note cannot
// reduce: one whose total is zero because reseller credits paid it (what
// changed is how much credit it used, which only a new invoice can say),
// or one credited in full already.
func (inv Invoice) CheckCorrectable(docs []Invoice) error {
	if inv.CreditedInFull(docs) {
		return fmt.Errorf("%s is credited in full already: there is nothing left to correct on it", inv.Label())
	}
	if inv.Creditable(docs).Decimal().IsPositive() {
		return nil
	}
	return fmt.Errorf("%s totals %s %s (reseller credits paid it), so no credit note can correct it: void it, which gives its credits back, and generate %s's invoice for %s again",
		inv.Label(), inv.Currency, inv.Total, inv.CustomerID, inv.Period)
}

// LedgerAsIssued is a customer's credit ledger as the issued invoice
// found it when it was approved at: the grants given by then (and those
// it used, whatever their clock said) and the uses recorded by then,
// except the invoice's own; so its month computed again differs from it
// only by what changed in the data or the rules. A zero at (no record of
// the approval) keeps every grant and use but the invoice's own.
func (inv Invoice) LedgerAsIssued(l billing.Ledger, at time.Time) billing.Ledger {
	used := map[uint64]bool{}
	for _, u := range inv.CreditUses {
		used[u.Grant] = true
	}
	var out billing.Ledger
	for _, g := range l.Grants {
		if at.IsZero() || !g.Granted.After(at) || used[g.ID] {
			out.Grants = append(out.Grants, g)
		}
	}
	for _, u := range l.Uses {
		if u.Invoice != inv.ID && (at.IsZero() || !u.At.After(at)) {
			out.Uses = append(out.Uses, u)
		}
	}
	return out
}

// ApprovedAt is when the document was issued: Approved, or for a
// document issued before that was recorded, when its reseller credits
// were debited (the same instant); zero when neither is known.
func (inv Invoice) ApprovedAt() time.Time {
	if !inv.Approved.IsZero() {
		return inv.Approved
	}
	for _, u := range inv.CreditUses {
		if !u.At.IsZero() {
			return u.At
		}
	}
	return time.Time{}
}

// DraftOf returns the customer's draft invoice among docs, the documents
// of one customer and month, if any: the one generating replaces.
func DraftOf(docs []Invoice) (Invoice, bool) {
	for _, d := range docs {
		if d.Kind == KindInvoice && d.Status == Draft {
			return d, true
		}
	}
	return Invoice{}, false
}

// SortForApproval orders drafts as they are numbered when approved
// together: by customer name, then customer id, then period, then
// provider (in billing.BilledProviders' order), so the numbers follow the
// order an accountant reads the list in.
func SortForApproval(ds []Invoice) {
	slices.SortStableFunc(ds, func(a, b Invoice) int {
		if c := strings.Compare(a.Customer.Name, b.Customer.Name); c != 0 {
			return c
		}
		if c := strings.Compare(a.CustomerID, b.CustomerID); c != 0 {
			return c
		}
		if c := strings.Compare(a.Period, b.Period); c != 0 {
			return c
		}
		return providerRank(a.Provider()) - providerRank(b.Provider())
	})
}
