package view

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/ingest"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
	"rebill/store"
)

// InvoicesInput is what the Invoices screen read and what the accountant
// chose: everything its list is worded from.
type InvoicesInput struct {
	// Period is the month chosen, "" for every month; Status the status
	// chosen, "" for every status.
	Period string
	Status invoice.Status
	// Preview is the month opened from the Generate dialog, until Finish.
	Preview string
	// Docs are the documents of the month chosen (of every month when
	// Period is ""), before the status filter; Earlier those of the month
	// before, for the change column.
	Docs, Earlier []invoice.Invoice
	// Balances are what is still owed on the Open and Past Due invoices
	// among Docs, by id (store.InvoiceList).
	Balances map[string]billing.Amount
	// Month is the chosen month as imported, for its provisional warning;
	// nil when no month is chosen or nothing of it is imported.
	Month *ingest.Month
	// Diffs are the issued invoices whose month now computes otherwise,
	// by id; Unchecked those that could not be computed again.
	Diffs     map[string]invoice.Difference
	Unchecked []store.Unchecked
	Now       time.Time
}

// Invoices is what the Invoices screen shows of a month's documents.
type Invoices struct {
	Heading, Intro string
	// Warning says the month is provisional while it has drafts to
	// approve; "" hides it.
	Warning string
	// Changed names the issued invoices the data no longer matches, and
	// those that could not be checked; "" hides it.
	Changed string
	// Summary counts the documents by status, with the drafts' totals;
	// "" hides it.
	Summary string
	// Rows are the documents of the status chosen; Empty explains an
	// empty list ("" when there are rows).
	Rows  []InvoiceRow
	Empty string
	// Drafts are the month's drafts, whatever the status filter: what
	// Approve all approves.
	Drafts []invoice.Invoice
	period string
}

// InvoiceRow is one document of the list.
type InvoiceRow struct {
	Invoice invoice.Invoice
	// Status is its status as of now.
	Status invoice.Status
	Cells  []Cell
}

// Columns of the Invoices list.
const (
	ColCustomer = iota
	ColNumber
	ColPeriod
	ColProvider
	ColStatus
	ColTotal
	ColBalance
	ColChange
	ColPercent
	ColIssued
	ColDue
	ColNote
)

// NewInvoices words a month's documents for the list.
func NewInvoices(in InvoicesInput) Invoices {
	v := Invoices{period: in.Period}
	tally := invoice.TallyOf(in.Docs, in.Now)
	v.Drafts = tally.Drafts
	v.Heading, v.Intro = invoicesHeading(in.Period, in.Preview)
	if in.Period != "" && len(tally.Drafts) > 0 && in.Month != nil {
		v.Warning = ProvisionalWarning(*in.Month)
	}
	// The credit notes of each invoice: those that count are the
	// engine's (invoice.CreditNotes); grouping them first keeps a long
	// list from comparing every document with every other.
	notes := map[string][]invoice.Invoice{}
	for _, d := range in.Docs {
		if d.Kind == invoice.KindCreditNote {
			notes[d.Corrects] = append(notes[d.Corrects], d)
		}
	}
	for _, inv := range in.Docs {
		if in.Status != "" && !inv.Is(in.Status, in.Now) {
			continue
		}
		st := inv.Effective(in.Now)
		v.Rows = append(v.Rows, InvoiceRow{Invoice: inv, Status: st, Cells: invoiceCells(in, inv, st, notes[inv.ID])})
	}
	v.Summary = invoicesSummary(tally)
	v.Empty = invoicesEmpty(in, len(v.Rows))
	v.Changed = changedText(in)
	return v
}

// invoicesHeading titles the list: a preview after generating, or the
// invoices of a month.
func invoicesHeading(period, preview string) (heading, intro string) {
	switch {
	case preview != "" && preview == period:
		return "Preview: invoices of " + period, "Drafts are never visible to customers. Review them (View shows one as the customer will see it), " +
			"then approve them: each takes the next invoice number and can no longer be edited or deleted. Finish when you are done."
	case period == "":
		return "Invoices of every month", "Choose a month to approve its drafts together."
	}
	return "Invoices of " + period, "Generate a month's drafts on the Reports screen: check the customers, then Generate invoices."
}

