package read

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unsafe"
)

func TestParseTime(t *testing.T) {
	utc := func(y, mo, d, h, mi, s, ms int) time.Time {
		return time.Date(y, time.Month(mo), d, h, mi, s, ms*1e6, time.UTC)
	}
	cases := []struct {
		in   string
		want time.Time
	}{
		{"2018-10-01T00:00:00Z", utc(2018, 10, 1, 0, 0, 0, 0)},
		{"2023-11-01T00:00:00.000Z", utc(2023, 11, 1, 0, 0, 0, 0)},
		{"2019-11-26 01:00:00", utc(2019, 11, 26, 1, 0, 0, 0)},
		{"2023-11-13T10:00Z", utc(2023, 11, 13, 10, 0, 0, 0)},
		{"2024-09-30T23:59:59.250Z", utc(2024, 9, 30, 23, 59, 59, 250)},
		{"2024-10-01T02:00:00+02:00", utc(2024, 10, 1, 0, 0, 0, 0)},
		{"2024-10-01", utc(2024, 10, 1, 0, 0, 0, 0)},
		{"", time.Time{}},
		{`\N`, time.Time{}},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseTime([]byte(tc.in))
			if err != nil || !got.Equal(tc.want) {
				t.Fatalf("ParseTime(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
		})
	}
	for _, bad := range []string{"yesterday", "2024-13-01", "2024-10-01X00:00", "2024/10/01", "2024-10-01T00:00:00 PST"} {
		if _, err := ParseTime([]byte(bad)); err == nil {
			t.Errorf("ParseTime(%q) accepted", bad)
		}
	}
}

func TestImpossibleDates(t *testing.T) {
	cases := map[string]string{
		"2024-02-30T00:00:00Z": `"2024-02-30T00:00:00Z" is not a real date: 2024-02 has 29 days`,
		"2023-02-29":           `"2023-02-29" is not a real date: 2023-02 has 28 days`,
		"2024-04-31 00:00:00":  `"2024-04-31 00:00:00" is not a real date: 2024-04 has 30 days`,
		"2024-13-01T00:00:00Z": `"2024-13-01T00:00:00Z" is not a real date: there is no month 13`,
		"2024-00-10T00:00:00Z": `"2024-00-10T00:00:00Z" is not a real date: there is no month 00`,
		"2024-01-00T00:00:00Z": `"2024-01-00T00:00:00Z" is not a real date: 2024-01 has 31 days`,
		"2024-01-01T24:00:00Z": `"2024-01-01T24:00:00Z" is not a timestamp`,
	}
	for in, want := range cases {
		t.Run(in, func(t *testing.T) {
			if _, err := ParseTime([]byte(in)); err == nil || err.Error() != want {
				t.Fatalf("got %v, want %s", err, want)
			}
		})
	}
	if got, err := ParseTime([]byte("2024-02-29T23:59:59Z")); err != nil || got.Day() != 29 {
		t.Fatalf("29 February 2024: %v %v", got, err)
	}
}

