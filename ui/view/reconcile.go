package view

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/reconcile"
)

// StepKind says how a bar of the bridge's waterfall is drawn.
type StepKind int

// Step kinds.
const (
	// Total is a bar from zero: the distributor's invoice, the invoices.
	Total StepKind = iota
	// Up and Down are causes that add to or take from the running total.
	Up
	Down
	// Residual is the unexplained part: red when it is not zero.
	Residual
)

// Step is one bar of the waterfall: Low and High are where it starts and
// ends, as fractions of the chart's height (0 the lowest figure, 1 the
// highest), so the screen only scales them.
type Step struct {
	Label  string
	Amount string
	Kind   StepKind
	Tone   Tone
	// Cause is the bridge item the bar is, "" for the totals and the
	// residual.
	Cause     reconcile.Cause
	Low, High float64
	// Cut is set on a total whose bar starts at the cut axis's floor,
	// not at zero: the screen draws a break mark on it.
	Cut bool
}

// Waterfall is a bridge as bars: the distributor's invoice, each non-zero
// cause, the unexplained residual, the customers' invoices. Zero causes
// are left out so the chart stays readable; the item list names them all.
// caption is "" when the axis starts at zero, else it says where the cut
// axis starts (the screen shows it above the chart).
func Waterfall(b reconcile.Bridge) (steps []Step, caption string) {
	type bar struct {
		step     Step
		from, to decimal.Decimal
	}
	dec := func(s string) decimal.Decimal {
		d, _ := decimal.NewFromString(s)
		return d
	}
	var bars []bar
	start := dec(b.Start)
	bars = append(bars, bar{Step{Label: StartShort(b), Amount: GroupDigits(b.Start), Kind: Total, Tone: Normal}, decimal.Zero, start})
	run := start
	for _, it := range b.Items {
		if it.Value().IsZero() {
			continue
		}
		k, tone := Up, Success
		if it.Value().IsNegative() {
			k, tone = Down, Warning
		}
		next := run.Add(it.Value())
		bars = append(bars, bar{Step{Label: it.Label, Amount: GroupDigits(it.Amount), Kind: k, Tone: tone, Cause: it.Cause}, run, next})
		run = next
	}
	if u := b.UnexplainedValue(); !u.IsZero() {
		next := run.Add(u)
		bars = append(bars, bar{Step{Label: "Unexplained", Amount: GroupDigits(b.Unexplained), Kind: Residual, Tone: Danger}, run, next})
		run = next
	}
	bars = append(bars, bar{Step{Label: "Invoiced", Amount: GroupDigits(b.InvoicedTotal), Kind: Total, Tone: Normal}, decimal.Zero, dec(b.InvoicedTotal)})

	// The axis is cut, and says so. Drawn from zero, a month's 9.56 of
	// differences on a 4,064.48 invoice is a quarter of a percent of the
	// chart, under a pixel: the bridge would show two equal totals and no
	// causes. So the scale covers the causes and the totals' tops, with a
	// quarter of their span below, and starts at a round figure under
	// them; the totals' bars then start at that floor, not at zero, so
	// they are marked Cut (the screen draws a break on them) and the
	// caption names the floor. When the floor would be zero or below, the
	// axis is not cut: it starts at zero and the totals are drawn from it.
	var lo, hi decimal.Decimal
	for i, x := range bars {
		ends := []decimal.Decimal{x.from, x.to}
		if x.step.Kind == Total {
			ends = ends[1:]
		}
		for j, d := range ends {
			if i == 0 && j == 0 {
				lo, hi = d, d
			}
			lo, hi = decimal.Min(lo, d), decimal.Max(hi, d)
		}
	}
	span := hi.Sub(lo)
	if !span.IsPositive() {
		span = decimal.Max(hi.Abs(), decimal.NewFromInt(1))
	}
	lowest := lo
	lo = roundDown(lo.Sub(span.Div(decimal.NewFromInt(4))), span)
	switch {
	case lo.IsPositive():
		caption = "The scale starts at " + GroupDigits(lo.StringFixed(2)) + ", not at zero: the totals' bars are cut."
	case !lowest.IsNegative():
		lo, hi = decimal.Zero, decimal.Max(hi, decimal.Zero)
	default:
		hi = decimal.Max(hi, decimal.Zero)
	}
	for i := range bars {
		if bars[i].step.Kind == Total {
			bars[i].from = decimal.Zero
			if lo.IsPositive() {
				bars[i].from, bars[i].step.Cut = lo, true
			}
		}
	}
	span = hi.Sub(lo)
	out := make([]Step, len(bars))
	for i, x := range bars {
		s := x.step
		if span.IsPositive() {
			a, _ := x.from.Sub(lo).Div(span).Float64()
			z, _ := x.to.Sub(lo).Div(span).Float64()
			s.Low, s.High = min(a, z), max(a, z)
		}
		out[i] = s
	}
	return out, caption
}

// roundDown is d rounded down to the largest power of ten not above span
// (at least a cent), so that a cut axis starts at a figure the accountant
// reads at a glance: 4,052.53 with a span of 9.56 starts at 4,052.

