package ledger

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/invoice"
	"rebill/engine/money"
)

// Posting is one document as the ledger books it on one day: an issued
// invoice or credit note on its issue date, or the reversal of a voided
// one on its void date. Amounts are signed from the reseller's side: a
// positive Total is owed by the customer, a positive Net is revenue.
//
// Its parts always add up: Total = the sum of the groups' Net + the sum of
// the taxes, because the stored document's figures do (invoice.Figures:
// Total = Subtotal + Discount + CreditsApplied + Tax).
type Posting struct {
	Date       invoice.Date
	DocID      string
	Number     string
	Period     string // the month billed, YYYY-MM
	Kind       invoice.Kind
	Reversal   bool // the void of a document issued earlier or in the same period
	CustomerID string
	Customer   invoice.Party
	Currency   string
	DueDate    invoice.Date // the issue date for credit notes and reversals
	Receivable string
	Total      decimal.Decimal
	Groups     []Group
	Taxes      []Tax
	// Lines are the document's printed lines, for the formats that import
	// documents rather than bookings (Xero, QuickBooks).
	Lines []Line
	// Gross says the document has one tax rate with a code: DATEV books
	// each group with its share of the tax and the code (BU-Schlüssel),
	// and computes the tax itself. Otherwise the tax is booked apart.
	Gross bool
	// Notes are what the accountant should know about this document's
	// export (several tax rates, the provider's tax).
	Notes []string
}

// Group is one booking of a document: a section's revenue, the discount,
// or the credits applied.
type Group struct {
	Label   string // "Compute", "Discount", "Credits applied"
	Account string
	Net     decimal.Decimal
	// Tax is the group's share of the document's tax when Gross, so
	// Net + Tax is what DATEV books with the tax code.
	Tax     decimal.Decimal
	Taxed   bool
	TaxCode string
}

// Tax is one tax line of a document.
type Tax struct {
	Name    string
	Percent decimal.Decimal
	Account string
	Code    string
	Amount  decimal.Decimal
}

// Line is one printed line of a document with where it is booked.
type Line struct {
	Section     billing.ProductType
	Description string
	Account     string
	Amount      decimal.Decimal
	TaxCode     string
}

// Issued reports whether a document belongs in the ledger: every document
// that was given a number (Open, Past Due, Closed, Void), never a draft,
// which the customer never saw.
func Issued(d invoice.Invoice) bool { return d.Status != invoice.Draft && !d.IssueDate.IsZero() }

// within reports whether day is in [from, until].
func within(day, from, until invoice.Date) bool {
	return !day.IsZero() && !day.Before(from) && !day.After(until)
}

// Postings are the bookings of the period from..until (both included):
// every document issued in it on its issue date, and every document voided
// in it reversed on its void date. This is what a bookkeeper expects: an
// issued invoice stays in the books under its number (the number sequence
// has no gap), and its void is a reversal (Storno) booked when it
// happened, so an invoice issued and voided in the same month nets to
// zero and one voided in a later month changes that later month only,
// leaving the closed earlier month as filed. A credit note is a document
// of its own, booked on its issue date with its negative amounts.
//
// Postings come in date order, then by number, a reversal after the
// document it reverses.
func Postings(docs []invoice.Invoice, from, until invoice.Date, m Mapping) ([]Posting, error) {
	if from.IsZero() || until.IsZero() || until.Before(from) {
		return nil, fmt.Errorf("the period %s to %s is empty: the first day must not be after the last", from, until)
	}
	var out []Posting
	for _, d := range docs {
		if !Issued(d) {
			continue
		}
		if within(d.IssueDate, from, until) {
			p, err := postingOf(d, m)
			if err != nil {
				return nil, err
			}
			out = append(out, p)
		}
		if d.Status == invoice.Void && within(d.VoidDate, from, until) {
			p, err := postingOf(d, m)
			if err != nil {
				return nil, err
			}
			out = append(out, p.reversed(d.VoidDate))
		}
	}
	slices.SortStableFunc(out, func(a, b Posting) int {
		if c := a.Date.Time().Compare(b.Date.Time()); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Number, b.Number); c != 0 {
			return c
		}
		return cmp.Compare(btoi(a.Reversal), btoi(b.Reversal))
	})
	return out, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// postingOf books one document.
