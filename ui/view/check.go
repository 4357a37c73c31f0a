package view

import (
	"fmt"

	"rebill/engine/document"
	"rebill/store"
)

// CheckView is what Settings > Database shows of a check of the database
// (store.Check, the same as rebill check).
type CheckView struct {
	Headline string
	Tone     Tone
	Findings []Finding
	// More counts the findings not listed.
	More string
	// Head is the audit log's end, to write down outside the database.
	Head string
}

// Finding is one finding as a list entry.
type Finding struct {
	Title   string // "Invoice NCP-2026-00001 (id 3)"
	Problem string // what is wrong, as a sentence
	Advice  string // "What to do: …"
}

// maxShownFindings bounds the list: an emptied audit log gives one finding
// per document, and the command line lists them all.
const maxShownFindings = 50

// Check words a check's result, or why it could not run.
func Check(rep store.CheckReport, err error) CheckView {
	if err != nil {
		return CheckView{Headline: "The check could not run: " + err.Error(), Tone: Danger}
	}
	v := CheckView{Head: document.AuditText(&rep.Checked.AuditHead)}
	if v.Head != "" {
		v.Head = "The audit log now ends at: " + v.Head + ". Keep this line outside the database (it is printed on exported PDFs and workbooks): a log rewritten later will not lead to it."
	}
	if rep.OK() {
		v.Headline = "No problems found. Checked " + rep.Checked.Summary() + "."
		v.Tone = Success
		return v
	}
	n := len(rep.Findings)
	v.Headline = fmt.Sprintf("%s found. Checked %s.", Plural(n, "problem", "problems"), rep.Checked.Summary())
	v.Tone = Danger
	for i, f := range rep.Findings {
		if i == maxShownFindings {
			v.More = fmt.Sprintf("%s not listed here: rebill check lists them all.", Plural(n-maxShownFindings, "more problem is", "more problems are"))
			break
		}
		v.Findings = append(v.Findings, Finding{
			Title:   Sentence(f.Subject),
			Problem: Sentence(f.Problem) + ".",
			Advice:  "What to do: " + f.Advice + ".",
		})
	}
	return v
}
