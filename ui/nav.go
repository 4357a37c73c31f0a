package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// navBar is the window's navigation: a column of the screens' buttons,
// icon above name, beside the screen shown. It replaces Fyne's AppTabs,
// whose buttons (a 40 px icon each) left Settings, and Receivables under
// the welcome, behind a "⋮" menu at 1024x700, and which refreshes every
// screen's content on each change of screen. navBar's buttons are
// compact enough for all nine pages at 700 px (the column scrolls if
// a window is shorter still), and a change of screen shows one screen
// and hides the one before.
type navBar struct {
	// Items are the pages, top to bottom: their Text, Icon and Content.
	Items []*container.TabItem
	// OnSelected is called when another page is brought to the front.
	OnSelected func(*container.TabItem)

	selected *container.TabItem
	buttons  *fyne.Container   // a navButton per item
	scroll   *container.Scroll // the buttons, scrolled in a window too short
	screens  *fyne.Container   // a Stack of the items' contents, one shown
	view     fyne.CanvasObject
}

func newNavBar() *navBar {
	n := &navBar{buttons: container.NewVBox(), screens: container.NewStack()}
	n.scroll = container.NewVScroll(n.buttons)
	column := container.NewBorder(nil, nil, nil, widget.NewSeparator(), n.scroll)
	n.view = container.NewBorder(nil, nil, column, nil, n.screens)
	return n
}

// Append adds a page at the end; the first page is selected.
func (n *navBar) Append(item *container.TabItem) { n.SetItems(append(n.Items, item)) }

// Remove takes a page out; when it was shown, the first page is shown.
func (n *navBar) Remove(item *container.TabItem) {
	n.SetItems(slices.DeleteFunc(slices.Clone(n.Items), func(it *container.TabItem) bool { return it == item }))
}

// SetItems replaces the pages, keeping the one shown if it is still
// among them, else showing the first.
func (n *navBar) SetItems(items []*container.TabItem) {
	n.Items = items
	buttons := make([]fyne.CanvasObject, len(items))
	screens := make([]fyne.CanvasObject, len(items))
	keep := false
	for i, it := range items {
		buttons[i] = newNavButton(it, n.Select)
		screens[i] = it.Content
		keep = keep || it == n.selected
		it.Content.Hide()
		// As the Stack would lay it out: refreshing the Stack instead
		// would refresh every widget of every screen.
		it.Content.Move(fyne.NewPos(0, 0))
		it.Content.Resize(n.screens.Size())
	}
	n.buttons.Objects, n.screens.Objects = buttons, screens
	n.buttons.Refresh()
	switch {
	case keep:
		n.selected.Content.Show()
		n.markSelected()
	case len(items) > 0:
		n.selected = nil
		n.Select(items[0])
	default:
		n.selected = nil
	}
}

// Select brings a page to the front.
func (n *navBar) Select(item *container.TabItem) {
	if item == n.selected || !slices.Contains(n.Items, item) {
		return
	}
	if n.selected != nil {
		n.selected.Content.Hide()
	}
	n.selected = item
	item.Content.Show() // laid out already: the Stack sizes hidden screens too
	n.markSelected()
	if n.OnSelected != nil {
		n.OnSelected(item)
	}
}

// Selected is the page shown, nil when there is none.
func (n *navBar) Selected() *container.TabItem { return n.selected }

// markSelected draws the shown page's button as selected, the others not.
func (n *navBar) markSelected() {
	for _, o := range n.buttons.Objects {
		b := o.(*navButton)
		if on := b.item == n.selected; on != b.selected {
			b.selected = on
			b.Refresh()
		}
	}
}

// navButton is a page's button: its icon above its name, in the primary
// colour with a bar on the side of the screen when its page is shown.
type navButton struct {
	widget.BaseWidget
	item     *container.TabItem
	tapped   func(*container.TabItem)
	selected bool
	hovered  bool
}

