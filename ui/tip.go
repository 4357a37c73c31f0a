package ui

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Fyne 2.7 has no tooltips. A text cut to fit ("Globex Cor…") or an
// amount shown to the cent must still be readable in full, so every
// place that shortens a text uses a tipLabel: it shows its whole text
// (or its full figure) in a small bubble when the pointer rests on it,
// and at once when it is clicked or tapped.

// tipDelay is how long the pointer rests on a label before its tip shows.
var tipDelay = 600 * time.Millisecond

// tipLabel is a label that elides what does not fit and shows the rest on
// hover or click.
type tipLabel struct {
	widget.Label
	// Full is what the label shortens beyond eliding (an amount's exact
	// figure); "" when the text is all there is.
	Full string
	// OnTapped runs after a click has shown the tip: a table cell
	// selects its row, as a click on it would without a tip.
	OnTapped func()

	mu    sync.Mutex
	timer *time.Timer
	// shown is the bubble last shown, taken away when the text changes.
	shown *tipOverlay
}

// newTipLabel is a label that elides its text and offers it in full.
func newTipLabel(text string) *tipLabel {
	l := &tipLabel{}
	l.Text = text
	l.Truncation = fyne.TextTruncateEllipsis
	l.ExtendBaseWidget(l)
	return l
}

// tip is what the bubble shows: the full figure, or the text when it is
// cut; "" when everything is already on screen.
func (l *tipLabel) tip() string {
	if l.Full != "" {
		return l.Full
	}
	if l.cut() {
		return l.Text
	}
	return ""
}

// cut tells whether the label is narrower than its text.
func (l *tipLabel) cut() bool {
	if l.Text == "" || l.Truncation == fyne.TextTruncateOff || l.Wrapping != fyne.TextWrapOff {
		return false
	}
	need := fyne.MeasureText(l.Text, theme.TextSize(), l.TextStyle).Width + 2*theme.InnerPadding()
	return need > l.Size().Width+0.5
}

// MouseIn starts the delay after which the tip shows.
func (l *tipLabel) MouseIn(*desktop.MouseEvent) {
	if l.tip() == "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.timer != nil {
		l.timer.Stop()
	}
	l.timer = time.AfterFunc(tipDelay, func() { fyne.Do(l.showTip) })
}

// MouseMoved keeps the delay running.
func (l *tipLabel) MouseMoved(*desktop.MouseEvent) {}

// MouseOut cancels a tip not yet shown.
func (l *tipLabel) MouseOut() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.timer != nil {
		l.timer.Stop()
		l.timer = nil
	}
}

// Tapped shows the tip at once, then does what a click on the label
// does. When that click takes the label away (a row that opens another
// view), the bubble goes with it instead of floating over the new view
// until the pointer moves: a label no longer shown has no position.
func (l *tipLabel) Tapped(*fyne.PointEvent) {
	l.MouseOut()
	l.showTip()
	if l.OnTapped == nil {
		return
	}
	d := fyne.CurrentApp().Driver()
	at := d.AbsolutePositionForObject(l)
	l.OnTapped()
	if l.shown != nil && d.AbsolutePositionForObject(l) != at {
		l.shown.dismiss()
		l.shown = nil
	}
}

// showTip puts the bubble under the label.
func (l *tipLabel) showTip() {
	text := l.tip()
	if text == "" || !l.Visible() {
		return
	}
	c := fyne.CurrentApp().Driver().CanvasForObject(l)
	if c == nil {
		return
	}
	if top, ok := c.Overlays().Top().(*tipOverlay); ok {
		top.dismiss()
	}
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(l)
	o := newTipOverlay(text, at, l.Size(), c, l.OnTapped)
	c.Overlays().Add(o)
	o.Resize(c.Size())
	l.shown = o
}

// SetText changes the text and takes away a bubble still showing the
// old one: a table reuses its cells for other rows under a still pointer.
func (l *tipLabel) SetText(text string) {
	if l.shown != nil && text != l.Text {
		l.shown.dismiss()
		l.shown = nil
	}
	l.Label.SetText(text)
}

// tipOverlay is the bubble, laid over the whole window so that it can
// leave as soon as the pointer leaves the label or anything is clicked.
type tipOverlay struct {
	widget.BaseWidget
	text   *widget.Label
	bubble *fyne.Container
	// at and anchor are the label's place on the window.
	at     fyne.Position
	anchor fyne.Size
	c      fyne.Canvas
	// onTap is the label's click, for a click on the label under the
	// bubble.
	onTap func()
}

