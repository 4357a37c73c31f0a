package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/customer"
	"rebill/engine/ingest"
)

var backupDay = time.Date(2026, 10, 7, 14, 5, 9, 0, time.UTC)

// openFile opens a database file and closes it with the test.
func openFile(t *testing.T, path string) *DB {
	t.Helper()
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// names lists a folder's file names, sorted.
func names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

func TestBackupWhileAWriteIsPending(t *testing.T) {
	db := sampleDB(t)
	before := dump(t, db)
	tx, err := db.bolt.b.Begin(true)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Bucket(bucketSettings).Put([]byte("pending"), []byte("not yet committed")); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "copy.db")
	done := make(chan error)
	go func() { _, err := db.Backup(dest, false); done <- err }()
	if err := <-done; err != nil {
		t.Fatalf("backup beside a pending write: %v", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	cp := openFile(t, dest)
	if got := dump(t, cp); got != before {
		t.Errorf("the backup is not the state before the pending write:\n%s", head(got))
	}
	if rep, err := cp.Check(); err != nil || !rep.OK() {
		t.Errorf("the backup does not check: %v %+v", err, rep.Findings)
	}
	if dump(t, db) == before {
		t.Error("the write committed after the backup is missing from the database")
	}
}

func TestBackupNeverOverwritesUnlessAsked(t *testing.T) {
	db := openTest(t)
	dir := t.TempDir()
	existing := filepath.Join(dir, "existing.db")
	if err := os.WriteFile(existing, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		dest      string
		overwrite bool
		wantErr   string
	}{
		{"a new file", filepath.Join(dir, "new.db"), false, ""},
		{"a file in a new folder", filepath.Join(dir, "sub", "new.db"), false, ""},
		{"an existing file", existing, false, "already exists"},
		{"the database itself", db.Path(), true, "is the database itself"},
		{"an existing file, overwrite asked", existing, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := os.ReadFile(tc.dest)
			_, err := db.Backup(tc.dest, tc.overwrite)
			after, _ := os.ReadFile(tc.dest)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got %v, want %q", err, tc.wantErr)
				}
				if !bytes.Equal(before, after) {
					t.Error("the refused backup changed the file")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if v, ok, err := readSchema(tc.dest); err != nil || !ok || v != SchemaVersion() {
				t.Errorf("the backup's schema: %d %v %v", v, ok, err)
			}
		})
	}
	for _, n := range names(t, dir) {
		if strings.HasSuffix(n, ".tmp") {
			t.Errorf("a temporary file was left: %s", n)
		}
	}
}

// restoreSetup is a database with the sample data and one more customer
// added after a backup was taken: the backup holds six customers, the
// database seven.
func restoreSetup(t *testing.T) (db *DB, backup string) {
	t.Helper()
	db = sampleDB(t)
	backup = filepath.Join(t.TempDir(), "backup.db")
	if _, err := db.Backup(backup, false); err != nil {
		t.Fatal(err)
	}
	if err := db.PutCustomer(customer.Customer{ID: "LATE", Name: "Late Ltd", Currency: "USD"}, backupDay); err != nil {
		t.Fatal(err)
	}
	return db, backup
}

func TestRestoreReplacesAndKeepsTheCurrent(t *testing.T) {
	db, backup := restoreSetup(t)
	backupBytes, _ := os.ReadFile(backup)
	c, err := PrepareRestore(db.Path(), backup)
	if err != nil {
		t.Fatal(err)
	}
	if c.Contents.Customers != 6 || c.Contents.Imports != 1 || c.Migrated {
		t.Errorf("candidate: %+v", c)
	}
	res, err := db.Restore(c, backupDay)
	if err != nil {
		t.Fatal(err)
	}
	if res.Replaced.Customers != 7 || res.Restored.Customers != 6 {
		t.Errorf("replaced %+v with %+v", res.Replaced, res.Restored)
	}
	wantKept := filepath.Join(db.BackupDir(), "rebill-2026-10-07-140509Z-before-restore.db")
	if res.KeptAs != wantKept {
		t.Errorf("kept as %s, want %s", res.KeptAs, wantKept)
	}
	if _, err := db.Customer("LATE"); !errors.Is(err, ErrNotFound) {
		t.Errorf("the restored database has the customer added after the backup: %v", err)
	}
	if rep, err := db.Check(); err != nil || !rep.OK() {
		t.Errorf("the restored database does not check: %v %+v", err, rep.Findings)
	}
	db.Close()
	kept := openFile(t, wantKept)
	if _, err := kept.Customer("LATE"); err != nil {
		t.Errorf("the kept database lost what it held: %v", err)
	}
	if after, _ := os.ReadFile(backup); !bytes.Equal(after, backupBytes) {
		t.Error("restoring changed the backup file")
	}
	for _, n := range names(t, filepath.Dir(db.Path())) {
		if strings.HasPrefix(n, ".rebill-") {
			t.Errorf("a temporary file was left: %s", n)
		}
	}
}

func TestRestoreRefusedReplacesNothing(t *testing.T) {
	for _, tc := range []struct {
		name  string
		spoil func(t *testing.T, path string)
		want  string
	}{
		{"damaged pages", func(t *testing.T, path string) {
			b, _ := os.ReadFile(path)
			const page = 4096
			for off := 2 * page; off+8 <= len(b); off += page {
				copy(b[off:off+8], bytes.Repeat([]byte{0xff}, 8)) // each page's id
			}
			os.WriteFile(path, b, 0o600)
		}, "is damaged"},
		{"a newer schema", func(t *testing.T, path string) {
			b, err := bolt.Open(path, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			b.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchema, u32(uint32(SchemaVersion()+1))) })
			b.Close()
		}, "written by a newer Rebill"},
		{"an edited invoice listing", func(t *testing.T, path string) {
			b, err := bolt.Open(path, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			b.Update(func(tx *bolt.Tx) error {
				k, v := tx.Bucket(bucketInvoices).Cursor().First()
				return tx.Bucket(bucketInvoices).Put(k, bytes.Replace(v, []byte(`"status":"open"`), []byte(`"status":"void"`), 1))
			})
			b.Close()
		}, "problems"},
		{"not a database", func(t *testing.T, path string) {
			os.WriteFile(path, bytes.Repeat([]byte("payer,cost\n1,2\n"), 1000), 0o600)
		}, "is not a Rebill database file (invalid database)"},
		{"an empty file", func(t *testing.T, path string) { os.WriteFile(path, nil, 0o600) }, "is empty"},
		{"a database not Rebill's", func(t *testing.T, path string) {
			os.Remove(path)
			b, err := bolt.Open(path, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			b.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("other")); return err })
			b.Close()
		}, "not Rebill's"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, backup := restoreSetup(t)
			as, err := db.ApproveDrafts("2026-09", backupDay) // no drafts: refused, but the backup before it is taken
			if err == nil || len(as) != 0 {
				t.Fatalf("approving without drafts: %v", err)
			}
			rep := generate(t, db, customer.Selection{All: true}, allOn, backupDay)
			if rep.Count(Created) == 0 {
				t.Fatal("nothing generated")
			}
			if _, err := db.ApproveDrafts("2026-09", backupDay); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Backup(backup, true); err != nil { // now with issued invoices to edit
				t.Fatal(err)
			}
			tc.spoil(t, backup)
			before := dump(t, db)
			folder := names(t, filepath.Dir(db.Path()))
			kept := names(t, db.BackupDir())
			c, err := PrepareRestore(db.Path(), backup)
			if err == nil {
				c.Discard()
				t.Fatal("restore accepted")
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "nothing was replaced") {
				t.Errorf("got %v, want %q and that nothing was replaced", err, tc.want)
			}
			if dump(t, db) != before {
				t.Error("the database changed")
			}
			if got := names(t, filepath.Dir(db.Path())); !slices.Equal(got, folder) {
				t.Errorf("the database folder went from %v to %v", folder, got)
			}
			if got := names(t, db.BackupDir()); !slices.Equal(got, kept) {
				t.Errorf("the backups folder went from %v to %v", kept, got)
			}
		})
	}
}

