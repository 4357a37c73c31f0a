package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/invoice"
)

// The invoice audit log is engine/invoice's hash chain kept in
// bucketAudit: appendAudit is called by every function that changes an
// invoice, inside the transaction that changes it, so a change without
// its entry (or an entry without its change) can never be committed.
// Entries are never rewritten or removed by Rebill; VerifyAudit proves it
// for anyone holding the database file.

// auditHead reads the end of the chain; the zero Head for an empty log.
func auditHead(tx *bolt.Tx) (invoice.Head, error) {
	var h invoice.Head
	v := tx.Bucket(bucketMeta).Get(keyAuditHead)
	if v == nil {
		return h, nil
	}
	if err := json.Unmarshal(v, &h); err != nil {
		return h, fmt.Errorf("the audit log's recorded end is damaged: %w", err)
	}
	return h, nil
}

// appendAudit appends one entry after the recorded head and moves the
// head. before and after are the documents (nil for none).
func appendAudit(tx *bolt.Tx, now time.Time, a invoice.Action, id string, before, after *invoice.Invoice) error {
	b, err := auditJSON(before)
	if err != nil {
		return err
	}
	af, err := auditJSON(after)
	if err != nil {
		return err
	}
	return appendAuditRaw(tx, now, a, id, b, af)
}

// appendAuditRaw appends an entry whose before and after are already
// JSON (an export records what was exported, not an invoice).
func appendAuditRaw(tx *bolt.Tx, now time.Time, a invoice.Action, id string, before, after []byte) error {
	head, err := auditHead(tx)
	if err != nil {
		return err
	}
	e, err := invoice.NewEntry(head, now, a, id, before, after)
	if err != nil {
		return err
	}
	v, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketAudit).Put(u64(e.Seq), v); err != nil {
		return err
	}
	h, err := json.Marshal(e.Head())
	if err != nil {
		return err
	}
	return tx.Bucket(bucketMeta).Put(keyAuditHead, h)
}

// auditJSON is a document as its audit entries record it
// (invoice.Content: the logo replaced by its hash); nil for none.
func auditJSON(inv *invoice.Invoice) ([]byte, error) {
	if inv == nil {
		return nil, nil
	}
	return invoice.Content(*inv)
}

// AuditLog returns the invoice audit log, oldest first. An entry that
// cannot be read at all fails it: VerifyAudit says which.
func (db *DB) AuditLog() ([]invoice.Entry, error) {
	return db.AuditLogOf("")
}

// AuditLogOf returns the audit entries of one document, named by its id
// or number ("" for every entry), oldest first, read in one transaction.
func (db *DB) AuditLogOf(ref string) ([]invoice.Entry, error) {
	out := []invoice.Entry{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		id := ""
		if ref != "" {
			inv, err := resolveInvoice(tx, ref)
			if err != nil {
				return err
			}
			id = inv.ID
		}
		return scanAudit(tx, func(e invoice.Entry) error {
			if id == "" || e.Invoice == id {
				out = append(out, e)
			}
			return nil
		})
	})
	return out, err
}

// scanAudit calls fn with every entry, oldest first, decoding one at a
// time so that reading the log takes memory for one entry, whatever its
// length. An entry whose bytes are not an entry is a *invoice.ChainError
// naming its key's seq.
func scanAudit(tx *bolt.Tx, fn func(invoice.Entry) error) error {
	c := tx.Bucket(bucketAudit).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var e invoice.Entry
		if err := json.Unmarshal(v, &e); err != nil {
			seq := uint64(0)
			if len(k) == 8 {
				seq = binary.BigEndian.Uint64(k)
			}
			return &invoice.ChainError{Seq: seq, Problem: "cannot be read: " + err.Error()}
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// VerifyAudit checks the whole audit log with invoice.Verifier, streaming
// it: every entry's hash, every link, no gap, and that the log ends where
// the last append recorded. It returns the verified end; the error is a
// *invoice.ChainError naming the first bad entry when the log was altered,
// an entry removed or reordered.
func (db *DB) VerifyAudit() (invoice.Head, error) {
	var head invoice.Head
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		if head, err = auditHead(tx); err != nil {
			return err
		}
		var v invoice.Verifier
		if err := scanAudit(tx, v.Add); err != nil {
			return err
		}
		return v.End(head)
	})
	return head, err
}

// legacyApprovals maps documents issued before the approval instant was
// stored on them (invoice.Invoice.ApprovedAt is zero) to when they were
// approved, read from the audit log's approve, credit note and correction
// entries. Only databases with such documents read the log, and only the
// entries' action, document and time are decoded.
func legacyApprovals(tx *bolt.Tx, ids map[string]bool) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	if len(ids) == 0 {
		return out, nil
	}
	c := tx.Bucket(bucketAudit).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var e struct {
			Time    time.Time      `json:"time"`
			Action  invoice.Action `json:"action"`
			Invoice string         `json:"invoice"`
		}
		if err := json.Unmarshal(v, &e); err != nil {
			return nil, fmt.Errorf("audit log entry %x cannot be read: %w; rebill audit verify says more", k, err)
		}
		switch e.Action {
		case invoice.ActionApprove, invoice.ActionCredit, invoice.ActionCorrect:
			if ids[e.Invoice] {
				out[e.Invoice] = e.Time
			}
		}
	}
	return out, nil
}
