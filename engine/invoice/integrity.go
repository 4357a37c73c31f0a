package invoice

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
)

// The audit chain proves its entries were not altered, removed or
// reordered since; this file proves the stored documents agree with it.
// Every entry of a document-changing action holds the document after the
// change (After), so its content hash is recorded when it is generated,
// issued and at every status change. A stored document whose content no
// longer hashes to what its last entry recorded was edited outside
// Rebill; an issued document with no entry at all means the log was
// emptied or cut short.

// Content is a document as its audit entries record it: its JSON with the
// seller's logo replaced by the logo's SHA-256 ("seller_logo_sha256").
// Every entry holds the document, and the logo would be most of each; its
// hash still proves which logo the document carried.
func Content(inv Invoice) ([]byte, error) {
	logo := ""
	if len(inv.Seller.Logo) > 0 {
		sum := sha256.Sum256(inv.Seller.Logo)
		logo = hex.EncodeToString(sum[:])
	}
	return contentWith(inv, logo)
}

// contentWith encodes inv without its logo bytes, naming the logo by
// logoSHA256 ("" for none).
func contentWith(inv Invoice, logoSHA256 string) ([]byte, error) {
	inv.Seller.Logo = nil
	b, err := json.Marshal(inv)
	if err != nil || logoSHA256 == "" {
		return b, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	m["seller_logo_sha256"], _ = json.Marshal(logoSHA256)
	return json.Marshal(m)
}

// ContentHash is the hex SHA-256 of a document's Content: what the audit
// log holds of it, as one value to compare or write down.
func ContentHash(inv Invoice) (string, error) {
	c, err := Content(inv)
	if err != nil {
		return "", err
	}
	return hashOf(c), nil
}

func hashOf(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// RecordsDocument reports whether entries of this action hold the
// document after the change in After (null once deleted): generate,
// regenerate, approve, delete, close, reopen, void, a credit note, a
// correction and a sending. An export entry records what was exported, and other
// entries (a number series moved forward) may name no document at all.
func (a Action) RecordsDocument() bool {
	switch a {
	case ActionGenerate, ActionRegenerate, ActionApprove, ActionDelete, ActionClose, ActionVoid, ActionCredit, ActionCorrect,
		ActionReopen, ActionSend:
		return true
	}
	return false
}

// recorded is the document an entry holds after its change, decoded and
// encoded again as Content does, so that a field added to Invoice since
// the entry was written reads the same on both sides of the comparison;
// ok is false when the entry records the document's deletion.
func (e Entry) recorded() (doc Invoice, content []byte, ok bool, err error) {
	if bytes.Equal(bytes.TrimSpace(e.After), []byte("null")) || len(bytes.TrimSpace(e.After)) == 0 {
		return doc, nil, false, nil
	}
	if err := json.Unmarshal(e.After, &doc); err != nil {
		return doc, nil, false, err
	}
	var logo struct {
		SHA256 string `json:"seller_logo_sha256"`
	}
	if err := json.Unmarshal(e.After, &logo); err != nil {
		return doc, nil, false, err
	}
	content, err = contentWith(doc, logo.SHA256)
	return doc, content, true, err
}

// Discrepancy is a document that disagrees with the audit log.
type Discrepancy struct {
	Document string `json:"document"` // its id
	Label    string `json:"label"`    // "invoice NCP-2026-00012", "draft invoice of ACME for 2026-09"
	Problem  string `json:"problem"`
	// Entry is the audit entry compared with; 0 when there is none.
	Entry uint64 `json:"entry,omitempty"`
}

// AuditDocuments compares the stored documents (docs, drafts included)
// and the issued numbers (number -> document id) with the audit log and
// returns every disagreement, in document order:
//   - a document with no entry: the log was emptied or cut short;
//   - a document whose content differs from what its last entry holds:
//     it was edited outside Rebill (or the entries recording its last
//     changes were removed);
//   - a document the log records as deleted but still stored, or recorded
//     and missing from the database;
//   - an issued number whose document neither the database nor the log
//     holds, a number indexed to another document than the one carrying
//     it, and an issued document whose number is not indexed.
//
// It only reads entries of actions that record a document
// (Action.RecordsDocument); entries naming no document are ignored. The
// chain itself is VerifyHead's to check.
func AuditDocuments(entries []Entry, docs []Invoice, numbers map[string]string) []Discrepancy {
	var l LastEntries
	for _, e := range entries {
		l.Add(e)
	}
	return l.Discrepancies(docs, numbers)
}

// LastEntries keeps, while a log streams through Add, the last entry of
// each document (of the actions that record one): what AuditDocuments
// compares the documents with, held per document rather than per entry.
type LastEntries struct {
	last  map[string]Entry
	order []string // ids in the order the log first names them
}

// Add reads the next entry of the log.
func (l *LastEntries) Add(e Entry) {
	if !e.Action.RecordsDocument() {
		return
	}
	if l.last == nil {
		l.last = map[string]Entry{}
	}
	if _, seen := l.last[e.Invoice]; !seen {
		l.order = append(l.order, e.Invoice)
	}
	l.last[e.Invoice] = e
}

// Discrepancies compares the documents and issued numbers with the log
// added, as AuditDocuments does.
func (l *LastEntries) Discrepancies(docs []Invoice, numbers map[string]string) []Discrepancy {
	last, order := l.last, l.order
	var out []Discrepancy
	stored := map[string]bool{}
	for _, d := range docs {
		stored[d.ID] = true
		if p, entry := compareWithLog(d, last); p != "" {
			out = append(out, Discrepancy{Document: d.ID, Label: d.Label(), Problem: p, Entry: entry})
		}
		if d.Number != "" && numbers[d.Number] != d.ID {
			out = append(out, Discrepancy{Document: d.ID, Label: d.Label(),
				Problem: fmt.Sprintf("carries number %s, which the number index does not give to it: the same number could be issued again", d.Number)})
		}
	}
	for _, id := range order {
		e := last[id]
		if stored[id] {
			continue
		}
		doc, _, ok, err := e.recorded()
		switch {
		case err != nil:
			out = append(out, Discrepancy{Document: id, Label: "document " + id, Entry: e.Seq,
				Problem: fmt.Sprintf("is missing from the database, and audit entry %d does not hold a readable document: %v", e.Seq, err)})
		case ok:
			out = append(out, Discrepancy{Document: id, Label: doc.Label(), Entry: e.Seq,
				Problem: fmt.Sprintf("is missing from the database: audit entry %d (%s) records it", e.Seq, e.Action)})
		}
	}
	byID := map[string]Invoice{}
	for _, d := range docs {
		byID[d.ID] = d
	}
	nums := make([]string, 0, len(numbers))
	for n := range numbers {
		nums = append(nums, n)
	}
	slices.Sort(nums)
	for _, n := range nums {
		id := numbers[n]
		d, ok := byID[id]
		_, logged := last[id]
		switch {
		case !ok && !logged:
			out = append(out, Discrepancy{Document: id, Label: "number " + n,
				Problem: fmt.Sprintf("was issued to document %s, which neither the database nor the audit log holds: the audit log is missing its entries", id)})
		case ok && d.Number != n:
			out = append(out, Discrepancy{Document: id, Label: "number " + n,
				Problem: fmt.Sprintf("is indexed to %s, which carries another number", d.Label())})
		}
	}
	return out
}

// compareWithLog says what is wrong between a stored document and its
// last entry ("" for nothing), and which entry it compared with.
func compareWithLog(d Invoice, last map[string]Entry) (string, uint64) {
	e, ok := last[d.ID]
	if !ok {
		return "has no entry in the audit log: the log was emptied or cut short", 0
	}
	_, recorded, ok, err := e.recorded()
	switch {
	case err != nil:
		return fmt.Sprintf("cannot be compared: audit entry %d does not hold a readable document: %v", e.Seq, err), e.Seq
	case !ok:
		return fmt.Sprintf("is in the database, but audit entry %d records its deletion", e.Seq), e.Seq
	}
	content, err := Content(d)
	if err != nil {
		return fmt.Sprintf("cannot be encoded: %v", err), e.Seq
	}
	if got, want := hashOf(content), hashOf(recorded); got != want {
		return fmt.Sprintf("no longer matches the audit log: its stored content (SHA-256 %.12s…) is not what audit entry %d (%s) recorded (%.12s…); it was edited outside Rebill, or the log's later entries were removed",
			got, e.Seq, e.Action, want), e.Seq
	}
	return "", e.Seq
}
