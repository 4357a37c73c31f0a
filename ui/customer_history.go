package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/customer"
	"rebill/ui/view"
)

// historyTab is the History tab of a customer: its change log, newest
// first, one row per changed setting.
type historyTab struct {
	state   *appState
	cust    customer.Customer
	rows    []view.HistoryRow
	table   *dataTable
	none    *widget.Label
	content fyne.CanvasObject
}

func newHistoryTab(st *appState) *historyTab {
	t := &historyTab{state: st}
	t.table = newDataTable([]column{
		{title: "When"},
		{title: "What", max: 320},
		{title: "Change", min: 240, shrink: true},
	}, t.cell)
	t.table.table.OnSelected = t.onSelected
	t.none = lowNote("No change recorded yet.")
	note := lowNote("Every change to this customer, its accounts and its credits, newest first. The log is never edited: select a row to read long values in full.")
	t.content = container.NewBorder(container.NewVBox(note, t.none), nil, nil, nil, t.table.view)
	return t
}

// load shows a customer's history.
func (t *historyTab) load(c customer.Customer) {
	t.cust = c
	t.refresh()
}

func (t *historyTab) refresh() {
	changes, err := t.state.db.CustomerLog(t.cust.ID)
	if err != nil {
		t.none.SetText("Could not read the change log: " + err.Error())
	}
	t.rows = view.History(changes)
	t.table.setRows(len(t.rows))
	showWhen(t.none, len(t.rows) == 0 || err != nil)
	showWhen(t.table.table, len(t.rows) > 0)
}

func (t *historyTab) cell(row, col int) cell { return cellOf(t.rows[row].Cells()[col]) }

// onSelected shows a change's values in full.
func (t *historyTab) onSelected(id widget.TableCellID) {
	t.table.table.UnselectAll()
	if id.Row < 0 || id.Row >= len(t.rows) {
		return
	}
	l := widget.NewLabel(t.rows[id.Row].Detail())
	l.Wrapping = fyne.TextWrapWord
	l.Selectable = true
	newLongTextDialog("Change", l, t.state.win).Show()
}

// newLongTextDialog shows long content in a dialog that scrolls.
func newLongTextDialog(title string, content fyne.CanvasObject, w fyne.Window) dialog.Dialog {
	d := dialog.NewCustom(title, "Close", container.NewVScroll(content), w)
	d.Resize(fyne.NewSize(620, 420))
	return d
}
