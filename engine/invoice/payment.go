package invoice

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/money"
	"rebill/engine/words"
)

// Payments: money received against an issued invoice, and the rule that
// settles it. An invoice is Closed when what its customer owes on it, the
// open amount, is nothing: paid, credited, or both. The store records
// payments and applies Settle in the same transaction; a status is never
// set by hand to mean "paid" without the payment that paid it.

// Audit actions of payments and sending. A payment's entries record the
// payment (not a document) under the invoice's id, so `audit list
// --invoice` shows them with the invoice's own entries.
const (
	// ActionPayment records a payment received against the invoice.
	ActionPayment Action = "payment"
	// ActionPaymentDelete records a payment removed (recorded in error).
	ActionPaymentDelete Action = "payment_delete"
	// ActionReopen puts a Closed invoice back to Open because what closed
	// it is gone: a payment deleted, a credit note voided.
	ActionReopen Action = "reopen"
	// ActionSend records the invoice sent by e-mail (or written as an
	// .eml file): its after is the invoice with the sending recorded.
	ActionSend Action = "send"
)

// Payment is money received from a customer against one invoice, in the
// invoice's currency.
type Payment struct {
	ID       uint64 `json:"id"`       // the store's
	Invoice  string `json:"invoice"`  // the invoice's id
	Number   string `json:"number"`   // the invoice's number, for lists
	Customer string `json:"customer"` // the invoice's customer
	Currency string `json:"currency"` // the invoice's
	Date     Date   `json:"date"`     // the day the money was received
	// Amount is what was received, positive. Applied is the part that
	// pays the invoice; Excess, the rest, was kept as reseller credit
	// (CreditGrant) at the accountant's request.
	Amount      decimal.Decimal `json:"amount"`
	Applied     decimal.Decimal `json:"applied"`
	Excess      decimal.Decimal `json:"excess"`
	CreditGrant uint64          `json:"credit_grant,omitempty"`
	Reference   string          `json:"reference,omitempty"`
	Recorded    time.Time       `json:"recorded"`
}

// PaymentRequest is a payment as the accountant enters it.
type PaymentRequest struct {
	Date      Date
	Amount    decimal.Decimal
	Reference string
	// KeepExcess accepts an amount above the open amount: the excess
	// becomes the customer's reseller credit instead of being refused.
	KeepExcess bool
	Now        time.Time
}

// ParsePaymentAmount reads a received amount as the accountant types it
// ("1,234.50"); it must be positive (a refund is a credit note).
func ParsePaymentAmount(s string) (decimal.Decimal, error) {
	d, err := money.ParseTyped(s)
	if err != nil {
		return decimal.Zero, fmt.Errorf("payment amount %w", err)
	}
	if !d.IsPositive() {
		return decimal.Zero, fmt.Errorf("payment amount %s is not positive: write the amount received, e.g. 120.00 (money paid back is a credit note)", d)
	}
	return d, nil
}

// IssuedCreditNotes returns the credit notes among docs that reduce what
// is owed on the invoice: issued (Open or Closed), not drafts and not void.
// A draft credit note is not yet the customer's document, so it owes them
// nothing (CreditNotes counts drafts too, to stop two drafts crediting
// more than the invoice).
func (inv Invoice) IssuedCreditNotes(docs []Invoice) []Invoice {
	var out []Invoice
	for _, n := range inv.CreditNotes(docs) {
		if n.Status == Open || n.Status == Closed {
			out = append(out, n)
		}
	}
	return out
}

// OpenAmount is what the customer still owes on the invoice: its total
// less its issued credit notes among docs (their totals are negative)
// less the applied part of its payments among pays (others' are
// ignored). It is negative when more was paid and credited than the
// total. A Draft or Void invoice owes nothing.
func (inv Invoice) OpenAmount(docs []Invoice, pays []Payment) decimal.Decimal {
	if inv.Kind != KindInvoice || inv.Status == Draft || inv.Status == Void {
		return decimal.Zero
	}
	var s money.Sum
	s.Add(inv.Total.Decimal())
	for _, n := range inv.IssuedCreditNotes(docs) {
		s.Add(n.Total.Decimal())
	}
	for _, p := range pays {
		if p.Invoice == inv.ID {
			s.Add(p.Applied.Neg())
		}
	}
	return s.Total()
}

