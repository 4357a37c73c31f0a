package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"rebill/engine/customer"
	"rebill/store"
)

// TestBackupAndRestoreFromSettings: Settings > Database backs up, then
// restores after checking, saying what it replaces and asking first; a
// cancelled or damaged restore replaces nothing.
func TestBackupAndRestoreFromSettings(t *testing.T) {
	h := newHarness(t)
	s := h.imports()
	s.addPaths([]string{writeFile(t, t.TempDir(), "september.csv", september)})
	test.Tap(s.importBtn)
	h.state.show("Settings")
	findButton(t, h.win.Content(), "Backup…")
	findButton(t, h.win.Content(), "Restore…")

	p := newBackupPanel(h.state)
	h.win.SetContent(p.view())
	bk := filepath.Join(t.TempDir(), backupName(testNow))
	if want := "rebill-backup-2024-11-05-100000.db"; filepath.Base(bk) != want {
		t.Errorf("the backup is named %s, want %s", filepath.Base(bk), want)
	}
	p.backupTo(bk)
	if !h.shows("Backed up to " + bk + " (") {
		t.Fatalf("after the backup: %q", h.texts())
	}
	p.backupTo(bk) // the same second again: never replaced
	if !h.shows(bk + " already exists and was left as it was: take the backup again in a moment, or choose another folder.") {
		t.Errorf("a second backup to the same file: %q", h.texts())
	}
	if err := h.db.PutCustomer(customer.Customer{ID: "LATE", Name: "Late Ltd", Currency: "USD"}, testNow); err != nil {
		t.Fatal(err)
	}

	// Cancelled: nothing replaced, no copy left behind.
	p.restoreFrom(bk)
	for _, want := range []string{
		"Restore this backup?",
		"The backup " + bk + " holds 1 import, and checked with no problems.",
		"Restoring it replaces the database " + h.db.Path() + ", which holds 1 import, 1 customer and 1 recorded change.",
	} {
		if !h.shows(want) {
			t.Errorf("the question does not say %q: %q", want, h.texts())
		}
	}
	test.Tap(findButton(t, h.win.Canvas().Overlays().Top(), "Cancel"))
	if !h.shows("Nothing was restored.") {
		t.Errorf("after Cancel: %q", h.texts())
	}
	if _, err := h.db.Customer("LATE"); err != nil {
		t.Errorf("Cancel replaced the database: %v", err)
	}
	for _, e := range names(t, filepath.Dir(h.db.Path())) {
		if strings.HasPrefix(e, ".rebill-") {
			t.Errorf("a copy was left behind: %s", e)
		}
	}

	// Confirmed: replaced, and the replaced one kept.
	p.restoreFrom(bk)
	test.Tap(findButton(t, h.win.Canvas().Overlays().Top(), "Restore"))
	kept := filepath.Join(h.db.BackupDir(), "rebill-2024-11-05-100000Z-before-restore.db")
	if want := "Restored rebill-backup-2024-11-05-100000.db: the database now holds 1 import. The database it replaced (1 import, 1 customer and 1 recorded change) is kept as " + kept + "."; !h.shows(want) {
		t.Errorf("after Restore: %q, want %q", h.texts(), want)
	}
	if _, err := h.db.Customer("LATE"); err == nil {
		t.Error("the restored database has the customer added after the backup")
	}
	if _, err := os.Stat(kept); err != nil {
		t.Error(err)
	}

	// Damaged: refused with the reason, nothing replaced.
	b, _ := os.ReadFile(bk)
	for off := 2 * 4096; off+8 <= len(b); off += 4096 {
		copy(b[off:off+8], []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	}
	os.WriteFile(bk, b, 0o600)
	before, _ := h.db.Contents()
	p.restoreFrom(bk)
	if !h.shows("Nothing was restored: backup refused: the backup " + bk + " is damaged") {
		t.Errorf("after restoring a damaged backup: %q", h.texts())
	}
	if after, _ := h.db.Contents(); after != before {
		t.Errorf("the refused restore changed the database: %+v -> %+v", before, after)
	}
}

func TestAutomaticBackupCountFromSettings(t *testing.T) {
	h := newHarness(t)
	p := newBackupPanel(h.state)
	h.win.SetContent(p.view())
	if p.keep.Text != "10" {
		t.Errorf("the count shows %q, want the default 10", p.keep.Text)
	}
	for _, tc := range []struct {
		typed, problem string
	}{
		{"ten", `Write a whole number from 0 (off) to 1000, not "ten"`},
		{"-1", "The number of automatic backups to keep must be from 0 (off) to 1000, not -1"},
		{"3", ""},
	} {
		p.keep.SetText("")
		test.Type(p.keep, tc.typed)
		if got := p.keepF.problems(); got != tc.problem {
			t.Errorf("%q: problem %q, want %q", tc.typed, got, tc.problem)
		}
		if p.saveKeep.Disabled() != (tc.problem != "") {
			t.Errorf("%q: the button is disabled: %v", tc.typed, p.saveKeep.Disabled())
		}
	}
	test.Tap(p.saveKeep)
	if s, _ := h.db.BackupSettings(); s.Keep != 3 || !h.shows("The newest 3 automatic backups are kept.") {
		t.Errorf("saved %+v; shown %q", s, h.texts())
	}
	p.keep.SetText("0")
	test.Tap(p.saveKeep)
	if s, _ := h.db.BackupSettings(); s != (store.BackupSettings{}) || !h.shows("Automatic backups are off.") {
		t.Errorf("saved %+v; shown %q", s, h.texts())
	}
}

// names lists a folder's entries.
func names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}
