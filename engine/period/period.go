// Package period holds the rules of a billing month's close: whether the
// accountant has closed a provider's month (named as FOCUS 1.4's
// BillingPeriodStatus names it: Open or Closed), the recommended earliest
// day to invoice it (five business days after month end, the country's
// holidays skipped), and what a delivery that arrives after the close
// changes per customer (a late adjustment). It is pure: the store keeps
// the records, and every instant is passed in.
package period

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"rebill/engine/billing"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
)

// Status is the state of a provider's billing month, with the two values
// of FOCUS 1.4's BillingPeriodStatus.
type Status string

// Statuses.
const (
	// Open: charges may still be added or revised; the month is not
	// considered settled by the accountant (the default).
	Open Status = "Open"
	// Closed: the accountant has closed the month; a delivery imported
	// afterwards is a late adjustment.
	Closed Status = "Closed"
)

// Audit log actions of a month's close. Their entries name the month
// (Record.AuditID), not a document, so the log's document checks skip them.
const (
	ActionClose  invoice.Action = "period_close"
	ActionReopen invoice.Action = "period_reopen"
	// ActionHolidayAdd and ActionHolidayDelete change the holidays the
	// earliest invoicing day skips; their entries name "holiday:CC:DAY".
	ActionHolidayAdd    invoice.Action = "holiday_add"
	ActionHolidayDelete invoice.Action = "holiday_delete"
)

// Event is one close or reopen of a month, as the history keeps it.
type Event struct {
	At     time.Time      `json:"at"`
	Action invoice.Action `json:"action"`
	By     string         `json:"by,omitempty"` // the system user
	Reason string         `json:"reason,omitempty"`
}

// Record is the close state of one provider's month: its status, every
// close and reopen, and the late adjustments imported while it was
// closed. A month with no record is Open.
type Record struct {
	Provider string `json:"provider"`
	Period   string `json:"period"` // YYYY-MM
	Status   Status `json:"status"`
	// Events are the closes and reopens, oldest first.
	Events []Event `json:"events"`
	// Late are the deliveries imported while the month was Closed,
	// oldest first.
	Late []Adjustment `json:"late_adjustments"`
}

// New returns the record of a month never closed.
func New(provider, period string) Record {
	return Record{Provider: provider, Period: period, Status: Open, Events: []Event{}, Late: []Adjustment{}}
}

// AuditID names the month in the audit log: "period:aws:2018-10". No
// document id has a colon, so the two never meet.
func (r Record) AuditID() string { return "period:" + r.Provider + ":" + r.Period }

// IsClosed tells whether the month is Closed.
func (r Record) IsClosed() bool { return r.Status == Closed }

// Last returns the latest close or reopen; false when there is none.
func (r Record) Last() (Event, bool) {
	if len(r.Events) == 0 {
		return Event{}, false
	}
	return r.Events[len(r.Events)-1], true
}

// Close closes the month. The reason is optional (closing is the normal
// course of a month) but kept when given; closing a Closed month is
// refused so that the history never holds a close that changed nothing.
func (r Record) Close(at time.Time, by, reason string) (Record, error) {
	if r.IsClosed() {
		last, _ := r.Last()
		return r, fmt.Errorf("%s %s is already closed (since %s by %s): nothing to do", r.Provider, r.Period, last.At.UTC().Format(time.DateOnly), orUnknown(last.By))
	}
	return r.with(Closed, Event{At: at.UTC().Round(0), Action: ActionClose, By: by, Reason: strings.TrimSpace(reason)}), nil
}

// Reopen opens a Closed month again. A reason is required: reopening
// lets the month's invoices be computed anew, so the log must say why.
func (r Record) Reopen(at time.Time, by, reason string) (Record, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case !r.IsClosed():
		return r, fmt.Errorf("%s %s is open: only a closed month can be reopened", r.Provider, r.Period)
	case reason == "":
		return r, errors.New("reopening a closed month needs a reason (--reason TEXT), which the audit log keeps")
	}
	return r.with(Open, Event{At: at.UTC().Round(0), Action: ActionReopen, By: by, Reason: reason}), nil
}

// with returns a copy of r in status s with e appended, sharing nothing
// with r.
func (r Record) with(s Status, e Event) Record {
	out := r
	out.Status = s
	out.Events = append(append([]Event{}, r.Events...), e)
	out.Late = append([]Adjustment{}, r.Late...)
	return out
}

func orUnknown(s string) string {
	if s == "" {
		return "an unknown user"
	}
	return s
}

// CheckMonth validates a YYYY-MM month.
func CheckMonth(period string) error {
	if _, err := time.Parse("2006-01", period); err != nil || len(period) != 7 {
		return fmt.Errorf("month %q is not a YYYY-MM month", period)
	}
	return nil
}

// CloseWarnings are what to know before closing a provider's month: its
// data is still provisional (the provider may deliver it again, and that
// delivery will be a late adjustment of the closed month), or no
// distributor invoice is recorded for it (the month is closed without
// being tied to what the distributor bills). Closing stays the
// accountant's choice: these are said, not refused.
func CloseWarnings(provider, month string, final bool, distributorInvoices int) []string {
	provider = billing.ProviderName(lineitem.Provider(provider))
	var out []string
	if !final {
		out = append(out, fmt.Sprintf("%s %s is provisional: the provider may deliver it again, and a delivery after the close is a late adjustment", provider, month))
	}
	if distributorInvoices == 0 {
		out = append(out, fmt.Sprintf("no distributor invoice is recorded for %s %s: the month is not yet tied to what the distributor bills (rebill reconcile; Reconciliation in the window)", provider, month))
	}
	return out
}
