package api

import (
	"errors"
	"net/http"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"rebill/engine/customer"
	"rebill/store"
)

// TestRequestsDuringARestore: clients keep calling the API while the
// window restores a backup (Settings > Database > Restore swaps the file
// inside the *store.DB the API serves). Run with -race: every answer is
// a success or the not-found its path calls for, never a 500, and once
// the restore is done the API serves the restored data (the backup has
// no customer LATE; the database it replaces has).
func TestRequestsDuringARestore(t *testing.T) {
	f := newFixture(t)
	backup := filepath.Join(t.TempDir(), "backup.db")
	if _, err := f.db.Backup(backup, false); err != nil {
		t.Fatal(err)
	}
	if err := f.db.PutCustomer(customer.Customer{ID: "LATE", Name: "Late Ltd", Currency: "USD"}, testNow); err != nil {
		t.Fatal(err)
	}
	paths := []struct {
		path string
		ok   []int // the statuses it may answer, before or after the restore
	}{
		{Base + "/customers/LATE", []int{http.StatusOK, http.StatusNotFound}},
		{Base + "/customers?per_page=500", []int{http.StatusOK}},
		{Base + "/customers/ACME/statements/2026-09?credits=true&tax=true", []int{http.StatusOK}},
		{Base + "/periods", []int{http.StatusOK}},
		{Base + "/invoices?period=2026-09", []int{http.StatusOK}},
	}
	const rounds = 10 // each client's requests before the restore starts
	stop := make(chan struct{})
	var wg, warm sync.WaitGroup
	for _, p := range paths {
		wg.Add(1)
		warm.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				if i == rounds {
					warm.Done()
				}
				select {
				case <-stop:
					if i < rounds {
						warm.Done()
					}
					return
				default:
				}
				req, _ := http.NewRequest(http.MethodGet, f.url+p.path, nil)
				req.Header.Set("Authorization", "Bearer "+f.read)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Errorf("GET %s: %v", p.path, err)
					return
				}
				body := f.checker.check(t, req, resp)
				resp.Body.Close()
				if !slices.Contains(p.ok, resp.StatusCode) {
					t.Errorf("GET %s beside the restore: %d %s", p.path, resp.StatusCode, body)
					return
				}
			}
		}()
	}
	warm.Wait()
	c, err := store.PrepareRestore(f.db.Path(), backup)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Restore(c, testNow); err != nil {
		t.Fatalf("restore beside the API: %v", err)
	}
	f.fails(t, f.read, http.MethodGet, Base+"/customers/LATE", nil, http.StatusNotFound, "not_found", `no customer "LATE"`)
	close(stop)
	wg.Wait()
	if _, err := f.db.Customer("LATE"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the database still has LATE after the restore: %v", err)
	}
	if log := f.errLog.String(); log != "" {
		t.Errorf("the server logged errors:\n%s", log)
	}
}
