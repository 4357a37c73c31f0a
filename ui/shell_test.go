package ui

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"rebill/store"
)

func TestShellShowsScreens(t *testing.T) {
	h := newHarness(t)
	var titles []string
	for _, item := range h.shell.nav.Items {
		titles = append(titles, item.Text)
	}
	if want := []string{"Import", "Periods", "Customers", "Reports", "Invoices", "Reconciliation", "Receivables", "Settings"}; !equalStrings(titles, want) {
		t.Fatalf("navigation = %v, want %v", titles, want)
	}
	if got := h.shell.nav.Selected().Text; got != "Import" {
		t.Errorf("first screen = %q, want Import", got)
	}
	if !h.shows("Database: " + h.db.Path()) {
		t.Errorf("footer does not name the database %s; texts: %q", h.db.Path(), h.texts())
	}
	if !h.shows("Import your first billing files") {
		t.Error("the empty database does not show the welcome card")
	}

	h.state.show("Periods")
	if got := h.shell.nav.Selected().Text; got != "Periods" {
		t.Fatalf("show(Periods) selected %q", got)
	}
	if !h.shows("No billing data yet") {
		t.Error("the empty Periods screen does not point to the Import screen")
	}
	test.Tap(findButton(t, h.periods().content, "Go to Import"))
	if got := h.shell.nav.Selected().Text; got != "Import" {
		t.Errorf("Go to Import selected %q", got)
	}
}

func TestDroppedFilesAreQueued(t *testing.T) {
	h := newHarness(t)
	dir := t.TempDir()
	a := writeFile(t, dir, "a.csv", october)
	h.state.show("Periods")
	h.shell.onDropped(fyne.NewPos(10, 10), []fyne.URI{storage.NewFileURI(a)})
	if got := h.shell.nav.Selected().Text; got != "Import" {
		t.Errorf("a drop should show the Import screen, shows %q", got)
	}
	if q := h.imports().queue; len(q) != 1 || q[0] != a {
		t.Errorf("queue = %v, want [%s]", q, a)
	}
}

func equalStrings(a, b []string) bool {
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

func TestOpenErrorIsShown(t *testing.T) {
	a := test.NewTempApp(t)
	path := filepath.Join(t.TempDir(), "rebill.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = store.Open(path) // a second Rebill on the same database
	if !errors.Is(err, store.ErrInUse) {
		t.Fatalf("second open: %v, want ErrInUse", err)
	}
	showOpenError(a, err)
	wins := a.Driver().AllWindows()
	if len(wins) == 0 {
		t.Fatal("no window explains the error")
	}
	w := wins[len(wins)-1]
	t.Cleanup(w.Close)
	found := false
	eachVisible(w.Content(), func(o fyne.CanvasObject) bool {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "open in another Rebill") {
			found = true
		}
		return true
	})
	if !found {
		t.Errorf("the window does not say the database is open elsewhere")
	}
}
