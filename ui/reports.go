package ui

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/store"
)

// reportsScreen shows a month's statements as they would be invoiced,
// without creating an invoice: one customer's statement with its usage
// view and console variance, or a group's totals. The engine computes
// everything, in the background; the screen only lays out what it gives.
type reportsScreen struct {
	state *appState

	month         *widget.Select
	basis         *widget.Select
	credits       *widget.Check
	tax           *widget.Check
	market        *widget.Check
	marketCredits *widget.Check
	picker        *reportPicker

	heading    *widget.Label
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

	shown       *reportResult
	stmtRows    []stmtRow
	usageRows   []usageRow
	consoleRows []consoleRow
	summaryRows []summaryRow
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

func (m reportMonth) label() string { return m.period + "  ·  " + finality(m.final) }

// Basis choices, the customer's own first.
var reportBases = []struct {
	label string
	basis customer.CostBasis
}{
	{"Each customer's own basis", ""},
	{"Re-rated", customer.BasisRerated},
	{"Unblended", customer.BasisUnblended},
	{"Public on-demand", customer.BasisPublic},
	{"Blended (comparison only)", customer.BasisBlended},
}

// basisLabel says what a statement's basis means, for the trace.
func basisLabel(b customer.CostBasis) string {
	switch b {
	case customer.BasisRerated:
		return "re-rated (reservations and Savings Plans stay with the customer that bought them)"
	case customer.BasisUnblended:
		return "unblended (as the payer was billed)"
	case customer.BasisPublic:
		return "public on-demand prices"
	case customer.BasisBlended:
		return "blended, for comparison only"
	}
	return string(b)
}

// basisName names a basis briefly, for headings and column titles.
func basisName(b customer.CostBasis) string {
	switch b {
	case customer.BasisRerated:
		return "re-rated"
	case customer.BasisPublic:
		return "public on-demand"
	case customer.BasisBlended:
		return "blended (comparison only)"
	}
	return string(b)
}

func newReportsScreen(st *appState) *reportsScreen {
	// Muted until built: setting the controls' first values computes nothing.
	s := &reportsScreen{state: st, byLabel: map[string]string{}, muted: true}
	s.month = widget.NewSelect(nil, func(string) { s.onMonthChanged() })
	s.month.PlaceHolder = "(no month imported)"
	var bases []string
	for _, b := range reportBases {
		bases = append(bases, b.label)
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

	s.heading = widget.NewLabel("")
	s.heading.TextStyle = fyne.TextStyle{Bold: true}
	s.heading.Truncation = fyne.TextTruncateEllipsis
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
		{title: "Service", min: 220},
		{title: "Description", min: 120, shrink: true},
		{title: "Amount", align: fyne.TextAlignTrailing, min: 110},
		{title: "Full precision", align: fyne.TextAlignTrailing, min: 130},
	}, s.statementCell)
	s.statement.table.OnSelected = s.onStatementSelected
	s.usage = newDataTable([]column{
		{title: "Product type"},
		{title: "Service", min: 160},
		{title: "Usage view", align: fyne.TextAlignTrailing, min: 110},
		{title: "Bill", align: fyne.TextAlignTrailing, min: 110},
		{title: "Difference", align: fyne.TextAlignTrailing},
	}, s.usageCell)
	s.usage.table.OnSelected = func(widget.TableCellID) { s.usage.table.UnselectAll() }
	s.console = newDataTable([]column{
		{title: "Service", min: 160},
		{title: "Console unblended", align: fyne.TextAlignTrailing},
		{title: "Console blended", align: fyne.TextAlignTrailing},
		{title: "Statement", align: fyne.TextAlignTrailing, min: 100},
		{title: "Difference", align: fyne.TextAlignTrailing},
		{title: "Cause", min: 120, shrink: true},
	}, s.consoleCell)
	s.console.table.OnSelected = func(widget.TableCellID) { s.console.table.UnselectAll() }
	s.summary = newDataTable([]column{
		{title: "Customer", min: 150, max: 250},
		{title: "Subtotal", align: fyne.TextAlignTrailing, min: 100},
		{title: "Discount", align: fyne.TextAlignTrailing},
		{title: "Credits", align: fyne.TextAlignTrailing},
		{title: "Tax", align: fyne.TextAlignTrailing},
		{title: "Total", align: fyne.TextAlignTrailing, min: 110},
		{title: "Note", min: 150, shrink: true},
	}, s.summaryCell)
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

	label := func(text string) *widget.Label {
		return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	wide := func(sel *widget.Select, w float32) fyne.CanvasObject {
		return container.New(layout.NewGridWrapLayout(fyne.NewSize(w, sel.MinSize().Height)), sel)
	}
	controls := container.NewVBox(
		container.NewHBox(label("Month"), wide(s.month, 210), label("Cost basis"), wide(s.basis, 250)),
		container.NewHBox(label("Include"), s.credits, s.tax, s.market, s.marketCredits),
	)
	top := container.NewVBox(controls, widget.NewSeparator(), s.heading, s.subheading, s.warning,
		container.NewBorder(nil, nil, s.status, nil, s.progress), s.problemBox, s.emptyBox)
	right := container.NewBorder(top, nil, nil, nil, s.body)
	split := container.NewHSplit(s.picker.view, right)
	split.Offset = 0.23
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
	s.onOptionsChanged()
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
	for _, b := range reportBases {
		if b.label == s.basis.Selected {
			opt.Basis = b.basis
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
	errs       []error
	err        error // the month could not be read
}

// compute reads the month (or reuses it) and computes the statements of
// the customers picked, in the background; the latest computation is
// shown when it ends.
func (s *reportsScreen) compute() {
	period := s.byLabel[s.month.Selected]
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
	s.status.SetText("Computing " + period + " (" + plural(int(rows), "line item", "line items") + ")…")
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
				st, err := res.month.Statement(id, opt)
				res.statements = append(res.statements, st)
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

// showEmptyState explains why there is nothing to compute, and reports
// whether there is something.
func (s *reportsScreen) showEmptyState(period string, pick reportPick) bool {
	switch {
	case period == "":
		s.showEmpty("No billing data yet. Import your provider's billing files (or the sample data) on the Import screen; each month's statements then appear here.", "Go to Import", "Import")
	case len(pick.ids) == 0 && len(s.picker.customers) == 0:
		s.showEmpty("No customers yet. Add your customers and map their cloud accounts to them on the Customers screen; their statements then appear here.", "Go to Customers", "Customers")
	case len(pick.ids) == 0:
		s.showEmpty("This group has no customers.", "", "")
	default:
		s.emptyBox.Hide()
		return true
	}
	s.seq++ // whatever is under way is no longer wanted
	s.shown = nil
	s.heading.SetText("Reports")
	s.subheading.SetText("")
	s.warning.Hide()
	s.problemBox.Hide()
	s.body.Hide()
	s.progress.Stop()
	s.progress.Hide()
	s.status.Hide()
	return false
}

func (s *reportsScreen) showEmpty(text, button, screen string) {
	s.empty.SetText(text)
	s.emptyGo.SetText(button)
	s.emptyGo.OnTapped = func() { s.state.show(screen) }
	if button == "" {
		s.emptyGo.Hide()
	} else {
		s.emptyGo.Show()
	}
	s.emptyBox.Show()
}

// show lays out a computation's result.
func (s *reportsScreen) show(res *reportResult) {
	s.shown = res
	s.problemBox.Hide()
	s.rateErr = nil
	monthText := res.period + " · " + finality(res.month != nil && res.month.Final())
	if res.err != nil {
		s.heading.SetText(res.pick.label + " — " + res.period)
		s.subheading.SetText("")
		s.warning.Hide()
		s.body.Hide()
		s.showProblem("Could not read "+res.period+": "+res.err.Error(), nil)
		return
	}
	s.subheading.Show()
	s.showWarnings(res)
	if id, ok := res.pick.single(); ok {
		st, err := res.statements[0], res.errs[0]
		c, _ := res.month.Customer(id)
		s.heading.SetText(c.Name + " (" + c.ID + ") — " + monthText)
		if err != nil {
			s.subheading.SetText("")
			s.body.Hide()
			var re *billing.RateError
			text := "No statement: " + err.Error()
			if errors.As(err, &re) {
				text = fmt.Sprintf("No statement yet: %s is invoiced in %s and its charges are in %s, so it needs the %s → %s exchange rate for %s.",
					c.Name, re.To, re.From, re.From, re.To, re.Period)
				if re.Err != nil && re.Err.Error() != billing.ErrNoRate.Error() {
					text += " (" + re.Err.Error() + ")"
				}
			}
			s.showProblem(text, re)
			return
		}
		s.subheading.SetText(statementSubheading(st))
		s.fillStatement(st)
		s.body.Show()
		s.body.Objects[0].Show()
		s.body.Objects[1].Hide()
		return
	}
	s.heading.SetText(res.pick.label + " — " + monthText)
	s.subheading.SetText(plural(len(res.pick.ids), "customer", "customers") + " · " + optionsText(s.options()))
	s.fillSummary(res)
	s.body.Show()
	s.body.Objects[0].Hide()
	s.body.Objects[1].Show()
}

// showWarnings says when the month is provisional and, over several
// customers, when accounts with charges belong to no customer.
func (s *reportsScreen) showWarnings(res *reportResult) {
	var parts []string
	if !res.month.Final() {
		parts = append(parts, "Provisional data: the provider has not closed "+res.period+" yet and may re-deliver it, so these figures may still change.")
	}
	if _, single := res.pick.single(); !single {
		if un := res.month.Month.Unassigned(); len(un) > 0 {
			var accts []string
			for _, a := range un {
				accts = append(accts, a.Account+" ("+amount(a.Currency, a.Unblended, 2)+")")
			}
			verb, them := "belong to no customer and are", "them"
			if len(un) == 1 {
				verb, them = "belongs to no customer and is", "it"
			}
			parts = append(parts, fmt.Sprintf("%s with charges this month %s on no statement: %s. Map %s on the Customers screen.",
				plural(len(un), "account", "accounts"), verb, strings.Join(accts, ", "), them))
		}
	}
	if len(parts) == 0 {
		s.warning.Hide()
		return
	}
	s.warning.SetText(strings.Join(parts, " "))
	s.warning.Show()
}

// statementSubheading names the currency, basis, rounding and options.
func statementSubheading(st *billing.Statement) string {
	parts := []string{"In " + st.Currency, basisName(st.Basis) + " basis", string(st.Options.Rounding) + " rounding", optionsText(st.Options)}
	for _, r := range st.Rates {
		parts = append(parts, fmt.Sprintf("1 %s = %s %s (%s)", r.From, r.Rate, r.To, r.Source))
	}
	return strings.Join(parts, " · ")
}

// optionsText lists the options chosen.
func optionsText(o billing.Options) string {
	var on []string
	if o.Credits {
		on = append(on, "reseller credits")
	}
	if o.Tax {
		on = append(on, "tax")
	}
	if o.Marketplace {
		on = append(on, "Marketplace")
	}
	if o.MarketplaceCredits {
		on = append(on, "credits for Marketplace")
	}
	if len(on) == 0 {
		return "without credits, tax or Marketplace"
	}
	return "with " + strings.Join(on, ", ")
}

// showProblem shows why there is no statement; with a missing rate it
// offers to enter it.
func (s *reportsScreen) showProblem(text string, re *billing.RateError) {
	s.problem.SetText(text)
	s.rateErr = re
	s.subheading.Hidden = s.subheading.Text == ""
	if re != nil {
		s.enterRate.SetText(fmt.Sprintf("Enter the %s → %s rate for %s…", re.From, re.To, re.Period))
		s.enterRate.Show()
	} else {
		s.enterRate.Hide()
	}
	s.problemBox.Show()
}

// onSummarySelected opens the statement of a group summary's customer.
func (s *reportsScreen) onSummarySelected(id widget.TableCellID) {
	s.summary.table.UnselectAll()
	if id.Row < 0 || id.Row >= len(s.summaryRows) {
		return
	}
	s.picker.selectCustomer(s.summaryRows[id.Row].id)
}

// onStatementSelected opens the trace of a service line.
func (s *reportsScreen) onStatementSelected(id widget.TableCellID) {
	s.statement.table.UnselectAll()
	if id.Row < 0 || id.Row >= len(s.stmtRows) || s.shown == nil {
		return
	}
	r := s.stmtRows[id.Row]
	if r.line == nil || r.line.Trace == nil {
		return
	}
	st := s.shown.statements[0]
	s.dialog = newTraceDialog(s.state.win, st, r.section, *r.line)
	s.dialog.Show()
}

// onEnterRate asks for the missing exchange rate and its source, saves it
// and computes again.
func (s *reportsScreen) onEnterRate() {
	re := s.rateErr
	if re == nil {
		return
	}
	rate := widget.NewEntry()
	rate.SetPlaceHolder("e.g. 0.8812")
	source := widget.NewEntry()
	source.SetPlaceHolder("e.g. ECB reference rate " + re.Period + "-30")
	items := []*widget.FormItem{
		widget.NewFormItem("1 "+re.From+" =", container.NewBorder(nil, nil, nil, widget.NewLabel(re.To), rate)),
		widget.NewFormItem("Source", source),
	}
	items[0].HintText = "The rate for " + re.Period + ", used for every statement of that month"
	items[1].HintText = "Printed on invoices with the rate"
	d := dialog.NewForm("Exchange rate "+re.From+" → "+re.To+", "+re.Period, "Save", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		v, err := parseRate(rate.Text)
		if err == nil {
			_, err = s.state.db.PutRate(billing.EnteredRate{From: re.From, To: re.To, Period: re.Period, Rate: v, Source: source.Text}, s.state.now())
		}
		if err != nil {
			s.dialog = dialog.NewError(err, s.state.win)
			s.dialog.Show()
			return
		}
		s.compute()
	}, s.state.win)
	d.Resize(fyne.NewSize(520, 260))
	s.dialog = d
	d.Show()
}
