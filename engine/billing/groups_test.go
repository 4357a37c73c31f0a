package billing

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"

	"rebill/engine/aggregate"
	"rebill/engine/customer"
	"rebill/engine/lineitem"
)

// TestPropertyGroupsGiveTheItemsStatements: a month fed the groups of its
// line items (aggregate.Set, as the store reads them) gives the statements
// of the month fed the items, to the last decimal, whatever the items,
// customer terms, options, price tables and moves inside the month.
func TestPropertyGroupsGiveTheItemsStatements(t *testing.T) {
	tables := map[string]PriceTable{"tight": {Name: "tight", Currency: "USD", Rates: []TieredRate{{UsageType: "ut1", Unit: "GB",
		Tiers: []PriceTier{{From: dec("0"), To: dec("1000"), Price: dec("0.09")}, {From: dec("1000"), Price: dec("0.07")}}}}}}
	// propAccounts[1] moves from C1 to C2 on the 16th.
	transfers := map[string][]customer.DayOwner{propAccounts[1]: {{From: period + "-01", Customer: "C1"}, {From: period + "-16", Customer: "C2"}}}
	for seed := int64(0); seed < 60; seed++ {
		r := rand.New(rand.NewSource(seed))
		items := randomItems(r, 300+r.Intn(300))
		for i := range items {
			it := &items[i]
			if r.Intn(5) > 0 {
				it.UsageStart = time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.Intn(30*24)) * time.Hour)
			}
			it.UsageAmount = dec(fmt.Sprintf("%d.%03d", r.Intn(100), r.Intn(1000)))
			it.ProductName = []string{"", "Name A", "Name B"}[r.Intn(3)]
			it.LegalEntity = []string{"", "Amazon Web Services, Inc.", "Seller"}[r.Intn(3)]
			if r.Intn(8) == 0 {
				it.PartnerCredit = dec(fmt.Sprintf("0.%04d", r.Intn(10000)))
			}
		}
		// Items sharing a key with another, at another amount and hour of
		// the same day, so that groups hold several items.
		for i := range len(items) / 2 {
			it := items[i]
			it.UnblendedCost, it.BlendedCost = it.UnblendedCost.Shift(-1), it.BlendedCost.Neg()
			it.UsageAmount = it.UsageAmount.Add(dec("0.5"))
			if !it.UsageStart.IsZero() && it.UsageStart.Hour() < 23 {
				it.UsageStart = it.UsageStart.Add(time.Hour)
			}
			items = append(items, it)
		}
		cfg := Config{Period: period, Owners: propOwners, PriceTables: tables, Transfers: transfers}
		byItem, err := NewMonth(cfg)
		if err != nil {
			t.Fatal(err)
		}
		byGroup, err := NewMonth(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for i := range items {
			if err := byItem.Add(&items[i]); err != nil {
				t.Fatal(err)
			}
		}
		groups := groupsOf(r, items, seed%2 == 1)
		for _, g := range groups {
			if err := byGroup.AddGroup(g); err != nil {
				t.Fatal(err)
			}
		}
		mixed, err := NewMonth(cfg)
		if err != nil {
			t.Fatal(err)
		}
		feedMixed(t, mixed, groups)
		if runs := seed%2 == 1; !runs && len(groups) >= len(items) {
			t.Fatalf("seed %d: %d groups of %d items: nothing was grouped", seed, len(groups), len(items))
		} else if runs && distinctKeys(groups) == len(groups) {
			t.Fatalf("seed %d: no key's day was split over runs", seed)
		}
		for _, id := range []string{"C1", "C2", "C3", "NOBODY"} {
			c := randomCustomer(r, id)
			c.Currency = "USD"
			if r.Intn(2) == 0 {
				c.PriceTable = "tight"
			}
			opt := Options{Basis: []customer.CostBasis{"", customer.BasisUnblended, customer.BasisPublic, customer.BasisBlended}[r.Intn(4)],
				Credits: r.Intn(2) == 0, Tax: r.Intn(2) == 0, Marketplace: r.Intn(2) == 0, PassPartnerCredit: r.Intn(2) == 0,
				ProviderTax: []ProviderTax{"", PassThroughTax}[r.Intn(2)], Rounding: Roundings[r.Intn(3)],
				SupportBase:       []SupportBase{"", GrossBase, NetBase}[r.Intn(3)],
				ProviderDiscounts: []customer.DiscountMode{"", customer.DiscountsSeparate, customer.DiscountsMargin}[r.Intn(3)]}
			l := randomLedger(r, c)
			a, errA := byItem.Statement(c, l, opt)
			b, errB := byGroup.Statement(c, l, opt)
			if fmt.Sprint(errA) != fmt.Sprint(errB) {
				t.Fatalf("seed %d %s: items %v, groups %v", seed, id, errA, errB)
			}
			ja, _ := json.Marshal(a)
			jb, _ := json.Marshal(b)
			if string(ja) != string(jb) {
				t.Errorf("seed %d %s: statements differ\nitems  %s\ngroups %s", seed, id, ja, jb)
			}
			x, errX := mixed.Statement(c, l, opt)
			if fmt.Sprint(errA) != fmt.Sprint(errX) {
				t.Fatalf("seed %d %s: items %v, month and day groups %v", seed, id, errA, errX)
			}
			if jx, _ := json.Marshal(x); string(ja) != string(jx) {
				t.Errorf("seed %d %s: statements differ\nitems                %s\nmonth and day groups %s", seed, id, ja, jx)
			}
			// The month read for this customer alone, from its items, its
			// day groups, or its month and day groups, by turns.
			only := cfg
			only.Customers = []string{id}
			one := readOnly(t, only, items, groups, int(seed%3))
			o, errO := one.Statement(c, l, opt)
			if fmt.Sprint(errA) != fmt.Sprint(errO) {
				t.Fatalf("seed %d %s: whole month %v, read for %s alone %v", seed, id, errA, id, errO)
			}
			if jo, _ := json.Marshal(o); string(ja) != string(jo) {
				t.Errorf("seed %d %s: statements differ\nwhole month %s\nread alone  %s", seed, id, ja, jo)
			}
			if one.Items() >= byItem.Items() {
				t.Errorf("seed %d %s: the month read for it alone summed %d of %d items", seed, id, one.Items(), byItem.Items())
			}
		}
		ja, _ := json.Marshal(byItem.Accounts())
		jb, _ := json.Marshal(byGroup.Accounts())
		if string(ja) != string(jb) || byItem.Items() != byGroup.Items() {
			t.Errorf("seed %d: accounts differ\nitems  %s\ngroups %s", seed, ja, jb)
		}
	}
}

