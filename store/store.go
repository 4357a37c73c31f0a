// Package store keeps Rebill's data in one embedded bbolt database file:
// imported line items, import history and, in later schema versions,
// customers and invoices. It is a thin layer: it encodes, decodes and
// commits atomically, and leaves all billing logic to the engine.
package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	bolt "go.etcd.io/bbolt"
)

// DB is an open Rebill database. It is safe for concurrent use by the
// window, its background work and the billing API, a restore included
// (see handle).
type DB struct {
	bolt *handle
	path string
}

// openTimeout bounds the wait for the file lock: a second running Rebill
// must fail fast with a clear message, not hang.
const openTimeout = time.Second

// ErrInUse is returned when another Rebill holds the database.
var ErrInUse = errors.New("database in use")

// Open opens (creating if needed) the database at path, runs pending
// migrations, and discards rows of imports interrupted by a crash.
func Open(path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("creating the database folder: %w", err)
	}
	if err := preflight(path); err != nil {
		return nil, err
	}
	b, err := openBolt(path)
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, inUse(path)
	}
	if err != nil {
		return nil, fmt.Errorf("opening the database %s: %w", path, err)
	}
	db := &DB{bolt: &handle{b: b}, path: path}
	if err := db.migrate(); err != nil {
		b.Close()
		return nil, err
	}
	if err := db.discardStaged(); err != nil {
		b.Close()
		return nil, err
	}
	releaseMapped(b, path)
	return db, nil
}

func inUse(path string) error {
	return fmt.Errorf("%w: the database %s is open in another Rebill window or command; close it and try again", ErrInUse, path)
}

// openBolt opens the file for writing. The free page list is kept in the
// file, so that opening reads it instead of walking every page: that walk
// made opening (the window, every command) cost a tenth of a second per
// 270 MB of rows, years of large months seconds. A file written without
// the list (Rebill before 2026-12) is walked once, and its next commit
// writes the list. bbolt's walk panics on a page it cannot read;
// preflight has walked the file first, and what is left is turned into
// an error.
func openBolt(path string) (b *bolt.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, damagedFile(path, fmt.Errorf("%v", r))
		}
	}()
	return bolt.Open(path, 0o600, &bolt.Options{
		Timeout:      openTimeout,
		FreelistType: bolt.FreelistMapType,
	})
}

// preflight reads every page of an existing database, read-only, before
// it is opened for writing. bbolt's own walk on opening runs in a
// goroutine of its own, where a damaged page is a panic no one can catch:
// the process would die with a stack trace instead of a message.
func preflight(path string) error {
	if st, err := os.Stat(path); err != nil || st.Size() == 0 {
		return nil // a new database
	}
	err := walkFile(path)
	if errors.Is(err, bolt.ErrTimeout) {
		return inUse(path)
	}
	if err != nil {
		return damagedFile(path, err)
	}
	return nil
}

// ErrDamagedFile is a database file whose structure cannot be read.
var ErrDamagedFile = errors.New("damaged database file")

func damagedFile(path string, cause error) error {
	return fmt.Errorf("%w: %s cannot be read (%v): restore it from a backup; Rebill cannot repair the file's structure", ErrDamagedFile, path, cause)
}

// Path is the database file.
func (db *DB) Path() string { return db.path }

// Close releases the database once the transactions in flight are done;
// later use cases fail with ErrClosed.
func (db *DB) Close() error { return db.bolt.Close() }

// Size is the database file's size in bytes.
func (db *DB) Size() (int64, error) {
	st, err := os.Stat(db.path)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// DefaultPath is where the window and the CLI keep the database when no
// --db or REBILL_DB is given: the OS's per-user application data folder.
func DefaultPath() (string, error) {
	var dir string
	switch runtime.GOOS {
	case "windows", "darwin":
		d, err := os.UserConfigDir() // %AppData%, ~/Library/Application Support
		if err != nil {
			return "", err
		}
		dir = filepath.Join(d, "Rebill")
	default:
		if d := os.Getenv("XDG_DATA_HOME"); d != "" {
			dir = filepath.Join(d, "rebill")
		} else {
			home, err := os.UserHomeDir()
			if err != nil {
				return "", err
			}
			dir = filepath.Join(home, ".local", "share", "rebill")
		}
	}
	return filepath.Join(dir, "rebill.db"), nil
}

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func u32(v uint32) []byte {
	b := make([]byte, 4)
	binary.BigEndian.PutUint32(b, v)
	return b
}
