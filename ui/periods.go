package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/ingest"
	"rebill/store"
	"rebill/ui/appinfo"
	"rebill/ui/view"
)

// periodsScreen lists the imported months per provider and payer, newest
// first, with their totals and whether the provider has closed them.
type periodsScreen struct {
	state *appState

	heading *tipLabel
	table   *dataTable
	empty   fyne.CanvasObject
	detail  *widget.Label
	content fyne.CanvasObject

	// The selected month's delivery history, newest first.
	history      *dataTable
	historyTitle *tipLabel
	restore      *widget.Button
	prune        *widget.Button
	deliveries   []store.Delivery
	chosen       int // the history row selected, -1 for none

	periods []store.Period
	// month closes and reopens the selected provider month and keeps the
	// distributor's invoices (periods_close.go).
	month *monthClose
}

// Columns of the periods table.
const (
	colMonth = iota
	colProvider
	colPayer
	colRows
	colTotal
	colAccounts
	colData
	colStatus // Open or Closed, and late adjustments
	colFile   // last: it gives way first in a narrow window
)

func newPeriodsScreen(st *appState) *periodsScreen {
	s := &periodsScreen{state: st, month: newMonthClose(st)}
	s.table = newDataTable([]column{
		colMonth:    {title: "Month"},
		colProvider: {title: "Provider"},
		colPayer:    {title: "Payer account"},
		colRows:     {title: "Rows", align: fyne.TextAlignTrailing},
		colTotal:    {title: "Unblended total", align: fyne.TextAlignTrailing, min: 140},
		colAccounts: {title: "Accounts", align: fyne.TextAlignTrailing},
		colData:     {title: "Data"},
		colStatus:   {title: "Status"},
		colFile:     {title: "Source file", min: 100, shrink: true},
	}, s.cell)
	s.table.table.OnSelected = s.onSelected

	s.history = newDataTable([]column{
		{title: "Delivery", align: fyne.TextAlignTrailing},
		{title: "State"},
		{title: "Data"},
		{title: "Parts", align: fyne.TextAlignTrailing},
		{title: "Rows", align: fyne.TextAlignTrailing},
		{title: "Unblended total", align: fyne.TextAlignTrailing},
		{title: "Latest usage"},
		{title: "What happened", min: 200, shrink: true},
	}, s.historyCell)
	s.history.table.OnSelected = s.onDeliverySelected
	s.historyTitle = newTipLabel("Select a month to see its deliveries.")
	s.historyTitle.TextStyle = fyne.TextStyle{Bold: true}
	s.restore = widget.NewButton("Make current", s.onRestore)
	s.restore.Disable()
	s.prune = widget.NewButton("Free space…", s.onPrune)
	s.chosen = -1

	msg := widget.NewLabel("No billing data yet. Import your provider's billing files (or the sample data) on the Import screen; each month then appears here with its total.")
	msg.Wrapping = fyne.TextWrapWord
	goImport := widget.NewButton("Go to Import", s.onGoImport)
	goImport.Importance = widget.HighImportance
	s.empty = container.NewVBox(msg, container.NewHBox(goImport))

	s.detail = widget.NewLabel("")
	s.detail.Wrapping = fyne.TextWrapWord

	legend := widget.NewLabel("Provisional months are estimates: AWS re-delivers them until the bill is final, usually a few days after month end. " +
		"Files without invoice numbers (Azure EA and pay-as-you-go exports) never say so: Confirm final… records it once the distributor has billed the month.")
	legend.Wrapping = fyne.TextWrapWord
	legend.Importance = widget.LowImportance

	// The heading is short enough to stay whole beside the month's
	// buttons at 1024 px (the columns say the rest: provider, payer); in
	// a narrower window it gives way to them, whole in its tip.
	s.heading = newTipLabel("Imported months, newest first")
	s.heading.TextStyle = fyne.TextStyle{Bold: true}
	historyBox := container.NewBorder(container.NewBorder(nil, nil, nil, container.NewHBox(s.restore, s.prune), s.historyTitle), nil, nil, nil, s.history.view)
	split := container.NewVSplit(s.table.view, historyBox)
	split.Offset = 0.55
	s.content = container.NewBorder(container.NewVBox(container.NewBorder(nil, nil, nil, s.month.bar, s.heading), s.empty), container.NewVBox(widget.NewSeparator(), s.detail, legend), nil, nil, split)
	st.onDataChanged(s.refresh)
	s.refresh()
	return s
}

