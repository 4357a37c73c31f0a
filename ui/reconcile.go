package ui

import (
	"bytes"
	"fmt"
	"image/color"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/document"
	"rebill/engine/reconcile"
	"rebill/ui/view"
)

// reconcileScreen ties a month back to the distributor's invoice: the
// bridge as a waterfall with its items (select one to see who it comes
// from), the margin report, and the distributor invoice form.
type reconcileScreen struct {
	state *appState

	month, provider *widget.Select
	until           *widget.Select
	chart           *waterfall
	items           *dataTable
	detail          *widget.Label
	margin          *dataTable
	message         *tipLabel
	badge           *widget.Label
	content         fyne.CanvasObject
	// providerIDs are the providers offered, by the name shown.
	providerIDs map[string]string

	bridge  *reconcile.Bridge
	rows    [][]view.Cell
	margins [][]view.Cell
	marginR []reconcile.MarginRow
}

func newReconcileScreen(st *appState) *reconcileScreen {
	s := &reconcileScreen{state: st}
	s.month = widget.NewSelect(nil, func(string) { s.refresh() })
	s.month.PlaceHolder = "month"
	s.provider = widget.NewSelect(nil, func(string) { s.refresh() })
	s.provider.PlaceHolder = "provider"
	s.until = widget.NewSelect(nil, func(string) { s.refreshMargin() })
	s.until.PlaceHolder = "until (optional)"
	s.chart = newWaterfall(s.onBar)
	s.items = newDataTable([]column{{title: "Cause", min: 320, shrink: true}, {title: "Amount", align: fyne.TextAlignTrailing, min: 110}},
		func(r, c int) cell { return cellOf(s.rows[r][c]) })
	s.items.table.OnSelected = func(id widget.TableCellID) { s.showDetail(id.Row) }
	s.detail = widget.NewLabel("Select a cause to see the customers and accounts it comes from.")
	s.detail.Wrapping = fyne.TextWrapWord
	// One line, cut to the window: a wrapping label would widen every
	// screen of the navigation to its text. The notes go to the detail.
	s.message = newTipLabel("")
	s.badge = newMonthBadge()
	s.margin = newDataTable([]column{{title: "Customer"}, {title: "Provider"}, {title: "Service", min: 140}, {title: "Currency"},
		{title: "Cost", align: fyne.TextAlignTrailing}, {title: "Billed", align: fyne.TextAlignTrailing},
		{title: "Margin", align: fyne.TextAlignTrailing}, {title: "By cause", min: 220, shrink: true}},
		func(r, c int) cell { return cellOf(s.margins[r][c]) })

	invoices := widget.NewButton("Distributor invoices…", s.onDistributor)
	export := widget.NewButton("Export to Excel…", s.onExport)
	bar := container.NewHBox(widget.NewLabel("Month"), s.month, widget.NewLabel("Provider"), s.provider, s.badge, invoices)
	// The causes get the larger part, so their names read whole at
	// 1024 px; the detail beside them wraps.
	causes := container.NewHSplit(s.items.view, container.NewVScroll(s.detail))
	causes.Offset = 0.62
	bridgeTab := container.NewVSplit(s.chart, causes)
	// The report leaves tax out on both sides (reconcile.MarginRow): said
	// here, so that a Total below an invoice's total reads as meant.
	beforeTax := widget.NewLabel("Before tax: the tax on invoices is owed, not earned.")
	beforeTax.Importance = widget.LowImportance
	marginTab := container.NewBorder(container.NewHBox(widget.NewLabel("From the month above until"), s.until, export, beforeTax), nil, nil, nil, s.margin.view)
	tabs := container.NewAppTabs(container.NewTabItem("Bridge", bridgeTab), container.NewTabItem("Margin", marginTab))
	s.content = container.NewBorder(container.NewVBox(bar, s.message), nil, nil, nil, tabs)
	st.onDataChanged(s.reload)
	s.reload()
	return s
}

func (s *reconcileScreen) view() fyne.CanvasObject { return s.content }

// providerID is the provider chosen, as the store names it.
func (s *reconcileScreen) providerID() string { return s.providerIDs[s.provider.Selected] }

// reload offers the imported months and providers, newest month first.
func (s *reconcileScreen) reload() {
	periods, err := s.state.db.Periods()
	if err != nil {
		s.message.SetText(err.Error())
		return
	}
	var months, providers []string
	ids := map[string]string{}
	for _, p := range periods {
		if !slices.Contains(months, p.Period) {
			months = append(months, p.Period)
		}
		if name := view.ProviderName(p.Provider); !slices.Contains(providers, name) {
			providers = append(providers, name)
			ids[name] = string(p.Provider)
		}
	}
	slices.Sort(months)
	slices.Reverse(months)
	slices.Sort(providers)
	s.month.Options, s.until.Options, s.provider.Options = months, append([]string{""}, months...), providers
	s.providerIDs = ids
	if _, ok := ids[s.provider.Selected]; !ok {
		s.provider.Selected = ""
	}
	if s.month.Selected == "" && len(months) > 0 {
		s.month.Selected = months[0]
	}
	if s.provider.Selected == "" && len(providers) > 0 {
		s.provider.Selected = providers[0]
	}
	s.month.Refresh()
	s.provider.Refresh()
	s.refresh()
}

