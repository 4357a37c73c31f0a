package ui

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/store"
	"rebill/ui/view"
)

// onGenerate opens the Generate dialog for the customers checked in the
// picker and the month the report shows, with the report's options as
// the starting choice.
func (s *reportsScreen) onGenerate() {
	period := s.byLabel[s.month.Selected]
	ids := s.picker.checkedIDs()
	if period == "" || len(ids) == 0 {
		return
	}
	var names []string
	for _, id := range ids {
		names = append(names, s.picker.byID[id].Name)
	}
	opt := s.options()
	opt.Basis = "" // invoices use each customer's own cost basis
	g := newGenerateDialog(s.state, period, ids, names, opt)
	g.running = &s.running // the window waits for it before closing the database
	if s.basis.SelectedIndex() > 0 {
		g.note.SetText("The report shows the " + s.basis.Selected + " basis; invoices use each customer's own cost basis.")
		g.note.Show()
	}
	s.generator = g
	g.show()
}

// generateDialog generates the month's draft invoices of the checked
// customers: the four options of the distributor's platform, a warning
// when the month is not final, a progress bar while the statements are
// computed, then what happened to each customer and the way to the
// preview.
type generateDialog struct {
	state  *appState
	period string
	// badge is the month's finality and close beside it.
	badge *widget.Label
	ids   []string

	credits, tax, market, marketCredits *widget.Check
	warning                             *widget.Label
	warningBox                          *fyne.Container
	note                                *widget.Label
	progress                            *widget.ProgressBar
	status                              *widget.Label
	outcome                             *widget.Label
	results                             *dataTable
	resultsBox                          *fyne.Container
	options                             *fyne.Container
	// setup holds the options and their explanation, hidden once the
	// drafts are generated to leave the room to the outcome.
	setup *fyne.Container

	generate, cancel, preview, done *widget.Button
	dlg                             *dialog.CustomDialog

	// running, when set, counts the generation under way.
	running *sync.WaitGroup

	report *store.GenerateReport
	rows   []view.Row
	// shown is the number of customers done, for the progress text.
	shown, total int

	// confirm is the accountant's confirmation that a provisional month
	// may be drafted; nil for a final month.
	confirm *widget.Check
}