// invoicesEmpty explains an empty list.
func invoicesEmpty(in InvoicesInput, rows int) string {
	switch {
	case rows > 0:
		return ""
	case len(in.Docs) > 0:
		return "No " + in.Status.Label() + " invoice here. Choose All statuses to see the others."
	case in.Period == "":
		return "No invoices yet. On the Reports screen, check the customers to invoice and choose Generate invoices."
	}
	return "No invoices for " + in.Period + " yet. On the Reports screen, choose " + in.Period +
		", check the customers to invoice and choose Generate invoices."
}

// invoicesSummary counts the invoices by status, with the drafts' totals,
// then the credit notes: "2 drafts totalling USD 14.36  ·  1 open".
func invoicesSummary(t invoice.Tally) string {
	var parts []string
	for _, st := range invoice.Statuses {
		n := t.Invoices[st]
		if n == 0 {
			continue
		}
		part := statusCount(st, n)
		if st == invoice.Draft {
			part += " totalling " + Totals(t.Drafts)
		}
		parts = append(parts, part)
	}
	if len(t.CreditNotes) > 0 {
		parts = append(parts, Plural(len(t.CreditNotes), "credit note", "credit notes")+" totalling "+Totals(t.CreditNotes))
	}
	return strings.Join(parts, "  ·  ")
}

// statusCount writes "3 drafts", "1 past due".
func statusCount(st invoice.Status, n int) string {
	if st == invoice.Draft {
		return Plural(n, "draft", "drafts")
	}
	return Count(int64(n)) + " " + strings.ToLower(st.Label())
}

// Totals writes documents' totals per currency, as the engine adds them:
// "EUR 80.00 + USD 1,234.56".
func Totals(invs []invoice.Invoice) string {
	var parts []string
	for _, sum := range invoice.TotalsByCurrency(invs) {
		parts = append(parts, Money(sum))
	}
	return strings.Join(parts, " + ")
}

// StatusTone colours a status wherever it appears: Past Due in red,
// settled in green, a draft in orange, what needs nothing in grey.
func StatusTone(st invoice.Status) Tone {
	switch st {
	case invoice.PastDue:
		return Danger
	case invoice.Closed:
		return Success
	case invoice.Draft:
		return Warning
	case invoice.Void:
		return Low
	}
	return Normal
}

// invoiceCells is one document's line of the list; notes are the credit
// notes linked to it.
func invoiceCells(in InvoicesInput, inv invoice.Invoice, st invoice.Status, notes []invoice.Invoice) []Cell {
	num := inv.Number
	if num == "" {
		num = "Draft"
	}
	change, pct := monthChange(in, inv)
	cells := []Cell{
		ColCustomer: {Text: inv.Customer.Name},
		ColNumber:   {Text: num},
		ColPeriod:   {Text: inv.Period},
		ColProvider: {Text: billing.ProviderName(inv.Provider())},
		ColStatus:   {Text: inv.StatusLabel(st), Tone: StatusTone(st), Bold: st == invoice.PastDue},
		ColTotal:    {Text: Money(inv.Total)},
		ColBalance:  balanceCell(in, inv, st),
		ColChange:   change,
		ColPercent:  pct,
		ColIssued:   {Text: inv.IssueDate.String()},
		ColDue:      {Text: inv.DueDate.String()},
		ColNote:     invoiceNote(in, inv, st, notes),
	}
	if st == invoice.PastDue {
		cells[ColDue].Tone = Danger
	}
	return cells
}

// balanceCell is what is still owed on an Open or Past Due invoice, in the
// total's currency, red once past due; empty for any other document.
func balanceCell(in InvoicesInput, inv invoice.Invoice, st invoice.Status) Cell {
	b, ok := in.Balances[inv.ID]
	if !ok {
		return Cell{}
	}
	c := Cell{Text: Figure(b)}
	if st == invoice.PastDue {
		c.Tone = Danger
	}
	return c
}

