package ui

import (
	"bytes"
	"errors"
	"log"
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
)

// TestMain keeps the tests' output as the window's log: without Fyne's
// report of missing usual folders, which every test opening a file
// dialog would print.
func TestMain(m *testing.M) {
	quietStderr()
	os.Exit(m.Run())
}

// TestFileDialogLogsNothing opens the Import screen's file dialog on a
// computer without the usual folders (a home holding none of Desktop,
// ..., Videos): Fyne reports each missing one as a "Fyne error", which
// the window's log must not show, while it still shows other errors.
func TestFileDialogLogsNothing(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	defer quietStderr()

	open := func(t *testing.T) {
		h := newHarness(t)
		h.imports().onAddFiles()
		h.imports().onAddFolder()
	}

	var raw bytes.Buffer
	log.SetOutput(&raw)
	open(t)
	if !strings.Contains(raw.String(), "Getting favorite locations") {
		t.Fatalf("without the filter, Fyne should report the missing folders; it logged %q", raw.String())
	}

	var quiet bytes.Buffer
	quietLog(&quiet)
	open(t)
	if quiet.Len() > 0 {
		t.Errorf("opening the file dialogs logged %q, want nothing", quiet.String())
	}
	fyne.LogError("Could not read the theme", errors.New("disk full"))
	if got := quiet.String(); !strings.Contains(got, "Could not read the theme") || !strings.Contains(got, "disk full") || !strings.Contains(got, "At:") {
		t.Errorf("another Fyne error must still show in full, got %q", got)
	}
}
