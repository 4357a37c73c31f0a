//go:build linux

package store

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/aggregate"
	"rebill/engine/billing"
	"rebill/engine/customer"
)

// BenchmarkStatements is issue 15's statement targets: a generated month
// of 1,000,000 and 5,000,000 line items mapped to 50 customers, one
// customer's statement and all 50, each read from the rows (as before the
// groups) and from the groups, in the same run. Each reports its peak
// resident memory (the high-water mark reset before it, Linux only) and
// the database's size. Targets at 5M rows, from the groups: one customer
// < 100 ms, all 50 < 0.5 s, peak RSS < 200 MB. "alone" is one customer's
// statement as the CLI, the API and invoicing read it: the month read
// for that customer alone (BillingMonthFor).
func BenchmarkStatements(b *testing.B) {
	for _, size := range []struct {
		rows, accounts int // accounts 0: the generator's own
	}{{1_000_000, 0}, {5_000_000, 0}, {1_000_000, 400}, {5_000_000, 400}} {
		name := monthName(size.rows, size.accounts)
		b.Run(name, func(b *testing.B) {
			rows := size.rows
			path := benchMonth(b, rows, size.accounts)
			dbPath := filepath.Join(b.TempDir(), "bench.db")
			db, err := Open(dbPath)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := importPath(b, db, path); err != nil {
				b.Fatal(err)
			}
			ids := mapRoundRobin(b, db, "2026-09", 50)
			size, _ := db.Size()
			groups, slots := storedGroups(b, db, "2026-09")
			db.Close()
			took := map[string]time.Duration{}
			for _, src := range []struct {
				name  string
				src   itemSource
				alone bool // the month read for the customers asked (BillingMonthFor)
			}{{"rows", fromRows, false}, {"groups", fromGroups, false}, {"alone", fromGroups, true}} {
				for _, who := range []struct {
					name string
					ids  []string
				}{{"one", ids[:1]}, {"all-50", ids}} {
					if src.alone && len(who.ids) > 1 {
						continue // all of them: the month read for every customer is "groups"
					}
					var only *customer.Selection
					if src.alone {
						only = &customer.Selection{Customers: who.ids}
					}
					b.Run(src.name+"/"+who.name, func(b *testing.B) {
						// A database just opened, as the window or the CLI
						// has it: nothing of the file mapped in yet.
						db, err := Open(dbPath)
						if err != nil {
							b.Fatal(err)
						}
						defer db.Close()
						debug.FreeOSMemory()
						resetPeakRSS()
						b.ResetTimer()
						start := time.Now()
						for i := 0; i < b.N; i++ {
							var bm *BillingMonth
							err := db.bolt.View(func(tx *bolt.Tx) error {
								var err error
								bm, err = readBillingMonth(tx, monthRead{period: "2026-09", src: src.src, customers: only})
								return err
							})
							if err != nil {
								b.Fatal(err)
							}
							if _, err := bm.Statements(who.ids, billing.Options{Tax: true, Credits: true}); err != nil {
								b.Fatal(err)
							}
						}
						d := time.Since(start) / time.Duration(b.N)
						took[src.name+"/"+who.name] = d
						peak := peakRSSSinceReset()
						b.ReportMetric(float64(peak)/1e6, "peak-RSS-MB")
						noteStatements(statementFigures{month: name, source: src.name, who: who.name, seconds: d.Seconds(), rssMB: float64(peak) / 1e6})
						b.ReportMetric(float64(statusBytes("RssFile:"))/1e6, "RSS-file-MB")
						b.ReportMetric(float64(statusBytes("RssAnon:"))/1e6, "RSS-anon-MB")
						b.ReportMetric(float64(size)/1e6, "db-MB")
						b.ReportMetric(float64(groups), "groups")
						b.ReportMetric(float64(slots), "usage-slots")
						if r := took["rows/"+who.name]; src.name != "rows" && d > 0 {
							b.ReportMetric(float64(r)/float64(d), "x-faster-than-rows")
						}
					})
				}
			}
		})
	}
}

// resetPeakRSS resets the process's resident memory high-water mark
// (Linux: /proc/self/clear_refs), so that a benchmark measures its own.
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSSSinceReset is the resident memory high-water mark (VmHWM) in
// bytes since resetPeakRSS, 0 when unknown.
func peakRSSSinceReset() int64 { return statusBytes("VmHWM:") }

// storedGroups counts a month's stored groups and their usage slots.
func storedGroups(b *testing.B, db *DB, period string) (groups, slots int) {
	eachStoredGroup(b, db, period, func(g *aggregate.Group) {
		groups++
		slots += len(g.Slots)
	})
	return groups, slots
}
