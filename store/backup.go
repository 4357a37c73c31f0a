package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// BackupResult is one backup written.
type BackupResult struct {
	File   string `json:"file"`
	Bytes  int64  `json:"bytes"`
	Schema int    `json:"schema"`
}

// ErrExists is returned when a backup would overwrite a file that the
// accountant did not ask to overwrite.
var ErrExists = errors.New("file exists")

// Backup writes a consistent copy of the whole database to dest while the
// database stays open and in use: bbolt's Tx.WriteTo inside a read
// transaction copies the one state that transaction sees, so a write in
// progress elsewhere is either wholly in the copy or not at all. The copy
// goes to a temporary file beside dest, is synced, and only then renamed
// to dest, so dest is never a half-written file. An existing dest is
// refused unless overwrite is set.
func (db *DB) Backup(dest string, overwrite bool) (BackupResult, error) {
	res := BackupResult{File: dest, Schema: SchemaVersion()}
	if dest == "" {
		return res, errors.New("name the file to write the backup to")
	}
	if same(dest, db.path) {
		return res, fmt.Errorf("%s is the database itself: name another file for the backup", dest)
	}
	if _, err := os.Stat(dest); err == nil && !overwrite {
		return res, fmt.Errorf("%w: %s already exists; choose another name, or ask to overwrite it", ErrExists, dest)
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return res, fmt.Errorf("creating the backup's folder: %w", err)
	}
	n, err := db.writeCopy(dest)
	res.Bytes = n
	return res, err
}

// writeCopy copies the database into a temporary file in dest's folder
// and renames it to dest once it is on disk.
func (db *DB) writeCopy(dest string) (int64, error) {
	f, err := os.CreateTemp(filepath.Dir(dest), tempBackupPattern(db.path))
	if err != nil {
		return 0, fmt.Errorf("writing the backup to %s: %w", filepath.Dir(dest), err)
	}
	tmp := f.Name()
	fail := func(err error) (int64, error) {
		f.Close()
		os.Remove(tmp)
		return 0, fmt.Errorf("writing the backup %s: %w; nothing was written there (is the disk full?)", dest, err)
	}
	var n int64
	if err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(f)
		return err
	}); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp, dest); err != nil {
		os.Remove(tmp)
		return 0, fmt.Errorf("writing the backup %s: %w", dest, err)
	}
	syncDir(filepath.Dir(dest))
	return n, nil
}

// syncDir makes a rename durable where the system allows it (not on
// Windows, where a folder cannot be opened for syncing; there the rename
// is durable once the file system's journal is).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// same reports whether two paths name the same file.
func same(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(sa, sb)
	}
	aa, _ := filepath.Abs(a)
	ab, _ := filepath.Abs(b)
	return aa == ab
}

// BackupSettings are the automatic backups' settings.
type BackupSettings struct {
	// Keep is how many automatic backups are kept: the oldest beyond it
	// are removed. 0 turns automatic backups off.
	Keep int `json:"keep"`
}

// DefaultKeepBackups is how many automatic backups are kept until the
// accountant says otherwise: ten imports or approvals back.
const DefaultKeepBackups = 10

// MaxKeepBackups bounds the setting: each automatic backup is a full copy.
const MaxKeepBackups = 1000

var backupSettingsRecord = record{bucket: bucketSettings, key: keyBackups, kind: KindSettings, name: "backups"}

// BackupSettings returns the automatic backups' settings, the default
// until some are saved.
func (db *DB) BackupSettings() (BackupSettings, error) {
	var s BackupSettings
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		s, err = getBackupSettings(tx)
		return err
	})
	return s, err
}

func getBackupSettings(tx *bolt.Tx) (BackupSettings, error) {
	s := BackupSettings{Keep: DefaultKeepBackups}
	if v := tx.Bucket(bucketSettings).Get(keyBackups); v != nil {
		if err := json.Unmarshal(v, &s); err != nil {
			return s, fmt.Errorf("the backup settings are damaged in the database: %w", err)
		}
	}
	return s, nil
}

