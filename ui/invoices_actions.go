package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/invoice"
	"rebill/store"
	"rebill/ui/view"
)

// The Invoices screen's actions: approve, view and delete, each after a
// question the view-model words, then the store's use case, and the
// outcome or the store's refusal in a dialog.

// onApproveAll approves every draft of the month, after a confirmation
// that says how many and for how much.
func (s *invoicesScreen) onApproveAll() {
	period := s.period()
	drafts := s.model.Drafts
	if period == "" || len(drafts) == 0 {
		return
	}
	msg := view.ApproveAllQuestion(period, drafts, s.numberingText(len(drafts)))
	s.confirmWarning("Approve all drafts of "+period, msg, provisionalWarning(s.state.db, period), "Approve "+plural(len(drafts), "draft", "drafts"), func() {
		as, err := s.state.db.ApproveDrafts(period, s.state.now())
		s.approved(as, err)
	})
}

// numberingText says what approving n drafts today does, with the
// numbers they take when the series can be read.
func (s *invoicesScreen) numberingText(n int) string {
	issue := invoice.DateOf(s.state.now())
	first, last := "", ""
	if series, err := s.state.db.InvoiceNumbering(); err == nil {
		if f, l, err := series.Peek(n, issue); err == nil {
			first, last = f, l
		}
	}
	return view.Numbering(n, first, last, issue)
}

// onApprove approves the selected draft.
func (s *invoicesScreen) onApprove() {
	if r, ok := s.selectedRow(); ok {
		s.approveOne(r.Invoice)
	}
}

// approveOne approves one draft after a confirmation.
func (s *invoicesScreen) approveOne(inv invoice.Invoice) {
	if err := inv.Can(invoice.ActionApprove); err != nil {
		s.showError("Not approved", err)
		return
	}
	s.confirm("Approve invoice", view.ApproveQuestion(inv, s.numberingText(1)), "Approve", func() {
		as, err := s.state.db.ApproveInvoices([]string{inv.ID}, s.state.now())
		s.approved(as, err)
	})
}

// approved reports the approvals: the numbers issued and each refusal
// with its reason.
func (s *invoicesScreen) approved(as []store.Approval, err error) {
	if err != nil {
		s.showError("Not approved", err)
		return
	}
	s.state.dataChanged()
	s.notice(view.ApprovedTitle(as), view.Approved(as))
}

// onView opens the selected invoice.
func (s *invoicesScreen) onView() {
	if r, ok := s.selectedRow(); ok {
		s.openViewer(r.Invoice.ID)
	}
}

// openViewer shows one invoice as the customer will see it.
func (s *invoicesScreen) openViewer(id string) {
	s.selected = id
	s.viewer.show(id)
	s.listPage.Hide()
	s.viewer.content.Show()
	s.content.Refresh()
}

// closeViewer goes back to the list.
func (s *invoicesScreen) closeViewer() {
	s.viewer.content.Hide()
	s.listPage.Show()
	s.content.Refresh()
}

// onDelete deletes the selected draft after a confirmation.
func (s *invoicesScreen) onDelete() {
	if r, ok := s.selectedRow(); ok {
		s.deleteDraft(r.Invoice, nil)
	}
}

// deleteDraft deletes a draft after a confirmation, then runs then.
func (s *invoicesScreen) deleteDraft(inv invoice.Invoice, then func()) {
	if err := inv.Can(invoice.ActionDelete); err != nil {
		s.showError("Not deleted", err)
		return
	}
	s.confirm("Delete draft", view.DeleteQuestion(inv), "Delete", func() {
		if _, err := s.state.db.DeleteInvoice(inv.ID, s.state.now()); err != nil {
			s.showError("Not deleted", err)
			return
		}
		s.selected = ""
		s.state.dataChanged()
		if then != nil {
			then()
		}
		s.notice("Draft deleted", view.DraftDeleted(inv))
	})
}

// confirm asks before an action.
func (s *invoicesScreen) confirm(title, msg, ok string, then func()) {
	s.confirmWarning(title, msg, "", ok, then)
}

// confirmWarning asks before an action, with a warning under the question
// when there is one.
func (s *invoicesScreen) confirmWarning(title, msg, warning, ok string, then func()) {
	text := widget.NewLabel(msg)
	text.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(text)
	height := textHeight(msg)
	if warning != "" {
		w := widget.NewLabel(warning)
		w.Wrapping = fyne.TextWrapWord
		w.Importance = widget.WarningImportance
		body.Add(w)
		height += textHeight(warning)
	}
	d := dialog.NewCustomConfirm(title, ok, "Cancel", body, func(yes bool) {
		if yes {
			then()
		}
	}, s.state.win)
	d.Resize(fyne.NewSize(dialogWidth, height+120))
	s.dialog = d
	d.Show()
}

// dialogWidth is the width of the screen's message dialogs.
const dialogWidth = 580

// textHeight is about the height wrapped text takes in a message dialog.
func textHeight(msg string) float32 {
	lines := 0
	avail := float32(dialogWidth - 80)
	for _, p := range strings.Split(msg, "\n") {
		w := fyne.MeasureText(p, theme.TextSize(), fyne.TextStyle{}).Width
		lines += max(1, int(w/avail)+1)
	}
	return float32(lines)*(theme.TextSize()*1.45) + 2*theme.InnerPadding()
}

// notice tells the outcome of an action.
func (s *invoicesScreen) notice(title, msg string) {
	text := widget.NewLabel(msg)
	text.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(title, "OK", text, s.state.win)
	d.Resize(fyne.NewSize(dialogWidth, textHeight(msg)+100))
	s.dialog = d
	d.Show()
}

// showError shows a refusal or a failure with its reason.
func (s *invoicesScreen) showError(title string, err error) {
	msg := sentence(err.Error())
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	s.notice(title, msg)
}
