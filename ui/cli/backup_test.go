package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rebill/store"
)

// TestBackupThenRestoreIntoAFreshDatabase is issue 13's first "done
// when": rebill backup X, then rebill restore X into a fresh database,
// and periods, customers list, invoices list and audit verify print the
// same, as text and as JSON.
func TestBackupThenRestoreIntoAFreshDatabase(t *testing.T) {
	at(t, time.Date(2026, 10, 6, 10, 0, 0, 0, time.UTC))
	db := invoicesDB(t) // six customers and September 2026 imported
	var v any
	ok(t, db, &v, "customers", "add", "--id", "LATE", "--name", "Late Ltd", "--currency", "EUR")
	ok(t, db, &v, "invoices", "generate", "--period", "2026-09", "--all", "--credits", "--tax", "--marketplace")
	ok(t, db, &v, "invoices", "approve", "--all", "--period", "2026-09")

	backup := filepath.Join(t.TempDir(), "X.db")
	out, errs, code := cli(t, db, "backup", backup)
	if code != 0 || !strings.Contains(out, "Backed up "+db+" to "+backup) {
		t.Fatalf("backup: exit %d %s %s", code, out, errs)
	}
	fails(t, db, 1, "already exists: name another file, or add --overwrite", "backup", backup)

	fresh := filepath.Join(t.TempDir(), "fresh", "rebill.db")
	out, errs, code = cli(t, fresh, "restore", backup)
	if code != 0 {
		t.Fatalf("restore into a fresh database: exit %d %s", code, errs)
	}
	want := "Restored " + backup + " into " + fresh + ": it holds 1 import, 7 customers, 6 invoices and credit notes"
	if !strings.HasPrefix(out, want) || !strings.Contains(out, "The empty database it replaced is kept as "+filepath.Join(filepath.Dir(fresh), "backups", "rebill-2026-10-06-100000Z-before-restore.db")) {
		t.Errorf("restore said %q, want it to start %q", out, want)
	}
	for _, cmd := range [][]string{
		{"periods"}, {"customers", "list"}, {"invoices", "list"}, {"audit", "verify"},
		{"periods", "--json"}, {"customers", "list", "--json"}, {"invoices", "list", "--json"}, {"audit", "verify", "--json"},
	} {
		t.Run(strings.Join(cmd, " "), func(t *testing.T) {
			a, aerr, acode := cli(t, db, cmd...)
			b, berr, bcode := cli(t, fresh, cmd...)
			if acode != 0 || bcode != 0 {
				t.Fatalf("exit %d (%s) and %d (%s)", acode, aerr, bcode, berr)
			}
			if strings.TrimSpace(a) == "" || a != b {
				t.Errorf("the original printed\n%s\nthe restored\n%s", a, b)
			}
		})
	}
}

func TestRestoreAsksBeforeReplacingData(t *testing.T) {
	day := time.Date(2026, 10, 6, 10, 0, 0, 0, time.UTC)
	at(t, day)
	db := tempDB(t)
	var v any
	ok(t, db, &v, "customers", "add", "--id", "OLD", "--name", "Old Ltd")
	backup := filepath.Join(t.TempDir(), "old.db")
	if _, errs, code := cli(t, db, "backup", backup); code != 0 {
		t.Fatal(errs)
	}
	ok(t, db, &v, "customers", "add", "--id", "NEW", "--name", "New Ltd")

	fails(t, db, 1, "the database "+db+" holds 2 customers and 2 recorded changes; restoring "+backup+" (1 customer and 1 recorded change, checked: no problems found) replaces it", "restore", backup)
	var list []customerJSON
	ok(t, db, &list, "customers", "list")
	if len(list) != 2 {
		t.Fatalf("the refused restore replaced the database: %+v", list)
	}

	var res struct {
		KeptAs   string `json:"kept_as"`
		Replaced struct {
			Customers int `json:"customers"`
		} `json:"replaced"`
	}
	ok(t, db, &res, "restore", backup, "--yes")
	wantKept := filepath.Join(filepath.Dir(db), "backups", "rebill-2026-10-06-100000Z-before-restore.db")
	if res.KeptAs != wantKept || res.Replaced.Customers != 2 {
		t.Errorf("restore: %+v, want kept as %s", res, wantKept)
	}
	ok(t, db, &list, "customers", "list")
	if len(list) != 1 || list[0].ID != "OLD" {
		t.Errorf("after the restore: %+v", list)
	}
	ok(t, wantKept, &list, "customers", "list")
	if len(list) != 2 {
		t.Errorf("the kept database: %+v", list)
	}
}

