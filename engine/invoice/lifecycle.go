package invoice

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"rebill/engine/billing"
	"rebill/engine/customer"
)

// NewDraft makes the Draft invoice of a customer's statement: the printed
// figures, the generation options, and snapshots of the customer and the
// reseller as they are now. id is the store's; now is when it was
// generated.
func NewDraft(id string, st *billing.Statement, c customer.Customer, p customer.Profile, now time.Time) (Invoice, error) {
	switch {
	case strings.TrimSpace(id) == "":
		return Invoice{}, fmt.Errorf("a draft needs an id")
	case st == nil:
		return Invoice{}, fmt.Errorf("a draft needs a statement")
	case st.CustomerID != c.ID:
		return Invoice{}, fmt.Errorf("the statement is %s's, not %s's", st.CustomerID, c.ID)
	case periodStart(st.Period).IsZero():
		return Invoice{}, fmt.Errorf("statement period %q is not a YYYY-MM month", st.Period)
	}
	f := FiguresOf(st)
	if err := f.attach(); err != nil {
		return Invoice{}, err
	}
	if err := f.check(); err != nil {
		return Invoice{}, fmt.Errorf("the statement of %s for %s does not add up: %w", c.ID, st.Period, err)
	}
	return Invoice{Version: Version, ID: id, Kind: KindInvoice, CustomerID: c.ID, Period: st.Period, Status: Draft,
		Figures: f, Options: st.Options, Accounts: slices.Clone(st.Accounts), AccountDays: slices.Clone(st.AccountDays), Customer: PartyOf(c), Seller: SellerOf(p),
		CreditUses: slices.Clone(st.CreditUses), Generated: now, Warnings: slices.Clone(st.Notes)}, nil
}

// NothingToBill reports whether a statement should not become an invoice,
// and why: generating invoices for a selection reports such customers
// instead of issuing empty invoices. A statement has nothing to bill when
// every printed figure is zero and it has no recurring charge (a customer
// with a recurring charge is invoiced even when it nets to zero). A
// statement whose charges reseller credits paid in full is billed: its
// invoice, total zero, is what records the credits' use.
func NothingToBill(st *billing.Statement) (string, bool) {
	f := FiguresOf(st)
	if f.LineCount() == 0 {
		return fmt.Sprintf("%s has no charges in %s", st.CustomerID, st.Period), true
	}
	for _, s := range st.Sections {
		for _, l := range s.Lines {
			if l.Trace != nil && len(l.Trace.Recurring) > 0 {
				return "", false
			}
		}
	}
	nonzero := false
	f.amounts(func(a *billing.Amount) { nonzero = nonzero || !a.IsZero() })
	if !nonzero {
		return fmt.Sprintf("%s's charges in %s round to zero", st.CustomerID, st.Period), true
	}
	return "", false
}

// Replace regenerates a Draft: fresh, a new draft of the same customer,
// period and kind, takes the old draft's id. An Open, Closed or Void
// invoice is never replaced (see Can).
func (inv Invoice) Replace(fresh Invoice) (Invoice, error) {
	if err := inv.Can(ActionRegenerate); err != nil {
		return Invoice{}, err
	}
	switch {
	case fresh.Status != Draft:
		return Invoice{}, fmt.Errorf("%s can only be replaced by a draft, not a %s invoice", inv.Label(), fresh.Status.Label())
	case fresh.CustomerID != inv.CustomerID || fresh.Period != inv.Period || fresh.Kind != inv.Kind:
		return Invoice{}, fmt.Errorf("%s cannot be replaced by the %s", inv.Label(), fresh.Label())
	}
	out := fresh.clone()
	out.ID = inv.ID
	return out, nil
}