func newGenerateDialog(st *appState, period string, ids, names []string, opt billing.Options) *generateDialog {
	g := &generateDialog{state: st, period: period, ids: ids, total: len(ids)}
	g.credits = widget.NewCheck("Apply credits", func(bool) { g.onOptionsChanged() })
	g.tax = widget.NewCheck("Include tax", nil)
	g.market = widget.NewCheck("Include marketplace fees", func(bool) { g.onOptionsChanged() })
	g.marketCredits = widget.NewCheck("Use credits for marketplace fees", nil)
	g.credits.Checked, g.tax.Checked, g.market.Checked = opt.Credits, opt.Tax, opt.Marketplace
	g.marketCredits.Checked = opt.MarketplaceCredits
	g.onOptionsChanged()

	hint := func(text string) *widget.Label {
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.LowImportance
		return l
	}
	g.options = container.NewVBox(
		container.NewBorder(nil, nil, g.credits, nil, hint("the customer's reseller credits reduce the invoice")),
		container.NewBorder(nil, nil, g.tax, nil, hint("the customer's tax rates, or the provider's tax")),
		container.NewBorder(nil, nil, g.market, nil, hint("AWS Marketplace charges, passed through")),
		container.NewBorder(nil, nil, g.marketCredits, nil, hint("needs Apply credits and Include marketplace fees")),
	)

	bold := func(text string) *widget.Label {
		return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	month := widget.NewLabel(period)
	who := widget.NewLabel(view.Checked(names))
	who.Wrapping = fyne.TextWrapWord
	// The invoices cover every provider of the month, so the badge is
	// the month's as a whole.
	g.badge = newMonthBadge()
	setMonthBadge(g.badge, st.db, period, "")
	facts := container.New(&formLayout{}, bold("Month"), container.NewHBox(month, g.badge), bold("Customers"), who)

	g.warning = widget.NewLabel("")
	g.warning.Wrapping = fyne.TextWrapWord
	g.warning.Importance = widget.WarningImportance
	g.warningBox = container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(theme.WarningIcon())), nil, g.warning)
	g.warningBox.Hide()
	if text := provisionalWarning(st.db, period); text != "" {
		g.warning.SetText(text)
		g.confirm = widget.NewCheck("Generate from this provisional data anyway", g.onConfirm)
		g.warningBox.Add(container.NewVBox(g.warning, g.confirm))
		g.warningBox.Remove(g.warning)
		g.warningBox.Show()
	}
	g.note = hint("")
	g.note.Hide()
	explain := widget.NewLabel("Each checked customer gets a Draft invoice, never visible to the customer until you approve it. " +
		"A customer's existing draft for the month is replaced; an invoice already approved is left alone.")
	explain.Wrapping = fyne.TextWrapWord
	explain.Importance = widget.LowImportance

	g.progress = widget.NewProgressBar()
	g.progress.TextFormatter = func() string { return fmt.Sprintf("%d of %s", g.shown, plural(g.total, "customer", "customers")) }
	g.progress.Hide()
	g.status = widget.NewLabel("")
	g.status.Hide()
	g.outcome = widget.NewLabel("")
	g.outcome.Wrapping = fyne.TextWrapWord
	g.outcome.TextStyle = fyne.TextStyle{Bold: true}
	g.results = newDataTable([]column{
		{title: "Customer", min: 150, max: 230},
		{title: "Outcome", min: 130},
		{title: "Total", align: fyne.TextAlignTrailing, min: 100},
		{title: "Details", min: 120, shrink: true},
	}, g.resultCell)
	g.results.table.OnSelected = func(widget.TableCellID) { g.results.table.UnselectAll() }
	g.resultsBox = container.NewBorder(g.outcome, nil, nil, nil, g.results.view)
	g.resultsBox.Hide()

	g.setup = container.NewVBox(bold("Options"), g.options, g.note, explain)
	top := container.NewVBox(facts, g.warningBox, widget.NewSeparator(), g.setup, g.status, g.progress)
	body := container.NewBorder(top, nil, nil, nil, g.resultsBox)

	g.generate = widget.NewButtonWithIcon("Generate drafts", theme.DocumentCreateIcon(), g.onGenerate)
	g.generate.Importance = widget.HighImportance
	if g.confirm != nil {
		g.generate.Disable() // until the accountant confirms
	}
	g.cancel = widget.NewButton("Cancel", func() { g.dlg.Hide() })
	g.done = widget.NewButton("Close", func() { g.dlg.Hide() })
	g.done.Hide()
	g.preview = widget.NewButtonWithIcon("Preview invoices", theme.NavigateNextIcon(), g.onPreview)
	g.preview.Importance = widget.HighImportance
	g.preview.Hide()

	g.dlg = dialog.NewCustomWithoutButtons("Generate invoices for "+period, body, st.win)
	g.dlg.SetButtons([]fyne.CanvasObject{g.cancel, g.done, g.generate, g.preview})
	return g
}

func (g *generateDialog) show() {
	sz := g.state.win.Canvas().Size()
	g.dlg.Resize(fyne.NewSize(min(max(sz.Width*0.7, 760), 980), max(sz.Height*0.85, 600)))
	g.dlg.Show()
}

// onConfirm lets Generate run on a provisional month once the
// accountant has confirmed it, as the command line's --allow-provisional.
func (g *generateDialog) onConfirm(on bool) {
	if on {
		g.generate.Enable()
	} else {
		g.generate.Disable()
	}
}

// provisionalWarning reads whether a month is final and words the
// warning for one some provider has not closed yet (view.ProvisionalWarning);
// "" for a final month, or one not imported.
func provisionalWarning(db *store.DB, period string) string {
	m, ok, err := db.MonthOf(period)
	if err != nil || !ok {
		return ""
	}
	return view.ProvisionalWarning(m)
}

