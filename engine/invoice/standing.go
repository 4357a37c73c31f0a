package invoice

import (
	"fmt"
	"slices"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/words"
)

// Which invoice stands for a customer's month, and which account-months
// it holds: the rules that keep one month of one account from being
// billed twice, whatever the mappings say later.

// Standing returns the customer's invoice for the month that stands among
// docs, the documents of one customer and month: an invoice Open (Past
// Due included) or Closed and not credited in full. There is at most one,
// because generating and approving refuse a second; a month is billed
// again only once its invoice is voided or credited in full (a
// correction). A zero total invoice with no credit note stands too: it
// records the credits that paid it.
func Standing(docs []Invoice) (Invoice, bool) {
	for _, d := range docs {
		if d.Kind != KindInvoice || (d.Status != Open && d.Status != Closed) {
			continue
		}
		if !d.CreditedInFull(docs) {
			return d, true
		}
	}
	return Invoice{}, false
}

// CreditedInFull reports whether credit notes among docs credit all of
// the invoice.
func (inv Invoice) CreditedInFull(docs []Invoice) bool {
	return len(inv.CreditNotes(docs)) > 0 && !inv.Creditable(docs).Decimal().IsPositive()
}

// CreditNotes returns the credit notes among docs that count against the
// invoice: linked to it and not void (drafts count, so two drafts cannot
// together credit more than the invoice). Creditable, CreditedInFull,
// Standing and every face listing "credited by" count these and no
// others: a voided credit note credits nothing.
func (inv Invoice) CreditNotes(docs []Invoice) []Invoice {
	var out []Invoice
	for _, d := range docs {
		if d.Kind == KindCreditNote && d.Corrects == inv.ID && d.Status != Void {
			out = append(out, d)
		}
	}
	return out
}

// Related are the documents that go with one document among the
// documents of its customer and month, as a face shows them beside it.
type Related struct {
	// CreditNotes are an invoice's credit notes that count (CreditNotes).
	CreditNotes []Invoice
	// Left is what is left to credit on an invoice (Creditable), and
	// CreditedInFull whether nothing is (so no credit note is offered).
	Left           billing.Amount
	CreditedInFull bool
	// Credited is the invoice a credit note credits, when it is among
	// the documents.
	Credited *Invoice
	// Others are the month's other invoices that are not void: a
	// replacement draft, or the invoice a replacement follows.
	Others []Invoice
	// Settlement is what was credited and paid on an Open invoice
	// (Invoice.Settlement), set by whoever also read its payments.
	Settlement *Settlement
}

// Related returns the documents that go with inv among docs, the
// documents of its customer and month.
func (inv Invoice) Related(docs []Invoice) Related {
	r := Related{Left: inv.Total}
	if inv.Kind == KindCreditNote {
		for i, d := range docs {
			if d.ID == inv.Corrects {
				r.Credited = &docs[i]
			}
		}
		return r
	}
	r.CreditNotes = inv.CreditNotes(docs)
	r.Left = inv.Creditable(docs)
	r.CreditedInFull = inv.CreditedInFull(docs)
	for _, d := range docs {
		if d.ID != inv.ID && d.Kind == KindInvoice && d.Status != Void {
			r.Others = append(r.Others, d)
		}
	}
	return r
}

// Bills reports whether the invoice bills a usage account in its month:
// it lists the account. An invoice that lists none (stored before
// invoices recorded their accounts) is taken to bill what its customer
// owns: owner is the account's owner in the invoice's month under the
// mappings as they are, which the refusal of moves (Claims.CheckMoves)
// keeps as they were when it was issued.
func (inv Invoice) Bills(account, owner string) bool {
	if len(inv.Accounts) > 0 {
		return slices.Contains(inv.Accounts, account)
	}
	return owner != "" && owner == inv.CustomerID
}

// Claims are the standing invoices of some months, by month: which
// invoice holds which account-month. Build them once from the documents
// (ClaimsOf) and ask them for each account or change; Add keeps them
// current while a batch issues invoices.
type Claims struct {
	byMonth map[string][]Invoice
}

// ClaimsOf returns the claims of the standing invoices among docs, the
// documents (any customers', any months') of the months to be asked
// about: each customer's standing invoice of each month (Standing). The
// answers never depend on the order of docs.
func ClaimsOf(docs []Invoice) Claims {
	groups := map[[2]string][]int{}
	for i, d := range docs {
		k := [2]string{d.Period, d.CustomerID}
		groups[k] = append(groups[k], i)
	}
	c := Claims{byMonth: map[string][]Invoice{}}
	var g []Invoice
	for _, idx := range groups {
		g = g[:0]
		for _, i := range idx {
			g = append(g, docs[i])
		}
		if inv, ok := Standing(g); ok {
			c.Add(inv)
		}
	}
	return c
}

// Add records an invoice just issued as standing for its month.
func (c *Claims) Add(inv Invoice) {
	if c.byMonth == nil {
		c.byMonth = map[string][]Invoice{}
	}
	c.byMonth[inv.Period] = append(c.byMonth[inv.Period], inv)
}

// BilledBy returns the standing invoice that bills an account in a
// YYYY-MM month, if any (the first by customer id, should two); owner is
// the account's owner that month under the current mappings (see Bills).
func (c Claims) BilledBy(account, month, owner string) (Invoice, bool) {
	return c.first(account, month, func(inv *Invoice) bool { return inv.Bills(account, owner) })
}

