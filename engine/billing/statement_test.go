package billing

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
	"rebill/engine/lineitem"
)

// figures are a statement's expected printed figures; "" skips one.
type figures struct {
	subtotal, discount, support, marketplace, credits, tax, total string
	unrounded                                                     string
}

// Shared line items of the re-rating cases.
var (
	// ACME's account pays its RI's fee (120 h x 0.06 = 7.2) and uses it once.
	riFee   = li{acct: acctA, typ: lineitem.RIFee, code: "AmazonEC2", cost: "7.2", arn: riOfA}
	riUseA  = li{acct: acctA, typ: lineitem.DiscountedUsage, code: "AmazonEC2", cost: "0", pub: "0.096", arn: riOfA}
	riUseB  = li{acct: acctB, typ: lineitem.DiscountedUsage, code: "AmazonEC2", cost: "0", pub: "0.096", arn: riOfA}
	usageB  = li{acct: acctB, code: "AmazonEC2", cost: "1.2345"}
	riItems = flat([]li{riFee, riUseA}, times(2, riUseB), []li{usageB})

	// ACME's Savings Plan: 10 h x 0.35 = 3.5, covering one hour of ACME's
	// usage and two of BETA's at 0.115 on demand.
	spFee   = li{acct: acctA, typ: lineitem.SavingsPlanRecurringFee, code: "ComputeSavingsPlans", cost: "3.5", arn: spOfA}
	spCovA  = li{acct: acctA, typ: lineitem.SavingsPlanCoveredUsage, code: "AmazonEC2", cost: "0.115", arn: spOfA}
	spNegA  = li{acct: acctA, typ: lineitem.SavingsPlanNegation, code: "AmazonEC2", cost: "-0.115", arn: spOfA}
	spCovB  = li{acct: acctB, typ: lineitem.SavingsPlanCoveredUsage, code: "AmazonEC2", cost: "0.115", arn: spOfA}
	spNegB  = li{acct: acctB, typ: lineitem.SavingsPlanNegation, code: "AmazonEC2", cost: "-0.115", arn: spOfA}
	spItems = flat([]li{spFee, spCovA, spNegA}, times(2, spCovB), times(2, spNegB))
)

