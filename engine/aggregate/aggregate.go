// Package aggregate reduces a delivery's line items, at import, to sums
// grouped by everything the billing rules read of a line item and nothing
// that depends on customers, so that a statement reads a month's groups
// instead of its rows while mappings, pricing rules, price tables and
// options stay free to change afterwards.
//
// What the rules read (engine/billing's Month.Add and what follows it):
// the provider, usage account, billing entity and seller (Marketplace),
// product code and name (product types, pricing rules), usage type
// (pricing rules, price tables), the line type and the commitment owner
// account (re-rating of reservations and Savings Plans), the currency
// (exchange rates), and the usage day (an account moved inside the month
// goes to its owner on each day). A price table cumulates usage in usage
// order, so a Usage group also keeps its usage amount per usage start
// (Slots). Rates (UnblendedRate, BlendedRate) are read by no rule: the
// rules price from the costs, so rates are not kept. Resource ids,
// operations, regions, descriptions and tags are read by no statement
// rule either; the detail exports read them from the rows.
package aggregate

import (
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/shopspring/decimal"

	"rebill/engine/lineitem"
	"rebill/engine/money"
)

// Key is what line items are grouped by. Type and Owner are derived by
// LineType and CommitmentOwner, rules that depend on the line alone.
type Key struct {
	Provider  lineitem.Provider
	Account   string // UsageAccount
	Entity    string // BillingEntity
	Seller    string // LegalEntity
	Code      string // ProductCode
	Name      string // ProductName
	UsageType string
	Type      string // LineType
	Owner     string // CommitmentOwner
	Currency  string
	// Day is the day of the month of UsageDay, 1 to 31; 0 for a month's
	// group (Monthly).
	Day uint8
}

// Sum names one of a group's sums (Group.Sums).
type Sum int

// The sums of a group. List is what the line would cost at public
// on-demand prices (ListCost); the *Cents sums add each line item rounded
// to the cent (half away from zero), the usage view's rule, which the sum
// of a group cannot give back afterwards.
const (
	Usage Sum = iota
	Unblended
	Blended
	Public
	List
	ReservationEffective
	SavingsPlanEffective
	Effective
	Contracted
	Partner
	UnblendedCents
	BlendedCents
	ListCents
	PartnerCents
	NumSums
)

// Group is the sums of line items sharing a Key: of all of them, or of
// a run of them (Set.TakeOldest).
type Group struct {
	Key
	// Ordinal is the group's place among its set's groups, in the order
	// their first items came; a month's group (Monthly) has its first
	// day's. A reader mixing day and month groups feeds them in this
	// order (Merger), as the items came.
	Ordinal int64
	Count   int64
	Sums    [NumSums]money.Sum
	// Slots are the usage amounts by usage start, kept for Usage lines
	// only: a price table takes its tiers in usage order. A day's group
	// has a few (one per hour at most, for hourly items), so a slice,
	// searched from its end, holds them in a fraction of a map's memory.
	Slots []Slot
}

// Slot is the usage of a group's items that started at one time.
type Slot struct {
	// Start is the usage start, Unix seconds (SlotOf).
	Start int64
	Usage money.Sum
}

// slot is the usage sum of a start, added when new.
func (g *Group) slot(start int64) *money.Sum {
	for i := len(g.Slots) - 1; i >= 0; i-- {
		if g.Slots[i].Start == start {
			return &g.Slots[i].Usage
		}
	}
	g.Slots = append(g.Slots, Slot{Start: start})
	return &g.Slots[len(g.Slots)-1].Usage
}

// Total is one sum of the group as a decimal.
func (g *Group) Total(s Sum) decimal.Decimal { return g.Sums[s].Total() }

// Date is the group's usage day, YYYY-MM-DD, in the YYYY-MM period.
func (g *Group) Date(period string) string {
	return period + "-" + string([]byte{'0' + g.Day/10, '0' + g.Day%10})
}

// Set is the groups of one month's line items, in the order their first
// item came: a rule that keeps the first product name met for a sum sees
// the same name from the groups as from the rows, because the name is
// part of the key.
//
// A set whose memory must stay bounded gives up its oldest groups
// (TakeOldest); a later item of such a key starts a new group, with a
// later Ordinal. A key's items may then be summed in several groups of a
// day, which whoever reads them adds up: every sum is a sum, and the
// group holding a key's first item still comes first.
type Set struct {
	period string
	month  month
	// index finds a held group's Ordinal; groups[0] has Ordinal first.
	index  map[Key]int64
	groups []*Group
	first  int64
	intern map[string]string
	recent *recentGroups
}

