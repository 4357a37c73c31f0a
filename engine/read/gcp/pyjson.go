package gcp

import (
	"bytes"
	"fmt"
)

// toJSON rewrites a Python literal (what the BigQuery export's flattened
// CSV writes for its repeated columns: lists and dicts with single-quoted
// strings, None, True and False) as JSON; JSON itself passes unchanged.
// Numbers are copied as written, so no digit is lost.
func toJSON(b []byte) ([]byte, error) {
	var out bytes.Buffer
	out.Grow(len(b) + 8)
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '\'' || c == '"':
			j, err := pyString(b, i, &out)
			if err != nil {
				return nil, err
			}
			i = j
		case c >= '0' && c <= '9' || c == '-' || c == '.':
			// A number, its exponent's letter included.
			j := i + 1
			for j < len(b) && (b[j] >= '0' && b[j] <= '9' || b[j] == '.' || b[j] == 'e' || b[j] == 'E' || b[j] == '+' || b[j] == '-') {
				j++
			}
			out.Write(b[i:j])
			i = j
		case isLetter(c):
			j := i
			for j < len(b) && isLetter(b[j]) {
				j++
			}
			switch string(b[i:j]) {
			case "None", "null":
				out.WriteString("null")
			case "True", "true":
				out.WriteString("true")
			case "False", "false":
				out.WriteString("false")
			default:
				return nil, fmt.Errorf("%q at byte %d is not a value", b[i:j], i+1)
			}
			i = j
		default:
			out.WriteByte(c)
			i++
		}
	}
	return out.Bytes(), nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// pyString copies the quoted string starting at b[i] to out as a JSON
// string and returns the index after its closing quote.
func pyString(b []byte, i int, out *bytes.Buffer) (int, error) {
	q := b[i]
	out.WriteByte('"')
	for j := i + 1; j < len(b); j++ {
		c := b[j]
		switch {
		case c == q:
			out.WriteByte('"')
			return j + 1, nil
		case c == '\\':
			if j+1 == len(b) {
				return 0, fmt.Errorf("the string at byte %d ends in a backslash", i+1)
			}
			j++
			switch e := b[j]; e {
			case '\'':
				out.WriteByte('\'')
			case '"':
				out.WriteString(`\"`)
			case '\\', '/', 'b', 'f', 'n', 'r', 't':
				out.WriteByte('\\')
				out.WriteByte(e)
			case 'u':
				out.WriteString(`\u`)
			default:
				return 0, fmt.Errorf("the string at byte %d has an escape \\%c JSON does not have", i+1, e)
			}
		case c == '"':
			out.WriteString(`\"`)
		case c < 0x20:
			fmt.Fprintf(out, `\u%04x`, c)
		default:
			out.WriteByte(c)
		}
	}
	return 0, fmt.Errorf("the string at byte %d has no closing quote", i+1)
}