// groupsOf is the day groups of the items in first-item order, as an
// import stores them: when runs is set, the set gives its oldest groups
// up at random moments, as an import bounding its memory does, so that a
// key's day is split over several groups.
func groupsOf(r *rand.Rand, items []lineitem.Item, runs bool) []*aggregate.Group {
	set := aggregate.NewSet(period)
	var out []*aggregate.Group
	for i := range items {
		set.Add(&items[i])
		if runs && r.Intn(100) == 0 {
			out = append(out, set.TakeOldest(1+r.Intn(set.Len()/2+1))...)
		}
	}
	return append(out, set.TakeOldest(set.Len())...)
}

func distinctKeys(groups []*aggregate.Group) int {
	keys := map[aggregate.Key]bool{}
	for _, g := range groups {
		keys[g.Key] = true
	}
	return len(keys)
}

// readOnly is a month of cfg (read for cfg.Customers) fed the items
// (from 0), their day groups (1), or their month and day groups (2).
func readOnly(t *testing.T, cfg Config, items []lineitem.Item, groups []*aggregate.Group, from int) *Month {
	t.Helper()
	m, err := NewMonth(cfg)
	if err != nil {
		t.Fatal(err)
	}
	switch from {
	case 0:
		for i := range items {
			if err := m.Add(&items[i]); err != nil {
				t.Fatal(err)
			}
		}
	case 1:
		for _, g := range groups {
			if err := m.AddGroup(g); err != nil {
				t.Fatal(err)
			}
		}
	default:
		feedMixed(t, m, groups)
	}
	return m
}

