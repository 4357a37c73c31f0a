//go:build unix && !darwin

package store

const isDarwin = false
