package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/customer"
	"rebill/store"
	"rebill/ui/view"
)

// maxMinSize is the largest minimum size the window may ask for, so that
// it fits a 1024x700 screen with room for the title bar (issue 13,
// point 4).
var maxMinSize = fyne.NewSize(1000, 680)

// TestWindowFitsSmallScreens shows every screen with the sample data
// loaded, a month generated and approved, and checks that none of them
// makes the window's content ask for more than maxMinSize: a label that
// neither wraps nor truncates, a row of buttons in an HBox or a table
// with fixed column widths would.
func TestWindowFitsSmallScreens(t *testing.T) {
	h := newHarness(t)
	test.Tap(findButton(t, h.imports().welcome, "Load sample data"))
	if h.periods().table.rows == 0 {
		t.Fatal("loading the sample data failed")
	}
	generateSample(t, h)
	// Laid out at the size asked for, as on a 1024x700 screen: what
	// wraps takes its rows there.
	h.win.Resize(maxMinSize)
	for _, d := range screenDefs() {
		t.Run(d.title, func(t *testing.T) {
			h.state.show(d.title)
			got := h.win.Content().MinSize()
			own := h.shell.items[d.title].Content.MinSize()
			if own.Width > maxMinSize.Width || own.Height > maxMinSize.Height {
				t.Errorf("the screen asks for at least %vx%v, want at most %vx%v",
					own.Width, own.Height, maxMinSize.Width, maxMinSize.Height)
			}
			if got.Width > maxMinSize.Width || got.Height > maxMinSize.Height {
				t.Errorf("the window asks for at least %vx%v, want at most %vx%v",
					got.Width, got.Height, maxMinSize.Width, maxMinSize.Height)
			}
		})
	}
	// A customer open, on each of its tabs.
	h.state.show("Customers")
	s := h.customers()
	s.tree.Select("c:ACME")
	for _, tab := range s.tabs.Items {
		t.Run("Customers "+tab.Text, func(t *testing.T) {
			s.tabs.Select(tab)
			if got := h.win.Content().MinSize(); got.Width > maxMinSize.Width || got.Height > maxMinSize.Height {
				t.Errorf("the window asks for at least %vx%v, want at most %vx%v",
					got.Width, got.Height, maxMinSize.Width, maxMinSize.Height)
			}
		})
	}
}

// TestHeadingsFitSmallScreens checks that a screen's heading beside its
// buttons shows whole at the window's minimum size: its tip is there for
// narrower windows, not for the smallest screen Rebill is made for.
func TestHeadingsFitSmallScreens(t *testing.T) {
	h := newHarness(t)
	test.Tap(findButton(t, h.imports().welcome, "Load sample data"))
	h.win.Resize(maxMinSize)
	h.state.show("Periods")
	s := h.periods()
	s.table.table.Select(widget.TableCellID{Row: 0, Col: colMonth}) // the month's buttons enabled
	if s.heading.cut() {
		t.Errorf("the Periods heading %q is cut at %v px", s.heading.Text, s.heading.Size().Width)
	}
}

// valueCut finds a row whose value of column c is wider than the column.
func valueCut(tb *dataTable, c int) (int, bool) {
	if tb.isHidden(c) {
		return 0, false // left out (an optional column no row fills): nothing shown to cut
	}
	pad := 2*theme.InnerPadding() + theme.Padding()
	for r := 0; r < tb.rows; r++ {
		cl := tb.cell(r, c)
		if fyne.MeasureText(cl.text, theme.TextSize(), fyne.TextStyle{Bold: cl.bold}).Width+pad > tb.widths[c]+0.5 {
			return r, true
		}
	}
	return 0, false
}

// generateSample generates and approves September 2024 of the sample
// for every customer.
func generateSample(t *testing.T, h *harness) {
	t.Helper()
	customers, err := h.db.Customers()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range customers {
		ids = append(ids, c.ID)
	}
	if _, err := h.db.GenerateInvoices(store.GenerateRequest{Period: "2024-09", Selection: customer.Selection{Customers: ids}, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.db.ApproveDrafts("2024-09", testNow); err != nil {
		t.Fatal(err)
	}
	h.state.dataChanged()
}

// TestTablesFitSmallScreens checks, at the window's minimum size with the
// sample data, that the lists show every column without a horizontal
// scroll: their long texts give up width, their amounts never do.
func TestTablesFitSmallScreens(t *testing.T) {
	h := newHarness(t)
	test.Tap(findButton(t, h.imports().welcome, "Load sample data"))
	generateSample(t, h)
	h.win.Resize(maxMinSize)
	reports := h.shell.screens["Reports"].(*reportsScreen)
	// tab shows the Reports screen for one customer with one of its tabs.
	tab := func(i int) func() {
		return func() {
			h.state.show("Reports")
			reports.picker.tree.Select(pickCustomer + "FABRIKAM")
			reports.tabs.SelectIndex(i)
		}
	}
	invoices := h.shell.screens["Invoices"].(*invoicesScreen)
	tables := []struct {
		screen string
		show   func()
		table  func() *dataTable
		// whole are the columns whose values must show whole: the
		// others may be cut, with a tip.
		whole []int
	}{
		{"Periods", nil, func() *dataTable { return h.periods().table }, []int{colMonth, colTotal, colData}},
		{"Reports", nil, func() *dataTable { return reports.summary }, []int{1, 2, 3, 4, 5}},
		// Credits and tax are columns only while their option is on.
		{"Reports with credits and tax", func() {
			h.state.show("Reports")
			reports.credits.SetChecked(true)
			reports.tax.SetChecked(true)
		}, func() *dataTable {
			if reports.summary.isHidden(view.SumCredits) || reports.summary.isHidden(view.SumTax) {
				t.Error("credits or tax left out with their options on")
			}
			return reports.summary
		}, []int{1, 2, 3, 4, 5}},
		{"Reports statement", tab(0), func() *dataTable { return reports.statement }, []int{2, 3}},
		{"Reports console variance", tab(2), func() *dataTable { return reports.console }, []int{1, 2, 3, 4, 5}},
		{"Invoices", func() {
			h.state.show("Invoices")
			invoices.month.SetSelected("2024-09")
		}, func() *dataTable { return invoices.table }, []int{view.ColNumber, view.ColStatus, view.ColTotal, view.ColIssued, view.ColDue}},
		// Customer, currency and the ageing columns whole, as of a day
		// when the approved invoices are open.
		{"Receivables", func() {
			h.state.show("Receivables")
			r := h.shell.screens["Receivables"].(*receivablesScreen)
			r.asOf.SetText("2025-01-10")
			test.Tap(r.refresh)
		}, func() *dataTable { return h.shell.screens["Receivables"].(*receivablesScreen).table }, []int{0, 2, 3, 4, 5, 6, 7, 8}},
	}
	for _, tc := range tables {
		t.Run(tc.screen, func(t *testing.T) {
			if tc.show != nil {
				tc.show()
			} else {
				h.state.show(tc.screen)
			}
			tb := tc.table()
			if tb.rows == 0 {
				t.Fatal("the table is empty")
			}
			if over := tb.overflow(); over > 0 {
				t.Errorf("the columns %v are %v wider than the table (%v): one is cut off", tb.widths, over, tb.width)
			}
			for _, c := range tc.whole {
				if r, ok := valueCut(tb, c); ok {
					t.Errorf("column %q cuts %q (row %d) at %v px", tb.cols[c].title, tb.cell(r, c).text, r, tb.widths[c])
				}
			}
		})
	}
}
