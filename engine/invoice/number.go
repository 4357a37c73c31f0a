package invoice

import (
	"fmt"

	"rebill/engine/customer"
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

// InvoiceNumbering is the invoice series of the reseller's profile.
func InvoiceNumbering(p customer.Profile) Numbering {
	return Numbering{Series: KindInvoice, Format: p.NumberFormat, Next: p.NextNumber}
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
