//go:build race

package main

// buildFlags build the binary under test as the test itself is built, so
// the race-instrumented packages the test compiled are reused.
var buildFlags = []string{"-race"}
