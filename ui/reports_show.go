package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/invoice"
	"rebill/engine/money"
	"rebill/ui/view"
)

// The Reports screen binds what the engine computed, as its view-model
// words and lays it out (view.NewStatement, view.SummaryRow,
// view.ReportWarning): no amount is added up, rounded or converted here.

// showEmptyState explains why there is nothing to compute, and reports
// whether there is something.
func (s *reportsScreen) showEmptyState(period string, pick reportPick) bool {
	text, button, screen, ok := view.ReportEmpty(period, len(pick.ids), len(s.picker.customers))
	if ok {
		s.emptyBox.Hide()
		return true
	}
	s.empty.SetText(text)
	s.emptyGo.SetText(button)
	s.emptyGo.OnTapped = func() { s.state.show(screen) }
	showWhen(s.emptyGo, button != "")
	s.emptyBox.Show()
	s.seq++ // whatever is under way is no longer wanted
	s.shown = nil
	s.heading.SetText("Reports")
	s.subheading.SetText("")
	s.warning.Hide()
	s.problemBox.Hide()
	s.body.Hide()
	s.progress.Stop()
	s.progress.Hide()
	s.status.Hide()
	return false
}

// show lays out a computation's result: one customer's statement, or a
// group's summary.
func (s *reportsScreen) show(res *reportResult) {
	s.shown = res
	s.problemBox.Hide()
	s.rateErr = nil
	if res.err != nil {
		s.heading.SetText(res.pick.label + " — " + res.period)
		s.subheading.SetText("")
		s.warning.Hide()
		s.body.Hide()
		s.showProblem("Could not read "+res.period+": "+res.err.Error(), nil)
		return
	}
	final := res.month.Final()
	id, single := res.pick.single()
	s.subheading.Show()
	warning := view.ReportWarning(res.period, final, single, res.month.Month.Unassigned())
	s.warning.SetText(warning)
	showWhen(s.warning, warning != "")
	if single {
		c, _ := res.month.Customer(id)
		s.heading.SetText(view.ReportHeading(c.Name+" ("+c.ID+")", res.period, final))
		if err := res.errs[0]; err != nil {
			s.subheading.SetText("")
			s.body.Hide()
			s.showProblem(view.NoStatement(c, err))
			return
		}
		st := res.statements[0]
		s.fillStatement(st, res.invoiced[0])
		sub := view.StatementSubheading(st)
		if s.stmt.Invoiced != "" {
			sub += "\n" + s.stmt.Invoiced + ": its figures and the difference are below the total."
		}
		s.subheading.SetText(sub)
		dismissTips(s.state.win.Canvas()) // a cut name clicked in the summary
		s.body.Show()
		s.body.Objects[0].Show()
		s.body.Objects[1].Hide()
		return
	}
	s.heading.SetText(view.ReportHeading(res.pick.label, res.period, final))
	s.subheading.SetText(view.GroupSubheading(len(res.pick.ids), s.options()))
	s.summaryRows = s.summaryRows[:0]
	for i, id := range res.pick.ids {
		c, _ := res.month.Customer(id)
		s.summaryRows = append(s.summaryRows, view.InvoicedSummary(view.SummaryRow(c, res.statements[i], res.errs[i]), res.invoiced[i]))
	}
	s.summary.setRows(len(s.summaryRows))
	s.summary.table.ScrollToTop()
	s.body.Show()
	s.body.Objects[0].Hide()
	s.body.Objects[1].Show()
}

// fillStatement shows a statement in its three tabs.
func (s *reportsScreen) fillStatement(st *billing.Statement, inv *invoice.Reported) {
	s.stmt = view.NewReport(st, inv)
	s.totals.set(s.stmt.Totals)
	s.statement.cols[2].title = s.stmt.AmountTitle
	s.statement.setRows(len(s.stmt.Rows))
	s.statement.table.ScrollToTop()
	s.usage.setRows(len(s.stmt.Usage))
	s.usageNote.SetText(s.stmt.UsageNote)
	s.console.setRows(len(s.stmt.Console))
	s.consNote.SetText(s.stmt.ConsoleNote)
}

