package ui

import (
	"slices"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/billing"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
	"rebill/store"
	"rebill/ui/view"
)

// reportsScreen shows a month's statements as they would be invoiced,
// without creating an invoice: one customer's statement with its usage
// view and console variance, or a group's totals. The engine computes
// everything, in the background; the screen only lays out what it gives.
type reportsScreen struct {
	state *appState

	month         *widget.Select
	provider      *widget.Select // the cloud program whose statements are shown
	badge         *widget.Label  // the month's finality and close
	basis         *widget.Select
	credits       *widget.Check
	tax           *widget.Check
	market        *widget.Check
	marketCredits *widget.Check
	picker        *reportPicker

	heading    *tipLabel
	subheading *widget.Label
	warning    *widget.Label
	progress   *widget.ProgressBarInfinite
	status     *widget.Label
	problem    *widget.Label
	enterRate  *widget.Button
	problemBox *fyne.Container
	empty      *widget.Label
	emptyBox   *fyne.Container
	emptyGo    *widget.Button

	tabs      *container.AppTabs
	statement *dataTable
	usage     *dataTable
	console   *dataTable
	totals    *totalsBar
	usageNote *widget.Label
	consNote  *widget.Label
	summary   *dataTable
	sumNote   *widget.Label
	body      *fyne.Container
	content   fyne.CanvasObject

	months  []reportMonth
	byLabel map[string]string
	// providers are each month's providers, in billing.BilledProviders'
	// order: a customer has one statement per provider.
	providers map[string][]lineitem.Provider
	// seq numbers the computations; only the latest one is shown.
	seq int
	// cache is the month last read, reused while the database is
	// unchanged (store.BillingMonth.Version), so picking another customer
	// does not read the month again.
	cacheMu sync.Mutex
	cache   *store.BillingMonth
	// running counts the computations under way, for stop.
	running sync.WaitGroup
	// muted is set while the screen sets its own controls, so their
	// change handlers do not start a computation each.
	muted bool
	// monthChosen is set once the accountant picks a month; until then the
	// newest month is shown, also after an import adds a newer one.
	monthChosen bool

	shown *reportResult
	// stmt is the statement shown, as its view-model lays it out
	// (view.NewStatement); summaryRows are a group's customers.
	stmt        view.Statement
	summaryRows []view.Row
	// rateErr is the missing exchange rate the problem box offers to
	// enter.
	rateErr *billing.RateError
	// dialog is the last trace or rate dialog opened, for tests.
	dialog dialog.Dialog
	// generator is the last Generate invoices dialog opened.
	generator *generateDialog
}

// reportMonth is one month of the month picker.
type reportMonth struct {
	period string
	final  bool
	rows   int64
}

// statementMinHeight is the room a statement (or the customers' summary)
// keeps below its notes: its tabs, hint and totals, and about seven lines.
const statementMinHeight = 420

func (m reportMonth) label() string { return view.MonthLabel(m.period, m.final) }

