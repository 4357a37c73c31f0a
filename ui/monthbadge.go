package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"rebill/store"
	"rebill/ui/view"
)

// newMonthBadge is the label beside a month choice that says whether the
// month is Final or Provisional and Open or Closed (view.MonthBadge).
func newMonthBadge() *widget.Label {
	l := widget.NewLabel("")
	l.TextStyle = fyne.TextStyle{Bold: true}
	return l
}

// setMonthBadge reads the month's finality and close in one transaction
// (store PeriodStatus) and shows them on l; provider "" is the month as a
// whole. The badge is empty for no month, a month not imported, or when
// the status cannot be read: it is a hint, the screen's own message says
// what went wrong.
func setMonthBadge(l *widget.Label, db *store.DB, month, provider string) {
	c := view.Cell{}
	if month != "" {
		if st, err := db.PeriodStatus(month); err == nil {
			c = view.MonthBadge(st, provider)
		}
	}
	l.Importance = importanceOf(c.Tone)
	l.SetText(c.Text)
}
