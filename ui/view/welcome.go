package view

import (
	"fmt"
	"strings"

	"rebill/engine/customer"
	"rebill/store"
)

// The first-run welcome: the steps from an empty database to the first
// statement, each done or not from what the database holds.

// Progress is what the database holds that the welcome's steps look at,
// read by the screen in one transaction (store's Contents and Profile).
type Progress struct {
	// ProfileFilled: the account information names the company and its
	// address, what every invoice prints at its head.
	ProfileFilled bool
	Customers     int
	Imports       int
	// Documents are invoices and credit notes, drafts included.
	Documents int
}

// ProgressOf reads the welcome's progress from the database's counts and
// the reseller's profile.
func ProgressOf(c store.Contents, p customer.Profile) Progress {
	return Progress{ProfileFilled: ProfileFilled(p), Customers: c.Customers, Imports: c.Imports, Documents: c.Documents}
}

// ProfileFilled reports whether the account information holds what an
// invoice's head cannot do without: the company's name and address.
func ProfileFilled(p customer.Profile) bool {
	if strings.TrimSpace(p.CompanyName) == "" {
		return false
	}
	for _, line := range p.Address {
		if strings.TrimSpace(line) != "" {
			return true
		}
	}
	return false
}

// FirstRun reports whether the welcome opens by itself at start: only on
// a database with neither customers nor imports, the one a person sees
// the very first time (the sample data brings both).
func FirstRun(p Progress) bool { return p.Customers == 0 && p.Imports == 0 }

// WelcomeStep is one step of the welcome.
type WelcomeStep struct {
	Title string
	// Text says what the step is for; Next what comes after it.
	Text string
	Next string
	Done bool
	// Screen is the screen the step's button shows, Button its words.
	Screen string
	Button string
}

// WelcomeView is the welcome screen: its steps in order, and a line
// saying how far along the accountant is.
type WelcomeView struct {
	Steps   []WelcomeStep
	Summary string
	// Current is the index of the first step not done, len(Steps) when
	// all are.
	Current int
}

// Welcome computes the steps and which are done.
func Welcome(p Progress) WelcomeView {
	steps := []WelcomeStep{
		{
			Title:  "1. Your billing data",
			Text:   "Try Rebill with two months of made-up sample data, or import your own billing files: AWS Cost and Usage Reports, Azure cost exports, FOCUS and more.",
			Next:   "Next: your account information, printed at the head of every invoice.",
			Done:   p.Imports > 0,
			Screen: "Import", Button: "Import my own files",
		},
		{
			Title:  "2. Account information",
			Text:   "Your company name, address, logo and payment details, and how invoices are numbered.",
			Next:   "Next: the customers you resell to, and the accounts each one owns.",
			Done:   p.ProfileFilled,
			Screen: "Settings", Button: "Open Settings",
		},
		{
			Title:  "3. Customers",
			Text:   "Each customer with the cloud accounts it owns, its currency, margin and support plan.",
			Next:   "Next: the month's statement, and your first invoices.",
			Done:   p.Customers > 0,
			Screen: "Customers", Button: "Open Customers",
		},
		{
			Title:  "4. The first statement",
			Text:   "The month's statement per customer in Reports: check it, tick the customers and generate their invoices.",
			Next:   "Then approve the drafts on the Invoices screen and export them as PDF or Excel.",
			Done:   p.Documents > 0,
			Screen: "Reports", Button: "Open Reports",
		},
	}
	v := WelcomeView{Steps: steps, Current: len(steps)}
	done := 0
	for i, s := range steps {
		if s.Done {
			done++
		} else if v.Current == len(steps) {
			v.Current = i
		}
	}
	if done == len(steps) {
		v.Summary = "All four steps are done: Rebill is set up. Close this page; Help > Getting started opens it again."
	} else {
		v.Summary = fmt.Sprintf("%d of %d steps done. Next: %s. Each step's button takes you there; Help > Getting started brings you back.",
			done, len(steps), strings.TrimLeft(steps[v.Current].Title, "0123456789. "))
	}
	return v
}