// refresh computes the selected month's bridge and margin.
func (s *reconcileScreen) refresh() {
	s.bridge, s.rows = nil, nil
	if s.month.Selected == "" {
		s.message.SetText("Import a month's billing files first; its reconciliation appears here.")
		s.show()
		return
	}
	rec, err := s.state.db.Reconcile(s.month.Selected, s.providerID())
	if err != nil {
		s.message.SetText(err.Error())
		s.show()
		return
	}
	b := rec.Bridges[0]
	s.bridge, s.rows = &b, view.BridgeRows(b)
	setMonthBadge(s.badge, s.state.db, b.Period, b.Provider)
	msg := fmt.Sprintf("%s %s in %s: %s %s, invoiced %s, unexplained %s.", strings.ToUpper(b.Provider), b.Period, b.Currency,
		strings.ToLower(view.StartShort(b)), view.GroupDigits(b.Start), view.GroupDigits(b.InvoicedTotal), view.GroupDigits(b.Unexplained))
	s.message.SetText(msg)
	s.detail.SetText(strings.Join(append(b.Notes, "Select a cause to see the customers and accounts it comes from."), "\n"))
	s.show()
	s.refreshMargin()
}

func (s *reconcileScreen) show() {
	var steps []view.Step
	caption := ""
	if s.bridge != nil {
		steps, caption = view.Waterfall(*s.bridge)
	}
	s.chart.set(steps, caption)
	s.items.setRows(len(s.rows))
}

// refreshMargin computes the margin report of the chosen months.
func (s *reconcileScreen) refreshMargin() {
	s.margins, s.marginR = nil, nil
	if s.month.Selected != "" {
		rows, err := s.state.db.Margins(s.month.Selected, s.until.Selected, s.providerID())
		if err != nil {
			s.message.SetText(err.Error())
		}
		s.marginR, s.margins = rows, view.MarginTable(rows)
	}
	s.margin.setRows(len(s.margins))
}

// onBar shows the drill-down of a bar of the chart.
func (s *reconcileScreen) onBar(st view.Step) {
	if s.bridge == nil {
		return
	}
	for i, it := range s.bridge.Items {
		if st.Cause != "" && it.Cause == st.Cause {
			s.showDetail(i + 1)
			return
		}
	}
	switch st.Kind {
	case view.Residual:
		s.showDetail(len(s.bridge.Items) + 1)
	case view.Total:
		if st.Label == "Distributor" {
			s.showDetail(0)
		} else {
			s.showDetail(len(s.bridge.Items) + 2)
		}
	}
}

func (s *reconcileScreen) showDetail(row int) {
	if s.bridge != nil {
		s.detail.SetText(view.CauseDetail(*s.bridge, row))
	}
}

// onDistributor opens the distributor invoice form on the chosen month.
func (s *reconcileScreen) onDistributor() {
	showDistributorForm(s.state, s.month.Selected, s.providerID())
}

// onExport writes the margin report as a workbook.
func (s *reconcileScreen) onExport() {
	if len(s.marginR) == 0 {
		dialog.ShowInformation("Nothing to export", "The margin report covers issued invoices; these months have none.", s.state.win)
		return
	}
	dialog.ShowFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		defer w.Close()
		var buf bytes.Buffer
		if err := document.MarginXLSX(&buf, s.month.Selected, s.until.Selected, s.marginR); err != nil {
			dialog.ShowError(err, s.state.win)
			return
		}
		if _, err := w.Write(buf.Bytes()); err != nil {
			dialog.ShowError(fmt.Errorf("cannot write %s: %w", w.URI().Name(), err), s.state.win)
		}
	}, s.state.win)
}

// waterfall draws a bridge as bars on Fyne's canvas: totals from the
// baseline, causes floating from the running total, each labelled with its
// amount; tapping a bar selects it.
type waterfall struct {
	widget.BaseWidget
	steps []view.Step
	// caption says where a cut axis starts; "" when it starts at zero.
	caption  string
	onSelect func(view.Step)
}

func newWaterfall(onSelect func(view.Step)) *waterfall {
	w := &waterfall{onSelect: onSelect}
	w.ExtendBaseWidget(w)
	return w
}

func (w *waterfall) set(steps []view.Step, caption string) {
	w.steps, w.caption = steps, caption
	w.Refresh()
}

// Tapped selects the bar under the pointer.
func (w *waterfall) Tapped(e *fyne.PointEvent) {
	if len(w.steps) == 0 || w.onSelect == nil {
		return
	}
	i := int(e.Position.X / (w.Size().Width / float32(len(w.steps))))
	if i >= 0 && i < len(w.steps) {
		w.onSelect(w.steps[i])
	}
}

