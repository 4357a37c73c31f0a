package view

import (
	"fmt"
	"strings"
	"time"

	"rebill/engine/lineitem"
	"rebill/store"
)

// The Generate dialog's words: who is checked, and what generating did
// for each customer.

// Checked names the customers checked for invoicing: all of them when
// few, else the first ones and how many more.
func Checked(names []string) string {
	const shown = 4
	n := len(names)
	head := Plural(n, "customer", "customers") + ": "
	if n <= shown {
		return head + strings.Join(names, ", ")
	}
	return head + strings.Join(names[:shown], ", ") + fmt.Sprintf(" and %d more", n-shown)
}

// Columns of the Generate dialog's outcome.
const (
	GenCustomer = iota
	GenOutcome
	GenTotal
	GenDetails
)

// Outcome is one customer's result of generating: what happened, the
// invoice's total and why, the status of an invoice left alone as of now.
func Outcome(r store.Generated, now time.Time) Row {
	name := r.Customer
	if r.Provider != "" && r.Provider != lineitem.AWS {
		name += " (" + ProviderName(r.Provider) + ")" // its second invoice of the month when it has AWS too
	}
	cells := []Cell{GenCustomer: {Text: name}, GenOutcome: {}, GenTotal: {}, GenDetails: {Text: Sentence(r.Reason)}}
	if inv := r.Invoice; inv != nil {
		cells[GenTotal].Text = Money(inv.Total)
	}
	switch r.Outcome {
	case store.Created:
		cells[GenOutcome] = Cell{Text: "Draft created", Tone: Success}
	case store.Replaced:
		cells[GenOutcome] = Cell{Text: "Draft replaced", Tone: Success}
		if cells[GenDetails].Text == "" {
			cells[GenDetails].Text = "The earlier draft of this month was regenerated with these options."
		}
	case store.Issued:
		st := r.Invoice.Effective(now)
		cells[GenOutcome] = Cell{Text: "Left alone: " + st.Label(), Tone: StatusTone(st)}
		cells[GenDetails].Text = "Already approved as " + r.Invoice.Number + "; it never changes"
	case store.NothingToBill:
		cells[GenOutcome] = Cell{Text: "Nothing to bill", Tone: Low}
	case store.Failed:
		cells[GenOutcome] = Cell{Text: "Not generated", Tone: Danger}
	default:
		cells[GenOutcome] = Cell{Text: string(r.Outcome)}
	}
	if inv := r.Invoice; inv != nil && (r.Outcome == store.Created || r.Outcome == store.Replaced) {
		// What the engine noted for the reviewer, to read before approving.
		cells[GenDetails].Text = Sentences(append([]string{cells[GenDetails].Text}, inv.Warnings...)...)
	}
	return Row{ID: r.CustomerID + "/" + string(r.Provider), Cells: cells}
}

// Outcomes counts what generating did in one sentence.
func Outcomes(rep store.GenerateReport) string {
	var parts []string
	add := func(o store.Outcome, one, many string) {
		if n := rep.Count(o); n > 0 {
			parts = append(parts, Plural(n, one, many))
		}
	}
	add(store.Created, "draft created", "drafts created")
	add(store.Replaced, "draft replaced", "drafts replaced")
	add(store.NothingToBill, "customer with nothing to bill", "customers with nothing to bill")
	add(store.Issued, "customer left alone (already approved)", "customers left alone (already approved)")
	add(store.Failed, "customer not generated (see why below)", "customers not generated (see why below)")
	if len(parts) == 0 {
		return rep.Period + ": nothing generated."
	}
	return rep.Period + ": " + strings.Join(parts, ", ") + "."
}
