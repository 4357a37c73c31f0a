package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/billing"
	"rebill/ui/view"
)

// newTraceDialog explains one statement line from its trace, as the
// view-model words it (view.NewTrace): the line items behind it, the cost
// basis, re-rated lines, pricing rules, exchange rates, support plan or
// recurring charges, and the rounding.
func newTraceDialog(win fyne.Window, st *billing.Statement, section billing.ProductType, l billing.Line) dialog.Dialog {
	t := view.NewTrace(st, section, l)
	parts := []fyne.CanvasObject{traceHeading(t.Title), factGrid(t.Facts)}
	for _, s := range t.Sections {
		parts = append(parts, traceSection(s.Title))
		if s.Note != "" {
			parts = append(parts, traceNote(s.Note))
		}
		if len(s.Facts) > 0 {
			parts = append(parts, factGrid(s.Facts))
		}
		if len(s.Rows) > 0 {
			parts = append(parts, gridTable(s.Header, s.Right, s.Rows))
		}
	}
	content := container.NewVScroll(container.NewPadded(container.NewVBox(parts...)))
	d := dialog.NewCustom("Where this amount comes from", "Close", content, win)
	size := win.Canvas().Size()
	d.Resize(fyne.NewSize(min(max(size.Width*0.85, 600), 1100), min(max(size.Height*0.8, 400), 720)))
	return d
}

func traceHeading(text string) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	l.Wrapping = fyne.TextWrapWord
	return l
}

func traceSection(text string) fyne.CanvasObject {
	return container.NewVBox(widget.NewSeparator(), widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
}

func traceNote(text string) fyne.CanvasObject {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// factGrid lays out label: value pairs.
func factGrid(facts [][2]string) fyne.CanvasObject {
	rows := make([][]string, len(facts))
	for i, f := range facts {
		rows[i] = []string{f[0], f[1]}
	}
	return gridTable(nil, []bool{false, false}, rows)
}

// gridTable is a small read-only table sized to its content (columns as
// wide as their widest cell), for dialogs where a scrolling widget.Table
// would need a fixed size. right marks the amount columns.
func gridTable(header []string, right []bool, rows [][]string) fyne.CanvasObject {
	var objs []fyne.CanvasObject
	add := func(text string, col int, bold bool) {
		l := widget.NewLabel(text)
		if right[col] {
			l.Alignment = fyne.TextAlignTrailing
		}
		l.TextStyle = fyne.TextStyle{Bold: bold}
		if col == 0 && header == nil {
			l.Importance = widget.LowImportance
		}
		objs = append(objs, l)
	}
	for i, h := range header {
		add(h, i, true)
	}
	for _, r := range rows {
		for i, v := range r {
			add(v, i, false)
		}
	}
	return container.New(&gridTableLayout{cols: len(right)}, objs...)
}
