package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/ui/view"
)

// welcomeScreen is the first-run page: the sample data or the
// accountant's own files, then the account information, the customers
// and the first statement, each step ticked when the database holds it
// (view.Welcome). It is a page of the sidebar, not a dialog: every other
// screen stays a click away. Closing it is remembered for this database;
// Help > Getting started opens it again.
type welcomeScreen struct {
	sh *shell

	item    *container.TabItem
	steps   *fyne.Container
	summary *widget.Label
	status  *widget.Label
	close   *widget.Button
	content fyne.CanvasObject
}

// welcomeTitle is the welcome's name in the sidebar.
const welcomeTitle = "Welcome"

func newWelcomeScreen(sh *shell) *welcomeScreen {
	w := &welcomeScreen{sh: sh}
	heading := widget.NewLabelWithStyle("Welcome to Rebill", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	heading.SizeName = theme.SizeNameSubHeadingText
	intro := widget.NewLabel("Rebill turns your cloud providers' billing files into customer invoices. Four steps lead from here to your first invoices; the sidebar on the left reaches every screen at any time.")
	intro.Wrapping = fyne.TextWrapWord
	w.summary = widget.NewLabel("")
	w.summary.Wrapping = fyne.TextWrapWord
	w.status = widget.NewLabel("")
	w.status.Wrapping = fyne.TextWrapWord
	w.status.Hide()
	w.steps = container.NewVBox()
	w.close = widget.NewButtonWithIcon("Close this page", theme.WindowCloseIcon(), w.onClose)
	body := container.NewVBox(heading, intro, w.summary, w.status, w.steps,
		container.NewHBox(layoutSpacer(), w.close))
	w.content = container.NewVScroll(container.NewPadded(container.New(&centerMaxLayout{max: 760}, body)))
	w.item = container.NewTabItemWithIcon(welcomeTitle, theme.HomeIcon(), w.content)
	sh.state.onDataChanged(w.refresh)
	return w
}

func (w *welcomeScreen) view() fyne.CanvasObject { return w.content }

// progress reads what the steps look at.
func progressOf(st *appState) (view.Progress, error) {
	c, err := st.db.Contents()
	if err != nil {
		return view.Progress{}, err
	}
	p, err := st.db.Profile()
	if err != nil {
		return view.Progress{}, err
	}
	return view.ProgressOf(c, p), nil
}

// refresh ticks the steps done, from the database.
func (w *welcomeScreen) refresh() {
	if w.sh.welcome != w {
		return // closed: a later Getting started builds a new page
	}
	p, err := progressOf(w.sh.state)
	if err != nil {
		w.summary.Importance = widget.DangerImportance
		w.summary.SetText(sentence("Rebill could not read the database: " + err.Error()))
		return
	}
	v := view.Welcome(p)
	w.summary.Importance = widget.MediumImportance
	w.summary.SetText(v.Summary)
	if p.Imports > 0 {
		w.status.Hide()
	}
	w.steps.RemoveAll()
	for i, s := range v.Steps {
		w.steps.Add(w.stepView(i, s, i == v.Current))
	}
}

// stepView shows one step: a done step in one line with its tick and
// button, so that the step to do now stays in view; the others with what
// they are for and what comes next.
func (w *welcomeScreen) stepView(i int, s view.WelcomeStep, current bool) fyne.CanvasObject {
	screen := s.Screen
	var goTo *widget.Button
	if i == 0 {
		goTo = widget.NewButtonWithIcon(s.Button, theme.UploadIcon(), w.sh.onImportFiles)
	} else {
		goTo = widget.NewButtonWithIcon(s.Button, theme.NavigateNextIcon(), func() { w.sh.show(screen) })
	}
	if s.Done {
		icon := widget.NewIcon(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
		head := widget.NewLabelWithStyle(s.Title+"  (done)", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		goTo.Importance = widget.LowImportance
		return container.NewVBox(widget.NewSeparator(), container.NewBorder(nil, nil, icon, goTo, head))
	}
	head := widget.NewLabelWithStyle(s.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	text := widget.NewLabel(s.Text)
	text.Wrapping = fyne.TextWrapWord
	next := lowNote(s.Next)
	var buttons []fyne.CanvasObject
	if i == 0 {
		sample := widget.NewButtonWithIcon("Try with sample data", theme.DownloadIcon(), w.onSample)
		if current {
			sample.Importance = widget.HighImportance
		}
		buttons = append(buttons, sample)
	} else if current {
		goTo.Importance = widget.HighImportance
	}
	buttons = append(buttons, goTo)
	body := container.NewVBox(head, text, container.NewHBox(buttons...), next)
	icon := widget.NewIcon(theme.RadioButtonIcon())
	return container.NewVBox(widget.NewSeparator(), container.NewBorder(nil, nil, container.NewVBox(icon), nil, body))
}

// onSample loads the sample data through the Import screen, whose
// progress bar shows it; the steps tick when it lands.
func (w *welcomeScreen) onSample() {
	w.status.SetText("Loading two months of sample data: the Import screen shows its progress, and the steps here tick when it is in.")
	w.status.Show()
	if s, ok := w.sh.screens["Import"].(*importScreen); ok {
		s.onLoadSample()
	}
}

// onClose closes the page and remembers it for this database.
func (w *welcomeScreen) onClose() {
	w.sh.state.app.Preferences().SetBool(welcomeClosedPref(w.sh.state), true)
	w.sh.hideWelcome()
}

// welcomeClosedPref is the preference that remembers the welcome was
// closed, per database: another, empty database welcomes again.
func welcomeClosedPref(st *appState) string { return "welcome.closed." + st.db.Path() }

// showWelcome opens the welcome as the first page of the sidebar, or
// brings it to the front (Help > Getting started).
func (sh *shell) showWelcome() {
	if sh.welcome == nil {
		sh.welcome = newWelcomeScreen(sh)
		sh.items[welcomeTitle] = sh.welcome.item
		sh.nav.SetItems(append([]*container.TabItem{sh.welcome.item}, sh.nav.Items...))
	}
	sh.welcome.refresh()
	sh.show(welcomeTitle)
	sh.tickMenu()
}

// hideWelcome removes the welcome from the sidebar and shows the Import
// screen.
func (sh *shell) hideWelcome() {
	if sh.welcome == nil {
		return
	}
	sh.nav.Remove(sh.welcome.item)
	delete(sh.items, welcomeTitle)
	sh.welcome = nil
	sh.show("Import")
	sh.tickMenu()
}

// welcomeAtStart opens the welcome on a database with neither customers
// nor imports, unless it was closed for this database; it reports
// whether it did.
func (sh *shell) welcomeAtStart() bool {
	if sh.state.app.Preferences().Bool(welcomeClosedPref(sh.state)) {
		return false
	}
	p, err := progressOf(sh.state)
	if err != nil || !view.FirstRun(p) {
		return false
	}
	sh.showWelcome()
	return true
}
