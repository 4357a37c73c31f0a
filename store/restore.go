package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"rebill/engine/words"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Contents counts what a database holds, so that a restore can say what
// it replaces and with what.
type Contents struct {
	Imports   int `json:"imports"`
	Customers int `json:"customers"`
	Documents int `json:"documents"` // invoices and credit notes, drafts included
	Changes   int `json:"changes"`   // change-log entries: settings, profile, customers, mappings, credits
}

// Empty reports whether the database holds nothing an accountant made.
func (c Contents) Empty() bool { return c == Contents{} }

// Summary says the counts in words, leaving out what there is none of.
func (c Contents) Summary() string {
	var parts []string
	add := func(n int, one, many string) {
		switch {
		case n == 1:
			parts = append(parts, "1 "+one)
		case n > 1:
			parts = append(parts, fmt.Sprintf("%d %s", n, many))
		}
	}
	add(c.Imports, "import", "imports")
	add(c.Customers, "customer", "customers")
	add(c.Documents, "invoice or credit note", "invoices and credit notes")
	add(c.Changes, "recorded change", "recorded changes")
	switch len(parts) {
	case 0:
		return "nothing"
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// Contents counts the database's imports, customers, documents and
// changes, in one read transaction.
func (db *DB) Contents() (Contents, error) {
	var c Contents
	err := db.bolt.View(func(tx *bolt.Tx) error {
		c = contentsOf(tx)
		return nil
	})
	return c, err
}

func contentsOf(tx *bolt.Tx) Contents {
	keys := func(name []byte) int {
		b := tx.Bucket(name)
		if b == nil {
			return 0
		}
		n := 0
		c := b.Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			n++
		}
		return n
	}
	return Contents{Imports: keys(bucketImports), Customers: keys(bucketCustomers), Documents: keys(bucketInvoices), Changes: keys(bucketChanges)}
}

// ErrNotBackup is a file that is not a Rebill database.
var ErrNotBackup = errors.New("not a Rebill backup")

// ErrRestoreRefused is a backup that failed its check: nothing was
// replaced.
var ErrRestoreRefused = errors.New("backup refused")

// Candidate is a backup copied beside the database, opened (so upgraded
// to this Rebill's schema if it was older) and checked in full, waiting
// to replace the database. Either Restore or Discard it.
type Candidate struct {
	// From is the backup file named.
	From string `json:"from"`
	// Schema is the backup's schema version; Migrated says it was older
	// and has been upgraded in the copy (the backup file is untouched).
	Schema   int      `json:"schema"`
	Migrated bool     `json:"migrated"`
	Contents Contents `json:"contents"`
	Checked  Checked  `json:"checked"`
	db       *DB
}

// PrepareRestore copies the backup from into a new file beside the
// database at dbPath and checks it fully before anything is replaced: the
// walk that refuses a damaged file, the schema version (a backup written
// by a newer Rebill is refused, an older one is upgraded in the copy),
// and Check (structure, row checksums, audit log, documents). The backup
// file itself is only read. On any refusal the copy is removed and the
// error says why.
func PrepareRestore(dbPath, from string) (*Candidate, error) {
	c := &Candidate{From: from}
	st, err := os.Stat(from)
	if err != nil {
		return nil, fmt.Errorf("reading the backup %s: %w", from, err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%w: %s is a folder; name a backup file", ErrNotBackup, from)
	}
	if st.Size() == 0 {
		return nil, fmt.Errorf("%w: %s is empty; nothing was replaced: choose another backup (the automatic ones are in %s)", ErrNotBackup, from, backupDir(dbPath))
	}
	if same(from, dbPath) {
		return nil, fmt.Errorf("%s is the database itself: name a backup to restore", from)
	}
	tmp, err := copyBeside(dbPath, from)
	if err != nil {
		return nil, err
	}
	refuse := func(err error) (*Candidate, error) {
		if c.db != nil {
			c.db.Close()
		}
		os.Remove(tmp)
		return nil, err
	}
	if err := walkFile(tmp); errors.Is(err, bolt.ErrInvalid) || errors.Is(err, bolt.ErrVersionMismatch) {
		return refuse(fmt.Errorf("%w: %s is not a Rebill database file (%v); nothing was replaced: choose a backup Rebill wrote (the automatic ones are in %s)",
			ErrNotBackup, from, err, backupDir(dbPath)))
	} else if err != nil {
		return refuse(fmt.Errorf("%w: the backup %s is damaged and cannot be read (%v); nothing was replaced: choose another backup (the automatic ones are in %s)",
			ErrRestoreRefused, from, err, backupDir(dbPath)))
	}
	version, ok, err := readSchema(tmp)
	if err != nil {
		return refuse(fmt.Errorf("%w: %s cannot be read as a Rebill database (%v); nothing was replaced", ErrNotBackup, from, err))
	}
	if !ok {
		return refuse(fmt.Errorf("%w: %s is a database file but not Rebill's (it has no schema version); nothing was replaced", ErrNotBackup, from))
	}
	if version > SchemaVersion() {
		return refuse(fmt.Errorf("%w: the backup %s was written by a newer Rebill (schema %d; this Rebill knows up to %d); nothing was replaced: install the newer Rebill to restore it",
			ErrRestoreRefused, from, version, SchemaVersion()))
	}
	c.Schema, c.Migrated = version, version < SchemaVersion()
	c.db, err = Open(tmp)
	if err != nil {
		return refuse(fmt.Errorf("%w: the backup %s cannot be opened (%v); nothing was replaced", ErrRestoreRefused, from, err))
	}
	rep, err := c.db.Check()
	if err != nil {
		return refuse(fmt.Errorf("checking the backup %s: %w; nothing was replaced", from, err))
	}
	if !rep.OK() {
		f := rep.Findings[0]
		return refuse(&CheckRefusal{From: from, Findings: rep.Findings,
			err: fmt.Errorf("%w: the backup %s has %s (first: [%s] %s: %s); nothing was replaced: choose another backup, or run rebill check --db %s to see them all",
				ErrRestoreRefused, from, words.Plural(len(rep.Findings), "problem", "problems"), f.Area, f.Subject, f.Problem, from)})
	}
	c.Checked = rep.Checked
	if c.Contents, err = c.db.Contents(); err != nil {
		return refuse(err)
	}
	return c, nil
}

// CheckRefusal is a backup refused because Check found problems in it.
type CheckRefusal struct {
	From     string
	Findings []Finding
	err      error
}

// Error says how many problems, the first, and what to do.
func (r *CheckRefusal) Error() string { return r.err.Error() }

// Unwrap is ErrRestoreRefused.
func (r *CheckRefusal) Unwrap() error { return r.err }

// copyBeside copies from into a new temporary file in dbPath's folder,
// synced, so that the swap is a rename on one file system.
func copyBeside(dbPath, from string) (string, error) {
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o755); err != nil {
		return "", fmt.Errorf("creating the database folder: %w", err)
	}
	in, err := os.Open(from)
	if err != nil {
		return "", fmt.Errorf("reading the backup %s: %w", from, err)
	}
	defer in.Close()
	out, err := os.CreateTemp(filepath.Dir(dbPath), ".rebill-restore-*.db")
	if err != nil {
		return "", fmt.Errorf("copying the backup beside the database: %w", err)
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out.Name())
		return "", fmt.Errorf("copying the backup %s beside the database: %w; nothing was replaced (is the disk full?)", from, err)
	}
	return out.Name(), nil
}

