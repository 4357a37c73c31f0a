package invoice

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Entry is one record of the invoice audit log: every generate, approve,
// delete, status change, export and correction, with the invoice before
// and after. Entries are hash-chained: each one's Hash is the SHA-256 of
// its canonical encoding, which includes the previous entry's hash, so
// altering, removing or reordering an entry breaks the chain from there
// on and Verify names the first bad entry. This package defines and checks
// the chain; the store appends entries in the transaction that makes the
// change and persists them.
type Entry struct {
	Seq     uint64          `json:"seq"` // 1, 2, ... with no gap
	Time    time.Time       `json:"time"`
	Action  Action          `json:"action"`
	Invoice string          `json:"invoice"` // the invoice's id
	Before  json.RawMessage `json:"before"`  // null when created
	After   json.RawMessage `json:"after"`   // null when deleted
	Prev    string          `json:"prev"`    // previous entry's hash; "" for the first
	Hash    string          `json:"hash"`    // hex SHA-256 of the canonical encoding
}

// Head is the end of a chain: the last entry's seq and hash, the zero Head
// for an empty log. The store keeps it apart from the entries (e.g. in its
// meta bucket) so that removing the last entries, which leaves a shorter
// valid chain, is detected by VerifyHead.
type Head struct {
	Seq  uint64 `json:"seq"`
	Hash string `json:"hash"`
}

// Head returns the chain's end after this entry.
func (e Entry) Head() Head { return Head{Seq: e.Seq, Hash: e.Hash} }

// NewEntry makes the entry that follows prev. before and after are the
// invoice's JSON (nil for none); they are stored in canonical form
// (compact, HTML-escaped as encoding/json writes it), so the entry hashes
// the same after the store encodes and decodes it.
func NewEntry(prev Head, at time.Time, a Action, invoiceID string, before, after []byte) (Entry, error) {
	b, err := canonicalJSON(before)
	if err != nil {
		return Entry{}, fmt.Errorf("audit entry for %s: before is not JSON: %w", invoiceID, err)
	}
	af, err := canonicalJSON(after)
	if err != nil {
		return Entry{}, fmt.Errorf("audit entry for %s: after is not JSON: %w", invoiceID, err)
	}
	e := Entry{Seq: prev.Seq + 1, Time: at.UTC().Round(0), Action: a, Invoice: invoiceID, Before: b, After: af, Prev: prev.Hash}
	e.Hash, err = e.sum()
	return e, err
}

// ChainError names the first entry at which the chain is broken.
type ChainError struct {
	Seq     uint64 // the first bad entry (or the missing one)
	Problem string
}

// Error says which entry and what is wrong with it.
func (e *ChainError) Error() string { return fmt.Sprintf("audit log entry %d %s", e.Seq, e.Problem) }

// Verifier checks a log entry by entry, first entry first, without
// holding it: a store streams its entries through Add, then asks End
// whether the log ends where it recorded. The first problem found sticks.
type Verifier struct {
	prev Head
	err  error
}

// Add checks the next entry: seq one more than the last (1 first, with no
// previous hash), its hash matching its content, and its link to the
// previous entry's hash. It returns a *ChainError naming the first bad
// entry, or nil.
func (v *Verifier) Add(e Entry) error {
	if v.err != nil {
		return v.err
	}
	prev := v.prev
	sum, err := e.sum()
	switch {
	case err != nil:
		v.err = &ChainError{Seq: e.Seq, Problem: "cannot be read: " + err.Error()}
	case e.Seq > prev.Seq+1:
		v.err = &ChainError{Seq: prev.Seq + 1, Problem: fmt.Sprintf("is missing: entry %d follows entry %d", e.Seq, prev.Seq)}
	case e.Seq != prev.Seq+1:
		v.err = &ChainError{Seq: e.Seq, Problem: fmt.Sprintf("is out of order: it follows entry %d", prev.Seq)}
	case sum != e.Hash:
		v.err = &ChainError{Seq: e.Seq, Problem: "was altered: its content does not match its hash"}
	case e.Prev != prev.Hash:
		v.err = &ChainError{Seq: e.Seq, Problem: fmt.Sprintf("does not link to entry %d: an entry was removed, reordered or altered", prev.Seq)}
	default:
		v.prev = e.Head()
	}
	return v.err
}

// End returns the first problem Add found, or checks that the log added
// ends at head, which detects entries removed from the end.
func (v *Verifier) End(head Head) error {
	if v.err != nil {
		return v.err
	}
	end := v.prev
	switch {
	case end.Seq < head.Seq:
		return &ChainError{Seq: end.Seq + 1, Problem: fmt.Sprintf("is missing: the log ends at entry %d, its recorded end is entry %d", end.Seq, head.Seq)}
	case end != head:
		return &ChainError{Seq: end.Seq, Problem: fmt.Sprintf("is not the recorded end of the log (entry %d, hash %.12s…)", head.Seq, head.Hash)}
	}
	return nil
}

// Verify checks a whole log, first entry first (see Verifier.Add). It
// returns a *ChainError naming the first bad entry, or nil.
func Verify(entries []Entry) error {
	var v Verifier
	for _, e := range entries {
		if err := v.Add(e); err != nil {
			return err
		}
	}
	return nil
}

// VerifyHead checks the log with Verify and that it ends at head, which
// detects entries removed from the end.
func VerifyHead(entries []Entry, head Head) error {
	var v Verifier
	for _, e := range entries {
		if err := v.Add(e); err != nil {
			return err
		}
	}
	return v.End(head)
}

// sum is the entry's hash: SHA-256 over a canonical encoding of every
// field but Hash. Each field is written as its length and bytes, so no
// field's content can shift into another's; the time is UTC RFC 3339
// with nanoseconds, as JSON stores it.
func (e Entry) sum() (string, error) {
	before, err := canonicalJSON(e.Before)
	if err != nil {
		return "", err
	}
	after, err := canonicalJSON(e.After)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	b.WriteString("rebill-invoice-audit-1\n")
	for _, f := range [][]byte{
		[]byte(strconv.FormatUint(e.Seq, 10)),
		[]byte(e.Time.UTC().Format(time.RFC3339Nano)),
		[]byte(e.Action), []byte(e.Invoice), before, after, []byte(e.Prev),
	} {
		b.WriteString(strconv.Itoa(len(f)))
		b.WriteByte(':')
		b.Write(f)
		b.WriteByte('\n')
	}
	s := sha256.Sum256(b.Bytes())
	return hex.EncodeToString(s[:]), nil
}

// canonicalJSON is raw as encoding/json re-writes a RawMessage: compact
// and HTML-escaped; empty is null.
func canonicalJSON(raw []byte) (json.RawMessage, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return json.RawMessage("null"), nil
	}
	var c bytes.Buffer
	if err := json.Compact(&c, raw); err != nil {
		return nil, err
	}
	var h bytes.Buffer
	json.HTMLEscape(&h, c.Bytes())
	return h.Bytes(), nil
}
