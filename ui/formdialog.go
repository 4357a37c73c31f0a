package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/customer"
)

// formDialog is a dialog over formFields that never closes on an error
// and never loses what was typed: its action runs only when the engine
// finds nothing wrong, and a refusal (the engine's, or the store's at
// the last moment) is shown beside the field it names, or on the
// dialog's status line, with the dialog still open. Only Cancel and a
// successful action close it.
type formDialog struct {
	fields map[string]*formField
	order  []*formField
	status *widget.Label
	ok     *widget.Button
	cancel *widget.Button
	d      *dialog.CustomDialog
	// check reads the form and returns its problems by field (those of no
	// field go to the status line); submit does the action and returns
	// what to show once the dialog is closed (a dialog opened over this
	// one would close with it).
	check  func() error
	submit func() (then func(), err error)
	// shown is set once the accountant tried the action: problems are
	// shown from then on, and while typing, rather than greeting an
	// untouched form in red.
	shown bool
}

// newFormDialog lays fields out (by the keys a refusal's
// customer.Problem names) above an action and a Cancel button.
func newFormDialog(title, okText string, win fyne.Window, keys []string, fields []*formField, check func() error, submit func() (func(), error)) *formDialog {
	fd := &formDialog{fields: map[string]*formField{}, order: fields, check: check, submit: submit}
	for i, k := range keys {
		fd.fields[k] = fields[i]
	}
	fd.status = wrapped(widget.DangerImportance)
	fd.status.Hide()
	fd.ok = widget.NewButton(okText, fd.onOK)
	fd.ok.Importance = widget.HighImportance
	fd.cancel = widget.NewButton("Cancel", func() { fd.d.Hide() })
	// The form scrolls, so that problems shown under the fields never
	// push the buttons out of a small window.
	body := container.NewBorder(nil, fd.status, nil, nil, container.NewVScroll(newForm(fields...)))
	fd.d = dialog.NewCustomWithoutButtons(title, body, win)
	fd.d.SetButtons([]fyne.CanvasObject{fd.cancel, fd.ok})
	return fd
}

// changed re-validates after a keystroke, once problems are shown.
func (fd *formDialog) changed() {
	if fd.shown {
		fd.show(fd.check())
	}
}

// show puts each problem of err beside its field, and the others on the
// status line; it reports whether there were none.
func (fd *formDialog) show(err error) bool {
	ps := problemsOf(err)
	var orphans []string
	for _, p := range ps {
		if _, ok := fd.fields[p.Field]; !ok {
			orphans = append(orphans, sentence(p.Message))
		}
	}
	for k, f := range fd.fields {
		f.setProblems(ps.Of(k))
	}
	// A problem of a field shows beside it, in sight in a dialog; the
	// status line is for the others (the store's refusals).
	text := strings.Join(orphans, "\n")
	fd.status.SetText(text)
	showWhen(fd.status, text != "")
	return len(ps) == 0
}

// onOK runs the action if the form is valid; on a refusal the dialog
// stays open with the problem shown.
func (fd *formDialog) onOK() {
	fd.shown = true
	if !fd.show(fd.check()) {
		return
	}
	then, err := fd.submit()
	if err != nil {
		var p customer.Problem
		if !errors.As(err, &p) {
			err = customer.Problem{Message: err.Error()}
		}
		fd.show(err)
		return
	}
	fd.d.Hide()
	if then != nil {
		then()
	}
}