// Discard removes a candidate that will not be restored.
func (c *Candidate) Discard() error {
	if c == nil || c.db == nil {
		return nil
	}
	path := c.db.path
	err := c.db.Close()
	c.db = nil
	if rerr := os.Remove(path); err == nil && !errors.Is(rerr, os.ErrNotExist) {
		err = rerr
	}
	return err
}

// RestoreResult says what a restore did.
type RestoreResult struct {
	From     string   `json:"from"`
	Database string   `json:"database"`
	Replaced Contents `json:"replaced"`
	// KeptAs is where the replaced database now is, in the backups
	// folder, named with the time of the restore.
	KeptAs   string   `json:"kept_as"`
	Restored Contents `json:"restored"`
	Schema   int      `json:"schema"`
	Migrated bool     `json:"migrated"`
}

// Restore replaces the database with a checked candidate. The database
// file is closed, moved into the backups folder named with now and
// "before-restore" (never rotated away), the candidate renamed into its
// place, and the database reopened, so db stays usable by whoever holds
// it. Holding db means holding the file's lock, so no other Rebill window
// or command has it open. Inside this Rebill, the billing API and
// background work may go on calling use cases: the swap waits for the
// transactions in flight, holds back new ones until the restored file is
// open, and they then read it (see handle). If a rename fails, the
// database is put back as it was.
func (db *DB) Restore(c *Candidate, now time.Time) (RestoreResult, error) {
	res := RestoreResult{From: c.From, Database: db.path, Restored: c.Contents, Schema: c.Schema, Migrated: c.Migrated}
	if c.db == nil {
		return res, errors.New("this backup was already restored or discarded: choose it again")
	}
	if filepath.Dir(c.db.path) != filepath.Dir(db.path) {
		c.Discard()
		return res, errors.New("the backup was prepared for another database: choose it again")
	}
	var err error
	db.bolt.swap(func(cur *bolt.DB) *bolt.DB {
		if cur == nil {
			err = ErrClosed
			c.Discard()
			return nil
		}
		var next *bolt.DB
		next, err = db.replaceFile(cur, c, now, &res)
		return next
	})
	return res, err
}