func newReportsScreen(st *appState) *reportsScreen {
	// Muted until built: setting the controls' first values computes nothing.
	s := &reportsScreen{state: st, byLabel: map[string]string{}, muted: true}
	s.month = widget.NewSelect(nil, func(string) { s.onMonthChanged() })
	s.month.PlaceHolder = "(no month imported)"
	s.provider = widget.NewSelect(nil, func(string) { s.onOptionsChanged() })
	s.badge = newMonthBadge()
	s.provider.PlaceHolder = "(no provider)"
	var bases []string
	for _, b := range view.Bases {
		bases = append(bases, b.Label)
	}
	s.basis = widget.NewSelect(bases, func(string) { s.onOptionsChanged() })
	s.basis.SetSelectedIndex(0)
	s.credits = widget.NewCheck("Apply reseller credits", func(bool) { s.onCreditsChanged() })
	s.tax = widget.NewCheck("Add tax", func(bool) { s.onOptionsChanged() })
	s.market = widget.NewCheck("Include Marketplace", func(bool) { s.onCreditsChanged() })
	s.marketCredits = widget.NewCheck("Credits may pay Marketplace", func(bool) { s.onOptionsChanged() })
	s.marketCredits.Disable()
	s.picker = newReportPicker()
	s.picker.onPicked = func(reportPick) { s.compute() }
	s.picker.onGenerate = s.onGenerate

	s.heading = newTipLabel("")
	s.heading.TextStyle = fyne.TextStyle{Bold: true}
	s.subheading = widget.NewLabel("")
	s.subheading.Wrapping = fyne.TextWrapWord
	s.subheading.Importance = widget.LowImportance
	s.warning = widget.NewLabel("")
	s.warning.Wrapping = fyne.TextWrapWord
	s.warning.Importance = widget.WarningImportance
	s.warning.Hide()
	s.progress = widget.NewProgressBarInfinite()
	s.progress.Stop()
	s.progress.Hide()
	s.status = widget.NewLabel("")
	s.status.Hide()
	s.problem = widget.NewLabel("")
	s.problem.Wrapping = fyne.TextWrapWord
	s.problem.Importance = widget.DangerImportance
	s.enterRate = widget.NewButtonWithIcon("Enter the rate…", theme.DocumentCreateIcon(), s.onEnterRate)
	s.enterRate.Importance = widget.HighImportance
	s.problemBox = container.NewVBox(s.problem, container.NewHBox(s.enterRate))
	s.problemBox.Hide()

	s.empty = widget.NewLabel("")
	s.empty.Wrapping = fyne.TextWrapWord
	s.emptyGo = widget.NewButton("", nil)
	s.emptyGo.Importance = widget.HighImportance
	s.emptyBox = container.NewVBox(s.empty, container.NewHBox(s.emptyGo))
	s.emptyBox.Hide()

	s.statement = newDataTable([]column{
		{title: "Service", min: 140, shrink: true},
		{title: "Description", min: 120, shrink: true},
		{title: "Amount", align: fyne.TextAlignTrailing, min: 110},
		{title: "Full precision", align: fyne.TextAlignTrailing, min: 130},
	}, func(row, col int) cell { return cellOf(s.stmt.Rows[row].Cells[col]) })
	s.statement.table.OnSelected = s.onStatementSelected
	s.usage = newDataTable([]column{
		{title: "Product type"},
		{title: "Service", min: 160},
		{title: "Usage view", align: fyne.TextAlignTrailing, min: 110},
		{title: "Bill", align: fyne.TextAlignTrailing, min: 110},
		{title: "Difference", align: fyne.TextAlignTrailing},
	}, func(row, col int) cell { return cellOf(s.stmt.Usage[row].Cells[col]) })
	s.usage.table.OnSelected = func(widget.TableCellID) { s.usage.table.UnselectAll() }
	s.console = newDataTable([]column{
		// The tab's hint says these are the console's figures: short
		// titles leave the Cause its width at 1024 px.
		{title: "Service", min: 100, shrink: true},
		{title: "Unblended", align: fyne.TextAlignTrailing},
		{title: "Blended", align: fyne.TextAlignTrailing},
		{title: "Statement", align: fyne.TextAlignTrailing, min: 90},
		{title: "Difference", align: fyne.TextAlignTrailing},
		{title: "Cause", min: 90},
	}, func(row, col int) cell { return cellOf(s.stmt.Console[row].Cells[col]) })
	s.console.table.OnSelected = func(widget.TableCellID) { s.console.table.UnselectAll() }
	s.summary = newDataTable([]column{
		// A name keeps 150 px before the headers wider than their
		// figures give up theirs: the name says whose row it is, and a
		// cut header shows whole in its tip.
		{title: "Customer", min: 150, max: 250, shrink: true},
		{title: "Subtotal", align: fyne.TextAlignTrailing, min: 100},
		{title: "Discount / uplift", align: fyne.TextAlignTrailing},
		// Blank, so left out, while their option is off (view.SummaryRow).
		{title: "Credits", align: fyne.TextAlignTrailing, optional: true},
		{title: "Tax", align: fyne.TextAlignTrailing, optional: true},
		{title: "Total", align: fyne.TextAlignTrailing, min: 110},
		{title: "Invoice", optional: true},
		{title: "Note", min: 60, shrink: true, optional: true},
	}, func(row, col int) cell { return cellOf(s.summaryRows[row].Cells[col]) })
	s.summary.table.OnSelected = s.onSummarySelected

	hint := func(text string) *widget.Label {
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.LowImportance
		return l
	}
	s.usageNote = hint("")
	s.consNote = hint("")
	s.sumNote = hint("Open a customer's row to see its statement. Totals are per customer, each in its own invoice currency.")
	stmtHint := hint("Select a line to see where its amount comes from. The printed figures add up to the total.")
	s.totals = newTotalsBar()
	s.tabs = container.NewAppTabs(
		container.NewTabItem("Statement", container.NewBorder(stmtHint, s.totals.view, nil, nil, s.statement.view)),
		container.NewTabItem("Usage view", container.NewBorder(hint("The usage report rounds every line item to the cent, then adds them up; the bill adds at full precision and rounds each service line once. Many line items below a cent make the two differ."), s.usageNote, nil, nil, s.usage.view)),
		container.NewTabItem("Console variance", container.NewBorder(hint("What the AWS console shows for the customer's accounts, against the statement, and why they differ."), s.consNote, nil, nil, s.console.view)),
	)
	sumView := container.NewBorder(nil, s.sumNote, nil, nil, s.summary.view)
	s.body = container.NewStack(s.tabs, sumView)

	// The choices wrap onto more rows in a narrow window instead of
	// widening it; each label stays beside its choice, the month's finality
	// and close badge beside the provider it is for.
	controls := container.NewVBox(
		newFlow(
			container.NewHBox(boldLabel("Month"), fixedWidth(s.month, 210)),
			container.NewHBox(boldLabel("Provider"), fixedWidth(s.provider, 170), s.badge),
			container.NewHBox(boldLabel("Cost basis"), fixedWidth(s.basis, 250))),
		newFlow(boldLabel("Include"), s.credits, s.tax, s.market, s.marketCredits),
	)
	top := container.NewVBox(controls, widget.NewSeparator(), s.heading, s.subheading, s.warning,
		container.NewBorder(nil, nil, s.status, nil, s.progress), s.problemBox, s.emptyBox)
	// The notes above a statement grow with what there is to say (the
	// options, an issued invoice, provisional data); in a short window
	// they took all but a line of the statement's table. The pane now
	// scrolls, and the statement keeps room for its lines.
	right := container.NewVScroll(container.NewBorder(top, nil, nil, nil, container.New(&atLeastHeight{h: statementMinHeight}, s.body)))
	split := container.NewHSplit(s.picker.view, right)
	split.Offset = 0.28
	s.content = split

	s.muted = false
	st.onDataChanged(s.refresh)
	s.refresh()
	return s
}