// monthChange is the invoice's total against the customer's invoice of
// the month before (invoice.Previous), as an amount and a percentage; a
// notable change (invoice.MonthChange.Notable) in orange. Nothing when
// the month before has no issued invoice at all (the first month
// invoiced): every row would read "new", saying nothing.
func monthChange(in InvoicesInput, inv invoice.Invoice) (Cell, Cell) {
	if inv.Kind != invoice.KindInvoice || in.Period == "" || !invoice.Issued(in.Earlier) {
		return Cell{}, Cell{}
	}
	prev, ok := invoice.Previous(in.Earlier, inv.CustomerID)
	if !ok {
		return Cell{Text: "new", Tone: Low}, Cell{}
	}
	ch, ok := invoice.ChangeFrom(prev, inv)
	if !ok {
		return Cell{Text: "was in " + prev.Currency, Tone: Low}, Cell{}
	}
	if !ch.HasPercent {
		return Cell{Text: Signed(ch.By)}, Cell{}
	}
	pct := ch.Percent.StringFixed(1) + "%"
	if ch.Percent.IsPositive() {
		pct = "+" + pct
	}
	tone := Normal
	if ch.Notable() {
		tone = Warning
	}
	return Cell{Text: Signed(ch.By), Tone: tone}, Cell{Text: pct, Tone: tone}
}

// invoiceNote says what the accountant should know about a document in a
// few words, in orange when it asks to look twice: the data changed
// since issue, or the engine noted something on a draft.
func invoiceNote(in InvoicesInput, inv invoice.Invoice, st invoice.Status, notes []invoice.Invoice) Cell {
	if d, ok := in.Diffs[inv.ID]; ok {
		return Cell{Text: "Data changed since issue: " + Signed(d.Total.By), Tone: Warning}
	}
	if len(inv.Warnings) > 0 && len(inv.Notes) == 0 && inv.Kind != invoice.KindCreditNote && st == invoice.Draft {
		return Cell{Text: Sentences(inv.Warnings...), Tone: Warning}
	}
	return Cell{Text: invoiceFacts(inv, st, notes)}
}

// invoiceFacts is a document's note when nothing asks to look twice.
func invoiceFacts(inv invoice.Invoice, st invoice.Status, notes []invoice.Invoice) string {
	var credited []string
	for _, d := range inv.CreditNotes(notes) {
		credited = append(credited, d.Number)
	}
	switch {
	case inv.Kind == invoice.KindCreditNote:
		return "Credit note for " + inv.CorrectsNumber + ": " + inv.Reason
	case len(credited) > 0 && !inv.CreditedInFull(notes):
		return "Partly credited by " + strings.Join(credited, ", ")
	case len(credited) > 0:
		return "Credited in full by " + strings.Join(credited, ", ")
	case st == invoice.Void:
		return "Void: " + inv.VoidReason
	case st == invoice.Closed:
		t := inv.Settled() + " " + inv.PaidDate.String()
		if inv.PaymentRef != "" {
			t += " (" + inv.PaymentRef + ")"
		}
		return t
	case len(inv.Notes) > 0:
		return strings.Join(inv.Notes, " ")
	case len(inv.Warnings) > 0:
		return Sentences(inv.Warnings...)
	}
	return ""
}

// changedText says which issued invoices no longer match the data, and
// which could not be checked.
func changedText(in InvoicesInput) string {
	var parts []string
	if n := len(in.Diffs); n > 0 {
		var names []string
		for _, inv := range in.Docs {
			if d, ok := in.Diffs[inv.ID]; ok {
				names = append(names, fmt.Sprintf("%s (%s, %s %s)", inv.Number, inv.Customer.Name, Signed(d.Total.By), d.Currency))
			}
		}
		sort.Strings(names)
		parts = append(parts, fmt.Sprintf("The billing data changed after %s issued: %s. "+
			"The issued invoices stay as they are; open one to see the difference and issue its correction.",
			Plural(n, "invoice was", "invoices were"), strings.Join(names, "; ")))
	}
	for _, u := range in.Unchecked {
		parts = append(parts, Sentence(u.Invoice)+" could not be checked against the data: "+u.Reason+".")
	}
	return strings.Join(parts, "\n")
}

// Row returns the row of the document with this id.
func (v Invoices) Row(id string) (InvoiceRow, bool) {
	for _, r := range v.Rows {
		if r.Invoice.ID == id {
			return r, true
		}
	}
	return InvoiceRow{}, false
}

