package customer

import (
	"errors"
	"fmt"
	"rebill/engine/lineitem"
	"slices"
	"sort"
	"strings"
	"time"
)

// Mapping says that a customer owns a cloud account (an AWS usage account,
// an Azure subscription, a FOCUS SubAccountId) from one month until
// another, or from a day until a day when the account moves inside a
// month. One account belongs to at most one customer on any day.
type Mapping struct {
	Account  string `json:"account"`
	Customer string `json:"customer"` // Customer.ID
	From     string `json:"from"`     // YYYY-MM or YYYY-MM-DD, first month or day owned
	Until    string `json:"until"`    // YYYY-MM or YYYY-MM-DD, last month or day owned; "" = open-ended
}

// MaxAccountLength bounds account ids: AWS uses 12 digits, Azure a
// 36-character GUID, FOCUS SubAccountId values can be longer resource ids.
const MaxAccountLength = 256

// AWSAccountDigits is the length of an AWS account id, which is all digits
// and may start with zeros.
const AWSAccountDigits = lineitem.AWSAccountDigits

// CheckAccount explains what is wrong with a cloud account id, or returns
// nil. An all-digit id shorter than an AWS account id is refused: it is
// almost always an AWS account whose leading zeros a spreadsheet dropped.
func CheckAccount(account string) error {
	switch {
	case account == "":
		return fmt.Errorf("account is empty: write the AWS account id, Azure subscription id, Google Cloud project id or Oracle Cloud compartment or tenancy OCID")
	case len(account) > MaxAccountLength:
		return fmt.Errorf("account %q is longer than %d characters", account[:40]+"...", MaxAccountLength)
	case strings.TrimSpace(account) != account || strings.ContainsAny(account, " \t\r\n"):
		return fmt.Errorf("account %q contains spaces: write the id alone", account)
	}
	digits := true
	for _, c := range account {
		digits = digits && c >= '0' && c <= '9'
	}
	if digits && len(account) < AWSAccountDigits {
		return fmt.Errorf("account %s has %d digits: AWS account ids have %d; a spreadsheet may have dropped its leading zeros (%s%s?)",
			account, len(account), AWSAccountDigits, strings.Repeat("0", AWSAccountDigits-len(account)), account)
	}
	return nil
}

// Validate checks the mapping on its own (the customer's existence and
// overlaps with other mappings are checked against the store). It returns
// nil or Problems naming the fields account, customer, from and until.
func (m Mapping) Validate() error {
	var ps problems
	ps.addErr("account", CheckAccount(m.Account))
	if err := CheckID(m.Customer); err != nil {
		ps.add("customer", "customer %s", err)
	}
	fromErr := CheckMonthOrDay("from", m.From)
	ps.addErr("from", fromErr)
	if m.Until != "" {
		if err := CheckMonthOrDay("until", m.Until); err != nil {
			ps.addErr("until", err)
		} else if fromErr == nil && lastDay(m.Until) < firstDay(m.From) {
			ps.add("until", "until %s is before from %s: a mapping ends in or after the month (or on or after the day) it starts", m.Until, m.From)
		}
	}
	return ps.err()
}

// Covers reports whether the mapping is in force in a YYYY-MM month, on
// at least one of its days.
func (m Mapping) Covers(month string) bool {
	return m.From[:min(7, len(m.From))] <= month && (m.Until == "" || month <= m.Until[:min(7, len(m.Until))])
}

// Months describes the mapping's months for people, e.g. "from 2018-10
// (open-ended)", "from 2018-10 until 2019-03", "in 2018-10".
func (m Mapping) Months() string {
	switch m.Until {
	case "":
		return "from " + m.From + " (open-ended)"
	case m.From:
		return "in " + m.From
	}
	return "from " + m.From + " until " + m.Until
}