func TestBackupAndRestoreWhileTheWindowHoldsTheDatabase(t *testing.T) {
	db := tempDB(t)
	if _, errs, code := cli(t, db, "periods"); code != 0 { // makes the database
		t.Fatal(errs)
	}
	backup := filepath.Join(t.TempDir(), "b.db")
	if _, errs, code := cli(t, db, "backup", backup); code != 0 {
		t.Fatal(errs)
	}
	held, err := store.Open(db) // as the window holds it
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	fails(t, db, 1, "is open in another Rebill window or command; close it and try again; while the window is open, back up from its Settings > Database (Backup…)", "backup", backup+"2")
	fails(t, db, 1, "nothing was replaced: while the window is open, restore from its Settings > Database (Restore…)", "restore", backup, "--yes")
}

func TestRestoreOverADamagedDatabase(t *testing.T) {
	at(t, time.Date(2026, 10, 6, 10, 0, 0, 0, time.UTC))
	src := tempDB(t)
	var v any
	ok(t, src, &v, "customers", "add", "--id", "OLD", "--name", "Old Ltd")
	backup := filepath.Join(t.TempDir(), "b.db")
	if _, errs, code := cli(t, src, "backup", backup); code != 0 {
		t.Fatal(errs)
	}
	db := tempDB(t)
	damaged := []byte(strings.Repeat("not a database page ", 500))
	os.WriteFile(db, damaged, 0o600)
	fails(t, db, 1, "the database "+db+" is damaged; restoring "+backup+" (1 customer and 1 recorded change, checked: no problems found) replaces it", "restore", backup)
	out, errs, code := cli(t, db, "restore", backup, "--yes")
	kept := filepath.Join(filepath.Dir(db), "backups", "rebill-2026-10-06-100000Z-before-restore.db")
	if code != 0 || !strings.Contains(out, "The damaged database it replaced is kept as "+kept) {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	if b, _ := os.ReadFile(kept); string(b) != string(damaged) {
		t.Error("the damaged file was not kept as it was")
	}
	var list []customerJSON
	ok(t, db, &list, "customers", "list")
	if len(list) != 1 || list[0].ID != "OLD" {
		t.Errorf("after the restore: %+v", list)
	}
}

func TestRestoreRefusals(t *testing.T) {
	at(t, time.Date(2026, 10, 6, 10, 0, 0, 0, time.UTC))
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.csv")
	os.WriteFile(notDB, []byte("a,b\n1,2\n"), 0o600)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no file", []string{"restore"}, "expected"},
		{"a missing file", []string{"restore", filepath.Join(dir, "missing.db")}, "reading the backup"},
		{"not a database", []string{"restore", notDB}, "is not a Rebill database file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := tempDB(t)
			_, errs, code := cli(t, db, tc.args...)
			if code == 0 || !strings.Contains(errs, tc.want) {
				t.Errorf("exit %d, %q; want %q", code, errs, tc.want)
			}
		})
	}
}

func TestBackupsKeepSetting(t *testing.T) {
	at(t, time.Date(2026, 10, 6, 10, 0, 0, 0, time.UTC))
	db := tempDB(t)
	var doc struct {
		Keep    int `json:"keep"`
		Backups []struct {
			File string `json:"file"`
		} `json:"backups"`
	}
	ok(t, db, &doc, "backups")
	if doc.Keep != 10 || len(doc.Backups) != 0 {
		t.Errorf("default: %+v", doc)
	}
	ok(t, db, &doc, "backups", "--keep", "2")
	for _, month := range []string{"2026-07", "2026-08", "2026-09"} {
		var res []any
		ok(t, db, &res, "import", curFile(t, month))
	}
	ok(t, db, &doc, "backups")
	if doc.Keep != 2 || len(doc.Backups) != 2 || !strings.HasSuffix(doc.Backups[1].File, "rebill-2026-10-06-100000Z-before-import-3.db") {
		t.Errorf("after three imports with 2 kept: %+v", doc)
	}
	fails(t, db, 1, "from 0 (off) to 1000, not -5", "backups", "--keep", "-5")
}
