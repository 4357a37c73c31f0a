package einvoice

import (
	"bufio"
	"encoding/xml"
	"io"

	"github.com/shopspring/decimal"
)

// el is an XML element with a prefixed name, written in the order its
// children were added. Empty elements (no text, attributes or children)
// are left out, so optional business terms need no conditions.
type el struct {
	name  string
	attrs [][2]string
	text  string
	kids  []*el
	keep  bool // written even when empty (a mandatory container)
}

func node(name string, kids ...*el) *el { return &el{name: name, kids: kids} }

func leaf(name, text string, attrs ...string) *el {
	e := &el{name: name, text: text}
	if text == "" {
		return e // left out whatever its attributes
	}
	for i := 0; i+1 < len(attrs); i += 2 {
		if attrs[i+1] != "" {
			e.attrs = append(e.attrs, [2]string{attrs[i], attrs[i+1]})
		}
	}
	return e
}

// amount writes a money amount with two decimals, as EN 16931 wants
// (BR-DEC-*).
func amount(d decimal.Decimal) string { return d.StringFixed(2) }

// kept marks a mandatory element written even when empty.
func kept(name string) *el { return &el{name: name, keep: true} }

func (e *el) add(kids ...*el) *el { e.kids = append(e.kids, kids...); return e }

func (e *el) empty() bool {
	if e.keep || e.text != "" {
		return false
	}
	for _, k := range e.kids {
		if !k.empty() {
			return false
		}
	}
	return true
}

// writeDoc writes the root with its namespace attributes and an XML
// declaration.
func writeDoc(w io.Writer, root *el) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(xml.Header)
	root.write(bw, 0)
	bw.WriteString("\n")
	return bw.Flush()
}

func (e *el) write(w *bufio.Writer, depth int) {
	if e.empty() && depth > 0 {
		return
	}
	if depth > 0 {
		w.WriteString("\n")
	}
	for range depth {
		w.WriteString("  ")
	}
	w.WriteString("<" + e.name)
	for _, a := range e.attrs {
		w.WriteString(" " + a[0] + `="`)
		xml.EscapeText(w, []byte(a[1]))
		w.WriteString(`"`)
	}
	w.WriteString(">")
	if len(e.kids) == 0 {
		xml.EscapeText(w, []byte(e.text))
	} else {
		for _, k := range e.kids {
			k.write(w, depth+1)
		}
		w.WriteString("\n")
		for range depth {
			w.WriteString("  ")
		}
	}
	w.WriteString("</" + e.name + ">")
}
