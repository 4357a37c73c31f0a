//go:build !windows

package main

// attachConsole does nothing outside Windows: there a program started from
// a terminal already writes to it (see main_windows.go).
func attachConsole() {}
