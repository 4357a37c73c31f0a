package invoice

import (
	"fmt"
	"strings"
	"time"
)

// Status is where an invoice is in its life. Draft, Open, Closed and Void
// are stored; PastDue is never stored but derived from Open and the date
// (see Effective), so an invoice becomes Past Due without anybody writing
// to the database.
type Status string

// Statuses.
const (
	// Draft is generated and not approved: never visible to the customer,
	// unnumbered, free to regenerate or delete.
	Draft Status = "draft"
	// Open is approved: numbered, dated and immutable; awaiting payment.
	Open Status = "open"
	// Closed is settled: paid (with a date and a reference) or otherwise
	// settled. Nothing changes it; corrections are credit notes.
	Closed Status = "closed"
	// Void is an Open invoice cancelled; it keeps its number, which is
	// never reused, so the sequence stays gapless.
	Void Status = "void"
	// PastDue is an Open invoice after its due date (derived, not stored).
	PastDue Status = "past_due"
)

// Statuses lists the statuses in the order a filter offers them.
var Statuses = []Status{Draft, Open, PastDue, Closed, Void}

// Label is the status as the accountant reads it: "Past Due".
func (s Status) Label() string {
	switch s {
	case Draft:
		return "Draft"
	case Open:
		return "Open"
	case Closed:
		return "Closed"
	case Void:
		return "Void"
	case PastDue:
		return "Past Due"
	}
	return string(s)
}

// ParseStatus reads a status as typed in a filter: any case, with a space,
// hyphen or underscore in "past due".
func ParseStatus(s string) (Status, error) {
	k := strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(strings.TrimSpace(s)))
	for _, st := range Statuses {
		if string(st) == k {
			return st, nil
		}
	}
	return "", fmt.Errorf("status %q is not one of draft, open, past-due, closed, void", s)
}

// Kind tells an invoice from a credit note: they share the lifecycle but
// each has its own number series.
type Kind string

// Kinds.
const (
	KindInvoice    Kind = "invoice"
	KindCreditNote Kind = "credit_note"
)

// Label is the document's title in running text: "invoice", "credit note".
func (k Kind) Label() string {
	if k == KindCreditNote {
		return "credit note"
	}
	return "invoice"
}

// Effective is the status to show at now: PastDue for an Open invoice
// whose due date is before now's calendar day (in now's location), the
// stored status otherwise. Credit notes are never past due: nothing is
// owed on them.
func (inv Invoice) Effective(now time.Time) Status {
	if inv.Status == Open && inv.Kind == KindInvoice && !inv.DueDate.IsZero() && DateOf(now).After(inv.DueDate) {
		return PastDue
	}
	return inv.Status
}

// StatusLabel is status st of the invoice (its stored status, or
// Effective's) as the accountant and the customer read it: st's Label,
// except that an approved credit note is "Issued". It is set off against
// the invoice it credits as it is issued, and "Open" would say that
// something is still awaited on it. A status filter still finds it under
// Open.
func (inv Invoice) StatusLabel(st Status) string {
	if inv.Kind == KindCreditNote && st == Open {
		return "Issued"
	}
	return st.Label()
}

// Is reports whether the invoice has status s at now; Is(Open) is false
// for a past-due invoice and Is(PastDue) is true, as a status filter means.
func (inv Invoice) Is(s Status, now time.Time) bool { return inv.Effective(now) == s }
