package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// menuItem finds a menu's item by its label, failing the test without it.
func menuItem(t *testing.T, m *fyne.MainMenu, menu, label string) *fyne.MenuItem {
	t.Helper()
	for _, mm := range m.Items {
		if mm.Label != menu {
			continue
		}
		for _, it := range mm.Items {
			if it.Label == label {
				return it
			}
		}
	}
	t.Fatalf("no menu item %s > %s", menu, label)
	return nil
}

// topTexts lists the texts of the top overlay (the dialog on top).
func (h *harness) topTexts() []string {
	var out []string
	top := h.win.Canvas().Overlays().Top()
	if top == nil {
		return nil
	}
	eachVisible(top, func(o fyne.CanvasObject) bool {
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.Button:
			out = append(out, w.Text)
		}
		return true
	})
	return out
}

// topShows reports whether the dialog on top shows s.
func (h *harness) topShows(s string) bool {
	for _, t := range h.topTexts() {
		if strings.Contains(t, s) {
			return true
		}
	}
	return false
}

// closeOverlays empties the overlays between the cases of a test.
func (h *harness) closeOverlays() {
	for h.win.Canvas().Overlays().Top() != nil {
		h.win.Canvas().Overlays().Top().Hide()
	}
}

func (h *harness) shown() string { return h.shell.nav.Selected().Text }

func TestMenuBar(t *testing.T) {
	h := newHarness(t)
	m := h.win.MainMenu()
	if m == nil {
		t.Fatal("the window has no menu bar")
	}
	var menus []string
	for _, mm := range m.Items {
		menus = append(menus, mm.Label)
	}
	if want := []string{"File", "Edit", "View", "Help"}; !equalStrings(menus, want) {
		t.Fatalf("menus = %v, want %v", menus, want)
	}
	if !menuItem(t, m, "File", "Quit").IsQuit {
		t.Error("File > Quit is not the quit item")
	}

	cases := []struct {
		menu, item string
		// screen is the screen the item shows ("" for no change), and
		// shows a text of the dialog it opens ("" for none).
		screen, shows string
	}{
		{"File", "Import…", "Import", "Cancel"}, // the file chooser
		{"File", "Generate invoices…", "Reports", ""},
		{"File", "Backup…", "", "Cancel"}, // the folder chooser over the backup panel
		{"File", "Restore…", "", "Cancel"},
		{"Edit", "Find", "Customers", ""},
		{"Edit", "Settings…", "Settings", ""},
		{"View", "Periods", "Periods", ""},
		{"View", "Reconciliation", "Reconciliation", ""},
		{"Help", "Keyboard shortcuts", "", "Ctrl+G"},
		{"Help", "Check database…", "", "No problems found."},
		{"Help", "About Rebill", "", h.db.Path()},
		{"Help", "Getting started", welcomeTitle, ""},
	}
	for _, tc := range cases {
		t.Run(tc.menu+" "+tc.item, func(t *testing.T) {
			h.closeOverlays()
			h.state.show("Invoices")
			menuItem(t, m, tc.menu, tc.item).Action()
			want := tc.screen
			if want == "" {
				want = "Invoices"
			}
			if got := h.shown(); got != want {
				t.Errorf("shows %q, want %q", got, want)
			}
			if tc.shows != "" && !h.topShows(tc.shows) {
				t.Errorf("the dialog on top does not show %q: %q", tc.shows, h.topTexts())
			}
			if tc.shows == "" && h.win.Canvas().Overlays().Top() != nil {
				t.Errorf("a dialog opened: %q", h.topTexts())
			}
		})
	}
	h.closeOverlays()

	t.Run("View ticks the screen shown", func(t *testing.T) {
		h.state.show("Customers")
		for _, label := range []string{"Customers", "Periods"} {
			if got, want := menuItem(t, m, "View", label).Checked, label == "Customers"; got != want {
				t.Errorf("View > %s ticked = %v, want %v", label, got, want)
			}
		}
	})
}

