package read

import (
	"strings"
	"testing"

	"rebill/engine/lineitem"
)

// TestTagObject reads tag cells as FOCUS, Azure and CUR 2.0 write them;
// the Note column stands for the tags cell.
func TestTagObject(t *testing.T) {
	header := []string{"Cost", "AccountId", "PeriodStart", "Note"}
	cur2 := TagObject{Key: func(k string) (string, bool) {
		key, user := strings.CutPrefix(k, "user_")
		return key, user && key != ""
	}, OmitEmpty: true}
	cases := []struct {
		name string
		tags TagObject
		cell string
		want string // the tags as key=value, sorted; or the error
	}{
		{"strings, a number, a null and an empty value", TagObject{},
			`{"team": "web", "cost-center": 1200, "gone": null, "owner": ""}`, "cost-center=1200 owner= team=web"},
		{"a boolean and an object kept as written", TagObject{},
			`{"spot": true, "cfg": {"a": 1}}`, `cfg={"a": 1} spot=true`},
		{"no tags", TagObject{}, "", ""},
		{"an empty object", TagObject{}, "{}", ""},
		{"Azure's object without its braces", TagObject{Braceless: true},
			` "env": "prod", "team": "web" `, "env=prod team=web"},
		{"braces required elsewhere", TagObject{},
			`"env": "prod"`, `column Note: "\"env\": \"prod\"" is not a JSON object of tags: invalid character ':' after top-level value`},
		{"CUR 2.0 keeps the set user tags", cur2,
			`{"user_team": "web", "aws_createdBy": "ana", "user_": "x", "user_env": ""}`, "team=web"},
		{"a value that is not text", TagObject{},
			"{\"team\": \"w\xffb\"}", `column Note: "{\"team\": \"w\xffb\"}" is not a JSON object of tags: not valid UTF-8 text`},
		{"a value with a NUL", TagObject{},
			`{"team": "w\u0000b"}`, `column Note: "w\x00b" contains a NUL byte`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			row, err := testColumns.Rows(header, testRequired)
			if err != nil {
				t.Fatal(err)
			}
			if err := row.Start([][]byte{[]byte("1"), []byte("111111111111"), []byte("2024-01-01"), []byte(tc.cell)}); err != nil {
				t.Fatal(err)
			}
			tags, err := tc.tags.Append(nil, row, testNote)
			got := tagText(tags)
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// TestTagObjectRepeats: a row whose cell repeats the row before's gets its
// tags again, one that differs gets its own, and the tags are appended to
// those the row has already.
func TestTagObjectRepeats(t *testing.T) {
	header := []string{"Cost", "AccountId", "PeriodStart", "Note"}
	row, err := testColumns.Rows(header, testRequired)
	if err != nil {
		t.Fatal(err)
	}
	var to TagObject
	have := []lineitem.Tag{{Key: "from-a-column", Value: "1"}}
	for i, tc := range []struct{ cell, want string }{
		{`{"team": "web"}`, "from-a-column=1 team=web"},
		{`{"team": "web"}`, "from-a-column=1 team=web"},
		{`{"team": "db"}`, "from-a-column=1 team=db"},
		{``, "from-a-column=1"},
		{`{"team": "db"}`, "from-a-column=1 team=db"},
	} {
		if err := row.Start([][]byte{[]byte("1"), []byte("111111111111"), []byte("2024-01-01"), []byte(tc.cell)}); err != nil {
			t.Fatal(err)
		}
		tags, err := to.Append(have[:1:1], row, testNote)
		if err != nil {
			t.Fatalf("row %d: %v", i+1, err)
		}
		if got := tagText(tags); got != tc.want {
			t.Errorf("row %d: %s, want %s", i+1, got, tc.want)
		}
	}
}

// tagText is tags as "key=value" words.
func tagText(tags []lineitem.Tag) string {
	words := make([]string, len(tags))
	for i, t := range tags {
		words[i] = t.Key + "=" + t.Value
	}
	return strings.Join(words, " ")
}
