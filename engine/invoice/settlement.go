package invoice

import (
	"slices"

	"rebill/engine/billing"
)

// Settlement is what has been set off against an Open invoice since it
// was issued: the credit notes issued against it and the payments
// recorded for it, oldest first, and the balance still owed. An invoice's
// figures never change once issued, so a copy printed after a partial
// credit or payment shows them under its total and asks for the balance,
// not for the total the customer no longer owes.
type Settlement struct {
	Entries []SettlementEntry `json:"entries"`
	// Balance is OpenAmount: the total less the entries; negative when
	// more was credited and paid than the total.
	Balance billing.Amount `json:"balance"`
}

// SettlementEntry is one credit note or payment set off against the
// invoice.
type SettlementEntry struct {
	Date Date `json:"date"`
	// Document is the credit note's number; empty for a payment.
	Document  string `json:"document,omitempty"`
	Reference string `json:"reference,omitempty"` // a payment's reference
	// Amount is what the entry takes off the invoice, negative: a credit
	// note's total, a payment's applied part (an excess kept as credit is
	// the customer's credit, not this invoice's).
	Amount billing.Amount `json:"amount"`
}

// BalanceLabel names what is left once the credit notes and payments are
// set off, as every face writes it: due while positive.
func (s Settlement) BalanceLabel() string {
	if s.Balance.Decimal().IsPositive() {
		return "Balance due"
	}
	return "Balance"
}

// Label names the entry as every face writes it, with date writing its
// date as the face writes dates: "Credit note CN-2026-00001 of 4 Dec 2026",
// "Paid on 4 Dec 2026, reference BANK-42".
func (e SettlementEntry) Label(date func(Date) string) string {
	if !e.IsPayment() {
		return "Credit note " + e.Document + " of " + date(e.Date)
	}
	label := "Paid on " + date(e.Date)
	if e.Reference != "" {
		label += ", reference " + e.Reference
	}
	return label
}

// IsPayment reports whether the entry is a payment rather than a credit
// note.
func (e SettlementEntry) IsPayment() bool { return e.Document == "" }

// Settlement returns what is set off against the invoice among docs (its
// customer's documents of the month) and pays (its payments), or nil
// when the invoice is not an Open invoice or nothing is: a Closed invoice
// says how it was settled (Settled), a draft or a void one owes nothing.
func (inv Invoice) Settlement(docs []Invoice, pays []Payment) *Settlement {
	if inv.Kind != KindInvoice || inv.Status != Open {
		return nil
	}
	var entries []SettlementEntry
	for _, n := range inv.IssuedCreditNotes(docs) {
		entries = append(entries, SettlementEntry{Date: n.IssueDate, Document: n.Number, Amount: billing.HalfUp.Round(n.Total.Decimal(), inv.Currency)})
	}
	for _, p := range pays {
		if p.Invoice == inv.ID && !p.Applied.IsZero() {
			entries = append(entries, SettlementEntry{Date: p.Date, Reference: p.Reference, Amount: billing.HalfUp.Round(p.Applied.Neg(), inv.Currency)})
		}
	}
	if len(entries) == 0 {
		return nil
	}
	slices.SortStableFunc(entries, func(a, b SettlementEntry) int { return a.Date.t.Compare(b.Date.t) })
	balance, _ := inv.Balance(docs, pays)
	return &Settlement{Entries: entries, Balance: balance}
}
