package ui

import (
	"testing"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
)

// TestNavFitsSmallScreens: at 1024x700 every page's button is in view,
// the welcome's too: AppTabs showed seven and put Settings behind "⋮".
func TestNavFitsSmallScreens(t *testing.T) {
	h := newHarness(t)
	h.shell.showWelcome()
	h.win.Resize(maxMinSize)
	nav := h.shell.nav
	if n := len(nav.buttons.Objects); n != len(screenDefs())+1 {
		t.Fatalf("%d buttons, want one per screen and the welcome's", n)
	}
	need, have := nav.buttons.MinSize().Height, nav.scroll.Size().Height
	if need > have {
		t.Errorf("the buttons need %v px of height, the column has %v at %vx%v: some are scrolled out of view", need, have, maxMinSize.Width, maxMinSize.Height)
	}
	for _, o := range nav.buttons.Objects {
		b := o.(*navButton)
		if bottom := b.Position().Y + b.Size().Height; bottom > have {
			t.Errorf("%s's button ends at %v px, below the column's %v", b.item.Text, bottom, have)
		}
	}
}

// TestNavShowsOneScreen: a tap on a button shows its page and hides the
// one before; tapping the page shown changes nothing.
func TestNavShowsOneScreen(t *testing.T) {
	h := newHarness(t)
	nav := h.shell.nav
	var selected []string
	was := nav.OnSelected
	nav.OnSelected = func(it *container.TabItem) {
		selected = append(selected, it.Text)
		was(it)
	}
	button := func(title string) *navButton {
		for _, o := range nav.buttons.Objects {
			if b := o.(*navButton); b.item.Text == title {
				return b
			}
		}
		t.Fatalf("no button %q", title)
		return nil
	}
	test.Tap(button("Reports"))
	test.Tap(button("Reports"))
	if h.shown() != "Reports" || len(selected) != 1 {
		t.Fatalf("shown %q after %v, want Reports selected once", h.shown(), selected)
	}
	for _, it := range nav.Items {
		if want := it.Text == "Reports"; it.Content.Visible() != want {
			t.Errorf("%s's screen visible: %v, want %v", it.Text, it.Content.Visible(), want)
		}
		if b := button(it.Text); b.selected != (it.Text == "Reports") {
			t.Errorf("%s's button drawn selected: %v", it.Text, b.selected)
		}
	}
	if pref := h.state.app.Preferences().String(screenPref); pref != "Reports" {
		t.Errorf("the screen remembered is %q, want Reports", pref)
	}
}
