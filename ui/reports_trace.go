package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/lineitem"
)

// newTraceDialog explains one statement line from its trace: the line
// items behind it per line item type, the cost basis, re-rated lines with
// whose reservation or Savings Plan they used, the pricing rules, exchange
// rates, support plan or recurring charges, and the rounding. Everything
// shown is the engine's; amounts of line items are in the file's currency.
func newTraceDialog(win fyne.Window, st *billing.Statement, section billing.ProductType, l billing.Line) dialog.Dialog {
	t := l.Trace
	title := l.Service
	if l.Name != "" && l.Name != l.Service {
		title += " — " + l.Name
	}
	adj := exactFigure(t.RoundingAdjustment)
	if t.RoundingAdjustment.IsPositive() {
		adj = "+" + adj
	}
	facts := [][2]string{
		{"Statement line", fmt.Sprintf("%s, in the %s section of %s's %s statement", l.Service, section, st.CustomerID, st.Period)},
		{"Printed amount", st.Currency + " " + figure(l.Amount)},
		{"Full precision", st.Currency + " " + exactFigure(t.Unrounded)},
		{"Rounding", fmt.Sprintf("%s to the %s minor unit: adjustment %s", t.Rounding, st.Currency, adj)},
	}
	if len(t.Types) > 0 {
		facts = append(facts, [2]string{"Cost basis", basisLabel(t.Basis)})
	}
	parts := []fyne.CanvasObject{traceHeading(title), factGrid(facts)}

	if len(t.Types) > 0 {
		rows := [][]string{}
		var items int64
		for _, ty := range t.Types {
			items += ty.Items
			rows = append(rows, []string{ty.Type, ty.Currency, count(ty.Items), exactFigure(ty.Billed), exactFigure(ty.Charged)})
		}
		parts = append(parts, traceSection(fmt.Sprintf("Line items by type (%s in all)", plural(int(items), "line item", "line items"))),
			gridTable([]string{"Line item type", "Currency", "Items", "Billed (unblended)", "Charged (" + basisName(t.Basis) + ")"},
				[]bool{false, false, true, true, true}, rows))
	}
	if len(t.Rerated) > 0 {
		rows := [][]string{}
		for _, r := range t.Rerated {
			owner := r.OwnerCustomer
			if owner == "" {
				owner = "no customer"
			}
			onDemand := ""
			if r.Type == lineitem.DiscountedUsage {
				onDemand = exactFigure(r.OnDemand)
			}
			rows = append(rows, []string{r.Type, r.Owner, owner, count(r.Items), exactFigure(r.Billed), onDemand, exactFigure(r.Charged), rerateOutcome(r)})
		}
		parts = append(parts, traceSection("Reservations and Savings Plans used"),
			gridTable([]string{"Type", "Bought by account", "Its customer", "Items", "Billed", "On demand", "Charged", "Outcome"},
				[]bool{false, false, false, true, true, true, true, false}, rows))
	}
	if len(t.Rules) > 0 {
		rows := [][]string{}
		for _, r := range t.Rules {
			rows = append(rows, []string{ruleText(r.Rule), signed(r.Rule.Percent) + "%", r.Currency, exactFigure(r.Base), exactFigure(r.Change)})
		}
		parts = append(parts, traceSection("Pricing rules applied (the most specific rule wins)"),
			gridTable([]string{"Rule", "Percent", "Currency", "On charges of", "Change"}, []bool{false, true, false, true, true}, rows))
	} else if len(t.Types) > 0 {
		parts = append(parts, traceSection("Pricing rules applied"), traceNote("None: the line is charged at its cost basis."))
	}
	if len(t.Rates) > 0 {
		var lines []string
		for _, r := range t.Rates {
			lines = append(lines, fmt.Sprintf("1 %s = %s %s for %s (%s)", r.From, r.Rate, r.To, r.Period, r.Source))
		}
		parts = append(parts, traceSection("Exchange rates"), traceNote(strings.Join(lines, "\n")+"\nConverted at full precision, then rounded once."))
	}
	if sd := t.Support; sd != nil {
		parts = append(parts, traceSection("Support plan: "+sd.Name))
		facts := [][2]string{{"Computed on", st.Currency + " " + exactFigure(sd.Base) + " of the customer's own charges (no Marketplace, credits or provider support lines)"}}
		if !sd.Percent.IsZero() {
			facts = append(facts, [2]string{"Rate", sd.Percent.String() + "%"})
		}
		if !sd.Minimum.IsZero() {
			facts = append(facts, [2]string{"Minimum", st.Currency + " " + exactFigure(sd.Minimum)})
		}
		facts = append(facts, [2]string{"Fee at full precision", st.Currency + " " + exactFigure(sd.Unrounded)})
		parts = append(parts, factGrid(facts))
		if len(sd.Tiers) > 0 {
			rows := [][]string{}
			for _, tc := range sd.Tiers {
				to := "and above"
				if !tc.To.IsZero() {
					to = exactFigure(tc.To)
				}
				rows = append(rows, []string{exactFigure(tc.From), to, tc.Percent.String() + "%", exactFigure(tc.Charge)})
			}
			parts = append(parts, gridTable([]string{"From", "To", "Percent", "Charge"}, []bool{true, true, true, true}, rows))
		}
	}
	if len(t.Recurring) > 0 {
		rows := [][]string{}
		for _, rc := range t.Recurring {
			until := rc.Until
			if until == "" {
				until = "open-ended"
			}
			rows = append(rows, []string{rc.Description, rc.From, until, exactFigure(rc.Amount)})
		}
		parts = append(parts, traceSection("Recurring charges"),
			gridTable([]string{"Description", "From", "Until", "Amount"}, []bool{false, false, false, true}, rows))
	}

	content := container.NewVScroll(container.NewPadded(container.NewVBox(parts...)))
	d := dialog.NewCustom("Where this amount comes from", "Close", content, win)
	size := win.Canvas().Size()
	d.Resize(fyne.NewSize(min(max(size.Width*0.85, 600), 1100), min(max(size.Height*0.8, 400), 720)))
	return d
}

