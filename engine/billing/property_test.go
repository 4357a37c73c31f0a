package billing

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
	"rebill/engine/lineitem"
)

var propAccounts = []string{"100000000001", "100000000002", "100000000003", "100000000004", "100000000005", "100000000006"}

// propOwners maps four accounts to three customers; the last two are
// unassigned.
var propOwners = map[string]string{propAccounts[0]: "C1", propAccounts[1]: "C1", propAccounts[2]: "C2", propAccounts[3]: "C3"}

// randomItems makes line items of every type, with amounts of 0 to 10
// decimals, some negative, some too long for an int64.
func randomItems(r *rand.Rand, n int) []lineitem.Item {
	types := []string{lineitem.Usage, lineitem.Usage, lineitem.Usage, lineitem.DiscountedUsage, lineitem.RIFee,
		lineitem.SavingsPlanCoveredUsage, lineitem.SavingsPlanNegation, lineitem.SavingsPlanRecurringFee,
		lineitem.Tax, lineitem.Credit, lineitem.Refund, lineitem.Fee, lineitem.EdpDiscount, "PrivateRateDiscount",
		lineitem.BundledDiscount, "SppDiscount", "DistributorDiscount", "SomethingNew"}
	codes := []string{"AmazonEC2", "AmazonS3", "AmazonRDS", "AWSLambda", "AmazonCloudWatch", "AWSDataTransfer", "AmazonRegistrar"}
	amount := func() decimal.Decimal {
		if r.Intn(50) == 0 {
			return decimal.RequireFromString(fmt.Sprintf("%d%018d.%09d", 1+r.Intn(9), r.Int63n(1e18), r.Intn(1e9)))
		}
		return decimal.New(r.Int63n(2_000_000_000_000)-200_000_000_000, -int32(r.Intn(11)))
	}
	items := make([]lineitem.Item, n)
	for i := range items {
		it := &items[i]
		*it = lineitem.Item{Provider: lineitem.AWS, BillingPeriod: period, UsageAccount: propAccounts[r.Intn(len(propAccounts))],
			Type: types[r.Intn(len(types))], BillingEntity: "AWS", ProductCode: codes[r.Intn(len(codes))],
			UsageType: fmt.Sprintf("ut%d", r.Intn(3)), Currency: "USD",
			UnblendedCost: amount(), BlendedCost: amount()}
		if r.Intn(3) > 0 {
			it.PublicOnDemandCost = amount().Abs()
		}
		if r.Intn(10) == 0 {
			it.BillingEntity = lineitem.MarketplaceEntity
			it.ProductCode = fmt.Sprintf("mp%d", r.Intn(3))
		}
		owner := propAccounts[r.Intn(len(propAccounts))]
		it.ReservationARN = "arn:aws:ec2:us-east-1:" + owner + ":reserved-instances/x"
		it.SavingsPlanARN = "arn:aws:savingsplans::" + owner + ":savingsplan/y"
	}
	return items
}

func randomCustomer(r *rand.Rand, id string) customer.Customer {
	c := customer.Customer{ID: id, Currency: []string{"USD", "USD", "EUR", "JPY"}[r.Intn(4)]}
	pct := func() decimal.Decimal { return decimal.New(r.Int63n(4000)-2000, -2) }
	c.Support = customer.SupportPlans[r.Intn(len(customer.SupportPlans))]
	c.SupportFlat = pct().Abs()
	if r.Intn(3) == 0 {
		c.SetSupportFrom(period, customer.SupportPlans[r.Intn(len(customer.SupportPlans))], pct().Abs())
	}
	c.ProviderDiscounts = []customer.DiscountMode{"", customer.DiscountsPassedOn, customer.DiscountsSeparate, customer.DiscountsMargin}[r.Intn(4)]
	if r.Intn(2) == 0 {
		c.Adjustment = pct()
	}
	for range r.Intn(3) {
		c.TaxRates = append(c.TaxRates, customer.TaxRate{Name: "t", Percent: pct().Abs()})
	}
	for range r.Intn(4) {
		c.PricingRules = append(c.PricingRules, customer.PricingRule{
			ProductCode: []string{"", "AmazonEC2", "AmazonS3"}[r.Intn(3)],
			UsageType:   []string{"", "ut1"}[r.Intn(2)], Percent: pct()})
	}
	if r.Intn(2) == 0 {
		c.Recurring = []customer.RecurringCharge{{Description: "fee", Amount: decimal.New(r.Int63n(100000)-30000, -2), From: "2026-01"}}
	}
	return c
}

