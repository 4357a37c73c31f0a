package invoice

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/money"
)

// Receivables: what customers owe as of a day, aged by how long it is past
// due, and a customer's statement of account. Both are computed from the
// documents and payments as they stood on the day asked about (documents
// issued, voided and payments received after it are left out), so an
// ageing report as of the last month end reads the same next year.

// AgeBucket is how far past its due date an open amount is.
type AgeBucket int

// Age buckets, in the order a report prints them.
const (
	// AgeCurrent is not yet past due: the due date is the as-of day or
	// later (an invoice is Past Due from the day after its due date).
	AgeCurrent AgeBucket = iota
	Age1To30
	Age31To60
	Age61To90
	AgeOver90
)

// AgeBuckets lists the buckets in report order.
var AgeBuckets = []AgeBucket{AgeCurrent, Age1To30, Age31To60, Age61To90, AgeOver90}

// Label is the bucket's column heading.
func (b AgeBucket) Label() string {
	return [...]string{"Current", "1–30 days", "31–60 days", "61–90 days", "Over 90 days"}[b]
}

// Short is the bucket's heading where "days past due" is said once
// above the columns: "Current", "1–30", ..., "Over 90".
func (b AgeBucket) Short() string {
	return [...]string{"Current", "1–30", "31–60", "61–90", "Over 90"}[b]
}

// Key is the bucket's name in JSON.
func (b AgeBucket) Key() string {
	return [...]string{"current", "days_1_30", "days_31_60", "days_61_90", "over_90"}[b]
}

// DaysBetween is the number of calendar days from a to b (negative when b
// is before a).
func DaysBetween(a, b Date) int {
	return int(b.Time().Sub(a.Time()).Round(time.Hour).Hours() / 24)
}

// AgeOf returns how many days past due is an amount due on due, as of
// asOf, and its bucket: 0 or fewer days is current; 1–30, 31–60, 61–90,
// and over 90 as the headings say.
func AgeOf(due, asOf Date) (int, AgeBucket) {
	days := DaysBetween(due, asOf)
	switch {
	case days <= 0:
		return days, AgeCurrent
	case days <= 30:
		return days, Age1To30
	case days <= 60:
		return days, Age31To60
	case days <= 90:
		return days, Age61To90
	}
	return days, AgeOver90
}

// OpenAt is what was owed on the invoice at the end of asOf: as
// OpenAmount, counting only what had happened by then. An invoice not
// yet issued, or voided by then, owes nothing; credit notes count from
// their issue date (while not void by then), payments from the day
// received. An invoice closed by hand before payments were recorded
// (Closed, no ClosedBy) owes nothing from its paid date.
func (inv Invoice) OpenAt(docs []Invoice, pays []Payment, asOf Date) decimal.Decimal {
	if inv.Kind != KindInvoice || inv.Status == Draft || inv.IssueDate.IsZero() || inv.IssueDate.After(asOf) {
		return decimal.Zero
	}
	if inv.Status == Void && !inv.VoidDate.After(asOf) {
		return decimal.Zero
	}
	if inv.Status == Closed && inv.ClosedBy == "" && !inv.PaidDate.IsZero() && !inv.PaidDate.After(asOf) {
		return decimal.Zero
	}
	var s money.Sum
	s.Add(inv.Total.Decimal())
	for _, n := range inv.CreditNotes(docs) {
		if n.Status != Draft && !n.IssueDate.After(asOf) {
			s.Add(n.Total.Decimal())
		}
	}
	for _, p := range pays {
		if p.Invoice == inv.ID && !p.Date.After(asOf) {
			s.Add(p.Applied.Neg())
		}
	}
	return s.Total()
}

// Receivable is one invoice with something owed on it.
type Receivable struct {
	Invoice  string          `json:"invoice"` // id
	Number   string          `json:"number"`
	Period   string          `json:"period"`
	Issued   Date            `json:"issue_date"`
	Due      Date            `json:"due_date"`
	Total    decimal.Decimal `json:"total"`
	Open     decimal.Decimal `json:"open"`
	DaysPast int             `json:"days_past_due"` // 0 or less: not yet due
	Bucket   AgeBucket       `json:"-"`
}

// AgeingRow is one customer's open receivables in one currency, by bucket.
type AgeingRow struct {
	Customer    string            `json:"customer"`
	Name        string            `json:"name"`
	Currency    string            `json:"currency"`
	Buckets     []decimal.Decimal `json:"buckets"` // in AgeBuckets order
	Total       decimal.Decimal   `json:"total"`
	Receivables []Receivable      `json:"invoices"`
}

// AgeingTotal is the buckets summed over every customer of one currency
// (amounts in different currencies are never added together).
type AgeingTotal struct {
	Currency string            `json:"currency"`
	Buckets  []decimal.Decimal `json:"buckets"`
	Total    decimal.Decimal   `json:"total"`
}

// Ageing is the open receivables by customer as of a day.
type Ageing struct {
	AsOf   Date          `json:"as_of"`
	Rows   []AgeingRow   `json:"customers"` // by customer id, then currency
	Totals []AgeingTotal `json:"totals"`    // by currency
}