// rerateOutcome says what happened to re-rated line items.
func rerateOutcome(r billing.RerateTrace) string {
	switch {
	case r.Kept:
		return "the customer's own: benefit kept, as AWS billed"
	case r.OwnerCustomer == "":
		return "bought by no customer: charged on demand"
	case r.Type == lineitem.DiscountedUsage:
		return "another customer's: charged on demand"
	}
	return "another customer's: not credited"
}

// ruleText describes a pricing rule's criteria.
func ruleText(r customer.PricingRule) string {
	var parts []string
	for _, c := range []struct{ name, v string }{{"provider", r.Provider}, {"billing entity", r.BillingEntity},
		{"product code", r.ProductCode}, {"usage type", r.UsageType}} {
		if c.v != "" {
			parts = append(parts, c.name+" "+c.v)
		}
	}
	if len(parts) == 0 {
		return "every charge"
	}
	return strings.Join(parts, ", ")
}

// signed writes a percentage with its sign: +5, -10.
func signed(d decimal.Decimal) string {
	if d.IsPositive() {
		return "+" + d.String()
	}
	return d.String()
}

func traceHeading(text string) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	l.Wrapping = fyne.TextWrapWord
	return l
}

func traceSection(text string) fyne.CanvasObject {
	return container.NewVBox(widget.NewSeparator(), widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
}

func traceNote(text string) fyne.CanvasObject {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// factGrid lays out label: value pairs.
func factGrid(facts [][2]string) fyne.CanvasObject {
	rows := make([][]string, len(facts))
	for i, f := range facts {
		rows[i] = []string{f[0], f[1]}
	}
	return gridTable(nil, []bool{false, false}, rows)
}

// gridTable is a small read-only table sized to its content (columns as
// wide as their widest cell), for dialogs where a scrolling widget.Table
// would need a fixed size. right marks the amount columns.
func gridTable(header []string, right []bool, rows [][]string) fyne.CanvasObject {
	var objs []fyne.CanvasObject
	add := func(text string, col int, bold bool) {
		l := widget.NewLabel(text)
		if right[col] {
			l.Alignment = fyne.TextAlignTrailing
		}
		l.TextStyle = fyne.TextStyle{Bold: bold}
		if col == 0 && header == nil {
			l.Importance = widget.LowImportance
		}
		objs = append(objs, l)
	}
	for i, h := range header {
		add(h, i, true)
	}
	for _, r := range rows {
		for i, v := range r {
			add(v, i, false)
		}
	}
	return container.New(&gridTableLayout{cols: len(right)}, objs...)
}
