package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/ui/view"
)

// Settings > Invoice numbers > Move forward…: the number the next
// invoice takes and why, checked with the engine's rule as typed, then
// moved by the store with its audit entry.

// onMoveNumber asks for the number the next invoice should take and why,
// checking both with the engine's rule as they are typed.
func (s *settingsScreen) onMoveNumber() {
	s.moveTo = widget.NewEntry()
	s.moveTo.SetPlaceHolder(strconv.Itoa(s.series.Next + 1))
	s.moveReason = widget.NewEntry()
	s.moveReason.SetPlaceHolder("e.g. continuing the series of our previous billing program")
	intro := widget.NewLabel(view.MoveNumbersIntro(s.series.Next))
	intro.Wrapping = fyne.TextWrapWord
	s.moveField = newFormField("Next number", s.moveTo, "The sequence number the next approved invoice takes.")
	content := container.NewVBox(intro, newForm(s.moveField,
		newFormField("Reason", s.moveReason, "Why numbers are skipped; kept in the audit log.")))
	d := dialog.NewCustomWithoutButtons("Move the invoice numbers forward", content, s.state.win)
	s.moveConfirm = widget.NewButtonWithIcon("Move forward", theme.ConfirmIcon(), func() {
		next, _, ok := s.moveDraft()
		if !ok {
			return
		}
		d.Hide()
		s.moveSeries(next, s.moveReason.Text)
	})
	s.moveConfirm.Importance = widget.HighImportance
	d.SetButtons([]fyne.CanvasObject{widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), d.Hide), s.moveConfirm})
	check := func(string) {
		_, problem, ok := s.moveDraft()
		if problem == "" {
			s.moveField.setProblems(nil)
		} else {
			s.moveField.setProblems([]string{problem})
		}
		content.Refresh() // the problem line changes the dialog's height
		enableWhen(s.moveConfirm, ok)
	}
	s.moveTo.OnChanged, s.moveReason.OnChanged = check, check
	check("")
	d.Resize(fyne.NewSize(600, 440))
	d.Show()
}

// moveDraft reads the Move forward dialog and checks it with the
// engine's rule (invoice.Numbering.MoveTo); problem is empty while
// nothing is typed yet.
func (s *settingsScreen) moveDraft() (next int, problem string, ok bool) {
	text := strings.TrimSpace(s.moveTo.Text)
	if text == "" {
		return 0, "", false
	}
	next, err := strconv.Atoi(text)
	if err != nil {
		return 0, fmt.Sprintf("%q is not a whole number", text), false
	}
	if _, err := s.series.MoveTo(next, s.moveReason.Text); err != nil {
		if next > s.series.Next && strings.TrimSpace(s.moveReason.Text) == "" {
			return next, "", false // the reason is simply not typed yet
		}
		return next, err.Error(), false
	}
	return next, "", true
}

// moveSeries moves the invoice counter through the store, which writes
// it with its audit entry.
func (s *settingsScreen) moveSeries(next int, reason string) {
	n, err := s.state.db.MoveInvoiceNumbering(next, reason, s.state.now())
	if err != nil {
		s.notice = dialog.NewError(fmt.Errorf("the invoice numbers were not moved: %w", err), s.state.win)
		s.notice.Show()
		return
	}
	s.loadSeries()
	s.check()
	s.state.dataChanged()
	s.setStatus(view.NumbersMoved(n.Next), widget.SuccessImportance)
}
