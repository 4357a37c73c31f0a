//go:build unix

package store

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// BenchmarkImportCPU1M imports the 1,000,000-row CSV of
// BenchmarkImportCUR1M and reports the CPU time it took (user + system,
// all threads) beside the wall time: on a shared machine the wall time
// says more about the other processes than about the import, the CPU
// time much less so.
func BenchmarkImportCPU1M(b *testing.B) {
	path := benchFile(b)
	var cpu, wall time.Duration
	for i := 0; i < b.N; i++ {
		db, err := Open(filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		c0, w0 := cpuTime(), time.Now()
		if _, err := importPath(b, db, path); err != nil {
			b.Fatal(err)
		}
		cpu, wall = cpu+cpuTime()-c0, wall+time.Since(w0)
		db.Close()
	}
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s")
	b.ReportMetric(wall.Seconds()/float64(b.N), "wall-s")
	b.ReportMetric(float64(benchRows)*float64(b.N)/cpu.Seconds(), "rows/cpu-s")
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