func (s *periodsScreen) view() fyne.CanvasObject { return s.content }

const detailHint = "Select a row to see its source files, AWS invoice numbers and delivery history."

// refresh reloads the periods from the store.
func (s *periodsScreen) refresh() {
	periods, err := s.state.db.Periods()
	if err != nil {
		s.detail.SetText("Could not read the imported months: " + err.Error())
		return
	}
	s.periods = periods
	s.month.refresh()
	s.table.table.UnselectAll()
	s.detail.Importance = widget.LowImportance
	s.detail.SetText(detailHint)
	s.showHistory(nil)
	s.table.setRows(len(periods))
	if len(periods) == 0 {
		s.empty.Show()
		s.table.table.Hide()
	} else {
		s.empty.Hide()
		s.table.table.Show()
	}
}

// cell fills the periods table.
func (s *periodsScreen) cell(row, col int) cell {
	p := s.periods[row]
	switch col {
	case colMonth:
		return cell{text: p.Period, bold: true}
	case colProvider:
		return cell{text: providerName(p.Provider)}
	case colPayer:
		return cell{text: view.ShortID(p.Payer)}
	case colRows:
		return cell{text: count(p.Rows)}
	case colTotal:
		return cellOf(view.AmountCell(p.Currency, p.UnblendedCost))
	case colAccounts:
		return cell{text: count(int64(len(p.Accounts)))}
	case colData:
		if p.Final {
			return cell{text: view.DeliveryFinality(true, p.Confirmed), importance: widget.SuccessImportance}
		}
		return cell{text: finality(false), importance: widget.WarningImportance, bold: true}
	case colFile:
		return cell{text: partsText(p.Delivery)}
	case colStatus:
		return s.month.cell(p)
	}
	return cell{}
}

// partsText names a delivery's files: the one file, or the first and
// how many parts.
func partsText(d ingest.Delivery) string {
	switch len(d.Parts) {
	case 0:
		return ""
	case 1:
		return baseName(d.Parts[0].File)
	}
	return baseName(d.Parts[0].File) + " + " + plural(len(d.Parts)-1, "part", "parts")
}

// onSelected shows where a month's data came from and its delivery history.
func (s *periodsScreen) onSelected(id widget.TableCellID) {
	if id.Row < 0 || id.Row >= len(s.periods) {
		return
	}
	p := s.periods[id.Row]
	// The files' own names: where they were read from may be a
	// temporary folder (the sample data) or a long path that says nothing.
	files := make([]string, len(p.Parts))
	for i, part := range p.Parts {
		files[i] = baseName(part.File)
	}
	cloud := providerName(p.Provider)
	text := fmt.Sprintf("%s %s, payer %s: delivery %d, %s rows, total %s exactly, imported from %s.", cloud, p.Period, p.Payer, p.ID,
		count(p.Rows), amount(p.Currency, p.UnblendedCost, 2), strings.Join(files, ", "))
	switch {
	case p.Confirmed != nil:
		text += " Final on your word: " + view.Confirmed(p.Confirmed) + "."
	case len(p.InvoiceIDs) == 0:
		text += " No " + cloud + " invoice number yet: the month is not final."
	case len(p.InvoiceIDs) == 1:
		text += " " + cloud + " invoice " + p.InvoiceIDs[0] + "."
	default:
		text += " " + cloud + " invoices " + strings.Join(p.InvoiceIDs, ", ") + "."
	}
	if closeText := s.month.choose(&p); closeText != "" {
		text += " " + closeText
	}
	s.detail.Importance = widget.MediumImportance
	s.detail.SetText(text)
	s.showHistory(&p)
}

// showHistory lists the deliveries of the selected month and payer
// (none: nothing selected).
func (s *periodsScreen) showHistory(p *store.Period) {
	s.deliveries, s.chosen = nil, -1
	s.restore.Disable()
	if p == nil {
		s.historyTitle.SetText("Select a month to see its deliveries.")
		s.history.setRows(0)
		return
	}
	all, err := s.state.db.Deliveries(p.Period)
	if err != nil {
		s.historyTitle.SetText("Could not read the deliveries: " + err.Error())
		s.history.setRows(0)
		return
	}
	for _, d := range all {
		if d.Provider == p.Provider && d.Payer == p.Payer {
			s.deliveries = append(s.deliveries, d)
		}
	}
	s.historyTitle.SetText(fmt.Sprintf("Deliveries of %s, payer %s, newest first", p.Period, p.Payer))
	s.history.table.UnselectAll()
	s.history.setRows(len(s.deliveries))
}

