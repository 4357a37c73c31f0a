package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// tipShown is the text of the tip bubble on top of the window, "" when
// none shows.
func (h *harness) tipShown() string {
	if o, ok := h.win.Canvas().Overlays().Top().(*tipOverlay); ok {
		return o.text.Text
	}
	return ""
}

// TestTipLabel: a label shows a tip only when it has more to say than
// what is on screen: its cut text, or its full figure.
func TestTipLabel(t *testing.T) {
	for _, tc := range []struct {
		name, text, full string
		width            float32
		want             string
	}{
		{"fits: nothing more to read", "Acme", "", 300, ""},
		{"cut: the whole name", "Fabrikam Analytics GmbH", "", 60, "Fabrikam Analytics GmbH"},
		{"an amount to the cent: its exact figure", "USD 3.62", "USD 3.62345678911 exactly", 300, "USD 3.62345678911 exactly"},
		{"empty", "", "", 10, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			test.NewTempApp(t)
			l := newTipLabel(tc.text)
			l.Full = tc.full
			w := test.NewTempWindow(t, container.NewWithoutLayout(l))
			w.Resize(fyne.NewSize(400, 200))
			l.Resize(fyne.NewSize(tc.width, l.MinSize().Height))
			if got := l.tip(); got != tc.want {
				t.Errorf("tip of %q at %v px = %q, want %q", tc.text, tc.width, got, tc.want)
			}
			tapped := false
			l.OnTapped = func() { tapped = true }
			test.Tap(l)
			top, _ := w.Canvas().Overlays().Top().(*tipOverlay)
			switch {
			case tc.want == "" && top != nil:
				t.Errorf("a click showed a tip %q, want none", top.text.Text)
			case tc.want != "" && (top == nil || top.text.Text != tc.want):
				t.Errorf("a click showed %v, want the tip %q", top, tc.want)
			}
			if !tapped {
				t.Error("the click did not reach the label's own action")
			}
			if top != nil {
				test.Tap(top)
				if w.Canvas().Overlays().Top() != nil {
					t.Error("a click elsewhere leaves the tip")
				}
			}
		})
	}
}

// TestTableCellTip: clicking an amount in a list shows its exact figure
// and still selects the row.
func TestTableCellTip(t *testing.T) {
	h := newHarness(t)
	h.imports().addPaths([]string{writeFile(t, t.TempDir(), "october.csv", october)})
	test.Tap(h.imports().importBtn)
	h.state.show("Periods")
	p := h.periods()
	var total *tipLabel
	eachVisible(p.table.table, func(o fyne.CanvasObject) bool {
		if l, ok := o.(*tipLabel); ok && l.Text == "USD 3.62" {
			total = l
		}
		return true
	})
	if total == nil {
		t.Fatal("the total is not rendered")
	}
	test.Tap(total)
	// By hand: 1.0000000001 + 2.5 + 0.12345678901.
	if got := h.tipShown(); got != "USD 3.62345678911 exactly" {
		t.Errorf("clicking the total shows %q, want USD 3.62345678911 exactly", got)
	}
	if !strings.Contains(p.detail.Text, "AWS 2024-10, payer") {
		t.Errorf("the click did not select the month: detail %q", p.detail.Text)
	}
}

// TestTipLeavesWithItsText: a table gives a cell another row's text under
// a pointer that did not move; the bubble of the old text goes.
func TestTipLeavesWithItsText(t *testing.T) {
	test.NewTempApp(t)
	l := newTipLabel("Umbrella Research Inc. (UMBRELLA)")
	w := test.NewTempWindow(t, container.NewWithoutLayout(l))
	w.Resize(fyne.NewSize(400, 200))
	l.Resize(fyne.NewSize(80, l.MinSize().Height))
	test.Tap(l)
	if top, ok := w.Canvas().Overlays().Top().(*tipOverlay); !ok || top.text.Text != "Umbrella Research Inc. (UMBRELLA)" {
		t.Fatalf("a click on the cut name shows %v", w.Canvas().Overlays().Top())
	}
	l.SetText("Acme Retail Ltd (ACME)")
	if top := w.Canvas().Overlays().Top(); top != nil {
		t.Errorf("the bubble of the old text stays: %v", top.(*tipOverlay).text.Text)
	}
}

