package ui

import (
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	bolt "go.etcd.io/bbolt"

	"rebill/engine/invoice"
	"rebill/store"
)

// TestCheckViewOf words check results without a window.
func TestCheckViewOf(t *testing.T) {
	checked := store.Checked{Deliveries: 2, RowSets: 2, Blocks: 3, Rows: 2500, AuditEntries: 4,
		AuditHead: invoice.Head{Seq: 4, Hash: strings.Repeat("ab", 32)}, Documents: 2, Issued: 1, Numbers: 1}
	finding := store.Finding{Area: store.AreaDocuments, Subject: "invoice NCP-2026-00001 (id 3)",
		Problem: "no longer matches the audit log", Advice: "restore the database from a backup"}
	many := store.CheckReport{Checked: checked}
	for i := 0; i < 53; i++ {
		many.Findings = append(many.Findings, finding)
	}
	for _, tc := range []struct {
		name       string
		rep        store.CheckReport
		err        error
		headline   string
		importance widget.Importance
		findings   int
		first      findingView
		more       string
		head       string
	}{
		{"no problems", store.CheckReport{Checked: checked}, nil,
			"No problems found. Checked the file's structure; 2 deliveries (2 stored row sets, 3 row blocks, 2500 rows), every checksum; the audit log (4 entries, ending at entry 4); 2 documents (1 issued) and 1 issued number against the log.",
			widget.SuccessImportance, 0, findingView{}, "",
			"The audit log now ends at: Audit log entry 4, SHA-256 " + strings.Repeat("ab", 32) + ". Keep this line outside the database (it is printed on exported PDFs and workbooks): a log rewritten later will not lead to it."},
		{"one problem", store.CheckReport{Checked: checked, Findings: []store.Finding{finding}}, nil,
			"1 problem found. Checked the file's structure; 2 deliveries", widget.DangerImportance, 1,
			findingView{title: "Invoice NCP-2026-00001 (id 3)", problem: "No longer matches the audit log.", advice: "What to do: restore the database from a backup."},
			"", "The audit log now ends at: Audit log entry 4"},
		{"more than the list shows", many, nil, "53 problems found.", widget.DangerImportance, 50,
			findingView{title: "Invoice NCP-2026-00001 (id 3)", problem: "No longer matches the audit log.", advice: "What to do: restore the database from a backup."},
			"3 more problems are not listed here: rebill check lists them all.", "The audit log now ends at"},
		{"an empty log", store.CheckReport{}, nil, "No problems found.", widget.SuccessImportance, 0, findingView{}, "", ""},
		{"a check that could not run", store.CheckReport{}, errors.New("checking the database: database not open"),
			"The check could not run: checking the database: database not open", widget.DangerImportance, 0, findingView{}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := checkViewOf(tc.rep, tc.err)
			if !strings.HasPrefix(v.headline, tc.headline) || v.importance != tc.importance || len(v.findings) != tc.findings || v.more != tc.more ||
				!strings.HasPrefix(v.head, tc.head) || (tc.head == "") != (v.head == "") {
				t.Errorf("view %+v", v)
			}
			if tc.findings > 0 && v.findings[0] != tc.first {
				t.Errorf("first finding %+v, want %+v", v.findings[0], tc.first)
			}
		})
	}
}

// TestCheckFromSettings: Settings checks the database on request; after a
// byte of a stored row block flips in the file, it lists the damaged
// delivery with what to do.
func TestCheckFromSettings(t *testing.T) {
	h := newHarness(t)
	s := h.imports()
	s.addPaths([]string{writeFile(t, t.TempDir(), "september.csv", september)})
	test.Tap(s.importBtn)
	h.state.show("Settings")
	check := findButton(t, h.win.Content(), "Check the database")
	test.Tap(check)
	if !h.shows("No problems found. Checked the file's structure; 1 delivery (1 stored row set, 1 row block, 2 rows)") {
		t.Errorf("after checking a sound database: %q", h.texts())
	}

	// Behind the window's back, a byte flips on disk.
	path := h.db.Path()
	h.db.Close()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = b.Update(func(tx *bolt.Tx) error {
		slices := tx.Bucket([]byte("slices"))
		k, _ := slices.Cursor().First()
		rows := slices.Bucket(k).Bucket([]byte("rows"))
		bk, v := rows.Cursor().First()
		v = append([]byte(nil), v...)
		v[len(v)/2] ^= 0x10
		return rows.Put(bk, v)
	})
	b.Close()
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	h.state.db = db

	test.Tap(check)
	for _, want := range []string{
		"1 problem found.",
		"AWS payer 111122223333 for 2024-09 (delivery 1, import 1, file ",
		"Its row block 0 is damaged: its checksum does not match its bytes.",
		"What to do: import that file again to replace its rows, or restore the database from a backup.",
	} {
		if !h.shows(want) {
			t.Errorf("no %q in %q", want, h.texts())
		}
	}
	if check.Disabled() {
		t.Error("the button stays disabled after the check")
	}
}
