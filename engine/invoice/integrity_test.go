package invoice_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"rebill/engine/invoice"
)

// logOf appends entries as the store does: each step's document after it
// is recorded with Content (nil for a deletion).
type logOf struct {
	t       *testing.T
	entries []invoice.Entry
}

func (l *logOf) add(a invoice.Action, id string, after *invoice.Invoice) {
	l.t.Helper()
	var af []byte
	if after != nil {
		var err error
		if af, err = invoice.Content(*after); err != nil {
			l.t.Fatal(err)
		}
	}
	l.raw(a, id, af)
}

func (l *logOf) raw(a invoice.Action, id string, after []byte) {
	l.t.Helper()
	head := invoice.Head{}
	if n := len(l.entries); n > 0 {
		head = l.entries[n-1].Head()
	}
	e, err := invoice.NewEntry(head, now.Add(time.Duration(len(l.entries))*time.Minute), a, id, nil, after)
	if err != nil {
		l.t.Fatal(err)
	}
	l.entries = append(l.entries, e)
}

// TestAuditDocuments compares documents and numbers with a log, in each
// way they can disagree. The base: invoice 17 generated and approved as
// INV-2026-00001, exported; draft 18 generated; draft 19 generated and
// deleted; an entry for the number series, naming no document.
func TestAuditDocuments(t *testing.T) {
	d17 := draft(t, "17")
	o17 := issued(t, d17)
	d18, d19 := draft(t, "18"), draft(t, "19")
	base := func(t *testing.T) *logOf {
		l := &logOf{t: t}
		l.add(invoice.ActionGenerate, "17", &d17)
		l.add(invoice.ActionApprove, "17", &o17)
		l.raw(invoice.ActionExport, "17", []byte(`{"format":"pdf","sha256":"00"}`))
		l.add(invoice.ActionGenerate, "18", &d18)
		l.add(invoice.ActionGenerate, "19", &d19)
		l.add(invoice.ActionDelete, "19", nil)
		l.raw("advance_series", "series:invoice", []byte(`{"next":5}`))
		return l
	}
	numbers := map[string]string{o17.Number: "17"}
	edited := o17
	edited.PaymentRef = "paid in cash"
	closed, err := o17.Close(invoice.NewDate(2026, 10, 20), "BANK-1")
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name    string
		log     func(t *testing.T) []invoice.Entry
		docs    []invoice.Invoice
		numbers map[string]string
		want    []string // "id: problem part"
	}{
		{"everything agrees", func(t *testing.T) []invoice.Entry { return base(t).entries },
			[]invoice.Invoice{o17, d18}, numbers, nil},
		{"an issued invoice edited", func(t *testing.T) []invoice.Entry { return base(t).entries },
			[]invoice.Invoice{edited, d18}, numbers, []string{"17: no longer matches the audit log: its stored content (SHA-256 "}},
		{"a status change without its entry", func(t *testing.T) []invoice.Entry { return base(t).entries },
			[]invoice.Invoice{closed, d18}, numbers, []string{"17: is not what audit entry 2 (approve) recorded"}},
		{"a status change with its entry", func(t *testing.T) []invoice.Entry {
			l := base(t)
			l.add(invoice.ActionClose, "17", &closed)
			return l.entries
		}, []invoice.Invoice{closed, d18}, numbers, nil},
		{"an empty log", func(t *testing.T) []invoice.Entry { return nil },
			[]invoice.Invoice{o17, d18}, numbers, []string{
				"17: has no entry in the audit log: the log was emptied or cut short",
				"18: has no entry in the audit log",
			}},
		{"only an export entry left", func(t *testing.T) []invoice.Entry {
			l := &logOf{t: t}
			l.raw(invoice.ActionExport, "17", []byte(`{"format":"pdf"}`))
			return l.entries
		}, []invoice.Invoice{o17}, numbers, []string{"17: has no entry in the audit log"}},
		{"a deleted draft back in the database", func(t *testing.T) []invoice.Entry { return base(t).entries },
			[]invoice.Invoice{o17, d18, d19}, numbers, []string{"19: is in the database, but audit entry 6 records its deletion"}},
		{"a document missing from the database", func(t *testing.T) []invoice.Entry { return base(t).entries },
			[]invoice.Invoice{d18}, numbers, []string{"17: is missing from the database: audit entry 2 (approve) records it"}},
		{"a number whose document nothing holds", func(t *testing.T) []invoice.Entry { return base(t).entries },
			[]invoice.Invoice{o17, d18}, map[string]string{o17.Number: "17", "INV-2026-00002": "20"},
			[]string{"20: was issued to document 20, which neither the database nor the audit log holds"}},
		{"a number indexed to another document", func(t *testing.T) []invoice.Entry { return base(t).entries },
			[]invoice.Invoice{o17, d18}, map[string]string{o17.Number: "17", "INV-2026-00009": "18"},
			[]string{"18: is indexed to draft invoice of ACME for 2026-09, which carries another number"}},
		{"an issued number not indexed", func(t *testing.T) []invoice.Entry { return base(t).entries },
			[]invoice.Invoice{o17, d18}, map[string]string{},
			[]string{"17: carries number INV-2026-00001, which the number index does not give to it"}},
		{"an entry written before a field was added", func(t *testing.T) []invoice.Entry {
			// An older Rebill wrote no "paid_date": the document reads
			// the same without it.
			l := &logOf{t: t}
			c, _ := invoice.Content(o17)
			var m map[string]json.RawMessage
			json.Unmarshal(c, &m)
			delete(m, "paid_date")
			old, _ := json.Marshal(m)
			l.raw(invoice.ActionApprove, "17", old)
			l.add(invoice.ActionGenerate, "18", &d18)
			return l.entries
		}, []invoice.Invoice{o17, d18}, numbers, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := invoice.AuditDocuments(tc.log(t), tc.docs, tc.numbers)
			if len(got) != len(tc.want) {
				t.Errorf("%d discrepancies, want %d: %+v", len(got), len(tc.want), got)
			}
			for _, w := range tc.want {
				id, problem, _ := strings.Cut(w, ": ")
				found := false
				for _, d := range got {
					found = found || d.Document == id && strings.Contains(d.Problem, problem) && d.Label != ""
				}
				if !found {
					t.Errorf("no discrepancy %q in %+v", w, got)
				}
			}
		})
	}
}

