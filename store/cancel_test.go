package store

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"rebill/engine/customer"
	"rebill/engine/ingest"
	"rebill/engine/sample"
)

// fileBytes is the database file as it is on disk.
func fileBytes(t *testing.T, db *DB) []byte {
	t.Helper()
	b, err := os.ReadFile(db.Path())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCancelledImportChangesNothing cancels an import of 30,000 rows
// after N rows were read (as the window's Cancel button does) and checks
// that the database holds exactly what it held, every key and value of
// every bucket: nothing of the import half-lands. The file's bytes are
// not compared: the import stages its rows in transactions of their own
// (rowsPerTx, lowered here to one every batch) and a cancel removes them,
// which leaves bbolt's free pages and transaction id moved on.
func TestCancelledImportChangesNothing(t *testing.T) {
	const rows = 30000
	// A staging transaction every batch of rows, so that the cancel comes
	// while one is under way.
	defer func(n int) { rowsPerTx = n }(rowsPerTx)
	rowsPerTx = rowsPerBlock
	path := sampleFile(t, sample.Options{Rows: rows, Seed: 3, Month: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)})
	for _, tc := range []struct {
		name  string
		after int64 // cancel once this many rows are read
	}{
		{"before the first row", 0},
		{"midway", rows / 2},
		{"after the last row, before the commit", rows},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := sampleDB(t)
			beforeDump := dump(t, db)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var seen int64
			if tc.after == 0 {
				cancel()
			}
			_, err := ingest.Import(ctx, []string{path}, db, ingest.Options{
				Now: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC),
				Progress: func(p ingest.Progress) {
					if ctx.Err() == nil && p.Rows >= tc.after {
						seen = p.Rows
						cancel()
					}
				},
			})
			if err == nil || !strings.Contains(err.Error(), "cancelled") {
				t.Fatalf("the cancelled import returned %v, want it cancelled", err)
			}
			if tc.after > 0 && (seen < tc.after || seen > rows || tc.after < rows && seen == rows) {
				t.Errorf("cancelled after %d rows, want between %d and %d: the import was not cancelled midway", seen, tc.after, rows)
			}
			if after := dump(t, db); after != beforeDump {
				t.Error("the database's content changed")
			}
			if ps, _ := db.PeriodsOf("2026-10"); len(ps) != 0 {
				t.Errorf("October 2026 was imported: %+v", ps)
			}
		})
	}
}

// TestCancelledGenerateChangesNothing cancels generating September for
// every customer, while the statements are computed and once they all
// are (the writes then roll back), and checks that the database file is
// unchanged; progress was reported up to the cancel.
func TestCancelledGenerateChangesNothing(t *testing.T) {
	for _, tc := range []struct {
		name  string
		after int // cancel after this many customers' statements
	}{
		{"after two statements", 2},
		{"after the last statement, before the writes commit", 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := sampleDB(t)
			cs, err := db.Customers()
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, c := range cs {
				ids = append(ids, c.ID)
			}
			if len(ids) != 6 {
				t.Fatalf("the sample has %d customers, want 6", len(ids))
			}
			before := fileBytes(t, db)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			last := 0
			_, err = db.GenerateInvoices(GenerateRequest{Period: "2026-09", Selection: customer.Selection{Customers: ids}, Options: allOn,
				Now: time.Date(2026, 10, 3, 0, 0, 0, 0, time.UTC), Context: ctx,
				Progress: func(done, total int) {
					last = done
					if done == tc.after {
						cancel()
					}
				}})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("the cancelled generation returned %v, want context.Canceled", err)
			}
			if last != tc.after {
				t.Errorf("progress reached %d customers, want %d (cancelled then)", last, tc.after)
			}
			if after := fileBytes(t, db); string(after) != string(before) {
				t.Error("the database file changed")
			}
			if docs, _ := db.Invoices(InvoiceFilter{Period: "2026-09"}, time.Date(2026, 10, 3, 0, 0, 0, 0, time.UTC)); len(docs) != 0 {
				t.Errorf("%d drafts were written", len(docs))
			}
		})
	}
}