// TestShortcuts sends each shortcut to the window, as Fyne's driver does
// when no menu item takes it, and checks the menu items carry the same.
func TestShortcuts(t *testing.T) {
	h := newHarness(t)
	c := h.win.Canvas()
	send := func(k fyne.KeyName) {
		c.(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault})
	}
	search := h.shell.screens["Customers"].(*customersScreen).search
	cases := []struct {
		name   string
		from   string
		key    fyne.KeyName
		screen string
		dialog bool
		focus  fyne.Focusable
	}{
		{"Ctrl+I imports", "Periods", fyne.KeyI, "Import", true, nil},
		{"Ctrl+G generates", "Periods", fyne.KeyG, "Reports", false, nil},
		{"Ctrl+F finds the customers from a screen without search", "Periods", fyne.KeyF, "Customers", false, search},
		{"Ctrl+F finds in the screen's own search", "Customers", fyne.KeyF, "Customers", false, search},
		{"Ctrl+, opens Settings", "Periods", fyne.KeyComma, "Settings", false, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h.closeOverlays()
			c.Unfocus()
			h.state.show(tc.from)
			send(tc.key)
			if got := h.shown(); got != tc.screen {
				t.Errorf("shows %q, want %q", got, tc.screen)
			}
			if got := c.Overlays().Top() != nil; got != tc.dialog {
				t.Errorf("a dialog is open: %v, want %v", got, tc.dialog)
			}
			if tc.focus != nil && c.Focused() != tc.focus {
				t.Errorf("focused %T, want the search field", c.Focused())
			}
		})
	}
	h.closeOverlays()

	t.Run("the menu items carry the table's keys", func(t *testing.T) {
		m := h.win.MainMenu()
		for _, it := range []struct{ menu, item, id string }{
			{"File", "Import…", "import"}, {"File", "Generate invoices…", "generate"},
			{"Edit", "Find", "find"}, {"Edit", "Settings…", "settings"}, {"File", "Quit", "quit"},
		} {
			got := menuItem(t, m, it.menu, it.item).Shortcut
			want := navKeyOf(it.id).shortcut()
			if got == nil || got.ShortcutName() != want.ShortcutName() {
				t.Errorf("%s > %s shortcut = %v, want %s", it.menu, it.item, got, want.ShortcutName())
			}
		}
	})

	t.Run("Help lists every key of the table", func(t *testing.T) {
		menuItem(t, h.win.MainMenu(), "Help", "Keyboard shortcuts").Action()
		defer h.closeOverlays()
		for _, k := range navKeys {
			if !h.topShows(k.what) || !h.topShows(k.keysText()) {
				t.Errorf("Keyboard shortcuts does not list %s %q", k.keysText(), k.what)
			}
		}
	})
}

