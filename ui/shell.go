package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// screen is one page of the navigation.
type screen interface {
	view() fyne.CanvasObject
}

// dropTarget is a screen that takes files dropped on the window.
type dropTarget interface {
	onDropped(uris []fyne.URI)
}

// stopper is a screen with background work to stop when the window closes.
type stopper interface {
	stop()
}

// screenDef names a screen in the navigation and builds it.
type screenDef struct {
	title string
	icon  func() fyne.Resource
	build func(*appState) screen
}

// screenDefs is the navigation, top to bottom: adding a screen is one line.
func screenDefs() []screenDef {
	return []screenDef{
		{"Import", theme.UploadIcon, func(s *appState) screen { return newImportScreen(s) }},
		{"Periods", theme.CalendarIcon, func(s *appState) screen { return newPeriodsScreen(s) }},
		{"Customers", theme.AccountIcon, func(s *appState) screen { return newCustomersScreen(s) }},
		{"Reports", theme.DocumentIcon, func(s *appState) screen { return newReportsScreen(s) }},
		{"Invoices", theme.FileTextIcon, func(s *appState) screen { return newInvoicesScreen(s) }},
		{"Reconciliation", theme.ListIcon, func(s *appState) screen { return newReconcileScreen(s) }},
		{"Receivables", theme.HistoryIcon, func(s *appState) screen { return newReceivablesScreen(s) }},
		{"Settings", theme.SettingsIcon, func(s *appState) screen { return newSettingsScreen(s) }},
	}
}

// shell is the window's frame: the navigation on the left, the screen in
// the middle and a footer naming the database.
type shell struct {
	state   *appState
	nav     *navBar
	screens map[string]screen
	items   map[string]*container.TabItem
	footer  *widget.Label
	content fyne.CanvasObject
	// drop is the screen that takes files dropped on the window.
	drop string

	// menu is the main menu bar (menu.go); screenItems and themeItems are
	// its View items, ticked as the screen and the look change.
	menu        *fyne.MainMenu
	screenItems map[string]*fyne.MenuItem
	themeItems  map[string]*fyne.MenuItem
	// welcome is the first-run page while it is open (welcome.go).
	welcome *welcomeScreen
}

func newShell(st *appState) *shell {
	sh := &shell{state: st, screens: map[string]screen{}, items: map[string]*container.TabItem{}}
	sh.nav = newNavBar()
	var drop string
	for _, d := range screenDefs() {
		sc := d.build(st)
		item := container.NewTabItemWithIcon(d.title, d.icon(), sc.view())
		sh.screens[d.title], sh.items[d.title] = sc, item
		sh.nav.Append(item)
		if _, ok := sc.(dropTarget); ok && drop == "" {
			drop = d.title
		}
	}
	st.show = sh.show

	sh.footer = widget.NewLabel("")
	sh.footer.Truncation = fyne.TextTruncateEllipsis
	sh.footer.Importance = widget.LowImportance
	st.onDataChanged(sh.refreshFooter)
	st.api.onChange(sh.refreshFooter)
	sh.refreshFooter()

	if drop != "" {
		sh.drop = drop
		st.win.SetOnDropped(sh.onDropped)
	}
	bottom := container.NewVBox(widget.NewSeparator(), sh.footer)
	sh.content = container.NewBorder(nil, bottom, nil, nil, sh.nav.view)
	sh.installNav()
	return sh
}

// show brings the screen with this title to the front.
func (sh *shell) show(title string) {
	if item := sh.items[title]; item != nil {
		sh.nav.Select(item)
	}
}

// onDropped hands files dropped anywhere on the window to the screen that
// takes them, and shows it.
func (sh *shell) onDropped(_ fyne.Position, uris []fyne.URI) {
	sh.show(sh.drop)
	sh.screens[sh.drop].(dropTarget).onDropped(uris)
}

// refreshFooter names the database and what it holds, and says where
// the billing API listens, warning when other computers can reach it.
func (sh *shell) refreshFooter() {
	text := "Database: " + sh.state.db.Path()
	if periods, err := sh.state.db.Periods(); err == nil {
		text += fmt.Sprintf("  ·  %s imported", plural(len(periods), "billing period", "billing periods"))
	}
	st := sh.state.api.status()
	if st.Short != "" {
		text += "  ·  " + st.Short
	}
	sh.footer.Importance = widget.LowImportance
	if st.Exposed || st.Failed {
		sh.footer.Importance = widget.WarningImportance
	}
	sh.footer.SetText(text)
}

// stop ends background work before the database closes.
func (sh *shell) stop() {
	for _, sc := range sh.screens {
		if s, ok := sc.(stopper); ok {
			s.stop()
		}
	}
}

// layoutSpacer pushes the following items of a box to its end.
func layoutSpacer() fyne.CanvasObject { return layout.NewSpacer() }
