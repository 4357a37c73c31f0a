//go:build !race

package main

// buildFlags build the binary under test as the test itself is built.
var buildFlags []string
