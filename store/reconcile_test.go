package store

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/distributor"
	"rebill/engine/lineitem"
	"rebill/engine/reconcile"
)

// The accounts of the golden reconciliations: ACME, BETA, GAMMA (invoiced
// in EUR) and DELTA (provider discounts kept as margin) own one each;
// nobody owns recUnassigned.
const (
	recPayer      = "999999999999"
	recACME       = "111111111111"
	recBETA       = "222222222222"
	recUnassigned = "333333333333"
	recGAMMA      = "444444444444"
	recDELTA      = "555555555555"
)

// recItem is one AWS line item of September 2024; list is its public
// on-demand cost ("" is the cost).
func recItem(account, typ, code, cost, list string) lineitem.Item {
	if list == "" {
		list = cost
	}
	return lineitem.Item{Provider: lineitem.AWS, BillingPeriod: "2024-09", PayerAccount: recPayer, UsageAccount: account,
		Type: typ, BillingEntity: "AWS", LegalEntity: "Amazon Web Services, Inc.", ProductCode: code, ProductName: code,
		Currency: "USD", UnblendedCost: decimal.RequireFromString(cost), BlendedCost: decimal.RequireFromString(cost),
		PublicOnDemandCost: decimal.RequireFromString(list), InvoiceID: "AWS-2024-09"}
}

// withRI names the reservation (bought by owner) behind a line.
func withRI(it lineitem.Item, owner string) lineitem.Item {
	it.ReservationARN = "arn:aws:ec2:us-east-1:" + owner + ":reserved-instances/ri-1"
	return it
}

// withSP names the Savings Plan (bought by owner) behind a line.
func withSP(it lineitem.Item, owner string) lineitem.Item {
	it.SavingsPlanARN = "arn:aws:savingsplans::" + owner + ":savingsplan/sp-1"
	return it
}

func marketplaceItem(account, cost string) lineitem.Item {
	it := recItem(account, lineitem.Usage, "prod-4711", cost, "")
	it.BillingEntity, it.LegalEntity = "AWS Marketplace", "Seller Inc"
	return it
}

