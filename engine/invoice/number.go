package invoice

import (
	"fmt"
	"strings"

	"rebill/engine/customer"
	"rebill/engine/words"
)

// DefaultCreditNoteFormat numbers credit notes apart from invoices:
// CN-2026-00001 onwards. Tax authorities expect each series to be gapless
// on its own, so credit notes never take an invoice number.
const DefaultCreditNoteFormat = "CN-{YYYY}-{SEQ:5}"

// Numbering is one number series: its format (customer.FormatNumber's
// tokens) and the sequence number the next approved document gets. It is
// a value: Assign returns the next Numbering instead of changing a counter,
// so the store writes the invoice and its counter in one transaction and a
// failed approval consumes nothing.
//
// Numbers are gapless because only approval consumes one: drafts have no
// number (deleting one loses nothing) and a voided invoice keeps its
// number, which is never reused.
type Numbering struct {
	Series Kind   `json:"series"`
	Format string `json:"format"`
	Next   int    `json:"next"`
}

// InvoiceNumbering is the invoice series: the number format of the
// reseller's profile (customer.Profile.NumberFormat) and the counter the
// store keeps apart from the profile.
func InvoiceNumbering(format string, next int) Numbering {
	return Numbering{Series: KindInvoice, Format: format, Next: next}
}

// CreditNoteNumbering is the credit note series; the profile has no
// setting for it yet, so the store keeps its format and counter ("" takes
// DefaultCreditNoteFormat).
func CreditNoteNumbering(format string, next int) Numbering {
	if format == "" {
		format = DefaultCreditNoteFormat
	}
	return Numbering{Series: KindCreditNote, Format: format, Next: next}
}

// Assign returns the number of the next document of the series issued on
// the given day and the series' next state.
func (n Numbering) Assign(issue Date) (string, Numbering, error) {
	if err := customer.CheckNumberFormat(n.Format); err != nil {
		return "", n, err
	}
	if n.Next < 1 {
		return "", n, fmt.Errorf("the next %s number is %d: numbers start at 1", n.Series.Label(), n.Next)
	}
	if issue.IsZero() {
		return "", n, fmt.Errorf("a %s number needs the issue date", n.Series.Label())
	}
	num := customer.Profile{NumberFormat: n.Format}.FormatNumber(n.Next, issue.Time())
	next := n
	next.Next++
	return num, next, nil
}

// SeriesMove is what the audit log records of a series moved forward by
// hand (ActionMoveSeries): the series before, and after with the reason.
type SeriesMove struct {
	Numbering
	Reason string `json:"reason,omitempty"`
}

// AuditID names the series in the audit log, where entries otherwise name
// a document's id: "series:invoice", "series:credit_note". No document id
// has a colon, so the two never meet.
func (n Numbering) AuditID() string { return "series:" + string(n.Series) }

// MoveTo moves the series forward by hand so that the next document takes
// sequence number next: for a series continued from another program, or
// numbers reserved on purpose. The skipped numbers are a deliberate gap,
// hence the reason, which the audit log keeps. A series never moves back
// (the numbers after it were issued or may be) nor to where it is.
func (n Numbering) MoveTo(next int, reason string) (SeriesMove, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case next <= n.Next:
		return SeriesMove{}, fmt.Errorf("the next %s number is %d already: it only moves forward, to a number above %d (numbers below it were issued or skipped, and a number is never issued twice)",
			n.Series.Label(), n.Next, n.Next)
	case reason == "":
		return SeriesMove{}, fmt.Errorf("moving the next %s number from %d to %d leaves %s unused: give the reason, which the audit log keeps", n.Series.Label(), n.Next, next, words.Plural(int(next-n.Next), "number", "numbers"))
	}
	out := n
	out.Next = next
	return SeriesMove{Numbering: out, Reason: reason}, nil
}

// Peek returns the number the next document of the series issued on the
// given day takes and the number the k-th would take (the same when k is
// 1), without advancing the series: what approving k drafts today would
// number them, for a face to preview.
func (n Numbering) Peek(k int, issue Date) (first, last string, err error) {
	if first, _, err = n.Assign(issue); err != nil {
		return "", "", err
	}
	n.Next += max(k, 1) - 1
	last, _, err = n.Assign(issue)
	return first, last, err
}