func randomLedger(r *rand.Rand, c customer.Customer) Ledger {
	var l Ledger
	for i := range r.Intn(3) {
		l.Grants = append(l.Grants, customer.Grant{ID: uint64(i + 1), Customer: c.ID, Currency: c.Currency,
			Amount: decimal.New(r.Int63n(10_000_000), -3), Expires: []string{"", "2026-09", "2027-01", "2026-01"}[r.Intn(4)]})
	}
	return l
}

// TestPropertyTotalIsSumOfPrintedFigures: whatever the line items,
// customer terms and options, every printed figure adds up, the console
// variance's causes explain it, and credits never take a statement below
// zero.
func TestPropertyTotalIsSumOfPrintedFigures(t *testing.T) {
	rates := func(from, to, p string) (decimal.Decimal, string, error) {
		return map[string]decimal.Decimal{"EUR": dec("0.9137"), "JPY": dec("147.23")}[to], "test", nil
	}
	for seed := int64(0); seed < 150; seed++ {
		r := rand.New(rand.NewSource(seed))
		m, err := NewMonth(Config{Period: period, Owners: propOwners, Rates: rates})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range randomItems(r, 200+r.Intn(200)) {
			if err := m.Add(&it); err != nil {
				t.Fatal(err)
			}
		}
		for _, id := range []string{"C1", "C2", "C3", "NOBODY"} {
			c := randomCustomer(r, id)
			opt := Options{Basis: []customer.CostBasis{"", customer.BasisUnblended, customer.BasisPublic, customer.BasisBlended}[r.Intn(4)],
				Credits: r.Intn(2) == 0, Tax: r.Intn(2) == 0, Marketplace: r.Intn(2) == 0, MarketplaceCredits: r.Intn(2) == 0,
				ProviderTax: []ProviderTax{"", PassThroughTax}[r.Intn(2)], Rounding: Roundings[r.Intn(3)],
				SupportBase:       []SupportBase{"", GrossBase, NetBase}[r.Intn(3)],
				ProviderDiscounts: []customer.DiscountMode{"", customer.DiscountsSeparate, customer.DiscountsMargin}[r.Intn(3)]}
			opt.MarketplaceCredits = opt.MarketplaceCredits && opt.Credits // without credits it is refused (TestOptionErrors)
			st, err := m.Statement(c, randomLedger(r, c), opt)
			if err != nil {
				t.Fatalf("seed %d %s: %v", seed, id, err)
			}
			t.Run(fmt.Sprintf("seed%d/%s", seed, id), func(t *testing.T) {
				checkAddsUp(t, st)
				checkVariance(t, st.Console)
				if st.CreditsApplied.Decimal().IsNegative() && st.Total.Decimal().IsNegative() {
					t.Errorf("credits %s took the total to %s", st.CreditsApplied, st.Total)
				}
				if !st.Usage.Bill.Add(st.Usage.Total.Neg()).Decimal().Equal(st.Usage.Difference.Decimal()) {
					t.Errorf("usage view difference %s", st.Usage.Difference)
				}
			})
		}
	}
}

// TestPropertyUnblendedAddsUpToTheFile: under the unblended basis, with no
// pricing and nothing left out, the customers' unrounded totals plus the
// unassigned accounts are the file's total, exactly.
func TestPropertyUnblendedAddsUpToTheFile(t *testing.T) {
	for seed := int64(0); seed < 100; seed++ {
		r := rand.New(rand.NewSource(seed))
		m, err := NewMonth(Config{Period: period, Owners: propOwners})
		if err != nil {
			t.Fatal(err)
		}
		file := decimal.Zero
		for _, it := range randomItems(r, 100+r.Intn(400)) {
			file = file.Add(it.UnblendedCost)
			if err := m.Add(&it); err != nil {
				t.Fatal(err)
			}
		}
		got := decimal.Zero
		for _, id := range []string{"C1", "C2", "C3"} {
			st, err := m.Statement(customer.Customer{ID: id, Currency: "USD"}, Ledger{},
				Options{Basis: customer.BasisUnblended, Marketplace: true, Tax: true, ProviderTax: PassThroughTax})
			if err != nil {
				t.Fatal(err)
			}
			got = got.Add(st.Unrounded)
		}
		for _, a := range m.Unassigned() {
			got = got.Add(a.Unblended)
		}
		if !got.Equal(file) {
			t.Errorf("seed %d: customers + unassigned = %s, file = %s", seed, got, file)
		}
		if tot := m.Totals(); len(tot) != 1 || !tot[0].Unblended.Equal(file) {
			t.Errorf("seed %d: Totals = %+v, file = %s", seed, tot, file)
		}
	}
}
