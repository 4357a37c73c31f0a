//go:build unix

package ingest

import (
	"syscall"
	"time"
)

// cpuTime is the process's CPU time so far, user and system: on a shared
// machine a steadier measure of work than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
