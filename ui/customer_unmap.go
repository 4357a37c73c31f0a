package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/customer"
	"rebill/engine/invoice"
	"rebill/ui/view"
)

// End mapping… on the Accounts tab: from which month an account no
// longer belongs to the customer, with what that does shown before it is
// done (view.UnmapPreview), and a refusal explained when an issued
// invoice bills a month it would move.

// onEndMapping asks from which month the account no longer belongs to the
// customer, showing what the change does before it is made.
func (t *accountsTab) onEndMapping(m customer.Mapping) {
	intro, hint, month := view.EndMapping(t.cust, m, customer.MonthOf(t.state.now()))
	t.endMonth = widget.NewEntry()
	t.endMonth.SetPlaceHolder("YYYY-MM")
	effect := widget.NewLabel("")
	effect.Wrapping = fyne.TextWrapWord
	field := newFormField("No longer theirs from", t.endMonth, hint)
	introLabel := wrapped(widget.MediumImportance)
	introLabel.SetText(intro)
	content := container.NewVBox(introLabel, newForm(field), effect)
	d := dialog.NewCustomWithoutButtons("End mapping of "+m.Account, content, t.state.win)
	t.endConfirm = widget.NewButtonWithIcon("End mapping", theme.ConfirmIcon(), func() {
		d.Hide()
		t.endMapping(m.Account, strings.TrimSpace(t.endMonth.Text))
	})
	t.endConfirm.Importance = widget.HighImportance
	d.SetButtons([]fyne.CanvasObject{widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), d.Hide), t.endConfirm})
	t.endMonth.OnChanged = func(string) {
		text, others, ok := t.unmapEffect(m.Account, strings.TrimSpace(t.endMonth.Text))
		if ok {
			field.setProblems(nil)
			effect.SetText(text)
		} else {
			field.setProblems([]string{text})
			effect.SetText("")
		}
		// Unmapping is account-wide: a later owner's mapping goes too,
		// which the accountant must notice before confirming.
		effect.Importance, t.endConfirm.Importance = widget.MediumImportance, widget.HighImportance
		if others {
			effect.Importance, t.endConfirm.Importance = widget.WarningImportance, widget.DangerImportance
		}
		effect.Refresh()
		enableWhen(t.endConfirm, ok)
	}
	t.endMonth.SetText(month)
	d.Resize(fyne.NewSize(580, 340))
	d.Show()
}

// unmapEffect says what unmapping the account from a month does
// (customer.UnmapChanges, worded by view.UnmapPreview), and whether it
// can be done; others is true when another customer's mapping goes as
// well.
func (t *accountsTab) unmapEffect(account, from string) (text string, others, ok bool) {
	existing, err := t.state.db.AccountMappings(account)
	if err != nil {
		return err.Error(), false, false
	}
	changes, err := customer.UnmapChanges(existing, account, from)
	if err != nil {
		return err.Error(), false, false
	}
	text, others = view.UnmapPreview(changes, t.cust.ID, from)
	return text, others, true
}

// showInvoiced explains a mapping change refused because an issued
// invoice bills the account in a month it would move: the store's message
// names the invoice and the ways out.
func (t *accountsTab) showInvoiced(me *invoice.MoveError) {
	title, text := view.Invoiced(me)
	msg := widget.NewLabel(text)
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(title, "Close", msg, t.state.win)
	d.Resize(fyne.NewSize(600, 300))
	d.Show()
}

// endMapping unmaps the account from a month on.
func (t *accountsTab) endMapping(account, from string) {
	if _, err := t.state.db.Unmap(account, from, t.state.now()); err != nil {
		var me *invoice.MoveError
		if errors.As(err, &me) {
			t.showInvoiced(me)
			return
		}
		dialog.ShowError(err, t.state.win)
		return
	}
	t.setStatus(view.Unmapped(account, t.cust.ID, from), widget.SuccessImportance)
	t.changed()
}