// NewSet starts the groups of a YYYY-MM period.
func NewSet(period string) *Set {
	return &Set{period: period, month: monthOf(period), index: map[Key]int64{}, intern: map[string]string{}, recent: new(recentGroups)}
}

// Period is the set's YYYY-MM period.
func (s *Set) Period() string { return s.period }

// Groups are the groups the set holds, in first-item order. They belong
// to the set.
func (s *Set) Groups() []*Group { return s.groups }

// Len is how many groups the set holds.
func (s *Set) Len() int { return len(s.groups) }

// TakeOldest removes the n groups that came first (all when n is more)
// and hands them over, in first-item order. An importer that writes them
// out keeps its memory bounded whatever the month's size: in a file
// ordered by time, as providers write them, a key's day is over long
// before its group is among the oldest.
func (s *Set) TakeOldest(n int) []*Group {
	n = min(n, len(s.groups))
	taken := s.groups[:n:n]
	for _, g := range taken {
		delete(s.index, g.Key)
	}
	s.groups = slices.Clone(s.groups[n:])
	s.first += int64(n)
	return taken
}

// KeyOf is the group a line item of the period belongs to. Its strings
// point into the item's.
func KeyOf(it *lineitem.Item, period string) Key { return keyOf(it, monthOf(period)) }

func keyOf(it *lineitem.Item, m month) Key {
	typ := LineType(it)
	return Key{Provider: it.Provider, Account: it.UsageAccount, Entity: it.BillingEntity, Seller: it.LegalEntity,
		Code: it.ProductCode, Name: it.ProductName, UsageType: it.UsageType, Type: typ,
		Owner: CommitmentOwner(it, typ), Currency: it.Currency, Day: dayOf(it, m)}
}

// Add sums a line item into its group. The item may be reused afterwards:
// a new group's strings are copied (once per distinct string).
func (s *Set) Add(it *lineitem.Item) {
	k := keyOf(it, s.month)
	r := s.recent.slot(&k)
	if r.valid && r.key == k && r.group >= s.first {
		s.groups[r.group-s.first].Add(it)
		return
	}
	o, ok := s.index[k]
	if !ok {
		owned := s.own(k)
		o = s.first + int64(len(s.groups))
		s.index[owned] = o
		s.groups = append(s.groups, &Group{Key: owned, Ordinal: o})
	}
	// The slot keeps the item's strings, not the group's copies: the
	// key's next items hand the same strings, so the hit's comparison
	// is by address (the 5M-row sample: 0.3 s of CPU went to comparing
	// a key's bytes with its copies' on every hit).
	*r = recentGroup{key: k, group: o, valid: true}
	s.groups[o-s.first].Add(it)
}

// recentGroups remembers the groups of the keys met lately, by where
// their strings are. A mapper hands the same string for every repeat of
// a value (read.Interner), so the addresses of a key's strings find its
// group without hashing their bytes, which took a tenth of an import's
// time. Correctness never rests on an address: a hit is confirmed by
// comparing the keys (Go compares a string with itself by address, at
// once), and an entry holds its key's strings, so their bytes cannot be
// reused by other strings while it is there. A miss costs the lookup in
// the index it would have cost anyway.
type recentGroups [recentSlots]recentGroup

type recentGroup struct {
	key   Key
	group int64 // its Ordinal: no longer held when before Set.first
	valid bool
}

const (
	recentBits  = 12
	recentSlots = 1 << recentBits
)

// slot is where k is remembered, chosen by the addresses of its strings.
func (c *recentGroups) slot(k *Key) *recentGroup {
	h := uint64(k.Day)
	for _, s := range [...]string{string(k.Provider), k.Account, k.Entity, k.Seller, k.Code, k.Name, k.UsageType, k.Type, k.Owner, k.Currency} {
		h = (h ^ uint64(uintptr(unsafe.Pointer(unsafe.StringData(s))))) * 0x9E3779B97F4A7C15
	}
	return &c[h>>(64-recentBits)]
}

// Add sums one line item into the group, whose key it must have.
func (g *Group) Add(it *lineitem.Item) {
	g.Count++
	g.Sums[Usage].Add(it.UsageAmount)
	add2(&g.Sums[Unblended], &g.Sums[UnblendedCents], it.UnblendedCost)
	add2(&g.Sums[Blended], &g.Sums[BlendedCents], it.BlendedCost)
	g.Sums[Public].Add(it.PublicOnDemandCost)
	add2(&g.Sums[List], &g.Sums[ListCents], ListCost(it))
	g.Sums[ReservationEffective].Add(it.ReservationEffectiveCost)
	g.Sums[SavingsPlanEffective].Add(it.SavingsPlanEffectiveCost)
	g.Sums[Effective].Add(it.EffectiveCost)
	g.Sums[Contracted].Add(it.ContractedCost)
	add2(&g.Sums[Partner], &g.Sums[PartnerCents], it.PartnerCredit)
	if g.Type == lineitem.Usage {
		g.slot(SlotOf(it)).Add(it.UsageAmount)
	}
}