// AgeReceivables ages every invoice among docs (any customers' documents,
// with their credit notes) that had something owed on it as of asOf
// (OpenAt positive), by days past its due date. An invoice credited or
// paid beyond its total owes nothing and is left out: the customer's
// money is credit, not a negative receivable.
func AgeReceivables(docs []Invoice, pays []Payment, asOf Date) Ageing {
	byInvoice := map[string][]Payment{}
	for _, p := range pays {
		byInvoice[p.Invoice] = append(byInvoice[p.Invoice], p)
	}
	notes := map[string][]Invoice{}
	for _, d := range docs {
		if d.Kind == KindCreditNote {
			notes[d.Corrects] = append(notes[d.Corrects], d)
		}
	}
	rows := map[[2]string]*AgeingRow{}
	for _, inv := range docs {
		if inv.Kind != KindInvoice {
			continue
		}
		open := inv.OpenAt(notes[inv.ID], byInvoice[inv.ID], asOf)
		if !open.IsPositive() {
			continue
		}
		days, b := AgeOf(inv.DueDate, asOf)
		k := [2]string{inv.CustomerID, inv.Currency}
		r := rows[k]
		if r == nil {
			r = &AgeingRow{Customer: inv.CustomerID, Name: inv.Customer.Name, Currency: inv.Currency, Buckets: zeros()}
			rows[k] = r
		}
		r.Buckets[b] = r.Buckets[b].Add(open)
		r.Total = r.Total.Add(open)
		r.Receivables = append(r.Receivables, Receivable{Invoice: inv.ID, Number: inv.Number, Period: inv.Period,
			Issued: inv.IssueDate, Due: inv.DueDate, Total: inv.Total.Decimal(), Open: open, DaysPast: days, Bucket: b})
	}
	out := Ageing{AsOf: asOf, Rows: []AgeingRow{}, Totals: []AgeingTotal{}}
	totals := map[string]*AgeingTotal{}
	for _, r := range rows {
		slices.SortFunc(r.Receivables, func(a, b Receivable) int {
			return cmp.Or(a.Due.Time().Compare(b.Due.Time()), cmp.Compare(a.Number, b.Number))
		})
		out.Rows = append(out.Rows, *r)
		t := totals[r.Currency]
		if t == nil {
			t = &AgeingTotal{Currency: r.Currency, Buckets: zeros()}
			totals[r.Currency] = t
		}
		for i := range r.Buckets {
			t.Buckets[i] = t.Buckets[i].Add(r.Buckets[i])
		}
		t.Total = t.Total.Add(r.Total)
	}
	slices.SortFunc(out.Rows, func(a, b AgeingRow) int {
		return cmp.Or(cmp.Compare(a.Customer, b.Customer), cmp.Compare(a.Currency, b.Currency))
	})
	for _, t := range totals {
		out.Totals = append(out.Totals, *t)
	}
	slices.SortFunc(out.Totals, func(a, b AgeingTotal) int { return cmp.Compare(a.Currency, b.Currency) })
	return out
}

func zeros() []decimal.Decimal {
	z := make([]decimal.Decimal, len(AgeBuckets))
	for i := range z {
		z[i] = decimal.Zero
	}
	return z
}

// AccountLine is one movement on a customer's account: a document issued
// or voided, or a payment received. Debit raises what the customer owes,
// Credit lowers it; Balance is what is owed after it.
type AccountLine struct {
	Date        Date            `json:"date"`
	Description string          `json:"description"`
	Document    string          `json:"document"` // the number the line concerns
	Reference   string          `json:"reference,omitempty"`
	Debit       decimal.Decimal `json:"debit"`
	Credit      decimal.Decimal `json:"credit"`
	Balance     decimal.Decimal `json:"balance"`
	// at is when the movement was recorded (zero where the document or
	// payment predates that record); rank the order of a day's lines
	// without it: issued, credited, paid, voided.
	at   time.Time
	rank int
}

// Account is a customer's statement of account over a period: what was
// owed before it, every movement in it, and what is owed at its end.
type Account struct {
	Customer Party           `json:"customer"`
	ID       string          `json:"customer_id"`
	Currency string          `json:"currency"`
	From     Date            `json:"from"`
	Until    Date            `json:"until"`
	Opening  decimal.Decimal `json:"opening_balance"`
	Lines    []AccountLine   `json:"lines"`
	Closing  decimal.Decimal `json:"closing_balance"`
}