// historyCell fills the delivery history table.
func (s *periodsScreen) historyCell(row, col int) cell {
	d := s.deliveries[row]
	switch col {
	case 0:
		return cell{text: fmt.Sprint(d.ID)}
	case 1:
		c := cell{text: deliveryState(d.State)}
		if d.State == store.StateCurrent {
			c.bold, c.importance = true, widget.SuccessImportance
		}
		return c
	case 2:
		return cell{text: view.DeliveryFinality(d.Final, d.Confirmed)}
	case 3:
		return cell{text: count(int64(len(d.Parts)))}
	case 4:
		return cell{text: count(d.Rows)}
	case 5:
		return cellOf(view.AmountCell(d.Currency, d.UnblendedCost))
	case 6:
		if d.LatestUsage.IsZero() {
			return cell{text: "–"}
		}
		return cell{text: d.LatestUsage.UTC().Format("2006-01-02 15:04")}
	case 7:
		e := d.Events[len(d.Events)-1]
		text := view.Moment(e.At) + ": " + e.What
		if e.By != "" {
			text += " (" + e.By + ")"
		}
		return cell{text: text}
	}
	return cell{}
}

// deliveryState names a delivery's state for the accountant.
func deliveryState(st store.DeliveryState) string {
	switch st {
	case store.StateCurrent:
		return "Current"
	case store.StateReplaced:
		return "Replaced (kept)"
	case store.StatePruned:
		return "Pruned"
	}
	return string(st)
}

// onDeliverySelected offers to make a kept delivery current again and
// shows its whole story.
func (s *periodsScreen) onDeliverySelected(id widget.TableCellID) {
	if id.Row < 0 || id.Row >= len(s.deliveries) {
		return
	}
	s.chosen = id.Row
	d := s.deliveries[id.Row]
	if d.State == store.StateReplaced {
		s.restore.Enable()
	} else {
		s.restore.Disable()
	}
	var lines []string
	for _, e := range d.Events {
		l := view.Moment(e.At) + " " + e.What
		if e.By != "" {
			l += " (" + e.By + ")"
		}
		lines = append(lines, l)
	}
	s.detail.Importance = widget.MediumImportance
	s.detail.SetText(fmt.Sprintf("Delivery %d (%s): %s. %s", d.ID, partsText(d.Delivery), deliveryState(d.State), strings.Join(lines, "; ")))
}

// onRestore makes the selected replaced delivery its month's data again,
// after the accountant confirms.
func (s *periodsScreen) onRestore() {
	if s.chosen < 0 || s.chosen >= len(s.deliveries) {
		return
	}
	d := s.deliveries[s.chosen]
	msg := fmt.Sprintf("Make delivery %d (%s, %s, %s rows) the data of %s for payer %s again? The current delivery is kept and can be made current again the same way. Invoices already issued do not change; Invoices > Corrections shows any difference.",
		d.ID, partsText(d.Delivery), view.DeliveryFinality(d.Final, d.Confirmed), count(d.Rows), d.Period, d.Payer)
	dialog.ShowConfirm("Make an earlier delivery current", msg, func(ok bool) {
		if !ok {
			return
		}
		if _, err := s.state.db.RestoreDelivery(d.ID, appinfo.User(), s.state.now()); err != nil {
			dialog.ShowError(err, s.state.win)
			return
		}
		s.state.dataChanged()
	}, s.state.win)
}

// onPrune removes, after confirmation, the rows of replaced deliveries
// that no invoice needs.
func (s *periodsScreen) onPrune() {
	msg := "Remove the rows of replaced deliveries that no invoice was computed from? Their summaries stay in the history, but they can no longer be made current (import their files again for that). Deliveries that invoices were computed from are kept."
	dialog.ShowConfirm("Free space", msg, func(ok bool) {
		if !ok {
			return
		}
		rep, err := s.state.db.PruneDeliveries(appinfo.User(), s.state.now())
		if err != nil {
			dialog.ShowError(err, s.state.win)
			return
		}
		dialog.ShowInformation("Free space", view.Pruned(rep), s.state.win)
		s.state.dataChanged()
	}, s.state.win)
}

// onGoImport leads from the empty state to the Import screen.
func (s *periodsScreen) onGoImport() { s.state.show("Import") }
