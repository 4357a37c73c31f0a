package store

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/invoice"
)

// Corrections: a provider re-delivers a month after its invoices were
// issued, or a rule changes. The issued invoices never change; instead
// each one's month is computed again and compared with it (Corrections),
// and the accountant issues the correction in one step (Correct): a
// credit note, and where needed a replacement draft (see
// invoice.Invoice.Correct for which).

// ChangedInvoice is an issued invoice whose month now computes otherwise.
type ChangedInvoice struct {
	Invoice    invoice.Invoice    `json:"invoice"`
	Difference invoice.Difference `json:"difference"`
	// Correctable is whether Correct can issue the correction; when not,
	// Advice says what to do instead.
	Correctable bool   `json:"correctable"`
	Advice      string `json:"advice,omitempty"`
}

// Unchecked is an issued invoice that could not be computed again, and why
// (its month's data was removed, its customer deleted, a rate is missing).
type Unchecked struct {
	Invoice string `json:"invoice"` // its label, e.g. "invoice NCP-2026-00012"
	Reason  string `json:"reason"`
}

// CorrectionsReport is the result of checking issued invoices.
type CorrectionsReport struct {
	Checked   int              `json:"checked"`
	Changed   []ChangedInvoice `json:"changed"`
	Unchecked []Unchecked      `json:"unchecked,omitempty"`
}

// Corrections computes the month of every standing issued invoice (Open or
// Closed, not credited in full) of a YYYY-MM period, or of every period
// when it is "", again, and lists those that differ and have not been
// corrected yet.
func (db *DB) Corrections(period string) (CorrectionsReport, error) {
	rep := CorrectionsReport{Changed: []ChangedInvoice{}}
	if period != "" {
		if err := customer.CheckMonth("month", period); err != nil {
			return rep, err
		}
	}
	var prefix []byte
	if period != "" {
		prefix = indexPrefix(period, "")
	}
	var all, issued []invoice.Invoice
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		all, err = indexed(tx, prefix)
		return err
	})
	if err != nil {
		return rep, err
	}
	docs := map[string][]invoice.Invoice{} // period + customer
	for _, d := range all {
		k := d.Period + "\x00" + d.CustomerID
		docs[k] = append(docs[k], d)
	}
	for _, ds := range docs {
		if inv, ok := invoice.Standing(ds); ok {
			issued = append(issued, inv)
		}
	}
	sort.Slice(issued, func(i, j int) bool { return issued[i].Number < issued[j].Number })
	fresh, err := db.freshStatements(issued)
	if err != nil {
		return rep, err
	}
	for i, inv := range issued {
		f := fresh[i]
		if f.err != nil {
			rep.Unchecked = append(rep.Unchecked, Unchecked{Invoice: inv.Label(), Reason: f.err.Error()})
			continue
		}
		rep.Checked++
		d, err := invoice.Diff(inv, f.st)
		if err != nil {
			rep.Unchecked = append(rep.Unchecked, Unchecked{Invoice: inv.Label(), Reason: err.Error()})
			continue
		}
		ds := docs[inv.Period+"\x00"+inv.CustomerID]
		if uncorrected(inv, ds, d) == nil {
			c := ChangedInvoice{Invoice: inv, Difference: d, Correctable: true}
			if err := creditable(inv, ds); err != nil {
				c.Correctable, c.Advice = false, err.Error()
			}
			rep.Changed = append(rep.Changed, c)
		}
	}
	return rep, nil
}