// Cell is a cell of the list as shown with the document selected: the
// selected row in bold, its plain cells in the accent colour.
func (v Invoices) Cell(row, col int, selected string) Cell {
	if row >= len(v.Rows) {
		return Cell{}
	}
	c := v.Rows[row].Cells[col]
	if v.Rows[row].Invoice.ID == selected {
		c.Bold = true
		if c.Tone == Normal {
			c.Tone = High
		}
	}
	return c
}

// InvoiceActions is what the list's actions do with the document
// selected, and why the rest does not apply.
type InvoiceActions struct {
	// ApproveAll labels Approve all, enabled when AllOn.
	ApproveAll string
	AllOn      bool
	// Approve, View and Delete are enabled for the selected document.
	Approve, View, Delete bool
	Hint                  string
}

// Actions are the actions with the document selected ("" for none).
func (v Invoices) Actions(selected string) InvoiceActions {
	a := InvoiceActions{ApproveAll: "Approve all"}
	if n := len(v.Drafts); v.period != "" && n > 0 {
		a.ApproveAll, a.AllOn = fmt.Sprintf("Approve all %d drafts", n), true
		if n == 1 {
			a.ApproveAll = "Approve the draft"
		}
	}
	r, ok := v.Row(selected)
	if !ok {
		switch {
		case v.period == "" && len(v.Rows) > 0:
			a.Hint = "Select an invoice to approve, view or delete it. Choose a month to approve all its drafts at once."
		case len(v.Rows) > 0:
			a.Hint = "Select an invoice to approve, view or delete it."
		}
		return a
	}
	a.View = true
	a.Approve = r.Invoice.Can(invoice.ActionApprove) == nil
	a.Hint = "Selected: " + Describe(r.Invoice, r.Status) + "."
	if err := r.Invoice.Can(invoice.ActionDelete); err != nil {
		a.Hint += " Delete is for drafts only: " + err.Error() + "."
	} else {
		a.Delete = true
	}
	return a
}

// Describe names a document for the accountant: "the draft of Acme
// Retail Ltd for 2026-10, USD 399.55", "NCP-2026-00001 of Acme Retail
// Ltd, Past Due, USD 399.55".
func Describe(inv invoice.Invoice, st invoice.Status) string {
	if inv.Number == "" {
		return "the draft of " + inv.Customer.Name + " for " + inv.Period + ", " + Money(inv.Total)
	}
	return inv.Number + " of " + inv.Customer.Name + ", " + st.Label() + ", " + Money(inv.Total)
}

// ApproveAllQuestion asks before approving a month's drafts, saying how
// many and for how much; numbering says what approving does
// (Numbering).
func ApproveAllQuestion(period string, drafts []invoice.Invoice, numbering string) string {
	if len(drafts) == 1 {
		return fmt.Sprintf("Approve the draft of %s for %s, %s?\n\n", drafts[0].Customer.Name, period, Money(drafts[0].Total)) + numbering
	}
	return fmt.Sprintf("Approve the %s of %s, totalling %s?\n\n", Plural(len(drafts), "draft", "drafts"), period, Totals(drafts)) + numbering
}

// ApproveQuestion asks before approving one draft.
func ApproveQuestion(inv invoice.Invoice, numbering string) string {
	return fmt.Sprintf("Approve the draft invoice of %s for %s, %s?\n\n", inv.Customer.Name, inv.Period, Money(inv.Total)) + numbering
}

// Numbering says what approving n drafts on the issue date does: the
// numbers they take (first to last, when the series could be read),
// their dates, and that they can no longer change.
func Numbering(n int, first, last string, issue invoice.Date) string {
	next := ""
	switch {
	case first == "":
	case n > 1:
		next = " (" + first + " to " + last + ")"
	default:
		next = " (" + first + ")"
	}
	each := "Each takes the next invoice number"
	if n == 1 {
		each = "It takes the next invoice number"
	}
	return each + next + ", today's issue date " + issue.String() +
		" and a due date after the customer's payment terms. Approved invoices cannot be edited or deleted; " +
		"they can be voided or credited."
}