func TestRestoreOlderSchemaMigrates(t *testing.T) {
	old := filepath.Join(t.TempDir(), "old.db")
	b, err := bolt.Open(old, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		if err := migrations[0].up(tx); err != nil {
			return err
		}
		return meta.Put(keySchema, u32(1))
	}); err != nil {
		t.Fatal(err)
	}
	b.Close()
	db := openTest(t)
	c, err := PrepareRestore(db.Path(), old)
	if err != nil {
		t.Fatal(err)
	}
	if c.Schema != 1 || !c.Migrated {
		t.Errorf("candidate schema %d, migrated %v", c.Schema, c.Migrated)
	}
	if _, err := db.Restore(c, backupDay); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if v, _, _ := readSchema(db.Path()); v != SchemaVersion() {
		t.Errorf("restored schema %d, want %d", v, SchemaVersion())
	}
	if v, _, _ := readSchema(old); v != 1 {
		t.Errorf("the backup file was upgraded in place: schema %d", v)
	}
}

func TestAutomaticBackupsRotate(t *testing.T) {
	at := func(min, sec int) time.Time { return time.Date(2026, 10, 7, 9, min, sec, 0, time.UTC) }
	for _, tc := range []struct {
		name string
		keep int
		// taken in this order
		times []time.Time
		want  []string
	}{
		{"off", 0, []time.Time{at(0, 0), at(1, 0)}, []string{".rebill-backup-123.tmp"}},
		{"fewer than kept", 3, []time.Time{at(0, 0), at(1, 0)}, []string{
			"rebill-2026-10-07-090000Z-before-import.db",
			"rebill-2026-10-07-090100Z-before-import.db",
		}},
		{"the oldest removed beyond three", 3, []time.Time{at(0, 0), at(1, 0), at(2, 0), at(3, 0), at(4, 0)}, []string{
			"rebill-2026-10-07-090200Z-before-import.db",
			"rebill-2026-10-07-090300Z-before-import.db",
			"rebill-2026-10-07-090400Z-before-import.db",
		}},
		{"several in one second numbered, oldest first", 2, []time.Time{at(0, 0), at(0, 0), at(0, 0), at(0, 0)}, []string{
			"rebill-2026-10-07-090000Z-before-import-3.db",
			"rebill-2026-10-07-090000Z-before-import-4.db",
		}},
		{"taken 10 seconds apart, 2 kept", 2, []time.Time{at(0, 9), at(0, 10), at(0, 11)}, []string{
			"rebill-2026-10-07-090010Z-before-import.db",
			"rebill-2026-10-07-090011Z-before-import.db",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := openTest(t)
			if _, err := db.SetKeepBackups(tc.keep, backupDay); err != nil {
				t.Fatal(err)
			}
			// Files that are not automatic backups stay.
			dir := db.BackupDir()
			os.MkdirAll(dir, 0o755)
			foreign := []string{"notes.txt", "rebill-2026-01-01-000000Z-before-restore.db"}
			for _, n := range append(foreign, ".rebill-backup-123.tmp") { // the last left by a Rebill killed while writing it
				os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o600)
			}
			for _, tm := range tc.times {
				keepBackup(t, db, tm)
			}
			want := append(slices.Clone(tc.want), foreign...)
			slices.Sort(want)
			if got := names(t, dir); !slices.Equal(got, want) {
				t.Errorf("got %v\nwant %v", got, want)
			}
		})
	}
}

