package ui

import (
	"testing"

	"fyne.io/fyne/v2/widget"

	"rebill/engine/billing"
	"rebill/store"
	"rebill/ui/appinfo"
)

// TestMonthBadges: the screens that choose a month say beside the choice
// whether it is Final or Provisional and Open or Closed. September's rows
// carry AWS's invoice id, October's do not; the accountant then closes
// September and the badges follow.
func TestMonthBadges(t *testing.T) {
	h, s := reportHarness(t)
	badge := func(name string, l *widget.Label, text string, imp widget.Importance) {
		t.Helper()
		if l.Text != text || l.Importance != imp {
			t.Errorf("%s badge %q (importance %d), want %q (%d)", name, l.Text, l.Importance, text, imp)
		}
	}
	h.state.show("Reports")
	s.month.SetSelected("2024-10  ·  Provisional")
	s.stop()
	badge("Reports, October", s.badge, "Provisional · Open", widget.WarningImportance)
	s.month.SetSelected("2024-09  ·  Final")
	s.stop()
	badge("Reports, September", s.badge, "Final · Open", widget.MediumImportance)

	g := generateFor(t, h, s, "2024-10  ·  Provisional", []string{"ACME"}, billing.Options{})
	badge("Generate, October", g.badge, "Provisional · Open", widget.WarningImportance)
	g.dlg.Hide()

	if _, err := h.db.ClosePeriod(store.PeriodChange{Period: "2024-09", Reason: "books closed", By: appinfo.User(), Now: testNow}); err != nil {
		t.Fatal(err)
	}
	h.state.dataChanged()
	s.month.SetSelected("2024-09  ·  Final")
	s.stop()
	badge("Reports, September closed", s.badge, "Final · Closed", widget.SuccessImportance)

	inv := h.shell.screens["Invoices"].(*invoicesScreen)
	h.state.show("Invoices")
	inv.month.SetSelected("2024-09")
	inv.stop()
	badge("Invoices, September closed", inv.badge, "Final · Closed", widget.SuccessImportance)
	inv.month.SetSelected(allMonths)
	inv.stop()
	badge("Invoices, all months", inv.badge, "", widget.MediumImportance)
}