// SetKeepBackups sets how many automatic backups are kept (0 turns them
// off), with its change-log entry. Backups already beyond the new count
// are removed at the next automatic backup, not now: lowering the number
// by mistake loses nothing until then.
func (db *DB) SetKeepBackups(keep int, now time.Time) (BackupSettings, error) {
	s := BackupSettings{Keep: keep}
	if _, err := ParseKeepBackups(strconv.Itoa(keep)); err != nil {
		return s, err
	}
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		_, err := backupSettingsRecord.put(tx, s, now)
		return err
	})
	return s, err
}

// BackupDir is the folder of the automatic backups and of the databases
// a restore replaced: "backups" beside the database file.
func (db *DB) BackupDir() string { return backupDir(db.path) }

func backupDir(dbPath string) string { return filepath.Join(filepath.Dir(dbPath), "backups") }

// tempBackupPattern names a copy being written (os.CreateTemp's pattern):
// after the database, so that the copies another database in the folder
// is writing are not taken for stale ones.
func tempBackupPattern(dbPath string) string {
	return "." + strings.TrimSuffix(backupPrefix(dbPath), "-") + "-backup-*.tmp"
}

// backupPrefix starts the names of a database's backups: its file's name
// without the extension, so that two databases in one folder (a second
// company, a training copy) share the backups folder without listing,
// rotating away or offering to restore each other's copies. The default
// rebill.db keeps the names it always had, "rebill-…".
func backupPrefix(dbPath string) string {
	base := filepath.Base(dbPath)
	return strings.TrimSuffix(base, filepath.Ext(base)) + "-"
}

// What started an automatic backup, as its file name says it.
const (
	TriggerImport   = "import"
	TriggerApproval = "approval"
	// TriggerRestore names the database a restore replaced. Those copies
	// are not rotated: they are the only copy of what was replaced.
	TriggerRestore = "restore"
)

// backupTimeLayout names a backup by its UTC time: sortable, and free of
// the colons Windows refuses in file names.
const backupTimeLayout = "2006-01-02-150405Z"

// AutoBackup is one file in the backups folder.
type AutoBackup struct {
	File    string    `json:"file"`
	Taken   time.Time `json:"taken"`
	Trigger string    `json:"trigger"`
	Bytes   int64     `json:"bytes"`
	seq     int
}

// autoBackup takes the automatic backup before an import or an approval
// batch, unless the setting turns them off. The caller settles it once
// the change is done: see guardBackup.
func (db *DB) autoBackup(now time.Time, trigger string) (guardBackup, error) {
	s, err := db.BackupSettings()
	if err != nil || s.Keep == 0 {
		return guardBackup{}, err
	}
	file, err := freeBackupName(db.path, now, trigger)
	if err != nil {
		return guardBackup{}, err
	}
	if _, err := db.writeCopy(file); err != nil {
		return guardBackup{}, fmt.Errorf("the automatic backup before this %s failed, so nothing was changed: %w; free some disk space, or turn automatic backups off in Settings > Database", trigger, err)
	}
	return guardBackup{dbPath: db.path, file: file, keep: s.Keep}, nil
}

// guardBackup is an automatic backup taken before a change. It is kept
// only when the change committed something, and only then are the oldest
// beyond the number kept removed: an import refused at line 12, or an
// approval whose every draft was refused, leaves the backups folder as it
// was instead of pushing a useful older copy out with a copy of nothing
// new.
type guardBackup struct {
	dbPath string
	file   string // "" when automatic backups are off
	keep   int
}

// settle keeps the backup and rotates when changed, else removes it. The
// change stands either way, so a file that cannot be removed is left for
// the next rotation (one copy too many) rather than reported as the
// change's failure.
func (g guardBackup) settle(changed bool) {
	if g.file == "" {
		return
	}
	if changed {
		rotate(g.dbPath, g.keep)
		return
	}
	os.Remove(g.file)
}

// freeBackupName is the backups folder's name for a backup of the
// database at dbPath taken at now, numbered after the highest of that
// second and trigger, so that the numbers keep their order even after the
// oldest were rotated away.
func freeBackupName(dbPath string, now time.Time, trigger string) (string, error) {
	dir := backupDir(dbPath)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("creating the backups folder %s: %w; check that the database's folder is writable", dir, err)
	}
	taken := now.UTC().Truncate(time.Second)
	all, err := listBackups(dbPath)
	if err != nil {
		return "", err
	}
	seq := 0
	for _, b := range all {
		if b.Taken.Equal(taken) && b.Trigger == trigger {
			seq = max(seq, b.seq)
		}
	}
	name := backupPrefix(dbPath) + taken.Format(backupTimeLayout) + "-before-" + trigger
	if seq > 0 {
		name += "-" + strconv.Itoa(seq+1)
	}
	return filepath.Join(dir, name+".db"), nil
}

