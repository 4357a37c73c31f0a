package store

import (
	"os"
	"syscall"

	bolt "go.etcd.io/bbolt"
)

// releaseMapped tells the kernel the process no longer needs the pages of
// the database file it has mapped in. Opening reads every page (preflight's
// walk, and bbolt's own after a crash left the free page list out), which
// would otherwise keep much of the file resident for as long as the
// database stays open, though a statement reads only the month's sums.
// The pages stay in the page cache, and a later read maps them in again;
// the mapping is shared and read-only (bbolt writes with pwrite, never
// through it), so nothing is lost, even in a transaction in flight.
func releaseMapped(b *bolt.DB, path string) {
	st, err := os.Stat(path)
	if err != nil || st.Size() == 0 {
		return
	}
	page := int64(os.Getpagesize())
	n := (st.Size() + page - 1) / page * page
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, b.Info().Data, uintptr(n), syscall.MADV_DONTNEED)
}