// Balance is what is still owed on an Open invoice (Past Due ones are
// stored Open), as its documents print it under the total: OpenAmount at
// the currency's minor unit, where what it sums (the total, the credit
// notes' totals, payments checked to that unit) already is. ok is false
// for every other document, which has no balance a list should show: a
// draft is not issued yet, a void or Closed invoice is settled, and a
// credit note is owed by the reseller.
func (inv Invoice) Balance(docs []Invoice, pays []Payment) (_ billing.Amount, ok bool) {
	if inv.Kind != KindInvoice || inv.Status != Open {
		return billing.Amount{}, false
	}
	return billing.HalfUp.Round(inv.OpenAmount(docs, pays), inv.Currency), true
}

// Pay checks a payment against the invoice and returns it, with the
// part that pays the invoice and the excess. Refused: a draft, a void
// invoice or a credit note; a date before the issue date or after today
// (req.Now's day); an amount not positive or finer than the currency's
// minor unit; an amount above the open amount unless the excess is to be
// kept as credit. The store gives
// the payment its id and, for an excess, the credit grant.
func (inv Invoice) Pay(req PaymentRequest, docs []Invoice, pays []Payment) (Payment, error) {
	l := inv.Label()
	switch {
	case inv.Kind == KindCreditNote:
		return Payment{}, fmt.Errorf("%s is a credit note: nothing is owed on it, so it takes no payment; record the payment against the invoice it credits", l)
	case inv.Status == Draft:
		return Payment{}, fmt.Errorf("%s is a Draft and takes no payment: approve it first", l)
	case inv.Status == Void:
		return Payment{}, fmt.Errorf("%s is Void (%s): nothing is owed on it, so it takes no payment; record the payment against the invoice that replaces it", l, inv.VoidReason)
	case req.Date.IsZero():
		return Payment{}, fmt.Errorf("a payment of %s needs the day it was received", l)
	case req.Date.Before(inv.IssueDate):
		return Payment{}, fmt.Errorf("%s was issued on %s and cannot have been paid on %s", l, inv.IssueDate, req.Date)
	case !req.Now.IsZero() && req.Date.After(DateOf(req.Now)):
		// A day still to come is a typo, and would age the receivables
		// as paid before the money is there.
		return Payment{}, fmt.Errorf("a payment of %s cannot have been received on %s, after today (%s): write the day the money arrived", l, req.Date, DateOf(req.Now))
	case !req.Amount.IsPositive():
		return Payment{}, fmt.Errorf("payment amount %s is not positive: write the amount received", req.Amount)
	case !atMinorUnit(req.Amount, inv.Currency):
		return Payment{}, fmt.Errorf("payment amount %s has more decimals than %s allows", req.Amount, inv.Currency)
	}
	open := decimal.Max(inv.OpenAmount(docs, pays), decimal.Zero)
	applied, excess := req.Amount, decimal.Zero
	if req.Amount.GreaterThan(open) {
		if !req.KeepExcess && !open.IsPositive() {
			return Payment{}, fmt.Errorf("nothing is open on %s (paid or credited in full): record the payment against another invoice, or keep all of it as the customer's credit (--keep-excess-as-credit)", l)
		}
		if !req.KeepExcess {
			return Payment{}, fmt.Errorf("payment %s %s is more than is open on %s, %s %s: record %s, or keep the excess of %s as the customer's credit (--keep-excess-as-credit)",
				inv.Currency, money.Text(req.Amount, inv.Currency), l, inv.Currency, money.Text(open, inv.Currency), money.Text(open, inv.Currency), money.Text(req.Amount.Sub(open), inv.Currency))
		}
		applied, excess = open, req.Amount.Sub(open)
	}
	return Payment{Invoice: inv.ID, Number: inv.Number, Customer: inv.CustomerID, Currency: inv.Currency,
		Date: req.Date, Amount: req.Amount, Applied: applied, Excess: excess,
		Reference: strings.TrimSpace(req.Reference), Recorded: req.Now.UTC()}, nil
}

// Closings: why a Closed invoice is closed.
const (
	ClosedByPayments    = "payments"
	ClosedByCreditNotes = "credit notes"
	ClosedByBoth        = "payments and credit notes"
)

