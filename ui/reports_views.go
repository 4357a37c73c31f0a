package ui

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/money"
)

// The Reports screen's tables. They lay out the figures the engine
// computed, exactly as it printed them (thousands separators added): no
// amount is added up, rounded or converted here.

// figure writes a printed figure with thousands separators.
func figure(a billing.Amount) string { return groupDigits(a.String()) }

// exactFigure writes a full-precision value with thousands separators,
// never in scientific notation.
func exactFigure(d decimal.Decimal) string {
	places := max(-d.Exponent(), 0)
	return groupDigits(d.StringFixed(places))
}

// parseRate reads an exchange rate typed by the accountant, as every
// face reads numbers (money.ParseTyped).
func parseRate(s string) (decimal.Decimal, error) {
	d, err := money.ParseTyped(s)
	if err != nil {
		return decimal.Zero, fmt.Errorf("rate %w", err)
	}
	return d, nil
}

// stmtRow is one row of the statement table: a section heading, a service
// line, a section subtotal, or one of the figures after the sections.
type stmtRow struct {
	label, detail, amount, exact string
	bold                         bool
	importance                   widget.Importance
	// line and section are set on service lines, which open a trace.
	line    *billing.Line
	section billing.ProductType
}

// fillStatement lays the statement out as the invoice will: sections with
// their lines and subtotals, then the subtotal, discount, credits, tax and
// total; and fills the usage and console views.
func (s *reportsScreen) fillStatement(st *billing.Statement) {
	var rows []stmtRow
	if len(st.Sections) == 0 {
		rows = append(rows, stmtRow{label: "No charges", detail: "no account of this customer has line items this month", importance: widget.LowImportance})
	}
	for _, sec := range st.Sections {
		rows = append(rows, stmtRow{label: string(sec.ProductType), bold: true})
		for i := range sec.Lines {
			l := &sec.Lines[i]
			rows = append(rows, stmtRow{label: "    " + l.Service, detail: l.Name, amount: figure(l.Amount),
				exact: exactFigure(l.Unrounded), line: l, section: sec.ProductType})
		}
		rows = append(rows, stmtRow{label: "    " + string(sec.ProductType) + " subtotal", amount: figure(sec.Subtotal), importance: widget.LowImportance})
	}
	rows = append(rows, stmtRow{})
	rows = append(rows, stmtRow{label: "Subtotal", amount: figure(st.Subtotal), bold: true})
	if !st.Support.IsZero() || !st.Marketplace.IsZero() {
		rows = append(rows,
			stmtRow{label: "    of which support", detail: "recomputed from the customer's own charges", amount: figure(st.Support), importance: widget.LowImportance},
			stmtRow{label: "    of which Marketplace", detail: "pass-through: no discount, support or tax on it", amount: figure(st.Marketplace), importance: widget.LowImportance})
	}
	disc := stmtRow{label: "Discount / uplift", amount: figure(st.Discount)}
	if d := st.DiscountDetail; d != nil {
		disc.detail = d.Percent.String() + "% of " + exactFigure(d.Base)
		disc.exact = exactFigure(d.Unrounded)
	}
	rows = append(rows, disc)
	cred := stmtRow{label: "Reseller credits applied", amount: figure(st.CreditsApplied)}
	if !st.CreditsCarried.IsZero() {
		cred.detail = st.CreditsCarried.String() + " left for later months"
	} else if !st.Options.Credits {
		cred.detail = "not applied (option off)"
	}
	rows = append(rows, cred)
	if len(st.TaxLines) == 0 {
		t := stmtRow{label: "Tax", amount: figure(st.Tax)}
		if !st.Options.Tax {
			t.detail = "not added (option off)"
		}
		rows = append(rows, t)
	}
	for _, t := range st.TaxLines {
		detail := "as billed by the provider"
		if !t.Percent.IsZero() || !t.Base.IsZero() {
			detail = t.Percent.String() + "% of " + exactFigure(t.Base)
		}
		rows = append(rows, stmtRow{label: "Tax: " + t.Name, detail: detail, amount: figure(t.Amount), exact: exactFigure(t.Unrounded)})
	}
	rows = append(rows, stmtRow{label: "Total", detail: "the sum of the printed figures", amount: st.Currency + " " + figure(st.Total), exact: exactFigure(st.Unrounded), bold: true})
	for _, n := range st.Notes {
		rows = append(rows, stmtRow{label: "Note", detail: n, importance: widget.WarningImportance})
	}
	s.stmtRows = rows
	s.totals.set(st)
	s.statement.cols[2].title = "Amount (" + st.Currency + ")"
	s.statement.setRows(len(rows))
	s.statement.table.ScrollToTop()

	s.fillUsage(st)
	s.fillConsole(st)
}

