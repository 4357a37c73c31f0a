package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/invoice"
	"rebill/engine/ledger"
)

var ledgerRecord = record{bucket: bucketLedger, key: keyLedgerMapping, kind: KindSettings, name: "ledger-accounts"}

// LedgerMapping returns the ledger account mapping, ledger's defaults
// until one is saved.
func (db *DB) LedgerMapping() (ledger.Mapping, error) {
	var m ledger.Mapping
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		m, err = getLedgerMapping(tx)
		return err
	})
	return m, err
}

// ErrLedgerMappingDamaged is a saved ledger account mapping that no longer
// reads: it can only be replaced, by a whole mapping saved again.
var ErrLedgerMappingDamaged = errors.New("the ledger account mapping is damaged in the database")

func getLedgerMapping(tx *bolt.Tx) (ledger.Mapping, error) {
	v := tx.Bucket(bucketLedger).Get(keyLedgerMapping)
	if v == nil {
		return ledger.DefaultMapping(), nil
	}
	var m ledger.Mapping
	if err := json.Unmarshal(v, &m); err != nil {
		return ledger.DefaultMapping(), fmt.Errorf("%w: save it again in Settings > Ledger accounts (%v)", ErrLedgerMappingDamaged, err)
	}
	return m.Normalize(), nil
}

// PutLedgerMapping saves the ledger account mapping, validated, with its
// change-log entry; empty fields take the defaults. A refused mapping
// leaves the saved one as it was.
func (db *DB) PutLedgerMapping(m ledger.Mapping, now time.Time) (ledger.Mapping, error) {
	m = m.Normalize()
	if err := m.Validate(); err != nil {
		return m, err
	}
	return m, db.bolt.Update(func(tx *bolt.Tx) error {
		if err := receivablesKnown(tx, m); err != nil {
			return err
		}
		_, err := ledgerRecord.put(tx, m, now)
		return err
	})
}

// receivablesKnown refuses a debtor account for a customer that does not
// exist: a typed id that matches no customer would never be used, and
// that customer's documents would go to the default account unnoticed.
func receivablesKnown(tx *bolt.Tx, m ledger.Mapping) error {
	b := tx.Bucket(bucketCustomers)
	for _, id := range slices.Sorted(maps.Keys(m.Receivables)) {
		if b.Get([]byte(id)) == nil {
			return fmt.Errorf("customer %q of the receivable accounts does not exist: use a customer id as Customers lists it", id)
		}
	}
	return nil
}

// UpdateLedgerMapping changes the saved mapping with edit, reading and
// writing in one transaction, so that two changes (a customer's debtor,
// then a tax code) never undo each other. It returns the mapping saved.
func (db *DB) UpdateLedgerMapping(edit func(*ledger.Mapping) error, now time.Time) (ledger.Mapping, error) {
	var m ledger.Mapping
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		var err error
		if m, err = getLedgerMapping(tx); err != nil {
			return err
		}
		if err := edit(&m); err != nil {
			return err
		}
		m = m.Normalize()
		if err := m.Validate(); err != nil {
			return err
		}
		if err := receivablesKnown(tx, m); err != nil {
			return err
		}
		_, err = ledgerRecord.put(tx, m, now)
		return err
	})
	return m, err
}

// LedgerExport writes the ledger export of the documents issued or voided
// from o.From to o.Until (see ledger.Postings) in format f to w, with the
// saved mapping. The documents and the mapping are read in one read
// transaction, so the export is of one consistent state even while an
// approval runs; nothing is written to w when the export is refused.
func (db *DB) LedgerExport(w io.Writer, f ledger.Format, o ledger.Options) (ledger.Summary, error) {
	var docs []invoice.Invoice
	var m ledger.Mapping
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		if m, err = getLedgerMapping(tx); err != nil {
			return err
		}
		docs, err = ledgerDocuments(tx, o.From, o.Until)
		return err
	})
	if err != nil {
		return ledger.Summary{}, err
	}
	return ledger.Export(w, f, docs, m, o)
}

// ledgerDocuments reads whole the documents issued or voided in the
// period: the listings tell which, so the others are never decoded.
func ledgerDocuments(tx *bolt.Tx, from, until invoice.Date) ([]invoice.Invoice, error) {
	all, err := listed(tx, nil)
	if err != nil {
		return nil, err
	}
	in := func(d invoice.Date) bool { return !d.IsZero() && !d.Before(from) && !d.After(until) }
	var out []invoice.Invoice
	for _, l := range all {
		if l.Status == invoice.Draft || !in(l.IssueDate) && !in(l.VoidDate) {
			continue
		}
		inv, err := getInvoice(tx, l.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, inv)
	}
	return out, nil
}
