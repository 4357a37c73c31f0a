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
	var out []invoice.Entry
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		out, _, err = readAudit(tx)
		return err
	})
	return out, err
}

// readAudit reads every entry and the recorded head. An entry whose bytes
// are not an entry is a *invoice.ChainError naming its key's seq.
func readAudit(tx *bolt.Tx) ([]invoice.Entry, invoice.Head, error) {
	out := []invoice.Entry{}
	head, err := auditHead(tx)
	if err != nil {
		return nil, head, err
	}
	err = tx.Bucket(bucketAudit).ForEach(func(k, v []byte) error {
		var e invoice.Entry
		if err := json.Unmarshal(v, &e); err != nil {
			seq := uint64(0)
			if len(k) == 8 {
				seq = binary.BigEndian.Uint64(k)
			}
			return &invoice.ChainError{Seq: seq, Problem: "cannot be read: " + err.Error()}
		}
		out = append(out, e)
		return nil
	})
	return out, head, err
}

// VerifyAudit checks the whole audit log with invoice.VerifyHead: every
// entry's hash, every link, no gap, and that the log ends where the last
// append recorded. It returns the verified end; the error is a
// *invoice.ChainError naming the first bad entry when the log was altered,
// an entry removed or reordered.
func (db *DB) VerifyAudit() (invoice.Head, error) {
	var head invoice.Head
	err := db.bolt.View(func(tx *bolt.Tx) error {
		entries, h, err := readAudit(tx)
		if err != nil {
			return err
		}
		head = h
		return invoice.VerifyHead(entries, h)
	})
	return head, err
}

// approvalTimes maps each issued document's id to when it was approved,
// read from the audit log's approve, credit note and correction entries:
// the moment a correction computes the invoice's credits as of.
func approvalTimes(tx *bolt.Tx) (map[string]time.Time, error) {
	entries, _, err := readAudit(tx)
	if err != nil {
		return nil, err
	}
	out := map[string]time.Time{}
	for _, e := range entries {
		switch e.Action {
		case invoice.ActionApprove, invoice.ActionCredit, invoice.ActionCorrect:
			out[e.Invoice] = e.Time
		}
	}
	return out, nil
}
