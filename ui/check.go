package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/document"
	"rebill/store"
)

// checkPanel is "Check the database" in Settings: the same check as
// `rebill check` (store.Check), run in the background, its findings shown
// as a list of what is wrong, where, and what to do.
type checkPanel struct {
	state *appState

	run     *widget.Button
	status  *widget.Label
	head    *widget.Label
	list    *fyne.Container
	content fyne.CanvasObject
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

// onCheck runs the check in the background and shows its findings.
func (p *checkPanel) onCheck() {
	p.run.Disable()
	p.status.Importance = widget.MediumImportance
	p.status.SetText("Checking the database…")
	p.list.RemoveAll()
	p.head.Hide()
	p.state.run(func() {
		rep, err := p.state.db.Check()
		fyne.Do(func() { p.show(checkViewOf(rep, err)) })
	})
}

// show binds a check's view.
func (p *checkPanel) show(v checkView) {
	p.run.Enable()
	p.status.Importance = v.importance
	p.status.SetText(v.headline)
	p.list.RemoveAll()
	for _, f := range v.findings {
		title := widget.NewLabelWithStyle(f.title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		title.Wrapping = fyne.TextWrapWord
		problem := widget.NewLabel(f.problem)
		problem.Wrapping = fyne.TextWrapWord
		advice := lowNote(f.advice)
		p.list.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), nil,
			container.NewVBox(title, problem, advice)))
	}
	if v.more != "" {
		p.list.Add(lowNote(v.more))
	}
	p.head.SetText(v.head)
	showWhen(p.head, v.head != "")
}

// checkView is what the panel shows of a check, computed without Fyne so
// tests read it directly.
type checkView struct {
	headline   string
	importance widget.Importance
	findings   []findingView
	more       string // the findings not listed, counted
	head       string // the audit log's end, to write down
}

// findingView is one finding as a list entry.
type findingView struct {
	title   string // "Invoice NCP-2026-00001 (id 3)"
	problem string // what is wrong, as a sentence
	advice  string // "What to do: …"
}

// maxShownFindings bounds the list: an emptied audit log gives one finding
// per document, and the command line lists them all.
const maxShownFindings = 50

// checkViewOf words a check's result for the panel.
func checkViewOf(rep store.CheckReport, err error) checkView {
	if err != nil {
		return checkView{headline: "The check could not run: " + err.Error(), importance: widget.DangerImportance}
	}
	v := checkView{head: document.AuditText(&rep.Checked.AuditHead)}
	if v.head != "" {
		v.head = "The audit log now ends at: " + v.head + ". Keep this line outside the database (it is printed on exported PDFs and workbooks): a log rewritten later will not lead to it."
	}
	if rep.OK() {
		v.headline = "No problems found. Checked " + rep.Checked.Summary() + "."
		v.importance = widget.SuccessImportance
		return v
	}
	n := len(rep.Findings)
	v.headline = fmt.Sprintf("%d problems found. Checked %s.", n, rep.Checked.Summary())
	if n == 1 {
		v.headline = "1 problem found. Checked " + rep.Checked.Summary() + "."
	}
	v.importance = widget.DangerImportance
	for i, f := range rep.Findings {
		if i == maxShownFindings {
			v.more = fmt.Sprintf("%d more problems are not listed here: rebill check lists them all.", n-maxShownFindings)
			break
		}
		v.findings = append(v.findings, findingView{
			title:   sentence(f.Subject),
			problem: sentence(f.Problem) + ".",
			advice:  "What to do: " + f.Advice + ".",
		})
	}
	return v
}