func newNavButton(item *container.TabItem, tapped func(*container.TabItem)) *navButton {
	b := &navButton{item: item, tapped: tapped}
	b.ExtendBaseWidget(b)
	return b
}

func (b *navButton) Tapped(*fyne.PointEvent) { b.tapped(b.item) }

func (b *navButton) MouseIn(*desktop.MouseEvent) {
	b.hovered = true
	b.Refresh()
}

func (b *navButton) MouseMoved(*desktop.MouseEvent) {}

func (b *navButton) MouseOut() {
	b.hovered = false
	b.Refresh()
}

// Cursor shows the pointing hand, as over a link: the button has no frame.
func (b *navButton) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (b *navButton) CreateRenderer() fyne.WidgetRenderer {
	r := &navButtonRenderer{
		button:     b,
		background: canvas.NewRectangle(nil),
		bar:        canvas.NewRectangle(nil),
		icon:       canvas.NewImageFromResource(nil),
		label:      canvas.NewText(b.item.Text, nil),
	}
	r.label.TextStyle.Bold = true
	r.label.Alignment = fyne.TextAlignCenter
	r.Refresh()
	return r
}

type navButtonRenderer struct {
	button          *navButton
	background, bar *canvas.Rectangle
	icon            *canvas.Image
	label           *canvas.Text
}

// navIconScale is the icon's size in inline icons: 1.25 (25 px at the
// default theme) against AppTabs' 2, which is what lets nine pages fit.
const navIconScale = 1.25

func (r *navButtonRenderer) sizes() (pad, icon, bar float32) {
	th := r.button.Theme()
	return th.Size(theme.SizeNamePadding), th.Size(theme.SizeNameInlineIcon) * navIconScale, th.Size(theme.SizeNameSelectionRadius)
}

func (r *navButtonRenderer) MinSize() fyne.Size {
	pad, icon, bar := r.sizes()
	text := r.label.MinSize()
	return fyne.NewSize(max(text.Width, icon)+2*pad+bar, icon+text.Height+3*pad)
}

func (r *navButtonRenderer) Layout(size fyne.Size) {
	pad, icon, bar := r.sizes()
	r.background.Resize(size)
	r.bar.Move(fyne.NewPos(size.Width-bar, pad))
	r.bar.Resize(fyne.NewSize(bar, size.Height-2*pad))
	text := r.label.MinSize()
	top := (size.Height - icon - text.Height - pad) / 2
	inner := size.Width - bar // centred clear of the bar
	r.icon.Move(fyne.NewPos((inner-icon)/2, top))
	r.icon.Resize(fyne.NewSquareSize(icon))
	r.label.Move(fyne.NewPos(0, top+icon+pad))
	r.label.Resize(fyne.NewSize(inner, text.Height))
}

func (r *navButtonRenderer) Refresh() {
	b := r.button
	th := b.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.background.FillColor = th.Color(theme.ColorNameHover, v)
	r.background.CornerRadius = th.Size(theme.SizeNameSelectionRadius)
	r.background.Hidden = !b.hovered
	r.bar.FillColor = th.Color(theme.ColorNamePrimary, v)
	r.bar.CornerRadius = th.Size(theme.SizeNameSelectionRadius)
	r.bar.Hidden = !b.selected
	r.label.Text = b.item.Text
	r.label.TextSize = th.Size(theme.SizeNameText)
	r.label.Color = th.Color(theme.ColorNameForeground, v)
	r.icon.Resource = b.item.Icon
	if b.selected {
		r.label.Color = th.Color(theme.ColorNamePrimary, v)
		if res, ok := b.item.Icon.(*theme.ThemedResource); ok {
			r.icon.Resource = theme.NewPrimaryThemedResource(res)
		}
	}
	r.Layout(b.Size())
	for _, o := range r.Objects() {
		o.Refresh()
	}
}

func (r *navButtonRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.background, r.bar, r.icon, r.label}
}

func (r *navButtonRenderer) Destroy() {}
