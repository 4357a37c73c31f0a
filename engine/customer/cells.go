package customer

import (
	"fmt"
	"strings"
)

// Multi-valued settings (tax rates, pricing rules, recurring charges,
// address lines) are written inside one CSV cell or one command-line
// value as a list:
//
//   - items are separated by ';'
//   - an item is one or more parts separated by '|', optionally followed
//     by '=' and a value: "VAT 20%=20", "aws||AmazonEC2|=-10",
//     "Managed service|2024-01|=250"
//   - a literal '\', ';', '|' or '=' inside a part is written with a
//     backslash before it: "Tax\=VAT" is the name "Tax=VAT"
//   - spaces around parts and values are ignored; empty items are skipped.
//
// One syntax for every list keeps the CSV columns learnable and lets the
// same text be typed on the command line.

// listItem is one item of a list: its parts before '=' and its value.
type listItem struct {
	parts    []string
	value    string
	hasValue bool
}

const listSpecials = `\;|=`

func escapeListPart(s string) string {
	if !strings.ContainsAny(s, listSpecials) {
		return s
	}
	var b strings.Builder
	for _, c := range s {
		if strings.ContainsRune(listSpecials, c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// formatList writes items in the list syntax.
func formatList(items []listItem) string {
	var b strings.Builder
	for i, it := range items {
		if i > 0 {
			b.WriteByte(';')
		}
		for j, p := range it.parts {
			if j > 0 {
				b.WriteByte('|')
			}
			b.WriteString(escapeListPart(p))
		}
		if it.hasValue {
			b.WriteByte('=')
			b.WriteString(escapeListPart(it.value))
		}
	}
	return b.String()
}

// parseList reads the list syntax. parts is how many '|'-separated parts
// each item must have and valued whether it must carry "=value"; what and
// example name the setting in messages.
func parseList(s string, parts int, valued bool, what, example string) ([]listItem, error) {
	var items []listItem
	var cur listItem
	var field strings.Builder
	inValue := false
	flush := func() {
		f := strings.TrimSpace(field.String())
		field.Reset()
		if inValue {
			cur.value, cur.hasValue = f, true
		} else {
			cur.parts = append(cur.parts, f)
		}
	}
	endItem := func() error {
		flush()
		empty := !cur.hasValue && len(cur.parts) == 1 && cur.parts[0] == ""
		if !empty {
			if len(cur.parts) != parts || cur.hasValue != valued {
				return fmt.Errorf("%s item %q is not written as %s", what, formatList([]listItem{cur}), example)
			}
			items = append(items, cur)
		}
		cur, inValue = listItem{}, false
		return nil
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			field.WriteByte(s[i])
		case c == ';':
			if err := endItem(); err != nil {
				return nil, err
			}
		case c == '|' && !inValue:
			flush()
		case c == '=' && !inValue:
			flush()
			inValue = true
		case c == '|' || c == '=':
			return nil, fmt.Errorf("%s item has a second %q after its value: write a literal %q as \\%c (expected %s)", what, c, c, c, example)
		default:
			field.WriteByte(c)
		}
	}
	if err := endItem(); err != nil {
		return nil, err
	}
	return items, nil
}
