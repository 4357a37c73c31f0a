package read

import (
	"reflect"
	"strings"
	"testing"

	"rebill/engine/lineitem"
)

// testTagKey is a family's tag naming: "tag:Team" carries the key "Team".
func testTagKey(column string) string {
	if k, ok := strings.CutPrefix(column, "tag:"); ok {
		return k
	}
	return ""
}

func TestFindTags(t *testing.T) {
	cases := []struct {
		name   string
		header []string
		want   string // the error; "" for none
	}{
		{"tags among columns", []string{"Cost", "tag:Team", "AccountId", "tag:Env", "PeriodStart"}, ""},
		{"the prefix alone is no tag", []string{"Cost", "tag:", "AccountId", "PeriodStart"}, ""},
		{"a tag name that is not text", []string{"Cost", "tag:T\xe9am", "AccountId", "PeriodStart"},
			`column "tag:T\xe9am": the tag name "T\xe9am" is not valid UTF-8 text`},
		{"one tag in two columns", []string{"Cost", "tag:Team", "AccountId", "tag:Team", "PeriodStart"},
			`columns 2 and 4 are both named tag:Team: keep one of them`},
		// A known column found twice before the bad tag is what is
		// reported: a header is checked from left to right.
		{"a known column twice before it", []string{"Cost", "cost", "tag:\xff", "AccountId", "PeriodStart"},
			`columns 1 (Cost) and 2 (cost) are the same column`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FindTags(tc.header, testTagKey, testColumns)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("got %v, want %s", err, tc.want)
			}
		})
	}
}

func TestTagColumnsAppendAndColumn(t *testing.T) {
	header := []string{"Cost", "tag:Team", "AccountId", "tag:Env", "PeriodStart", "tag:Owner"}
	tags, err := FindTags(header, testTagKey, testColumns)
	if err != nil {
		t.Fatal(err)
	}
	row, err := testColumns.Rows(header, testRequired)
	if err != nil {
		t.Fatal(err)
	}
	fields := [][]byte{[]byte("1.5"), []byte("web"), []byte("111111111111"), []byte(""), []byte("2024-01-01"), []byte("ana")}
	if err := row.Start(fields); err != nil {
		t.Fatal(err)
	}
	// An empty Env is no tag; the others come in the header's order,
	// after what the slice held.
	got := tags.Append([]lineitem.Tag{{Key: "from", Value: "before"}}, row, fields)
	want := []lineitem.Tag{{Key: "from", Value: "before"}, {Key: "Team", Value: "web"}, {Key: "Owner", Value: "ana"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for key, column := range map[string]string{"Team": "tag:Team", "Owner": "tag:Owner", "Env": "", "Nowhere": ""} {
		if got := tags.Column(header, fields, key); got != column {
			t.Errorf("Column(%q) = %q, want %q", key, got, column)
		}
	}

	// A tag value that is not text is kept out and reported by Bad,
	// naming its column.
	fields[1] = []byte("w\xffb")
	if err := row.Start(fields); err != nil {
		t.Fatal(err)
	}
	tags.Append(nil, row, fields)
	if err := row.Bad(); err == nil || !strings.Contains(err.Error(), `column tag:Team: "w\xffb" is not valid UTF-8 text`) {
		t.Fatalf("Bad() = %v, want an error about tag:Team", err)
	}
}
