package ui

import (
	"sort"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/ingest"
	"rebill/engine/invoice"
	"rebill/store"
	"rebill/ui/view"
)

// invoicesScreen is the invoice preview and list: a month's invoices with
// their status (Past Due in red), total and change against the customer's
// invoice of the month before, and the actions of the distributor's
// platform: Approve all, Approve, View, Delete and Finish. View opens the
// invoice as the customer will see it, in the same screen. What the list
// shows is its view-model's (view.NewInvoices); every action is the
// store's, and a refusal is shown with the store's reason.
type invoicesScreen struct {
	state *appState

	month, status *widget.Select
	badge         *widget.Label // the month's finality and close
	heading       *tipLabel
	intro         *widget.Label
	warning       *widget.Label
	warningBox    *fyne.Container
	changed       *widget.Label
	changedBox    *fyne.Container
	problem       *widget.Label
	summary       *widget.Label
	table         *dataTable
	empty         *widget.Label

	approveAll, approve, viewBtn, del, finish *widget.Button
	hint                                      *widget.Label

	listPage fyne.CanvasObject
	viewer   *invoiceView
	content  *fyne.Container

	// docs are the documents of the month (or all months) chosen, before
	// the status filter; earlier are those of the month before, for the
	// change column; imported is the month as imported, when it is.
	docs     []invoice.Invoice
	earlier  []invoice.Invoice
	balances map[string]billing.Amount // what is owed on docs' Open invoices
	imported *ingest.Month
	// model is what the list shows of them.
	model view.Invoices
	// selected is the id of the invoice the actions apply to.
	selected string
	// preview is the month opened from the Generate dialog, until Finish.
	preview string
	// diffs are the issued invoices whose month now computes otherwise,
	// by id, and unchecked those that could not be computed again.
	diffs     map[string]invoice.Difference
	unchecked []store.Unchecked
	checkSeq  int
	// running counts the background work under way (checks, downloads).
	running sync.WaitGroup
	muted   bool
	// dialog is the last dialog opened, for tests.
	dialog dialog.Dialog
}

// Filter choices besides the months and statuses themselves.
const (
	allMonths   = "All months"
	allStatuses = "All statuses"
)

// showInvoicePreview brings the Invoices screen to the front with the
// month's invoices, in preview mode.
func showInvoicePreview(st *appState, period string) {
	if st.previewInvoices != nil {
		st.previewInvoices(period)
	}
	st.show("Invoices")
}

func newInvoicesScreen(st *appState) *invoicesScreen {
	s := &invoicesScreen{state: st, muted: true, diffs: map[string]invoice.Difference{}}
	s.month = widget.NewSelect(nil, func(string) { s.onFilter() })
	s.badge = newMonthBadge()
	var statuses = []string{allStatuses}
	for _, x := range invoice.Statuses {
		statuses = append(statuses, x.Label())
	}
	s.status = widget.NewSelect(statuses, func(string) { s.onFilter() })
	s.status.SetSelectedIndex(0)

	s.heading = newTipLabel("Invoices")
	s.heading.TextStyle = fyne.TextStyle{Bold: true}
	s.heading.SizeName = theme.SizeNameSubHeadingText
	s.intro = lowNote("")
	s.warning = wrapped(widget.WarningImportance)
	s.warningBox = container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(theme.WarningIcon())), nil, s.warning)
	s.warningBox.Hide()
	s.changed = wrapped(widget.WarningImportance)
	s.changedBox = container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(theme.InfoIcon())), nil, s.changed)
	s.changedBox.Hide()
	s.problem = wrapped(widget.DangerImportance)
	s.problem.Hide()
	s.summary = wrapped(widget.MediumImportance)
	s.empty = wrapped(widget.MediumImportance)
	s.empty.Hide()

	s.table = newDataTable([]column{
		// At 1024 px every column shows: names and notes give up width
		// first, then the other texts down to their min; "Change" is
		// month on month (the hint under the list says so).
		view.ColCustomer: {title: "Customer", min: 90, max: 240, shrink: true},
		view.ColNumber:   {title: "Number", min: 90},
		view.ColPeriod:   {title: "Period", min: 60},
		view.ColProvider: {title: "Provider", min: 50},
		view.ColStatus:   {title: "Status", min: 60},
		view.ColTotal:    {title: "Total", align: fyne.TextAlignTrailing, min: 100},
		view.ColBalance:  {title: "Balance", align: fyne.TextAlignTrailing, min: 80},
		view.ColChange:   {title: "Change", align: fyne.TextAlignTrailing, min: 70, optional: true},
		view.ColPercent:  {title: "%", align: fyne.TextAlignTrailing, min: 50, optional: true},
		view.ColIssued:   {title: "Issued", min: 85},
		view.ColDue:      {title: "Due", min: 85},
		view.ColNote:     {title: "Note", min: 60, shrink: true, optional: true},
	}, s.cell)
	s.table.table.OnSelected = s.onSelected

	s.approveAll = widget.NewButtonWithIcon("Approve all", theme.ConfirmIcon(), s.onApproveAll)
	s.approveAll.Importance = widget.HighImportance
	s.approve = widget.NewButtonWithIcon("Approve", theme.ConfirmIcon(), s.onApprove)
	s.viewBtn = widget.NewButtonWithIcon("View", theme.VisibilityIcon(), s.onView)
	s.del = widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), s.onDelete)
	s.finish = widget.NewButtonWithIcon("Finish", theme.NavigateBackIcon(), s.onFinish)
	s.hint = lowNote("")

	filters := container.NewHBox(boldLabel("Month"), fixedWidth(s.month, 170), s.badge, boldLabel("Status"), fixedWidth(s.status, 150))
	actions := container.NewHBox(s.approveAll, widget.NewSeparator(), s.approve, s.viewBtn, s.del, s.sendAllButton(), layout.NewSpacer(),
		widget.NewButtonWithIcon("Export to ledger…", theme.UploadIcon(), func() { showLedgerExport(st) }), s.finish)
	top := container.NewVBox(container.NewBorder(nil, nil, nil, filters, s.heading), s.intro, s.warningBox, s.changedBox, s.problem, s.summary,
		actions, s.hint)
	s.listPage = container.NewBorder(top, nil, nil, nil, container.NewStack(s.table.view, container.NewVBox(s.empty)))

	s.viewer = newInvoiceView(st, s)
	s.viewer.content.Hide()
	s.content = container.NewStack(s.listPage, s.viewer.content)

	st.previewInvoices = s.openPreview

	s.muted = false
	st.onDataChanged(s.refresh)
	s.refresh()
	return s
}

