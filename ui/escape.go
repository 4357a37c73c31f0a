package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// Fyne has no Escape for dialogs. Rather than open every dialog through a
// helper, the window handles Escape itself (registerKeys): it presses the
// button that dismisses the dialog on top, so whatever Cancel does (a
// callback told "no", a restore candidate discarded) happens exactly as
// if it were clicked, and Fyne's own file and folder dialogs are covered
// too. A dialog with no such button is left open: it asks for a choice.
//
// Fyne hands a key to the focused widget when there is one, and its Entry
// ignores Escape: while the cursor is in a text field the window never
// sees the key. Help says so (click beside the field first); a field type
// of our own that passes Escape on would lift that, at the cost of
// touching every form.

// dismissWords are the texts of the buttons that dismiss a dialog, the
// first found wins: "Cancel" before "OK" in a dialog that has both.
var dismissWords = []string{"Cancel", "Close", "No", "Done", "OK"}

// closeTopDialog presses the dismissing button of the canvas's top
// overlay, and reports whether there was one.
func closeTopDialog(c fyne.Canvas) bool {
	top := c.Overlays().Top()
	if top == nil || !top.Visible() {
		return false
	}
	var buttons []*widget.Button
	collectButtons(top, &buttons)
	for _, word := range dismissWords {
		for _, b := range buttons {
			if b.Text == word && b.OnTapped != nil && !b.Disabled() {
				b.OnTapped()
				return true
			}
		}
	}
	return false
}

// collectButtons lists the visible buttons under o, through pop-ups and
// containers: a dialog's buttons sit in plain containers, so the search
// does not go into other widgets (tables, lists) whose buttons are
// content, not the dialog's.
func collectButtons(o fyne.CanvasObject, out *[]*widget.Button) {
	if o == nil || !o.Visible() {
		return
	}
	switch w := o.(type) {
	case *widget.Button:
		*out = append(*out, w)
	case *widget.PopUp:
		collectButtons(w.Content, out)
	case *fyne.Container:
		for _, c := range w.Objects {
			collectButtons(c, out)
		}
	}
}