// TestLongTipWrapsInsideTheWindow: a tip longer than the window is wide
// wraps onto more lines, its bubble inside the window, instead of running
// off the window's edge.
func TestLongTipWrapsInsideTheWindow(t *testing.T) {
	test.NewTempApp(t)
	text := strings.Repeat("Tax was asked for, but the customer has no tax rates. ", 4)
	l := newTipLabel(text)
	w := test.NewTempWindow(t, container.NewWithoutLayout(l))
	w.Resize(fyne.NewSize(500, 400))
	l.Move(fyne.NewPos(200, 20))
	l.Resize(fyne.NewSize(120, l.MinSize().Height))
	test.Tap(l)
	top, ok := w.Canvas().Overlays().Top().(*tipOverlay)
	if !ok {
		t.Fatal("a click on the cut text shows no tip")
	}
	top.Refresh()
	b, win := top.bubble, w.Canvas().Size()
	if b.Position().X < 0 || b.Position().X+b.Size().Width > win.Width || b.Position().Y+b.Size().Height > win.Height {
		t.Errorf("the bubble at %v, %v leaves the %v window", b.Position(), b.Size(), win)
	}
	if b.Size().Width < win.Width/2 {
		t.Errorf("the bubble is %v wide in a %v window: wrapped narrower than it may be", b.Size().Width, win.Width)
	}
	line := l.MinSize().Height
	if b.Size().Height < 2*line {
		t.Errorf("the bubble is %v high: one line of %v, not wrapped", b.Size().Height, line)
	}
	// Laid out again (the window resized), it keeps its width: a wrapped
	// label's MinSize is one word wide.
	wide, high := b.Size().Width, b.Size().Height
	w.Resize(fyne.NewSize(500, 420))
	top.Resize(w.Canvas().Size())
	if b.Size().Width != wide || b.Size().Height != high {
		t.Errorf("laid out again, the bubble is %v, was %vx%v", b.Size(), wide, high)
	}
	// A short tip stays on one line.
	short := newTipLabel("Fabrikam Analytics GmbH")
	w.SetContent(container.NewWithoutLayout(short))
	short.Resize(fyne.NewSize(60, short.MinSize().Height))
	test.Tap(short)
	if top, ok := w.Canvas().Overlays().Top().(*tipOverlay); !ok || top.bubble.Size().Height >= 2*line {
		t.Errorf("a short tip %v", top.bubble.Size())
	}
}

// TestTipLeavesWithItsLabel: a click on a cut table cell shows its tip
// and selects the row; when that opens another view (the label's pane
// hidden), the tip goes too, instead of floating over the new view until
// the pointer moves. A click that leaves the label in place keeps it.
func TestTipLeavesWithItsLabel(t *testing.T) {
	test.NewTempApp(t)
	l := newTipLabel("Globex Corporation (GLOBEX)")
	pane := container.NewWithoutLayout(l)
	other := widget.NewLabel("the statement")
	other.Hide()
	w := test.NewTempWindow(t, container.NewStack(pane, other))
	w.Resize(fyne.NewSize(500, 400))
	l.Move(fyne.NewPos(200, 20))
	l.Resize(fyne.NewSize(80, l.MinSize().Height))
	tips := func() int {
		n := 0
		for _, o := range w.Canvas().Overlays().List() {
			if _, ok := o.(*tipOverlay); ok {
				n++
			}
		}
		return n
	}
	l.OnTapped = func() {}
	test.Tap(l)
	if tips() != 1 {
		t.Fatalf("a click on the cut name shows %d tips, want 1", tips())
	}
	w.Canvas().Overlays().Remove(w.Canvas().Overlays().Top())
	l.OnTapped = func() { pane.Hide(); other.Show() }
	test.Tap(l)
	if tips() != 0 {
		t.Errorf("the click opened another view and %d tips stay over it", tips())
	}
}