func (s *invoicesScreen) view() fyne.CanvasObject { return s.content }

// stop waits for the checks and downloads under way, before the database
// closes.
func (s *invoicesScreen) stop() { s.running.Wait() }

// period is the month chosen, "" for every month.
func (s *invoicesScreen) period() string {
	if s.month.Selected == allMonths {
		return ""
	}
	return s.month.Selected
}

// statusFilter is the status chosen, "" for every status.
func (s *invoicesScreen) statusFilter() invoice.Status {
	for _, x := range invoice.Statuses {
		if x.Label() == s.status.Selected {
			return x
		}
	}
	return ""
}

// openPreview shows a month's invoices after generating them.
func (s *invoicesScreen) openPreview(period string) {
	s.preview = period
	s.muted = true
	s.status.SetSelectedIndex(0)
	s.muted = false
	s.closeViewer()
	s.refreshMonths()
	s.month.SetSelected(period) // refreshes
}

// refresh reloads after the data changed, keeping the month, status and
// selection chosen.
func (s *invoicesScreen) refresh() {
	s.refreshMonths()
	s.load()
	if s.viewer.content.Visible() {
		s.viewer.reload()
	}
}

// refreshMonths offers the imported months and those with invoices,
// newest first, keeping the month chosen (the newest until one is).
func (s *invoicesScreen) refreshMonths() {
	seen := map[string]bool{}
	var months []string
	if ms, err := s.state.db.Months(); err == nil {
		for _, m := range ms {
			seen[m.Period] = true
			months = append(months, m.Period)
		}
	}
	if s.preview != "" && !seen[s.preview] {
		months = append(months, s.preview)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(months)))
	opts := append([]string{allMonths}, months...)
	current := s.month.Selected
	s.muted = true
	s.month.SetOptions(opts)
	switch {
	case current != "" && containsString(opts, current):
		s.month.SetSelected(current)
	case len(months) > 0:
		s.month.SetSelected(months[0])
	default:
		s.month.SetSelected(allMonths)
	}
	s.muted = false
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (s *invoicesScreen) onFilter() {
	if s.muted {
		return
	}
	s.load()
}

// load reads the invoices of the month chosen (and of the month before,
// for the change column), shows them and checks the issued ones against
// the data as imported now.
func (s *invoicesScreen) load() {
	now := s.state.now()
	period := s.period()
	setMonthBadge(s.badge, s.state.db, period, "")
	s.problem.Hide()
	var err error
	list, err := s.state.db.InvoiceList(store.InvoiceFilter{Period: period}, now, false)
	s.docs, s.balances = list.Invoices, list.Balances
	s.earlier, s.imported = nil, nil
	if err == nil && period != "" {
		s.earlier, err = s.state.db.Invoices(store.InvoiceFilter{Period: customer.AddMonths(period, -1)}, now)
		if m, ok, merr := s.state.db.MonthOf(period); merr == nil && ok {
			s.imported = &m
		}
	}
	if err != nil {
		s.problem.SetText("Could not read the invoices: " + err.Error())
		s.problem.Show()
	}
	s.show()
	s.checkCorrections(period)
}