func TestInternerMemoryIsBounded(t *testing.T) {
	in := NewInterner()
	big := make([]byte, 1<<20)
	for i := range 40 {
		big[0] = byte(i)
		in.Get(0, big)
	}
	if in.bytes > internerBytes {
		t.Fatalf("the interner holds %d bytes", in.bytes)
	}
	if in.made != 40<<20 {
		t.Fatalf("made %d bytes, want %d", in.made, 40<<20)
	}
	// A file of thousands of columns of long distinct values: the
	// columns' recent slots hold only strings the interner still has, so
	// they stay within its bound too.
	in = NewInterner()
	for col := range 2000 {
		for i := range 40 {
			value := fmt.Sprintf("%04d %08d %s", i, col, strings.Repeat("v", 500))
			if _, err := in.Get(col, []byte(value)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if in.bytes > internerBytes {
		t.Fatalf("the interner holds %d bytes", in.bytes)
	}
	held := 0
	for _, r := range in.recent {
		for _, slot := range r {
			if slot.e == nil {
				continue
			}
			held++
			if in.m[slot.s] != slot.e || slot.e.s != slot.s {
				t.Fatalf("a recent slot holds %.20q..., which the interner forgot", slot.s)
			}
		}
	}
	if held == 0 {
		t.Fatal("no recent slot holds anything")
	}
}

// TestInternerRecentSlots gives the interner many values that share their
// length, start and end (ids differing in the middle, short codes) so
// that they meet in the per-column slots, in two columns, and checks that
// each value comes back as itself, shared, and that a value that is not
// text is refused every time it is met.
func TestInternerRecentSlots(t *testing.T) {
	in := NewInterner()
	var values []string
	for i := range 3000 {
		values = append(values, fmt.Sprintf("i-0abc%06dcdef0", i), fmt.Sprint(i%97), strings.Repeat("x", i%300))
	}
	first := map[string]*byte{}
	for round := range 3 {
		for i, v := range values {
			col := i % 2
			got, err := in.Get(col, []byte(v))
			if err != nil || got != v {
				t.Fatalf("round %d, column %d: Get(%q) = %q, %v", round, col, v, got, err)
			}
			if p, ok := first[v]; !ok {
				first[v] = unsafe.StringData(got)
			} else if p != unsafe.StringData(got) {
				t.Fatalf("round %d: %q was made again instead of shared", round, v)
			}
		}
	}
	for range 2 {
		for _, bad := range []string{"ab\x00cdefghij", "\xff\xfe"} {
			if got, err := in.Get(0, []byte(bad)); err == nil {
				t.Fatalf("Get(%q) = %q without an error", bad, got)
			}
		}
	}
}

// TestInternerFollowsValuesMetInTurn gives one column 5,000 resource ids
// in the same order every hour, as a CUR lists them, interleaved with a
// column of few values: from the second hour on, each id is the one the
// interner expects after the id before (the slots cannot hold them all),
// and comes back as the string made the first hour.
func TestInternerFollowsValuesMetInTurn(t *testing.T) {
	in := NewInterner()
	ids := make([]string, 5000)
	for i := range ids {
		ids[i] = fmt.Sprintf("i-%017x", uint64(i)*0x9E3779B97F4A7C15>>4)
	}
	first := map[string]*byte{}
	for hour := range 3 {
		for i, id := range ids {
			if hour > 0 && i > 0 {
				if next := in.prev[0].next; next == nil || next.s != id {
					t.Fatalf("hour %d: after %s the interner expects %v, not %s", hour, ids[i-1], next, id)
				}
			}
			got, err := in.Get(0, []byte(id))
			if err != nil || got != id {
				t.Fatalf("hour %d: Get(%q) = %q, %v", hour, id, got, err)
			}
			if p, ok := first[id]; !ok {
				first[id] = unsafe.StringData(got)
			} else if p != unsafe.StringData(got) {
				t.Fatalf("hour %d: %s was made again instead of shared", hour, id)
			}
			if op, err := in.Get(1, []byte(fmt.Sprint("RunInstances:", i%3))); err != nil || op != fmt.Sprint("RunInstances:", i%3) {
				t.Fatalf("the other column: %q, %v", op, err)
			}
		}
	}
	// Another order: every value still comes back as itself.
	for i := len(ids) - 1; i >= 0; i -= 7 {
		if got, err := in.Get(0, []byte(ids[i])); err != nil || got != ids[i] || unsafe.StringData(got) != first[ids[i]] {
			t.Fatalf("backwards: Get(%q) = %q, %v", ids[i], got, err)
		}
	}
}

// TestInternerForgetsItsLinks fills the interner past internerLimit with
// values met in turn: it forgets them all at once, the values it expects
// next with them (they would keep what it forgot), and goes on returning
// every value as itself.
func TestInternerForgetsItsLinks(t *testing.T) {
	in := NewInterner()
	for round := range 2 {
		for i := range internerLimit + 100 {
			v := fmt.Sprintf("value-%08d", i)
			if got, err := in.Get(0, []byte(v)); err != nil || got != v {
				t.Fatalf("round %d: Get(%q) = %q, %v", round, v, got, err)
			}
		}
	}
	if len(in.m) > internerLimit {
		t.Fatalf("the interner holds %d strings", len(in.m))
	}
	// Nothing the interner can still reach (its expected values, its
	// slots, and the values those expect) is something it forgot.
	reach := []*interned{in.prev[0]}
	for _, slot := range in.recent[0] {
		reach = append(reach, slot.e)
	}
	seen := map[*interned]bool{}
	for len(reach) > 0 {
		e := reach[len(reach)-1]
		reach = reach[:len(reach)-1]
		if e == nil || seen[e] {
			continue
		}
		seen[e] = true
		if in.m[e.s] != e {
			t.Fatalf("the interner still reaches %q, which it forgot", e.s)
		}
		reach = append(reach, e.next)
	}
	if len(seen) < 100 {
		t.Fatalf("the interner reaches only %d values", len(seen))
	}
}

func TestParseDate(t *testing.T) {
	cases := []struct{ in, want, err string }{
		{"9/2/2023", "2023-09-02T00:00:00Z", ""},
		{"09/21/2023", "2023-09-21T00:00:00Z", ""},
		{"2/29/2024 0:00", "2024-02-29T00:00:00Z", ""},
		{"2023-09-22", "2023-09-22T00:00:00Z", ""},
		{"2019-07-29 00:00:00", "2019-07-29T00:00:00Z", ""},
		{"", "0001-01-01T00:00:00Z", ""},
		{"2/29/2023", "", "not a real date"},
		{"13/1/2023", "", "not a real date"},
		{"3/1/21", "", "not a date (M/D/YYYY"},
		{"1/2/3/2023", "", "not a date"},
		{"a/1/2023", "", "not a date"},
		{"/1/2023", "", "not a date"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseDate([]byte(tc.in))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got %v, %v", got, err)
				}
				return
			}
			if err != nil || got.Format(time.RFC3339) != tc.want {
				t.Fatalf("got %v, %v", got, err)
			}
		})
	}
}
