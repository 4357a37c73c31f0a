package view

import (
	"fmt"
	"strings"

	"rebill/engine/billing"
	"rebill/engine/invoice"
)

// InvoicedMonth lays out how a report's month stands against its issued
// invoice (invoice.Reported), for the Reports screen and `rebill report`
// alike: a heading naming the invoice, its figures beside the month
// computed again with the difference, and what the accountant should know.
type InvoicedMonth struct {
	// Heading names the invoice: "Invoiced: invoice INV-2024-0001 (Open),
	// issued 2024-10-05, USD 630.29".
	Heading string
	// Rows are the figures (InvoicedMonthHeader names their columns).
	Rows []InvoicedFigure
	// Notes say what the figures mean.
	Notes []string
}

// InvoicedFigure is one figure on the invoice and computed again.
type InvoicedFigure struct {
	Label, Invoice, Recomputed, Difference string
	Changed                                bool
}

// Cells are the figure's texts in InvoicedMonthHeader's order.
func (f InvoicedFigure) Cells() []string {
	return []string{f.Label, f.Invoice, f.Recomputed, f.Difference}
}

// InvoicedMonthHeader names the columns of InvoicedMonth.Rows.
var InvoicedMonthHeader = []string{"", "On the invoice", "Computed again", "Difference"}

// NewInvoicedMonth lays out a report's invoice; it returns false while the
// month is not invoiced (r is nil).
func NewInvoicedMonth(r *invoice.Reported) (InvoicedMonth, bool) {
	if r == nil {
		return InvoicedMonth{}, false
	}
	inv, d := r.Invoice, r.Difference
	v := InvoicedMonth{Heading: fmt.Sprintf("Invoiced: %s (%s), issued %s, %s %s", inv.Label(), inv.Status.Label(), inv.IssueDate, inv.Currency, Figure(inv.Total))}
	for _, f := range []struct {
		label string
		c     invoice.Change
	}{{"Subtotal", d.Subtotal}, {"Discount / uplift", d.Discount}, {"Reseller credits", d.CreditsApplied}, {"Tax", d.Tax}, {"Total", d.Total}} {
		v.Rows = append(v.Rows, InvoicedFigure{f.label, Figure(f.c.Was), Figure(f.c.Now), Figure(f.c.By), f.c.Changed()})
	}
	if d.Changed() {
		v.Notes = append(v.Notes, fmt.Sprintf("The month now computes %s %s otherwise than the issued invoice: the invoice does not change; `rebill invoices corrections` (Invoices > Corrections) turns the difference into a correction.", d.Currency, Figure(d.Total.By)))
	} else {
		v.Notes = append(v.Notes, "The month computes as it was invoiced.")
	}
	if !inv.CreditsApplied.IsZero() {
		v.Notes = append(v.Notes, fmt.Sprintf("The invoice used %s %s of reseller credits: they count as used by this month.", inv.Currency, Figure(inv.CreditsApplied.Neg())))
	}
	if r.OptionsDiffer {
		v.Notes = append(v.Notes, "This report's options differ from the invoice's (credits, tax, Marketplace or currency), so its statement differs from the invoice by that choice; the comparison above uses the invoice's options.")
	}
	return v, true
}

// NewReport lays out a report's statement as NewStatement does and, once
// its month is invoiced (r not nil), the invoice below the total: a row
// naming it, then each figure with the invoice's and the recomputed
// amounts and their difference in the amount column, then the notes.
func NewReport(st *billing.Statement, r *invoice.Reported) Statement {
	v := NewStatement(st)
	inv, ok := NewInvoicedMonth(r)
	if !ok {
		return v
	}
	v.Invoiced = inv.Heading
	v.Rows = append(v.Rows, stmtRow("", "", "", "", false, Normal), stmtRow("Invoiced", strings.TrimPrefix(inv.Heading, "Invoiced: "), "Difference", "", true, Normal))
	for _, f := range inv.Rows {
		tone := Normal
		if f.Changed {
			tone = Warning
		}
		v.Rows = append(v.Rows, stmtRow("    "+f.Label, "invoice "+f.Invoice+" · computed again "+f.Recomputed, f.Difference, "", false, tone))
	}
	for _, n := range inv.Notes {
		v.Rows = append(v.Rows, stmtRow("Note", n, "", "", false, Low))
	}
	return v
}

// InvoicedSummary is a group summary's row (SummaryRow) with its
// customer's invoice in the Invoice column once the month is invoiced:
// its number alone, which a window of 1024 pixels shows whole, where a
// note naming it was cut. A month that now differs from the invoice says
// by how much in the note, first.
func InvoicedSummary(r Row, inv *invoice.Reported) Row {
	if inv == nil || r.Cells[SumNote].Tone == Danger {
		return r
	}
	r.Cells[SumInvoice].Text = inv.Invoice.Number
	if inv.Invoice.Number == "" {
		r.Cells[SumInvoice].Text = inv.Invoice.Label()
	}
	if inv.Difference.Changed() {
		note := "now differs from the invoice by " + Figure(inv.Difference.Total.By)
		if r.Cells[SumNote].Text != "" {
			note += "; " + r.Cells[SumNote].Text
		}
		r.Cells[SumNote] = Cell{Text: note, Tone: Warning}
	}
	return r
}
