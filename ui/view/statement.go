package view

import (
	"fmt"
	"strings"

	"rebill/engine/billing"
	"rebill/engine/document"
	"rebill/engine/invoice"
)

// Statement is one customer's statement laid out for the Reports
// screen's three tabs: the statement as the invoice will print it, the
// usage view and the console variance, each with its note.
type Statement struct {
	Rows []StatementRow
	// AmountTitle heads the amount column: "Amount (USD)".
	AmountTitle string
	// Totals are the figures kept in sight below the lines: subtotal,
	// discount, credits, tax and total (TotalsTitles).
	Totals []string

	Usage     []Row
	UsageNote string

	Console     []Row
	ConsoleNote string

	// Invoiced names the issued invoice that stands for the month
	// (InvoicedMonth.Heading); "" while the month is not invoiced.
	Invoiced string
}

// TotalsTitles name Statement.Totals.
var TotalsTitles = []string{"Subtotal", "Discount / uplift", "Reseller credits", "Tax", "Total"}

// StatementRow is one row of the statement: a section heading, a service
// line, a section subtotal, or one of the figures after the sections.
// Its cells are the label, the detail, the printed amount and the full
// precision.
type StatementRow struct {
	Row
	// Line and Section are set on service lines, which open a trace.
	Line    *billing.Line
	Section billing.ProductType
}

// Label is the row's label without its indent.
func (r StatementRow) Label() string { return strings.TrimSpace(r.Cells[0].Text) }

// stmtRow is a statement row of one style.
func stmtRow(label, detail, amount, exact string, bold bool, tone Tone) StatementRow {
	cell := func(text string) Cell { return Cell{Text: text, Bold: bold, Tone: tone} }
	return StatementRow{Row: Row{Cells: []Cell{cell(label), cell(detail), cell(amount), cell(exact)}}}
}

// NewStatement lays a statement out as the invoice will print it:
// sections with their lines and subtotals, then the subtotal, discount,
// credits, tax and total; and its usage and console views.
func NewStatement(st *billing.Statement) Statement {
	v := Statement{AmountTitle: "Amount (" + st.Currency + ")"}
	rows := &v.Rows
	add := func(r StatementRow) { *rows = append(*rows, r) }
	if len(st.Sections) == 0 {
		add(stmtRow("No charges", "no account of this customer has line items this month", "", "", false, Low))
	}
	for _, sec := range st.Sections {
		add(stmtRow(string(sec.ProductType), "", "", "", true, Normal))
		for i := range sec.Lines {
			l := &sec.Lines[i]
			r := stmtRow("    "+l.Service, l.Name, Figure(l.Amount), Exact(l.Unrounded), false, Normal)
			r.Cells[3].Tone = Low
			r.Line, r.Section = l, sec.ProductType
			add(r)
		}
		add(stmtRow("    "+string(sec.ProductType)+" subtotal", "", Figure(sec.Subtotal), "", false, Low))
	}
	add(stmtRow("", "", "", "", false, Normal))
	add(stmtRow("Subtotal", "", Figure(st.Subtotal), "", true, Normal))
	if !st.Support.IsZero() || !st.Marketplace.IsZero() {
		add(stmtRow("    of which support", "recomputed from the customer's own charges", Figure(st.Support), "", false, Low))
		add(stmtRow("    of which Marketplace", "pass-through: no discount, support or tax on it", Figure(st.Marketplace), "", false, Low))
	}
	// The discount and taxes are named as the invoice will print them,
	// rate and base included (document's wording).
	exact := ""
	if d := st.DiscountDetail; d != nil {
		exact = Exact(d.Unrounded)
	}
	add(stmtRow(document.AdjustmentLabel(invoice.FiguresOf(st), ""), "", Figure(st.Discount), exact, false, Normal))
	add(stmtRow("Reseller credits applied", CreditsNote(st), Figure(st.CreditsApplied), "", false, Normal))
	if len(st.TaxLines) == 0 {
		detail := ""
		if !st.Options.Tax {
			detail = "not added (option off)"
		}
		add(stmtRow("Tax", detail, Figure(st.Tax), "", false, Normal))
	}
	for _, t := range st.TaxLines {
		detail := ""
		if t.Percent.IsZero() {
			detail = "as billed by the provider"
		}
		add(stmtRow("Tax: "+document.TaxLabel(t.Name, t.Percent, t.Base, st.Currency), detail, Figure(t.Amount), Exact(t.Unrounded), false, Normal))
	}
	add(stmtRow("Total", "the sum of the printed figures", st.Currency+" "+Figure(st.Total), Exact(st.Unrounded), true, Normal))
	for _, n := range st.Notes {
		add(stmtRow("Note", n, "", "", false, Warning))
	}
	v.Totals = []string{Figure(st.Subtotal), Figure(st.Discount), Figure(st.CreditsApplied), Figure(st.Tax), st.Currency + " " + Figure(st.Total)}
	v.Usage, v.UsageNote = usageView(st.Usage)
	v.Console, v.ConsoleNote = consoleView(st.Console)
	return v
}

