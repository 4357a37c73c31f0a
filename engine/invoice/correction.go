package invoice

import (
	"fmt"
	"strings"
	"time"

	"rebill/engine/billing"
	"rebill/engine/customer"
)

// CorrectionRequest asks for the correction of an issued invoice whose
// month now computes differently.
type CorrectionRequest struct {
	// Fresh is the month's statement computed again, with the invoice's
	// options and exchange rates (see Invoice.RateFunc).
	Fresh *billing.Statement
	// Earlier are the invoice's credit notes so far (others are ignored).
	Earlier []Invoice
	// CreditNoteID and ReplacementID are the store's ids for the credit
	// note and, when one is needed, the replacement draft.
	CreditNoteID, ReplacementID string
	// Customer and Profile are snapshotted on the replacement draft, as on
	// any new draft.
	Customer customer.Customer
	Profile  customer.Profile
	Reason   string // "" gives a standard reason naming the month
	Now      time.Time
}

// Correction is what corrects an issued invoice: a Draft credit note and,
// when the credit note alone cannot say it, a Draft replacement invoice.
// The store approves the credit note at once (the accountant asked for the
// correction in one step) and lists the replacement with the other drafts.
type Correction struct {
	Difference  Difference `json:"difference"`
	CreditNote  Invoice    `json:"credit_note"`
	Replacement *Invoice   `json:"replacement,omitempty"`
}

// Correct builds the correction of an Open or Closed invoice from a fresh
// statement of its month. The choice:
//
//   - When the total went down and no service line went up, and the
//     invoice has no credit note yet, one credit note of the differences:
//     each changed line, discount, support, Marketplace, credits and tax
//     by how much it changed. The invoice plus the note is then exactly
//     the fresh statement, figure by figure. This is the common case (a
//     late provider credit or refund) and the smallest honest document:
//     the invoice, perhaps already paid, stands.
//   - Otherwise (the total went up, lines moved both ways, or the invoice
//     was already partly credited), a credit note for everything left on
//     the invoice plus a new draft invoice of the fresh statement. A
//     credit note can only reduce what is owed, and an "adjusting invoice"
//     of differences would split the month over two documents whose
//     support minimums and tiers, discount and per-rate tax rounding do
//     not decompose line by line; the replacement is one complete invoice
//     computed by the same rules as every other, and the customer needs
//     nothing else to read it.
func (inv Invoice) Correct(req CorrectionRequest) (Correction, error) {
	if err := inv.Can(ActionCredit); err != nil {
		return Correction{}, err
	}
	d, err := Diff(inv, req.Fresh)
	if err != nil {
		return Correction{}, err
	}
	if !d.Changed() {
		return Correction{}, fmt.Errorf("%s matches the fresh figures of %s: there is nothing to correct", inv.Label(), inv.Period)
	}
	reason := strings.TrimSpace(req.Reason)
	if reason == "" {
		reason = fmt.Sprintf("Correction: the billing data for %s changed after %s was issued", inv.Period, inv.Label())
	}
	if inv.reducesOnly(d, req.Earlier) {
		note, err := inv.differenceNote(d, req.CreditNoteID, reason, req.Now)
		return Correction{Difference: d, CreditNote: note}, err
	}
	note, err := inv.CreditNote(CreditRequest{ID: req.CreditNoteID, Reason: reason, Earlier: req.Earlier, Now: req.Now})
	if err != nil {
		return Correction{}, err
	}
	draft, err := NewDraft(req.ReplacementID, req.Fresh, req.Customer, req.Profile, req.Now)
	if err != nil {
		return Correction{}, err
	}
	draft.Notes = append(draft.Notes, fmt.Sprintf("Replaces %s, credited in full.", inv.Label()))
	return Correction{Difference: d, CreditNote: note, Replacement: &draft}, nil
}

// reducesOnly reports whether a credit note of the differences corrects
// the invoice: the total went down by no more than is left to credit, no
// service line went up, and no credit note was issued before.
func (inv Invoice) reducesOnly(d Difference, earlier []Invoice) bool {
	if len(inv.CreditNotes(earlier)) > 0 || !d.Total.By.Decimal().IsNegative() {
		return false
	}
	if d.Total.By.Neg().Decimal().GreaterThan(inv.Total.Decimal()) {
		return false
	}
	for _, l := range d.Lines {
		if l.By.Decimal().IsPositive() {
			return false
		}
	}
	return true
}

// differenceNote is the credit note whose figures are the differences.
func (inv Invoice) differenceNote(d Difference, id, reason string, now time.Time) (Invoice, error) {
	if strings.TrimSpace(id) == "" {
		return Invoice{}, fmt.Errorf("a credit note needs an id")
	}
	cur := inv.Currency
	f := Figures{Currency: cur, Subtotal: d.Subtotal.By, Discount: d.Discount.By, Support: d.Support.By,
		Marketplace: d.Marketplace.By, CreditsApplied: d.CreditsApplied.By, Tax: d.Tax.By, Total: d.Total.By,
		DiscountPercent: inv.DiscountPercent, Unrounded: d.Unrounded, Rates: inv.Figures.clone().Rates}
	for _, l := range d.Lines {
		if !l.Changed() {
			continue
		}
		if n := len(f.Sections); n == 0 || f.Sections[n-1].ProductType != l.ProductType {
			f.Sections = append(f.Sections, Section{ProductType: l.ProductType, Subtotal: zero(cur)})
		}
		s := &f.Sections[len(f.Sections)-1]
		s.Lines = append(s.Lines, Line{Service: l.Service, Name: l.Name, Amount: l.By, Unrounded: l.now.Unrounded.Sub(l.was.Unrounded)})
		s.Subtotal = s.Subtotal.Add(l.By)
	}
	for _, t := range d.Taxes {
		if !t.Changed() {
			continue
		}
		f.TaxLines = append(f.TaxLines, TaxLine{Name: t.Name, Percent: t.now.Percent, Base: t.now.Base.Sub(t.was.Base),
			Unrounded: t.now.Unrounded.Sub(t.was.Unrounded), Amount: t.By})
	}
	if err := f.check(); err != nil {
		return Invoice{}, fmt.Errorf("the correction of %s does not add up: %w", inv.Label(), err)
	}
	note := Invoice{Version: Version, ID: id, Kind: KindCreditNote, CustomerID: inv.CustomerID, Period: inv.Period,
		Status: Draft, Figures: f, Options: inv.Options, Customer: inv.Customer, Seller: inv.Seller,
		Generated: now, Corrects: inv.ID, CorrectsNumber: inv.Number, Reason: reason}
	return note.clone(), nil
}