// TestContentNamesTheLogo: the log holds the logo's SHA-256, not its
// bytes; the same document with another logo is another content.
func TestContentNamesTheLogo(t *testing.T) {
	inv := issued(t, draft(t, "17"))
	inv.Seller.Logo = []byte("\x89PNG\r\n\x1a\nnot really")
	c, err := invoice.Content(inv)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(inv.Seller.Logo)
	if strings.Contains(string(c), `"logo":`) || !strings.Contains(string(c), `"seller_logo_sha256":"`+hex.EncodeToString(sum[:])+`"`) {
		t.Errorf("content %.300s", c)
	}
	l := &logOf{t: t}
	l.add(invoice.ActionApprove, "17", &inv)
	if got := invoice.AuditDocuments(l.entries, []invoice.Invoice{inv}, map[string]string{inv.Number: "17"}); len(got) != 0 {
		t.Errorf("the same logo: %+v", got)
	}
	other := inv
	other.Seller.Logo = []byte("\x89PNG\r\n\x1a\nanother")
	if got := invoice.AuditDocuments(l.entries, []invoice.Invoice{other}, map[string]string{inv.Number: "17"}); len(got) != 1 {
		t.Errorf("another logo: %+v", got)
	}
	h1, _ := invoice.ContentHash(inv)
	h2, _ := invoice.ContentHash(other)
	if len(h1) != 64 || h1 == h2 {
		t.Errorf("content hashes %s %s", h1, h2)
	}
}
