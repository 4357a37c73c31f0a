package ingest

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"rebill/engine/lineitem"
	"rebill/engine/sample"
)

// discard is a Destination that keeps nothing, to time reading and mapping
// alone.
type discard struct{}

func (discard) FindFile(string) (Known, bool, error) { return Known{}, false, nil }
func (discard) HasFileOfSize(int64) (bool, error)    { return false, nil }
func (discard) BeginImport(*Result) (Writer, error)  { return discard{}, nil }
func (discard) Write(int, []lineitem.Item) error     { return nil }
func (discard) Commit(*Result, []Delivery) error     { return nil }
func (discard) Abort() error                         { return nil }

// BenchmarkReadCUR times hashing, reading and mapping a 200,000-row legacy
// CUR CSV without storing it: the share of an import the store does not see.
// cpu-s/op, the CPU time of both cores, is the figure to compare on a
// shared machine, where wall time depends on the neighbours.
func BenchmarkReadCUR(b *testing.B) {
	path := filepath.Join(b.TempDir(), "cur.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	const rows = 200_000
	if _, err := sample.WriteCSV(w, sample.Options{Rows: rows, Seed: 1, Month: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		b.Fatal(err)
	}
	w.Flush()
	f.Close()
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ResetTimer()
	cpu := cpuTime()
	for i := 0; i < b.N; i++ {
		if _, err := File(context.Background(), path, discard{}, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
