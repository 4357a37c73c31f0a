package cli

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	bolt "go.etcd.io/bbolt"

	"rebill/engine/billing"
	"rebill/engine/invoice"
	"rebill/store"
)

// issuedDB is invoicesDB with September issued: six invoices approved on
// 5 October 2026 (NCP-2026-00001 to 00006), the second closed, and a
// credit note of 10.00 against the first (CN-2026-00001). Its audit log
// has 15 entries: 6 generate, 6 approve, the payment closing records and
// the close, the credit note.
func issuedDB(t *testing.T) string {
	t.Helper()
	db := invoicesDB(t)
	var v any
	ok(t, db, &v, "invoices", "generate", "--period", "2026-09", "--all", "--credits", "--tax", "--marketplace")
	ok(t, db, &v, "invoices", "approve", "--all", "--period", "2026-09")
	ok(t, db, &v, "invoices", "close", "NCP-2026-00002", "--paid-on", "2026-10-05")
	ok(t, db, &v, "invoices", "credit-note", "NCP-2026-00001", "--amount", "10.00", "--reason", "Goodwill")
	return db
}

// copyDB copies a closed database file, so each case tampers with its own.
func copyDB(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(out, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return out
}

// tamper edits the database file with bbolt itself, as someone holding
// the file (or a faulty disk) would, behind Rebill's back.
func tamper(t *testing.T, path string, fn func(tx *bolt.Tx) error) {
	t.Helper()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Update(fn); err != nil {
		t.Fatal(err)
	}
}

// idOfNumber reads the number index the way an attacker would find the
// document to edit.
func idOfNumber(tx *bolt.Tx, number string) []byte {
	return append([]byte(nil), tx.Bucket([]byte("invoice-numbers")).Get([]byte(number))...)
}

// editIssued rewrites an issued invoice's JSON consistently: its first
// line, that section's subtotal, the subtotal and the total all 100.00
// more, so the figures still add up and Rebill reads it without a
// complaint of its own.
func editIssued(number string) func(tx *bolt.Tx) error {
	return func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("invoices"))
		k := idOfNumber(tx, number)
		var inv invoice.Invoice
		if err := json.Unmarshal(b.Get(k), &inv); err != nil {
			return err
		}
		var hundred billing.Amount
		if err := json.Unmarshal([]byte(`"100.00"`), &hundred); err != nil {
			return err
		}
		s := &inv.Sections[0]
		s.Lines[0].Amount = s.Lines[0].Amount.Add(hundred)
		s.Subtotal = s.Subtotal.Add(hundred)
		inv.Subtotal = inv.Subtotal.Add(hundred)
		inv.Total = inv.Total.Add(hundred)
		v, err := json.Marshal(inv)
		if err != nil {
			return err
		}
		return b.Put(k, v)
	}
}

// emptyLog deletes every audit entry and the recorded end of the log.
func emptyLog(tx *bolt.Tx) error {
	if err := tx.DeleteBucket([]byte("invoice-audit")); err != nil {
		return err
	}
	if _, err := tx.CreateBucket([]byte("invoice-audit")); err != nil {
		return err
	}
	return tx.Bucket([]byte("meta")).Delete([]byte("invoice-audit-head"))
}

// cutLog deletes the last n entries and rewrites the recorded end to the
// entry before them, which leaves a shorter chain that verifies.
func cutLog(n int) func(tx *bolt.Tx) error {
	return func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("invoice-audit"))
		k, _ := b.Cursor().Last()
		last := binary.BigEndian.Uint64(k)
		for i := 0; i < n; i++ {
			if err := b.Delete(binary.BigEndian.AppendUint64(nil, last-uint64(i))); err != nil {
				return err
			}
		}
		var e invoice.Entry
		if err := json.Unmarshal(b.Get(binary.BigEndian.AppendUint64(nil, last-uint64(n))), &e); err != nil {
			return err
		}
		h, _ := json.Marshal(e.Head())
		return tx.Bucket([]byte("meta")).Put([]byte("invoice-audit-head"), h)
	}
}

