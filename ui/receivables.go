package ui

import (
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/document"
	"rebill/engine/invoice"
	"rebill/ui/view"
)

// receivablesScreen is the ageing of open receivables by customer as of a
// day (store.Receivables), the same report as `rebill receivables`, with
// its Excel and PDF downloads. Its table is the view-model's
// (view.Ageing).
type receivablesScreen struct {
	state *appState

	asOf     *widget.Entry
	refresh  *widget.Button
	xlsx     *widget.Button
	pdf      *widget.Button
	note     *widget.Label
	table    *dataTable
	tab      view.AgeingTable
	ageing   invoice.Ageing
	content  fyne.CanvasObject
	dialog   dialog.Dialog // the last one opened, for tests
	lastFile string
}

func newReceivablesScreen(st *appState) *receivablesScreen {
	s := &receivablesScreen{state: st}
	s.asOf = widget.NewEntry()
	s.asOf.SetText(invoice.DateOf(st.now()).String())
	s.asOf.OnSubmitted = func(string) { s.load() }
	s.refresh = widget.NewButtonWithIcon("Show", theme.ViewRefreshIcon(), s.load)
	s.xlsx = widget.NewButtonWithIcon("Excel", theme.DownloadIcon(), func() { s.onDownload(".xlsx") })
	s.pdf = widget.NewButtonWithIcon("PDF", theme.DownloadIcon(), func() { s.onDownload(".pdf") })
	s.note = widget.NewLabel("")
	s.note.Wrapping = fyne.TextWrapWord
	// The columns are the view-model's, sized to their content like every
	// other list: the name gives up width first, amounts never.
	var cols []column
	for i, title := range view.Ageing(invoice.Ageing{}).Header {
		c := column{title: title, min: 70}
		switch {
		case i == 1:
			c.min, c.shrink = 120, true
		case i >= 3:
			c.align = fyne.TextAlignTrailing
		}
		cols = append(cols, c)
	}
	s.table = newDataTable(cols, s.cell)
	bar := container.NewHBox(boldLabel("As of"), container.NewGridWrap(fyne.NewSize(130, s.asOf.MinSize().Height), s.asOf), s.refresh,
		widget.NewSeparator(), boldLabel("Download"), s.xlsx, s.pdf)
	s.content = container.NewBorder(container.NewVBox(bar, s.note), nil, nil, nil, s.table.view)
	st.onDataChanged(s.load)
	s.load()
	return s
}

func (s *receivablesScreen) view() fyne.CanvasObject { return s.content }

func (s *receivablesScreen) cell(row, col int) cell {
	if row >= len(s.tab.Rows) || col >= len(s.tab.Rows[row]) {
		return cell{}
	}
	return cell{text: s.tab.Rows[row][col], bold: row >= len(s.tab.Rows)-s.tab.Totals}
}

// load reads the report as of the day typed.
func (s *receivablesScreen) load() {
	on, err := invoice.ParseDate(strings.TrimSpace(s.asOf.Text))
	if err == nil {
		s.ageing, err = s.state.db.Receivables(on)
	}
	if err != nil {
		s.note.Importance = widget.DangerImportance
		s.note.SetText(err.Error())
		return
	}
	s.tab = view.Ageing(s.ageing)
	s.note.Importance = widget.MediumImportance
	s.note.SetText(s.tab.Note)
	s.table.setRows(len(s.tab.Rows))
}

// onDownload saves the report shown as a workbook or a PDF.
func (s *receivablesScreen) onDownload(ext string) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			if err != nil {
				dialog.ShowError(err, s.state.win)
			}
			return
		}
		defer w.Close()
		if err := s.write(ext, w); err != nil {
			dialog.ShowError(err, s.state.win)
			return
		}
		s.lastFile = w.URI().Path()
	}, s.state.win)
	d.SetFileName("receivables-" + s.ageing.AsOf.String() + ext)
	d.SetFilter(storage.NewExtensionFileFilter([]string{ext}))
	d.Resize(dialogSize(s.state.win))
	s.dialog = d
	d.Show()
}

func (s *receivablesScreen) write(ext string, w io.Writer) error {
	if ext == ".xlsx" {
		return document.AgeingXLSX(w, s.ageing)
	}
	p, err := s.state.db.Profile()
	if err != nil {
		return err
	}
	return document.AgeingPDF(w, invoice.SellerOf(p), s.ageing)
}