func (s *reportsScreen) view() fyne.CanvasObject { return s.content }

// refresh reloads the months and customers after the data changed, keeping
// the accountant's choices where they still exist, and recomputes.
func (s *reportsScreen) refresh() {
	months, err := s.state.db.Months()
	if err != nil {
		s.showProblem("Could not read the imported months: "+err.Error(), nil)
		return
	}
	cs, err := s.state.db.Customers()
	if err != nil {
		s.showProblem("Could not read the customers: "+err.Error(), nil)
		return
	}
	periods, err := s.state.db.Periods()
	if err != nil {
		s.showProblem("Could not read the imported months: "+err.Error(), nil)
		return
	}
	s.providers = view.MonthProviders(periods)
	s.months = s.months[:0]
	for _, m := range months { // newest first
		s.months = append(s.months, reportMonth{period: m.Period, final: m.Final, rows: m.Rows})
	}
	current := s.byLabel[s.month.Selected]
	s.byLabel = map[string]string{}
	var labels []string
	selected := ""
	for _, m := range s.months {
		labels = append(labels, m.label())
		s.byLabel[m.label()] = m.period
		if m.period == current && s.monthChosen {
			selected = m.label()
		}
	}
	if selected == "" && len(labels) > 0 {
		selected = labels[0]
	}
	s.muted = true
	s.month.SetOptions(labels)
	s.month.SetSelected(selected)
	if selected == "" {
		s.month.ClearSelected()
	}
	s.setProviders()
	s.picker.onPicked = nil
	s.picker.setCustomers(cs)
	s.picker.onPicked = func(reportPick) { s.compute() }
	s.muted = false
	s.compute()
}

// onCreditsChanged offers "credits may pay Marketplace" only where the
// engine's rule gives it a meaning: credits applied and Marketplace
// included.
func (s *reportsScreen) onCreditsChanged() {
	if s.options().MarketplaceCreditsOffered() {
		s.marketCredits.Enable()
	} else {
		s.muted = true
		s.marketCredits.SetChecked(false)
		s.muted = false
		s.marketCredits.Disable()
	}
	s.onOptionsChanged()
}

