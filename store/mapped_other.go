//go:build !linux

package store

import bolt "go.etcd.io/bbolt"

// releaseMapped is done on Linux alone (see mapped_linux.go); elsewhere the
// file's pages stay mapped in until the system needs the memory.
func releaseMapped(*bolt.DB, string) {}