// first returns, among a month's standing invoices that match, the one of
// the smallest customer id.
func (c Claims) first(account, month string, match func(*Invoice) bool) (Invoice, bool) {
	invs := c.byMonth[month]
	found := -1
	for i := range invs {
		if match(&invs[i]) && (found < 0 || invs[i].CustomerID < invs[found].CustomerID) {
			found = i
		}
	}
	if found < 0 {
		return Invoice{}, false
	}
	return invs[found], true
}

// BilledError refuses to bill a customer for an account-month that another
// customer's standing invoice bills already: the usage would be billed
// twice.
type BilledError struct {
	Customer string  // the customer that would bill it again
	Account  string  // the account
	Month    string  // YYYY-MM
	Invoice  Invoice // the standing invoice that bills it
}

// Error names the account, month and invoice, and the two ways out: the
// mapping is wrong, or the issued invoice is.
func (e *BilledError) Error() string {
	undo := "void it or credit it in full"
	if e.Invoice.Status == Closed {
		undo = "credit it in full"
	}
	return fmt.Sprintf("account %s in %s is already billed on %s (%s) of %s, so %s cannot be billed for it too: if %s owned it that month, map it back to %s for %s; otherwise %s, then generate %s again",
		e.Account, e.Month, e.Invoice.Label(), e.Invoice.Status.Label(), e.Invoice.CustomerID, e.Customer,
		e.Invoice.CustomerID, e.Invoice.CustomerID, e.Month, undo, e.Customer)
}

// CheckBillable refuses (*BilledError) to bill a customer for the accounts
// of its statement of a month when another customer's standing invoice
// bills one of them already; the first such account, in the order given,
// is named. The accounts are the customer's under the current mappings,
// so an invoice that lists no accounts never claims them (see Bills).
func (c Claims) CheckBillable(customerID, month string, accounts []string, days ...billing.AccountDays) error {
	for _, a := range accounts {
		other := func(inv *Invoice) bool {
			return inv.CustomerID != customerID && inv.Bills(a, customerID) && !apart(a, days, inv.AccountDays)
		}
		if inv, ok := c.first(a, month, other); ok {
			return &BilledError{Customer: customerID, Account: a, Month: month, Invoice: inv}
		}
	}
	return nil
}

// apart reports whether two documents bill different days of an account
// that moved inside their month: each lists its own days, and none is
// shared. Without days on either, they bill the whole account-month.
func apart(account string, mine, theirs []billing.AccountDays) bool {
	var a, b *billing.AccountDays
	for i := range mine {
		if mine[i].Account == account {
			a = &mine[i]
		}
	}
	for i := range theirs {
		if theirs[i].Account == account {
			b = &theirs[i]
		}
	}
	return a != nil && b != nil && !a.Overlaps(*b)
}

// BillsOn reports whether the invoice bills a usage account's line item
// of a YYYY-MM-DD day: Bills, and for a moved account, the day is one of
// the invoice's own (AccountDays).
func (inv Invoice) BillsOn(account, owner, day string) bool {
	if !inv.Bills(account, owner) {
		return false
	}
	for _, d := range inv.AccountDays {
		if d.Account == account {
			return d.From <= day && day <= d.Until
		}
	}
	return true
}

// MoveError refuses a change of mappings that would take an account-month
// away from the customer whose standing invoice bills it: the usage would
// be billed twice (or, left to nobody, stop being covered by the invoice
// that billed it).
type MoveError struct {
	Change  customer.OwnerChange // the first account-month refused
	Invoice Invoice              // the standing invoice that bills it
	More    int                  // other account-months refused with it
}

// Error names the account, month and invoice and says what to do.
func (e *MoveError) Error() string {
	c, inv := e.Change, e.Invoice
	to := "move to " + c.To
	if c.To == "" {
		to = "be left to no customer"
	}
	undo := "void that invoice or credit it in full first"
	if inv.Status == Closed {
		undo = "credit that invoice in full first (a Closed invoice cannot be voided)"
	}
	more := ""
	if e.More > 0 {
		more = " (" + words.Plural(e.More, "other account-month of this change is", "other account-months of this change are") + " on issued invoices too)"
	}
	month := c.Month
	if c.Day != "" {
		month += " (from " + c.Day + ")"
	}
	return fmt.Sprintf("account %s in %s is on %s (%s) of %s, so it cannot %s for that month%s: %s, then generate %s's %s again; or leave %s with %s",
		c.Account, month, inv.Label(), inv.Status.Label(), inv.CustomerID, to, more, undo, inv.CustomerID, c.Month, c.Month, inv.CustomerID)
}

// CheckMoves refuses owner changes (customer.OwnerChanges) that would take
// an account-month from the customer whose standing invoice bills it:
// it returns a *MoveError naming the first such change and its invoice, or
// nil. The claims must cover the months changed, every customer's. A
// change towards the invoice's customer (back to the owner it billed) is
// allowed.
func (c Claims) CheckMoves(changes []customer.OwnerChange) error {
	var refused *MoveError
	for _, ch := range changes {
		inv, ok := c.BilledBy(ch.Account, ch.Month, ch.From)
		if ch.Day != "" { // part of the month: the invoice billing that day
			inv, ok = c.first(ch.Account, ch.Month, func(inv *Invoice) bool { return inv.BillsOn(ch.Account, ch.From, ch.Day) })
		}
		if !ok || inv.CustomerID == ch.To {
			continue
		}
		if refused == nil {
			refused = &MoveError{Change: ch, Invoice: inv}
		} else {
			refused.More++
		}
	}
	if refused == nil {
		return nil
	}
	return refused
}
