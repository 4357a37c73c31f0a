package billing

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"testing"
	"time"

	"rebill/engine/aggregate"
	"rebill/engine/customer"
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
		set := aggregate.NewSet(period)
		for i := range items {
			if err := byItem.Add(&items[i]); err != nil {
				t.Fatal(err)
			}
			set.Add(&items[i])
		}
		for _, g := range set.Groups() {
			if err := byGroup.AddGroup(g); err != nil {
				t.Fatal(err)
			}
		}
		if set.Len() >= len(items) {
			t.Fatalf("seed %d: %d groups of %d items: nothing was grouped", seed, set.Len(), len(items))
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
		}
		ja, _ := json.Marshal(byItem.Accounts())
		jb, _ := json.Marshal(byGroup.Accounts())
		if string(ja) != string(jb) || byItem.Items() != byGroup.Items() {
			t.Errorf("seed %d: accounts differ\nitems  %s\ngroups %s", seed, ja, jb)
		}
	}
}
