package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// rowColumn is one column of a rowEditor.
type rowColumn struct {
	title       string
	placeholder string
	// weight is the column's share of the row's width.
	weight float32
}

// rowEditor edits a short list of rows of text, such as a customer's tax
// rates or pricing rules: one entry per column, a remove button per row
// and an add button. It holds text only; the form reads the rows through
// the engine's parsers.
type rowEditor struct {
	cols      []rowColumn
	rows      [][]*widget.Entry
	list      *fyne.Container
	add       *widget.Button
	header    *fyne.Container
	empty     *widget.Label
	content   *fyne.Container
	onChanged func()
}

func newRowEditor(cols []rowColumn, addText, emptyText string, onChanged func()) *rowEditor {
	e := &rowEditor{cols: cols, onChanged: onChanged}
	e.list = container.NewVBox()
	e.add = widget.NewButtonWithIcon(addText, theme.ContentAddIcon(), e.onAdd)
	weights := make([]float32, len(cols))
	titles := make([]fyne.CanvasObject, len(cols))
	for i, c := range cols {
		weights[i] = c.weight
		l := newTipLabel(c.title)
		l.TextStyle = fyne.TextStyle{Bold: true}
		titles[i] = l
	}
	// The header leaves room for the rows' remove buttons.
	gap := canvas.NewRectangle(color.Transparent)
	gap.SetMinSize(widget.NewButtonWithIcon("", theme.DeleteIcon(), nil).MinSize())
	e.header = container.NewBorder(nil, nil, nil, gap, container.New(&weightLayout{weights}, titles...))
	e.empty = widget.NewLabel(emptyText)
	e.empty.Importance = widget.LowImportance
	e.empty.Wrapping = fyne.TextWrapWord
	e.content = container.NewVBox(e.header, e.list, e.empty, container.NewHBox(e.add))
	e.refresh()
	return e
}

// setRows replaces the rows without reporting a change.
func (e *rowEditor) setRows(rows [][]string) {
	e.rows = nil
	e.list.RemoveAll()
	for _, r := range rows {
		e.appendRow(r)
	}
	e.refresh()
}

// values returns the text of every row.
func (e *rowEditor) values() [][]string {
	out := make([][]string, len(e.rows))
	for i, r := range e.rows {
		out[i] = make([]string, len(r))
		for j, en := range r {
			out[i][j] = en.Text
		}
	}
	return out
}

func (e *rowEditor) appendRow(values []string) []*widget.Entry {
	entries := make([]*widget.Entry, len(e.cols))
	objs := make([]fyne.CanvasObject, len(e.cols))
	weights := make([]float32, len(e.cols))
	for i, c := range e.cols {
		en := widget.NewEntry()
		en.SetPlaceHolder(c.placeholder)
		if i < len(values) {
			en.SetText(values[i])
		}
		en.OnChanged = func(string) { e.changed() }
		entries[i], objs[i], weights[i] = en, en, c.weight
	}
	remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), nil)
	remove.Importance = widget.LowImportance
	row := container.NewBorder(nil, nil, nil, remove, container.New(&weightLayout{weights}, objs...))
	remove.OnTapped = func() { e.onRemove(row, entries) }
	e.rows = append(e.rows, entries)
	e.list.Add(row)
	return entries
}

// onAdd adds an empty row and puts the cursor in it.
func (e *rowEditor) onAdd() {
	entries := e.appendRow(nil)
	e.refresh()
	if c := fyne.CurrentApp().Driver().CanvasForObject(e.content); c != nil {
		c.Focus(entries[0])
	}
	e.changed()
}

// onRemove takes a row away.
func (e *rowEditor) onRemove(row fyne.CanvasObject, entries []*widget.Entry) {
	for i, r := range e.rows {
		if len(r) > 0 && r[0] == entries[0] {
			e.rows = append(e.rows[:i], e.rows[i+1:]...)
			break
		}
	}
	e.list.Remove(row)
	e.refresh()
	e.changed()
}

func (e *rowEditor) refresh() {
	showWhen(e.header, len(e.rows) > 0)
	showWhen(e.empty, len(e.rows) == 0)
}

func (e *rowEditor) changed() {
	if e.onChanged != nil {
		e.onChanged()
	}
}