// Clone is a copy of the group that shares nothing with it but its
// strings.
func (g *Group) Clone() *Group {
	c := *g
	c.Slots = slices.Clone(g.Slots)
	return &c
}

// Monthly sums groups in first-item order over the days of the month:
// one group per key apart from the day (Day 0), in the order of its
// first day's group, whose Ordinal it has. It has no Slots: usage by the
// hour is read from the day groups. Most of a month's rules need no
// more, and a month has about 30 times fewer of them to read.
func Monthly(groups []*Group) []*Group {
	var m MonthlySums
	for _, g := range groups {
		m.Add(g)
	}
	return m.Groups()
}

// MonthlySums is Monthly one group at a time, for groups read one by one.
// The zero MonthlySums is ready to use.
type MonthlySums struct {
	index map[Key]*Group
	out   []*Group
}

// Add sums a day's group, which may be reused afterwards (its strings
// are kept).
func (m *MonthlySums) Add(g *Group) {
	if m.index == nil {
		m.index = map[Key]*Group{}
	}
	k := g.Key
	k.Day = 0
	s := m.index[k]
	if s == nil {
		s = &Group{Key: k, Ordinal: g.Ordinal}
		m.index[k] = s
		m.out = append(m.out, s)
	}
	s.Count += g.Count
	for i := range g.Sums {
		s.Sums[i].AddSum(g.Sums[i])
	}
}

// Groups are the month's groups so far, in first-item order.
func (m *MonthlySums) Groups() []*Group { return m.out }

// Merger feeds a reader's month groups and the day groups it holds to
// fn together, in Ordinal order, so that whoever sums them meets each
// key's first group where the items came: both come in that order.
type Merger struct {
	held []*Group
	fn   func(*Group) error
}

// NewMerger feeds fn the held groups (in Ordinal order) among those
// given to Add.
func NewMerger(held []*Group, fn func(*Group) error) *Merger {
	return &Merger{held: held, fn: fn}
}

// Add feeds the held groups that come before g, then g.
func (x *Merger) Add(g *Group) error {
	for len(x.held) > 0 && x.held[0].Ordinal < g.Ordinal {
		if err := x.fn(x.held[0]); err != nil {
			return err
		}
		x.held = x.held[1:]
	}
	return x.fn(g)
}

// Close feeds the held groups left.
func (x *Merger) Close() error {
	for _, g := range x.held {
		if err := x.fn(g); err != nil {
			return err
		}
	}
	x.held = nil
	return nil
}

// add2 adds d to s and, rounded to the cent, to cents, looking at d's
// digits once for both: this runs for every line item of every import.
func add2(s, cents *money.Sum, d decimal.Decimal) {
	coef, exp, small := money.Coefficient(d)
	if small {
		s.AddCoefficient(coef, exp)
	} else {
		s.Add(d)
	}
	addCents(cents, coef, exp, small, d)
}

// own copies a new key's strings, sharing the copies between groups.
func (s *Set) own(k Key) Key {
	for _, p := range []*string{&k.Account, &k.Entity, &k.Seller, &k.Code, &k.Name, &k.UsageType, &k.Type, &k.Owner, &k.Currency} {
		*p = s.str(*p)
	}
	k.Provider = lineitem.Provider(s.str(string(k.Provider)))
	return k
}

func (s *Set) str(v string) string {
	if c, ok := s.intern[v]; ok {
		return c
	}
	c := strings.Clone(v)
	s.intern[c] = c
	return c
}

// SlotOf is the usage start a line item's usage is ordered by for a price
// table (Unix seconds; an item without one counts at the month's start).
func SlotOf(it *lineitem.Item) int64 {
	if it.UsageStart.IsZero() {
		return 0
	}
	return it.UsageStart.Unix()
}

// ListCost is what a line item would cost at public on-demand prices: its
// pricing/publicOnDemandCost, or its unblended cost where AWS left that
// column empty (AWS does on some usage, e.g. EBS and free-tier lines).
func ListCost(it *lineitem.Item) decimal.Decimal {
	if !it.PublicOnDemandCost.IsZero() {
		return it.PublicOnDemandCost
	}
	return it.UnblendedCost
}

