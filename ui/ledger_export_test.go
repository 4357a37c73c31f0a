package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/widget"
)

// TestLedgerExportOpensAgainAfterARefusal: a refused export (here a date
// that does not exist) is explained, and once the explanation is closed
// the dialog is back with what the accountant typed, not the defaults:
// the refusal names one thing to change, the rest stays typed.
func TestLedgerExportOpensAgainAfterARefusal(t *testing.T) {
	h := newHarness(t)
	showLedgerExport(h.state)
	entries := h.dialogEntries()
	if len(entries) != 2 || entries[0].Text != "2024-10-01" || entries[1].Text != "2024-10-31" {
		t.Fatalf("the dialog opens on %v", entryTexts(entries))
	}
	entries[0].SetText("2024-09-01")
	entries[1].SetText("2024-09-31")
	h.tapDialog("Export…")
	if !h.shows(`Nothing was exported. Date "2024-09-31" is not on the calendar`) {
		t.Fatalf("no refusal shown: %q", h.texts())
	}
	h.tapDialog("OK")
	entries = h.dialogEntries()
	if got := entryTexts(entries); len(got) != 2 || got[0] != "2024-09-01" || got[1] != "2024-09-31" {
		t.Fatalf("after the refusal the dialog shows %v", got)
	}
	// With the day corrected, September has no invoice: said, and the
	// dialog comes back again with the corrected dates.
	entries[1].SetText("2024-09-30")
	h.tapDialog("Export…")
	if !h.shows("Nothing to export") {
		t.Fatalf("no 'Nothing to export': %q", strings.Join(h.texts(), " | "))
	}
	h.tapDialog("OK")
	if got := entryTexts(h.dialogEntries()); len(got) != 2 || got[1] != "2024-09-30" {
		t.Fatalf("after nothing to export the dialog shows %v", got)
	}
}

func entryTexts(es []*widget.Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Text
	}
	return out
}
