package ui

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// barShown is the value of the visible progress bar of the dialog on
// top, -1 when none shows.
func barShown(h *harness) float64 {
	top := h.win.Canvas().Overlays().Top()
	if top == nil {
		return -1
	}
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.ProgressBar); ok && b.Visible() {
			return b.Value
		}
	}
	return -1
}

// TestProgressDialogReportsProgress: a task's steps move the bar, and its
// outcome replaces the progress in the same dialog.
func TestProgressDialogReportsProgress(t *testing.T) {
	h := newHarness(t)
	var seen []float64
	var then string
	p := runWithProgress(h.state, nil, "Count", "Starting…", func(ctx context.Context, progress progressFunc) (string, error) {
		for i := 1; i <= 4; i++ {
			progress(i, 4, "Counting")
			seen = append(seen, barShown(h))
		}
		return "Counted to 4.", nil
	}, func(msg string, err error) { then = msg })
	if want := []float64{0.25, 0.5, 0.75, 1}; !equalFloats(seen, want) {
		t.Errorf("the bar showed %v, want %v", seen, want)
	}
	if p.result != "Counted to 4." || then != "Counted to 4." {
		t.Errorf("outcome %q (then got %q), want Counted to 4.", p.result, then)
	}
	if !h.shows("Counted to 4.") || p.cancelBtn.Visible() || !p.closeBtn.Visible() {
		t.Errorf("the dialog does not show the outcome with Close; texts %q", h.texts())
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestProgressDialogCancel taps Cancel midway: the work sees its context
// cancelled and stops, and the dialog says nothing was changed.
func TestProgressDialogCancel(t *testing.T) {
	h := newHarness(t)
	steps := 0
	var thenErr error
	p := runWithProgress(h.state, nil, "Count", "Starting…", func(ctx context.Context, progress progressFunc) (string, error) {
		for i := 1; i <= 10; i++ {
			if err := ctx.Err(); err != nil {
				return "", err
			}
			steps = i
			progress(i, 10, "Counting")
			if i == 3 {
				test.Tap(findButton(t, h.win.Canvas().Overlays().Top(), "Cancel"))
			}
		}
		return "Counted to 10.", nil
	}, func(_ string, err error) { thenErr = err })
	if steps != 3 {
		t.Errorf("the work ran %d steps, want 3 (cancelled after the third)", steps)
	}
	if p.result != cancelledText || !errors.Is(thenErr, context.Canceled) {
		t.Errorf("outcome %q, %v; want %q and context.Canceled", p.result, thenErr, cancelledText)
	}
	if !h.shows(cancelledText) {
		t.Errorf("the dialog does not say it was cancelled; texts %q", h.texts())
	}
}

// TestSaveFile: a document is written whole under its name and nothing
// else is left beside it; a cancel midway or a failure leaves neither a
// temporary file nor the empty file the save dialog created.
func TestSaveFile(t *testing.T) {
	for _, tc := range []struct {
		name       string
		cancelAt   int // cancel before this chunk (0: never)
		fail       bool
		wantSaved  bool
		wantErrSub string
	}{
		{"whole", 0, false, true, ""},
		{"cancelled midway", 3, false, false, "canceled"},
		{"the writer fails", 0, true, false, "disk full"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "INV-1.pdf")
			if err := os.WriteFile(path, nil, 0o644); err != nil { // what the save dialog leaves
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			n, err := saveFile(ctx, path, func(w io.Writer, done func() error) (int, error) {
				for i := 1; i <= 5; i++ {
					if i == tc.cancelAt {
						cancel()
					}
					if _, err := io.WriteString(w, "chunk;"); err != nil {
						return 0, err
					}
				}
				if tc.fail {
					return 0, errors.New("disk full")
				}
				return 5, done()
			})
			entries, _ := os.ReadDir(dir)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			if !tc.wantSaved {
				if err == nil || !strings.Contains(err.Error(), tc.wantErrSub) {
					t.Errorf("err = %v, want %q", err, tc.wantErrSub)
				}
				if len(names) != 0 {
					t.Errorf("left %v in the folder, want nothing", names)
				}
				return
			}
			b, _ := os.ReadFile(path)
			if err != nil || n != 5 || string(b) != strings.Repeat("chunk;", 5) || len(names) != 1 {
				t.Errorf("saved %q (%d, %v), folder %v", b, n, err, names)
			}
		})
	}
}
