package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Kinds of entity the change log records.
const (
	KindCustomer = "customer"
	KindMapping  = "mapping"
	KindGrant    = "credit-grant"
	KindUse      = "credit-use"
	KindProfile  = "profile"
)

// Change is one entry of the append-only change log: what changed, when,
// and the value before and after, so that the accountant can answer "who
// owned this account in March, and since when?" and an auditor can see
// every edit of a customer's terms.
type Change struct {
	Seq      uint64          `json:"seq"`
	At       time.Time       `json:"at"`
	Kind     string          `json:"kind"`               // KindCustomer, KindMapping, ...
	Key      string          `json:"key"`                // customer id, "account from", grant id, "profile"
	Customer string          `json:"customer,omitempty"` // the customer concerned, "" for the profile
	Old      json.RawMessage `json:"old"`                // null when created
	New      json.RawMessage `json:"new"`                // null when deleted
}

// record is one entity write together with its change-log entry: every
// write of a logged entity goes through put or del, so the entity and its
// entry always land in the same transaction.
type record struct {
	bucket   []byte
	key      []byte
	kind     string
	name     string // Change.Key
	customer string
}

// put stores v under the record's key and logs the change; it writes
// nothing and returns false when the stored value is already v.
func (r record) put(tx *bolt.Tx, v any, now time.Time) (bool, error) {
	val, err := json.Marshal(v)
	if err != nil {
		return false, err
	}
	b := tx.Bucket(r.bucket)
	old := b.Get(r.key)
	if old != nil && bytes.Equal(old, val) {
		return false, nil
	}
	if err := r.log(tx, cloneOrNil(old), val, now); err != nil {
		return false, err
	}
	return true, b.Put(r.key, val)
}

// del removes the record's value and logs the deletion; it returns false
// when there was nothing to remove.
func (r record) del(tx *bolt.Tx, now time.Time) (bool, error) {
	b := tx.Bucket(r.bucket)
	old := b.Get(r.key)
	if old == nil {
		return false, nil
	}
	if err := r.log(tx, append([]byte(nil), old...), nil, now); err != nil {
		return false, err
	}
	return true, b.Delete(r.key)
}

func (r record) log(tx *bolt.Tx, old, val []byte, now time.Time) error {
	changes := tx.Bucket(bucketChanges)
	seq, err := changes.NextSequence()
	if err != nil {
		return err
	}
	c := Change{Seq: seq, At: now.UTC(), Kind: r.kind, Key: r.name, Customer: r.customer, Old: rawOrNull(old), New: rawOrNull(val)}
	entry, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return changes.Put(u64(seq), entry)
}

func cloneOrNil(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte(nil), b...)
}

func rawOrNull(b []byte) json.RawMessage {
	if b == nil {
		return json.RawMessage("null")
	}
	if !json.Valid(b) {
		// A value damaged in the database is logged as the text it
		// holds: setting it again mends it, and the log keeps what was
		// there.
		s, _ := json.Marshal(string(b))
		return s
	}
	return b
}

// Changes returns the change log, oldest first, keeping the entries match
// accepts (all when match is nil).
func (db *DB) Changes(match func(*Change) bool) ([]Change, error) {
	out := []Change{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketChanges).ForEach(func(k, v []byte) error {
			var c Change
			if err := json.Unmarshal(v, &c); err != nil {
				return fmt.Errorf("change log entry %x is damaged: %w", k, err)
			}
			if match == nil || match(&c) {
				out = append(out, c)
			}
			return nil
		})
	})
	return out, err
}

// CustomerLog returns every change concerning one customer, oldest first:
// its profile, its account mappings and its credits.
func (db *DB) CustomerLog(id string) ([]Change, error) {
	return db.Changes(func(c *Change) bool { return c.Customer == id })
}

// ProfileLog returns every change of the reseller profile, oldest first.
func (db *DB) ProfileLog() ([]Change, error) {
	return db.Changes(func(c *Change) bool { return c.Kind == KindProfile })
}