// StartShort names a bridge's start under its bar: the distributor's
// invoice, or the provider's file while no distributor invoice is
// recorded.
func StartShort(b reconcile.Bridge) string {
	if len(b.DistributorInvoices) == 0 {
		return "File total"
	}
	return "Distributor"
}

// BridgeRows are the bridge as the item list shows it: label and amount,
// the unexplained residual red when not zero.
func BridgeRows(b reconcile.Bridge) [][]Cell {
	rows := [][]Cell{{{Text: b.StartLabel, Bold: true}, {Text: GroupDigits(b.Start), Bold: true}}}
	for _, it := range b.Items {
		tone := Normal
		if it.Value().IsZero() {
			tone = Low
		}
		rows = append(rows, []Cell{{Text: it.Label, Tone: tone}, {Text: GroupDigits(it.Amount), Tone: tone}})
	}
	u := Cell{Text: GroupDigits(b.Unexplained), Tone: Success}
	if !b.UnexplainedValue().IsZero() {
		u.Tone, u.Bold = Danger, true
	}
	rows = append(rows, []Cell{{Text: "Unexplained", Tone: u.Tone, Bold: u.Bold}, u})
	rows = append(rows, []Cell{{Text: "Customers' invoices", Bold: true}, {Text: GroupDigits(b.InvoicedTotal), Bold: true}})
	return rows
}

// CauseDetail is the drill-down of one bridge row (its index in
// BridgeRows): who each amount comes from, or for the residual, the lines
// that cause it.
func CauseDetail(b reconcile.Bridge, row int) string {
	switch {
	case row == 0:
		if len(b.DistributorInvoices) == 0 {
			return fmt.Sprintf("No distributor invoice is recorded for this month: the bridge starts at the provider file's total, %s %s (%s at full precision). Add the distributor's invoice with Distributor invoices… to tie the customers' invoices to it.",
				b.Currency, GroupDigits(b.Start), GroupDigits(b.FileTotal))
		}
		return fmt.Sprintf("Distributor invoices %s: %s %s before tax (tax %s). The file's total is %s.",
			strings.Join(b.DistributorInvoices, ", "), b.Currency, GroupDigits(b.DistributorTotal), GroupDigits(b.DistributorTax), GroupDigits(b.FileTotal))
	case row <= len(b.Items):
		it := b.Items[row-1]
		if len(it.Customers) == 0 {
			return it.Label + ": nothing this month."
		}
		lines := []string{it.Label + ":"}
		for _, s := range it.Customers {
			who := s.Customer
			switch {
			case s.Account != "":
				who = "account " + s.Account
			case who == "":
				who = "the month as a whole"
			}
			lines = append(lines, fmt.Sprintf("  %s  %s", who, GroupDigits(s.Amount)))
		}
		return strings.Join(lines, "\n")
	case row == len(b.Items)+1:
		if len(b.Residuals) == 0 {
			return "Nothing is unexplained: every cent has a cause."
		}
		var lines []string
		for _, r := range b.Residuals {
			lines = append(lines, fmt.Sprintf("%s, invoice %s: %s", r.Customer, r.Invoice, GroupDigits(r.Amount)))
			for _, l := range r.Lines {
				lines = append(lines, "  "+l)
			}
		}
		return strings.Join(lines, "\n")
	}
	var lines []string
	for _, c := range b.Customers {
		inv := c.Invoice
		if inv == "" {
			inv = "not invoiced yet"
		}
		lines = append(lines, fmt.Sprintf("%s  %s  cost %s  invoiced %s", c.Customer, inv, GroupDigits(c.Cost), GroupDigits(c.Invoiced)))
	}
	return strings.Join(lines, "\n")
}

// MarginByCause is how a row's margin splits by cause, in the words of
// the reconciliation: "RI and Savings Plan re-rating 11.66; Rounding:
// service lines -0.01"; "" when no cause has a part.
func MarginByCause(r reconcile.MarginRow) string {
	var causes []string
	for _, c := range reconcile.MarginCauses {
		if v, ok := r.Causes[c]; ok {
			causes = append(causes, c.Label()+" "+GroupDigits(v))
		}
	}
	return strings.Join(causes, "; ")
}

// MarginTable is the margin report as table cells: customer, provider,
// service, currency, cost, billed, margin and the causes; total rows bold,
// a negative margin in red.
func MarginTable(rows []reconcile.MarginRow) [][]Cell {
	var out [][]Cell
	for _, r := range rows {
		total := r.Service == "Total"
		_, _, m := r.Figures()
		mt := Normal
		if m.IsNegative() {
			mt = Danger
		}
		out = append(out, []Cell{{Text: r.Customer, Bold: total}, {Text: strings.ToUpper(r.Provider)}, {Text: r.Service, Bold: total},
			{Text: r.Currency}, {Text: GroupDigits(r.Cost), Bold: total}, {Text: GroupDigits(r.Billed), Bold: total},
			{Text: GroupDigits(r.Margin), Bold: total, Tone: mt}, {Text: MarginByCause(r), Tone: Low}})
	}
	return out
}
func roundDown(d, span decimal.Decimal) decimal.Decimal {
	step, ten := decimal.New(1, -2), decimal.NewFromInt(10)
	for step.Mul(ten).LessThanOrEqual(span) {
		step = step.Mul(ten)
	}
	return d.Div(step).Floor().Mul(step)
}
