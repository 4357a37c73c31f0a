package ui

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/invoice"
	"rebill/store"
)

// invoicesScreen is the invoice preview and list: a month's invoices with
// their status (Past Due in red), total and change against the customer's
// invoice of the month before, and the actions of the distributor's
// platform: Approve all, Approve, View, Delete and Finish. View opens the
// invoice as the customer will see it, in the same screen. Every action
// is the store's; a refusal is shown with the store's reason.
type invoicesScreen struct {
	state *appState

	month, status *widget.Select
	heading       *widget.Label
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

	list    fyne.CanvasObject
	viewer  *invoiceView
	content *fyne.Container

	// shown are the invoices of the month (or all months) chosen, before
	// the status filter; earlier are those of the month before, for the
	// change column.
	shown   []invoice.Invoice
	earlier []invoice.Invoice
	rows    []invoiceRow
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

// bigChange is the month-on-month change, in percent, shown in orange so
// the accountant looks twice before approving.
var bigChange = decimal.NewFromInt(25)

// showInvoicePreview brings the Invoices screen to the front with the
// month's invoices, in preview mode.
func showInvoicePreview(st *appState, period string) {
	if st.previewInvoices != nil {
		st.previewInvoices(period)
	}
	st.show("Invoices")
}

// invoiceRow is one line of the table.
type invoiceRow struct {
	inv    invoice.Invoice
	status invoice.Status
	cols   []cell
}

func newInvoicesScreen(st *appState) *invoicesScreen {
	s := &invoicesScreen{state: st, muted: true, diffs: map[string]invoice.Difference{}}
	s.month = widget.NewSelect(nil, func(string) { s.onFilter() })
	var statuses = []string{allStatuses}
	for _, x := range invoice.Statuses {
		statuses = append(statuses, x.Label())
	}
	s.status = widget.NewSelect(statuses, func(string) { s.onFilter() })
	s.status.SetSelectedIndex(0)

	s.heading = widget.NewLabel("Invoices")
	s.heading.TextStyle = fyne.TextStyle{Bold: true}
	s.heading.SizeName = theme.SizeNameSubHeadingText
	s.intro = widget.NewLabel("")
	s.intro.Wrapping = fyne.TextWrapWord
	s.intro.Importance = widget.LowImportance
	s.warning = widget.NewLabel("")
	s.warning.Wrapping = fyne.TextWrapWord
	s.warning.Importance = widget.WarningImportance
	s.warningBox = container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(theme.WarningIcon())), nil, s.warning)
	s.warningBox.Hide()
	s.changed = widget.NewLabel("")
	s.changed.Wrapping = fyne.TextWrapWord
	s.changed.Importance = widget.WarningImportance
	s.changedBox = container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(theme.InfoIcon())), nil, s.changed)
	s.changedBox.Hide()
	s.problem = widget.NewLabel("")
	s.problem.Wrapping = fyne.TextWrapWord
	s.problem.Importance = widget.DangerImportance
	s.problem.Hide()
	s.summary = widget.NewLabel("")
	s.summary.Wrapping = fyne.TextWrapWord
	s.empty = widget.NewLabel("")
	s.empty.Wrapping = fyne.TextWrapWord
	s.empty.Hide()

	s.table = newDataTable([]column{
		{title: "Customer", min: 150, max: 240},
		{title: "Number", min: 90},
		{title: "Period", min: 70},
		{title: "Status", min: 80},
		{title: "Total", align: fyne.TextAlignTrailing, min: 110},
		{title: "vs last month", align: fyne.TextAlignTrailing, min: 100},
		{title: "%", align: fyne.TextAlignTrailing, min: 60},
		{title: "Issued", min: 90},
		{title: "Due", min: 90},
		{title: "Note", min: 120, shrink: true},
	}, s.cell)
	s.table.table.OnSelected = s.onSelected

	s.approveAll = widget.NewButtonWithIcon("Approve all", theme.ConfirmIcon(), s.onApproveAll)
	s.approveAll.Importance = widget.HighImportance
	s.approve = widget.NewButtonWithIcon("Approve", theme.ConfirmIcon(), s.onApprove)
	s.viewBtn = widget.NewButtonWithIcon("View", theme.VisibilityIcon(), s.onView)
	s.del = widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), s.onDelete)
	s.finish = widget.NewButtonWithIcon("Finish", theme.NavigateBackIcon(), s.onFinish)
	s.hint = widget.NewLabel("")
	s.hint.Wrapping = fyne.TextWrapWord
	s.hint.Importance = widget.LowImportance

	label := func(text string) *widget.Label {
		return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	wide := func(sel *widget.Select, w float32) fyne.CanvasObject {
		return container.New(layout.NewGridWrapLayout(fyne.NewSize(w, sel.MinSize().Height)), sel)
	}
	filters := container.NewHBox(label("Month"), wide(s.month, 170), label("Status"), wide(s.status, 150))
	actions := container.NewHBox(s.approveAll, widget.NewSeparator(), s.approve, s.viewBtn, s.del, layout.NewSpacer(), s.finish)
	top := container.NewVBox(container.NewBorder(nil, nil, s.heading, filters), s.intro, s.warningBox, s.changedBox, s.problem, s.summary,
		actions, s.hint)
	s.list = container.NewBorder(top, nil, nil, nil, container.NewStack(s.table.view, container.NewVBox(s.empty)))

	s.viewer = newInvoiceView(st, s)
	s.viewer.content.Hide()
	s.content = container.NewStack(s.list, s.viewer.content)

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
// for the change column), shows those of the status chosen and checks
// the issued ones against the data as imported now.
func (s *invoicesScreen) load() {
	now := s.state.now()
	period := s.period()
	s.problem.Hide()
	var err error
	s.shown, err = s.state.db.Invoices(store.InvoiceFilter{Period: period}, now)
	s.earlier = nil
	if err == nil && period != "" {
		s.earlier, err = s.state.db.Invoices(store.InvoiceFilter{Period: customer.AddMonths(period, -1)}, now)
	}
	if err != nil {
		s.problem.SetText("Could not read the invoices: " + err.Error())
		s.problem.Show()
	}
	s.showHeading(period)
	s.fill()
	s.checkCorrections(period)
}

// showHeading titles the list (a preview after generating, or the
// invoices of a month) and warns when the month is provisional.
func (s *invoicesScreen) showHeading(period string) {
	switch {
	case s.preview != "" && s.preview == period:
		s.heading.SetText("Preview: invoices of " + period)
		s.intro.SetText("Drafts are never visible to customers. Review them (View shows one as the customer will see it), " +
			"then approve them: each takes the next invoice number and can no longer be edited or deleted. Finish when you are done.")
	case period == "":
		s.heading.SetText("Invoices of every month")
		s.intro.SetText("Choose a month to approve its drafts together.")
	default:
		s.heading.SetText("Invoices of " + period)
		s.intro.SetText("Generate a month's drafts on the Reports screen: check the customers, then Generate invoices.")
	}
	w := ""
	if period != "" && s.countStatus(invoice.Draft) > 0 {
		w = provisionalWarning(s.state.db, period)
	}
	s.warning.SetText(w)
	s.warningBox.Hidden = w == ""
	s.warningBox.Refresh()
}

// countStatus counts the invoices shown (before the status filter) with
// an effective status.
func (s *invoicesScreen) countStatus(st invoice.Status) int {
	n := 0
	now := s.state.now()
	for _, inv := range s.shown {
		if inv.Is(st, now) {
			n++
		}
	}
	return n
}

// fill builds the rows of the status chosen and the actions' state.
func (s *invoicesScreen) fill() {
	now := s.state.now()
	want := s.statusFilter()
	s.rows = s.rows[:0]
	found := false
	for _, inv := range s.shown {
		if want != "" && !inv.Is(want, now) {
			continue
		}
		r := invoiceRow{inv: inv, status: inv.Effective(now)}
		r.cols = s.rowCells(inv, r.status)
		s.rows = append(s.rows, r)
		found = found || inv.ID == s.selected
	}
	if !found {
		s.selected = ""
	}
	s.table.setRows(len(s.rows))
	s.showSummary()
	s.showEmpty(want)
	s.showActions()
}

// showEmpty explains an empty list.
func (s *invoicesScreen) showEmpty(want invoice.Status) {
	if len(s.rows) > 0 {
		s.empty.Hide()
		return
	}
	switch {
	case len(s.shown) > 0:
		s.empty.SetText("No " + want.Label() + " invoice here. Choose All statuses to see the others.")
	case s.period() == "":
		s.empty.SetText("No invoices yet. On the Reports screen, check the customers to invoice and choose Generate invoices.")
	default:
		s.empty.SetText("No invoices for " + s.period() + " yet. On the Reports screen, choose " + s.period() +
			", check the customers to invoice and choose Generate invoices.")
	}
	s.empty.Show()
}

// showSummary counts the invoices by status, with the drafts' totals.
func (s *invoicesScreen) showSummary() {
	if len(s.shown) == 0 {
		s.summary.Hide()
		return
	}
	var parts []string
	now := s.state.now()
	var notes []invoice.Invoice
	for _, inv := range s.shown {
		if inv.Kind == invoice.KindCreditNote && inv.Status != invoice.Void {
			notes = append(notes, inv)
		}
	}
	for _, st := range invoice.Statuses {
		n := 0
		for _, inv := range s.shown {
			if inv.Kind == invoice.KindInvoice && inv.Is(st, now) {
				n++
			}
		}
		if n == 0 {
			continue
		}
		part := statusCount(st, n)
		if st == invoice.Draft {
			part += " totalling " + totalsText(s.drafts())
		}
		parts = append(parts, part)
	}
	if len(notes) > 0 {
		parts = append(parts, plural(len(notes), "credit note", "credit notes")+" totalling "+totalsText(notes))
	}
	s.summary.SetText(strings.Join(parts, "  ·  "))
	s.summary.Show()
}

// statusCount writes "3 drafts", "1 past due".
func statusCount(st invoice.Status, n int) string {
	if st == invoice.Draft {
		return plural(n, "draft", "drafts")
	}
	return count(int64(n)) + " " + strings.ToLower(st.Label())
}

// drafts are the draft invoices shown, in any status filter.
func (s *invoicesScreen) drafts() []invoice.Invoice {
	var out []invoice.Invoice
	for _, inv := range s.shown {
		if inv.Status == invoice.Draft {
			out = append(out, inv)
		}
	}
	return out
}

// totalsText adds invoices' totals per currency: "USD 1,234.56 + EUR 80.00".
func totalsText(invs []invoice.Invoice) string {
	var parts []string
	for _, sum := range invoice.TotalsByCurrency(invs) {
		parts = append(parts, amountText(sum))
	}
	return strings.Join(parts, " + ")
}

// rowCells is one invoice's line of the table.
func (s *invoicesScreen) rowCells(inv invoice.Invoice, st invoice.Status) []cell {
	num := inv.Number
	if num == "" {
		num = "Draft"
	}
	change, pct := s.change(inv)
	cols := []cell{
		{text: inv.Customer.Name},
		{text: num},
		{text: inv.Period},
		{text: st.Label(), importance: statusImportance(st), bold: st == invoice.PastDue},
		{text: amountText(inv.Total)},
		change, pct,
		{text: inv.IssueDate.String()},
		{text: inv.DueDate.String()},
		{text: s.note(inv, st)},
	}
	if st == invoice.PastDue {
		cols[8].importance = widget.DangerImportance
	}
	if _, ok := s.diffs[inv.ID]; ok {
		cols[9].importance = widget.WarningImportance
	}
	return cols
}

// statusImportance colours a status wherever it appears: Past Due in
// red, settled in green, what needs nothing in grey.
func statusImportance(st invoice.Status) widget.Importance {
	switch st {
	case invoice.PastDue:
		return widget.DangerImportance
	case invoice.Closed:
		return widget.SuccessImportance
	case invoice.Draft:
		return widget.WarningImportance
	case invoice.Void:
		return widget.LowImportance
	}
	return widget.MediumImportance
}

// amountText writes a printed figure with its currency: "USD 1,234.56".
func amountText(a billing.Amount) string {
	return strings.TrimSpace(a.Currency() + " " + groupDigits(a.String()))
}

// previous is the customer's invoice of the month before: the one
// approved when there is one, else its draft; never a void one.
func (s *invoicesScreen) previous(inv invoice.Invoice) (invoice.Invoice, bool) {
	var found invoice.Invoice
	ok := false
	for _, p := range s.earlier {
		if p.CustomerID != inv.CustomerID || p.Kind != invoice.KindInvoice || p.Status == invoice.Void {
			continue
		}
		if !ok || found.Status == invoice.Draft || p.Status != invoice.Draft {
			found, ok = p, true
		}
	}
	return found, ok
}

// change is the invoice's total against the customer's invoice of the
// month before, as an amount and a percentage; big changes in orange.
func (s *invoicesScreen) change(inv invoice.Invoice) (cell, cell) {
	if inv.Kind != invoice.KindInvoice || s.period() == "" {
		return cell{}, cell{}
	}
	prev, ok := s.previous(inv)
	if !ok {
		return cell{text: "new", importance: widget.LowImportance}, cell{}
	}
	ch, ok := invoice.ChangeFrom(prev, inv)
	if !ok {
		return cell{text: "was in " + prev.Currency, importance: widget.LowImportance}, cell{}
	}
	text := groupDigits(ch.By.String())
	if ch.By.Decimal().IsPositive() {
		text = "+" + text
	}
	if !ch.HasPercent {
		return cell{text: text}, cell{}
	}
	p := ch.Percent
	pct := p.StringFixed(1) + "%"
	if p.IsPositive() {
		pct = "+" + pct
	}
	imp := widget.MediumImportance
	if p.Abs().GreaterThanOrEqual(bigChange) {
		imp = widget.WarningImportance
	}
	return cell{text: text, importance: imp}, cell{text: pct, importance: imp}
}

// note says what the accountant should know about an invoice in a few
// words.
func (s *invoicesScreen) note(inv invoice.Invoice, st invoice.Status) string {
	if d, ok := s.diffs[inv.ID]; ok {
		by := groupDigits(d.Total.By.String())
		if d.Total.By.Decimal().IsPositive() {
			by = "+" + by
		}
		return "Data changed since issue: " + by
	}
	var credited []string
	for _, d := range inv.CreditNotes(s.shown) {
		credited = append(credited, d.Number)
	}
	switch {
	case inv.Kind == invoice.KindCreditNote:
		return "Credit note for " + inv.CorrectsNumber + ": " + inv.Reason
	case len(credited) > 0 && !inv.CreditedInFull(s.shown):
		return "Partly credited by " + strings.Join(credited, ", ")
	case len(credited) > 0:
		return "Credited in full by " + strings.Join(credited, ", ")
	case st == invoice.Void:
		return "Void: " + inv.VoidReason
	case st == invoice.Closed:
		t := "Paid " + inv.PaidDate.String()
		if inv.PaymentRef != "" {
			t += " (" + inv.PaymentRef + ")"
		}
		return t
	case len(inv.Notes) > 0:
		return strings.Join(inv.Notes, " ")
	case len(inv.Warnings) > 0:
		return strings.Join(inv.Warnings, " ")
	}
	return ""
}

func (s *invoicesScreen) cell(row, col int) cell {
	if row >= len(s.rows) {
		return cell{}
	}
	c := s.rows[row].cols[col]
	if s.rows[row].inv.ID == s.selected {
		c.bold = true
		if c.importance == widget.MediumImportance {
			c.importance = widget.HighImportance
		}
	}
	return c
}

// onSelected makes a row the one the actions apply to.
func (s *invoicesScreen) onSelected(id widget.TableCellID) {
	s.table.table.UnselectAll()
	if id.Row < 0 || id.Row >= len(s.rows) {
		return
	}
	s.selectInvoice(s.rows[id.Row].inv.ID)
}

// selectInvoice makes an invoice the one the actions apply to.
func (s *invoicesScreen) selectInvoice(id string) {
	s.selected = id
	s.table.setRows(len(s.rows)) // refits: the selected row is bold
	s.showActions()
}

// selectedRow is the row selected, if any.
func (s *invoicesScreen) selectedRow() (invoiceRow, bool) {
	for _, r := range s.rows {
		if r.inv.ID == s.selected {
			return r, true
		}
	}
	return invoiceRow{}, false
}

// showActions enables what applies to the selection, and says why the
// rest does not.
func (s *invoicesScreen) showActions() {
	period := s.period()
	drafts := s.drafts()
	switch {
	case period == "":
		s.approveAll.SetText("Approve all")
		s.approveAll.Disable()
	case len(drafts) == 0:
		s.approveAll.SetText("Approve all")
		s.approveAll.Disable()
	default:
		s.approveAll.SetText(fmt.Sprintf("Approve all %d drafts", len(drafts)))
		if len(drafts) == 1 {
			s.approveAll.SetText("Approve the draft")
		}
		s.approveAll.Enable()
	}
	r, ok := s.selectedRow()
	if !ok {
		s.approve.Disable()
		s.viewBtn.Disable()
		s.del.Disable()
		switch {
		case period == "" && len(s.rows) > 0:
			s.hint.SetText("Select an invoice to approve, view or delete it. Choose a month to approve all its drafts at once.")
		case len(s.rows) > 0:
			s.hint.SetText("Select an invoice to approve, view or delete it.")
		default:
			s.hint.SetText("")
		}
		return
	}
	s.viewBtn.Enable()
	var why []string
	if err := r.inv.Can(invoice.ActionApprove); err != nil {
		s.approve.Disable()
	} else {
		s.approve.Enable()
	}
	if err := r.inv.Can(invoice.ActionDelete); err != nil {
		s.del.Disable()
		why = append(why, "Delete is for drafts only: "+err.Error()+".")
	} else {
		s.del.Enable()
	}
	text := "Selected: " + describe(r.inv, r.status) + "."
	if len(why) > 0 {
		text += " " + strings.Join(why, " ")
	}
	s.hint.SetText(text)
}

// describe names an invoice for the accountant: "the draft of Acme Retail
// Ltd for 2026-10, USD 399.55", "NCP-2026-00001 of Acme Retail Ltd, Past
// Due, USD 399.55".
func describe(inv invoice.Invoice, st invoice.Status) string {
	if inv.Number == "" {
		return "the draft of " + inv.Customer.Name + " for " + inv.Period + ", " + amountText(inv.Total)
	}
	return inv.Number + " of " + inv.Customer.Name + ", " + st.Label() + ", " + amountText(inv.Total)
}

// onApproveAll approves every draft of the month, after a confirmation
// that says how many and for how much.
func (s *invoicesScreen) onApproveAll() {
	period := s.period()
	drafts := s.drafts()
	if period == "" || len(drafts) == 0 {
		return
	}
	msg := fmt.Sprintf("Approve the %s of %s, totalling %s?\n\n", plural(len(drafts), "draft", "drafts"), period, totalsText(drafts))
	if len(drafts) == 1 {
		msg = fmt.Sprintf("Approve the draft of %s for %s, %s?\n\n", drafts[0].Customer.Name, period, amountText(drafts[0].Total))
	}
	msg += s.numberingText(len(drafts))
	s.confirmWarning("Approve all drafts of "+period, msg, provisionalWarning(s.state.db, period), "Approve "+plural(len(drafts), "draft", "drafts"), func() {
		as, err := s.state.db.ApproveDrafts(period, s.state.now())
		s.approved(as, err)
	})
}

// numberingText says what approving n drafts does: numbers, dates and
// that they can no longer change.
func (s *invoicesScreen) numberingText(n int) string {
	now := s.state.now()
	next := ""
	if series, err := s.state.db.InvoiceNumbering(); err == nil {
		if first, last, err := series.Peek(n, invoice.DateOf(now)); err == nil {
			next = " (" + first + ")"
			if n > 1 {
				next = " (" + first + " to " + last + ")"
			}
		}
	}
	each := "Each takes the next invoice number"
	if n == 1 {
		each = "It takes the next invoice number"
	}
	return each + next + ", today's issue date " + invoice.DateOf(now).String() +
		" and a due date after the customer's payment terms. Approved invoices cannot be edited or deleted; " +
		"they can be voided or credited."
}

// onApprove approves the selected draft.
func (s *invoicesScreen) onApprove() {
	r, ok := s.selectedRow()
	if !ok {
		return
	}
	s.approveOne(r.inv)
}

// approveOne approves one draft after a confirmation.
func (s *invoicesScreen) approveOne(inv invoice.Invoice) {
	if err := inv.Can(invoice.ActionApprove); err != nil {
		s.showError("Not approved", err)
		return
	}
	msg := fmt.Sprintf("Approve the draft invoice of %s for %s, %s?\n\n", inv.Customer.Name, inv.Period, amountText(inv.Total)) + s.numberingText(1)
	s.confirm("Approve invoice", msg, "Approve", func() {
		as, err := s.state.db.ApproveInvoices([]string{inv.ID}, s.state.now())
		s.approved(as, err)
	})
}

// approved reports the approvals: the numbers issued and each refusal
// with its reason.
func (s *invoicesScreen) approved(as []store.Approval, err error) {
	if err != nil {
		s.showError("Not approved", err)
		return
	}
	var nums, refused []string
	for _, a := range as {
		if a.Invoice != nil {
			nums = append(nums, a.Invoice.Number)
			continue
		}
		refused = append(refused, "• "+sentence(a.Refused))
	}
	var msg string
	switch len(nums) {
	case 0:
		msg = "No invoice was approved."
	case 1:
		msg = "Invoice " + nums[0] + " was approved: it is Open and can be downloaded and sent."
	default:
		msg = fmt.Sprintf("%d invoices were approved, %s to %s: they are Open and can be downloaded and sent.", len(nums), nums[0], nums[len(nums)-1])
	}
	if len(refused) > 0 {
		msg += "\n\nNot approved:\n" + strings.Join(refused, "\n")
	}
	s.state.dataChanged()
	s.notice("Approved", msg)
}

// onView opens the selected invoice.
func (s *invoicesScreen) onView() {
	if r, ok := s.selectedRow(); ok {
		s.openViewer(r.inv.ID)
	}
}

// openViewer shows one invoice as the customer will see it.
func (s *invoicesScreen) openViewer(id string) {
	s.selected = id
	s.viewer.show(id)
	s.list.Hide()
	s.viewer.content.Show()
	s.content.Refresh()
}

// closeViewer goes back to the list.
func (s *invoicesScreen) closeViewer() {
	s.viewer.content.Hide()
	s.list.Show()
	s.content.Refresh()
}

// onDelete deletes the selected draft after a confirmation.
func (s *invoicesScreen) onDelete() {
	r, ok := s.selectedRow()
	if !ok {
		return
	}
	s.deleteDraft(r.inv, nil)
}

// deleteDraft deletes a draft after a confirmation, then runs then.
func (s *invoicesScreen) deleteDraft(inv invoice.Invoice, then func()) {
	if err := inv.Can(invoice.ActionDelete); err != nil {
		s.showError("Not deleted", err)
		return
	}
	msg := fmt.Sprintf("Delete the draft invoice of %s for %s (%s)?\n\nIt was never numbered nor sent, so no number is lost; generating the month again for %s makes a new draft.",
		inv.Customer.Name, inv.Period, amountText(inv.Total), inv.Customer.Name)
	s.confirm("Delete draft", msg, "Delete", func() {
		if _, err := s.state.db.DeleteInvoice(inv.ID, s.state.now()); err != nil {
			s.showError("Not deleted", err)
			return
		}
		s.selected = ""
		s.state.dataChanged()
		if then != nil {
			then()
		}
	})
}

// onFinish ends the preview and goes back to the Reports screen; the
// invoices stay listed here.
func (s *invoicesScreen) onFinish() {
	s.preview = ""
	s.closeViewer()
	s.showHeading(s.period())
	s.state.show("Reports")
}

// checkCorrections compares the issued invoices shown with their month
// computed again, in the background; the ones that differ get a note and
// their correction in the invoice view.
func (s *invoicesScreen) checkCorrections(period string) {
	s.checkSeq++
	seq := s.checkSeq
	issued := false
	for _, inv := range s.shown {
		if inv.Status == invoice.Open || inv.Status == invoice.Closed {
			issued = true
		}
	}
	if !issued {
		s.diffs, s.unchecked = map[string]invoice.Difference{}, nil
		s.showChanged()
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
			s.fill()
			s.showChanged()
			if s.viewer.content.Visible() {
				s.viewer.showDifference()
			}
		})
	})
}