// onOptionsChanged offers credits for Marketplace only where the
// engine's rule gives it a meaning (billing.Options.MarketplaceCreditsOffered).
func (g *generateDialog) onOptionsChanged() {
	if g.marketCredits == nil {
		return
	}
	if g.chosen().MarketplaceCreditsOffered() {
		g.marketCredits.Enable()
		return
	}
	g.marketCredits.SetChecked(false)
	g.marketCredits.Disable()
}

// chosen are the options as the engine takes them.
func (g *generateDialog) chosen() billing.Options {
	return billing.Options{Credits: g.credits.Checked, Tax: g.tax.Checked, Marketplace: g.market.Checked,
		MarketplaceCredits: g.marketCredits.Checked}
}

// onGenerate generates the drafts in the background (a task), moving the
// progress bar as each customer's statement is computed; Cancel stops it
// and nothing is written.
func (g *generateDialog) onGenerate() {
	req := store.GenerateRequest{Period: g.period, Selection: customer.Selection{Customers: g.ids},
		Options: g.chosen(), Now: g.state.now()}
	for _, c := range []*widget.Check{g.credits, g.tax, g.market, g.marketCredits, g.confirm} {
		if c != nil {
			c.Disable()
		}
	}
	g.generate.Disable()
	g.shown = 0
	g.progress.SetValue(0)
	g.progress.Show()
	g.status.SetText("Reading " + g.period + "…")
	g.status.Show()
	var rep store.GenerateReport
	t := newTask(func(done, total int, _ string) {
		g.shown, g.total = done, total
		g.progress.SetValue(float64(done) / float64(max(total, 1)))
		g.status.SetText("Computing the statements…")
	}, func(_ string, err error) { g.finish(rep, err) })
	g.cancel.OnTapped = func() {
		t.cancel()
		g.cancel.Disable()
		g.status.SetText("Cancelling…")
	}
	t.start(g.state, g.running, func(ctx context.Context, progress progressFunc) (string, error) {
		req.Context = ctx
		req.Progress = func(done, total int) { progress(done, total, "") }
		var err error
		rep, err = g.state.db.GenerateInvoices(req)
		return "", err
	})
}

// finish shows what generating did for each customer.
func (g *generateDialog) finish(rep store.GenerateReport, err error) {
	// Showing and hiding parts does not lay the dialog out again: its
	// buttons would sit on one another and the results keep no room.
	defer g.dlg.Refresh()
	g.progress.Hide()
	g.cancel.Hide()
	g.generate.Hide()
	g.done.Show()
	g.setup.Hide()
	if errors.Is(err, context.Canceled) {
		g.status.SetText(cancelledText)
		return
	}
	if err != nil {
		g.status.SetText("No invoice was generated: " + sentence(err.Error()))
		g.status.Importance = widget.DangerImportance
		g.status.Wrapping = fyne.TextWrapWord
		g.status.Refresh()
		return
	}
	g.status.Hide()
	g.report = &rep
	g.rows = g.rows[:0]
	for _, r := range rep.Results {
		g.rows = append(g.rows, view.Outcome(r, g.state.now()))
	}
	g.results.setRows(len(g.rows))
	g.outcome.SetText(view.Outcomes(rep) + " Options: " + view.OptionsText(g.chosen()) + ".")
	g.resultsBox.Show()
	if rep.Count(store.Created)+rep.Count(store.Replaced)+rep.Count(store.Issued) > 0 {
		g.preview.Show()
	}
	g.state.dataChanged()
}

func (g *generateDialog) resultCell(row, col int) cell {
	if row >= len(g.rows) {
		return cell{}
	}
	return cellOf(g.rows[row].Cells[col])
}

// onPreview opens the month's invoices for review and approval.
func (g *generateDialog) onPreview() {
	g.dlg.Hide()
	showInvoicePreview(g.state, g.period)
}
