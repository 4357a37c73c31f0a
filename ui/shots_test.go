package ui

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"rebill/store"
)

// TestInvoiceViewShots writes the window's invoice view of every invoice
// and credit note in a database, and its Settings, as PNGs, for looking
// at them:
// REBILL_SHOTS=/tmp/shots REBILL_SHOTS_DB=rebill.db go test -tags ci ./ui/ -run InvoiceViewShots
// (the database is copied first, never changed).
func TestInvoiceViewShots(t *testing.T) {
	dir, src := os.Getenv("REBILL_SHOTS"), os.Getenv("REBILL_SHOTS_DB")
	if dir == "" || src == "" {
		t.Skip("set REBILL_SHOTS to a directory and REBILL_SHOTS_DB to a database to write the invoice views")
	}
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	st := newAppState(a, w, db)
	st.now = func() time.Time { return time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC) }
	st.run = func(f func()) { f() }
	sh := newShell(st)
	w.SetContent(sh.content)
	w.Resize(fyne.NewSize(1100, 2000))
	st.show("Invoices")
	list, err := db.Invoices(store.InvoiceFilter{}, time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	s := sh.screens["Invoices"].(*invoicesScreen)
	for _, inv := range list {
		s.openViewer(inv.ID)
		f, err := os.Create(filepath.Join(dir, "window-"+inv.Label()+".png"))
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(f, w.Canvas().Capture()); err != nil {
			t.Fatal(err)
		}
		f.Close()
		s.closeViewer()
	}
	st.show("Settings")
	f, err := os.Create(filepath.Join(dir, "window-settings.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}
