package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/ui/view"
)

// checkPanel is "Check the database" in Settings: the same check as
// `rebill check` (store.Check), run in the background, its findings shown
// as a list of what is wrong, where, and what to do.
type checkPanel struct {
	state *appState

	run *widget.Button
	// progress is the dialog of the last check run.
	progress *progressDialog
	status   *widget.Label
	head     *widget.Label
	list     *fyne.Container
	content  fyne.CanvasObject
}

func newCheckPanel(st *appState) *checkPanel {
	p := &checkPanel{state: st}
	p.run = widget.NewButtonWithIcon("Check the database", theme.SearchIcon(), p.onCheck)
	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	p.head = widget.NewLabel("")
	p.head.Wrapping = fyne.TextWrapBreak
	p.head.Importance = widget.LowImportance
	p.head.Hide()
	p.list = container.NewVBox()
	intro := lowNote("Verifies the database file, the checksum of every stored row, the invoice audit log, and every issued invoice and credit note against the log. The same check as rebill check.")
	p.content = container.NewVBox(intro, container.NewHBox(p.run), p.status, p.list, p.head)
	return p
}

func (p *checkPanel) view() fyne.CanvasObject { return p.content }

// onCheck runs the check in the background, behind a progress dialog
// with Cancel, and shows its findings. The check only reads: a cancel
// drops its result.
func (p *checkPanel) onCheck() {
	p.run.Disable()
	p.status.Importance = widget.MediumImportance
	p.status.SetText("Checking the database…")
	p.list.RemoveAll()
	p.head.Hide()
	var v view.CheckView
	p.progress = runWithProgress(p.state, nil, "Check the database", "Checking the database file, every stored row and the audit log…",
		func(ctx context.Context, _ progressFunc) (string, error) {
			rep, err := p.state.db.Check()
			if ctx.Err() != nil {
				return "", ctx.Err()
			}
			v = view.Check(rep, err)
			return v.Headline, nil
		},
		func(_ string, err error) {
			if err != nil {
				p.run.Enable()
				p.status.SetText(cancelledText)
				return
			}
			p.show(v)
		})
}

// show binds a check's view.
func (p *checkPanel) show(v view.CheckView) {
	p.run.Enable()
	p.status.Importance = importanceOf(v.Tone)
	p.status.SetText(v.Headline)
	p.list.RemoveAll()
	for _, f := range v.Findings {
		title := widget.NewLabelWithStyle(f.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		title.Wrapping = fyne.TextWrapWord
		problem := widget.NewLabel(f.Problem)
		problem.Wrapping = fyne.TextWrapWord
		advice := lowNote(f.Advice)
		p.list.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), nil,
			container.NewVBox(title, problem, advice)))
	}
	if v.More != "" {
		p.list.Add(lowNote(v.More))
	}
	p.head.SetText(v.Head)
	showWhen(p.head, v.Head != "")
}
