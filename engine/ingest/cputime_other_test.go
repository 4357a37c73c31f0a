//go:build !unix

package ingest

import "time"

// cpuTime is unknown here; the benchmarks report it as zero.
func cpuTime() time.Duration { return 0 }
