package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The window's custom layouts, in one file: how tables fit their
// columns, forms line up their labels, the invoice paper places its
// columns, blocks and logo, and dialogs lay out label/value pairs.

// fitLayout gives the table all its space and refits the columns when the
// width changes.
type fitLayout struct{ t *dataTable }

func (l *fitLayout) MinSize(objs []fyne.CanvasObject) fyne.Size { return objs[0].MinSize() }

func (l *fitLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if size.Width != l.t.width {
		l.t.width = size.Width
		l.t.fit()
	}
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(size)
}

// labelRow places a label in the column's width and the input beside it.
type labelRow struct{ col *labelColumn }

func (r *labelRow) MinSize(objs []fyne.CanvasObject) fyne.Size {
	l, in := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(r.col.width()+theme.Padding()+in.Width, max(l.Height, in.Height))
}

func (r *labelRow) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := r.col.width()
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(w, objs[0].MinSize().Height))
	objs[1].Move(fyne.NewPos(w+theme.Padding(), 0))
	objs[1].Resize(fyne.NewSize(size.Width-w-theme.Padding(), size.Height))
}

// paperRow lays a row out in columns: the first takes the width the
// fixed trailing columns leave, and its text is shortened with an
// ellipsis when it does not fit.
type paperRow struct {
	widths []float32
	first  *canvas.Text
	full   string
}

func newPaperRow(widths []float32, first *canvas.Text, rest ...fyne.CanvasObject) fyne.CanvasObject {
	l := &paperRow{widths: widths, first: first, full: first.Text}
	return container.New(l, append([]fyne.CanvasObject{first}, rest...)...)
}

func (l *paperRow) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for i, o := range objs {
		h = max(h, o.MinSize().Height)
		if i > 0 && i-1 < len(l.widths) {
			w += l.widths[i-1]
		}
	}
	return fyne.NewSize(w+40, h+4)
}

func (l *paperRow) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	fixed := float32(0)
	for _, w := range l.widths {
		fixed += w
	}
	firstW := max(size.Width-fixed, 20)
	if t := ellipsize(l.full, firstW-8, l.first.TextSize, l.first.TextStyle); t != l.first.Text {
		l.first.Text = t
		l.first.Refresh()
	}
	x := float32(0)
	for i, o := range objs {
		w := firstW
		if i > 0 {
			w = l.widths[i-1]
		}
		h := o.MinSize().Height
		o.Move(fyne.NewPos(x, (size.Height-h)/2))
		o.Resize(fyne.NewSize(w, h))
		x += w
	}
}

// ellipsize shortens s to fit width, ending it with "…".
func ellipsize(s string, width, size float32, style fyne.TextStyle) string {
	if fyne.MeasureText(s, size, style).Width <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 {
		r = r[:len(r)-1]
		if t := strings.TrimSpace(string(r)) + "…"; fyne.MeasureText(t, size, style).Width <= width {
			return t
		}
	}
	return "…"
}

// paddedLayout pads its objects by fixed amounts (negative pulls them
// out, to cancel a widget's own padding).
type paddedLayout struct{ top, bottom, left, right float32 }

func (l *paddedLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return fyne.NewSize(s.Width+l.left+l.right, s.Height+l.top+l.bottom)
}

func (l *paddedLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(l.left, l.top))
		o.Resize(fyne.NewSize(size.Width-l.left-l.right, size.Height-l.top-l.bottom))
	}
}

// trailingLayout puts its objects at the right, w wide (or the whole
// width when narrower).
type trailingLayout struct{ w float32 }

func (l *trailingLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return fyne.NewSize(max(s.Width, l.w), s.Height)
}

func (l *trailingLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := min(l.w, size.Width)
	for _, o := range objs {
		o.Move(fyne.NewPos(size.Width-w, 0))
		o.Resize(fyne.NewSize(w, size.Height))
	}
}

// centerMaxLayout centres its objects horizontally, at most max wide.
type centerMaxLayout struct{ max float32 }

