package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestHiddenColumnLeavesNoTrace: a hidden column is not one of the
// table's columns (at no width it would still draw its dividers,
// doubled); the others show their own titles and cells, and showing it
// again puts it back in its place.
func TestHiddenColumnLeavesNoTrace(t *testing.T) {
	test.NewTempApp(t)
	cells := [][]string{{"Acme", "2024-09", "USD 3.63"}, {"Globex", "2024-09", "USD 10.00"}}
	tb := newDataTable([]column{{title: "Customer", min: 90}, {title: "Period", min: 60}, {title: "Total", align: fyne.TextAlignTrailing}},
		func(row, col int) cell { return cell{text: cells[row][col]} })
	w := test.NewTempWindow(t, tb.view)
	w.Resize(fyne.NewSize(600, 300))
	shows := func(want ...string) {
		t.Helper()
		rows, cols := tb.table.Length()
		if rows != 2 || cols != len(want) {
			t.Fatalf("the table has %d rows and %d columns, want 2 and %d", rows, cols, len(want))
		}
		header := newTipLabel("")
		for i, title := range want {
			tb.table.UpdateHeader(widget.TableCellID{Row: -1, Col: i}, header)
			if header.Text != title {
				t.Errorf("column %d is titled %q, want %q", i, header.Text, title)
			}
		}
	}
	tb.hidden = map[int]bool{1: true}
	tb.setRows(2)
	shows("Customer", "Total")
	cellAt := func(row, col int) string {
		l := tb.table.CreateCell().(*tipLabel)
		tb.table.UpdateCell(widget.TableCellID{Row: row, Col: col}, l)
		return l.Text
	}
	if got := cellAt(1, 1); got != "USD 10.00" {
		t.Errorf("the second column shows %q, want Globex's total", got)
	}
	tb.hide(1, false)
	shows("Customer", "Period", "Total")
	if got := cellAt(1, 1); got != "2024-09" {
		t.Errorf("shown again, the second column shows %q, want the period", got)
	}
}

// TestEmptyOptionalColumnIsLeftOut: an optional column (the invoices'
// Note) takes no width while no row has text in it, so the names keep
// theirs, and comes back with the first row that has.
func TestEmptyOptionalColumnIsLeftOut(t *testing.T) {
	test.NewTempApp(t)
	cells := [][]string{{"Contoso GmbH", "EUR 9.46", ""}, {"Fabrikam Ltd", "EUR 1.00", ""}}
	tb := newDataTable([]column{{title: "Customer", min: 90, shrink: true}, {title: "Total", align: fyne.TextAlignTrailing},
		{title: "Note", min: 60, shrink: true, optional: true}},
		func(row, col int) cell { return cell{text: cells[row][col]} })
	test.NewTempWindow(t, tb.view).Resize(fyne.NewSize(600, 300))
	tb.setRows(2)
	if _, cols := tb.table.Length(); cols != 2 {
		t.Errorf("with no notes the table has %d columns, want Customer and Total", cols)
	}
	cells[1][2] = "Tax asked for, but no rates"
	tb.setRows(2)
	if _, cols := tb.table.Length(); cols != 3 {
		t.Errorf("with a note the table has %d columns, want the Note back", cols)
	}
}
