package view

import (
	"testing"

	"rebill/engine/customer"
	"rebill/store"
)

func TestWelcomeSteps(t *testing.T) {
	filled := customer.Profile{CompanyName: "Acme Cloud", Address: []string{"1 Main St"}}
	cases := []struct {
		name     string
		contents store.Contents
		profile  customer.Profile
		done     []bool
		current  int
		summary  string
		firstRun bool
	}{
		{"empty database", store.Contents{}, customer.Profile{},
			[]bool{false, false, false, false}, 0, "0 of 4 steps done. Next: Your billing data.", true},
		{"profile only: still a first run", store.Contents{Changes: 3}, filled,
			[]bool{false, true, false, false}, 0, "1 of 4 steps done.", true},
		{"name without address is not filled", store.Contents{Imports: 1}, customer.Profile{CompanyName: "Acme", Address: []string{"  "}},
			[]bool{true, false, false, false}, 1, "1 of 4 steps done. Next: Account information.", false},
		{"customers but no import", store.Contents{Customers: 2}, filled,
			[]bool{false, true, true, false}, 0, "2 of 4 steps done.", false},
		{"sample data loaded", store.Contents{Imports: 2, Customers: 4}, filled,
			[]bool{true, true, true, false}, 3, "3 of 4 steps done. Next: The first statement.", false},
		{"invoices drafted", store.Contents{Imports: 2, Customers: 4, Documents: 1}, filled,
			[]bool{true, true, true, true}, 4, "All four steps are done", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := ProgressOf(tc.contents, tc.profile)
			v := Welcome(p)
			if len(v.Steps) != 4 {
				t.Fatalf("%d steps, want 4", len(v.Steps))
			}
			for i, s := range v.Steps {
				if s.Done != tc.done[i] {
					t.Errorf("step %q done = %v, want %v", s.Title, s.Done, tc.done[i])
				}
				if s.Next == "" || s.Screen == "" || s.Button == "" {
					t.Errorf("step %q lacks what comes next or where to go: %+v", s.Title, s)
				}
			}
			if v.Current != tc.current {
				t.Errorf("current step = %d, want %d", v.Current, tc.current)
			}
			if len(v.Summary) < len(tc.summary) || v.Summary[:len(tc.summary)] != tc.summary {
				t.Errorf("summary = %q, want it to start with %q", v.Summary, tc.summary)
			}
			if got := FirstRun(p); got != tc.firstRun {
				t.Errorf("FirstRun = %v, want %v", got, tc.firstRun)
			}
		})
	}
}

func TestWelcomeStepsLeadToScreens(t *testing.T) {
	want := []string{"Import", "Settings", "Customers", "Reports"}
	for i, s := range Welcome(Progress{}).Steps {
		if s.Screen != want[i] {
			t.Errorf("step %d goes to %q, want %q", i+1, s.Screen, want[i])
		}
	}
}