func (l *centerMaxLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

func (l *centerMaxLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := min(size.Width, l.max)
	for _, o := range objs {
		o.Move(fyne.NewPos((size.Width-w)/2, 0))
		o.Resize(fyne.NewSize(w, size.Height))
	}
}

// leftImageLayout keeps an image at its minimum size at the top left.
type leftImageLayout struct{}

func (l *leftImageLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

func (l *leftImageLayout) Layout(objs []fyne.CanvasObject, _ fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(o.MinSize())
	}
}

// formLayout lays label/value pairs out in two columns, the labels as
// wide as the widest.
type formLayout struct{}

func (l *formLayout) widths(objs []fyne.CanvasObject) float32 {
	var w float32
	for i := 0; i < len(objs); i += 2 {
		w = max(w, objs[i].MinSize().Width)
	}
	return w
}

func (l *formLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	lw := l.widths(objs)
	var vw, h float32
	for i := 0; i+1 < len(objs); i += 2 {
		vw = max(vw, objs[i+1].MinSize().Width)
		h += max(objs[i].MinSize().Height, objs[i+1].MinSize().Height)
	}
	return fyne.NewSize(lw+theme.Padding()+vw, h)
}

func (l *formLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	lw := l.widths(objs)
	var y float32
	for i := 0; i+1 < len(objs); i += 2 {
		vw := size.Width - lw - theme.Padding()
		value := objs[i+1]
		h := max(objs[i].MinSize().Height, value.MinSize().Height)
		if wrapped, ok := value.(*widget.Label); ok && wrapped.Wrapping != fyne.TextWrapOff {
			value.Resize(fyne.NewSize(vw, 0))
			h = max(h, value.MinSize().Height)
		}
		objs[i].Move(fyne.NewPos(0, y))
		objs[i].Resize(fyne.NewSize(lw, objs[i].MinSize().Height))
		value.Move(fyne.NewPos(lw+theme.Padding(), y))
		value.Resize(fyne.NewSize(vw, h))
		y += h
	}
}

// gridTableLayout places objects row by row in cols columns, each column
// as wide as its widest object.
type gridTableLayout struct{ cols int }

func (g *gridTableLayout) sizes(objs []fyne.CanvasObject) ([]float32, []float32) {
	widths := make([]float32, g.cols)
	heights := make([]float32, (len(objs)+g.cols-1)/g.cols)
	for i, o := range objs {
		ms := o.MinSize()
		widths[i%g.cols] = max(widths[i%g.cols], ms.Width)
		heights[i/g.cols] = max(heights[i/g.cols], ms.Height)
	}
	return widths, heights
}

func (g *gridTableLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	widths, heights := g.sizes(objs)
	var s fyne.Size
	for _, w := range widths {
		s.Width += w
	}
	for _, h := range heights {
		s.Height += h
	}
	return s
}

func (g *gridTableLayout) Layout(objs []fyne.CanvasObject, _ fyne.Size) {
	widths, heights := g.sizes(objs)
	var y float32
	for r := range heights {
		var x float32
		for c := 0; c < g.cols; c++ {
			i := r*g.cols + c
			if i >= len(objs) {
				break
			}
			objs[i].Move(fyne.NewPos(x, y))
			objs[i].Resize(fyne.NewSize(widths[c], heights[r]))
			x += widths[c]
		}
		y += heights[r]
	}
}

var _ fyne.Layout = (*gridTableLayout)(nil)

// weightLayout lays objects out in one row, sharing the width by weight.
type weightLayout struct{ weights []float32 }

func (l *weightLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for i, o := range objs {
		m := o.MinSize()
		if i > 0 {
			w += theme.Padding()
		}
		w += m.Width
		h = max(h, m.Height)
	}
	return fyne.NewSize(w, h)
}

func (l *weightLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	var total float32
	for i := range objs {
		total += l.weight(i)
	}
	free := size.Width - theme.Padding()*float32(max(len(objs)-1, 0))
	x := float32(0)
	for i, o := range objs {
		w := free * l.weight(i) / total
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w + theme.Padding()
	}
}

func (l *weightLayout) weight(i int) float32 {
	if i < len(l.weights) && l.weights[i] > 0 {
		return l.weights[i]
	}
	return 1
}

// flowLayout places its objects in a row, at their minimum sizes, and
// moves to a new row what does not fit the width: a row of buttons or
// choices that never makes the window wider than its widest object.
// Unlike Fyne's row-wrap layout, its minimum width stays that of the
// widest object after a layout, so the window can shrink again.
type flowLayout struct{ width float32 }

// newFlow is a container flowing objs into rows.
func newFlow(objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(&flowLayout{}, objs...)
}

func (l *flowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var widest float32
	for _, o := range objs {
		if o.Visible() {
			widest = max(widest, o.MinSize().Width)
		}
	}
	if l.width == 0 {
		// Not laid out yet: ask for one row, so the window does not open
		// taller than it will need once its width is known.
		return fyne.NewSize(widest, l.place(objs, 1e6, false))
	}
	return fyne.NewSize(widest, l.place(objs, max(l.width, widest), false))
}

func (l *flowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	l.width = size.Width
	l.place(objs, size.Width, true)
}

// place lays objs out in rows no wider than width, moving them when
// move is set, and returns the height the rows take.
func (l *flowLayout) place(objs []fyne.CanvasObject, width float32, move bool) float32 {
	pad := theme.Padding()
	var x, y, rowH float32
	first := true
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		s := o.MinSize()
		if !first && x+s.Width > width {
			y += rowH + pad
			x, rowH = 0, 0
		}
		if move {
			o.Move(fyne.NewPos(x, y))
			o.Resize(s)
		}
		x += s.Width + pad
		rowH = max(rowH, s.Height)
		first = false
	}
	return y + rowH
}

// atLeastHeight gives its one object all its size, and asks for at least
// h of height: in a scrolling pane, the object keeps room however much
// sits above it.
type atLeastHeight struct{ h float32 }

func (l *atLeastHeight) MinSize(objs []fyne.CanvasObject) fyne.Size {
	m := objs[0].MinSize()
	return fyne.NewSize(m.Width, max(m.Height, l.h))
}

func (l *atLeastHeight) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(size)
}