// onMonthChanged remembers that the accountant chose the month, so that
// new data arriving does not move the screen to another one.
func (s *reportsScreen) onMonthChanged() {
	if !s.muted {
		s.monthChosen = true
	}
	muted := s.muted
	s.muted = true
	s.setProviders()
	s.muted = muted
	s.onOptionsChanged()
}

// setProviders offers the providers of the month shown, keeping the one
// chosen when the month has it, else its first.
func (s *reportsScreen) setProviders() {
	var labels []string
	for _, p := range s.providers[s.byLabel[s.month.Selected]] {
		labels = append(labels, view.ProviderName(p))
	}
	keep := s.provider.Selected
	s.provider.SetOptions(labels)
	switch {
	case len(labels) == 0:
		s.provider.ClearSelected()
	case slices.Contains(labels, keep):
		s.provider.SetSelected(keep)
	default:
		s.provider.SetSelected(labels[0])
	}
}

func (s *reportsScreen) onOptionsChanged() {
	if !s.muted {
		s.compute()
	}
}

// options are the accountant's choices as the engine takes them.
func (s *reportsScreen) options() billing.Options {
	opt := billing.Options{Credits: s.credits.Checked, Tax: s.tax.Checked, Marketplace: s.market.Checked,
		MarketplaceCredits: s.marketCredits.Checked}
	for _, p := range billing.BilledProviders {
		if view.ProviderName(p) == s.provider.Selected {
			opt.Provider = p
		}
	}
	for _, b := range view.Bases {
		if b.Label == s.basis.Selected {
			opt.Basis = b.Basis
		}
	}
	return opt
}

// reportResult is one computation: the month read and a statement (or the
// reason there is none) per customer picked.
type reportResult struct {
	period     string
	pick       reportPick
	month      *store.BillingMonth
	statements []*billing.Statement // nil where errs holds the reason
	// invoiced is each statement's issued invoice, nil while its month
	// is not invoiced (store.Report).
	invoiced []*invoice.Reported
	errs     []error
	err      error // the month could not be read
}

// compute reads the month (or reuses it) and computes the statements of
// the customers picked, in the background; the latest computation is
// shown when it ends.
func (s *reportsScreen) compute() {
	period := s.byLabel[s.month.Selected]
	setMonthBadge(s.badge, s.state.db, period, string(s.options().Provider))
	pick := s.picker.pick()
	if !s.showEmptyState(period, pick) {
		return
	}
	opt := s.options()
	s.seq++
	seq := s.seq
	rows := int64(0)
	for _, m := range s.months {
		if m.period == period {
			rows = m.rows
		}
	}
	s.status.SetText(view.Computing(period, rows))
	s.status.Show()
	s.progress.Show()
	s.progress.Start()
	s.running.Add(1)
	s.state.run(func() {
		defer s.running.Done()
		res := &reportResult{period: period, pick: pick}
		res.month, res.err = s.billingMonth(period)
		if res.err == nil {
			for _, id := range pick.ids {
				r, err := res.month.Report(id, opt)
				res.statements = append(res.statements, r.Statement)
				res.invoiced = append(res.invoiced, r.Invoiced)
				res.errs = append(res.errs, err)
			}
		}
		fyne.Do(func() {
			if seq != s.seq {
				return // a newer computation is under way
			}
			s.progress.Stop()
			s.progress.Hide()
			s.status.Hide()
			s.show(res)
		})
	})
}

// stop waits for the computations under way, before the database closes.
func (s *reportsScreen) stop() { s.running.Wait() }

// billingMonth returns the month from the cache while the database is
// unchanged, else reads it.
func (s *reportsScreen) billingMonth(period string) (*store.BillingMonth, error) {
	s.cacheMu.Lock()
	defer s.cacheMu.Unlock()
	if c := s.cache; c != nil && c.Period == period {
		if v, err := s.state.db.Version(); err == nil && v == c.Version {
			return c, nil
		}
	}
	bm, err := s.state.db.BillingMonth(period)
	if err != nil {
		return nil, err
	}
	s.cache = bm
	return bm, nil
}