func newTipOverlay(text string, at fyne.Position, anchor fyne.Size, c fyne.Canvas, onTap func()) *tipOverlay {
	o := &tipOverlay{at: at, anchor: anchor, c: c, onTap: onTap}
	o.text = widget.NewLabel(text)
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
	bg.StrokeColor = theme.Color(theme.ColorNameShadow)
	bg.StrokeWidth = 1
	bg.CornerRadius = theme.InputRadiusSize()
	o.bubble = container.NewStack(bg, o.text)
	o.ExtendBaseWidget(o)
	return o
}

// CreateRenderer draws the bubble under the label, or over it at the
// window's bottom edge, inside the window.
func (o *tipOverlay) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.New(tipLayout{o}, o.bubble))
}

// tipMaxWidth is the widest a bubble grows before its text wraps: about
// 80 characters, a line that still reads at a glance.
const tipMaxWidth = 640

// tipLayout places a tipOverlay's bubble.
type tipLayout struct{ o *tipOverlay }

// Layout puts the bubble under the label, or over it at the window's
// bottom edge.
func (l tipLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	o := l.o
	// A long text wraps at a width that reads well and fits the window,
	// instead of running off its edge. Its one-line width decides, not
	// MinSize: once wrapped, a label's MinSize is a word wide.
	most := min(size.Width-2*theme.Padding(), tipMaxWidth)
	wrap := fyne.MeasureText(o.text.Text, theme.TextSize(), o.text.TextStyle).Width+2*theme.InnerPadding() > most
	if wrapping := o.text.Wrapping == fyne.TextWrapWord; wrapping != wrap {
		o.text.Wrapping = fyne.TextWrapOff
		if wrap {
			o.text.Wrapping = fyne.TextWrapWord
		}
		o.text.Refresh()
	}
	b := o.bubble.MinSize()
	if wrap {
		o.bubble.Resize(fyne.NewSize(most, b.Height)) // lays the lines out at that width
		b = fyne.NewSize(most, o.bubble.MinSize().Height)
	}
	x := min(max(o.at.X, 0), size.Width-b.Width)
	y := o.at.Y + o.anchor.Height
	if y+b.Height > size.Height {
		y = max(o.at.Y-b.Height, 0)
	}
	o.bubble.Resize(b)
	o.bubble.Move(fyne.NewPos(x, y))
}

// MinSize asks for nothing: the overlay takes the window's size.
func (l tipLayout) MinSize(objs []fyne.CanvasObject) fyne.Size { return fyne.Size{} }

// over tells whether p is on the label or the bubble.
func (o *tipOverlay) over(p fyne.Position) bool {
	in := func(pos fyne.Position, s fyne.Size) bool {
		return p.X >= pos.X && p.X < pos.X+s.Width && p.Y >= pos.Y && p.Y < pos.Y+s.Height
	}
	return in(o.at, o.anchor) || in(o.bubble.Position(), o.bubble.Size())
}

// dismiss takes the bubble away.
func (o *tipOverlay) dismiss() { o.c.Overlays().Remove(o) }

// MouseIn and MouseMoved take the bubble away once the pointer leaves
// the label and the bubble.
func (o *tipOverlay) MouseIn(e *desktop.MouseEvent) { o.MouseMoved(e) }

// MouseMoved: see MouseIn.
func (o *tipOverlay) MouseMoved(e *desktop.MouseEvent) {
	if !o.over(e.Position) {
		o.dismiss()
	}
}

// MouseOut takes the bubble away.
func (o *tipOverlay) MouseOut() { o.dismiss() }

// Tapped takes the bubble away; a click on the label under it still
// does what it does.
func (o *tipOverlay) Tapped(e *fyne.PointEvent) {
	o.dismiss()
	if o.onTap != nil && o.over(e.Position) && !o.overBubble(e.Position) {
		o.onTap()
	}
}

func (o *tipOverlay) overBubble(p fyne.Position) bool {
	pos, s := o.bubble.Position(), o.bubble.Size()
	return p.X >= pos.X && p.X < pos.X+s.Width && p.Y >= pos.Y && p.Y < pos.Y+s.Height
}

// Scrolled takes the bubble away: the label is moving.
func (o *tipOverlay) Scrolled(*fyne.ScrollEvent) { o.dismiss() }

// dismissTips takes away the bubbles still showing on a canvas: a screen
// calls it where it swaps what it shows, after work in the background,
// when the label a bubble was for has left.
func dismissTips(c fyne.Canvas) {
	for _, o := range c.Overlays().List() {
		if t, ok := o.(*tipOverlay); ok {
			t.dismiss()
		}
	}
}