func (s *reportsScreen) statementCell(row, col int) cell {
	r := s.stmtRows[row]
	c := cell{bold: r.bold, importance: r.importance}
	switch col {
	case 0:
		c.text = r.label
	case 1:
		c.text = r.detail
	case 2:
		c.text = r.amount
	case 3:
		c.text = r.exact
		if r.line != nil {
			c.importance = widget.LowImportance
		}
	}
	return c
}

// usageRow is one row of the usage view.
type usageRow struct {
	productType, service, usage, bill, diff string
	bold                                    bool
}

func (s *reportsScreen) fillUsage(st *billing.Statement) {
	u := st.Usage
	var rows []usageRow
	for _, l := range u.Lines {
		rows = append(rows, usageRow{string(l.ProductType), l.Service, figure(l.Usage), figure(l.Bill), figure(l.Difference), false})
	}
	rows = append(rows, usageRow{"Total", "", u.Currency + " " + figure(u.Total), u.Currency + " " + figure(u.Bill), figure(u.Difference), true})
	s.usageRows = rows
	s.usage.setRows(len(rows))
	s.usageNote.SetText(fmt.Sprintf("The bill's lines come to %s %s; rounding each line item first gives %s %s: a difference of %s. Support, recurring charges, discount, credits and tax are the same in both views.",
		u.Currency, figure(u.Bill), u.Currency, figure(u.Total), figure(u.Difference)))
}

func (s *reportsScreen) usageCell(row, col int) cell {
	r := s.usageRows[row]
	return cell{text: [...]string{r.productType, r.service, r.usage, r.bill, r.diff}[col], bold: r.bold}
}

// consoleRow is one row of the console variance.
type consoleRow struct {
	cols [6]string
	bold bool
	diff bool // the statement differs from the console
}

func (s *reportsScreen) fillConsole(st *billing.Statement) {
	v := st.Console
	row := func(l billing.VarianceLine, bold bool) consoleRow {
		return consoleRow{cols: [6]string{l.Service, figure(l.ConsoleUnblended), figure(l.ConsoleBlended), figure(l.Statement), figure(l.Difference), l.Cause},
			bold: bold, diff: !l.Difference.IsZero()}
	}
	var rows []consoleRow
	for _, l := range v.Lines {
		rows = append(rows, row(l, false))
	}
	t := row(v.Total, true)
	t.cols[0] = "Total " + v.Currency
	rows = append(rows, t)
	s.consoleRows = rows
	s.console.setRows(len(rows))

	var parts []string
	tot := v.Total
	for _, c := range []struct {
		name string
		a    billing.Amount
	}{{"re-rating", tot.Rerating}, {"markup and discount", tot.Markup}, {"support", tot.Support}, {"rounding", tot.Rounding},
		{"excluded (Marketplace not included)", tot.Excluded}, {"custom charges", tot.Custom}, {"tax", tot.Tax}, {"credits", tot.Credits}} {
		if !c.a.IsZero() {
			parts = append(parts, c.name+" "+figure(c.a))
		}
	}
	if len(parts) == 0 {
		s.consNote.SetText("The statement shows what the console shows.")
		return
	}
	s.consNote.SetText(fmt.Sprintf("The statement differs from the console's unblended total by %s %s: %s. Re-rating is a reservation or Savings Plan bought by another customer, billed here at its on-demand price.",
		v.Currency, figure(tot.Difference), strings.Join(parts, " + ")))
}