// Approve issues a Draft: it takes the next number of its series, the
// issue date and (for an invoice) the due date, issue date plus the
// customer's payment terms, and names the invoice in its credit uses so
// the store can debit them. It returns the Open invoice and the series'
// next state, both for the store to write in one transaction.
//
// An invoice whose total is below zero is refused: money owed to the
// customer is a credit, and a credit is documented by a credit note linked
// to the invoice it corrects (its own series, its reason printed), never
// by a negative invoice in the invoice series.
func (inv Invoice) Approve(n Numbering, issue Date, now time.Time) (Invoice, Numbering, error) {
	if err := inv.Can(ActionApprove); err != nil {
		return Invoice{}, n, err
	}
	switch {
	case n.Series != inv.Kind:
		return Invoice{}, n, fmt.Errorf("the %s series cannot number %s", n.Series.Label(), inv.Label())
	case inv.Kind == KindInvoice && inv.Total.Decimal().IsNegative():
		return Invoice{}, n, fmt.Errorf("%s cannot be issued: its total is %s %s, and a negative invoice is a credit; issue a credit note against the invoice it corrects instead, and delete this draft",
			inv.Label(), inv.Currency, inv.Total)
	case strings.TrimSpace(inv.Seller.CompanyName) == "":
		return Invoice{}, n, fmt.Errorf("%s has no reseller company name: set it in Settings > Account information, then approve it again (the name set is the one it is issued with)", inv.Label())
	case issue.IsZero():
		return Invoice{}, n, fmt.Errorf("%s needs an issue date", inv.Label())
	case issue.Before(periodStart(inv.Period)):
		return Invoice{}, n, fmt.Errorf("issue date %s is before the billing period %s of %s", issue, inv.Period, inv.Label())
	}
	num, next, err := n.Assign(issue)
	if err != nil {
		return Invoice{}, n, err
	}
	out := inv.clone()
	out.Status, out.Number, out.IssueDate, out.Approved = Open, num, issue, now.UTC()
	if out.Kind == KindInvoice {
		out.DueDate = issue.AddDays(out.Customer.TermsDays)
	}
	for i := range out.CreditUses {
		out.CreditUses[i].Invoice, out.CreditUses[i].At = out.ID, now
	}
	return out, next, nil
}

// Close records that an Open invoice is settled: paid on a day (not before
// it was issued), with the payment's reference when there is one.
func (inv Invoice) Close(paid Date, ref string) (Invoice, error) {
	if err := inv.Can(ActionClose); err != nil {
		return Invoice{}, err
	}
	switch {
	case paid.IsZero():
		return Invoice{}, fmt.Errorf("closing %s needs the payment date", inv.Label())
	case paid.Before(inv.IssueDate):
		return Invoice{}, fmt.Errorf("%s was issued on %s and cannot have been paid on %s", inv.Label(), inv.IssueDate, paid)
	}
	out := inv.clone()
	out.Status, out.PaidDate, out.PaymentRef = Closed, paid, strings.TrimSpace(ref)
	return out, nil
}

// Void cancels an Open invoice with the reason, at an instant (its day is
// the void date). It keeps its number, which is never reused.
func (inv Invoice) Void(reason string, at time.Time) (Invoice, error) {
	on := DateOf(at)
	if err := inv.Can(ActionVoid); err != nil {
		return Invoice{}, err
	}
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return Invoice{}, fmt.Errorf("voiding %s needs a reason (it is printed on the voided document)", inv.Label())
	case on.IsZero():
		return Invoice{}, fmt.Errorf("voiding %s needs the date", inv.Label())
	case on.Before(inv.IssueDate):
		return Invoice{}, fmt.Errorf("%s was issued on %s and cannot be voided on %s", inv.Label(), inv.IssueDate, on)
	case inv.Kind == KindCreditNote && inv.CreditsApplied.Decimal().IsPositive():
		// Voiding it would take back credits the customer may have
		// spent since.
		return Invoice{}, fmt.Errorf("%s gave %s %s of reseller credit back to %s and cannot be voided: issue a new invoice for what it credited instead",
			inv.Label(), inv.Currency, inv.CreditsApplied, inv.CustomerID)
	}
	out := inv.clone()
	out.Status, out.VoidReason, out.VoidDate, out.Voided = Void, reason, on, at
	return out, nil
}