// TestGoldenReconciliations: hand-designed months whose every bridge item
// is worked out here, from the line items and the rules of DOMAIN.md,
// before running: distributor + items = invoiced, unexplained 0.00.
func TestGoldenReconciliations(t *testing.T) {
	usage := func(account, cost string) lineitem.Item {
		return recItem(account, lineitem.Usage, "AmazonEC2", cost, "")
	}
	cases := []struct {
		name        string
		items       []lineitem.Item
		setup       func(t *testing.T, db *DB)
		opt         billing.Options
		distributor string
		invoiced    string
		want        map[reconcile.Cause]string // the rest are 0.00
	}{
		{
			// ACME bought a reservation (RIFee 30.00) used by itself (kept:
			// 0.00) and by BETA (public on-demand 12.00); BETA bought a
			// Savings Plan (fee 20.00) that covered ACME's usage (5.00,
			// negated by -5.00). File: 30 + 20 + 5 - 5 = 50.00. ACME pays
			// 30 + 5 = 35.00 (its negation is not credited: +5.00), BETA
			// 12.00 + 20.00 = 32.00 (the on-demand cost: +12.00).
			// Invoiced 67.00 = 50.00 + re-rating 17.00.
			name: "reservation and savings plan used across customers",
			items: []lineitem.Item{
				withRI(recItem(recACME, lineitem.RIFee, "AmazonEC2", "30", "0"), recACME),
				withRI(recItem(recACME, lineitem.DiscountedUsage, "AmazonEC2", "0", "8"), recACME),
				withRI(recItem(recBETA, lineitem.DiscountedUsage, "AmazonEC2", "0", "12"), recACME),
				withSP(recItem(recBETA, lineitem.SavingsPlanRecurringFee, "ComputeSavingsPlans", "20", "0"), recBETA),
				withSP(recItem(recACME, lineitem.SavingsPlanCoveredUsage, "AmazonEC2", "5", "5"), recBETA),
				withSP(recItem(recACME, lineitem.SavingsPlanNegation, "AmazonEC2", "-5", "0"), recBETA),
			},
			distributor: "50.00", invoiced: "67.00",
			want: map[reconcile.Cause]string{reconcile.Rerating: "17.00"},
		},
		{
			// BETA's Marketplace charge 7.00 is left off its invoice:
			// 17.00 - 7.00 = 10.00.
			name:        "Marketplace excluded",
			items:       []lineitem.Item{usage(recBETA, "10"), marketplaceItem(recBETA, "7")},
			distributor: "17.00", invoiced: "10.00",
			want: map[reconcile.Cause]string{reconcile.Marketplace: "-7.00"},
		},
		{
			// Included, it passes through: nothing to explain.
			name:        "Marketplace included",
			items:       []lineitem.Item{usage(recBETA, "10"), marketplaceItem(recBETA, "7")},
			opt:         billing.Options{Marketplace: true},
			distributor: "17.00", invoiced: "17.00",
		},
		{
			// The provider's credit -2.50 stays with ACME's account and is
			// on its invoice as it is: 40.00 - 2.50 = 37.50, no difference.
			name:        "provider credits passed on",
			items:       []lineitem.Item{usage(recACME, "40"), recItem(recACME, lineitem.Credit, "AmazonEC2", "-2.5", "")},
			distributor: "37.50", invoiced: "37.50",
		},
		{
			// ACME's reseller credit of 15.00 pays part of its 40.00.
			name:  "reseller credits",
			items: []lineitem.Item{usage(recACME, "40")},
			setup: func(t *testing.T, db *DB) {
				if _, err := db.Grant(customer.Grant{Customer: "ACME", Amount: decimal.NewFromInt(15), Currency: "USD", Reason: "goodwill"}, provNow); err != nil {
					t.Fatal(err)
				}
			},
			opt:         billing.Options{Credits: true},
			distributor: "40.00", invoiced: "25.00",
			want: map[reconcile.Cause]string{reconcile.ResellerCredits: "-15.00"},
		},
		{
			// The provider's tax 3.00 is replaced by ACME's VAT, 20% of
			// 40.00 = 8.00: +5.00. Invoiced 40.00 + 8.00 = 48.00.
			name:  "tax",
			items: []lineitem.Item{usage(recACME, "40"), recItem(recACME, lineitem.Tax, "AmazonEC2", "3", "")},
			setup: func(t *testing.T, db *DB) {
				if _, err := db.UpdateCustomer("ACME", func(c *customer.Customer) error {
					c.TaxRates = []customer.TaxRate{{Name: "VAT", Percent: decimal.NewFromInt(20)}}
					return nil
				}, provNow); err != nil {
					t.Fatal(err)
				}
			},
			opt:         billing.Options{Tax: true},
			distributor: "43.00", invoiced: "48.00",
			want: map[reconcile.Cause]string{reconcile.Tax: "5.00"},
		},
		{
			// Nobody owns 333333333333 (4.004 -> 4.00). The file is
			// 40.004 + 4.004 = 44.008 -> 44.01; ACME's 40.004 -> 40.00:
			// rounding each apart gives 40.00 + 4.00 - 44.01 = -0.01.
			// 44.01 - 4.00 - 0.01 = 40.00.
			name:        "unassigned account",
			items:       []lineitem.Item{usage(recACME, "40.004"), usage(recUnassigned, "4.004")},
			distributor: "44.01", invoiced: "40.00",
			want: map[reconcile.Cause]string{reconcile.Unassigned: "-4.00", reconcile.DisplayRounding: "-0.01"},
		},
		{
			// GAMMA is invoiced in EUR at 0.3 EUR per USD: 10.01 USD is
			// 3.003 -> 3.00 EUR, which is 10.00 USD back: -0.01.
			name:        "a second currency",
			items:       []lineitem.Item{usage(recGAMMA, "10.01")},
			distributor: "10.01", invoiced: "10.00",
			want: map[reconcile.Cause]string{reconcile.ExchangeRates: "-0.01"},
		},
		{
			// DELTA is billed before its EDP discount of -3.00, which the
			// reseller keeps: 47.00 + 3.00 = 50.00.
			name:        "provider discount kept as margin",
			items:       []lineitem.Item{usage(recDELTA, "50"), recItem(recDELTA, lineitem.EdpDiscount, "AmazonEC2", "-3", "0")},
			distributor: "47.00", invoiced: "50.00",
			want: map[reconcile.Cause]string{reconcile.KeptDiscounts: "3.00"},
		},
		{
			// ACME's global discount of 10% on 40.00: -4.00.
			name:        "pricing rules",
			items:       []lineitem.Item{usage(recACME, "40")},
			setup:       editACME(func(c *customer.Customer) { c.Adjustment = decimal.NewFromInt(-10) }),
			distributor: "40.00", invoiced: "36.00",
			want: map[reconcile.Cause]string{reconcile.PricingRules: "-4.00"},
		},
		{
			// AWS Business support: the greater of 100.00 and 10% of
			// 40.00; the file has no support line to replace.
			name:        "support recomputation",
			items:       []lineitem.Item{usage(recACME, "40")},
			setup:       editACME(func(c *customer.Customer) { c.Support = "business" }),
			distributor: "40.00", invoiced: "140.00",
			want: map[reconcile.Cause]string{reconcile.Support: "100.00"},
		},
		{
			// ACME's managed service, 250.00 a month since January.
			name:  "recurring charges",
			items: []lineitem.Item{usage(recACME, "40")},
			setup: editACME(func(c *customer.Customer) {
				c.Recurring = []customer.RecurringCharge{{Description: "Managed service", Amount: decimal.NewFromInt(250), From: "2024-01"}}
			}),
			distributor: "40.00", invoiced: "290.00",
			want: map[reconcile.Cause]string{reconcile.Recurring: "250.00"},
		},
		{
			// The distributor invoices 1.50 more than the file holds.
			name:        "distributor-only charges",
			items:       []lineitem.Item{usage(recACME, "40")},
			distributor: "41.50", invoiced: "40.00",
			want: map[reconcile.Cause]string{reconcile.DistributorOnly: "-1.50"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := goldenMonth(t, tc.items, tc.setup, tc.opt, tc.distributor)
			rec, err := db.Reconcile("2024-09", "aws")
			if err != nil {
				t.Fatal(err)
			}
			b := rec.Bridges[0]
			if b.Unexplained != "0.00" || b.InvoicedTotal != tc.invoiced || b.DistributorTotal != tc.distributor {
				t.Errorf("unexplained %s, invoiced %s, distributor %s; want 0.00, %s, %s (residuals %+v)",
					b.Unexplained, b.InvoicedTotal, b.DistributorTotal, tc.invoiced, tc.distributor, b.Residuals)
			}
			for _, it := range b.Items {
				want := tc.want[it.Cause]
				if want == "" {
					want = "0.00"
				}
				if it.Amount != want {
					t.Errorf("%s = %s, want %s (%+v)", it.Cause, it.Amount, want, it.Customers)
				}
			}
		})
	}
}

