package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/ui/view"
)

// column describes one column of a dataTable.
type column struct {
	title string
	// align is fyne.TextAlignTrailing for numbers and amounts, so that
	// digits line up.
	align fyne.TextAlign
	// min and max bound the width fitted to the content; max 0 means no
	// limit, so amounts are never cut.
	min, max float32
	// shrink gives up width first, down to min, when the table is
	// narrower than its content: for long texts such as file names and
	// notes. Other texts give up width only when that is not enough;
	// amounts (TextAlignTrailing) never do.
	shrink bool
	// optional leaves the column out while no row has text in it: an
	// empty Note column would only take width from the names.
	optional bool
}

// cell is what one table cell shows.
type cell struct {
	text string
	// full is what text shortens (an amount's exact figure), shown on
	// a click or a hover; "" when text is all there is.
	full       string
	importance widget.Importance
	bold       bool
}

// cellOf is a view-model's cell as a table shows it.
func cellOf(c view.Cell) cell {
	return cell{text: c.Text, full: c.Full, importance: importanceOf(c.Tone), bold: c.Bold}
}

// importanceOf is the widget importance (the colour) of a view-model's
// tone.
func importanceOf(t view.Tone) widget.Importance {
	switch t {
	case view.Low:
		return widget.LowImportance
	case view.High:
		return widget.HighImportance
	case view.Success:
		return widget.SuccessImportance
	case view.Warning:
		return widget.WarningImportance
	case view.Danger:
		return widget.DangerImportance
	}
	return widget.MediumImportance
}

// dataTable is a read-only table with a header row whose columns fit
// their content: the common shape of Rebill's lists (periods, import
// results, and later customers and invoices).
type dataTable struct {
	cols  []column
	rows  int
	cell  func(row, col int) cell
	table *widget.Table
	// view is the table in a container that refits the columns to the
	// width available.
	view  *fyne.Container
	width float32
	// widths are the columns' widths of the last fit.
	widths []float32
	// hidden are the columns hidden (hide): they keep their index in
	// cols, cell and widths (no width), but the table does not show them.
	hidden map[int]bool
	// empty are the optional columns no row has text in, at the last
	// fit: left out as the hidden ones are.
	empty map[int]bool
	// shown are the indexes in cols of the columns the table shows, in
	// order: the table's column i is cols[shown[i]]. A hidden column left
	// in the table at no width would still draw its dividers, doubled.
	shown []int
}

func newDataTable(cols []column, cellFn func(row, col int) cell) *dataTable {
	t := &dataTable{cols: cols, cell: cellFn}
	t.table = widget.NewTable(
		func() (int, int) { return t.rows, len(t.shown) },
		// A cut text or an amount to the cent shows in full on hover
		// or click (tipLabel); the click still selects the row.
		func() fyne.CanvasObject { return newTipLabel("") },
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*tipLabel)
			col, ok := t.column(id.Col)
			if id.Row >= t.rows || !ok {
				l.Full, l.OnTapped = "", nil
				l.SetText("")
				return
			}
			c := t.cell(id.Row, col)
			l.Alignment = t.cols[col].align
			l.Importance = c.importance
			l.TextStyle = fyne.TextStyle{Bold: c.bold}
			l.Full = c.full
			l.OnTapped = func() { t.table.Select(id) }
			l.SetText(c.text)
		})
	t.table.ShowHeaderRow = true
	t.table.CreateHeader = func() fyne.CanvasObject {
		l := newTipLabel("")
		l.TextStyle = fyne.TextStyle{Bold: true}
		return l
	}
	t.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		l := o.(*tipLabel)
		col, ok := t.column(id.Col)
		if !ok {
			l.SetText("")
			return
		}
		l.Alignment = t.cols[col].align
		l.SetText(t.cols[col].title)
	}
	t.view = container.New(&fitLayout{t}, t.table)
	t.fit()
	return t
}

// setRows shows n rows, refits the columns and redraws.
func (t *dataTable) setRows(n int) {
	t.rows = n
	t.fit()
	t.table.Refresh()
}

