package invoice

import (
	"fmt"

	"rebill/engine/billing"
	"rebill/engine/lineitem"
)

// Action is something done to an invoice. The lifecycle actions are
// checked against Transitions; Generate, Export, Correct and MoveSeries
// only name audit log entries.
type Action string

// Actions.
const (
	ActionGenerate   Action = "generate"
	ActionRegenerate Action = "regenerate"
	ActionApprove    Action = "approve"
	ActionDelete     Action = "delete"
	ActionClose      Action = "close"
	ActionVoid       Action = "void"
	// ActionCredit issues a credit note against the invoice; the invoice's
	// own status does not change.
	ActionCredit  Action = "credit_note"
	ActionExport  Action = "export"
	ActionCorrect Action = "correct"
	// ActionMoveSeries moves a number series forward by hand. Its entry
	// names the series (Numbering.AuditID), not a document: before and
	// after are the series (SeriesMove), after with the reason.
	ActionMoveSeries Action = "move_series"
)

// Deleted is the "status" after ActionDelete in Transitions: the draft is
// gone, and since it never had a number, no number is lost.
const Deleted Status = "deleted"

// Transition is one allowed change: an action on an invoice with stored
// status From leaves it with status To.
type Transition struct {
	From   Status
	Action Action
	To     Status
}

// Transitions lists every allowed change; every other (status, action)
// pair is refused with the reason (see Invoice.Can). It is exported so the
// window can enable only the buttons that will work, and so a test can
// walk every pair.
var Transitions = []Transition{
	{Draft, ActionApprove, Open},
	{Draft, ActionRegenerate, Draft},
	{Draft, ActionDelete, Deleted},
	{Open, ActionClose, Closed},
	{Open, ActionVoid, Void},
	{Open, ActionCredit, Open},
	{Closed, ActionCredit, Closed},
}

// LifecycleActions are the actions Transitions governs.
var LifecycleActions = []Action{ActionApprove, ActionRegenerate, ActionDelete, ActionClose, ActionVoid, ActionCredit}

// TransitionError is a refused action, with the reason and what to do
// instead, as the accountant reads it.
type TransitionError struct {
	Invoice string // the invoice's label, e.g. "invoice INV-2026-00012"
	Status  Status
	Action  Action
	Reason  string
}

// Error returns the reason.
func (e *TransitionError) Error() string { return e.Reason }

// next returns the status the action leads to from the invoice's stored
// status, and whether it is allowed.
func (inv Invoice) next(a Action) (Status, bool) {
	if a == ActionCredit && inv.Kind == KindCreditNote {
		return "", false
	}
	for _, t := range Transitions {
		if t.From == inv.Status && t.Action == a {
			return t.To, true
		}
	}
	return "", false
}

// Can returns nil when the action is allowed on the invoice, or a
// *TransitionError saying why not and what to do instead.
func (inv Invoice) Can(a Action) error {
	if _, ok := inv.next(a); ok {
		return nil
	}
	return &TransitionError{Invoice: inv.Label(), Status: inv.Status, Action: a, Reason: inv.refusal(a)}
}

// refusal explains a refused action: the rule behind it and the way out.
func (inv Invoice) refusal(a Action) string {
	// A credit note's Open reads Issued (StatusLabel), here as in the lists.
	l, st, open := inv.Label(), inv.StatusLabel(inv.Status), inv.StatusLabel(Open)
	if a == ActionCredit && inv.Kind == KindCreditNote {
		return fmt.Sprintf("%s is itself a credit note and cannot be credited; void it if it is still %s", l, open)
	}
	switch inv.Status {
	case Draft:
		switch a {
		case ActionClose:
			return fmt.Sprintf("%s is a Draft and cannot be closed; approve it first", l)
		case ActionVoid:
			return fmt.Sprintf("%s is a Draft that was never issued and cannot be voided; delete it instead", l)
		case ActionCredit:
			return fmt.Sprintf("%s is a Draft that was never issued, so there is nothing to credit; regenerate or delete it instead", l)
		}
	case Open:
		switch a {
		case ActionApprove:
			return fmt.Sprintf("%s is already %s (issued on %s)", l, open, inv.IssueDate)
		case ActionRegenerate:
			if inv.Kind == KindCreditNote {
				return fmt.Sprintf("%s is %s and cannot be edited; void it and issue the right credit note instead", l, open)
			}
			return fmt.Sprintf("%s is %s and cannot be edited; issue a credit note instead", l, open)
		case ActionDelete:
			if inv.Kind == KindCreditNote {
				return fmt.Sprintf("%s is %s and cannot be deleted (its number must stay in the sequence); void it instead", l, open)
			}
			return fmt.Sprintf("%s is %s and cannot be deleted (its number must stay in the sequence); void it or issue a credit note instead", l, open)
		}
	case Closed:
		switch a {
		case ActionApprove, ActionClose:
			return fmt.Sprintf("%s is already Closed%s", l, inv.paidText())
		case ActionRegenerate:
			return fmt.Sprintf("%s is Closed and cannot be edited; issue a credit note instead", l)
		case ActionDelete:
			return fmt.Sprintf("%s is Closed and cannot be deleted; issue a credit note instead", l)
		case ActionVoid:
			return fmt.Sprintf("%s is Closed (settled) and cannot be voided; issue a credit note instead", l)
		}
	case Void:
		return fmt.Sprintf("%s is Void (%s) and cannot be changed; its number stays used. Generate a new invoice instead", l, inv.VoidReason)
	}
	return fmt.Sprintf("%s is %s: %s is not possible", l, st, a)
}

func (inv Invoice) paidText() string {
	if inv.PaidDate.IsZero() {
		return ""
	}
	s := " (paid on " + inv.PaidDate.String()
	if inv.PaymentRef != "" {
		s += ", reference " + inv.PaymentRef
	}
	return s + ")"
}

// Label names the invoice in messages: by number once issued ("invoice
// INV-2026-00012", "credit note CN-2026-00003"), by customer and period
// while a draft ("draft invoice of ACME for 2026-09").
func (inv Invoice) Label() string {
	if inv.Number != "" {
		return inv.Kind.Label() + " " + inv.Number
	}
	if p := inv.Provider(); p != lineitem.AWS {
		return fmt.Sprintf("draft %s of %s for %s (%s)", inv.Kind.Label(), inv.CustomerID, inv.Period, billing.ProviderName(p))
	}
	return fmt.Sprintf("draft %s of %s for %s", inv.Kind.Label(), inv.CustomerID, inv.Period)
}