func TestStatementGolden(t *testing.T) {
	usdJPY := func(from, to, p string) (decimal.Decimal, string, error) {
		if from == "USD" && to == "JPY" && p == period {
			return dec("150.5"), "test rate", nil
		}
		return decimal.Decimal{}, "", ErrNoRate
	}
	cases := []struct {
		name   string
		items  []li
		owners map[string]string
		rates  RateFunc
		cust   customer.Customer
		ledger Ledger
		opt    Options
		lines  map[string]string
		want   figures
	}{
		{
			name:  "RI across customers: owner pays the fee, its own use keeps the benefit",
			items: riItems, cust: acme,
			// RIFee 7.2 + own DiscountedUsage as billed, 0 = 7.2
			lines: map[string]string{"Compute/AmazonEC2": "7.20"},
			want:  figures{subtotal: "7.20", total: "7.20", unrounded: "7.2"},
		},
		{
			name:  "RI across customers: the user pays on demand",
			items: riItems, cust: beta,
			// 2 x 0.096 on demand + 1.2345 = 1.4265 -> 1.43
			lines: map[string]string{"Compute/AmazonEC2": "1.43"},
			want:  figures{subtotal: "1.43", total: "1.43", unrounded: "1.4265"},
		},
		{
			name:  "RI across customers, unblended basis: the user gets the benefit as AWS billed",
			items: riItems, cust: beta, opt: Options{Basis: customer.BasisUnblended},
			// 0 + 0 + 1.2345 -> 1.23
			lines: map[string]string{"Compute/AmazonEC2": "1.23"},
			want:  figures{total: "1.23", unrounded: "1.2345"},
		},
		{
			name:  "RI within one customer: the benefit stays",
			items: riItems, cust: acme, owners: map[string]string{acctA: "ACME", acctB: "ACME"},
			// 7.2 + 0 + 0 + 0 + 1.2345 = 8.4345 -> 8.43
			lines: map[string]string{"Compute/AmazonEC2": "8.43"},
			want:  figures{total: "8.43", unrounded: "8.4345"},
		},
		{
			name: "RI of the unassigned shared payer: the user pays on demand",
			items: flat(times(3, li{acct: acctA, typ: lineitem.DiscountedUsage, code: "AmazonEC2", cost: "0", pub: "0.0416", arn: riOfPyr}),
				[]li{{acct: acctA, code: "AmazonEC2", cost: "1"}}),
			cust: acme,
			// 3 x 0.0416 + 1 = 1.1248 -> 1.12
			lines: map[string]string{"Compute/AmazonEC2": "1.12"},
			want:  figures{total: "1.12", unrounded: "1.1248"},
		},
		{
			name:  "Savings Plan across customers: the owner pays the commitment",
			items: spItems, cust: acme,
			// fee 3.5; own covered usage 0.115 cancelled by its negation -0.115
			lines: map[string]string{"Compute/ComputeSavingsPlans": "3.50", "Compute/AmazonEC2": "0.00"},
			want:  figures{subtotal: "3.50", total: "3.50", unrounded: "3.5"},
		},
		{
			name:  "Savings Plan across customers: the user pays on demand, the negation is not credited",
			items: spItems, cust: beta,
			// 2 x 0.115 covered usage + 2 x 0 negation = 0.23
			lines: map[string]string{"Compute/AmazonEC2": "0.23"},
			want:  figures{total: "0.23", unrounded: "0.23"},
		},
		{
			name: "marketplace with tax, support and discount",
			items: []li{
				{acct: acctA, code: "AmazonEC2", cost: "12345.678"},
				{acct: acctA, code: "AmazonS3", cost: "100.004"},
				{acct: acctA, code: firewall, cost: "50.005", entity: market, seller: "Example Security Ltd"},
				{acct: acctA, code: "prodlogs", cost: "0", entity: market, seller: "Example Observability Inc."},
				{acct: acctA, typ: lineitem.Fee, code: "AWSSupportBusiness", cost: "500"}, // replaced by the plan
				{acct: acctA, typ: lineitem.Tax, code: "AmazonEC2", cost: "7.77"},         // replaced by the rates
			},
			cust: withCust(acme, func(c *customer.Customer) {
				c.Support = customer.SupportBusiness
				c.Adjustment = dec("-10")
				c.TaxRates = []customer.TaxRate{{Name: "VAT 20%", Percent: dec("20")}}
			}),
			opt: Options{Marketplace: true, Tax: true},
			lines: map[string]string{
				"Compute/AmazonEC2":       "12345.68",
				"Storage/AmazonS3":        "100.00",
				"Marketplace/" + firewall: "50.01", // 50.005 half-up
				"Marketplace/prodlogs":    "0.00",  // a $0 line is shown
				// charges 12345.68 + 100.00 = 12445.68:
				// 10% x 10000 + 7% x 2445.68 = 1000 + 171.1976 -> 1171.20
				"Support/AWS Support (Business)": "1171.20",
			},
			want: figures{
				// 12345.68 + 100.00 + 50.01 + 0.00 + 1171.20
				subtotal: "13666.89",
				// -10% x 12445.68 (no marketplace, no support) = -1244.568
				discount:    "-1244.57",
				support:     "1171.20",
				marketplace: "50.01",
				credits:     "0.00",
				// 20% x (13666.89 - 1244.57 - 50.01 = 12372.31) = 2474.462
				tax: "2474.46",
				// 13666.89 - 1244.57 = 12422.32; + 2474.46
				total: "14896.78",
			},
		},
		{
			name:  "credits larger than the bill",
			items: []li{{acct: acctA, code: "AmazonEC2", cost: "80"}},
			cust: withCust(acme, func(c *customer.Customer) {
				c.TaxRates = []customer.TaxRate{{Name: "VAT 20%", Percent: dec("20")}}
			}),
			ledger: Ledger{
				Grants: []customer.Grant{
					{ID: 2, Customer: "ACME", Amount: dec("50"), Currency: "USD"},                      // never expires: last
					{ID: 1, Customer: "ACME", Amount: dec("100"), Currency: "USD", Expires: "2026-12"}, // oldest expiry: first
					{ID: 3, Customer: "ACME", Amount: dec("30"), Currency: "USD", Expires: "2026-08"},  // expired
				},
				Uses: []customer.Use{{Grant: 1, Period: "2026-08", Amount: dec("10")}},
			},
			opt:   Options{Credits: true, Tax: true},
			lines: map[string]string{"Compute/AmazonEC2": "80.00"},
			// grant 1 has 100 - 10 = 90 left and pays all 80; tax on 80 - 80 = 0
			want: figures{subtotal: "80.00", credits: "-80.00", tax: "0.00", total: "0.00", unrounded: "0"},
		},
		{
			name: "credits may not pay marketplace",
			items: []li{{acct: acctA, code: "AmazonEC2", cost: "30"},
				{acct: acctA, code: firewall, cost: "20", entity: market}},
			cust:   acme,
			ledger: Ledger{Grants: []customer.Grant{{ID: 1, Amount: dec("100"), Currency: "USD"}}},
			opt:    Options{Credits: true, Marketplace: true},
			lines:  map[string]string{"Compute/AmazonEC2": "30.00", "Marketplace/" + firewall: "20.00"},
			// credits pay the 30 of AWS charges only: 50 - 30 = 20
			want: figures{subtotal: "50.00", marketplace: "20.00", credits: "-30.00", total: "20.00"},
		},
		{
			name: "credits may pay marketplace",
			items: []li{{acct: acctA, code: "AmazonEC2", cost: "30"},
				{acct: acctA, code: firewall, cost: "20", entity: market}},
			cust:   acme,
			ledger: Ledger{Grants: []customer.Grant{{ID: 1, Amount: dec("100"), Currency: "USD"}}},
			opt:    Options{Credits: true, Marketplace: true, MarketplaceCredits: true},
			lines:  map[string]string{"Compute/AmazonEC2": "30.00", "Marketplace/" + firewall: "20.00"},
			// 50 - 50 = 0
			want: figures{subtotal: "50.00", marketplace: "20.00", credits: "-50.00", total: "0.00"},
		},
		{
			name: "credits lower the taxable base, marketplace stays untaxed",
			items: []li{{acct: acctA, code: "AmazonEC2", cost: "30"},
				{acct: acctA, code: firewall, cost: "20", entity: market}},
			cust: withCust(acme, func(c *customer.Customer) {
				c.TaxRates = []customer.TaxRate{{Name: "Sales tax 10%", Percent: dec("10")}}
			}),
			ledger: Ledger{Grants: []customer.Grant{{ID: 1, Amount: dec("10"), Currency: "USD"}}},
			opt:    Options{Credits: true, Marketplace: true, MarketplaceCredits: true, Tax: true},
			// tax 10% x (30 - 10) = 2; total 50 - 10 + 2
			want: figures{subtotal: "50.00", credits: "-10.00", tax: "2.00", total: "42.00"},
		},
		{
			name:  "marketplace left out unless asked",
			items: []li{{acct: acctA, code: "AmazonEC2", cost: "30"}, {acct: acctA, code: firewall, cost: "20", entity: market}},
			cust:  acme,
			lines: map[string]string{"Compute/AmazonEC2": "30.00"},
			want:  figures{subtotal: "30.00", marketplace: "0.00", total: "30.00"},
		},
		{
			name: "JPY: converted unrounded, rounded to the yen; support minimum converted from USD",
			items: []li{{acct: acctA, code: "AmazonEC2", cost: "10.123456"},
				{acct: acctA, code: "AmazonS3", cost: "2.01"}},
			rates: usdJPY,
			cust: withCust(acme, func(c *customer.Customer) {
				c.Currency = "JPY"
				c.Support = customer.SupportBusiness
				c.TaxRates = []customer.TaxRate{{Name: "JCT 10%", Percent: dec("10")}}
			}),
			opt: Options{Tax: true},
			lines: map[string]string{
				"Compute/AmazonEC2": "1524", // 10.123456 x 150.5 = 1523.580128
				"Storage/AmazonS3":  "303",  // 2.01 x 150.5 = 302.505
				// max(100 USD x 150.5 = 15050, 10% x 1827 = 182.7)
				"Support/AWS Support (Business)": "15050",
			},
			// 1524 + 303 + 15050 = 16877; tax 10% = 1687.7 -> 1688
			want: figures{subtotal: "16877", support: "15050", tax: "1688", total: "18565"},
		},
		{
			name: "half-up at exactly .005",
			items: []li{{acct: acctA, code: "AmazonEC2", cost: "1.125"}, {acct: acctA, code: "AmazonS3", cost: "1.145"},
				{acct: acctA, typ: lineitem.Credit, code: "AmazonEC2", cost: "-0.125"}},
			cust: acme,
			// halves away from zero
			lines: map[string]string{"Compute/AmazonEC2": "1.13", "Storage/AmazonS3": "1.15", "Credits/AmazonEC2": "-0.13"},
			want:  figures{total: "2.15", unrounded: "2.145"},
		},
		{
			name: "half-even at exactly .005",
			items: []li{{acct: acctA, code: "AmazonEC2", cost: "1.125"}, {acct: acctA, code: "AmazonS3", cost: "1.145"},
				{acct: acctA, typ: lineitem.Credit, code: "AmazonEC2", cost: "-0.125"}},
			cust: acme, opt: Options{Rounding: HalfEven},
			// halves to the even cent
			lines: map[string]string{"Compute/AmazonEC2": "1.12", "Storage/AmazonS3": "1.14", "Credits/AmazonEC2": "-0.12"},
			want:  figures{total: "2.14", unrounded: "2.145"},
		},
		{
			name:  "round-down (Azure tie-out) goes toward zero",
			items: []li{{acct: acctA, code: "AmazonEC2", cost: "1.129"}, {acct: acctA, typ: lineitem.Credit, code: "AmazonEC2", cost: "-0.129"}},
			cust:  acme, opt: Options{Rounding: Down},
			lines: map[string]string{"Compute/AmazonEC2": "1.12", "Credits/AmazonEC2": "-0.12"},
			want:  figures{total: "1.00"},
		},
		{
			name: "provider tax passed through, not replaced",
			items: []li{{acct: acctA, code: "AmazonEC2", cost: "100"},
				{acct: acctA, typ: lineitem.Tax, code: "AmazonEC2", cost: "8.875"},
				{acct: acctA, typ: lineitem.Tax, code: firewall, cost: "1", entity: market}}, // marketplace not included
			cust: withCust(acme, func(c *customer.Customer) {
				c.TaxRates = []customer.TaxRate{{Name: "VAT 20%", Percent: dec("20")}}
			}),
			opt:   Options{Tax: true, ProviderTax: PassThroughTax},
			lines: map[string]string{"Compute/AmazonEC2": "100.00"},
			want:  figures{tax: "8.88", total: "108.88", unrounded: "108.875"},
		},
		{
			name: "provider tax replaced by the customer's rates",
			items: []li{{acct: acctA, code: "AmazonEC2", cost: "100"},
				{acct: acctA, typ: lineitem.Tax, code: "AmazonEC2", cost: "8.875"}},
			cust: withCust(acme, func(c *customer.Customer) {
				c.TaxRates = []customer.TaxRate{{Name: "State 6%", Percent: dec("6")}, {Name: "City 2.5%", Percent: dec("2.5")}}
			}),
			opt:   Options{Tax: true},
			lines: map[string]string{"Compute/AmazonEC2": "100.00"},
			// 6.00 + 2.50
			want: figures{tax: "8.50", total: "108.50"},
		},
		{
			name: "no tax unless asked",
			items: []li{{acct: acctA, code: "AmazonEC2", cost: "100"},
				{acct: acctA, typ: lineitem.Tax, code: "AmazonEC2", cost: "8.875"}},
			cust: withCust(acme, func(c *customer.Customer) {
				c.TaxRates = []customer.TaxRate{{Name: "VAT 20%", Percent: dec("20")}}
			}),
			want: figures{tax: "0.00", total: "100.00"},
		},
		{
			name: "provider credits stay with the account that received them",
			items: []li{{acct: acctA, code: "AmazonEC2", cost: "10"}, {acct: acctB, code: "AmazonEC2", cost: "20"},
				{acct: acctB, typ: lineitem.Credit, code: "AmazonEC2", cost: "-5"}},
			cust:  beta,
			lines: map[string]string{"Compute/AmazonEC2": "20.00", "Credits/AmazonEC2": "-5.00"},
			want:  figures{total: "15.00"},
		},
		{
			name: "pricing rules: the most specific wins; marketplace only by a rule naming it",
			items: []li{
				{acct: acctA, code: "AmazonEC2", ut: "BoxUsage:m5.large", cost: "100"},
				{acct: acctA, code: "AmazonEC2", ut: "EBS:VolumeUsage.gp3", cost: "50"},
				{acct: acctA, code: "AmazonS3", ut: "TimedStorage-ByteHrs", cost: "10"},
				{acct: acctA, code: firewall, cost: "20", entity: market},
				{acct: acctA, code: "prodlogs", cost: "40", entity: market},
				{acct: acctA, typ: lineitem.Credit, code: "AmazonEC2", cost: "-4"},
			},
			cust: withCust(acme, func(c *customer.Customer) {
				c.PricingRules = []customer.PricingRule{
					{Provider: "aws", Percent: dec("10")},
					{ProductCode: "AmazonEC2", Percent: dec("20")},
					{ProductCode: "AmazonEC2", UsageType: "BoxUsage:m5.large", Percent: dec("-5")},
					{BillingEntity: market, ProductCode: firewall, Percent: dec("3")},
				}
			}),
			opt: Options{Marketplace: true},
			lines: map[string]string{
				"Compute/AmazonEC2":       "155.00", // 100 x 0.95 + 50 x 1.2
				"Storage/AmazonS3":        "11.00",  // 10 x 1.1
				"Marketplace/" + firewall: "20.60",  // 20 x 1.03
				"Marketplace/prodlogs":    "40.00",  // pass-through: the provider rule does not apply
				"Credits/AmazonEC2":       "-4.00",  // credits are not priced
			},
			want: figures{subtotal: "222.60", total: "222.60"},
		},
		{
			name:  "recurring charges of the period, support minimum and discount",
			items: []li{{acct: acctA, code: "AmazonEC2", cost: "100"}},
			cust: withCust(acme, func(c *customer.Customer) {
				c.Support = customer.SupportBusiness
				c.Adjustment = dec("-10")
				c.Recurring = []customer.RecurringCharge{
					{Description: "Managed service", Amount: dec("250"), From: "2026-01"},
					{Description: "Onboarding credit", Amount: dec("-50"), From: "2026-09", Until: "2026-09"},
					{Description: "Old fee", Amount: dec("99"), From: "2025-01", Until: "2026-08"},
					{Description: "Next year", Amount: dec("10"), From: "2026-10"},
				}
			}),
			lines: map[string]string{
				"Compute/AmazonEC2": "100.00",
				"Recurring and managed services/Managed service":   "250.00",
				"Recurring and managed services/Onboarding credit": "-50.00",
				"Support/AWS Support (Business)":                   "100.00", // max(100, 10% x 100)
			},
			// discount -10% x 100 (AWS charges only); 400 - 10
			want: figures{subtotal: "400.00", discount: "-10.00", support: "100.00", total: "390.00"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			own := tc.owners
			if own == nil {
				own = owners
			}
			m := newMonth(t, Config{Owners: own, Rates: tc.rates}, tc.items)
			st, err := m.Statement(tc.cust, tc.ledger, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			checkAddsUp(t, st)
			checkItemCharges(t, m, tc.items, tc.cust, tc.opt, st)
			if tc.lines != nil {
				if got := lineAmounts(st); !maps.Equal(got, tc.lines) {
					t.Errorf("lines\n got %v\nwant %v", got, tc.lines)
				}
			}
			tc.want.check(t, st)
		})
	}
}

// check compares the statement's figures with the expected ones that are
// set.
func (want figures) check(t *testing.T, st *Statement) {
	t.Helper()
	for _, f := range []struct {
		name, want string
		got        Amount
	}{
		{"subtotal", want.subtotal, st.Subtotal}, {"discount", want.discount, st.Discount},
		{"support", want.support, st.Support}, {"marketplace", want.marketplace, st.Marketplace},
		{"credits", want.credits, st.CreditsApplied}, {"tax", want.tax, st.Tax}, {"total", want.total, st.Total},
	} {
		if f.want != "" && f.got.String() != f.want {
			t.Errorf("%s = %s, want %s", f.name, f.got, f.want)
		}
	}
	if want.unrounded != "" && !st.Unrounded.Equal(dec(want.unrounded)) {
		t.Errorf("unrounded = %s, want %s", st.Unrounded, want.unrounded)
	}
}

func TestCreditsCarryOver(t *testing.T) {
	m := newMonth(t, Config{Owners: owners}, []li{{acct: acctA, code: "AmazonEC2", cost: "80"}})
	ledger := Ledger{
		Grants: []customer.Grant{
			{ID: 2, Amount: dec("50"), Currency: "USD"},
			{ID: 1, Amount: dec("100"), Currency: "USD", Expires: "2026-12"},
			{ID: 4, Amount: dec("70"), Currency: "EUR"},
		},
		Uses: []customer.Use{{Grant: 1, Amount: dec("10")}},
	}
	st, err := m.Statement(acme, ledger, Options{Credits: true})
	if err != nil {
		t.Fatal(err)
	}
	// Grant 1 (90 left) pays all 80; 10 of it and all of grant 2 carry over.
	if len(st.CreditUses) != 1 || st.CreditUses[0].Grant != 1 || !st.CreditUses[0].Amount.Equal(dec("80")) ||
		st.CreditUses[0].Period != period {
		t.Errorf("uses = %+v, want 80 of grant 1 in %s", st.CreditUses, period)
	}
	if st.CreditsCarried.String() != "60.00" {
		t.Errorf("carried = %s, want 60.00 (10 + 50)", st.CreditsCarried)
	}
	if len(st.Notes) != 1 || !strings.Contains(st.Notes[0], "grant 4 is in EUR") {
		t.Errorf("notes = %q, want one about the EUR grant", st.Notes)
	}
}

func TestCreditsSpanGrants(t *testing.T) {
	m := newMonth(t, Config{Owners: owners}, []li{{acct: acctA, code: "AmazonEC2", cost: "120.015"}})
	ledger := Ledger{Grants: []customer.Grant{
		{ID: 7, Amount: dec("100.009"), Currency: "USD", Expires: "2026-10"}, // rounds down to 100.00
		{ID: 8, Amount: dec("50"), Currency: "USD", Expires: "2027-01"},
	}}
	st, err := m.Statement(acme, ledger, Options{Credits: true})
	if err != nil {
		t.Fatal(err)
	}
	// 120.015 -> 120.02 = 100.00 of grant 7 + 20.02 of grant 8
	want := []customer.Use{{Grant: 7, Period: period, Amount: dec("100")}, {Grant: 8, Period: period, Amount: dec("20.02")}}
	if len(st.CreditUses) != 2 {
		t.Fatalf("uses = %+v, want %+v", st.CreditUses, want)
	}
	for i, u := range st.CreditUses {
		if u.Grant != want[i].Grant || !u.Amount.Equal(want[i].Amount) {
			t.Errorf("use %d = %+v, want %+v", i, u, want[i])
		}
	}
	if st.Total.String() != "0.00" || st.CreditsCarried.String() != "29.98" {
		t.Errorf("total %s carried %s, want 0.00 and 29.98 (50 - 20.02)", st.Total, st.CreditsCarried)
	}
}

func TestMissingRate(t *testing.T) {
	m := newMonth(t, Config{Owners: owners}, []li{{acct: acctA, code: "AmazonEC2", cost: "1"}})
	eur := acme
	eur.Currency = "EUR"
	_, err := m.Statement(eur, Ledger{}, Options{})
	var re *RateError
	if !errors.As(err, &re) || re.From != "USD" || re.To != "EUR" || re.Period != period || !errors.Is(err, ErrNoRate) {
		t.Fatalf("err = %v, want a RateError for USD to EUR in %s", err, period)
	}
	if msg := err.Error(); !strings.Contains(msg, "USD to EUR") || !strings.Contains(msg, period) {
		t.Errorf("message %q should name the pair and the month", msg)
	}
}

func TestRateIsPartOfTheResult(t *testing.T) {
	m := newMonth(t, Config{Owners: owners, Rates: func(from, to, p string) (decimal.Decimal, string, error) {
		return dec("0.9"), "ECB " + p, nil
	}}, []li{{acct: acctA, code: "AmazonEC2", cost: "10.005"}})
	eur := acme
	eur.Currency = "EUR"
	st, err := m.Statement(eur, Ledger{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := Rate{From: "USD", To: "EUR", Period: period, Rate: dec("0.9"), Source: "ECB " + period}
	if len(st.Rates) != 1 || st.Rates[0].Source != want.Source || !st.Rates[0].Rate.Equal(want.Rate) || st.Rates[0].From != "USD" {
		t.Fatalf("rates = %+v, want [%+v]", st.Rates, want)
	}
	// 10.005 x 0.9 = 9.0045 -> 9.00: converted unrounded, then rounded
	// (rounding first would give 10.01 x 0.9 = 9.009 -> 9.01).
	if st.Total.String() != "9.00" {
		t.Errorf("total = %s, want 9.00", st.Total)
	}
}

func TestOptionErrors(t *testing.T) {
	m := newMonth(t, Config{Owners: owners}, nil)
	for _, tc := range []struct {
		name string
		cust customer.Customer
		opt  Options
		want string
	}{
		{"basis", acme, Options{Basis: "cheapest"}, `cost basis "cheapest"`},
		{"rounding", acme, Options{Rounding: "up"}, `rounding "up"`},
		{"provider tax", acme, Options{ProviderTax: "both"}, `provider tax "both"`},
		{"marketplace credits without credits", acme, Options{Marketplace: true, MarketplaceCredits: true}, "only when credits are applied"},
		{"no id", customer.Customer{}, Options{}, "no ID"},
		{"plan", customer.Customer{ID: "X", Support: "gold"}, Options{}, `support plan "gold"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := m.Statement(tc.cust, Ledger{}, tc.opt)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one naming %s", err, tc.want)
			}
		})
	}
}

func TestAddRejectsOtherMonthsAndLateItems(t *testing.T) {
	m := newMonth(t, Config{Owners: owners}, nil)
	it := li{acct: acctA, code: "AmazonEC2", cost: "1"}.item()
	it.BillingPeriod = "2026-08"
	if err := m.Add(&it); err == nil || !strings.Contains(err.Error(), "2026-08") {
		t.Errorf("Add of another month: %v", err)
	}
	if _, err := m.Statement(acme, Ledger{}, Options{}); err != nil {
		t.Fatal(err)
	}
	it.BillingPeriod = period
	if err := m.Add(&it); err == nil {
		t.Error("Add after a statement should fail")
	}
}

func TestBadProductTypeOverride(t *testing.T) {
	_, err := NewMonth(Config{Period: period, ProductTypes: map[string]ProductType{"AmazonEC2": "Snacks"}})
	if err == nil || !strings.Contains(err.Error(), "AmazonEC2") {
		t.Fatalf("err = %v", err)
	}
	if _, err := NewMonth(Config{Period: "September"}); err == nil {
		t.Fatal("a period that is not YYYY-MM should be refused")
	}
}

func TestProductTypeSections(t *testing.T) {
	items := []li{
		{acct: acctA, code: "AmazonEC2", cost: "1"}, {acct: acctA, code: "awskms", cost: "1"},
		{acct: acctA, code: "AmazonRDS", cost: "1"}, {acct: acctA, code: "AWSDataTransfer", cost: "1"},
		{acct: acctA, code: "AWSGlue", cost: "1"}, {acct: acctA, code: "AmazonSageMaker", cost: "1"},
		{acct: acctA, code: "AmazonCloudWatch", cost: "1"}, {acct: acctA, code: "AWSCodeBuild", cost: "1"},
		{acct: acctA, code: "AmazonS3", cost: "1"}, {acct: acctA, code: "AmazonRegistrar", cost: "1"},
		{acct: acctA, code: "AmazonSNS", cost: "1"},
	}
	m := newMonth(t, Config{Owners: owners, ProductTypes: map[string]ProductType{"amazonsns": Networking}}, items)
	st, err := m.Statement(acme, Ledger{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range st.Sections {
		for _, l := range s.Lines {
			got = append(got, fmt.Sprintf("%s/%s", s.ProductType, l.Service))
		}
	}
	want := []string{"Compute/AmazonEC2", "Storage/AmazonS3", "Database/AmazonRDS", "Networking/AWSDataTransfer",
		"Networking/AmazonSNS", // overridden, case-insensitively
		"Analytics/AWSGlue", "Machine Learning/AmazonSageMaker", "Management & Governance/AmazonCloudWatch",
		"Security/awskms", "Developer Tools/AWSCodeBuild", "Other/AmazonRegistrar"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("sections\n got %q\nwant %q", got, want)
	}
}

func TestCreditUsesNameTheirCustomer(t *testing.T) {
	m := newMonth(t, Config{Owners: owners}, []li{{acct: acctA, code: "AmazonEC2", cost: "5"}})
	st, err := m.Statement(acme, Ledger{Grants: []customer.Grant{{ID: 9, Amount: dec("20"), Currency: "USD"}}}, Options{Credits: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.CreditUses) != 1 || st.CreditUses[0].Customer != "ACME" || st.CreditUses[0].Invoice != "" {
		t.Errorf("uses = %+v: want ACME's, the invoice left for the issuer to fill", st.CreditUses)
	}
}

// TestTaxWithoutRatesIsNoted: tax asked for a customer with no rates
// charges none and says so for the reviewer, unless the customer's VAT
// category already says why no tax is due.
func TestTaxWithoutRatesIsNoted(t *testing.T) {
	items := []li{{acct: acctA, code: "AmazonEC2", cost: "80"}}
	for _, tc := range []struct {
		name     string
		cust     customer.Customer
		opt      Options
		tax      string
		wantNote bool
	}{
		{"no rates", acme, Options{Tax: true}, "0.00", true},
		{"tax not asked", acme, Options{}, "0.00", false},
		{"reverse charge", withCust(acme, func(c *customer.Customer) { c.EInvoice.VATCategory = "AE" }), Options{Tax: true}, "0.00", false},
		// 20% x 80 = 16
		{"a rate", withCust(acme, func(c *customer.Customer) {
			c.TaxRates = []customer.TaxRate{{Name: "VAT 20%", Percent: dec("20")}}
		}), Options{Tax: true}, "16.00", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := statementOf(t, Config{}, items, tc.cust, tc.opt)
			if st.Tax.String() != tc.tax {
				t.Errorf("tax %s, want %s", st.Tax, tc.tax)
			}
			if got := slices.Contains(st.Notes, NoteNoTaxRates); got != tc.wantNote {
				t.Errorf("notes %q: note about missing rates %v, want %v", st.Notes, got, tc.wantNote)
			}
		})
	}
}