// fit sizes every column to its widest cell, header included, then fits
// the columns to the table's width, giving up width in this order: the
// shrinking columns (names, notes) down to their min; headers wider than
// their values, down to a few letters (a cut header shows whole in its
// tip); the other texts with a min, in proportion down to it. Amounts and
// texts without a min are never cut: past that, the table scrolls
// sideways. A hidden column, or an optional one no row fills, takes no
// width.
func (t *dataTable) fit() {
	t.empty = map[int]bool{}
	for c, col := range t.cols {
		if col.optional {
			t.empty[c] = !t.hasText(c)
		}
	}
	pad := 2*theme.InnerPadding() + theme.Padding()
	size := theme.TextSize()
	widths := make([]float32, len(t.cols))
	values := make([]float32, len(t.cols)) // the widest value, header aside
	var total float32
	for c, col := range t.cols {
		if t.isHidden(c) {
			continue
		}
		var v float32
		for r := 0; r < t.rows; r++ {
			cl := t.cell(r, c)
			v = max(v, fyne.MeasureText(cl.text, size, fyne.TextStyle{Bold: cl.bold}).Width)
		}
		w := max(v, fyne.MeasureText(col.title, size, fyne.TextStyle{Bold: true}).Width) + pad
		w = max(w, col.min)
		if col.max > 0 {
			w = min(w, col.max)
		}
		// A cut header keeps a few letters: never "…" alone.
		short := fyne.MeasureText(firstRunes(col.title, 3)+"…", size, fyne.TextStyle{Bold: true}).Width
		widths[c], values[c] = w, min(max(v, short)+pad, w)
		values[c] = max(values[c], col.min)
		total += w + theme.Padding() // the table spaces columns by the padding
	}
	// Leave room for the vertical scroll bar.
	over := total + theme.ScrollBarSize() - t.width
	give := func(c int, floor float32) {
		if g := min(over, widths[c]-floor); g > 0 {
			widths[c] -= g
			over -= g
		}
	}
	if t.width > 0 {
		// The last shrinking column gives up width first: notes come
		// last, names first, and a name keeps its width longest.
		for c := len(t.cols) - 1; c >= 0 && over > 0; c-- {
			if t.cols[c].shrink && !t.isHidden(c) {
				give(c, t.cols[c].min)
			}
		}
		for c := len(t.cols) - 1; c >= 0 && over > 0; c-- {
			if !t.isHidden(c) {
				give(c, values[c])
			}
		}
	}
	// Still too wide: the texts with a min give up what remains, each
	// in proportion to what it has above it, shown whole in a tip
	// (tipLabel). Texts without a min (months, ids, statuses) and
	// amounts are never cut: past that, the table scrolls sideways.
	if t.width > 0 && over > 0 {
		var spare float32
		for c, col := range t.cols {
			if col.align != fyne.TextAlignTrailing && col.min > 0 && !t.isHidden(c) {
				spare += max(widths[c]-col.min, 0)
			}
		}
		if spare > 0 {
			share := min(over/spare, 1)
			for c, col := range t.cols {
				if col.align != fyne.TextAlignTrailing && col.min > 0 && widths[c] > col.min && !t.isHidden(c) {
					widths[c] -= (widths[c] - col.min) * share
				}
			}
		}
	}
	t.shown = t.shown[:0]
	for c := range t.cols {
		if !t.isHidden(c) {
			t.table.SetColumnWidth(len(t.shown), widths[c])
			t.shown = append(t.shown, c)
		}
	}
	t.widths = widths
}

// hide hides a column (or shows it again): e.g. the month of every row
// when the screen shows one month. It refits the columns.
func (t *dataTable) hide(col int, hidden bool) {
	if t.hidden == nil {
		t.hidden = map[int]bool{}
	}
	if t.hidden[col] == hidden {
		return
	}
	t.hidden[col] = hidden
	t.fit()
	t.table.Refresh()
}

// isHidden tells whether a column is left out: hidden, or optional and
// empty.
func (t *dataTable) isHidden(col int) bool { return t.hidden[col] || t.empty[col] }

// hasText tells whether some row has text in column col.
func (t *dataTable) hasText(col int) bool {
	for r := 0; r < t.rows; r++ {
		if t.cell(r, col).text != "" {
			return true
		}
	}
	return false
}

// column is the index in cols of the table's column i; false for none.
func (t *dataTable) column(i int) (int, bool) {
	if i < 0 || i >= len(t.shown) {
		return 0, false
	}
	return t.shown[i], true
}

// firstRunes is s's first n characters.
func firstRunes(s string, n int) string {
	r := []rune(s)
	return string(r[:min(n, len(r))])
}

// overflow is how much wider than the table its columns are after the
// last fit, scroll bar included: more than 0 means a column is cut off
// and needs a scroll to be read.
func (t *dataTable) overflow() float32 {
	total := theme.ScrollBarSize()
	for c, w := range t.widths {
		if !t.isHidden(c) {
			total += w + theme.Padding()
		}
	}
	return total - t.width
}
