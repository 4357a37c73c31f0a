package store

import (
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// handle is the bbolt file behind a DB, guarded so that a restore can
// replace the file while the window's background work and the billing
// API's requests keep calling use cases on the same *DB.
//
// The mechanism is one sync.RWMutex. Every transaction (View, Update)
// holds it for reading while it runs, so any number of them proceed side
// by side as before; Restore and Close hold it for writing. sync.RWMutex
// lets a waiting writer in before new readers, so a restore waits for
// the transactions in flight to finish, no new one starts meanwhile, and
// the swap itself (close, rename, reopen) happens with no transaction
// open. The requests that arrive during the swap wait for it and then
// read the restored file: they see either the old database or the new
// one, whole, and never an error because of the swap. This was chosen
// over an atomic pointer with a drain because a pointer swap still needs
// the drain (bbolt's Close would otherwise wait on, or fail, the readers
// that loaded the old pointer) and a retry for the readers that arrive
// while the file is closed; the lock is both in one place.
//
// The one rule it brings: a transaction must not start another one on
// the same DB from inside its function (a read lock taken twice by one
// goroutine deadlocks when a restore waits between the two). No use case
// does; the store's tests check it (see checkNesting).
type handle struct {
	mu sync.RWMutex
	b  *bolt.DB
	// swaps counts the files put in place by a restore; it changes only
	// with mu held for writing, so a transaction reads it freely.
	swaps uint64
}

// ErrClosed is a transaction asked of a database that is closed (or
// that a failed restore could not reopen).
var ErrClosed = errors.New("the database is closed; restart Rebill")

// View runs fn in a read transaction on the current file.
func (h *handle) View(fn func(*bolt.Tx) error) error {
	defer h.enter()()
	if h.b == nil {
		return ErrClosed
	}
	return h.b.View(fn)
}

// Update runs fn in a write transaction on the current file. Its commit
// writes the free page list into the file, so that opening the file
// reads the list instead of walking every page (openBolt).
func (h *handle) Update(fn func(*bolt.Tx) error) error { return h.update(fn, true) }

// updateUnlisted is Update for the intermediate commits of an import,
// which leave the free page list out: writing it in every commit of a
// 5M-row import measured about 3 % of its time. The import's last
// commit (or the one that removes what a failed import wrote) is an
// Update and writes it; after a crash in between, the next open walks the
// file, as it always can.
func (h *handle) updateUnlisted(fn func(*bolt.Tx) error) error { return h.update(fn, false) }

func (h *handle) update(fn func(*bolt.Tx) error, freelist bool) error {
	defer h.enter()()
	if h.b == nil {
		return ErrClosed
	}
	return h.b.Update(func(tx *bolt.Tx) error {
		// Read by this transaction's commit only; set while bbolt's
		// writer lock is held, so no other commit reads it meanwhile.
		tx.DB().NoFreelistSync = !freelist
		return fn(tx)
	})
}

// Close closes the file once the transactions in flight are done.
func (h *handle) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.b == nil {
		return nil
	}
	err := h.b.Close()
	h.b = nil
	return err
}

// swap runs fn with no transaction open and none starting, fn's result
// becoming the file: fn receives the current one (to check, close and
// rename it) and returns the one to use from then on (the same one when
// nothing was replaced, nil when nothing could be reopened).
func (h *handle) swap(fn func(cur *bolt.DB) *bolt.DB) {
	h.mu.Lock()
	defer h.mu.Unlock()
	next := fn(h.b)
	if next != h.b {
		h.swaps++
	}
	h.b = next
}

// version is Version inside tx: bbolt's transaction id counts the
// file's commits, and a restored file starts again from the backup's
// count, so the number of swaps is in the top bits: a version read
// before a restore is never seen again after it (a BillingMonth kept by
// the Reports screen or the API is read again). 2^40 commits are far
// beyond any database's life.
func (h *handle) version(tx *bolt.Tx) uint64 {
	return h.swaps<<40 | uint64(tx.ID())
}

// enter takes the read lock and returns its release.
func (h *handle) enter() func() {
	if checkNesting {
		k := nested{h, goid()}
		if _, held := nesting.LoadOrStore(k, true); held {
			panic(fmt.Sprintf("store: goroutine %d starts a transaction inside another one on the same database; a restore waiting between them would deadlock", k.goroutine))
		}
		h.mu.RLock()
		return func() { h.mu.RUnlock(); nesting.Delete(k) }
	}
	h.mu.RLock()
	return h.mu.RUnlock
}

// checkNesting makes every transaction panic when its goroutine is
// already inside one. The store's tests turn it on; it costs a stack
// read per transaction, so it is off in the application.
var checkNesting bool

// nesting holds the goroutines inside a transaction, per database.
var nesting sync.Map

type nested struct {
	h         *handle
	goroutine uint64
}

// goid is the running goroutine's id, read from its stack header
// ("goroutine 42 [running]:"); only for checkNesting.
func goid() uint64 {
	var buf [64]byte
	s := strings.TrimPrefix(string(buf[:runtime.Stack(buf[:], false)]), "goroutine ")
	id, _ := strconv.ParseUint(s[:strings.IndexByte(s, ' ')], 10, 64)
	return id
}

// unchangedSince reports, inside a write transaction, whether nothing was
// committed since a read transaction saw the database at version (see
// DB.Version), and no restore replaced the file since: a write
// transaction's id is the last commit's plus one.
func (h *handle) unchangedSince(tx *bolt.Tx, version uint64) bool {
	return h.version(tx) == version+1
}
