package customer

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func groupCustomers() []Customer {
	cs := []Customer{
		{ID: "UMB", Name: "Umbrella", Group: "emea"},
		{ID: "NOG", Name: "Nogroup"},
		{ID: "ACME", Name: "Acme", Group: "EMEA / Enterprise"},
		{ID: "BETA", Name: "Beta", Group: "EMEA"},
		{ID: "GLOB", Name: "Globex", Group: "Americas"},
		{ID: "INIT", Name: "Initech", Group: "Emea / enterprise"},
	}
	SortList(cs)
	return cs
}

func ids(cs []Customer) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

// TestSortList: groups compared case-insensitively, then names; no group
// last.
func TestSortList(t *testing.T) {
	want := []string{"GLOB", "BETA", "UMB", "ACME", "INIT", "NOG"}
	if got := ids(groupCustomers()); !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}

// TestGroupTree: "EMEA" and "emea" are one group named as the first
// customer in list order writes it, holding its sub-group's customers;
// the tree's groups hold exactly what selecting them by name selects.
func TestGroupTree(t *testing.T) {
	cs := groupCustomers()
	tree := NewGroupTree(cs)
	var names []string
	var walk func(depth int, g *GroupNode)
	walk = func(depth int, g *GroupNode) {
		names = append(names, strings.Repeat(">", depth)+g.Name+" "+strings.Join(g.IDs, ","))
		for _, sub := range g.Groups {
			walk(depth+1, sub)
		}
	}
	for _, g := range tree.Groups {
		walk(0, g)
	}
	want := []string{"Americas GLOB", "EMEA BETA,UMB,ACME,INIT", ">Enterprise ACME,INIT"}
	if !slices.Equal(names, want) {
		t.Errorf("tree %v, want %v", names, want)
	}
	if got := ids(tree.Ungrouped); !slices.Equal(got, []string{"NOG"}) {
		t.Errorf("ungrouped %v", got)
	}
	if got := tree.Names(); !slices.Equal(got, []string{"Americas", "EMEA", "EMEA / Enterprise"}) {
		t.Errorf("names %v", got)
	}
	ent := tree.Group("emea / enterprise")
	if ent == nil || ent.Path != "EMEA / Enterprise" || ids(ent.Customers)[1] != "INIT" {
		t.Fatalf("EMEA / Enterprise node %+v", ent)
	}
	for _, g := range []*GroupNode{tree.Groups[1], ent} {
		got, err := Selection{Group: g.Path}.Select(cs)
		if err != nil || !slices.Equal(ids(got), g.IDs) {
			t.Errorf("selecting %q: %v %v, the tree holds %v", g.Path, ids(got), err, g.IDs)
		}
	}
}

func TestSelect(t *testing.T) {
	cs := groupCustomers()
	tests := []struct {
		name string
		sel  Selection
		want []string
		err  string
	}{
		{"all", Selection{All: true}, []string{"GLOB", "BETA", "UMB", "ACME", "INIT", "NOG"}, ""},
		{"a group in any case", Selection{Group: "eMeA"}, []string{"BETA", "UMB", "ACME", "INIT"}, ""},
		{"a sub-group", Selection{Group: "emea/ENTERPRISE"}, []string{"ACME", "INIT"}, ""},
		{"ids in list order", Selection{Customers: []string{"NOG", "GLOB"}}, []string{"GLOB", "NOG"}, ""},
		{"unknown ids", Selection{Customers: []string{"acme", "GLOB", "NOPE"}}, nil, `there is no customer "acme", "NOPE" (ids are case-sensitive)`},
		{"an empty group", Selection{Group: "Asia"}, nil, `no customer is in group "Asia"`},
		{"nothing chosen", Selection{}, nil, ErrChooseCustomers.Error()},
		{"two ways", Selection{All: true, Group: "EMEA"}, nil, ErrChooseCustomers.Error()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.sel.Select(cs)
			if strings.HasPrefix(tc.err, "there is no customer") && !errors.Is(err, ErrNotFound) {
				t.Errorf("err %v does not match ErrNotFound", err)
			}
			switch {
			case tc.err != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.err)):
				t.Errorf("err %v, want %q", err, tc.err)
			case tc.err == "" && (err != nil || !slices.Equal(ids(got), tc.want)):
				t.Errorf("selected %v (%v), want %v", ids(got), err, tc.want)
			}
		})
	}
	if _, err := (Selection{Customers: []string{"NOPE"}}).Select(cs); !errors.Is(err, ErrNotFound) {
		t.Errorf("an unknown id: %v, want ErrNotFound", err)
	}
	if _, err := (Selection{All: true}).Select(nil); err == nil || !strings.Contains(err.Error(), "no customers yet") {
		t.Errorf("no customers: %v", err)
	}
}
