package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"rebill/store"
)

// testNow is the clock of every UI test: early November 2024, so the
// sample data is September (final) and October (provisional) 2024.
var testNow = time.Date(2024, time.November, 5, 10, 0, 0, 0, time.UTC)

// harness is a window over a fresh database whose imports run
// synchronously, so a test sees their outcome as soon as the tap returns.
type harness struct {
	t     *testing.T
	state *appState
	shell *shell
	win   fyne.Window
	db    *store.DB
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	db, err := store.Open(filepath.Join(t.TempDir(), "rebill.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	w := test.NewTempWindow(t, widget.NewLabel(""))
	st := newAppState(a, w, db)
	st.now = func() time.Time { return testNow }
	st.run = func(f func()) { f() }
	sh := newShell(st)
	w.SetContent(sh.content)
	w.Resize(fyne.NewSize(1400, 900))
	return &harness{t: t, state: st, shell: sh, win: w, db: db}
}

func (h *harness) imports() *importScreen { return h.shell.screens["Import"].(*importScreen) }
func (h *harness) periods() *periodsScreen {
	return h.shell.screens["Periods"].(*periodsScreen)
}

// texts lists the text of every visible label, rich text and canvas
// text of the window, overlays (dialogs) included.
func (h *harness) texts() []string {
	var out []string
	collect := func(o fyne.CanvasObject) bool {
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.RichText:
			out = append(out, w.String())
		case *canvas.Text:
			out = append(out, w.Text)
		default:
			return true
		}
		return false
	}
	eachVisible(h.win.Canvas().Content(), collect)
	for _, o := range h.win.Canvas().Overlays().List() {
		eachVisible(o, collect)
	}
	return out
}

// eachVisible calls fn for o and every visible object inside it, through
// containers and widget renderers, as long as fn returns true.
func eachVisible(o fyne.CanvasObject, fn func(fyne.CanvasObject) bool) {
	if o == nil || !o.Visible() || !fn(o) {
		return
	}
	switch w := o.(type) {
	case *fyne.Container:
		for _, c := range w.Objects {
			eachVisible(c, fn)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(w).Objects() {
			eachVisible(c, fn)
		}
	}
}

// shows reports whether some visible text contains s.
func (h *harness) shows(s string) bool {
	for _, t := range h.texts() {
		if strings.Contains(t, s) {
			return true
		}
	}
	return false
}

// writeFile writes a file under a test folder and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// curHeader is a minimal legacy CUR CSV header.
const curHeader = "identity/LineItemId,bill/PayerAccountId,bill/BillingPeriodStartDate,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/UnblendedCost,lineItem/CurrencyCode,bill/InvoiceId\n"

// october is three line items of October 2024, provisional (no invoice
// id). By hand: 1.0000000001 + 2.5 + 0.12345678901 = 3.62345678911.
const october = curHeader +
	"l1,111122223333,2024-10-01T00:00:00Z,444455556666,Usage,1.0000000001,USD,\n" +
	"l2,111122223333,2024-10-01T00:00:00Z,444455556666,Usage,2.5,USD,\n" +
	"l3,111122223333,2024-10-01T00:00:00Z,777788889999,Tax,0.12345678901,USD,\n"

// september is final (AWS wrote the invoice id): 10 + 0.005 = 10.005.
const september = curHeader +
	"s1,111122223333,2024-09-01T00:00:00Z,444455556666,Usage,10,USD,EUINUS24-1234\n" +
	"s2,111122223333,2024-09-01T00:00:00Z,444455556666,Usage,5.0E-3,USD,EUINUS24-1234\n"

// findButton finds the visible button with this text under o.
func findButton(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	for _, obj := range test.LaidOutObjects(o) {
		if b, ok := obj.(*widget.Button); ok && b.Text == text && b.Visible() {
			return b
		}
	}
	t.Fatalf("no visible button %q", text)
	return nil
}