func postingOf(d invoice.Invoice, m Mapping) (Posting, error) {
	places, ok := money.MinorUnits(d.Currency)
	if !ok {
		return Posting{}, fmt.Errorf("%s has currency %q, which is not an ISO 4217 code", d.Label(), d.Currency)
	}
	p := Posting{Date: d.IssueDate, DocID: d.ID, Number: d.Number, Period: d.Period, Kind: d.Kind, CustomerID: d.CustomerID, Customer: d.Customer,
		Currency: d.Currency, DueDate: d.DueDate, Receivable: m.ReceivableFor(d.CustomerID), Total: d.Total.Decimal()}
	if p.DueDate.IsZero() {
		p.DueDate = d.IssueDate
	}
	rated := 0
	for _, t := range d.TaxLines {
		ta := m.TaxFor(t.Percent)
		p.Taxes = append(p.Taxes, Tax{Name: t.Name, Percent: t.Percent, Account: ta.Account, Code: ta.Code, Amount: t.Amount.Decimal()})
		if t.Percent.IsPositive() {
			rated++
		}
		if !t.Percent.IsPositive() && !t.Amount.IsZero() {
			p.Notes = append(p.Notes, fmt.Sprintf("%s: the provider's tax is booked to %s as it was billed", d.Number, ta.Account))
		}
	}
	// The code lines carry: the rate's when the customer has one rate,
	// the first rate's when several apply to the same base (noted), and
	// the untaxed code when no rate applies.
	code := m.UntaxedCode
	if rated > 0 {
		for _, t := range p.Taxes {
			if t.Percent.IsPositive() {
				code = t.Code
				break
			}
		}
	}
	if rated > 1 {
		p.Notes = append(p.Notes, fmt.Sprintf("%s has %d tax rates on the same charges: each is booked apart, and its lines carry the first rate's code", d.Number, rated))
	}
	taxed := func(t billing.ProductType) bool { return rated > 0 && t != billing.Marketplace }
	lineCode := func(t billing.ProductType) string {
		if taxed(t) {
			return code
		}
		return m.UntaxedCode
	}
	for _, s := range d.Sections {
		acct := m.RevenueFor(s.ProductType)
		p.Groups = append(p.Groups, Group{Label: string(s.ProductType), Account: acct, Net: s.Subtotal.Decimal(), Taxed: taxed(s.ProductType), TaxCode: lineCode(s.ProductType)})
		for _, l := range s.Lines {
			p.Lines = append(p.Lines, Line{Section: s.ProductType, Description: l.Description(), Account: acct, Amount: l.Amount.Decimal(), TaxCode: lineCode(s.ProductType)})
		}
	}
	// The discount and the credits are in the tax base (billing's
	// customerTax: the base is the charges after the discount, net of the
	// credits that paid taxable charges), so they carry the rate.
	for _, x := range []struct {
		label, account string
		amount         billing.Amount
	}{{"Discount", m.Discount, d.Discount}, {"Credits applied", m.Credits, d.CreditsApplied}} {
		if x.amount.IsZero() {
			continue
		}
		label := x.label
		if x.label == "Discount" && d.Figures.IsUplift() {
			label = "Uplift"
		}
		p.Groups = append(p.Groups, Group{Label: label, Account: x.account, Net: x.amount.Decimal(), Taxed: rated > 0, TaxCode: code})
		p.Lines = append(p.Lines, Line{Description: label, Account: x.account, Amount: x.amount.Decimal(), TaxCode: code})
	}
	if rated == 1 && len(p.Taxes) == 1 && p.Taxes[0].Code != "" {
		p.Gross = true
		var weights []decimal.Decimal
		var at []int
		for i, g := range p.Groups {
			if g.Taxed {
				weights, at = append(weights, g.Net), append(at, i)
			}
		}
		for k, share := range Allocate(p.Taxes[0].Amount, weights, places) {
			p.Groups[at[k]].Tax = share
		}
	}
	return p, nil
}

// reversed is the posting that cancels p on day: every amount negated.
func (p Posting) reversed(day invoice.Date) Posting {
	r := p
	r.Date, r.DueDate, r.Reversal, r.Total = day, day, true, p.Total.Neg()
	r.Groups = slices.Clone(p.Groups)
	for i := range r.Groups {
		r.Groups[i].Net, r.Groups[i].Tax = r.Groups[i].Net.Neg(), r.Groups[i].Tax.Neg()
	}
	r.Taxes = slices.Clone(p.Taxes)
	for i := range r.Taxes {
		r.Taxes[i].Amount = r.Taxes[i].Amount.Neg()
	}
	r.Lines = slices.Clone(p.Lines)
	for i := range r.Lines {
		r.Lines[i].Amount = r.Lines[i].Amount.Neg()
	}
	r.Notes = nil
	return r
}

// Allocate splits total into parts in proportion to weights, each at
// places decimals, so that the parts add up to total exactly: each exact
// share is rounded down and the units left are given to the shares that
// rounding cut most (the largest remainder method), the earlier first on
// a tie. Weights summing to zero give everything to the largest weight
// (by magnitude), as there is no proportion to follow.
func Allocate(total decimal.Decimal, weights []decimal.Decimal, places int) []decimal.Decimal {
	out := make([]decimal.Decimal, len(weights))
	if len(weights) == 0 {
		return out
	}
	sum := decimal.Zero
	for _, w := range weights {
		sum = sum.Add(w)
	}
	if sum.IsZero() {
		big := 0
		for i, w := range weights {
			if w.Abs().GreaterThan(weights[big].Abs()) {
				big = i
			}
		}
		out[big] = total
		return out
	}
	cut := make([]decimal.Decimal, len(weights))
	given := decimal.Zero
	for i, w := range weights {
		exact := total.Mul(w).DivRound(sum, int32(places)+12)
		out[i] = exact.RoundFloor(int32(places))
		cut[i] = exact.Sub(out[i])
		given = given.Add(out[i])
	}
	unit := decimal.New(1, -int32(places))
	left := total.Sub(given).Div(unit).IntPart()
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cut[b].Cmp(cut[a]) })
	for k := 0; k < int(left); k++ {
		out[order[k%len(order)]] = out[order[k%len(order)]].Add(unit)
	}
	return out
}
