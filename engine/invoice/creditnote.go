package invoice

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/money"
)

// CreditRequest asks for a credit note against an issued invoice.
type CreditRequest struct {
	ID string // the credit note's id, the store's
	// Amount is how much to credit, tax included, as a positive figure at
	// the currency's minor unit; zero credits everything not yet credited.
	Amount decimal.Decimal
	Reason string // printed on the credit note
	// Earlier are the invoice's credit notes so far; others are ignored,
	// so the store may pass all of the customer's credit notes.
	Earlier []Invoice
	Now     time.Time
}

// ParseCreditAmount reads an amount to credit as the accountant types it
// (money.ParseTyped: "25", "1,234.50"), tax included. It must be
// positive: leaving the amount out, not typing zero, credits all that is
// left.
func ParseCreditAmount(s string) (decimal.Decimal, error) {
	d, err := money.ParseTyped(s)
	if err != nil {
		return decimal.Zero, fmt.Errorf("credit amount %w", err)
	}
	if !d.IsPositive() {
		return decimal.Zero, fmt.Errorf("credit amount %s is not positive: write the amount to credit, e.g. 25.00, or credit all that is left", d)
	}
	return d, nil
}

// Creditable is what is left to credit on the invoice: its total less
// its credit notes among docs (whose totals are negative).
func (inv Invoice) Creditable(docs []Invoice) billing.Amount {
	left := inv.Total
	for _, n := range inv.CreditNotes(docs) {
		left = left.Add(n.Total)
	}
	return left
}

// CreditNote makes a Draft credit note against an Open or Closed invoice,
// linked to it, in its currency, never crediting more than is left.
//
// Its figures are negative, so an invoice and its credit notes add up to
// what the customer owes. Crediting the whole invoice when it has no
// earlier credit note mirrors every line of it (each section, discount,
// credits and tax, negated). A partial credit, or the rest of an invoice
// already partly credited, is one line in the Credits section plus each
// of the invoice's taxes in proportion: tax_i = Amount x (tax_i left) /
// (total left), rounded once with the invoice's rounding, the net line
// taking the rest, so the note's total is exactly -Amount and crediting
// what is left always credits exactly the tax that is left.
func (inv Invoice) CreditNote(req CreditRequest) (Invoice, error) {
	if err := inv.Can(ActionCredit); err != nil {
		return Invoice{}, err
	}
	reason := strings.TrimSpace(req.Reason)
	switch {
	case strings.TrimSpace(req.ID) == "":
		return Invoice{}, fmt.Errorf("a credit note needs an id")
	case reason == "":
		return Invoice{}, fmt.Errorf("a credit note of %s needs a reason (it is printed on the credit note)", inv.Label())
	}
	notes := inv.CreditNotes(req.Earlier)
	left := inv.Creditable(notes)
	amount := req.Amount
	switch {
	case !left.Decimal().IsPositive():
		return Invoice{}, fmt.Errorf("%s has nothing left to credit: total %s %s, credited so far %s", inv.Label(), inv.Currency, inv.Total, inv.Total.Add(left.Neg()))
	case amount.IsNegative():
		return Invoice{}, fmt.Errorf("credit amount %s is negative: write the amount to credit as a positive figure", amount)
	case amount.IsZero():
		amount = left.Decimal()
	case !atMinorUnit(amount, inv.Currency):
		return Invoice{}, fmt.Errorf("credit amount %s has more decimals than %s allows", amount, inv.Currency)
	case amount.GreaterThan(left.Decimal()):
		return Invoice{}, fmt.Errorf("credit amount %s %s is more than is left to credit on %s, %s (total %s less earlier credit notes)", inv.Currency, amount, inv.Label(), left, inv.Total)
	}
	var f Figures
	if len(notes) == 0 && amount.Equal(inv.Total.Decimal()) {
		f = inv.Figures.negate()
	} else {
		f = inv.partialCredit(notes, printed(amount, inv.Currency), left)
	}
	note := Invoice{Version: Version, ID: req.ID, Kind: KindCreditNote, CustomerID: inv.CustomerID, Period: inv.Period,
		Status: Draft, Figures: f, Options: inv.Options, Customer: inv.Customer, Seller: inv.Seller,
		Generated: req.Now, Corrects: inv.ID, CorrectsNumber: inv.Number, Reason: reason}
	return note.clone(), nil
}

// partialCredit is the figures of a credit of amount out of left: the
// taxes in proportion to what is left of each, the net on one line.
func (inv Invoice) partialCredit(notes []Invoice, amount, left billing.Amount) Figures {
	cur, mode := inv.Currency, inv.rounding()
	f := Figures{Currency: cur, Discount: zero(cur), Support: zero(cur), Marketplace: zero(cur),
		CreditsApplied: zero(cur), Tax: zero(cur), Rates: inv.Figures.clone().Rates}
	for _, t := range inv.TaxLines {
		rem := t.Amount
		for _, n := range notes {
			for _, nt := range n.TaxLines {
				if nt.Name == t.Name {
					rem = rem.Add(nt.Amount)
				}
			}
		}
		part := rem
		if !amount.Decimal().Equal(left.Decimal()) {
			part = mode.Round(amount.Decimal().Mul(rem.Decimal()).DivRound(left.Decimal(), 16), cur)
		}
		f.TaxLines = append(f.TaxLines, TaxLine{Name: t.Name, Percent: t.Percent, Amount: part.Neg(), Unrounded: part.Neg().Decimal()})
		f.Tax = f.Tax.Add(part.Neg())
	}
	net := amount.Neg().Add(f.Tax.Neg())
	for i := range f.TaxLines {
		// The base printed beside a rate is the one that rate gives the
		// credited tax on, at the minor unit: the invoice's base in the
		// same proportion, which a reader can check against the rate.
		if t := &f.TaxLines[i]; !t.Percent.IsZero() {
			t.Base = printed(t.Amount.Decimal().DivRound(t.Percent.Shift(-2), 16), cur).Decimal()
		}
	}
	line := Line{Service: "Credit on " + inv.Label(), Amount: net, Unrounded: net.Decimal()}
	f.Sections = []Section{{ProductType: billing.Credits, Lines: []Line{line}, Subtotal: net}}
	f.Subtotal = net
	f.Total = amount.Neg()
	f.Unrounded = f.Total.Decimal()
	return f
}

// rounding is the rounding the invoice's figures were computed with.
func (inv Invoice) rounding() billing.Rounding { return inv.Options.Normalize().Rounding }