// showProblem shows why there is no statement; with a missing rate it
// offers to enter it.
func (s *reportsScreen) showProblem(text string, re *billing.RateError) {
	s.problem.SetText(text)
	s.rateErr = re
	s.subheading.Hidden = s.subheading.Text == ""
	if re != nil {
		s.enterRate.SetText(view.EnterRate(re))
		s.enterRate.Show()
	} else {
		s.enterRate.Hide()
	}
	s.problemBox.Show()
}

// onSummarySelected opens the statement of a group summary's customer.
func (s *reportsScreen) onSummarySelected(id widget.TableCellID) {
	s.summary.table.UnselectAll()
	if id.Row < 0 || id.Row >= len(s.summaryRows) {
		return
	}
	s.picker.selectCustomer(s.summaryRows[id.Row].ID)
}

// onStatementSelected opens the trace of a service line.
func (s *reportsScreen) onStatementSelected(id widget.TableCellID) {
	s.statement.table.UnselectAll()
	if id.Row < 0 || id.Row >= len(s.stmt.Rows) || s.shown == nil {
		return
	}
	r := s.stmt.Rows[id.Row]
	if r.Line == nil || r.Line.Trace == nil {
		return
	}
	s.dialog = newTraceDialog(s.state.win, s.shown.statements[0], r.Section, *r.Line)
	s.dialog.Show()
}

// parseRate reads an exchange rate typed by the accountant, as every
// face reads numbers (money.ParseTyped).
func parseRate(text string) (decimal.Decimal, error) {
	d, err := money.ParseTyped(text)
	if err != nil {
		return decimal.Zero, fmt.Errorf("rate %w", err)
	}
	return d, nil
}

// onEnterRate asks for the missing exchange rate and its source, saves it
// and computes again.
func (s *reportsScreen) onEnterRate() {
	re := s.rateErr
	if re == nil {
		return
	}
	rate := widget.NewEntry()
	rate.SetPlaceHolder("e.g. 0.8812")
	source := widget.NewEntry()
	source.SetPlaceHolder("e.g. ECB reference rate " + re.Period + "-30")
	items := []*widget.FormItem{
		widget.NewFormItem("1 "+re.From+" =", container.NewBorder(nil, nil, nil, widget.NewLabel(re.To), rate)),
		widget.NewFormItem("Source", source),
	}
	items[0].HintText = "The rate for " + re.Period + ", used for every statement of that month"
	items[1].HintText = "Printed on invoices with the rate"
	d := dialog.NewForm("Exchange rate "+re.From+" → "+re.To+", "+re.Period, "Save", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		v, err := parseRate(rate.Text)
		if err == nil {
			_, err = s.state.db.PutRate(billing.EnteredRate{From: re.From, To: re.To, Period: re.Period, Rate: v, Source: source.Text}, s.state.now())
		}
		if err != nil {
			s.dialog = dialog.NewError(err, s.state.win)
			s.dialog.Show()
			return
		}
		s.compute()
	}, s.state.win)
	d.Resize(fyne.NewSize(520, 260))
	s.dialog = d
	d.Show()
}

// totalsBar keeps a statement's figures in sight below its lines, however
// far the accountant scrolls: subtotal, discount, credits, tax and total.
type totalsBar struct {
	values []*widget.Label
	view   fyne.CanvasObject
}

func newTotalsBar() *totalsBar {
	b := &totalsBar{}
	objs := []fyne.CanvasObject{layout.NewSpacer()}
	for i, title := range view.TotalsTitles {
		t := widget.NewLabelWithStyle(title, fyne.TextAlignTrailing, fyne.TextStyle{})
		t.Importance = widget.LowImportance
		v := widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: i == len(view.TotalsTitles)-1})
		b.values = append(b.values, v)
		objs = append(objs, container.NewVBox(t, v))
	}
	b.view = container.NewVBox(widget.NewSeparator(), container.NewHBox(objs...))
	return b
}

// set shows a statement's figures (view.Statement.Totals).
func (b *totalsBar) set(figures []string) {
	for i, f := range figures {
		b.values[i].SetText(f)
	}
}
