package ui

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// The main menu bar (on macOS, the system menu) beside the sidebar: File,
// Edit, View and Help. Its items call the screens' own handlers and the
// Settings panels' code (backupPanel, checkPanel): the menu only finds
// them.

// finder is a screen with a search or filter field, which Find focuses.
type finder interface {
	findEntry() *widget.Entry
}

// mainMenu builds the menu bar. The View menu's ticks follow the screen
// shown and the look chosen.
func (sh *shell) mainMenu() *fyne.MainMenu {
	item := func(label string, run func()) *fyne.MenuItem { return fyne.NewMenuItem(label, run) }
	keyed := func(label, id string) *fyne.MenuItem {
		k := navKeyOf(id)
		it := fyne.NewMenuItem(label, func() { k.run(sh) })
		it.Shortcut = k.shortcut()
		return it
	}
	sep := fyne.NewMenuItemSeparator

	quit := keyed("Quit", "quit")
	quit.IsQuit = true
	file := fyne.NewMenu("File",
		keyed("Import…", "import"),
		keyed("Generate invoices…", "generate"),
		sep(),
		item("Backup…", sh.onBackup),
		item("Restore…", sh.onRestore),
		sep(),
		quit,
	)
	edit := fyne.NewMenu("Edit",
		keyed("Find", "find"),
		sep(),
		keyed("Settings…", "settings"),
	)

	view := fyne.NewMenu("View")
	sh.screenItems = map[string]*fyne.MenuItem{}
	for _, d := range screenDefs() {
		title := d.title
		it := item(title, func() { sh.show(title) })
		sh.screenItems[title] = it
		view.Items = append(view.Items, it)
	}
	themes := fyne.NewMenu("")
	sh.themeItems = map[string]*fyne.MenuItem{}
	for _, c := range themeChoices {
		key := c.key
		it := item(c.label, func() { sh.state.setTheme(key) })
		sh.themeItems[key] = it
		themes.Items = append(themes.Items, it)
	}
	look := item("Theme", nil)
	look.ChildMenu = themes
	view.Items = append(view.Items, sep(), look)

	help := fyne.NewMenu("Help",
		item("Getting started", sh.showWelcome),
		item("Keyboard shortcuts", sh.onShortcutsHelp),
		item("Check database…", sh.onCheckDatabase),
		sep(),
		item("About Rebill", sh.onAbout),
	)
	sh.menu = fyne.NewMainMenu(file, edit, view, help)
	sh.tickMenu()
	return sh.menu
}

// tickMenu ticks the screen shown and the look chosen in the View menu.
func (sh *shell) tickMenu() {
	if sh.menu == nil {
		return
	}
	shown := ""
	if sel := sh.nav.Selected(); sel != nil {
		shown = sel.Text
	}
	for title, it := range sh.screenItems {
		it.Checked = title == shown
	}
	chosen := themeKey(sh.state.app.Preferences())
	for key, it := range sh.themeItems {
		it.Checked = key == chosen
	}
	sh.menu.Refresh()
}

// onImportFiles shows the Import screen and asks which files to import.
func (sh *shell) onImportFiles() {
	sh.show("Import")
	if s, ok := sh.screens["Import"].(*importScreen); ok {
		s.onAddFiles()
	}
}

// onGenerateInvoices opens the Generate dialog of the Reports screen for
// the customers ticked there; with none ticked it shows Reports, where
// they are ticked.
func (sh *shell) onGenerateInvoices() {
	sh.show("Reports")
	if s, ok := sh.screens["Reports"].(*reportsScreen); ok {
		s.picker.onGenerateTapped()
	}
}

// onFind puts the keyboard in the shown screen's search or filter field;
// a screen without one gives way to the Customers screen's search, the
// one finder Rebill has across its data.
func (sh *shell) onFind() {
	sel := sh.nav.Selected()
	if sel != nil {
		if f, ok := sh.screens[sel.Text].(finder); ok {
			sh.state.win.Canvas().Focus(f.findEntry())
			return
		}
	}
	for _, d := range screenDefs() {
		if f, ok := sh.screens[d.title].(finder); ok {
			sh.show(d.title)
			sh.state.win.Canvas().Focus(f.findEntry())
			return
		}
	}
}

// onSettings shows the Settings screen.
func (sh *shell) onSettings() { sh.show("Settings") }

// onQuit ends Rebill as closing its window does.
func (sh *shell) onQuit() { sh.state.app.Quit() }

// onBackup opens Settings > Database's backup panel in a dialog and asks
// where to write the backup: the panel reports there how it went.
func (sh *shell) onBackup() { sh.backupDialog("Backup").onBackup() }

// onRestore does the same for a restore.
func (sh *shell) onRestore() { sh.backupDialog("Restore").onRestore() }

func (sh *shell) backupDialog(title string) *backupPanel {
	p := newBackupPanel(sh.state)
	d := dialog.NewCustom(title, "Close", container.NewVScroll(p.view()), sh.state.win)
	d.Resize(fyne.NewSize(min(640, sh.state.win.Canvas().Size().Width-40), 360))
	d.Show()
	return p
}

// onCheckDatabase runs Settings > Database's check in a dialog.
func (sh *shell) onCheckDatabase() {
	p := newCheckPanel(sh.state)
	d := dialog.NewCustom("Check the database", "Close", container.NewVScroll(p.view()), sh.state.win)
	d.Resize(fyne.NewSize(min(640, sh.state.win.Canvas().Size().Width-40), 420))
	d.Show()
	p.onCheck()
}

// onShortcutsHelp lists the keyboard shortcuts from the table that
// registers them.
func (sh *shell) onShortcutsHelp() {
	rows := container.New(layout.NewFormLayout())
	for _, k := range navKeys {
		what := widget.NewLabel(k.what)
		what.Wrapping = fyne.TextWrapWord
		rows.Add(widget.NewLabelWithStyle(k.keysText(), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true}))
		rows.Add(what)
	}
	body := container.NewVBox(rows, lowNote("The File and Edit menus show the same keys beside their items."))
	d := dialog.NewCustom("Keyboard shortcuts", "Close", body, sh.state.win)
	d.Resize(fyne.NewSize(min(600, sh.state.win.Canvas().Size().Width-40), 0))
	d.Show()
}

// onAbout names Rebill, its version and the database open.
func (sh *shell) onAbout() {
	m := sh.state.app.Metadata()
	name := m.Name
	if name == "" {
		name = "Rebill"
	}
	version := "version " + m.Version
	if m.Build > 0 {
		version += " (build " + strconv.Itoa(m.Build) + ")"
	}
	text := widget.NewLabel(name + " " + version + "\n\nTurns cloud providers' billing files into reviewed customer invoices, offline, on this computer.\n\nDatabase: " + sh.state.db.Path())
	text.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("About Rebill", "Close", text, sh.state.win)
	d.Resize(fyne.NewSize(min(520, sh.state.win.Canvas().Size().Width-40), 0))
	d.Show()
}
