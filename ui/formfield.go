package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/customer"
	"rebill/ui/view"
)

// formField is one input of a form with what the accountant needs beside
// it: a hint saying what to write and, under the input, the problems the
// engine's validation finds with it. Forms validate as the accountant
// types, so problems appear and go away while typing.
type formField struct {
	label   string
	input   fyne.CanvasObject
	hint    *widget.Label
	problem *widget.Label
	box     *fyne.Container
	// typed is set once the input held something: from then on its
	// problems are shown (see showTyped).
	typed bool
}

func newFormField(label string, input fyne.CanvasObject, hint string) *formField {
	f := &formField{label: label, input: input}
	f.problem = widget.NewLabel("")
	f.problem.Importance = widget.DangerImportance
	f.problem.Wrapping = fyne.TextWrapWord
	f.problem.Hide()
	f.hint = widget.NewLabel(hint)
	f.hint.Importance = widget.LowImportance
	f.hint.Wrapping = fyne.TextWrapWord
	f.hint.SizeName = theme.SizeNameCaptionText
	if hint == "" {
		f.hint.Hide()
	}
	f.box = container.NewVBox(input, f.problem, f.hint)
	return f
}

// setProblems shows the messages under the input, one per line, or
// nothing.
func (f *formField) setProblems(msgs []string) {
	text := ""
	for i, m := range msgs {
		if i > 0 {
			text += "\n"
		}
		text += sentence(m)
	}
	if text == f.problem.Text && f.problem.Visible() == (text != "") {
		return
	}
	f.problem.SetText(text)
	if text == "" {
		f.problem.Hide()
	} else {
		f.problem.Show()
	}
}

// showTyped shows each field's problems once something was typed or
// chosen in it, so that a form does not greet the accountant in red for
// the fields not reached yet, and returns whether any is shown.
func showTyped(fields map[string]*formField, ps customer.Problems) bool {
	shown := false
	for k, f := range fields {
		if inputText(f.input) != "" {
			f.typed = true
		}
		if !f.typed {
			f.setProblems(nil)
			continue
		}
		f.setProblems(ps.Of(k))
		shown = shown || len(ps.Of(k)) > 0
	}
	return shown
}

// formStatus words the status line of a form validated as typed: the
// first problem shown, or, while the problems are all in fields not
// reached yet, which fields are still to fill in; "" when nothing is
// wrong.
func formStatus(order []*formField, fields map[string]*formField, ps customer.Problems, shown bool) string {
	if shown {
		return firstProblem(order)
	}
	var missing []string
	for _, f := range order {
		for k, g := range fields {
			if g == f && len(ps.Of(k)) > 0 {
				missing = append(missing, f.label)
			}
		}
	}
	if len(missing) == 0 {
		return ""
	}
	return "To save, fill in " + strings.Join(missing, ", ") + "."
}

// fieldAdder makes a form's fields, keeping each by its key (the field
// the engine's problems name) and in the order the form shows them.
func fieldAdder(fields map[string]*formField, order *[]*formField) func(key, label string, input fyne.CanvasObject, hint string) *formField {
	return func(key, label string, input fyne.CanvasObject, hint string) *formField {
		f := newFormField(label, input, hint)
		fields[key] = f
		*order = append(*order, f)
		return f
	}
}

// showFormStatus shows a form's status line (formStatus) in red, or hides
// it when nothing is wrong.
func showFormStatus(status *widget.Label, text string) {
	if text == "" {
		status.Hide()
		return
	}
	status.Importance = widget.DangerImportance
	status.SetText(text)
	status.Show()
}

// clearTyped forgets what was typed in the fields, after a save.
func clearTyped(fields map[string]*formField) {
	for _, f := range fields {
		f.typed = false
		f.setProblems(nil)
	}
}

// inputText is what an input holds, as text.
func inputText(o fyne.CanvasObject) string {
	switch w := o.(type) {
	case *widget.Entry:
		return w.Text
	case *widget.SelectEntry:
		return w.Text
	case *widget.Select:
		return w.Selected
	}
	return ""
}

// problems returns the messages shown under the input.
func (f *formField) problems() string {
	if !f.problem.Visible() {
		return ""
	}
	return f.problem.Text
}

