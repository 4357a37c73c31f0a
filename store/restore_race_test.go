package store

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/customer"
	"rebill/engine/ingest"
)

// The store's tests panic on a transaction started inside another one on
// the same database: with a restore waiting between the two, the window
// would hang (see handle).
func init() { checkNesting = true }

// hammer calls read use cases, and one write, from several goroutines
// until stop is closed, reporting each result to check. It returns once
// every goroutine has run at least rounds times, so that the caller's
// restore lands among them, and a wait for their end.
func hammer(t *testing.T, db *DB, rounds int, stop <-chan struct{}, check func(what string, late bool, err error)) (wait func()) {
	t.Helper()
	var wg, started sync.WaitGroup
	work := []func(i int){
		func(int) {
			_, err := db.Customer("LATE")
			check("Customer", err == nil, ignore(err, ErrNotFound))
		},
		func(int) {
			cs, err := db.Customers()
			late := false
			for _, c := range cs {
				late = late || c.ID == "LATE"
			}
			check("Customers", late, err)
		},
		func(int) {
			_, err := db.BillingMonth("2026-09")
			check("BillingMonth", false, err)
		},
		func(int) {
			_, err := db.Periods()
			check("Periods", false, err)
		},
		func(i int) {
			// A write: it lands in whichever file is current, never in
			// a file being replaced.
			err := db.PutCustomer(customer.Customer{ID: fmt.Sprintf("W%d", i%3), Name: "Writer", Currency: "USD"}, backupDay)
			check("PutCustomer", false, err)
		},
	}
	for _, fn := range work {
		wg.Add(1)
		started.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				if i == rounds {
					started.Done()
				}
				select {
				case <-stop:
					if i < rounds {
						started.Done()
					}
					return
				default:
				}
				fn(i)
			}
		}()
	}
	started.Wait()
	return wg.Wait
}

func ignore(err, expected error) error {
	if errors.Is(err, expected) {
		return nil
	}
	return err
}

// TestRestoreWhileUseCasesRun restores (or refuses to restore) a backup
// while goroutines keep reading and writing through the same *DB, as the
// billing API and background work do while the window restores. Run with
// -race: the handle swap must not race with any transaction, no use case
// may fail because of it, and afterwards every read sees the restored
// file (the backup lacks customer LATE, the running database has it).
func TestRestoreWhileUseCasesRun(t *testing.T) {
	for _, tc := range []struct {
		name string
		// restore restores backup into db and says whether it should
		// have replaced the database.
		restore  func(t *testing.T, db *DB, backup string) (replaced bool)
		wantLate bool
	}{
		{"a sound backup", func(t *testing.T, db *DB, backup string) bool {
			c, err := PrepareRestore(db.Path(), backup)
			if err != nil {
				t.Fatal(err)
			}
			res, err := db.Restore(c, backupDay)
			if err != nil {
				t.Fatalf("restore beside running use cases: %v", err)
			}
			if res.Restored.Customers != 6 {
				t.Errorf("restored %+v, want the backup's 6 customers", res.Restored)
			}
			return true
		}, false},
		{"a backup failing its check", func(t *testing.T, db *DB, backup string) bool {
			os.WriteFile(backup, []byte("payer,cost\n1,2\n"), 0o600)
			if _, err := PrepareRestore(db.Path(), backup); !errors.Is(err, ErrNotBackup) {
				t.Fatalf("a spoiled backup: %v, want it refused", err)
			}
			return false
		}, true},
		{"an import staging", func(t *testing.T, db *DB, backup string) bool {
			c, err := PrepareRestore(db.Path(), backup)
			if err != nil {
				t.Fatal(err)
			}
			w, err := db.BeginImport(&ingest.Result{ImportedAt: backupDay})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Abort()
			if _, err := db.Restore(c, backupDay); err == nil {
				t.Fatal("restored beside a running import")
			}
			return false
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, backup := restoreSetup(t)
			var mu sync.Mutex
			var failures []string
			sawLate := map[bool]int{}
			check := func(what string, late bool, err error) {
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					failures = append(failures, what+": "+err.Error())
				}
				if what == "Customer" {
					sawLate[late]++
				}
			}
			stop := make(chan struct{})
			wait := hammer(t, db, 20, stop, check)
			replaced := tc.restore(t, db, backup)
			// Rounds after the swap, each of which must see the result.
			_, err := db.Customer("LATE")
			if got := err == nil; got != tc.wantLate {
				t.Errorf("after the restore, customer LATE found = %v, want %v (replaced: %v)", got, tc.wantLate, replaced)
			}
			close(stop)
			wait()
			if len(failures) > 0 {
				t.Errorf("%d use cases failed beside the restore, first: %s", len(failures), failures[0])
			}
			if sawLate[true] == 0 {
				t.Error("no read ran before the restore")
			}
			if rep, err := db.Check(); err != nil || !rep.OK() {
				t.Errorf("the database does not check after the restore: %v %+v", err, rep.Findings)
			}
		})
	}
}

// TestNestedTransactionIsCaught shows that checkNesting, on in these
// tests, turns a transaction started inside another one into a panic
// instead of a deadlock that waits for a restore to happen.
func TestNestedTransactionIsCaught(t *testing.T) {
	db := openFile(t, t.TempDir()+"/nested.db")
	defer func() {
		if recover() == nil {
			t.Error("a nested transaction went unnoticed")
		}
	}()
	db.bolt.View(func(*bolt.Tx) error {
		_, err := db.Customers()
		return err
	})
}

// TestVersionNeverRepeatsAcrossARestore: the Reports screen and the API
// keep a BillingMonth while DB.Version is unchanged, and GenerateInvoices
// stores statements computed outside its transaction when the version
// says nothing was written since. A restored file counts its commits
// again from the backup's, so without the restore in the version the
// writes after it would reach the versions seen before it, and a month
// of the replaced database would pass for current.
func TestVersionNeverRepeatsAcrossARestore(t *testing.T) {
	db := sampleDB(t)
	backup := t.TempDir() + "/backup.db"
	seen := map[uint64]string{}
	version := func() uint64 {
		t.Helper()
		v, err := db.Version()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	seen[version()] = "at the backup"
	if _, err := db.Backup(backup, false); err != nil {
		t.Fatal(err)
	}
	const writes = 5
	for i := range writes {
		if err := db.PutCustomer(customer.Customer{ID: fmt.Sprintf("B%d", i), Name: "Before", Currency: "USD"}, backupDay); err != nil {
			t.Fatal(err)
		}
		seen[version()] = fmt.Sprintf("after write %d before the restore", i+1)
	}
	bm, err := db.BillingMonth("2026-09")
	if err != nil {
		t.Fatal(err)
	}
	c, err := PrepareRestore(db.Path(), backup)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Restore(c, backupDay); err != nil {
		t.Fatal(err)
	}
	for i := range writes + 2 {
		v := version()
		if when, ok := seen[v]; ok {
			t.Fatalf("after %d writes following the restore, the version is the one %s", i, when)
		}
		if v == bm.Version {
			t.Fatalf("a month read before the restore passes for current %d writes after it", i)
		}
		if err := db.PutCustomer(customer.Customer{ID: fmt.Sprintf("A%d", i), Name: "After", Currency: "USD"}, backupDay); err != nil {
			t.Fatal(err)
		}
	}
}
