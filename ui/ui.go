// Package ui is Rebill's desktop window, built with Fyne. Each screen lives in
// its own files (invoices.go, invoices_actions.go, ...) as a small struct
// holding its widget handles and named handlers; all of them share one
// appState. What a screen shows (rows, notes, warnings, month-on-month
// change) is computed by its view-model in ui/view, without Fyne; the screen
// reads through the store, builds the view-model and binds it. The window
// does no money math: it shows the decimals the store and the engine give
// it, and runs imports in the background, reporting back through fyne.Do so
// it never freezes. Custom layouts are in layouts.go.
package ui

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/assets"
	"rebill/store"
	"rebill/ui/appinfo"
)

// Run opens the database at dbPath and shows the Rebill window until the
// accountant closes it. When the database cannot be opened (most often
// because another Rebill holds it) it shows the reason in a small window
// instead of failing silently, and returns the error.
func Run(meta appinfo.Meta, dbPath string) (err error) {
	if err := displayProblem(runtime.GOOS, os.Getenv); err != nil {
		return err
	}
	defer func() {
		if r := recover(); r != nil {
			err = windowFailure(r)
		}
	}()
	quietStderr()
	icon := fyne.NewStaticResource("icon.png", assets.Icon)
	app.SetMetadata(fyne.AppMetadata{
		ID: meta.ID, Name: meta.Name, Version: meta.Version, Build: meta.Build, Icon: icon,
		// Every call from a background goroutine goes through fyne.Do.
		Migrations: map[string]bool{"fyneDo": true},
	})
	a := app.NewWithID(meta.ID)
	a.SetIcon(icon)

	db, err := store.Open(dbPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "rebill:", err)
		showOpenError(a, err)
		a.Run()
		return err
	}
	defer db.Close()

	w := a.NewWindow("Rebill")
	st := newAppState(a, w, db)
	// The look first: a widget keeps the colours it was first drawn
	// with, so the first screen would stay in the system's look.
	st.applyTheme()
	sh := newShell(st)
	w.SetContent(sh.content)
	sh.restoreWindow()
	w.SetMaster()
	st.api.startSaved()
	w.Show()
	a.Run()
	// The window is gone: stop the billing API and an import still
	// running before the database closes (its staged rows are
	// discarded, nothing half-lands).
	st.api.stop()
	sh.stop()
	return nil
}

// showOpenError explains why the database could not be opened.
func showOpenError(a fyne.App, err error) {
	w := a.NewWindow("Rebill")
	title := widget.NewLabelWithStyle("Rebill could not open its database", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	text := err.Error()
	msg := widget.NewLabel(strings.ToUpper(text[:1]) + text[1:])
	msg.Wrapping = fyne.TextWrapWord
	quit := widget.NewButton("Close", w.Close)
	quit.Importance = widget.HighImportance
	top := container.NewBorder(nil, nil, widget.NewIcon(theme.ErrorIcon()), nil, title)
	// The scroll keeps the wrapped text from asking for a tall window.
	w.SetContent(container.NewBorder(top, container.NewHBox(layoutSpacer(), quit), nil, nil, container.NewVScroll(msg)))
	w.Resize(fyne.NewSize(560, 200))
	w.SetMaster()
	w.Show()
}

// appState is what every screen shares: the app, its window, the open
// database and the news that the imported data changed.
type appState struct {
	app fyne.App
	win fyne.Window
	db  *store.DB
	// now is the clock, replaceable in tests.
	now func() time.Time
	// run starts background work; tests make it synchronous.
	run func(func())
	// show brings a screen, by title, to the front.
	show func(title string)
	// previewInvoices opens the Invoices screen's preview of a month; set
	// by that screen, used by the Generate dialog.
	previewInvoices func(period string)
	listeners       []func()
	// api is the billing API the window serves when Settings say so.
	api *apiServer
	// themeListeners are told the look chosen (theme.go).
	themeListeners []func(key string)
}

func newAppState(a fyne.App, w fyne.Window, db *store.DB) *appState {
	st := &appState{
		app: a, win: w, db: db, now: time.Now,
		run:  func(f func()) { go f() },
		show: func(string) {},
	}
	st.api = newAPIServer(db, func() time.Time { return st.now() })
	st.api.dataChanged = st.dataChanged
	return st
}

// onDataChanged registers fn to run (on the UI goroutine) after every
// change to the imported data.
func (s *appState) onDataChanged(fn func()) { s.listeners = append(s.listeners, fn) }

// dataChanged tells every screen that the data changed. Call it on the UI
// goroutine.
func (s *appState) dataChanged() {
	for _, fn := range s.listeners {
		fn()
	}
}