// showChanged says which issued invoices no longer match the data.
func (s *invoicesScreen) showChanged() {
	var parts []string
	if n := len(s.diffs); n > 0 {
		var names []string
		for _, inv := range s.shown {
			if d, ok := s.diffs[inv.ID]; ok {
				by := groupDigits(d.Total.By.String())
				if d.Total.By.Decimal().IsPositive() {
					by = "+" + by
				}
				names = append(names, fmt.Sprintf("%s (%s, %s %s)", inv.Number, inv.Customer.Name, by, d.Currency))
			}
		}
		sort.Strings(names)
		parts = append(parts, fmt.Sprintf("The billing data changed after %s issued: %s. "+
			"The issued invoices stay as they are; open one to see the difference and issue its correction.",
			plural(n, "invoice was", "invoices were"), strings.Join(names, "; ")))
	}
	for _, u := range s.unchecked {
		parts = append(parts, sentence(u.Invoice)+" could not be checked against the data: "+u.Reason+".")
	}
	s.changed.SetText(strings.Join(parts, "\n"))
	s.changedBox.Hidden = len(parts) == 0
	s.changedBox.Refresh()
}

// confirm asks before an action.
func (s *invoicesScreen) confirm(title, msg, ok string, then func()) {
	s.confirmWarning(title, msg, "", ok, then)
}

