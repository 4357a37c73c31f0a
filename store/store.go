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

// DB is an open Rebill database.
type DB struct {
	bolt *bolt.DB
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
	b, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:        openTimeout,
		NoFreelistSync: true,
		FreelistType:   bolt.FreelistMapType,
	})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("%w: the database %s is open in another Rebill window or command; close it and try again", ErrInUse, path)
	}
	if err != nil {
		return nil, fmt.Errorf("opening the database %s: %w", path, err)
	}
	db := &DB{bolt: b, path: path}
	if err := db.migrate(); err != nil {
		b.Close()
		return nil, err
	}
	if err := db.discardStaged(); err != nil {
		b.Close()
		return nil, err
	}
	return db, nil
}

// Path is the database file.
func (db *DB) Path() string { return db.path }

// Close releases the database.
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
