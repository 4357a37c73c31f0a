//go:build darwin

package store

const isDarwin = true
