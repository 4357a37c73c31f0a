package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func TestPeriodsNewestFirstWithDetail(t *testing.T) {
	h := newHarness(t)
	s := h.imports()
	dir := t.TempDir()
	s.addPaths([]string{writeFile(t, dir, "september.csv", september), writeFile(t, dir, "october.csv", october)})
	test.Tap(s.importBtn)

	p := h.periods()
	if p.table.rows != 2 {
		t.Fatalf("periods has %d rows, want 2", p.table.rows)
	}
	// The list shows cents (3.62345678911 to 3.62, 10.005 half up to
	// 10.01); the selected month's detail the exact total.
	for row, want := range []struct{ month, total, data string }{
		{"2024-10", "USD 3.62", "Provisional"},
		{"2024-09", "USD 10.01", "Final"},
	} {
		if got := p.table.cell(row, colMonth).text; got != want.month {
			t.Errorf("row %d month = %q, want %q", row, got, want.month)
		}
		if got := p.table.cell(row, colTotal).text; got != want.total {
			t.Errorf("%s total = %q, want %q", want.month, got, want.total)
		}
		if got := p.table.cell(row, colData).text; got != want.data {
			t.Errorf("%s data = %q, want %q", want.month, got, want.data)
		}
	}
	if p.table.cell(0, colData).importance == p.table.cell(1, colData).importance {
		t.Error("provisional and final months look the same")
	}

	p.table.table.Select(widget.TableCellID{Row: 1, Col: colMonth})
	if !strings.Contains(p.detail.Text, "AWS invoice EUINUS24-1234") || !strings.Contains(p.detail.Text, "september.csv") ||
		!strings.Contains(p.detail.Text, "total USD 10.005 exactly") {
		t.Errorf("detail = %q, want the source file and the invoice number", p.detail.Text)
	}
	if strings.Contains(p.detail.Text, dir) {
		t.Errorf("detail = %q names the folder the file was read from (%s), want the file's own name", p.detail.Text, dir)
	}
	p.table.table.Select(widget.TableCellID{Row: 0, Col: colMonth})
	if !strings.Contains(p.detail.Text, "not final") {
		t.Errorf("detail of a provisional month = %q", p.detail.Text)
	}
}

// TestOlderDeliveryChosenThenRestored: a provisional re-delivery after the
// final one is refused; the accountant makes it current anyway from the
// failure dialog, then makes the final one current again from the
// month's delivery history.
func TestOlderDeliveryChosenThenRestored(t *testing.T) {
	h := newHarness(t)
	s := h.imports()
	dir := t.TempDir()
	s.addPaths([]string{writeFile(t, dir, "september.csv", september)})
	test.Tap(s.importBtn)
	// The estimate: no invoice id, 10 + 0.25 = 10.25.
	estimate := strings.ReplaceAll(strings.Replace(september, "5.0E-3", "0.25", 1), "EUINUS24-1234", "")
	s.addPaths([]string{writeFile(t, dir, "september-estimate.csv", estimate)})
	test.Tap(s.importBtn)
	if s.failure == nil || !h.shows("it is provisional and the current delivery is final") {
		t.Fatalf("the provisional delivery was not refused; texts %q", h.texts())
	}
	p := h.periods()
	if got := p.table.cell(0, colTotal).text; got != "USD 10.01" { // 10.005 to the cent
		t.Fatalf("the refused delivery changed the month: %s", got)
	}
	h.tapDialog("Make the new delivery current anyway")
	if got := p.table.cell(0, colTotal).text; got != "USD 10.25" {
		t.Fatalf("after choosing the estimate: %s, want USD 10.25", got)
	}

	p.table.table.Select(widget.TableCellID{Row: 0, Col: colMonth})
	if p.history.rows != 2 || p.historyCell(0, 1).text != "Current" || p.historyCell(1, 1).text != "Replaced (kept)" {
		t.Fatalf("history: %d rows, %q, %q", p.history.rows, p.historyCell(0, 1).text, p.historyCell(1, 1).text)
	}
	if what := p.historyCell(0, 7).text; !strings.Contains(what, "--replace") {
		t.Errorf("the history does not say the replacement was chosen: %q", what)
	}
	if !p.restore.Disabled() {
		t.Error("Make current is offered before a replaced delivery is selected")
	}
	p.history.table.Select(widget.TableCellID{Row: 1, Col: 0})
	if p.restore.Disabled() {
		t.Fatal("Make current is not offered for the replaced final delivery")
	}
	test.Tap(p.restore)
	h.tapDialog("Yes")
	if got := p.table.cell(0, colTotal).text; got != "USD 10.01" {
		t.Errorf("after making the final delivery current again: %s, want USD 10.01", got)
	}
}
