package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"rebill/store"
)

// periodsScreen lists the imported months per provider and payer, newest
// first, with their totals and whether the provider has closed them.
type periodsScreen struct {
	state *appState

	table   *dataTable
	empty   fyne.CanvasObject
	detail  *widget.Label
	content fyne.CanvasObject

	periods []store.Period
	// places is the decimals every total is written with, so that the
	// right-aligned column lines up on the decimal point.
	places int32
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
	colFile
)

func newPeriodsScreen(st *appState) *periodsScreen {
	s := &periodsScreen{state: st}
	s.table = newDataTable([]column{
		colMonth:    {title: "Month"},
		colProvider: {title: "Provider"},
		colPayer:    {title: "Payer account"},
		colRows:     {title: "Rows", align: fyne.TextAlignTrailing},
		colTotal:    {title: "Unblended total", align: fyne.TextAlignTrailing, min: 140},
		colAccounts: {title: "Accounts", align: fyne.TextAlignTrailing},
		colData:     {title: "Data"},
		colFile:     {title: "Source file", min: 160, shrink: true},
	}, s.cell)
	s.table.table.OnSelected = s.onSelected

	msg := widget.NewLabel("No billing data yet. Import your provider's billing files (or the sample data) on the Import screen; each month then appears here with its total.")
	msg.Wrapping = fyne.TextWrapWord
	goImport := widget.NewButton("Go to Import", s.onGoImport)
	goImport.Importance = widget.HighImportance
	s.empty = container.NewVBox(msg, container.NewHBox(goImport))

	s.detail = widget.NewLabel("")
	s.detail.Wrapping = fyne.TextWrapWord

	legend := widget.NewLabel("Provisional months are estimates: AWS re-delivers them until the bill is final, usually a few days after month end.")
	legend.Wrapping = fyne.TextWrapWord
	legend.Importance = widget.LowImportance

	heading := widget.NewLabel("Imported months per provider and payer account, newest first")
	heading.TextStyle = fyne.TextStyle{Bold: true}
	s.content = container.NewBorder(container.NewVBox(heading, s.empty), container.NewVBox(widget.NewSeparator(), s.detail, legend), nil, nil, s.table.view)
	st.onDataChanged(s.refresh)
	s.refresh()
	return s
}

func (s *periodsScreen) view() fyne.CanvasObject { return s.content }

const detailHint = "Select a row to see its source file and AWS invoice numbers."

// refresh reloads the periods from the store.
func (s *periodsScreen) refresh() {
	periods, err := s.state.db.Periods()
	if err != nil {
		s.detail.SetText("Could not read the imported months: " + err.Error())
		return
	}
	s.periods = periods
	s.places = 2
	for _, p := range periods {
		s.places = max(s.places, decimals(p.UnblendedCost))
	}
	s.table.table.UnselectAll()
	s.detail.Importance = widget.LowImportance
	s.detail.SetText(detailHint)
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
		return cell{text: p.Payer}
	case colRows:
		return cell{text: count(p.Rows)}
	case colTotal:
		return cell{text: amount(p.Currency, p.UnblendedCost, s.places)}
	case colAccounts:
		return cell{text: count(int64(len(p.Accounts)))}
	case colData:
		if p.Final {
			return cell{text: finality(true), importance: widget.SuccessImportance}
		}
		return cell{text: finality(false), importance: widget.WarningImportance, bold: true}
	case colFile:
		return cell{text: baseName(p.File)}
	}
	return cell{}
}

// onSelected shows where a month's data came from.
func (s *periodsScreen) onSelected(id widget.TableCellID) {
	if id.Row < 0 || id.Row >= len(s.periods) {
		return
	}
	p := s.periods[id.Row]
	text := fmt.Sprintf("%s %s, payer %s: imported from %s (import #%d).", providerName(p.Provider), p.Period, p.Payer, p.File, p.ImportID)
	switch len(p.InvoiceIDs) {
	case 0:
		text += " No AWS invoice number yet: the month is not final."
	case 1:
		text += " AWS invoice " + p.InvoiceIDs[0] + "."
	default:
		text += " AWS invoices " + strings.Join(p.InvoiceIDs, ", ") + "."
	}
	s.detail.Importance = widget.MediumImportance
	s.detail.SetText(text)
}

// onGoImport leads from the empty state to the Import screen.
func (s *periodsScreen) onGoImport() { s.state.show("Import") }