// Settle applies the status rule after a payment or credit note: an Open
// invoice whose open amount (see OpenAmount) is nothing is Closed, dated
// on (the day of the payment or credit note that settled it), with the
// settling payment's reference, saying what closed it; a Closed invoice
// that owes something again (a payment deleted, a credit note voided) is
// Open again, and Past Due again if its due date has passed. It returns
// the invoice and the action taken (ActionClose, ActionReopen) or "" when
// the status stays. An invoice closed before payments were recorded
// (Close, with no payment) stays closed: nothing records what paid it.
func (inv Invoice) Settle(docs []Invoice, pays []Payment, on Date, ref string) (Invoice, Action) {
	if inv.Kind != KindInvoice {
		return inv, ""
	}
	open := inv.OpenAmount(docs, pays)
	var paid bool
	for _, p := range pays {
		paid = paid || p.Invoice == inv.ID
	}
	credited := len(inv.IssuedCreditNotes(docs)) > 0
	switch {
	case inv.Status == Open && !open.IsPositive():
		out := inv.clone()
		out.Status, out.PaidDate, out.PaymentRef = Closed, on, strings.TrimSpace(ref)
		switch {
		case paid && credited:
			out.ClosedBy = ClosedByBoth
		case paid:
			out.ClosedBy = ClosedByPayments
		default:
			out.ClosedBy = ClosedByCreditNotes
		}
		return out, ActionClose
	case inv.Status == Closed && inv.ClosedBy != "" && open.IsPositive():
		out := inv.clone()
		out.Status, out.PaidDate, out.PaymentRef, out.ClosedBy = Open, Date{}, "", ""
		return out, ActionReopen
	}
	return inv, ""
}

// Settled says what settled a Closed invoice, as its documents and lists
// word it: "Paid", "Credited" (credit notes only: nothing was paid, so
// nothing may thank the customer for a payment) or "Paid and credited";
// "" for an invoice that is not Closed. An invoice closed by hand before
// payments were recorded was marked paid.
func (inv Invoice) Settled() string {
	if inv.Status != Closed {
		return ""
	}
	switch inv.ClosedBy {
	case ClosedByCreditNotes:
		return "Credited"
	case ClosedByBoth:
		return "Paid and credited"
	}
	return "Paid"
}

// SettledOn is the day a Closed invoice was settled (its PaidDate); the
// zero Date otherwise.
func (inv Invoice) SettledOn() Date {
	if inv.Status != Closed {
		return Date{}
	}
	return inv.PaidDate
}

// VoidablePaid refuses to void an invoice that has payments: the money
// received would belong to no invoice. Delete the payments recorded in
// error first, or credit the invoice instead.
func (inv Invoice) VoidablePaid(pays []Payment) error {
	n := 0
	for _, p := range pays {
		if p.Invoice == inv.ID {
			n++
		}
	}
	if n > 0 {
		return fmt.Errorf("%s has %s recorded and cannot be voided: issue a credit note instead (the payments stay with it), or delete the payments if they were recorded in error (rebill payments list --invoice %s)", inv.Label(), words.Plural(n, "payment", "payments"), inv.Number)
	}
	return nil
}

// CheckReminder refuses a payment reminder for an invoice that is not
// Past Due at asOf or on which nothing is open then (open, see OpenAt):
// a reminder asks for money that is late.
func (inv Invoice) CheckReminder(open decimal.Decimal, asOf Date) error {
	switch {
	case inv.Kind != KindInvoice:
		return fmt.Errorf("%s is a credit note: nothing is owed on it, so there is nothing to remind of", inv.Label())
	case inv.Status != Open || inv.IssueDate.After(asOf):
		return fmt.Errorf("%s is %s: a reminder is for a Past Due invoice", inv.Label(), inv.Status.Label())
	case !DateOf(asOf.Time()).After(inv.DueDate):
		return fmt.Errorf("%s is due on %s and is not past due on %s: no reminder yet", inv.Label(), inv.DueDate, asOf)
	case !open.IsPositive():
		return fmt.Errorf("nothing was open on %s on %s: no reminder", inv.Label(), asOf)
	}
	return nil
}

// Paid is what the invoice's payments among pays paid on it: their
// applied parts (an excess kept as credit is the customer's credit, not a
// payment of this invoice).
func (inv Invoice) Paid(pays []Payment) decimal.Decimal {
	var s money.Sum
	for _, p := range pays {
		if p.Invoice == inv.ID {
			s.Add(p.Applied)
		}
	}
	return s.Total()
}
