package view

import (
	"fmt"
	"strings"

	"rebill/engine/customer"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
	"rebill/store"
)

// The Accounts tab of a customer: the accounts it owns, the accounts
// nobody owns, and what mapping, assigning and unmapping do.

// Until writes a mapping's last month, or that it has none.
func Until(until string) string {
	if until == "" {
		return "open-ended"
	}
	return until
}

// AssignLabel labels the button that gives an unowned account to a
// customer.
func AssignLabel(customerID string) string { return "Assign to " + customerID }

// NoMappings says a customer owns no account yet.
func NoMappings(c customer.Customer) string {
	return c.Name + " owns no cloud account yet: map one below, or assign one of the unassigned accounts."
}

// Unassigned words the accounts nobody owns in the newest imported
// month ("" when nothing is imported): the list's heading, what its
// empty state says, and each account's row (account, where it was seen,
// its cost to the cent). A payer account is listed, its cost being
// billed to no one, but not offered in one click
// (customer.OfferedForAssignment).
func Unassigned(period string, as []store.AccountCost) (heading, none string, rows [][3]string) {
	if period == "" {
		return "Unassigned accounts", "No billing data imported yet. Accounts that appear in billing files but belong to no customer will be listed here with their cost.", nil
	}
	for _, a := range as {
		seen := ProviderName(lineitem.Provider(a.Provider)) + " payer " + a.Payer
		if !customer.OfferedForAssignment(a.Account, a.Payer) {
			seen = "the " + ProviderName(lineitem.Provider(a.Provider)) + " payer itself: map it below to assign it"
		}
		rows = append(rows, [3]string{a.Account, seen, Overview(a.Currency, a.UnblendedCost)})
	}
	return fmt.Sprintf("Unassigned accounts in %s, the newest imported month", period), fmt.Sprintf("Every account of %s belongs to a customer.", period), rows
}

// AccountProvider names the provider of an account a customer owns, as
// the newest month's data (seen) shows it: a mapping names no provider,
// an account id is any provider's. "not in the newest month" when the
// data does not show it.
func AccountProvider(account string, seen []store.AccountCost) string {
	for _, a := range seen {
		if a.Account == account {
			return ProviderName(lineitem.Provider(a.Provider))
		}
	}
	return "not in the newest month"
}

// Mapped confirms a mapping recorded.
func Mapped(m customer.Mapping) string {
	return fmt.Sprintf("Account %s now belongs to %s %s.", m.Account, m.Customer, m.Months())
}

// Unmapped confirms a mapping ended.
func Unmapped(account, customerID, from string) string {
	return fmt.Sprintf("Account %s no longer belongs to %s from %s.", account, customerID, from)
}

// Overlap explains a mapping refused because another owns the account in
// some of its months (owner names that customer), and how to move it.
func Overlap(m customer.Mapping, oe *customer.OverlapError, owner string) string {
	head := fmt.Sprintf("Account %s already belongs to %s %s, so it cannot also belong to %s %s.",
		m.Account, owner, oe.Existing.Months(), m.Customer, m.Months())
	advice := fmt.Sprintf("One account belongs to one customer in any month. To move it, select %s, end its mapping of this account "+
		"(Accounts > End mapping…) from the first month %s should own it, then map it here; or choose months %s does not cover.",
		oe.Existing.Customer, m.Customer, oe.Existing.Customer)
	if oe.Replaces() {
		advice = fmt.Sprintf("One account belongs to one customer in any month. From %s on, the whole of %s's mapping would be replaced: "+
			"to replace it, select %s and end its mapping of this account (Accounts > End mapping…) from %s, then map it here. "+
			"To move the account instead, give a first day or month after %s: %s then keeps it until the day before.",
			m.From, oe.Existing.Customer, oe.Existing.Customer, oe.Existing.From, oe.Existing.From, oe.Existing.Customer)
	}
	return head + "\n\n" + advice
}

// MoveQuestion words the confirmation of a mapping that moves an account
// from its owner (customer.Place): owner and newOwner name both
// customers, and the text says the day each one's ownership ends and
// starts, before anything is changed.
func MoveQuestion(mv customer.Move, owner, newOwner string) (title, msg string) {
	on := "on"
	if len(mv.New.From) == 7 {
		on = "from the start of"
	}
	msg = fmt.Sprintf("Account %s belongs to %s %s.\n\nMapping it to %s %s %s moves it: %s keeps it until %s, and %s owns it %s.",
		mv.New.Account, owner, mv.Before.Months(), newOwner, on, mv.New.From, owner, mv.Ended.Until, newOwner, mv.New.Months())
	return fmt.Sprintf("Move account %s to %s?", mv.New.Account, newOwner), msg
}

// Invoiced explains a change of mappings refused because an issued
// invoice bills the account in a month it would move.
func Invoiced(me *invoice.MoveError) (title, msg string) {
	return fmt.Sprintf("%s is already invoiced for %s", me.Change.Account, me.Change.Month),
		Sentence(me.Error()) + ".\n\nNothing was changed: an account-month an issued invoice bills stays with that invoice's customer, so it is never billed twice."
}

// EndMapping words the End mapping dialog of m for the customer c: its
// intro, the hint under the month, and the month it proposes: this month
// (month), but at least the month after the mapping's first and at most
// its last.
func EndMapping(c customer.Customer, m customer.Mapping, month string) (intro, hint, proposed string) {
	proposed = month
	if proposed <= m.From {
		proposed = customer.AddMonths(m.From, 1)
	}
	if m.Until != "" && proposed > m.Until {
		proposed = m.Until
	}
	return fmt.Sprintf("Account %s belongs to %s %s.", m.Account, c.Name, m.Months()),
		fmt.Sprintf("%s keeps the account until the month before. Write %s to remove this mapping entirely.", c.ID, m.From),
		proposed
}

// UnmapPreview says what unmapping an account from a month does for the
// customer customerID, mapping by mapping (customer.UnmapChanges), and
// whether another customer's mapping goes as well, which the accountant
// must notice before confirming.
func UnmapPreview(changes []customer.MappingChange, customerID, from string) (text string, others bool) {
	var lines []string
	for _, c := range changes {
		m := c.Before
		switch {
		case c.After != nil:
			lines = append(lines, fmt.Sprintf("%s owns the account %s.", c.After.Customer, c.After.Months()))
		case m.Customer == customerID:
			lines = append(lines, fmt.Sprintf("%s's mapping %s is removed.", m.Customer, m.Months()))
		default:
			others = true
			lines = append(lines, fmt.Sprintf("%s's mapping %s is removed as well: unmapping ends every mapping of the account from that month on.", m.Customer, m.Months()))
		}
	}
	lines = append(lines, fmt.Sprintf("From %s on, the account is unassigned until it is mapped to another customer.", from))
	return strings.Join(lines, "\n"), others
}
