package invoice

import "time"

// Tally is what a list of documents holds, as the summary line over a
// month's invoices counts it: the invoices by their status as of now, the
// drafts waiting for approval and the credit notes that count.
type Tally struct {
	// Invoices counts the invoices (not the credit notes) by their
	// effective status: an Open invoice past its due date is PastDue.
	Invoices map[Status]int
	// Drafts are every draft, invoice or credit note: what approving the
	// month's drafts approves.
	Drafts []Invoice
	// CreditNotes are the credit notes that are not void: a voided one
	// credits nothing (see CreditNotes).
	CreditNotes []Invoice
}

// TallyOf counts docs as of now.
func TallyOf(docs []Invoice, now time.Time) Tally {
	t := Tally{Invoices: map[Status]int{}}
	for _, d := range docs {
		if d.Status == Draft {
			t.Drafts = append(t.Drafts, d)
		}
		switch d.Kind {
		case KindInvoice:
			t.Invoices[d.Effective(now)]++
		case KindCreditNote:
			if d.Status != Void {
				t.CreditNotes = append(t.CreditNotes, d)
			}
		}
	}
	return t
}

// Issued reports whether any of docs was issued and stands as issued
// (Open, Past Due included, or Closed): the documents whose month can be
// checked against the data imported since.
func Issued(docs []Invoice) bool {
	for _, d := range docs {
		if d.Status == Open || d.Status == Closed {
			return true
		}
	}
	return false
}
