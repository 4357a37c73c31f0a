package read

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"unicode/utf8"

	"rebill/engine/excerpt"
	"rebill/engine/lineitem"
	"rebill/engine/money"
)

// DecodeJSON decodes a cell that holds JSON into v. A cell that is not
// UTF-8 is refused: JSON would turn its bad bytes into U+FFFD, a value
// changed without a word.
func DecodeJSON(cell []byte, v any) error {
	if !utf8.Valid(cell) {
		return errNotUTF8
	}
	return json.Unmarshal(cell, v)
}

var errNotUTF8 = errors.New("not valid UTF-8 text")

// TagObject reads a cell that holds a row's tags as one JSON object, as
// FOCUS's Tags, Azure's Tags and CUR 2.0's resource_tags write them:
// {"team": "web", "cost-center": 1200}. Every family with such a cell
// reads it here, so that they agree on what a tag is: a value that is not
// a string is kept as its JSON text (1200), a null one is left out, and
// the tags come sorted by key. Rows repeat their tags, so the tags of the
// row before are reused while the cell is the same.
type TagObject struct {
	// Key gives the tag key of a JSON key, or false to leave the key out
	// (CUR 2.0 keeps the "user_" keys, without the prefix); nil keeps
	// every key as it is.
	Key func(string) (string, bool)
	// Braceless accepts an object written without its outer braces, as
	// Azure's EA and MCA exports write it.
	Braceless bool
	// OmitEmpty leaves out a tag whose value is "", as a CUR's empty tag
	// column is no tag; Azure and FOCUS keep it, a tag set to nothing.
	OmitEmpty bool

	last  string         // the cell the tags below were read from
	tags  []lineitem.Tag // its tags, sorted; shared by the rows that repeat it
	known bool           // whether last and tags hold a cell read before
}

// Append appends the tags of column col of r's row to tags; an error is
// a *FieldError naming the column: a cell that is not a JSON object (or
// not UTF-8), or a key or value that is not text (lineitem.CheckText).
func (t *TagObject) Append(tags []lineitem.Tag, r *Row, col int) ([]lineitem.Tag, error) {
	raw := bytes.TrimSpace(r.Field(col))
	if money.IsNull(raw) {
		return tags, nil
	}
	if !t.known || string(raw) != t.last {
		obj := raw
		if t.Braceless && obj[0] != '{' {
			obj = append(append([]byte{'{'}, raw...), '}')
		}
		var kv map[string]json.RawMessage
		if err := DecodeJSON(obj, &kv); err != nil {
			return tags, r.Err(col, fmt.Errorf("%s is not a JSON object of tags: %v", excerpt.Bytes(raw), err))
		}
		list := make([]lineitem.Tag, 0, len(kv))
		for k, v := range kv {
			if string(v) == "null" {
				continue
			}
			if t.Key != nil {
				var keep bool
				if k, keep = t.Key(k); !keep {
					continue
				}
			}
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				s = string(v) // a number, a boolean or an object, as written
			}
			if s == "" && t.OmitEmpty {
				continue
			}
			list = append(list, lineitem.Tag{Key: r.Text(r.Col[col], []byte(k)), Value: r.Text(r.Col[col], []byte(s))})
		}
		if err := r.Bad(); err != nil {
			return tags, err
		}
		sort.Slice(list, func(i, j int) bool { return list[i].Key < list[j].Key })
		t.last, t.tags, t.known = string(raw), list, true
	}
	return append(tags, t.tags...), nil
}