// confirmWarning asks before an action, with a warning under the question
// when there is one.
func (s *invoicesScreen) confirmWarning(title, msg, warning, ok string, then func()) {
	text := widget.NewLabel(msg)
	text.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(text)
	height := textHeight(msg)
	if warning != "" {
		w := widget.NewLabel(warning)
		w.Wrapping = fyne.TextWrapWord
		w.Importance = widget.WarningImportance
		body.Add(w)
		height += textHeight(warning)
	}
	d := dialog.NewCustomConfirm(title, ok, "Cancel", body, func(yes bool) {
		if yes {
			then()
		}
	}, s.state.win)
	d.Resize(fyne.NewSize(dialogWidth, height+120))
	s.dialog = d
	d.Show()
}

// dialogWidth is the width of the screen's message dialogs.
const dialogWidth = 580

// textHeight is about the height wrapped text takes in a message dialog.
func textHeight(msg string) float32 {
	lines := 0
	avail := float32(dialogWidth - 80)
	for _, p := range strings.Split(msg, "\n") {
		w := fyne.MeasureText(p, theme.TextSize(), fyne.TextStyle{}).Width
		lines += max(1, int(w/avail)+1)
	}
	return float32(lines)*(theme.TextSize()*1.45) + 2*theme.InnerPadding()
}

// notice tells the outcome of an action.
func (s *invoicesScreen) notice(title, msg string) {
	text := widget.NewLabel(msg)
	text.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(title, "OK", text, s.state.win)
	d.Resize(fyne.NewSize(dialogWidth, textHeight(msg)+100))
	s.dialog = d
	d.Show()
}

// showError shows a refusal or a failure with its reason.
func (s *invoicesScreen) showError(title string, err error) {
	msg := sentence(err.Error())
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	s.notice(title, msg)
}