// uncorrected returns nil when the invoice's month differs from it and its
// credit notes do not already account for the difference, or the reason
// there is nothing to correct. An invoice corrected by a credit note of
// the differences still differs from the fresh figures by exactly that
// note: its credit notes adding up to the difference in total means it
// was corrected (and a manual credit note of the very same amount is
// taken as the correction).
func uncorrected(inv invoice.Invoice, docs []invoice.Invoice, d invoice.Difference) error {
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

// creditable refuses to correct an invoice a credit note cannot reduce:
// one whose total is zero because reseller credits paid it. What changed
// is how much credit it used, which only a new invoice can say.
func creditable(inv invoice.Invoice, docs []invoice.Invoice) error {
	if inv.Creditable(docs).Decimal().IsPositive() {
		return nil
	}
	return fmt.Errorf("%s totals %s %s (reseller credits paid it), so no credit note can correct it: void it, which gives its credits back, and generate %s's invoice for %s again",
		inv.Label(), inv.Currency, inv.Total, inv.CustomerID, inv.Period)
}

// Correct issues the correction of an issued invoice whose month changed:
// the credit note, numbered and Open at once, and when the note alone
// cannot say it, a replacement draft listed with the other drafts for
// review. All in one transaction with their audit entries; the invoice
// itself is never changed.
func (db *DB) Correct(ref string, now time.Time) (invoice.Correction, error) {
	inv, err := db.Invoice(ref)
	if err != nil {
		return invoice.Correction{}, err
	}
	if err := inv.Can(invoice.ActionCredit); err != nil {
		return invoice.Correction{}, err
	}
	fresh, err := db.freshStatements([]invoice.Invoice{inv})
	if err != nil {
		return invoice.Correction{}, err
	}
	if fresh[0].err != nil {
		return invoice.Correction{}, fmt.Errorf("%s cannot be computed again: %w", inv.Label(), fresh[0].err)
	}
	var corr invoice.Correction
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		inv, err := getInvoice(tx, inv.ID) // as it is now, in this transaction
		if err != nil {
			return err
		}
		docs, err := docsOf(tx, inv.Period, inv.CustomerID)
		if err != nil {
			return err
		}
		if inv.CreditedInFull(docs) {
			return fmt.Errorf("%s is credited in full already: there is nothing left to correct on it", inv.Label())
		}
		d, err := invoice.Diff(inv, fresh[0].st)
		if err != nil {
			return err
		}
		if err := uncorrected(inv, docs, d); err != nil {
			return err
		}
		if err := creditable(inv, docs); err != nil {
			return err
		}
		noteID, err := newInvoiceID(tx)
		if err != nil {
			return err
		}
		replID, err := newInvoiceID(tx)
		if err != nil {
			return err
		}
		p, err := getProfile(tx)
		if err != nil {
			return err
		}
		corr, err = inv.Correct(invoice.CorrectionRequest{Fresh: fresh[0].st, Earlier: docs, CreditNoteID: noteID,
			ReplacementID: replID, Customer: fresh[0].customer, Profile: p, Now: now})
		if err != nil {
			return err
		}
		if corr.CreditNote, err = issueCreditNote(tx, inv, corr.CreditNote, invoice.ActionCorrect, now); err != nil {
			return err
		}
		r := corr.Replacement
		if r == nil {
			return nil
		}
		r.Deliveries = fresh[0].deliveries
		if old, ok := draftOf(docs); ok {
			if *r, err = old.Replace(*r); err != nil {
				return err
			}
			return putInvoice(tx, now, invoice.ActionRegenerate, &old, *r)
		}
		return putInvoice(tx, now, invoice.ActionGenerate, nil, *r)
	})
	if err != nil {
		return invoice.Correction{}, err
	}
	return corr, nil
}

// fresh is an issued invoice's month computed again.
type fresh struct {
	st         *billing.Statement
	customer   customer.Customer
	deliveries []uint64 // the deliveries it was computed from
	err        error
}

// freshStatements computes the months of issued invoices again as the
// invoices were computed: with their options, at their exchange rates, in
// their currency, and with the customer's reseller credits as they stood
// when the invoice was approved (not counting the invoice's own use of
// them, nor grants and uses recorded after it), so that only what changed
// in the data or the rules shows as a difference. One month is read per
// period and set of rates. Each result carries its own error.
func (db *DB) freshStatements(invs []invoice.Invoice) ([]fresh, error) {
	out := make([]fresh, len(invs))
	var approved map[string]time.Time
	if err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		approved, err = approvalTimes(tx)
		return err
	}); err != nil {
		return nil, err
	}
	type group struct {
		period, rates string
		members       []int
	}
	var groups []*group
	byKey := map[string]*group{}
	for i, inv := range invs {
		rates, err := json.Marshal(inv.Rates)
		if err != nil {
			return nil, err
		}
		k := inv.Period + "\x00" + string(rates)
		g := byKey[k]
		if g == nil {
			g = &group{period: inv.Period, rates: string(rates)}
			byKey[k] = g
			groups = append(groups, g)
		}
		g.members = append(g.members, i)
	}
	for _, g := range groups {
		first := invs[g.members[0]]
		bm, err := db.billingMonth(g.period, first.RateFunc, nil)
		for _, i := range g.members {
			inv := invs[i]
			if err != nil {
				out[i].err = err
				continue
			}
			c, ok := bm.Customer(inv.CustomerID)
			if !ok {
				out[i].err = fmt.Errorf("customer %s no longer exists", inv.CustomerID)
				continue
			}
			c.Currency = inv.Currency // compared in the invoice's currency, whatever the customer's is now
			ledger := ledgerAsOf(bm.ledgers[c.ID], inv, approved[inv.ID])
			out[i].customer = c
			out[i].deliveries = bm.DeliveryIDs()
			out[i].st, out[i].err = bm.Month.Statement(c, ledger, inv.Options)
		}
	}
	return out, nil
}

// ledgerAsOf is a customer's credit ledger as an issued invoice found it
// when it was approved at: the grants given by then (and those it used,
// whatever their clock said) and the uses recorded by then, except the
// invoice's own. A zero at (no record of the approval) keeps every grant
// and use but the invoice's own.
func ledgerAsOf(l billing.Ledger, inv invoice.Invoice, at time.Time) billing.Ledger {
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
