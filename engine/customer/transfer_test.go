package customer

import (
	"fmt"
	"testing"
)

func TestTransfers(t *testing.T) {
	const a = "111111111111"
	moved := []Mapping{{Account: a, Customer: "ACME", From: "2025-01", Until: "2025-03-14"}, {Account: a, Customer: "GLOBEX", From: "2025-03-15"}}
	cases := []struct {
		name  string
		ms    []Mapping
		month string
		want  string
	}{
		{"moved on the 15th", moved, "2025-03", "map[111111111111:[{2025-03-01 ACME} {2025-03-15 GLOBEX}]]"},
		{"the month before: one owner", moved, "2025-02", "map[]"},
		{"the month after: one owner", moved, "2025-04", "map[]"},
		{"left to nobody from the 10th", []Mapping{{Account: a, Customer: "ACME", From: "2025-03", Until: "2025-03-09"}}, "2025-03",
			"map[111111111111:[{2025-03-01 ACME} {2025-03-10 }]]"},
		{"mapped from the 1st is the whole month", []Mapping{{Account: a, Customer: "ACME", From: "2025-03-01"}}, "2025-03", "map[]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := fmt.Sprint(TransfersIn(tc.ms, tc.month)); got != tc.want {
				t.Errorf("TransfersIn = %s, want %s", got, tc.want)
			}
		})
	}
	days := TransfersIn(moved, "2025-03")[a]
	for day, want := range map[string]string{"2025-03-01": "ACME", "2025-03-14": "ACME", "2025-03-15": "GLOBEX", "2025-03-31": "GLOBEX"} {
		if got := OwnerOnDay(days, day); got != want {
			t.Errorf("OwnerOnDay(%s) = %q, want %q", day, got, want)
		}
	}
}

// TestMoveInsideAMonth: unmapping from a day ends the mapping the day
// before; the new owner's mapping from that day does not overlap; one
// starting a day earlier does; moving days of an invoiced month is a
// change of that month, named by its first day.
func TestMoveInsideAMonth(t *testing.T) {
	const a = "111111111111"
	ms := []Mapping{{Account: a, Customer: "ACME", From: "2025-01"}}
	after, err := Unmap(ms, a, "2025-03-15")
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(after); got != "[{111111111111 ACME 2025-01 2025-03-14}]" {
		t.Fatalf("Unmap = %s", got)
	}
	if err := CheckOverlap(after, Mapping{Account: a, Customer: "GLOBEX", From: "2025-03-15"}); err != nil {
		t.Errorf("from the 15th: %v", err)
	}
	if err := CheckOverlap(after, Mapping{Account: a, Customer: "GLOBEX", From: "2025-03-14"}); err == nil {
		t.Error("from the 14th overlaps ACME's last day")
	}
	moved := append(after, Mapping{Account: a, Customer: "GLOBEX", From: "2025-03-15"})
	got := fmt.Sprint(OwnerChanges(ms, moved, []string{"2025-02", "2025-03", "2025-04"}))
	want := "[{111111111111 2025-03 ACME GLOBEX 2025-03-15} {111111111111 2025-04 ACME GLOBEX }]"
	if got != want {
		t.Errorf("OwnerChanges = %s, want %s", got, want)
	}
	for _, m := range []Mapping{{Account: a, Customer: "X", From: "2025-03-32"}, {Account: a, Customer: "X", From: "2025-03-15", Until: "2025-03-14"}} {
		if m.Validate() == nil {
			t.Errorf("%+v validated", m)
		}
	}
}