// feedMixed feeds a month as the store reads it: the month groups
// (aggregate.Monthly) of the keys it reads by month, the day groups of
// those it reads by day (ReadsDaily), merged in first-item order.
func feedMixed(t *testing.T, m *Month, groups []*aggregate.Group) {
	t.Helper()
	var days []*aggregate.Group
	for _, g := range groups {
		if m.ReadsDaily(&g.Key) {
			days = append(days, g)
		}
	}
	mg := aggregate.NewMerger(days, m.AddGroup)
	for _, g := range aggregate.Monthly(groups) {
		if m.ReadsDaily(&g.Key) {
			if err := m.AddGroup(g); m.Reads(g.Account) && (err == nil || !strings.Contains(err.Error(), "needs them by day")) {
				t.Fatalf("a month group the month reads by day: %v", err)
			}
			continue
		}
		if err := mg.Add(g); err != nil {
			t.Fatal(err)
		}
	}
	if err := mg.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestMonthReadForCustomers: a month read for some customers sums the
// accounts they own on any day of the month, a moved account for each
// of its owners, and refuses the statement of a customer it was not read
// for rather than bill it nothing.
func TestMonthReadForCustomers(t *testing.T) {
	moved := "444444444444" // BETA's until the 15th, then ACME's
	cfg := Config{Period: period, Owners: owners, Transfers: map[string][]customer.DayOwner{
		moved: {{From: period + "-01", Customer: "BETA"}, {From: period + "-16", Customer: "ACME"}}},
		Customers: []string{"BETA"}}
	items := []li{{acct: acctA, code: "AmazonEC2", cost: "10"}, {acct: acctB, code: "AmazonEC2", cost: "2.5"},
		{acct: moved, code: "AmazonS3", cost: "1.25", day: period + "-03"}, {acct: moved, code: "AmazonS3", cost: "4", day: period + "-20"},
		{acct: payer, code: "AmazonS3", cost: "7"}}
	m := newMonth(t, cfg, items)
	for account, want := range map[string]bool{acctA: false, acctB: true, moved: true, payer: false} {
		if got := m.Reads(account); got != want {
			t.Errorf("Reads(%s) = %v, want %v", account, got, want)
		}
	}
	if m.Items() != 3 {
		t.Errorf("summed %d items, want BETA's account's and the moved account's 3", m.Items())
	}
	st, err := m.Statement(beta, Ledger{}, Options{Basis: customer.BasisUnblended})
	if err != nil {
		t.Fatal(err)
	}
	// 2.50 of its own account and the moved account's 1.25 of the 3rd;
	// the 4 of the 20th is ACME's.
	if got := st.Total.Decimal(); !got.Equal(dec("3.75")) {
		t.Errorf("BETA's total %s, want 3.75", got)
	}
	_, err = m.Statement(acme, Ledger{}, Options{})
	if err == nil || !strings.Contains(err.Error(), "read for BETA only, not for customer ACME") {
		t.Errorf("ACME's statement of a month read for BETA: %v", err)
	}
	if _, err := m.Charger(acme, Options{}); err == nil {
		t.Error("ACME's charger of a month read for BETA: no error")
	}
	whole := newMonth(t, Config{Period: period, Owners: owners}, items)
	if !whole.Reads(payer) || whole.Items() != int64(len(items)) {
		t.Errorf("a month read for every customer sums every account: Reads(payer) %v, %d items", whole.Reads(payer), whole.Items())
	}
}
