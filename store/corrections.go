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
// corrected yet. Everything is read in one read transaction.
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
	err := db.bolt.View(func(tx *bolt.Tx) error {
		all, err := indexed(tx, prefix)
		if err != nil {
			return err
		}
		docs := map[string][]invoice.Invoice{} // period + customer + provider
		key := func(d invoice.Invoice) string {
			return d.Period + "\x00" + d.CustomerID + "\x00" + string(d.Provider())
		}
		for _, d := range all {
			docs[key(d)] = append(docs[key(d)], d)
		}
		var issued []invoice.Invoice
		for _, ds := range docs {
			if inv, ok := invoice.Standing(ds); ok {
				issued = append(issued, inv)
			}
		}
		sort.Slice(issued, func(i, j int) bool { return issued[i].Number < issued[j].Number })
		fresh, err := freshStatements(tx, issued)
		if err != nil {
			return err
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
			ds := docs[key(inv)]
			if inv.NeedsCorrection(ds, d) == nil {
				c := ChangedInvoice{Invoice: inv, Difference: d, Correctable: true}
				if err := inv.CheckCorrectable(ds); err != nil {
					c.Correctable, c.Advice = false, err.Error()
				}
				rep.Changed = append(rep.Changed, c)
			}
		}
		return nil
	})
	return rep, err
}

// Correct issues the correction of an issued invoice whose month changed:
// the credit note, numbered and Open at once, and when the note alone
// cannot say it, a replacement draft listed with the other drafts for
// review. The month is computed again and the documents written in one
// write transaction, so nothing the correction was computed from can
// change before it is stored; the invoice itself is never changed.
func (db *DB) Correct(ref string, now time.Time) (invoice.Correction, error) {
	var corr invoice.Correction
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		inv, err := resolveInvoice(tx, ref)
		if err != nil {
			return err
		}
		if err := inv.Can(invoice.ActionCredit); err != nil {
			return err
		}
		fresh, err := freshStatements(tx, []invoice.Invoice{inv})
		if err != nil {
			return err
		}
		f := fresh[0]
		if f.err != nil {
			return fmt.Errorf("%s cannot be computed again: %w", inv.Label(), f.err)
		}
		docs, err := docsOf(tx, inv.Period, inv.CustomerID)
		if err != nil {
			return err
		}
		docs = invoice.ForProvider(docs, inv.Provider())
		if inv.CreditedInFull(docs) {
			return inv.CheckCorrectable(docs)
		}
		d, err := invoice.Diff(inv, f.st)
		if err != nil {
			return err
		}
		if err := inv.NeedsCorrection(docs, d); err != nil {
			return err
		}
		if err := inv.CheckCorrectable(docs); err != nil {
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
		corr, err = inv.Correct(invoice.CorrectionRequest{Fresh: f.st, Earlier: docs, CreditNoteID: noteID,
			ReplacementID: replID, Customer: f.customer, Profile: p, Now: now})
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
		r.Deliveries = f.deliveries
		if old, ok := invoice.DraftOf(docs); ok {
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
// when the invoice was approved (invoice.Invoice.LedgerAsIssued), so that
// only what changed in the data or the rules shows as a difference. One
// month is read per period and set of rates. Each result carries its own
// error.
func freshStatements(tx *bolt.Tx, invs []invoice.Invoice) ([]fresh, error) {
	out := make([]fresh, len(invs))
	legacy := map[string]bool{}
	for _, inv := range invs {
		if inv.ApprovedAt().IsZero() && inv.Options.Credits {
			legacy[inv.ID] = true
		}
	}
	approved, err := legacyApprovals(tx, legacy)
	if err != nil {
		return nil, err
	}
	type group struct {
		period  string
		members []int
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
			g = &group{period: inv.Period}
			byKey[k] = g
			groups = append(groups, g)
		}
		g.members = append(g.members, i)
	}
	for _, g := range groups {
		first := invs[g.members[0]]
		var ids []string
		for _, i := range g.members {
			ids = append(ids, invs[i].CustomerID)
		}
		bm, err := readBillingMonth(tx, monthRead{period: g.period, atRates: first.RateFunc, customers: &customer.Selection{Customers: ids}})
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
			c = c.At(inv.Period)      // the terms the month was priced with
			c.Currency = inv.Currency // compared in the invoice's currency, whatever the customer's is now
			at := inv.ApprovedAt()
			if at.IsZero() {
				at = approved[inv.ID]
			}
			out[i].customer = c
			out[i].deliveries = bm.ProviderDeliveryIDs(inv.Provider())
			out[i].st, out[i].err = bm.Month.Statement(c, inv.LedgerAsIssued(bm.ledgers[c.ID], at), inv.Options)
		}
	}
	return out, nil
}