// goldenMonth imports items as September 2024, with ACME and BETA (USD),
// GAMMA (EUR, at 0.3 EUR per USD) and DELTA (provider discounts kept)
// owning their accounts, generates and approves every invoice with opt,
// and records the distributor's invoice for amount.
func goldenMonth(t *testing.T, items []lineitem.Item, setup func(*testing.T, *DB), opt billing.Options, amount string) *DB {
	t.Helper()
	db := openTest(t)
	importItems(t, db, "cur-2024-09.csv", items)
	addOwners(t, db, map[string]string{recACME: "ACME", recBETA: "BETA"})
	for _, c := range []customer.Customer{
		{ID: "GAMMA", Name: "Gamma GmbH", Currency: "EUR", TermsDays: 30},
		{ID: "DELTA", Name: "Delta Inc", Currency: "USD", TermsDays: 30, ProviderDiscounts: customer.DiscountsMargin},
	} {
		if err := db.AddCustomer(c, provNow); err != nil {
			t.Fatal(err)
		}
	}
	for acct, cust := range map[string]string{recGAMMA: "GAMMA", recDELTA: "DELTA"} {
		if err := db.Map(customer.Mapping{Account: acct, Customer: cust, From: "2024-09"}, provNow); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.PutRate(billing.EnteredRate{From: "USD", To: "EUR", Period: "2024-09", Rate: decimal.RequireFromString("0.3"), Source: "test"}, provNow); err != nil {
		t.Fatal(err)
	}
	if setup != nil {
		setup(t, db)
	}
	if _, err := db.GenerateInvoices(GenerateRequest{Period: "2024-09", Selection: customer.Selection{All: true}, Options: opt, Now: provNow}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ApproveDrafts("2024-09", provNow); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddDistributorInvoices([]distributor.Invoice{{Provider: "aws", Period: "2024-09", Number: "D-1",
		Amount: decimal.RequireFromString(amount), Currency: "USD"}}, provNow, "test"); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestReconcileResidual: ACME's 40.00 was invoiced, then the provider
// re-delivered the month with 42.00. Against a distributor invoice of
// 42.00, the bridge explains nothing of the 2.00 the invoice lacks: it
// is unexplained, with the line that changed.
func TestReconcileResidual(t *testing.T) {
	usage := func(cost string) lineitem.Item { return recItem(recACME, lineitem.Usage, "AmazonEC2", cost, "") }
	db := goldenMonth(t, []lineitem.Item{usage("40")}, nil, billing.Options{}, "42.00")
	importItems(t, db, "cur-2024-09-again.csv", []lineitem.Item{usage("42")})
	rec, err := db.Reconcile("2024-09", "")
	if err != nil {
		t.Fatal(err)
	}
	b := rec.Bridges[0]
	if b.Unexplained != "-2.00" || b.InvoicedTotal != "40.00" || len(b.Residuals) != 1 {
		t.Fatalf("unexplained %s, invoiced %s, residuals %+v; want -2.00, 40.00 and ACME's", b.Unexplained, b.InvoicedTotal, b.Residuals)
	}
	r := b.Residuals[0]
	if r.Customer != "ACME" || len(r.Lines) == 0 || r.Lines[0] != "Compute AmazonEC2: invoiced 40.00, now 42.00 (2.00)" {
		t.Errorf("residual %+v: want ACME's AmazonEC2 line, invoiced 40.00, now 42.00", r)
	}
}

// TestMargins is the reservation month of TestGoldenReconciliations as
// the margin report: ACME pays the RIFee 30.00 plus the covered 5.00 and
// its -5.00 negation (30.00) and bills 35.00, +5.00 re-rating; BETA pays
// nothing for the usage ACME's reservation covered and bills its
// on-demand 12.00, and passes its Savings Plan fee 20.00 on as it is.
func TestMargins(t *testing.T) {
	db := goldenMonth(t, []lineitem.Item{
		withRI(recItem(recACME, lineitem.RIFee, "AmazonEC2", "30", "0"), recACME),
		withRI(recItem(recBETA, lineitem.DiscountedUsage, "AmazonEC2", "0", "12"), recACME),
		withSP(recItem(recBETA, lineitem.SavingsPlanRecurringFee, "ComputeSavingsPlans", "20", "0"), recBETA),
		withSP(recItem(recACME, lineitem.SavingsPlanCoveredUsage, "AmazonEC2", "5", "5"), recBETA),
		withSP(recItem(recACME, lineitem.SavingsPlanNegation, "AmazonEC2", "-5", "0"), recBETA),
	}, nil, billing.Options{}, "50.00")
	got := marginLines(t, db, "2024-09")
	want := []string{
		"ACME AmazonEC2 cost 30.00 billed 35.00 margin 5.00 map[rerating:5.00]",
		"ACME Total cost 30.00 billed 35.00 margin 5.00 map[rerating:5.00]",
		"BETA AmazonEC2 cost 0.00 billed 12.00 margin 12.00 map[rerating:12.00]",
		"BETA ComputeSavingsPlans cost 20.00 billed 20.00 margin 0.00 map[]",
		"BETA Total cost 20.00 billed 32.00 margin 12.00 map[rerating:12.00]",
	}
	if !slices.Equal(got, want) {
		t.Errorf("margins\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestMarginsAreBeforeTax: ACME's usage 40.00 carries a provider Tax line
// of 3.00, which its VAT of 20% replaces: 8.00, invoiced 48.00. The VAT
// is owed to the tax authority and the provider's tax is the reseller's
// to recover, so neither is margin: ACME's service costs 40.00 and bills
// 40.00, margin 0.00, and its Total bills the invoice's net 40.00, not
// its 48.00. The bridge, which ties the distributor's 43.00 to the
// invoiced 48.00, still names the tax (TestGoldenReconciliations).
func TestMarginsAreBeforeTax(t *testing.T) {
	db := goldenMonth(t, []lineitem.Item{recItem(recACME, lineitem.Usage, "AmazonEC2", "40", ""), recItem(recACME, lineitem.Tax, "AmazonEC2", "3", "")},
		editACME(func(c *customer.Customer) {
			c.TaxRates = []customer.TaxRate{{Name: "VAT", Percent: decimal.NewFromInt(20)}}
		}), billing.Options{Tax: true}, "43.00")
	got := marginLines(t, db, "2024-09")
	want := []string{
		"ACME AmazonEC2 cost 40.00 billed 40.00 margin 0.00 map[]",
		"ACME Total cost 40.00 billed 40.00 margin 0.00 map[]",
	}
	if !slices.Equal(got, want) {
		t.Errorf("margins\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// marginLines is a month's margin report, a row a line.
func marginLines(t *testing.T, db *DB, month string) []string {
	t.Helper()
	rows, err := db.Margins(month, "", "")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		out = append(out, fmt.Sprintf("%s %s cost %s billed %s margin %s %v", r.Customer, r.Service, r.Cost, r.Billed, r.Margin, r.Causes))
	}
	return out
}

// TestReconcilePartialCreditNote: ACME's 40.00 invoice was credited 5.00
// as a goodwill gesture, GAMMA's EUR 3.00 (10.01 USD at 0.3 EUR per USD,
// 3.003 rounded) 1.00 EUR. No statement explains what the customers no
// longer owe, the credit notes do: a cause of their own, not an
// unexplained residual. GAMMA's EUR 2.00 left is 2.00 / 0.3 = 6.67 USD,
// its EUR 3.00 10.00 USD: its credit note is 6.67 - 10.00 = -3.33 USD.
// 50.01 - 0.01 (exchange rates) - 5.00 - 3.33 = 41.67 = 35.00 + 6.67.
func TestReconcilePartialCreditNote(t *testing.T) {
	db := goldenMonth(t, []lineitem.Item{recItem(recACME, lineitem.Usage, "AmazonEC2", "40", ""), recItem(recGAMMA, lineitem.Usage, "AmazonEC2", "10.01", "")},
		nil, billing.Options{}, "50.01")
	invs, err := db.Invoices(InvoiceFilter{Period: "2024-09"}, provNow)
	if err != nil || len(invs) != 2 {
		t.Fatalf("invoices %v, %v", invs, err)
	}
	credit := map[string]int64{"ACME": 5, "GAMMA": 1}
	for _, inv := range invs {
		if _, err := db.IssueCreditNote(CreditRequest{Invoice: inv.Number, Amount: decimal.NewFromInt(credit[inv.CustomerID]), Reason: "goodwill", Now: provNow}); err != nil {
			t.Fatal(err)
		}
	}
	rec, err := db.Reconcile("2024-09", "aws")
	if err != nil {
		t.Fatal(err)
	}
	b := rec.Bridges[0]
	if b.InvoicedTotal != "41.67" || b.Unexplained != "0.00" || len(b.Residuals) != 0 {
		t.Fatalf("invoiced %s, unexplained %s, residuals %+v; want 41.67, 0.00 and none", b.InvoicedTotal, b.Unexplained, b.Residuals)
	}
	want := map[reconcile.Cause]string{reconcile.ExchangeRates: "-0.01", reconcile.CreditNotes: "-8.33"}
	for _, it := range b.Items {
		if w := cmp.Or(want[it.Cause], "0.00"); it.Amount != w {
			t.Errorf("%s = %s, want %s", it.Cause, it.Amount, w)
		}
		if it.Cause == reconcile.CreditNotes {
			shares := map[string]string{}
			for _, c := range it.Customers {
				shares[c.Customer] = c.Amount
			}
			if shares["ACME"] != "-5.00" || shares["GAMMA"] != "-3.33" || len(shares) != 2 {
				t.Errorf("credit notes by customer: %v, want ACME -5.00 and GAMMA -3.33", shares)
			}
		}
	}
}

// TestMarginsTakeOffCreditNotes: ACME's usage 40.00 with VAT of 20% was
// invoiced 48.00, then credited 12.00: 10.00 and its VAT of 2.00. The
// reseller bills 10.00 less than the statement, so it earns 10.00 less:
// a row of its own, before tax like the rest of the report.
func TestMarginsTakeOffCreditNotes(t *testing.T) {
	db := goldenMonth(t, []lineitem.Item{recItem(recACME, lineitem.Usage, "AmazonEC2", "40", "")},
		editACME(func(c *customer.Customer) {
			c.TaxRates = []customer.TaxRate{{Name: "VAT", Percent: decimal.NewFromInt(20)}}
		}), billing.Options{Tax: true}, "40.00")
	invs, err := db.Invoices(InvoiceFilter{Period: "2024-09"}, provNow)
	if err != nil || len(invs) != 1 || invs[0].Total.String() != "48.00" {
		t.Fatalf("invoices %v, %v", invs, err)
	}
	if _, err := db.IssueCreditNote(CreditRequest{Invoice: invs[0].Number, Amount: decimal.NewFromInt(12), Reason: "outage", Now: provNow}); err != nil {
		t.Fatal(err)
	}
	got := marginLines(t, db, "2024-09")
	want := []string{
		"ACME AmazonEC2 cost 40.00 billed 40.00 margin 0.00 map[]",
		"ACME Credit notes cost 0.00 billed -10.00 margin -10.00 map[credit_notes:-10.00]",
		"ACME Total cost 40.00 billed 30.00 margin -10.00 map[credit_notes:-10.00]",
	}
	if !slices.Equal(got, want) {
		t.Errorf("margins\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// editACME changes ACME before its month is invoiced.
func editACME(change func(*customer.Customer)) func(*testing.T, *DB) {
	return func(t *testing.T, db *DB) {
		t.Helper()
		if _, err := db.UpdateCustomer("ACME", func(c *customer.Customer) error { change(c); return nil }, provNow); err != nil {
			t.Fatal(err)
		}
	}
}
