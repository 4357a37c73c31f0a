package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
)

// The window's size and last screen, remembered in the app's preferences
// when the window closes and when the screen changes, and restored at
// start. Its position is not: Fyne 2.7 can neither read nor set where a
// window is (it only centres it), so there is nothing honest to store.

// Preference keys of the window's state.
const (
	widthPref  = "window.width"
	heightPref = "window.height"
	screenPref = "window.screen"
)

// minWindow is the smallest window Rebill is laid out for, and the size
// it opens at the first time: small enough for a 1024x700 screen with its
// title bar and panel (TestWindowFitsSmallScreens).
var minWindow = fyne.NewSize(1000, 680)

// clampWindow keeps a remembered size between the smallest window Rebill
// is laid out for and the screen it opens on; a zero screen is one whose
// size is not known, which bounds nothing.
func clampWindow(size, least, screen fyne.Size) fyne.Size {
	if screen.Width > 0 && size.Width > screen.Width {
		size.Width = screen.Width
	}
	if screen.Height > 0 && size.Height > screen.Height {
		size.Height = screen.Height
	}
	return size.Max(least)
}

// rememberedSize is the size the window had when it last closed, clamped
// to this screen; the first time, the minimum size.
func rememberedSize(p fyne.Preferences, screen fyne.Size) fyne.Size {
	w, h := p.Float(widthPref), p.Float(heightPref)
	if w <= 0 || h <= 0 {
		return minWindow
	}
	return clampWindow(fyne.NewSize(float32(w), float32(h)), minWindow, screen)
}

// rememberSize keeps the window's size for the next start.
func rememberSize(p fyne.Preferences, size fyne.Size) {
	if size.Width <= 0 || size.Height <= 0 {
		return // a window never shown has no size worth keeping
	}
	p.SetFloat(widthPref, float64(size.Width))
	p.SetFloat(heightPref, float64(size.Height))
}

// rememberScreen keeps the screen shown, to open on it next time.
func (sh *shell) rememberScreen(item *container.TabItem) {
	if item != nil && sh.items[item.Text] == item {
		sh.state.app.Preferences().SetString(screenPref, item.Text)
	}
}

// restoreScreen shows the screen shown when the window last closed, if
// it still exists.
func (sh *shell) restoreScreen() {
	if title := sh.state.app.Preferences().String(screenPref); sh.items[title] != nil {
		sh.show(title)
	}
}

// restoreWindow gives the window its remembered size and screen
// (or the welcome, the first time), before it is shown. Once the app
// runs, the size is clamped again to the screen, which only then can be
// measured.
func (sh *shell) restoreWindow() {
	st := sh.state
	st.win.Resize(rememberedSize(st.app.Preferences(), fyne.Size{}))
	if !sh.welcomeAtStart() {
		sh.restoreScreen()
	}
	st.app.Lifecycle().SetOnStarted(func() {
		want := rememberedSize(st.app.Preferences(), screenSize(st.win.Canvas()))
		if want != st.win.Canvas().Size() {
			st.win.Resize(want)
		}
	})
	// Fyne writes the preferences once more as the app stops, just after
	// OnStopped: later than that, a change is lost.
	st.app.Lifecycle().SetOnStopped(func() {
		rememberSize(st.app.Preferences(), st.win.Canvas().Size())
	})
}

// installNav adds the menu bar, the keyboard shortcuts and the memory of
// the screen shown.
func (sh *shell) installNav() {
	sh.state.win.SetMainMenu(sh.mainMenu())
	sh.registerKeys()
	sh.nav.OnSelected = func(item *container.TabItem) {
		sh.rememberScreen(item)
		sh.tickMenu()
	}
	sh.state.themeListeners = append(sh.state.themeListeners, func(string) { sh.tickMenu() })
}
