package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestCloseMonthFlagsLateAdjustment: the accountant closes September on
// the Periods screen; a re-delivery imported afterwards shows as a late
// adjustment in the Status column and the detail line; reopening needs a
// reason.
func TestCloseMonthFlagsLateAdjustment(t *testing.T) {
	h := newHarness(t)
	s := h.imports()
	dir := t.TempDir()
	s.addPaths([]string{writeFile(t, dir, "september.csv", september)})
	test.Tap(s.importBtn)
	p := h.periods()
	if got := p.table.cell(0, colStatus).text; got != "Open" {
		t.Fatalf("status before closing = %q", got)
	}
	if !p.month.closeBtn.Disabled() {
		t.Error("Close month… is enabled with no month selected")
	}
	p.table.table.Select(widget.TableCellID{Row: 0, Col: colMonth})
	// 2024-09-30 is a Monday: Tue 1, Wed 2, Thu 3, Fri 4, Mon 7 October.
	if !strings.Contains(p.detail.Text, "Earliest invoicing 7 Oct 2024") {
		t.Errorf("detail = %q", p.detail.Text)
	}
	test.Tap(p.month.closeBtn)
	// September is final, and no distributor invoice is recorded: the
	// dialog says so before the month is closed.
	if !h.topShows("No distributor invoice is recorded for AWS 2024-09: the month is not yet tied to what the distributor bills") || h.topShows("provisional") {
		t.Errorf("close dialog: %q", h.topTexts())
	}
	h.tapDialog("Close")
	if got := p.table.cell(0, colStatus); got.text != "Closed" || got.importance != widget.SuccessImportance {
		t.Fatalf("status after closing = %+v", got)
	}

	// The re-delivery: 10 + 0.25 instead of 10 + 0.005.
	again := strings.Replace(september, "5.0E-3", "0.25", 1)
	s.addPaths([]string{writeFile(t, dir, "september-again.csv", again)})
	test.Tap(s.importBtn)
	got := p.table.cell(0, colStatus)
	if got.text != "Closed · 1 late adjustment" || got.importance != widget.WarningImportance || !got.bold {
		t.Fatalf("status after a late import = %+v", got)
	}
	p.table.table.Select(widget.TableCellID{Row: 0, Col: colMonth})
	for _, want := range []string{"Closed ", "Late adjustment on", "USD 10.005 → 10.25", "unassigned accounts +0.245", "Invoices > Corrections"} {
		if !strings.Contains(p.detail.Text, want) {
			t.Errorf("detail lacks %q: %q", want, p.detail.Text)
		}
	}
	if !p.month.closeBtn.Disabled() || p.month.reopen.Disabled() {
		t.Error("a closed month offers Close, or not Reopen")
	}
	test.Tap(p.month.reopen)
	h.tapDialog("Reopen")
	if got := p.table.cell(0, colStatus).text; !strings.HasPrefix(got, "Closed") {
		t.Errorf("reopened without a reason: %q", got)
	}
}

func TestDistributorInvoiceForm(t *testing.T) {
	h := newHarness(t)
	s := h.imports()
	s.addPaths([]string{writeFile(t, t.TempDir(), "september.csv", september)})
	test.Tap(s.importBtn)
	p := h.periods()
	p.table.table.Select(widget.TableCellID{Row: 0, Col: colMonth})
	d := &distributorForm{state: h.state, month: "2024-09"}
	d.build("aws")
	d.reload()
	if d.period.Text != "2024-09" || d.provider.Text != "aws" {
		t.Fatalf("form starts at %s %s", d.provider.Text, d.period.Text)
	}
	test.Type(d.number, "D-1")
	test.Type(d.amount, "1,000.05")
	test.Type(d.tax, "200.01")
	d.onAdd()
	if len(d.rows) != 1 || d.rows[0].Currency != "USD" || d.rows[0].Amount.String() != "1000.05" {
		t.Fatalf("rows %+v, message %q", d.rows, d.message.Text)
	}
	test.Type(d.number, "D-1")
	test.Type(d.amount, "5")
	d.onAdd()
	if len(d.rows) != 1 || !strings.Contains(d.message.Text, "recorded already") {
		t.Errorf("a duplicate number: rows %d, message %q", len(d.rows), d.message.Text)
	}
}

// TestConfirmFinalOnThePeriodsScreen: October's CUR carries no invoice
// id; the accountant confirms it final with a reason, and the Data column
// and the detail line say whose word it is.
func TestConfirmFinalOnThePeriodsScreen(t *testing.T) {
	h := newHarness(t)
	s := h.imports()
	s.addPaths([]string{writeFile(t, t.TempDir(), "october.csv", october)})
	test.Tap(s.importBtn)
	p := h.periods()
	if !p.month.confirm.Disabled() {
		t.Error("Confirm final… is enabled with no month selected")
	}
	p.table.table.Select(widget.TableCellID{Row: 0, Col: colMonth})
	if p.month.confirm.Disabled() {
		t.Fatal("Confirm final… is disabled on a provisional month")
	}
	test.Tap(p.month.confirm)
	if !h.topShows("carries no AWS invoice number, so its files do not say that 2024-10 is final") {
		t.Errorf("confirm dialog: %q", h.topTexts())
	}
	h.tapDialog("Confirm final") // no reason: refused by the form
	if got := p.table.cell(0, colData).text; got != "Provisional" {
		t.Fatalf("confirmed without a reason: %q", got)
	}
	test.Type(h.dialogEntries()[0], "distributor invoice D-10")
	h.tapDialog("Confirm final")
	if got := p.table.cell(0, colData); got.text != "Final (confirmed)" || got.importance != widget.SuccessImportance {
		t.Fatalf("data after confirming = %+v", got)
	}
	p.table.table.Select(widget.TableCellID{Row: 0, Col: colMonth})
	if !strings.Contains(p.detail.Text, "Final on your word: confirmed by ") || !strings.Contains(p.detail.Text, "distributor invoice D-10.") {
		t.Errorf("detail = %q", p.detail.Text)
	}
	if !p.month.confirm.Disabled() {
		t.Error("Confirm final… is enabled on a final month")
	}
}