// overlaps reports whether two mappings of the same account share a day.
func (m Mapping) overlaps(o Mapping) bool {
	if m.Account != o.Account {
		return false
	}
	mEndsBefore := m.Until != "" && lastDay(m.Until) < firstDay(o.From)
	oEndsBefore := o.Until != "" && lastDay(o.Until) < firstDay(m.From)
	return !mEndsBefore && !oEndsBefore
}

// OwnerAt returns the customer that owns an account in a YYYY-MM month,
// and whether one does. Mappings never overlap (CheckOverlap), so at most
// one covers the month, unless the account moves inside it: then the
// owner of the earliest mapping in force is returned, and TransfersIn
// tells the owners by day.
func OwnerAt(mappings []Mapping, account, month string) (customerID string, ok bool) {
	for _, m := range mappings {
		if m.Account == account && m.Covers(month) {
			return m.Customer, true
		}
	}
	return "", false
}

// OwnersAt returns, for a YYYY-MM month, every mapped account's owner:
// the lookup a month's billing does for each line item.
func OwnersAt(mappings []Mapping, month string) map[string]string {
	out := map[string]string{}
	for _, m := range mappings {
		if m.Covers(month) {
			out[m.Account] = m.Customer
		}
	}
	return out
}

// OverlapError refuses a mapping that would give an account two owners in
// some month, naming the mapping already in force.
type OverlapError struct {
	Existing Mapping // the mapping already recorded
	New      Mapping // the mapping refused
}

// Replaces reports whether the refused mapping starts on or before the
// first day of another customer's mapping it overlaps: it would replace
// that mapping whole, which Place never does (it only moves an account
// from a day after its owner's first).
func (e *OverlapError) Replaces() bool {
	return e.New.From != "" && e.New.Customer != e.Existing.Customer && firstDay(e.Existing.From) >= firstDay(e.New.From)
}

// Error names the owner and months in force and says how to move the
// account, or how to replace a mapping when the refused one would.
func (e *OverlapError) Error() string {
	if e.Replaces() {
		return fmt.Sprintf("account %s already belongs to %s %s, which does not start before %s, so mapping it would replace that mapping rather than move the account: "+
			"to replace it, first unmap the account from %s, then map it; to move it, give a first day or month after %s; or choose months it does not cover",
			e.Existing.Account, e.Existing.Customer, e.Existing.Months(), e.New.From, e.Existing.From, e.Existing.From)
	}
	from := e.Existing.From
	if e.New.From > from {
		from = e.New.From
	}
	return fmt.Sprintf("account %s already belongs to %s %s; to move it, first end that mapping by unmapping the account from %s, or choose months it does not cover",
		e.Existing.Account, e.Existing.Customer, e.Existing.Months(), from)
}

// CheckOverlap returns an *OverlapError when m shares a month with one of
// the existing mappings of its account (whatever their customer), and nil
// otherwise. One account belongs to at most one customer in any month.
func CheckOverlap(existing []Mapping, m Mapping) error {
	for _, e := range existing {
		if e.overlaps(m) {
			return &OverlapError{Existing: e, New: m}
		}
	}
	return nil
}

// Move is an account given to a new owner from a day or month that
// another customer's mapping covers: that mapping ends the day (month)
// before, so the account changes hands in one step.
type Move struct {
	Before Mapping // the current owner's mapping as it was
	Ended  Mapping // the same mapping, now ending the day (month) before New.From
	New    Mapping // the new owner's mapping
}

// String says what the move does, e.g. "Account 111111111111 moves from
// ACME to GLOBEX on 2025-03-15: ACME keeps it until 2025-03-14."
func (mv Move) String() string {
	on := "on"
	if len(mv.New.From) == 7 {
		on = "in"
	}
	return fmt.Sprintf("Account %s moves from %s to %s %s %s: %s keeps it until %s.",
		mv.New.Account, mv.Ended.Customer, mv.New.Customer, on, mv.New.From, mv.Ended.Customer, mv.Ended.Until)
}