// parseBackupName reads a name freeBackupName made with prefix; other
// files in the folder (another database's backups among them) are not
// this database's to list or remove.
func parseBackupName(prefix, name string) (AutoBackup, bool) {
	rest, ok := strings.CutPrefix(name, prefix)
	if !ok || len(rest) < len(backupTimeLayout) {
		return AutoBackup{}, false
	}
	taken, err := time.Parse(backupTimeLayout, rest[:len(backupTimeLayout)])
	if err != nil {
		return AutoBackup{}, false
	}
	rest, ok = strings.CutSuffix(rest[len(backupTimeLayout):], ".db")
	if !ok {
		return AutoBackup{}, false
	}
	trigger, ok := strings.CutPrefix(rest, "-before-")
	if !ok {
		return AutoBackup{}, false
	}
	seq := 1
	if i := strings.LastIndexByte(trigger, '-'); i >= 0 {
		if n, err := strconv.Atoi(trigger[i+1:]); err == nil {
			seq, trigger = n, trigger[:i]
		}
	}
	return AutoBackup{Taken: taken, Trigger: trigger, seq: seq}, true
}

// ListBackups lists the database's backups in the backups folder, oldest
// first.
func (db *DB) ListBackups() ([]AutoBackup, error) { return listBackups(db.path) }

func listBackups(dbPath string) ([]AutoBackup, error) {
	dir, prefix := backupDir(dbPath), backupPrefix(dbPath)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return []AutoBackup{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the backups folder %s: %w", dir, err)
	}
	out := []AutoBackup{}
	for _, e := range entries {
		b, ok := parseBackupName(prefix, e.Name())
		if !ok || !e.Type().IsRegular() {
			continue
		}
		b.File = filepath.Join(dir, e.Name())
		if info, err := e.Info(); err == nil {
			b.Bytes = info.Size()
		}
		out = append(out, b)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Taken.Equal(out[j].Taken) {
			return out[i].Taken.Before(out[j].Taken)
		}
		return out[i].seq < out[j].seq
	})
	return out, nil
}

// rotate removes the oldest automatic backups beyond keep, and copies
// left half-written by a Rebill stopped while writing one (whoever holds
// the database is the only one writing here). The copies a restore kept
// are left alone.
func rotate(dbPath string, keep int) error {
	dir := backupDir(dbPath)
	if stale, _ := filepath.Glob(filepath.Join(dir, tempBackupPattern(dbPath))); len(stale) > 0 {
		for _, f := range stale {
			os.Remove(f)
		}
	}
	all, err := listBackups(dbPath)
	if err != nil {
		return err
	}
	var auto []AutoBackup
	for _, b := range all {
		if b.Trigger != TriggerRestore {
			auto = append(auto, b)
		}
	}
	for len(auto) > keep {
		if err := os.Remove(auto[0].File); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("removing the old automatic backup %s: %w", auto[0].File, err)
		}
		auto = auto[1:]
	}
	return nil
}

// readSchema reads a database file's schema version, read-only; ok is
// false for a bbolt file that is not a Rebill database.
func readSchema(path string) (version int, ok bool, err error) {
	b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: openTimeout})
	if err != nil {
		return 0, false, err
	}
	defer b.Close()
	err = b.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			return nil
		}
		if v := meta.Get(keySchema); len(v) == 4 {
			version, ok = int(binary.BigEndian.Uint32(v)), true
		}
		return nil
	})
	return version, ok, err
}

// ParseKeepBackups reads the number of automatic backups to keep as the
// accountant types it, with the range SetKeepBackups accepts.
func ParseKeepBackups(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("write a whole number from 0 (off) to %d, not %q", MaxKeepBackups, strings.TrimSpace(s))
	}
	if n < 0 || n > MaxKeepBackups {
		return n, fmt.Errorf("the number of automatic backups to keep must be from 0 (off) to %d, not %d", MaxKeepBackups, n)
	}
	return n, nil
}