// StatementOfAccount is the account of one customer from from to until
// (both included), from docs (the customer's documents; others are
// ignored) and pays (its payments). Movements: an invoice issued
// (debit, its total), a credit note issued (credit), a document voided
// (the reverse of its issue), a payment (credit, the part applied to the
// invoice: an excess kept as credit is the customer's reseller credit,
// spent on a later invoice, so it is shown but not counted twice), and an
// invoice closed by hand before payments were recorded (credit, what was
// open on it). The opening balance is every movement before from, the
// closing balance the opening plus the period's movements. The customer's
// documents must share one currency.
func StatementOfAccount(customerID string, docs []Invoice, pays []Payment, from, until Date) (Account, error) {
	if from.IsZero() || until.IsZero() || until.Before(from) {
		return Account{}, fmt.Errorf("a statement of account needs --from on or before --until (got %s to %s)", from, until)
	}
	a := Account{ID: customerID, From: from, Until: until, Opening: decimal.Zero, Closing: decimal.Zero, Lines: []AccountLine{}}
	var mine []Invoice
	for _, d := range docs {
		if d.CustomerID != customerID || d.Status == Draft || d.IssueDate.IsZero() {
			continue
		}
		mine = append(mine, d)
		if a.Currency == "" {
			a.Currency = d.Currency
		} else if d.Currency != a.Currency {
			return Account{}, fmt.Errorf("%s has documents in %s and %s: a statement of account is in one currency", customerID, a.Currency, d.Currency)
		}
		if !d.IssueDate.Before(latest(mine)) {
			a.Customer = d.Customer // the latest snapshot of the customer
		}
	}
	var all []AccountLine
	for _, d := range mine {
		total := d.Total.Decimal()
		issue := AccountLine{Date: d.IssueDate, Description: "Invoice", Document: d.Number, at: d.ApprovedAt()}
		if d.Kind == KindCreditNote {
			issue.Description, issue.rank = "Credit note", 1
			if d.CorrectsNumber != "" {
				issue.Description += " of " + d.CorrectsNumber
			}
		}
		all = append(all, withAmount(issue, total))
		if d.Status == Void {
			all = append(all, withAmount(AccountLine{Date: d.VoidDate, Description: title(d) + " voided", Document: d.Number, Reference: d.VoidReason, at: d.Voided, rank: 3}, total.Neg()))
		}
		if d.Kind == KindInvoice && d.Status == Closed && d.ClosedBy == "" && !d.PaidDate.IsZero() {
			open := d.OpenAt(docs, pays, d.PaidDate.AddDays(-1))
			all = append(all, withAmount(AccountLine{Date: d.PaidDate, Description: "Paid (closed without a payment record)", Document: d.Number, Reference: d.PaymentRef, rank: 2}, open.Neg()))
		}
	}
	for _, p := range pays {
		if p.Customer != customerID {
			continue
		}
		desc := "Payment"
		if p.Excess.IsPositive() {
			desc = fmt.Sprintf("Payment of %s, %s kept as credit", money.Text(p.Amount, p.Currency), money.Text(p.Excess, p.Currency))
		}
		all = append(all, withAmount(AccountLine{Date: p.Date, Description: desc, Document: p.Number, Reference: p.Reference, at: p.Recorded, rank: 2}, p.Applied.Neg()))
	}
	sortMovements(all)
	bal := decimal.Zero
	for _, l := range all {
		if l.Date.After(until) {
			break
		}
		bal = bal.Add(l.Debit).Sub(l.Credit)
		if l.Date.Before(from) {
			a.Opening = bal
			continue
		}
		l.Balance = bal
		a.Lines = append(a.Lines, l)
	}
	a.Closing = bal
	return a, nil
}

// sortMovements orders an account's movements by day and, within a day,
// as they happened, so that the running balance tells the day's story (a
// credit note voided and issued again reads credit, void, credit). A day
// with a movement recorded without its instant (a document from before
// instants were kept, an invoice closed by hand) takes the fixed order
// issued, credited, paid, voided instead: mixing the two would not be
// an order at all.
func sortMovements(all []AccountLine) {
	slices.SortStableFunc(all, func(x, y AccountLine) int {
		return cmp.Or(x.Date.Time().Compare(y.Date.Time()), cmp.Compare(x.rank, y.rank), cmp.Compare(x.Document, y.Document))
	})
	for start := 0; start < len(all); {
		end := start + 1
		for end < len(all) && all[end].Date.Equal(all[start].Date) {
			end++
		}
		day := all[start:end]
		if !slices.ContainsFunc(day, func(l AccountLine) bool { return l.at.IsZero() }) {
			slices.SortStableFunc(day, func(x, y AccountLine) int { return x.at.Compare(y.at) })
		}
		start = end
	}
}

// withAmount puts a signed amount in the line's debit (positive) or
// credit (negative) column.
func withAmount(l AccountLine, d decimal.Decimal) AccountLine {
	l.Debit, l.Credit = decimal.Zero, decimal.Zero
	if d.IsNegative() {
		l.Credit = d.Neg()
	} else {
		l.Debit = d
	}
	return l
}

// latest is the latest issue date among docs.
func latest(docs []Invoice) Date {
	var d Date
	for _, x := range docs {
		if x.IssueDate.After(d) {
			d = x.IssueDate
		}
	}
	return d
}

// title is the document's kind as a heading: "Invoice", "Credit note".
func title(inv Invoice) string {
	if inv.Kind == KindCreditNote {
		return "Credit note"
	}
	return "Invoice"
}