// flipByte flips one byte in the middle of the first row block of the
// first stored delivery.
func flipByte(tx *bolt.Tx) error {
	slices := tx.Bucket([]byte("slices"))
	k, _ := slices.Cursor().First()
	rows := slices.Bucket(k).Bucket([]byte("rows"))
	bk, v := rows.Cursor().First()
	v = append([]byte(nil), v...)
	v[len(v)/2] ^= 0x20
	return rows.Put(bk, v)
}

// flipGroupsByte flips one byte in the middle of the first block of sums
// of the first stored delivery, what statements are computed from.
func flipGroupsByte(tx *bolt.Tx) error {
	slices := tx.Bucket([]byte("slices"))
	k, _ := slices.Cursor().First()
	groups := slices.Bucket(k).Bucket([]byte("day-groups"))
	v := append([]byte(nil), groups.Get([]byte{0, 0, 0, 1})...)
	v[len(v)/2] ^= 0x20
	return groups.Put([]byte{0, 0, 0, 1}, v)
}

// TestCheckFindsTampering edits the database file directly, then checks
// it through the CLI (exit 1, each finding with what to do) and through
// the store.
func TestCheckFindsTampering(t *testing.T) {
	clean := issuedDB(t)
	out, errs, code := cli(t, clean, "check")
	if code != 0 || !strings.Contains(out, "No problems found") || !strings.Contains(out, "15 entries, ending at entry 15") ||
		!strings.Contains(out, "7 documents (7 issued)") || !strings.Contains(out, "The audit log ends at: Audit log entry 15, SHA-256 ") || errs != "" {
		t.Fatalf("check of the untouched database: exit %d\n%s%s", code, out, errs)
	}

	var ids struct{ first, second, note string }
	tamper(t, copyDB(t, clean), func(tx *bolt.Tx) error {
		ids.first = fmt.Sprint(binary.BigEndian.Uint64(idOfNumber(tx, "NCP-2026-00001")))
		ids.second = fmt.Sprint(binary.BigEndian.Uint64(idOfNumber(tx, "NCP-2026-00002")))
		ids.note = fmt.Sprint(binary.BigEndian.Uint64(idOfNumber(tx, "CN-2026-00001")))
		return nil
	})
	for _, tc := range []struct {
		name   string
		tamper func(tx *bolt.Tx) error
		area   store.CheckArea
		// want are the findings' subjects and a part of each problem.
		want [][2]string
	}{
		{"an issued invoice edited", editIssued("NCP-2026-00001"), store.AreaDocuments, [][2]string{
			{"invoice NCP-2026-00001 (id " + ids.first + ")", "no longer matches the audit log"},
			// rebill check compares the lists' index with it too (audit
			// verify does not: the index is not the log's business).
			{"invoice NCP-2026-00001", "differs from its listing in the invoice index"},
		}},
		{"the audit log emptied", emptyLog, store.AreaDocuments, [][2]string{
			{"invoice NCP-2026-00001", "has no entry in the audit log: the log was emptied or cut short"},
			{"invoice NCP-2026-00002", "has no entry in the audit log"},
			{"invoice NCP-2026-00003", "has no entry in the audit log"},
			{"invoice NCP-2026-00004", "has no entry in the audit log"},
			{"invoice NCP-2026-00005", "has no entry in the audit log"},
			{"invoice NCP-2026-00006", "has no entry in the audit log"},
			{"credit note CN-2026-00001", "has no entry in the audit log"},
		}},
		{"the audit log cut short and its end rewritten", cutLog(2), store.AreaDocuments, [][2]string{
			{"invoice NCP-2026-00002 (id " + ids.second + ")", "is not what audit entry 8 (approve) recorded"},
			{"credit note CN-2026-00001 (id " + ids.note + ")", "has no entry in the audit log"},
		}},
		{"a byte flipped in a stored row block", flipByte, store.AreaRows, [][2]string{
			{"AWS payer 934672015588 for 2026-09 (delivery 1, import 1, file ", "its row block 0 is damaged: its checksum does not match its bytes"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := copyDB(t, clean)
			tamper(t, db, tc.tamper)

			out, errs, code := cli(t, db, "check")
			if code != 1 || !strings.Contains(errs, fmt.Sprintf("rebill check: %s in %s", problems(len(tc.want)), db)) {
				t.Errorf("exit %d, stderr %q", code, errs)
			}
			for _, w := range tc.want {
				if head := fmt.Sprintf(". [%s] %s", tc.area, w[0]); !strings.Contains(out, head) || !strings.Contains(out, w[1]) {
					t.Errorf("the output has no %q with %q:\n%s", head, w[1], out)
				}
			}
			if !strings.Contains(out, "What to do: ") {
				t.Errorf("no advice in:\n%s", out)
			}

			// --json: one document, the same findings, still exit 1.
			out, _, code = cli(t, db, "check", "--json")
			var rep store.CheckReport
			if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 1 {
				t.Fatalf("check --json: exit %d, %v:\n%s", code, err, out)
			}
			findingsAre(t, rep, tc.area, tc.want)

			// audit verify no longer calls such a log intact; damaged rows
			// are not its business.
			out, errs, code = cli(t, db, "audit", "verify")
			if tc.area == store.AreaRows {
				if code != 0 || !strings.Contains(out, "The invoice audit log is intact: 15 entries") {
					t.Errorf("audit verify with damaged rows: exit %d %q %q", code, out, errs)
				}
			} else if code != 1 || strings.Contains(out, "intact") || !strings.Contains(errs, "the invoice audit log was tampered with: ") ||
				!strings.Contains(out, tc.want[0][1]) {
				t.Errorf("audit verify: exit %d\n%s%s", code, out, errs)
			}

			// The store's own answer, as the window asks it.
			s, err := store.Open(db)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			rep, err = s.Check()
			if err != nil {
				t.Fatal(err)
			}
			findingsAre(t, rep, tc.area, tc.want)
		})
	}
}

func findingsAre(t *testing.T, rep store.CheckReport, area store.CheckArea, want [][2]string) {
	t.Helper()
	if rep.OK() || len(rep.Findings) != len(want) {
		t.Fatalf("%d findings, want %d: %+v", len(rep.Findings), len(want), rep.Findings)
	}
	for _, w := range want {
		found := false
		for _, f := range rep.Findings {
			found = found || f.Area == area && strings.HasPrefix(f.Subject, w[0]) && strings.Contains(f.Problem, w[1]) && f.Advice != ""
		}
		if !found {
			t.Errorf("no %s finding about %q with %q in %+v", area, w[0], w[1], rep.Findings)
		}
	}
}

// TestDamagedRowsAreNeverBilled: after a byte flips in the stored sums of
// a delivery's rows, every command that reads them fails naming the
// delivery and what to do, instead of printing other amounts.
func TestDamagedRowsAreNeverBilled(t *testing.T) {
	db := invoicesDB(t)
	tamper(t, db, flipGroupsByte)
	for _, args := range [][]string{
		{"report", "--period", "2026-09"},
		{"invoices", "generate", "--period", "2026-09", "--all"},
	} {
		out, errs, code := cli(t, db, args...)
		if code != 1 || out != "" ||
			!strings.Contains(errs, "the stored line items of AWS payer 934672015588 for 2026-09 (delivery 1, import 1, file ") ||
			!strings.Contains(errs, "sample-2026-09.csv) are damaged (group block 1 is damaged: its checksum does not match its bytes): import that file again to replace them, or restore the database from a backup") {
			t.Errorf("rebill %s: exit %d\nstdout %q\nstderr %q", strings.Join(args, " "), code, out, errs)
		}
	}
	var list []any
	ok(t, db, &list, "invoices", "list") // nothing was generated from the damaged rows
	if len(list) != 0 {
		t.Errorf("%d invoices after generating from damaged rows", len(list))
	}
}

// TestAuditHead: the verified end of the log, as text and JSON, equal to
// the last entry; exported PDFs and workbooks print it.
func TestAuditHead(t *testing.T) {
	db := issuedDB(t)
	var log []invoice.Entry
	ok(t, db, &log, "audit", "list")
	last := log[len(log)-1]
	want := fmt.Sprintf("Audit log entry %d, SHA-256 %s", last.Seq, last.Hash)
	if last.Seq != 15 || len(last.Hash) != 64 {
		t.Fatalf("last entry %d %q", last.Seq, last.Hash)
	}
	out, _, code := cli(t, db, "audit", "head")
	if code != 0 || out != want+"\n" {
		t.Errorf("audit head: exit %d %q, want %q", code, out, want)
	}
	var head struct {
		Seq  uint64 `json:"seq"`
		Hash string `json:"hash"`
	}
	ok(t, db, &head, "audit", "head")
	if head.Seq != last.Seq || head.Hash != last.Hash {
		t.Errorf("audit head --json %+v", head)
	}

	// The workbook carries the head of the log before its own export.
	dir := t.TempDir()
	xlsx := filepath.Join(dir, "inv.xlsx")
	out, _, code = cli(t, db, "invoices", "export", "NCP-2026-00001", "--format", "xlsx", "--out", xlsx)
	if code != 0 || !strings.Contains(out, "Printed on it: "+want) {
		t.Errorf("export: exit %d %q", code, out)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("Summary")
	if l := rows[len(rows)-1]; len(l) < 2 || l[0] != "Audit log" || l[1] != want {
		t.Errorf("last Summary row %q, want the audit log's end", l)
	}
	if p, err := f.GetDocProps(); err != nil || p.Description != want {
		t.Errorf("workbook description %q (%v)", p.Description, err)
	}

	// The export was entry 16: the PDF exported next prints it.
	ok(t, db, &log, "audit", "list")
	wantNext := fmt.Sprintf("Audit log entry 16, SHA-256 %s", log[15].Hash)
	pdf := filepath.Join(dir, "inv.pdf")
	var ex struct {
		Audit struct {
			Seq  uint64 `json:"seq"`
			Hash string `json:"hash"`
		} `json:"audit_head"`
	}
	ok(t, db, &ex, "invoices", "export", "NCP-2026-00001", "--format", "pdf", "--out", pdf)
	if ex.Audit.Seq != 16 || ex.Audit.Hash != log[15].Hash {
		t.Errorf("export --json audit_head %+v", ex.Audit)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Log("pdftotext is not installed: the PDF's text is not checked")
	} else if text, err := exec.Command("pdftotext", pdf, "-").Output(); err != nil || !strings.Contains(string(text), wantNext) {
		t.Errorf("the PDF does not print %q (%v):\n%s", wantNext, err, text)
	}

	// An emptied log has no end to print; a broken one is not vouched for.
	empty := copyDB(t, db)
	tamper(t, empty, emptyLog)
	if out, _, code := cli(t, empty, "audit", "head"); code != 0 || out != "The invoice audit log is empty.\n" {
		t.Errorf("audit head of an empty log: exit %d %q", code, out)
	}
	broken := copyDB(t, db)
	tamper(t, broken, cutLog(1)) // the recorded end rewritten: a chain that verifies...
	tamper(t, broken, func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("invoice-audit")).Delete(binary.BigEndian.AppendUint64(nil, 3))
	})
	fails(t, broken, 1, "the invoice audit log does not verify (audit log entry 3 is missing", "audit", "head")
}