// show words what was read (view.NewInvoices) and binds it.
func (s *invoicesScreen) show() {
	s.model = view.NewInvoices(view.InvoicesInput{
		Period: s.period(), Status: s.statusFilter(), Preview: s.preview,
		Docs: s.docs, Earlier: s.earlier, Balances: s.balances, Month: s.imported,
		Diffs: s.diffs, Unchecked: s.unchecked, Now: s.state.now(),
	})
	m := s.model
	s.heading.SetText(m.Heading)
	s.intro.SetText(m.Intro)
	setBanner(s.warning, s.warningBox, m.Warning)
	setBanner(s.changed, s.changedBox, m.Changed)
	s.summary.SetText(m.Summary)
	showWhen(s.summary, m.Summary != "")
	s.empty.SetText(m.Empty)
	showWhen(s.empty, m.Empty != "")
	// The message stands in for the table: drawn over its header, the
	// two would overwrite each other.
	showWhen(s.table.view, m.Empty == "")
	if _, ok := m.Row(s.selected); !ok {
		s.selected = ""
	}
	// One month chosen: the heading names it, the column would repeat it.
	s.table.hidden = map[int]bool{view.ColPeriod: s.period() != ""}
	s.table.setRows(len(m.Rows))
	s.unfocusTable()
	s.showActions()
}

// unfocusTable takes the keyboard focus from the list, whose focus box
// stays on a row number while the rows under it change (a draft deleted,
// a filter): the row in bold and the hint are then the only selection.
func (s *invoicesScreen) unfocusTable() {
	c := fyne.CurrentApp().Driver().CanvasForObject(s.table.table)
	if c != nil && c.Focused() == fyne.Focusable(s.table.table) {
		c.Unfocus()
	}
}

// setBanner shows text in a banner's label, hiding the banner without
// text.
func setBanner(l *widget.Label, box *fyne.Container, text string) {
	l.SetText(text)
	box.Hidden = text == ""
	box.Refresh()
}

func (s *invoicesScreen) cell(row, col int) cell { return cellOf(s.model.Cell(row, col, s.selected)) }

// onSelected makes a row the one the actions apply to.
func (s *invoicesScreen) onSelected(id widget.TableCellID) {
	s.table.table.UnselectAll()
	if id.Row < 0 || id.Row >= len(s.model.Rows) {
		return
	}
	s.selectInvoice(s.model.Rows[id.Row].Invoice.ID)
}

// selectInvoice makes an invoice the one the actions apply to.
func (s *invoicesScreen) selectInvoice(id string) {
	s.selected = id
	s.table.setRows(len(s.model.Rows)) // refits: the selected row is bold
	s.showActions()
}

// selectedRow is the row selected, if any.
func (s *invoicesScreen) selectedRow() (view.InvoiceRow, bool) { return s.model.Row(s.selected) }

// showActions enables what applies to the selection, and says why the
// rest does not.
func (s *invoicesScreen) showActions() {
	a := s.model.Actions(s.selected)
	s.approveAll.SetText(a.ApproveAll)
	enableWhen(s.approveAll, a.AllOn)
	enableWhen(s.approve, a.Approve)
	enableWhen(s.viewBtn, a.View)
	enableWhen(s.del, a.Delete)
	showWhen(s.finish, s.preview != "") // Finish ends a preview, nothing else
	s.hint.SetText(a.Hint)
}

// onFinish ends the preview and goes back to the Reports screen; the
// invoices stay listed here.
func (s *invoicesScreen) onFinish() {
	s.preview = ""
	s.closeViewer()
	s.show()
	s.state.show("Reports")
}

// checkCorrections compares the issued invoices shown with their month
// computed again, in the background; the ones that differ get a note and
// their correction in the invoice view.
func (s *invoicesScreen) checkCorrections(period string) {
	s.checkSeq++
	seq := s.checkSeq
	if !invoice.Issued(s.docs) {
		if len(s.diffs) > 0 || len(s.unchecked) > 0 {
			s.diffs, s.unchecked = map[string]invoice.Difference{}, nil
			s.show()
		}
		return
	}
	s.running.Add(1)
	s.state.run(func() {
		defer s.running.Done()
		rep, err := s.state.db.Corrections(period)
		fyne.Do(func() {
			if seq != s.checkSeq {
				return
			}
			s.diffs, s.unchecked = map[string]invoice.Difference{}, nil
			if err == nil {
				for _, c := range rep.Changed {
					s.diffs[c.Invoice.ID] = c.Difference
				}
				s.unchecked = rep.Unchecked
			}
			s.show()
			if s.viewer.content.Visible() {
				s.viewer.showDifference()
			}
		})
	})
}