// Approved reports approvals: the numbers issued and each refusal with
// its reason.
func Approved(as []store.Approval) string {
	var nums, refused []string
	for _, a := range as {
		if a.Invoice != nil {
			nums = append(nums, a.Invoice.Number)
			continue
		}
		refused = append(refused, "• "+refusal(a))
	}
	var msg string
	switch len(nums) {
	case 0:
		msg = "No invoice was approved."
	case 1:
		msg = "Invoice " + nums[0] + " was approved: it is Open and can be downloaded and sent."
	default:
		msg = fmt.Sprintf("%d invoices were approved, %s to %s: they are Open and can be downloaded and sent.", len(nums), nums[0], nums[len(nums)-1])
	}
	if len(refused) > 0 {
		msg += "\n\nNot approved:\n" + strings.Join(refused, "\n")
	}
	return msg
}

// ApprovedTitle titles the outcome of approvals: what happened, so that
// a refusal is never announced as "Approved".
func ApprovedTitle(as []store.Approval) string {
	approved, refused := 0, 0
	for _, a := range as {
		if a.Invoice != nil {
			approved++
		} else {
			refused++
		}
	}
	switch {
	case refused == 0:
		return "Approved"
	case approved == 0:
		return "Not approved"
	default:
		return "Approved in part"
	}
}

// refusal words why a draft was not approved, in the window's terms: a
// number already used (the series is behind) is moved forward from
// Settings, not by a command.
func refusal(a store.Approval) string {
	var taken *store.NumberTakenError
	if errors.As(a.Err, &taken) {
		if taken.Kind == invoice.KindCreditNote {
			return fmt.Sprintf("Number %s is already used by %s: the credit note numbers are behind the ones issued. Nothing was changed.", taken.Number, taken.Holder)
		}
		return fmt.Sprintf("Number %s is already used by %s: the invoice numbers are behind the ones issued. "+
			"In Settings > Invoice numbers, choose Move forward… and move past the last number issued, then approve again. The draft is unchanged.", taken.Number, taken.Holder)
	}
	return Sentence(a.Refused)
}

// DeleteQuestion asks before deleting a draft.
func DeleteQuestion(inv invoice.Invoice) string {
	return fmt.Sprintf("Delete the draft invoice of %s for %s (%s)?\n\nIt was never numbered nor sent, so no number is lost; generating the month again for %s makes a new draft.",
		inv.Customer.Name, inv.Period, Money(inv.Total), inv.Customer.Name)
}

// DraftDeleted says which draft was deleted and how to make it again.
func DraftDeleted(inv invoice.Invoice) string {
	return fmt.Sprintf("The draft invoice of %s for %s (%s) is deleted. Generating %s again for %s makes a new draft.",
		inv.Customer.Name, inv.Period, Money(inv.Total), inv.Period, inv.Customer.Name)
}

// ProvisionalWarning says, for a month some provider has not closed yet,
// that its numbers may change and when the close is announced; "" for a
// final month.
func ProvisionalWarning(m ingest.Month) string {
	if m.Final {
		return ""
	}
	next := ""
	if t, err := time.Parse("2006-01", customer.AddMonths(m.Period, 1)); err == nil {
		next = " of " + t.Format("January 2006")
	}
	text := fmt.Sprintf("%s not closed %s yet: these numbers may change; the distributor announces the close between the 5th and 15th%s. "+
		"Drafts are fine for review; invoices approved before the close may need a correction later.",
		OpenProviders(m), m.Period, next)
	if slices.ContainsFunc(m.Open, func(p lineitem.Provider) bool { return !ingest.ClosesItself(p) }) {
		text += " Azure's EA and pay-as-you-go exports never show the close: once the distributor has billed the month, record it with Confirm final… on the Periods screen."
	}
	return text
}

// OpenProviders names the providers that have not closed a month, with
// the verb that agrees with them: "AWS has", "AWS and Microsoft Azure
// have".
func OpenProviders(m ingest.Month) string {
	names := make([]string, len(m.Open))
	for i, p := range m.Open {
		names[i] = ProviderName(p)
	}
	switch len(names) {
	case 0:
		return "the provider has"
	case 1:
		return names[0] + " has"
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1] + " have"
}
