package invoice

import (
	"fmt"

	"rebill/engine/billing"
	"rebill/engine/lineitem"
)

// Reports and invoices agree: once a customer's month of one provider is
// invoiced, a report of it must say so, compare itself with the issued
// invoice, and count the reseller credits the invoice used as used by this
// month. Without this rule the report spends the customer's ledger as it
// is now, where the invoice's own uses are already debited: the credits
// vanish from the month they paid, and the report's total exceeds the
// invoice's by them (690.29 shown against an issued 630.29).

// Reported is how a report of a customer's month of one provider stands
// against the issued invoice that stands for it (Standing).
type Reported struct {
	// Invoice is the issued invoice.
	Invoice Invoice `json:"invoice"`
	// Recomputed is the month computed again as the invoice was: with its
	// options, in its currency, with the credits as they stood when it was
	// approved (LedgerAsIssued).
	Recomputed *billing.Statement `json:"-"`
	// Difference is the recomputed figures against the invoice's:
	// zero while nothing the invoice was computed from has changed; else
	// what `invoices corrections` proposes to correct.
	Difference Difference `json:"difference"`
	// OptionsDiffer is set when the report was asked with other options
	// than the invoice was issued with (credits, tax, Marketplace...): its
	// statement then differs from the invoice by that choice, which the
	// Difference leaves out.
	OptionsDiffer bool `json:"options_differ"`
}

// Compute computes a customer's statement of the month with a credit
// ledger, options and currency; the store passes the month's.
type Compute func(l billing.Ledger, opt billing.Options, currency string) (*billing.Statement, error)

// Report computes the report of a customer's month of provider p, with
// opt (the report's options, settings applied) in currency: docs are the
// customer's documents of the month (any provider's), l the customer's
// credit ledger as it is now. While no invoice stands for the month, it is
// the statement as it would be invoiced, and Reported is nil. Once one
// does, the statement spends the credits as the invoice found them (its
// own uses are this month's, not spent elsewhere), the credits carried are
// the balance left now, and Reported compares the invoice with its month
// computed again.
func Report(docs []Invoice, p lineitem.Provider, l billing.Ledger, opt billing.Options, currency string, compute Compute) (*billing.Statement, *Reported, error) {
	inv, ok := Standing(ForProvider(docs, p))
	if !ok {
		st, err := compute(l, opt, currency)
		return st, nil, err
	}
	issued := inv.LedgerAsIssued(l, inv.ApprovedAt())
	st, err := compute(issued, opt, currency)
	if err != nil {
		return nil, nil, err
	}
	st.CreditsCarried = l.Available(inv.CustomerID, inv.Period, st.Currency)
	r := &Reported{Invoice: inv, OptionsDiffer: !sameOptions(st.Options, inv.Options) || st.Currency != inv.Currency, Recomputed: st}
	if r.OptionsDiffer {
		if r.Recomputed, err = compute(issued, inv.Options, inv.Currency); err != nil {
			return nil, nil, fmt.Errorf("%s cannot be computed again: %w", inv.Label(), err)
		}
	}
	if r.Difference, err = Diff(inv, r.Recomputed); err != nil {
		return nil, nil, err
	}
	return st, r, nil
}

// sameOptions reports whether two option sets compute the same statement;
// an AWS invoice made before providers were billed has no provider.
func sameOptions(a, b billing.Options) bool {
	a.Provider, b.Provider = a.Cloud(), b.Cloud()
	return a == b
}
