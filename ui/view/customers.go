package view

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"rebill/engine/customer"
	"rebill/store"
)

// The Customers screen's list, its header and its customers and
// mappings files.

// Node ids of the customer list: groups are GroupNode and their key
// (customer.GroupNode.Key: "g:emea", "g:emea / enterprise"), customers
// CustomerNode and their id. The customers without a group gather under
// NoGroup.
const (
	GroupNode    = "g:"
	CustomerNode = "c:"
	NoGroup      = "g:\x00none"
)

// TreeGroup is a group of the list: its last level and how many
// customers it holds, its sub-groups' included.
type TreeGroup struct {
	Name  string
	Count int
}

// CustomerTree is the customer list as a tree: the groups the engine
// makes of the customers that match the search (customer.NewGroupTree),
// the customers without a group last.
type CustomerTree struct {
	// Children are the node ids under each node, "" being the root.
	Children map[string][]string
	Groups   map[string]TreeGroup
	// Matches counts the customers shown; Empty explains an empty list.
	Matches int
	Empty   string
}

// NewCustomerTree groups the customers (in list order) that match query.
func NewCustomerTree(cs []customer.Customer, query string) CustomerTree {
	var shown []customer.Customer
	for _, c := range cs {
		if c.Matches(query) {
			shown = append(shown, c)
		}
	}
	v := CustomerTree{Children: map[string][]string{}, Groups: map[string]TreeGroup{}, Matches: len(shown)}
	var addGroup func(parent string, g *customer.GroupNode)
	addGroup = func(parent string, g *customer.GroupNode) {
		id := GroupNode + g.Key
		v.Groups[id] = TreeGroup{Name: g.Name, Count: len(g.IDs)}
		v.Children[parent] = append(v.Children[parent], id)
		for _, sub := range g.Groups {
			addGroup(id, sub)
		}
		for _, c := range g.Customers {
			v.Children[id] = append(v.Children[id], CustomerNode+c.ID)
		}
	}
	tree := customer.NewGroupTree(shown)
	for _, g := range tree.Groups {
		addGroup("", g)
	}
	if len(tree.Ungrouped) > 0 {
		v.Children[""] = append(v.Children[""], NoGroup)
		v.Groups[NoGroup] = TreeGroup{Name: "No group", Count: len(tree.Ungrouped)}
		for _, c := range tree.Ungrouped {
			v.Children[NoGroup] = append(v.Children[NoGroup], CustomerNode+c.ID)
		}
	}
	switch {
	case len(cs) == 0:
		v.Empty = "No customers yet. Add one, import a customers file (CSV), or load the sample data on the Import screen."
	case len(shown) == 0:
		v.Empty = fmt.Sprintf("No customer matches %q.", strings.TrimSpace(query))
	}
	return v
}

// CustomerSubheading says who a customer is under its name: id, group
// and currency.
func CustomerSubheading(c customer.Customer) string {
	sub := c.ID
	if c.Group != "" {
		sub += "  ·  " + c.Group
	}
	return sub + "  ·  invoiced in " + c.Currency
}

// NewCustomerSubheading says what a new customer starts with.
func NewCustomerSubheading(p customer.Profile) string {
	return fmt.Sprintf("Starts with your default currency (%s) and payment terms (%d days).", p.DefaultCurrency, p.DefaultTermsDays)
}

// DiscardQuestion asks before unsaved edits of a customer are lost.
func DiscardQuestion(isNew bool, saved customer.Customer) string {
	who := "the new customer"
	if !isNew {
		who = saved.Name + " (" + saved.ID + ")"
	}
	return "Your changes to " + who + " are not saved. Discard them?"
}

// Imported reports a customers or mappings file imported: "Customers: 2
// added, 0 updated, 0 unchanged."
func Imported(what string, rep store.ImportReport) string {
	parts := []string{fmt.Sprintf("%d added", rep.Added), fmt.Sprintf("%d updated", rep.Updated), fmt.Sprintf("%d unchanged", rep.Unchanged)}
	if rep.Removed > 0 {
		parts = append(parts, fmt.Sprintf("%d replaced", rep.Removed))
	}
	return Sentence(what) + ": " + strings.Join(parts, ", ") + "."
}

// FileProblem is one bad row of a refused file (Where says which:
// "Line 3, column currency"), or, with Where empty, why the file was
// refused.
type FileProblem struct {
	Where, Reason string
}

// Refused says that nothing of a refused file was imported, and lists
// every bad row with its line, column and reason.
func Refused(name, what string, err error) (intro string, problems []FileProblem) {
	var rows customer.RowErrors
	if !errors.As(err, &rows) {
		return fmt.Sprintf("Nothing was imported: the %s stay as they were. Correct %s and import it again.", what, name),
			[]FileProblem{{Reason: Sentence(err.Error())}}
	}
	for _, e := range rows {
		where := fmt.Sprintf("Line %d", e.Line)
		if e.Column != "" {
			where += ", column " + e.Column
		}
		problems = append(problems, FileProblem{Where: where, Reason: Sentence(e.Reason)})
	}
	return fmt.Sprintf("Nothing was imported: %s has %s. Correct them in your spreadsheet and import the file again; the %s stay as they were.",
		name, Plural(len(rows), "problem", "problems"), what), problems
}

// Exported says where a file was written.
func Exported(what, path string) string {
	return fmt.Sprintf("The %s are in %s. Importing this file back changes nothing.", what, path)
}

// TermsDated says from which month an edit's changed terms (currency,
// discount or uplift, pricing rules, recurring charges) apply, when the
// edit dated them because the customer has issued invoices or a month was
// given: "" when the terms did not change, or changed for every month.
func TermsDated(before, after customer.Customer) string {
	a, ok := after.TermsHistory.Latest()
	if !ok || a.From == "" {
		return ""
	}
	was, _ := json.Marshal(before.TermsHistory)
	now, _ := json.Marshal(after.TermsHistory)
	if bytes.Equal(was, now) {
		return ""
	}
	return fmt.Sprintf("Its changed terms (currency, discount or uplift, pricing rules, recurring charges) apply from %s; the months before keep the terms they were priced with.", a.From)
}