func (s *reportsScreen) consoleCell(row, col int) cell {
	r := s.consoleRows[row]
	c := cell{text: r.cols[col], bold: r.bold}
	if (col == 4 || col == 5) && r.diff {
		c.importance = widget.WarningImportance
	}
	return c
}

// summaryRow is one customer of a group's summary.
type summaryRow struct {
	id   string
	cols [7]string
	bad  bool
}

func (s *reportsScreen) fillSummary(res *reportResult) {
	var rows []summaryRow
	for i, id := range res.pick.ids {
		c, _ := res.month.Customer(id)
		r := summaryRow{id: id}
		r.cols[0] = c.Name + " (" + c.ID + ")"
		if err := res.errs[i]; err != nil {
			r.cols[6], r.bad = problemNote(err), true
			rows = append(rows, r)
			continue
		}
		st := res.statements[i]
		r.cols[1], r.cols[2], r.cols[3], r.cols[4] = figure(st.Subtotal), figure(st.Discount), figure(st.CreditsApplied), figure(st.Tax)
		r.cols[5] = st.Currency + " " + figure(st.Total)
		switch {
		case len(st.Sections) == 0:
			r.cols[6] = "no charges this month"
		case len(st.Notes) > 0:
			r.cols[6] = strings.Join(st.Notes, "; ")
		}
		rows = append(rows, r)
	}
	s.summaryRows = rows
	s.summary.setRows(len(rows))
	s.summary.table.ScrollToTop()
}

// problemNote says briefly, in a summary row, why a customer has no
// statement; the customer's own view says it in full.
func problemNote(err error) string {
	var re *billing.RateError
	if errors.As(err, &re) {
		return fmt.Sprintf("needs the %s → %s rate for %s", re.From, re.To, re.Period)
	}
	text := err.Error()
	if r := []rune(text); len(r) > 70 {
		text = string(r[:69]) + "…"
	}
	return "no statement: " + text
}

func (s *reportsScreen) summaryCell(row, col int) cell {
	r := s.summaryRows[row]
	c := cell{text: r.cols[col], bold: col == 5}
	if r.bad && col == 6 {
		c.importance = widget.DangerImportance
	}
	if col == 6 && !r.bad {
		c.importance = widget.LowImportance
	}
	return c
}

// totalsBar keeps a statement's figures in sight below its lines, however
// far the accountant scrolls: subtotal, discount, credits, tax and total.
type totalsBar struct {
	values []*widget.Label
	view   fyne.CanvasObject
}

var totalsTitles = []string{"Subtotal", "Discount / uplift", "Reseller credits", "Tax", "Total"}

func newTotalsBar() *totalsBar {
	b := &totalsBar{}
	objs := []fyne.CanvasObject{layout.NewSpacer()}
	for i, title := range totalsTitles {
		t := widget.NewLabelWithStyle(title, fyne.TextAlignTrailing, fyne.TextStyle{})
		t.Importance = widget.LowImportance
		v := widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: i == len(totalsTitles)-1})
		b.values = append(b.values, v)
		objs = append(objs, container.NewVBox(t, v))
	}
	b.view = container.NewVBox(widget.NewSeparator(), container.NewHBox(objs...))
	return b
}

// set shows a statement's figures as the engine printed them.
func (b *totalsBar) set(st *billing.Statement) {
	for i, a := range []billing.Amount{st.Subtotal, st.Discount, st.CreditsApplied, st.Tax} {
		b.values[i].SetText(figure(a))
	}
	b.values[4].SetText(st.Currency + " " + figure(st.Total))
}
