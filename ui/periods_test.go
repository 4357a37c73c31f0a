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
	// Totals share their decimals so the column lines up on the point;
	// padding with zeros keeps them exact.
	for row, want := range []struct{ month, total, data string }{
		{"2024-10", "USD 3.62345678911", "Provisional"},
		{"2024-09", "USD 10.00500000000", "Final"},
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
	if !strings.Contains(p.detail.Text, "AWS invoice EUINUS24-1234") || !strings.Contains(p.detail.Text, "september.csv") {
		t.Errorf("detail = %q, want the source file and the invoice number", p.detail.Text)
	}
	p.table.table.Select(widget.TableCellID{Row: 0, Col: colMonth})
	if !strings.Contains(p.detail.Text, "not final") {
		t.Errorf("detail of a provisional month = %q", p.detail.Text)
	}
}