func TestKeysText(t *testing.T) {
	mod := "Ctrl+"
	if fyne.KeyModifierShortcutDefault == fyne.KeyModifierSuper {
		mod = "Cmd+"
	}
	cases := []struct {
		id, want string
	}{
		{"import", mod + "I"},
		{"settings", mod + ","},
		{"escape", "Esc"},
	}
	for _, tc := range cases {
		t.Run(tc.id, func(t *testing.T) {
			if got := navKeyOf(tc.id).keysText(); got != tc.want {
				t.Errorf("keysText = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestEscapeClosesDialogs opens dialogs the ways ui/ does and presses
// Escape: each closes as its Cancel (or Close, No, OK) button does,
// telling its callback "no".
func TestEscapeClosesDialogs(t *testing.T) {
	h := newHarness(t)
	c := h.win.Canvas()
	escape := func() { c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape}) }
	var answer string
	cases := []struct {
		name string
		open func()
		// answer is what the dialog's callback was told.
		answer string
	}{
		{"information", func() { dialog.ShowInformation("Done", "It went well.", h.win) }, ""},
		{"error", func() { dialog.ShowError(os.ErrNotExist, h.win) }, ""},
		{"confirm", func() {
			dialog.ShowConfirm("Delete?", "Really?", func(ok bool) { answer = map[bool]string{true: "yes", false: "no"}[ok] }, h.win)
		}, "no"},
		{"custom confirm", func() {
			dialog.NewCustomConfirm("Restore this backup?", "Restore", "Cancel", widget.NewLabel("x"), func(ok bool) {
				answer = map[bool]string{true: "yes", false: "no"}[ok]
			}, h.win).Show()
		}, "no"},
		{"form with a field", func() {
			e := widget.NewEntry()
			dialog.ShowForm("Void", "Void invoice", "Cancel", []*widget.FormItem{widget.NewFormItem("Reason", e)}, func(ok bool) {
				answer = map[bool]string{true: "yes", false: "no"}[ok]
			}, h.win)
		}, "no"},
		{"custom with Close", func() { dialog.NewCustom("History", "Close", widget.NewLabel("x"), h.win).Show() }, ""},
		{"custom without buttons, its own Cancel", func() {
			d := dialog.NewCustomWithoutButtons("Grant credit", widget.NewLabel("x"), h.win)
			d.SetButtons([]fyne.CanvasObject{widget.NewButton("Cancel", d.Hide), widget.NewButton("Grant credit", func() { answer = "yes" })})
			d.Show()
		}, ""},
		{"file chooser", func() {
			dialog.NewFileOpen(func(r fyne.URIReadCloser, _ error) {
				if r == nil {
					answer = "no"
				}
			}, h.win).Show()
		}, "no"},
		{"Settings > Move forward", func() { h.shell.screens["Settings"].(*settingsScreen).onMoveNumber() }, ""},
		{"Help > Keyboard shortcuts", h.shell.onShortcutsHelp, ""},
		{"Help > Check database over File > Backup", func() { h.shell.onBackup(); h.shell.onCheckDatabase() }, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h.closeOverlays()
			answer = ""
			tc.open()
			n := len(c.Overlays().List())
			if n == 0 {
				t.Fatal("no dialog opened")
			}
			escape()
			if got := len(c.Overlays().List()); got != n-1 {
				t.Errorf("%d dialogs open after Escape, want %d", got, n-1)
			}
			if answer != tc.answer {
				t.Errorf("the callback was told %q, want %q", answer, tc.answer)
			}
		})
	}

	t.Run("a dialog without a dismissing button stays", func(t *testing.T) {
		h.closeOverlays()
		d := dialog.NewCustomWithoutButtons("Choose", widget.NewLabel("x"), h.win)
		d.SetButtons([]fyne.CanvasObject{widget.NewButton("Keep", d.Hide)})
		d.Show()
		escape()
		if c.Overlays().Top() == nil {
			t.Error("Escape closed a dialog that asks for a choice")
		}
	})
	t.Run("no dialog: nothing happens", func(t *testing.T) {
		h.closeOverlays()
		h.state.show("Periods")
		escape()
		if h.shown() != "Periods" {
			t.Errorf("Escape without a dialog changed the screen to %q", h.shown())
		}
	})
}

// TestEveryDialogDismissesWithEscape reads ui/'s dialogs in the source:
// each dismiss text is one Escape presses, and each dialog built without
// Fyne's buttons gives its own Cancel or Close.
func TestEveryDialogDismissesWithEscape(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	dismissArg := []*regexp.Regexp{
		regexp.MustCompile(`dialog\.NewCustom\([^\n]*?, "([^"]+)", `),
		regexp.MustCompile(`dialog\.(?:NewCustomConfirm|ShowCustomConfirm|NewForm|ShowForm)\([^\n]*?, "[^"]+", "([^"]+)", `),
	}
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src := string(b)
		for _, re := range dismissArg {
			for _, m := range re.FindAllStringSubmatch(src, -1) {
				seen++
				if !slices.Contains(dismissWords, m[1]) {
					t.Errorf("%s: a dialog dismissed by %q, which Escape does not press: add it to dismissWords", f, m[1])
				}
			}
		}
		if strings.Contains(src, "NewCustomWithoutButtons(") && !strings.Contains(src, `"Cancel"`) && !strings.Contains(src, `"Close"`) {
			t.Errorf("%s builds a dialog without Fyne's buttons and gives no Cancel or Close button: Escape cannot close it", f)
		}
	}
	if seen < 10 {
		t.Errorf("found only %d dialogs with a dismiss text: the patterns no longer match ui/'s code", seen)
	}
}

func TestWindowSizeRemembered(t *testing.T) {
	screen := fyne.NewSize(1920, 1080)
	cases := []struct {
		name   string
		saved  fyne.Size
		screen fyne.Size
		want   fyne.Size
	}{
		{"nothing saved: the minimum", fyne.Size{}, screen, minWindow},
		{"as it was", fyne.NewSize(1200, 800), screen, fyne.NewSize(1200, 800)},
		{"larger than this screen", fyne.NewSize(2500, 1400), fyne.NewSize(1280, 720), fyne.NewSize(1280, 720)},
		{"wider only", fyne.NewSize(1500, 700), fyne.NewSize(1366, 768), fyne.NewSize(1366, 700)},
		{"smaller than the minimum", fyne.NewSize(640, 480), screen, minWindow},
		{"screen not known", fyne.NewSize(3000, 2000), fyne.Size{}, fyne.NewSize(3000, 2000)},
		// A screen smaller than the minimum still gets the minimum:
		// Rebill is not laid out for less.
		{"screen below the minimum", fyne.NewSize(1200, 800), fyne.NewSize(800, 600), minWindow},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := test.NewTempApp(t)
			rememberSize(a.Preferences(), tc.saved)
			if got := rememberedSize(a.Preferences(), tc.screen); got != tc.want {
				t.Errorf("size = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestLastScreenRemembered(t *testing.T) {
	h := newHarness(t)
	h.state.show("Reconciliation")
	if got := h.state.app.Preferences().String(screenPref); got != "Reconciliation" {
		t.Fatalf("remembered screen = %q, want Reconciliation", got)
	}
	// The next start, over the same preferences and database.
	w := test.NewTempWindow(t, widget.NewLabel(""))
	st := newAppState(h.state.app, w, h.db)
	st.now, st.run = h.state.now, h.state.run
	sh := newShell(st)
	w.SetContent(sh.content)
	h.state.app.Preferences().SetBool(welcomeClosedPref(st), true)
	sh.restoreWindow()
	if got := sh.nav.Selected().Text; got != "Reconciliation" {
		t.Errorf("restarted on %q, want Reconciliation", got)
	}
	if got := w.Canvas().Size(); got.Width < minWindow.Width || got.Height < minWindow.Height {
		t.Errorf("restarted at %v, below the minimum %v", got, minWindow)
	}
}

func TestThemeChoice(t *testing.T) {
	h := newHarness(t)
	m := h.win.MainMenu()
	light := themeFor("light").Color(theme.ColorNameBackground, theme.VariantDark)
	dark := themeFor("dark").Color(theme.ColorNameBackground, theme.VariantLight)
	if light == dark {
		t.Fatal("the light and dark looks have the same background")
	}
	cases := []struct{ key, label string }{
		{"dark", "Dark"},
		{"light", "Light"},
		{"system", "System"},
	}
	for _, tc := range cases {
		t.Run(tc.label, func(t *testing.T) {
			h.state.setTheme(tc.key)
			if got := h.state.app.Preferences().String(themePref); got != tc.key {
				t.Errorf("remembered %q, want %q", got, tc.key)
			}
			bg := h.state.app.Settings().Theme().Color(theme.ColorNameBackground, theme.VariantLight)
			switch tc.key {
			case "dark":
				if bg != dark {
					t.Error("Dark does not apply the dark background")
				}
			case "light":
				if bg != light {
					t.Error("Light does not apply the light background")
				}
			}
			for _, c := range themeChoices {
				var it *fyne.MenuItem
				for _, i := range m.Items[2].Items {
					if i.ChildMenu != nil {
						for _, ci := range i.ChildMenu.Items {
							if ci.Label == c.label {
								it = ci
							}
						}
					}
				}
				if it == nil {
					t.Fatalf("no View > Theme > %s", c.label)
				}
				if it.Checked != (c.key == tc.key) {
					t.Errorf("View > Theme > %s ticked = %v", c.label, it.Checked)
				}
			}
		})
	}
	t.Run("Settings follows the menu and sets it", func(t *testing.T) {
		p := findThemePanel(t, h)
		h.state.setTheme("dark")
		if p.choice.Selected != "Dark" {
			t.Errorf("Settings shows %q after View > Theme > Dark", p.choice.Selected)
		}
		p.choice.SetSelected("Light")
		if got := themeKey(h.state.app.Preferences()); got != "light" {
			t.Errorf("choosing Light in Settings remembered %q", got)
		}
	})
	t.Run("an unknown stored look is System", func(t *testing.T) {
		h.state.app.Preferences().SetString(themePref, "sepia")
		if got := themeKey(h.state.app.Preferences()); got != "system" {
			t.Errorf("themeKey = %q, want system", got)
		}
	})
}

// findThemePanel finds Settings' theme choice through its radio group.
func findThemePanel(t *testing.T, h *harness) *themePanel {
	t.Helper()
	h.state.show("Settings")
	var radio *widget.RadioGroup
	for _, o := range test.LaidOutObjects(h.win.Content()) {
		if r, ok := o.(*widget.RadioGroup); ok && slices.Equal(r.Options, []string{"System", "Light", "Dark"}) {
			radio = r
		}
	}
	if radio == nil {
		t.Fatal("Settings shows no theme choice")
	}
	return &themePanel{state: h.state, choice: radio}
}

func TestWelcome(t *testing.T) {
	h := newHarness(t)
	if !h.shell.welcomeAtStart() {
		t.Fatal("an empty database does not open the welcome")
	}
	if got := h.shell.nav.Items[0].Text; got != welcomeTitle {
		t.Fatalf("first page = %q, want the welcome", got)
	}
	if h.shown() != welcomeTitle || !h.shows("0 of 4 steps done") {
		t.Fatalf("the welcome is not shown with no step done: %q", h.texts())
	}

	test.Tap(findButton(t, h.shell.welcome.content, "Open Customers"))
	if h.shown() != "Customers" {
		t.Errorf("Open Customers shows %q", h.shown())
	}
	h.state.show(welcomeTitle)
	// The sample brings imports, customers and the account information.
	test.Tap(findButton(t, h.shell.welcome.content, "Try with sample data"))
	if !h.shows("3 of 4 steps done") {
		t.Errorf("after the sample the welcome does not show 3 steps done: %q", h.texts())
	}
	for _, step := range []string{"1. Your billing data  (done)", "2. Account information  (done)", "3. Customers  (done)"} {
		if !h.shows(step) {
			t.Errorf("%q is not shown", step)
		}
	}
	if h.shows("4. The first statement  (done)") {
		t.Error("the first statement is done with no invoice")
	}

	test.Tap(findButton(t, h.shell.welcome.content, "Close this page"))
	if h.shell.items[welcomeTitle] != nil || h.shown() != "Import" {
		t.Fatalf("closing left the welcome in the sidebar, shows %q", h.shown())
	}
	for _, it := range h.shell.nav.Items {
		if it.Text == welcomeTitle {
			t.Fatal("the welcome is still in the sidebar")
		}
	}

	menuItem(t, h.win.MainMenu(), "Help", "Getting started").Action()
	if h.shown() != welcomeTitle {
		t.Errorf("Help > Getting started shows %q", h.shown())
	}
}

func TestWelcomeNotShownOnceClosed(t *testing.T) {
	h := newHarness(t)
	h.shell.showWelcome()
	test.Tap(findButton(t, h.shell.welcome.content, "Close this page"))
	// The next start over the same preferences and the same, still
	// empty, database.
	w := test.NewTempWindow(t, widget.NewLabel(""))
	st := newAppState(h.state.app, w, h.db)
	sh := newShell(st)
	if sh.welcomeAtStart() {
		t.Error("the welcome opened again after it was closed")
	}
}

func TestWelcomeNotShownWithData(t *testing.T) {
	h := newHarness(t)
	test.Tap(findButton(t, h.imports().content, "Load sample data"))
	if h.shell.welcomeAtStart() {
		t.Error("the welcome opened on a database with customers and imports")
	}
}
