package customer

import (
	"testing"
	"time"
)

func TestBilledMonth(t *testing.T) {
	for _, tc := range []struct {
		name, newest, want string
		now                time.Time
	}{
		{"the newest import is the month billed", "2026-11", "2026-11", time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)},
		{"an older import still is", "2024-10", "2024-10", time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)},
		{"nothing imported: the month before now's", "", "2026-11", time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)},
		{"nothing imported in January: December of the year before", "", "2025-12", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := BilledMonth(tc.now, tc.newest); got != tc.want {
				t.Errorf("BilledMonth(%s, %q) = %s, want %s", tc.now.Format(time.DateOnly), tc.newest, got, tc.want)
			}
		})
	}
}

func TestOfferedForAssignment(t *testing.T) {
	for _, tc := range []struct {
		name, account, payer string
		want                 bool
	}{
		{"a usage account", "012345678901", "934672015588", true},
		{"the payer itself", "934672015588", "934672015588", false},
		{"an Azure subscription under a billing account", "0f1e2d3c-aaaa-bbbb-cccc-000000000001", "ba-1", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := OfferedForAssignment(tc.account, tc.payer); got != tc.want {
				t.Errorf("OfferedForAssignment(%s, %s) = %v, want %v", tc.account, tc.payer, got, tc.want)
			}
		})
	}
}

func TestGrantNumbers(t *testing.T) {
	for _, tc := range []struct {
		name   string
		grants []Grant
		want   map[uint64]int
	}{
		{"none", nil, map[uint64]int{}},
		{"a customer's first grant after another customer's is its number 1", []Grant{{ID: 2}}, map[uint64]int{2: 1}},
		{"numbered by id whatever the order given", []Grant{{ID: 9}, {ID: 4}, {ID: 7}}, map[uint64]int{4: 1, 7: 2, 9: 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := GrantNumbers(tc.grants)
			if len(got) != len(tc.want) {
				t.Fatalf("GrantNumbers = %v, want %v", got, tc.want)
			}
			for id, n := range tc.want {
				if got[id] != n {
					t.Errorf("grant %d numbered %d, want %d", id, got[id], n)
				}
			}
		})
	}
}
