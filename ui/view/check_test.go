package view

import (
	"errors"
	"strings"
	"testing"

	"rebill/engine/invoice"
	"rebill/store"
)

// TestCheck words check results without a window.
func TestCheck(t *testing.T) {
	checked := store.Checked{Deliveries: 2, RowSets: 2, Blocks: 3, Rows: 2500, AuditEntries: 4,
		AuditHead: invoice.Head{Seq: 4, Hash: strings.Repeat("ab", 32)}, Documents: 2, Issued: 1, Numbers: 1}
	finding := store.Finding{Area: store.AreaDocuments, Subject: "invoice NCP-2026-00001 (id 3)",
		Problem: "no longer matches the audit log", Advice: "restore the database from a backup"}
	many := store.CheckReport{Checked: checked}
	for i := 0; i < 53; i++ {
		many.Findings = append(many.Findings, finding)
	}
	for _, tc := range []struct {
		name     string
		rep      store.CheckReport
		err      error
		headline string
		tone     Tone
		findings int
		first    Finding
		more     string
		head     string
	}{
		{"no problems", store.CheckReport{Checked: checked}, nil,
			"No problems found. Checked the file's structure; 2 deliveries (2 stored row sets, 3 row blocks, 2,500 rows), every checksum; the audit log (4 entries, ending at entry 4); 2 documents (1 issued) and 1 issued number against the log.",
			Success, 0, Finding{}, "",
			"The audit log now ends at: Audit log entry 4, SHA-256 " + strings.Repeat("ab", 32) + ". Keep this line outside the database (it is printed on exported PDFs and workbooks): a log rewritten later will not lead to it."},
		{"one problem", store.CheckReport{Checked: checked, Findings: []store.Finding{finding}}, nil,
			"1 problem found. Checked the file's structure; 2 deliveries", Danger, 1,
			Finding{Title: "Invoice NCP-2026-00001 (id 3)", Problem: "No longer matches the audit log.", Advice: "What to do: restore the database from a backup."},
			"", "The audit log now ends at: Audit log entry 4"},
		{"more than the list shows", many, nil, "53 problems found.", Danger, 50,
			Finding{Title: "Invoice NCP-2026-00001 (id 3)", Problem: "No longer matches the audit log.", Advice: "What to do: restore the database from a backup."},
			"3 more problems are not listed here: rebill check lists them all.", "The audit log now ends at"},
		{"an empty log", store.CheckReport{}, nil, "No problems found.", Success, 0, Finding{}, "", ""},
		{"a check that could not run", store.CheckReport{}, errors.New("checking the database: database not open"),
			"The check could not run: checking the database: database not open", Danger, 0, Finding{}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := Check(tc.rep, tc.err)
			if !strings.HasPrefix(v.Headline, tc.headline) || v.Tone != tc.tone || len(v.Findings) != tc.findings || v.More != tc.more ||
				!strings.HasPrefix(v.Head, tc.head) || (tc.head == "") != (v.Head == "") {
				t.Errorf("view %+v", v)
			}
			if tc.findings > 0 && v.Findings[0] != tc.first {
				t.Errorf("first finding %+v, want %+v", v.Findings[0], tc.first)
			}
		})
	}
}