func TestImportAndApprovalTakeAutomaticBackups(t *testing.T) {
	db := sampleDB(t) // imports at 2026-11-22
	generate(t, db, customer.Selection{All: true}, allOn, backupDay)
	if _, err := db.ApproveDrafts("2026-09", backupDay); err != nil {
		t.Fatal(err)
	}
	bs, err := db.ListBackups()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range bs {
		got = append(got, filepath.Base(b.File))
	}
	want := []string{"rebill-2026-10-07-140509Z-before-approval.db", "rebill-2026-11-22-000000Z-before-import.db"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	// The backup before the approval holds the drafts, not yet issued.
	cp := openFile(t, bs[0].File)
	c, _ := cp.Contents()
	d, _ := db.Contents()
	if c.Documents != d.Documents || c.Customers != 6 || c.Imports != 1 {
		t.Errorf("the backup before approval holds %+v; the database %+v", c, d)
	}
	if _, err := cp.ApproveDrafts("2026-09", backupDay); err != nil {
		t.Errorf("the backup before approval has no drafts left to approve: %v", err)
	}
}

// A backup is kept only when the change it guards commits: a refused
// approval or a refused import removes its own copy and rotates nothing
// away, so the copies kept are still copies of something.
func TestRefusedChangesKeepTheBackupsFolder(t *testing.T) {
	db := sampleDB(t) // one backup, before its import
	if _, err := db.SetKeepBackups(1, backupDay); err != nil {
		t.Fatal(err)
	}
	at := func(hour int) time.Time { return time.Date(2026, 11, 23, hour, 0, 0, 0, time.UTC) }
	generate(t, db, customer.Selection{All: true}, allOn, at(9))
	approved, err := db.ApproveDrafts("2026-09", at(9))
	if err != nil || !anyIssued(approved) {
		t.Fatalf("approving the month: %v %+v", err, approved)
	}
	want := []string{"rebill-2026-11-23-090000Z-before-approval.db"}
	folder := func(when string) {
		t.Helper()
		if got := names(t, db.BackupDir()); !slices.Equal(got, want) {
			t.Errorf("%s, the backups folder holds %v, want %v", when, got, want)
		}
	}
	folder("after the approval")

	again, err := db.ApproveInvoices([]string{approved[0].ID}, at(10))
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != 1 || again[0].Err == nil {
		t.Fatalf("approving an issued invoice again was not refused: %+v", again)
	}
	folder("after an approval refused")
	if _, err := db.ApproveInvoices([]string{"no-such-invoice"}, at(10)); err == nil {
		t.Fatal("an unknown invoice was approved")
	}
	folder("after an approval of an unknown invoice")

	bad, _ := csvFile(t, "111111111111", "2026-10", 5, true)
	importAt := func(path string, hour int) error {
		_, err := ingest.File(t.Context(), path, db, ingest.Options{Now: at(hour)})
		return err
	}
	if err := importAt(bad, 11); err == nil {
		t.Fatal("a file with an unreadable cost was imported")
	}
	folder("after an import refused")

	good, _ := csvFile(t, "111111111111", "2026-10", 5, false)
	if err := importAt(good, 12); err != nil {
		t.Fatal(err)
	}
	want = []string{"rebill-2026-11-23-120000Z-before-import.db"}
	folder("after an import")
}

func TestKeepBackupsSetting(t *testing.T) {
	db := openTest(t)
	if s, _ := db.BackupSettings(); s.Keep != 10 {
		t.Errorf("default %d, want 10", s.Keep)
	}
	for _, tc := range []struct {
		keep    int
		wantErr bool
	}{{0, false}, {25, false}, {-1, true}, {1001, true}} {
		_, err := db.SetKeepBackups(tc.keep, backupDay)
		if (err != nil) != tc.wantErr {
			t.Errorf("keep %d: %v", tc.keep, err)
		}
	}
	if s, _ := db.BackupSettings(); s.Keep != 25 {
		t.Errorf("after the refused values the setting is %d, want 25", s.Keep)
	}
}

func TestRestoreWaitsForARunningImport(t *testing.T) {
	db, backup := restoreSetup(t)
	res := ingest.Result{ImportedAt: backupDay}
	w, err := db.BeginImport(&res) // staging, not committed
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	c, err := PrepareRestore(db.Path(), backup)
	if err != nil {
		t.Fatal(err)
	}
	before := dump(t, db)
	if _, err := db.Restore(c, backupDay); err == nil || !strings.Contains(err.Error(), "an import is running") {
		t.Fatalf("restore beside a running import: %v", err)
	}
	if dump(t, db) != before {
		t.Error("the refused restore changed the database")
	}
	for _, n := range names(t, filepath.Dir(db.Path())) {
		if strings.HasPrefix(n, ".rebill-") {
			t.Errorf("the candidate was left: %s", n)
		}
	}
}

// TestTwoDatabasesShareTheBackupsFolder: a second database in the same
// folder (another company, a training copy) names its backups after
// itself. Backing it up five times with two kept leaves the first
// database's backups alone, and each lists only its own; they used to
// share the names "rebill-…", so one rotated the other's copies away and
// offered them to restore.
func TestTwoDatabasesShareTheBackupsFolder(t *testing.T) {
	dir := t.TempDir()
	open := func(name string) *DB {
		db, err := Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if _, err := db.SetKeepBackups(2, backupDay); err != nil {
			t.Fatal(err)
		}
		return db
	}
	main, training := open("rebill.db"), open("training.db")
	at := func(min int) time.Time { return time.Date(2026, 10, 7, 9, min, 0, 0, time.UTC) }
	for _, m := range []int{0, 1} {
		keepBackup(t, main, at(m))
	}
	for m := 10; m < 15; m++ {
		keepBackup(t, training, at(m))
	}
	list := func(db *DB) []string {
		bs, err := db.ListBackups()
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, b := range bs {
			out = append(out, filepath.Base(b.File))
		}
		return out
	}
	if got, want := list(main), []string{"rebill-2026-10-07-090000Z-before-import.db", "rebill-2026-10-07-090100Z-before-import.db"}; !slices.Equal(got, want) {
		t.Errorf("rebill.db's backups %v, want %v", got, want)
	}
	if got, want := list(training), []string{"training-2026-10-07-091300Z-before-import.db", "training-2026-10-07-091400Z-before-import.db"}; !slices.Equal(got, want) {
		t.Errorf("training.db's backups %v, want %v", got, want)
	}
	if got := names(t, main.BackupDir()); len(got) != 4 {
		t.Errorf("the folder holds %v, want the two of each", got)
	}
}

// keepBackup takes an automatic backup before a change that commits.
func keepBackup(t *testing.T, db *DB, at time.Time) {
	t.Helper()
	b, err := db.autoBackup(at, TriggerImport)
	if err != nil {
		t.Fatal(err)
	}
	b.settle(true)
}