// UsageDay is the YYYY-MM-DD day a line item is billed to an account's
// owner on: its usage start (hourly and daily items split a moved
// account's month by day). AWS dates a monthly fee (RIFee,
// SavingsPlanRecurringFee) at the month's first hour, so it goes to the
// owner on the 1st; an item without a usage start, or dated outside the
// month, goes there too.
func UsageDay(it *lineitem.Item, period string) string {
	day := period + "-01"
	if !it.UsageStart.IsZero() {
		if d := it.UsageStart.UTC().Format(time.DateOnly); d[:7] == period {
			day = d
		}
	}
	return day
}

// month is a YYYY-MM period's first and last second (Unix); zero when
// the period is not a month.
type month struct{ start, end int64 }

func monthOf(period string) month {
	t, err := time.Parse("2006-01", period)
	if err != nil {
		return month{}
	}
	return month{t.Unix(), t.AddDate(0, 1, 0).Unix() - 1}
}

// dayOf is UsageDay's day of the month, from the usage start's seconds:
// it runs for every line item.
func dayOf(it *lineitem.Item, m month) uint8 {
	if it.UsageStart.IsZero() || m.start == 0 {
		return 1
	}
	u := it.UsageStart.Unix()
	if u < m.start || u > m.end {
		return 1
	}
	return uint8((u-m.start)/86400 + 1)
}

// LineType is the line item type the rules read. Other providers write
// no AWS line item types, but their usage a reservation or savings plan
// covered (a CommitmentDiscountID on a usage line: Azure, Google Cloud,
// Oracle Cloud) is what AWS calls DiscountedUsage: billed at the
// commitment's price while the purchase is billed to the buyer. Calling
// it so gives it AWS's rule, the one mechanism for every provider: at the
// public on-demand (pay-as-you-go) price when the commitment is another
// customer's.
func LineType(it *lineitem.Item) string {
	if it.Provider == lineitem.AWS || it.CommitmentDiscountID == "" {
		return it.Type
	}
	if it.Type == lineitem.Usage || it.Type == "" && it.ChargeCategory == lineitem.CategoryUsage {
		return lineitem.DiscountedUsage
	}
	return it.Type
}

// CommitmentOwner is the account that bought the reservation or Savings
// Plan a line item of type typ (LineType) belongs to, "" for lines that
// belong to none: for AWS the 5th field of its ARN, for other providers
// the buying subscription, project or tenancy the file names
// (lineitem.Item.CommitmentOwner). It is part of the month's sums so that
// re-rating can be decided per customer later, without reading the line
// items again.
func CommitmentOwner(it *lineitem.Item, typ string) string {
	var arn string
	switch typ {
	case lineitem.DiscountedUsage, lineitem.RIFee:
		arn = it.ReservationARN
	case lineitem.SavingsPlanCoveredUsage, lineitem.SavingsPlanNegation,
		lineitem.SavingsPlanRecurringFee, lineitem.SavingsPlanUpfrontFee:
		arn = it.SavingsPlanARN
	default:
		if it.Provider == lineitem.AWS || it.CommitmentDiscountID == "" {
			return ""
		}
	}
	if it.Provider == lineitem.AWS {
		if owner := lineitem.ARNAccount(arn); owner != "" {
			return owner
		}
	}
	return it.CommitmentOwner
}

// AddCents adds d rounded half away from zero to the cent, the usage
// report's per-line-item rule. It runs for every line item, four times,
// so the common case (at most 18 significant digits) is done in int64.
func AddCents(s *money.Sum, d decimal.Decimal) {
	coef, exp, small := money.Coefficient(d)
	addCents(s, coef, exp, small, d)
}

// addCents is AddCents of d, whose digits Coefficient has read (coef x
// 10^exp when small): in int64 when its cents fit one, zero at once,
// else rounded as a decimal.
func addCents(s *money.Sum, coef int64, exp int32, small bool, d decimal.Decimal) {
	if small {
		if coef == 0 {
			return
		}
		if c, ok := centsOf(coef, exp); ok {
			s.AddCoefficient(c, -2)
			return
		}
	}
	s.Add(d.Round(2))
}

// centsOf returns coef x 10^exp rounded half away from zero to hundredths,
// in hundredths.
func centsOf(coef int64, exp int32) (int64, bool) {
	if exp >= -2 {
		return money.Scale(coef, exp+2)
	}
	div, ok := money.Pow10(-2 - exp)
	if !ok { // |coef| < 10^18 <= 10^(-2-exp)/10: far below half a cent
		return 0, true
	}
	q, rem := coef/div, coef%div
	if rem < 0 {
		rem = -rem
	}
	if 2*rem >= div {
		if coef < 0 {
			q--
		} else {
			q++
		}
	}
	return q, true
}