// plainRow is a row of texts, bold or not.
func plainRow(bold bool, texts ...string) Row {
	r := Row{Cells: make([]Cell, len(texts))}
	for i, t := range texts {
		r.Cells[i] = Cell{Text: t, Bold: bold}
	}
	return r
}

// usageView is the usage report's view of the lines (each line item
// rounded to the cent first) against the bill's, and what explains the
// difference.
func usageView(u billing.UsageView) ([]Row, string) {
	var rows []Row
	for _, l := range u.Lines {
		rows = append(rows, plainRow(false, string(l.ProductType), l.Service, Figure(l.Usage), Figure(l.Bill), Figure(l.Difference)))
	}
	rows = append(rows, plainRow(true, "Total", "", u.Currency+" "+Figure(u.Total), u.Currency+" "+Figure(u.Bill), Figure(u.Difference)))
	note := fmt.Sprintf("The bill's lines come to %s %s; rounding each line item first gives %s %s: a difference of %s. "+
		"Support, recurring charges, discount, credits and tax are the same in both views.",
		u.Currency, Figure(u.Bill), u.Currency, Figure(u.Total), Figure(u.Difference))
	return rows, note
}

// consoleView is what the AWS console shows for the customer's accounts
// against the statement, service by service, the differences in orange,
// and what makes up the difference.
func consoleView(v billing.Variance) ([]Row, string) {
	row := func(l billing.VarianceLine, bold bool) Row {
		r := plainRow(bold, l.Service, Figure(l.ConsoleUnblended), Figure(l.ConsoleBlended), Figure(l.Statement), Figure(l.Difference), l.Cause)
		if !l.Difference.IsZero() {
			r.Cells[4].Tone, r.Cells[5].Tone = Warning, Warning
		}
		return r
	}
	var rows []Row
	for _, l := range v.Lines {
		rows = append(rows, row(l, false))
	}
	t := row(v.Total, true)
	t.Cells[0].Text = "Total " + v.Currency
	rows = append(rows, t)

	var parts []string
	tot := v.Total
	for _, c := range []struct {
		name string
		a    billing.Amount
	}{{"re-rating", tot.Rerating}, {"markup and discount", tot.Markup}, {"support", tot.Support}, {"rounding", tot.Rounding},
		{"excluded (Marketplace not included)", tot.Excluded}, {"provider discounts kept as margin", tot.Kept}, {"custom charges", tot.Custom}, {"tax", tot.Tax}, {"credits", tot.Credits}} {
		if !c.a.IsZero() {
			parts = append(parts, c.name+" "+Figure(c.a))
		}
	}
	if len(parts) == 0 {
		return rows, "The statement shows what the console shows."
	}
	return rows, fmt.Sprintf("The statement differs from the console's unblended total by %s %s: %s. "+
		"Re-rating is a reservation or Savings Plan bought by another customer, billed here at its on-demand price.",
		v.Currency, Figure(tot.Difference), strings.Join(parts, " + "))
}

// CreditsNote says what became of the customer's reseller credits on a
// statement: not applied (the option is off) and how much is there, or
// how much is left for later months; "" when credits were applied and none
// is left.
func CreditsNote(st *billing.Statement) string {
	left := st.Currency + " " + Figure(st.CreditsCarried)
	switch {
	case !st.Options.Credits && st.CreditsCarried.IsZero():
		return "not applied (option off)"
	case !st.Options.Credits:
		return "not applied (option off); " + left + " available"
	case !st.CreditsCarried.IsZero():
		return left + " left for later months"
	}
	return ""
}
