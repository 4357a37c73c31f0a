package view

import (
	"fmt"
	"strings"
	"time"

	"rebill/engine/document"
	"rebill/engine/invoice"
)

// Wording of one invoice opened on the Invoices screen: its title, the
// documents that go with it, how it differs from its month imported
// again, the currencies it can be shown in and the outcomes of its
// actions.

// InvoiceTitle names the document, its customer, month and status as of
// now; Past Due in red.
func InvoiceTitle(inv invoice.Invoice, now time.Time) (string, Tone) {
	name := inv.Number
	if name == "" {
		name = "Draft " + inv.Kind.Label()
	} else {
		name = document.Title(inv) + " " + name
	}
	st := inv.Effective(now)
	tone := Normal
	if st == invoice.PastDue {
		tone = Danger
	}
	return name + "  ·  " + inv.Customer.Name + "  ·  " + inv.Period + "  ·  " + st.Label(), tone
}

// MarkPaidLabel labels the action that records a payment: a credit note
// is refunded, an invoice paid.
func MarkPaidLabel(inv invoice.Invoice) string {
	if inv.Kind == invoice.KindCreditNote {
		return "Mark refunded…"
	}
	return "Mark paid…"
}

// Link is a document shown beside another, which opens it.
type Link struct {
	ID, Text string
}

// linkTo labels a document: its number (or Draft) and total.
func linkTo(d invoice.Invoice) Link {
	text := d.Number
	if text == "" {
		text = "Draft"
	}
	return Link{ID: d.ID, Text: text + " (" + Money(d.Total) + ")"}
}

// RelatedLinks are the documents that go with one (invoice.Related): an
// invoice's credit notes, and the month's other invoices or a credit
// note's invoice, each group under its label.
type RelatedLinks struct {
	NotesLabel  string
	Notes       []Link
	OthersLabel string
	Others      []Link
}

// Related words the documents that go with inv.
func Related(inv invoice.Invoice, rel invoice.Related) RelatedLinks {
	var r RelatedLinks
	for _, d := range rel.CreditNotes {
		r.Notes = append(r.Notes, linkTo(d))
	}
	if len(r.Notes) > 0 {
		r.NotesLabel = "Credited in full by:"
		if !rel.CreditedInFull {
			r.NotesLabel = "Credited by (" + Money(rel.Left) + " left to credit):"
		}
	}
	if c := rel.Credited; c != nil {
		r.Others = append(r.Others, linkTo(*c))
	}
	for _, d := range rel.Others {
		r.Others = append(r.Others, linkTo(d))
	}
	if len(r.Others) > 0 {
		r.OthersLabel = "Also for " + inv.Period + ":"
		if inv.Kind == invoice.KindCreditNote {
			r.OthersLabel = "Credits:"
		}
	}
	return r
}

// DifferenceText says how an issued invoice differs from its month as
// imported now, line by line (the first eight lines, then how many more).
func DifferenceText(inv invoice.Invoice, d invoice.Difference) string {
	var b strings.Builder
	fmt.Fprintf(&b, "The billing data for %s changed after %s was issued: its total was %s %s and now computes %s %s (%s). "+
		"The invoice itself never changes; a correction issues a credit note and, when the total went up, a new draft for the month.",
		inv.Period, inv.Number, d.Currency, Figure(d.Total.Was), d.Currency, Figure(d.Total.Now), Signed(d.Total.By))
	const most = 8
	rows, lines := d.Rows(), 0
	for i, r := range rows {
		if !r.IsLine() {
			fmt.Fprintf(&b, "\n• %s: %s → %s (%s)", r.Name, Figure(r.Was), Figure(r.Now), Signed(r.Change.By))
			continue
		}
		if lines++; lines <= most {
			fmt.Fprintf(&b, "\n• %s · %s: %s → %s (%s)", r.Section, r.Name, Figure(r.Was), Figure(r.Now), Signed(r.Change.By))
		}
		if last := i+1 == len(rows) || !rows[i+1].IsLine(); last && lines > most {
			fmt.Fprintf(&b, "\n• and %s", Plural(lines-most, "more line", "more lines"))
		}
	}
	return b.String()
}

// CorrectQuestion asks before issuing the correction of a changed month.
func CorrectQuestion(inv invoice.Invoice, d invoice.Difference) string {
	return DifferenceText(inv, d) + "\n\nIssue the correction now? The credit note is numbered and Open at once; " +
		"a replacement draft, when needed, waits for your approval with the other drafts."
}

// Corrected says what a correction issued.
func Corrected(inv invoice.Invoice, c invoice.Correction) string {
	text := fmt.Sprintf("Credit note %s (%s) corrects %s.", c.CreditNote.Number, Money(c.CreditNote.Total), inv.Number)
	if r := c.Replacement; r != nil {
		text += fmt.Sprintf(" A new draft invoice for %s (%s) replaces it: review and approve it with the drafts of %s.", inv.Period, Money(r.Total), inv.Period)
	}
	return text
}

// CreditNoteIssued says what a credit note credits and what to do next.
func CreditNoteIssued(inv, note invoice.Invoice) string {
	return fmt.Sprintf("Credit note %s (%s) credits %s. It is Open: download it to send it to %s.",
		note.Number, Money(note.Total), inv.Number, inv.Customer.Name)
}

// The display currency drop-down: the invoice's own currency, marked,
// then the usual ones, and a way to type any other.
const (
	OwnCurrency   = " (invoice currency)"
	OtherCurrency = "Other currency…"
)

// displayCurrencies are offered first in the display currency drop-down;
// any other ISO 4217 code can be typed.
var displayCurrencies = []string{"EUR", "USD", "GBP", "CHF", "JPY", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN",
	"CZK", "HUF", "INR", "SGD", "HKD", "CNY", "KRW", "BRL", "MXN", "ZAR", "AED", "ILS", "TRY"}

// CurrencyOptions lists the currencies an invoice in own can be shown
// in: its own first, then the usual ones, the one shown when it was typed
// ("" for the invoice's own), and OtherCurrency last.
func CurrencyOptions(own, shown string) []string {
	opts := []string{own + OwnCurrency}
	listed := shown == ""
	for _, c := range displayCurrencies {
		if c != own {
			opts = append(opts, c)
			listed = listed || c == shown
		}
	}
	if !listed {
		opts = append(opts, shown)
	}
	return append(opts, OtherCurrency)
}

// FileName proposes a downloaded document's file name: its number, or
// the draft's customer and month, with the display currency shown (""
// for its own) when the format converts, and the kind of export.
func FileName(inv invoice.Invoice, display string, f document.Format) string {
	name := inv.Number
	if name == "" {
		name = "Draft-" + inv.CustomerID + "-" + inv.Period
	}
	if display != "" && f.Converts() {
		name += "-" + display
	}
	if f == document.FormatDetailCSV {
		name += "-detail"
	}
	return name + f.Ext()
}