// Place returns an account's mappings after mapping m, and the Move it
// makes when m starts inside another customer's mapping: the rule that
// lets an account change hands in one step. That mapping must start
// before m.From (a mapping starting on or after it would be replaced,
// not ended, which takes an explicit unmap first); it then ends the day
// (month) before m.From, and m must not overlap any other mapping. Any
// other overlap is refused with an *OverlapError. existing holds the
// mappings of m's account; an empty m.From is not a day to move on, so
// it only maps where nobody owns the account.
func Place(existing []Mapping, m Mapping) ([]Mapping, *Move, error) {
	err := CheckOverlap(existing, m)
	if err == nil {
		return append(slices.Clone(existing), m), nil, nil
	}
	var oe *OverlapError
	if !errors.As(err, &oe) {
		return nil, nil, err
	}
	cur := oe.Existing
	if m.From == "" || cur.Customer == m.Customer || firstDay(cur.From) >= firstDay(m.From) {
		return nil, nil, err
	}
	mv := &Move{Before: cur, Ended: cur, New: m}
	mv.Ended.Until = endBefore(m.From)
	after := make([]Mapping, 0, len(existing)+1)
	for _, e := range existing {
		if e == cur {
			e = mv.Ended
		}
		after = append(after, e)
	}
	if err := CheckOverlap(after, m); err != nil {
		return nil, nil, err
	}
	return append(after, m), mv, nil
}

// Unmap returns the mappings after unmapping an account. With from empty
// every mapping of the account is removed. With from a YYYY-MM month (or a
// YYYY-MM-DD day), the account stays with its owner until the month (day)
// before and is nobody's from then on: a mapping in force in from ends the
// month (day) before,
// mappings starting in or after from are removed, earlier ones are kept.
// Mappings of other accounts are returned unchanged. Unmapping what is
// not mapped is an error, so that a typing error in the account is seen.
func Unmap(mappings []Mapping, account, from string) ([]Mapping, error) {
	if from != "" {
		if err := CheckMonthOrDay("from", from); err != nil {
			return nil, err
		}
	}
	out := make([]Mapping, 0, len(mappings))
	changed := false
	for _, m := range mappings {
		switch {
		case m.Account != account:
		case from == "" || firstDay(m.From) >= firstDay(from):
			changed = true
			continue
		case m.Until == "" || lastDay(m.Until) >= firstDay(from):
			m.Until = endBefore(from)
			changed = true
		}
		out = append(out, m)
	}
	if !changed {
		if from == "" {
			return nil, fmt.Errorf("account %s is not mapped to any customer", account)
		}
		return nil, fmt.Errorf("account %s is not mapped to any customer from %s on", account, from)
	}
	return out, nil
}

// MappingChange is one mapping of an account that a change of the
// account's mappings touches: After is nil when the change removes it.
type MappingChange struct {
	Before Mapping
	After  *Mapping
}

// UnmapChanges is Unmap told mapping by mapping: the mappings of the
// account it ends early or removes, in their order, so that a face can
// show what unmapping does before it is done. Unmapping is account-wide:
// a later owner's mapping starting in or after from goes too, which the
// accountant must see before confirming.
func UnmapChanges(mappings []Mapping, account, from string) ([]MappingChange, error) {
	after, err := Unmap(mappings, account, from)
	if err != nil {
		return nil, err
	}
	// Unmap keeps each mapping's first month: it only ends mappings early.
	kept := map[string]Mapping{}
	for _, m := range after {
		if m.Account == account {
			kept[m.From] = m
		}
	}
	var out []MappingChange
	for _, m := range mappings {
		if m.Account != account {
			continue
		}
		switch a, ok := kept[m.From]; {
		case !ok:
			out = append(out, MappingChange{Before: m})
		case a != m:
			out = append(out, MappingChange{Before: m, After: &a})
		}
	}
	return out, nil
}

