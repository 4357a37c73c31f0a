package customer

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Customer groups and selections: the customer list, the report's picker
// and `--group` on the command line all group and select customers by
// these rules, so a group holds the same customers wherever it is named.
// Group names compare case-insensitively, level by level: "EMEA" and
// "emea" are one group, named as the first customer in list order writes
// it.

// ErrNotFound is what the refusal of an id nothing has matches (the
// store's ErrNotFound is the same error): see NotFound.
var ErrNotFound = errors.New("not found")

// NotFound is a refusal of something that does not exist, worded whole
// ("there is no customer \"ACME\" ..."), that matches ErrNotFound for
// errors.Is (the API answers 404) without "not found: " before its words.
func NotFound(format string, args ...any) error {
	return notFound(fmt.Sprintf(format, args...))
}

type notFound string

func (e notFound) Error() string { return string(e) }

// Is makes errors.Is(err, ErrNotFound) true.
func (e notFound) Is(target error) bool { return target == ErrNotFound }

// groupKey is a group path's identity: its levels folded, so that
// "EMEA / Enterprise" and "emea / enterprise" are one group.
func groupKey(path []string) string {
	return strings.ToLower(strings.Join(path, GroupSeparator))
}

// SortList orders customers as the customer list shows them: by group,
// compared case-insensitively (customers without a group last), then by
// name, then by id.
func SortList(cs []Customer) {
	slices.SortStableFunc(cs, func(a, b Customer) int {
		ga, gb := groupKey(a.GroupPath()), groupKey(b.GroupPath())
		switch {
		case ga == gb:
		case ga == "":
			return 1
		case gb == "":
			return -1
		default:
			return strings.Compare(ga, gb)
		}
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// InGroup reports whether the customer is in group or one of its
// sub-groups ("EMEA" holds "EMEA / Enterprise"), comparing names
// case-insensitively level by level; the group "" holds the customers
// without one.
func (c *Customer) InGroup(group string) bool {
	g := Customer{Group: group}
	want, path := g.GroupPath(), c.GroupPath()
	if len(want) == 0 {
		return len(path) == 0
	}
	return len(path) >= len(want) && groupKey(path[:len(want)]) == groupKey(want)
}

// GroupNode is one group of a GroupTree.
type GroupNode struct {
	// Key identifies the group whatever the case it is written in.
	Key string
	// Name is the group's last level and Path its whole name ("EMEA /
	// Enterprise"), as the first customer in list order writes them;
	// Path is the name that selects it (Selection.Group).
	Name, Path string
	// Groups are its sub-groups, Customers the customers directly in it,
	// both in list order.
	Groups    []*GroupNode
	Customers []Customer
	// IDs are the ids of every customer in it and its sub-groups, in
	// list order: the customers selecting the group chooses.
	IDs []string
}

// GroupTree is the customers' groups, nested as their group paths say,
// as the customer list and the report's picker show them.
type GroupTree struct {
	// Groups are the top-level groups in list order.
	Groups []*GroupNode
	// Ungrouped are the customers without a group.
	Ungrouped []Customer
	// byKey finds every node by its key.
	byKey map[string]*GroupNode
}

// NewGroupTree groups customers given in list order (SortList).
func NewGroupTree(cs []Customer) GroupTree {
	t := GroupTree{byKey: map[string]*GroupNode{}}
	for _, c := range cs {
		path := c.GroupPath()
		if len(path) == 0 {
			t.Ungrouped = append(t.Ungrouped, c)
			continue
		}
		siblings := &t.Groups
		var node *GroupNode
		for i := range path {
			k := groupKey(path[:i+1])
			node = t.byKey[k]
			if node == nil {
				node = &GroupNode{Key: k, Name: path[i], Path: strings.Join(path[:i+1], GroupSeparator)}
				t.byKey[k] = node
				*siblings = append(*siblings, node)
			}
			node.IDs = append(node.IDs, c.ID)
			siblings = &node.Groups
		}
		node.Customers = append(node.Customers, c)
	}
	return t
}

// Names lists the groups customers are in, each once whatever the case
// it is written in (as the first customer writes it), in list order: the
// groups a form offers to put a customer in.
func (t GroupTree) Names() []string {
	var out []string
	var walk func(gs []*GroupNode)
	walk = func(gs []*GroupNode) {
		for _, g := range gs {
			if len(g.Customers) > 0 {
				out = append(out, g.Path)
			}
			walk(g.Groups)
		}
	}
	walk(t.Groups)
	return out
}

// Group finds a group by its key, nil when there is none.
func (t GroupTree) Group(key string) *GroupNode { return t.byKey[key] }

// Selection chooses customers: All of them, a Group (with its
// sub-groups), or Customers by id. Exactly one is set.
type Selection struct {
	All       bool     `json:"all,omitempty"`
	Group     string   `json:"group,omitempty"`
	Customers []string `json:"customers,omitempty"`
}

// ErrChooseCustomers refuses a selection that chooses nothing, or more
// than one way.
var ErrChooseCustomers = errors.New("choose the customers: all of them, one group, or a list of customer ids")

// Check refuses a selection that does not set exactly one of All, Group
// and Customers.
func (s Selection) Check() error {
	n := 0
	for _, set := range []bool{s.All, s.Group != "", len(s.Customers) > 0} {
		if set {
			n++
		}
	}
	if n != 1 {
		return ErrChooseCustomers
	}
	return nil
}

// Select returns the selected customers among cs, in cs's order, refusing
// an empty or ambiguous selection (ErrChooseCustomers), an empty group and
// unknown ids (the error wraps ErrNotFound).
func (s Selection) Select(cs []Customer) ([]Customer, error) {
	if err := s.Check(); err != nil {
		return nil, err
	}
	switch {
	case s.All:
		if len(cs) == 0 {
			return nil, errors.New("there are no customers yet: add them and map their accounts first")
		}
		return slices.Clone(cs), nil
	case s.Group != "":
		var out []Customer
		for i := range cs {
			if cs[i].InGroup(s.Group) {
				out = append(out, cs[i])
			}
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("no customer is in group %q: the customer list shows the groups", s.Group)
		}
		return out, nil
	}
	want := map[string]bool{}
	for _, id := range s.Customers {
		want[id] = true
	}
	var out []Customer
	for _, c := range cs {
		if want[c.ID] {
			out = append(out, c)
			delete(want, c.ID)
		}
	}
	if len(want) > 0 {
		var unknown []string
		for _, id := range s.Customers {
			if want[id] {
				unknown = append(unknown, strconv.Quote(id))
				delete(want, id)
			}
		}
		return nil, NotFound("there is no customer %s (ids are case-sensitive)", strings.Join(unknown, ", "))
	}
	return out, nil
}
