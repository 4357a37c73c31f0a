package ui

import (
	"bytes"
	"io"
	"log"
	"os"
	"sync"
)

// Fyne's file dialog lists the system's usual folders (Desktop,
// Documents, ..., Videos) and logs three "Fyne error" lines for each one
// the computer lacks: on a fresh Linux desktop without a Videos folder,
// every Open or Save dialog writes them to the terminal. Nothing is
// wrong (the dialog simply does not list the folder) and Fyne 2.7 has no
// way to choose the folders, so quietLog drops that report, and only
// that one, from the log.

// favouritesReport starts the report Fyne writes for a missing folder.
const favouritesReport = "Fyne error:  Getting favorite locations"

// quietLog sends the standard logger's lines to w, without Fyne's report
// of missing usual folders.
func quietLog(w io.Writer) { log.SetOutput(&logFilter{out: w}) }

// quietStderr is quietLog for the window: the log goes to stderr.
func quietStderr() { quietLog(os.Stderr) }

// logFilter passes log lines through, except a favouritesReport and the
// "Cause" and "At" lines that follow it. The logger writes one line per
// Write.
type logFilter struct {
	mu   sync.Mutex
	out  io.Writer
	skip bool
}

func (f *logFilter) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case bytes.Contains(p, []byte(favouritesReport)):
		f.skip = true
		return len(p), nil
	case f.skip && (bytes.Contains(p, []byte("  Cause:")) || bytes.Contains(p, []byte("  At:"))):
		return len(p), nil
	}
	f.skip = false
	return f.out.Write(p)
}