// firstProblem words the status line of a form that cannot be saved: the
// first field, top to bottom, showing a problem, by its label, with its
// first problem, so that the accountant knows what to correct even when
// that field is scrolled out of sight.
func firstProblem(order []*formField) string {
	if label, msg, ok := firstFieldProblem(order); ok {
		return "To save, correct " + label + ": " + msg
	}
	return "Correct what is shown in red to save."
}

// firstFieldProblem is the first field of order showing a problem: its
// label and its first problem, as a sentence.
func firstFieldProblem(order []*formField) (label, msg string, ok bool) {
	for _, f := range order {
		if p := f.problems(); p != "" {
			first, _, _ := strings.Cut(p, "\n")
			return f.label, strings.TrimSuffix(first, ".") + ".", true
		}
	}
	return "", "", false
}

// fieldsInOrder lists the fields of keys, in that order, then the others
// (as firstProblem takes them).
func fieldsInOrder(fields map[string]*formField, keys []string) []*formField {
	var out []*formField
	seen := map[string]bool{}
	for _, k := range keys {
		if f, ok := fields[k]; ok {
			out, seen[k] = append(out, f), true
		}
	}
	for k, f := range fields {
		if !seen[k] {
			out = append(out, f)
		}
	}
	return out
}

// blankRow reports whether a row of a rowEditor holds no text at all: a
// row just added, which a form neither saves nor reports as wrong.
func blankRow(row []string) bool {
	for _, v := range row {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// newForm lays fields out with their labels in one aligned column.
func newForm(fields ...*formField) *fyne.Container {
	return (&labelColumn{}).form(fields...)
}

// labelColumn lines up the labels of several forms of one screen, so that
// every input starts at the same place whatever section it is in.
type labelColumn struct{ labels []*widget.Label }

// form lays fields out under one another, each label beside its input.
func (c *labelColumn) form(fields ...*formField) *fyne.Container {
	rows := container.NewVBox()
	for _, f := range fields {
		l := widget.NewLabel(f.label)
		l.TextStyle = fyne.TextStyle{Bold: true}
		l.Alignment = fyne.TextAlignTrailing
		c.labels = append(c.labels, l)
		rows.Add(container.New(&labelRow{c}, l, f.box))
	}
	return rows
}

func (c *labelColumn) width() float32 {
	var w float32
	for _, l := range c.labels {
		w = max(w, l.MinSize().Width)
	}
	return w
}

// problemsOf returns the per-field problems a Validate method reported;
// any other error becomes a problem of no field.
func problemsOf(err error) customer.Problems {
	if err == nil {
		return nil
	}
	var ps customer.Problems
	if errors.As(err, &ps) {
		return ps
	}
	var p customer.Problem
	if errors.As(err, &p) {
		return customer.Problems{p}
	}
	return customer.Problems{{Message: err.Error()}}
}

// sentence starts a message with a capital letter (view.Sentence).
func sentence(s string) string { return view.Sentence(s) }

// formSection is the bold title over a group of fields.
func formSection(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.TextStyle = fyne.TextStyle{Bold: true}
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// lowNote is a wrapped, low-key explanation.
func lowNote(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.LowImportance
	return l
}

// wrapped is a wrapped label of some importance, for banners and
// messages whose text a view-model words.
func wrapped(imp widget.Importance) *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Importance = imp
	return l
}

// boldLabel names the control beside it.
func boldLabel(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// fixedWidth gives a drop-down a width of its own, whatever its choices.
func fixedWidth(sel *widget.Select, w float32) fyne.CanvasObject {
	return container.New(layout.NewGridWrapLayout(fyne.NewSize(w, sel.MinSize().Height)), sel)
}

// multiLineEntry is an entry for several lines, such as an address.
func multiLineEntry(rows int) *widget.Entry {
	e := widget.NewMultiLineEntry()
	e.Wrapping = fyne.TextWrapWord
	e.SetMinRowsVisible(rows)
	return e
}

// splitLines reads a multi-line entry as lines; blank lines are kept for
// the engine's normalization to drop.
func splitLines(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	if strings.TrimSpace(text) == "" {
		return []string{}
	}
	return strings.Split(text, "\n")
}

// enableWhen enables or disables a button.
func enableWhen(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

// showWhen shows or hides an object.
func showWhen(o fyne.CanvasObject, on bool) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}