// replaceFile is Restore's work on the file, with no transaction open:
// it checks that no import is staging, moves cur aside, puts the
// candidate in its place and returns the file reopened (cur itself when
// nothing was replaced, nil when nothing could be reopened).
func (db *DB) replaceFile(cur *bolt.DB, c *Candidate, now time.Time, res *RestoreResult) (*bolt.DB, error) {
	importing := false
	err := cur.View(func(tx *bolt.Tx) error {
		res.Replaced = contentsOf(tx)
		k, _ := tx.Bucket(bucketStaging).Cursor().First()
		importing = k != nil
		return nil
	})
	if err == nil && importing {
		// An import stages its rows over several transactions: swapping
		// the file under it would land them in the restored database.
		err = errors.New("an import is running: wait for it to finish (or cancel it), then restore; nothing was replaced")
	}
	if err != nil {
		res.Replaced = Contents{}
		c.Discard()
		return cur, err
	}
	kept, err := freeBackupName(db.path, now, TriggerRestore)
	if err != nil {
		c.Discard()
		return cur, err
	}
	tmp := c.db.path
	if err := c.db.Close(); err != nil {
		c.Discard()
		return cur, err
	}
	c.db = nil
	if err := cur.Close(); err != nil {
		os.Remove(tmp)
		return cur, fmt.Errorf("closing the database before the restore: %w; nothing was replaced", err)
	}
	reopen := func(err error) (*bolt.DB, error) {
		b, oerr := openBolt(db.path)
		if oerr != nil {
			return nil, errors.Join(err, fmt.Errorf("reopening the database %s: %w; restart Rebill", db.path, oerr))
		}
		return b, err
	}
	if err := os.Rename(db.path, kept); err != nil {
		os.Remove(tmp)
		return reopen(fmt.Errorf("moving the database aside: %w; nothing was replaced", err))
	}
	if err := os.Rename(tmp, db.path); err != nil {
		os.Remove(tmp)
		if berr := os.Rename(kept, db.path); berr != nil {
			return nil, fmt.Errorf("putting the restored database in place failed (%v) and so did putting the current one back (%v): the current database is %s; copy it to %s", err, berr, kept, db.path)
		}
		return reopen(fmt.Errorf("putting the restored database in place: %w; the database was left as it was", err))
	}
	syncDir(filepath.Dir(db.path))
	syncDir(filepath.Dir(kept))
	res.KeptAs = kept
	return reopen(nil)
}

// RestoreOverDamaged replaces a database file that cannot be opened
// because its structure is damaged (Open returned ErrDamagedFile) with a
// checked candidate: the damaged file is moved into the backups folder,
// named with now, as Restore keeps a sound one. Open's read-only walk
// took the file's lock before it failed, so no Rebill held the file then.
func RestoreOverDamaged(dbPath string, c *Candidate, now time.Time) (RestoreResult, error) {
	res := RestoreResult{From: c.From, Database: dbPath, Restored: c.Contents, Schema: c.Schema, Migrated: c.Migrated}
	if c.db == nil {
		return res, errors.New("this backup was already restored or discarded: choose it again")
	}
	kept, err := freeBackupName(dbPath, now, TriggerRestore)
	if err != nil {
		c.Discard()
		return res, err
	}
	tmp := c.db.path
	if err := c.db.Close(); err != nil {
		c.Discard()
		return res, err
	}
	c.db = nil
	if err := os.Rename(dbPath, kept); err != nil {
		os.Remove(tmp)
		return res, fmt.Errorf("moving the damaged database aside: %w; nothing was replaced", err)
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		os.Remove(tmp)
		os.Rename(kept, dbPath)
		return res, fmt.Errorf("putting the restored database in place: %w; the damaged database was left as it was", err)
	}
	syncDir(filepath.Dir(dbPath))
	res.KeptAs = kept
	return res, nil
}