// MinSize keeps the chart readable.
func (w *waterfall) MinSize() fyne.Size { return fyne.NewSize(400, 220) }

func (w *waterfall) CreateRenderer() fyne.WidgetRenderer {
	return &waterfallRenderer{w: w}
}

type waterfallRenderer struct {
	w       *waterfall
	objects []fyne.CanvasObject
}

func (r *waterfallRenderer) Destroy()                     {}
func (r *waterfallRenderer) MinSize() fyne.Size           { return r.w.MinSize() }
func (r *waterfallRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *waterfallRenderer) Refresh()                     { r.Layout(r.w.Size()) }

// barColor is a step's colour from the theme.
func barColor(st view.Step) color.Color {
	switch st.Tone {
	case view.Success:
		return theme.Color(theme.ColorNameSuccess)
	case view.Warning:
		return theme.Color(theme.ColorNameWarning)
	case view.Danger:
		return theme.Color(theme.ColorNameError)
	}
	return theme.Color(theme.ColorNamePrimary)
}

// Layout rebuilds the bars for the size: one column per step, a label
// row at the bottom and the amount above each bar.
func (r *waterfallRenderer) Layout(size fyne.Size) {
	r.objects = r.objects[:0]
	n := len(r.w.steps)
	if n == 0 {
		t := canvas.NewText("No reconciliation to draw.", theme.Color(theme.ColorNameDisabled))
		t.Move(fyne.NewPos(theme.Padding(), theme.Padding()))
		r.objects = append(r.objects, t)
		return
	}
	const labelH, amountH = 34, 18
	col := size.Width / float32(n)
	plotTop := float32(amountH)
	ts := theme.CaptionTextSize()
	if r.w.caption != "" {
		c := canvas.NewText(r.w.caption, theme.Color(theme.ColorNameForeground))
		c.TextSize = ts
		c.TextStyle = fyne.TextStyle{Italic: true}
		c.Move(fyne.NewPos(theme.Padding(), 2))
		r.objects = append(r.objects, c)
		plotTop += amountH
	}
	plotH := size.Height - labelH - plotTop
	if plotH < 10 {
		plotH = 10
	}
	y := func(f float64) float32 { return plotTop + plotH*(1-float32(f)) }
	for i, st := range r.w.steps {
		x := col*float32(i) + col*0.15
		top, bottom := y(st.High), y(st.Low)
		if bottom-top < 1 {
			bottom = top + 1
		}
		bar := canvas.NewRectangle(barColor(st))
		bar.Move(fyne.NewPos(x, top))
		bar.Resize(fyne.NewSize(col*0.7, bottom-top))
		amount := canvas.NewText(st.Amount, theme.Color(theme.ColorNameForeground))
		amount.TextSize = ts
		amount.Alignment = fyne.TextAlignCenter
		amount.Move(fyne.NewPos(col*float32(i), top-amountH))
		amount.Resize(fyne.NewSize(col, amountH))
		label := canvas.NewText(short(st.Label, int(col/(ts*0.55))), theme.Color(theme.ColorNameForeground))
		label.TextSize = ts
		label.Alignment = fyne.TextAlignCenter
		label.Move(fyne.NewPos(col*float32(i), size.Height-labelH+4))
		label.Resize(fyne.NewSize(col, labelH/2))
		r.objects = append(r.objects, bar, amount, label)
		if st.Cut && bottom-top > 24 {
			r.objects = append(r.objects, breakMark(x, col*0.7, bottom-14)...)
		}
	}
	base := canvas.NewLine(theme.Color(theme.ColorNameDisabled))
	base.Position1, base.Position2 = fyne.NewPos(0, size.Height-labelH), fyne.NewPos(size.Width, size.Height-labelH)
	r.objects = append(r.objects, base)
}

// breakMark is the cut-axis sign across a bar of width w at height y: a
// gap in the background colour between two slanted strokes, which says the
// bar's bottom part is left out (the caption says from where).
func breakMark(x, w, y float32) []fyne.CanvasObject {
	const gap, slant = 5, 4
	band := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	band.Move(fyne.NewPos(x-2, y-gap/2))
	band.Resize(fyne.NewSize(w+4, gap))
	out := []fyne.CanvasObject{band}
	for _, dy := range []float32{-gap / 2, gap / 2} {
		l := canvas.NewLine(theme.Color(theme.ColorNameForeground))
		l.StrokeWidth = 1.5
		l.Position1, l.Position2 = fyne.NewPos(x-4, y+dy+slant/2), fyne.NewPos(x+w+4, y+dy-slant/2)
		out = append(out, l)
	}
	return out
}

// short cuts a label to n characters with an ellipsis.
func short(s string, n int) string {
	if n < 4 {
		n = 4
	}
	if i := strings.Index(s, " ("); i > 0 {
		s = s[:i]
	}
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