// Assignment is the mapping that gives an account nobody owns in period
// to a customer in one step, as far as its other mappings leave it free:
// from start (the month a mapping starts at when none is given) or, when
// later, the month after an earlier owner's mapping ended; until the
// month before a later owner's mapping starts, or open-ended.
func Assignment(mappings []Mapping, account, customerID, start, period string) Mapping {
	m := Mapping{Account: account, Customer: customerID, From: start}
	for _, e := range mappings {
		if e.Account != account {
			continue
		}
		if e.Until != "" && e.Until < period {
			m.From = max(m.From, startAfter(e.Until))
		}
		if e.From > period {
			if until := endBefore(e.From); m.Until == "" || until < m.Until {
				m.Until = until
			}
		}
	}
	return m
}

// SortMappings orders mappings by account, then by first month: the order
// the store keeps them in and lists show them in.
func SortMappings(ms []Mapping) {
	sort.Slice(ms, func(i, j int) bool {
		if ms[i].Account != ms[j].Account {
			return ms[i].Account < ms[j].Account
		}
		return ms[i].From < ms[j].From
	})
}

// OwnerChange is one account-month whose owner a change of mappings
// changes. From and To are customer ids, "" for nobody.
type OwnerChange struct {
	Account string `json:"account"`
	Month   string `json:"month"` // YYYY-MM
	From    string `json:"from"`
	To      string `json:"to"`
	// Day is the first YYYY-MM-DD day that changes owner when the change
	// covers only part of the month (an account moved inside it).
	Day string `json:"day,omitempty"`
}

// OwnerChanges lists the account-months, among the YYYY-MM months given,
// whose owner differs between the mappings before and after a change, by
// account then month. Mappings are open-ended, so the months to look at
// are the caller's (the months that have invoices); before and after need
// only hold the mappings of the accounts the change touches.
func OwnerChanges(before, after []Mapping, months []string) []OwnerChange {
	byAccount := func(ms []Mapping) map[string][]Mapping {
		out := map[string][]Mapping{}
		for _, m := range ms {
			out[m.Account] = append(out[m.Account], m)
		}
		return out
	}
	was, will := byAccount(before), byAccount(after)
	var accounts []string
	for a := range was {
		accounts = append(accounts, a)
	}
	for a := range will {
		if _, ok := was[a]; !ok {
			accounts = append(accounts, a)
		}
	}
	sort.Strings(accounts)
	months = append([]string(nil), months...)
	sort.Strings(months)
	var out []OwnerChange
	for _, a := range accounts {
		for i, month := range months {
			if i > 0 && month == months[i-1] {
				continue
			}
			// Compared day by day: an account moved inside an invoiced
			// month moves that invoice's days too.
			days := daysOf(month)
			seen := map[[2]string]int{} // index in out
			count := map[[2]string]int{}
			for _, day := range days {
				from, to := OwnerOn(was[a], a, day), OwnerOn(will[a], a, day)
				k := [2]string{from, to}
				if from == to {
					continue
				}
				count[k]++
				if _, ok := seen[k]; !ok {
					seen[k] = len(out)
					out = append(out, OwnerChange{Account: a, Month: month, From: from, To: to, Day: day})
				}
			}
			for k, i := range seen {
				if count[k] == len(days) {
					out[i].Day = "" // the whole month
				}
			}
		}
	}
	return out
}

// endBefore is the last month (or day) owned by a mapping that ends where
// another starts at from, a month or a day.
func endBefore(from string) string {
	if len(from) == 10 {
		return dayBefore(from)
	}
	return AddMonths(from, -1)
}

// startAfter is the first month (or day) after a mapping that ends at
// until, a month or a day.
func startAfter(until string) string {
	if len(until) == 10 {
		t, _ := time.Parse(time.DateOnly, until)
		return t.AddDate(0, 0, 1).Format(time.DateOnly)
	}
	return AddMonths(until, 1)
}

// OfferedForAssignment tells whether an account that belongs to no
// customer is offered for assignment in one click. A payer (management)
// account is not: it is the reseller's own account, whose charges
// (support, the CUR bucket, reservations it bought for others) are
// shared, so a customer owns it only by a deliberate mapping typed in.
func OfferedForAssignment(account, payer string) bool {
	return account != payer
}
