package parquetrows

import (
	"fmt"

	"github.com/parquet-go/parquet-go"
)

// assembler rebuilds the nested value of one top-level column from the flat
// leaf values of a row (Dremel record assembly: repetition levels say where
// a list or map goes on, definition levels how deep a value is defined) and
// writes it as JSON. It is only used for nested columns; flat ones take a
// shortcut in Reader.render.
type assembler struct {
	vals [][]parquet.Value // per leaf column: the row's values
	pos  []int             // per leaf column: the next value to consume
	out  []byte
}

// peek returns the next value of n's first leaf. When n is not defined in
// this position, each leaf under it holds exactly one placeholder value,
// so the first leaf's definition level tells whether n is there.
func (a *assembler) peek(n *node) (parquet.Value, error) {
	c := n.first
	if a.pos[c] >= len(a.vals[c]) {
		return parquet.Value{}, fmt.Errorf("column %q: row has too few values (repetition or definition levels are inconsistent)", n.path)
	}
	return a.vals[c][a.pos[c]], nil
}

// skip consumes the one placeholder value that every leaf under n holds
// for an undefined (null or empty) n.
func (a *assembler) skip(n *node) error {
	for c := n.first; c < n.end; c++ {
		if a.pos[c] >= len(a.vals[c]) {
			return fmt.Errorf("column %q: row has too few values (repetition or definition levels are inconsistent)", n.path)
		}
		a.pos[c]++
	}
	return nil
}

// more reports whether the repeated node n has another element in the
// current list: the next value then starts at n's own repetition level.
func (a *assembler) more(n *node) bool {
	c := n.first
	return a.pos[c] < len(a.vals[c]) && a.vals[c][a.pos[c]].RepetitionLevel() == n.maxRep
}

// field writes n where its parent is defined: null when n is absent, a JSON
// array when n is repeated, otherwise n's value.
func (a *assembler) field(n *node) error {
	v, err := a.peek(n)
	if err != nil {
		return err
	}
	if v.DefinitionLevel() < n.maxDef {
		if err := a.skip(n); err != nil {
			return err
		}
		if n.repeated {
			a.out = append(a.out, "[]"...)
		} else {
			a.out = append(a.out, "null"...)
		}
		return nil
	}
	if !n.repeated {
		return a.instance(n)
	}
	a.out = append(a.out, '[')
	for {
		if err := a.instance(n); err != nil {
			return err
		}
		if !a.more(n) {
			break
		}
		a.out = append(a.out, ',')
	}
	a.out = append(a.out, ']')
	return nil
}

// instance writes one defined occurrence of n, leaving n's own repetition
// to the caller.
func (a *assembler) instance(n *node) error {
	switch n.kind {
	case nodeLeaf:
		v, err := a.peek(n)
		if err != nil {
			return err
		}
		a.pos[n.col]++
		if a.out, err = appendJSON(a.out, n, v); err != nil {
			return fmt.Errorf("column %q: %w", n.path, err)
		}
		return nil

	case nodeStruct:
		a.out = append(a.out, '{')
		for i, c := range n.children {
			if i > 0 {
				a.out = append(a.out, ',')
			}
			a.out = appendJSONString(a.out, []byte(c.name))
			a.out = append(a.out, ':')
			if err := a.field(c); err != nil {
				return err
			}
		}
		a.out = append(a.out, '}')
		return nil

	case nodeMap:
		return a.repeatedBody(n.kv, '{', '}', func() error {
			start := len(a.out)
			if err := a.field(n.key); err != nil {
				return err
			}
			// JSON keys are strings; a numeric (or, in a broken file, null)
			// key is quoted from its text.
			if a.out[start] != '"' {
				text := string(a.out[start:])
				a.out = appendJSONString(a.out[:start], []byte(text))
			}
			a.out = append(a.out, ':')
			return a.field(n.value)
		})

	case nodeList:
		return a.repeatedBody(n.rep, '[', ']', func() error {
			if n.elem == n.rep {
				return a.instance(n.elem)
			}
			return a.field(n.elem)
		})
	}
	return fmt.Errorf("column %q: internal error: unknown node kind %d", n.path, n.kind)
}

// repeatedBody writes the occurrences of the repeated node r between open
// and close, each with one, separated by commas.
func (a *assembler) repeatedBody(r *node, open, close byte, one func() error) error {
	v, err := a.peek(r)
	if err != nil {
		return err
	}
	a.out = append(a.out, open)
	if v.DefinitionLevel() < r.maxDef {
		if err := a.skip(r); err != nil {
			return err
		}
		a.out = append(a.out, close)
		return nil
	}
	for {
		if err := one(); err != nil {
			return err
		}
		if !a.more(r) {
			break
		}
		a.out = append(a.out, ',')
	}
	a.out = append(a.out, close)
	return nil
}
