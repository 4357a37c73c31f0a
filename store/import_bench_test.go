//go:build unix

package store

import (
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// benchRows is the size of the import benchmark's CUR: a large customer
// base's month.
const benchRows = 1_000_000

var (
	benchCSVOnce sync.Once
	benchCSV     string
	benchCSVErr  error
)

// TestMain prints issue 15's side-by-side table (when its benchmarks ran)
// and removes the generated benchmark file, shared by every benchmark of
// the run, once they are all done.
func TestMain(m *testing.M) {
	code := m.Run()
	printSideBySide(os.Stdout)
	if benchCSV != "" {
		os.RemoveAll(filepath.Dir(benchCSV))
	}
	os.Exit(code)
}

// benchFile generates the synthetic CUR CSV once per test binary run, with
// the same generator that makes the first-run sample data.
func benchFile(b *testing.B) string {
	benchCSVOnce.Do(func() {
		dir, err := os.MkdirTemp("", "rebill-bench-")
		if err != nil {
			benchCSVErr = err
			return
		}
		benchCSV = filepath.Join(dir, "cur-1m.csv")
		benchCSVErr = writeSample(benchCSV, benchSample(benchRows), 0)
	})
	if benchCSVErr != nil {
		b.Fatal(benchCSVErr)
	}
	return benchCSV
}

// BenchmarkImportCUR1M imports a 1,000,000-row legacy CUR CSV end to end
// (hash, parse, map, encode, commit) into a fresh database and reports
// rows/s, MB/s, the process's peak RSS and the database size relative to
// the CSV. Targets: >= 400k rows/s, peak RSS < 300 MB, database < 0.35 x CSV.
func BenchmarkImportCUR1M(b *testing.B) {
	path := benchFile(b)
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ResetTimer()
	var dbSize int64
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		db, err := Open(filepath.Join(dir, "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		res, err := importPath(b, db, path)
		elapsed += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if res.Rows != benchRows {
			b.Fatalf("imported %d rows", res.Rows)
		}
		b.StopTimer()
		dbSize, _ = db.Size()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/elapsed.Seconds(), "rows/s")
	b.ReportMetric(float64(st.Size())/1e6, "csv-MB")
	b.ReportMetric(float64(dbSize)/1e6, "db-MB")
	b.ReportMetric(float64(dbSize)/float64(st.Size()), "db/csv")
	b.ReportMetric(float64(peakRSS())/1e6, "peak-RSS-MB")
}

// peakRSS is the process's high-water resident memory in bytes.
func peakRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	if isDarwin {
		return ru.Maxrss // bytes on macOS
	}
	return ru.Maxrss * 1024 // kilobytes on Linux
}
