package billing

import (
	"fmt"
	"slices"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
)

func TestSupportCharge(t *testing.T) {
	cases := []struct {
		name    string
		plan    customer.SupportPlan
		charges string
		usd     string // 1 USD in the invoice currency; "" is 1
		flat    string
		want    string // unrounded fee
	}{
		{"none", customer.SupportNone, "5000", "", "", "0"},
		{"developer minimum", customer.SupportDeveloper, "0", "", "", "29"},
		{"developer below the minimum", customer.SupportDeveloper, "966.66", "", "", "29"},           // 3% = 28.9998
		{"developer just above the minimum", customer.SupportDeveloper, "966.67", "", "", "29.0001"}, // 3% x 966.67
		{"developer 3%", customer.SupportDeveloper, "1000", "", "", "30"},
		{"business minimum", customer.SupportBusiness, "0", "", "", "100"},
		{"business at the minimum", customer.SupportBusiness, "1000", "", "", "100"},           // 10% x 1000
		{"business above the minimum", customer.SupportBusiness, "1000.01", "", "", "100.001"}, // 10% x 1000.01
		{"business at 10K", customer.SupportBusiness, "10000", "", "", "1000"},                 // 10% x 10000
		{"business past 10K", customer.SupportBusiness, "10000.01", "", "", "1000.0007"},       // 1000 + 7% x 0.01
		{"business at 80K", customer.SupportBusiness, "80000", "", "", "5900"},                 // 1000 + 7% x 70000 = 1000 + 4900
		{"business past 80K", customer.SupportBusiness, "80000.01", "", "", "5900.0005"},       // 5900 + 5% x 0.01
		{"business at 250K", customer.SupportBusiness, "250000", "", "", "14400"},              // 5900 + 5% x 170000 = 5900 + 8500
		{"business past 250K", customer.SupportBusiness, "250000.01", "", "", "14400.0003"},    // 14400 + 3% x 0.01
		{"business at 1M", customer.SupportBusiness, "1000000", "", "", "36900"},               // 14400 + 3% x 750000 = 14400 + 22500
		{"business negative charges", customer.SupportBusiness, "-50", "", "", "100"},
		{"business in EUR: minimum converted", customer.SupportBusiness, "50", "0.9", "", "90"}, // 100 x 0.9
		// bounds 9000 and 72000 EUR: 10% x 9000 + 7% x (20000 - 9000) = 900 + 770
		{"business in EUR: bounds converted", customer.SupportBusiness, "20000", "0.9", "", "1670"},
		{"enterprise on-ramp minimum", customer.SupportEnterpriseOnRamp, "55000", "", "", "5500"}, // 10% = 5500
		{"enterprise on-ramp above", customer.SupportEnterpriseOnRamp, "55000.01", "", "", "5500.001"},
		{"enterprise on-ramp 10%", customer.SupportEnterpriseOnRamp, "100000", "", "", "10000"},
		{"enterprise minimum", customer.SupportEnterprise, "100000", "", "", "15000"}, // 10% = 10000 < 15000
		{"enterprise at 150K", customer.SupportEnterprise, "150000", "", "", "15000"},
		{"enterprise past 150K", customer.SupportEnterprise, "200000", "", "", "18500"}, // 15000 + 7% x 50000
		{"enterprise at 500K", customer.SupportEnterprise, "500000", "", "", "39500"},   // 15000 + 7% x 350000 = 15000 + 24500
		{"enterprise at 1M", customer.SupportEnterprise, "1000000", "", "", "64500"},    // 39500 + 5% x 500000 = 39500 + 25000
		{"enterprise past 1M", customer.SupportEnterprise, "2000000", "", "", "94500"},  // 64500 + 3% x 1000000
		{"flat percentage", customer.SupportFlat, "1234.56", "", "5", "61.728"},         // 5% x 1234.56
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			usd := one
			if tc.usd != "" {
				usd = dec(tc.usd)
			}
			flat := decimal.Zero
			if tc.flat != "" {
				flat = dec(tc.flat)
			}
			var d SupportDetail // plan none: no fee
			if tc.plan != customer.SupportNone {
				p, err := DefaultSupportPlans().For(tc.plan, "2026-12")
				if err != nil {
					t.Fatal(err)
				}
				d = p.Charge(flat, dec(tc.charges), usd)
			}
			if !d.Unrounded.Equal(dec(tc.want)) {
				t.Errorf("fee = %s, want %s (tiers %+v)", d.Unrounded, tc.want, d.Tiers)
			}
			sum := decimal.Zero
			for _, tier := range d.Tiers {
				sum = sum.Add(tier.Charge)
			}
			if len(d.Tiers) > 0 && !decimal.Max(sum, d.Minimum).Equal(d.Unrounded) {
				t.Errorf("tiers add up to %s, minimum %s, fee %s", sum, d.Minimum, d.Unrounded)
			}
		})
	}
}

// TestBusinessSupportOnStatement checks the support line is rounded once,
// from the rounded charge lines, at each Business tier boundary.
func TestBusinessSupportOnStatement(t *testing.T) {
	cases := []struct{ name, ec2, want string }{
		{"minimum", "999.994", "100.00"},          // line 999.99; 10% = 99.999 < 100
		{"first tier", "5000.005", "500.00"},      // line 5000.01; 10% = 500.001
		{"10K boundary", "10000.004", "1000.00"},  // line 10000.00
		{"just past 10K", "10000.075", "1000.01"}, // line 10000.08; 1000 + 7% x 0.08 = 1000.0056
		{"80K boundary", "80000", "5900.00"},      // 1000 + 4900
		{"just past 80K", "80000.10", "5900.01"},  // 5900 + 5% x 0.10 = 5900.005, half-up
		{"250K boundary", "250000", "14400.00"},   // 5900 + 8500
		{"past 250K", "250100", "14403.00"},       // 14400 + 3% x 100
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMonth(t, Config{Owners: owners}, []li{{acct: acctA, code: "AmazonEC2", cost: tc.ec2}})
			c := acme
			c.Support = customer.SupportBusiness
			st, err := m.Statement(c, Ledger{}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkAddsUp(t, st)
			if st.Support.String() != tc.want {
				t.Errorf("support = %s, want %s", st.Support, tc.want)
			}
		})
	}
}

// TestNoSupportWithoutCharges: BETA's account has 40.00 of EC2, ACME's
// none this month. With the Business plan BETA pays the 100.00 minimum
// (10% of 40.00 is 4.00); ACME, whose accounts AWS charged nothing (not
// even a support fee), pays no support and says why, so that a customer
// who left, or whose accounts are not mapped yet, is not invoiced the
// plan's minimum every month.
func TestNoSupportWithoutCharges(t *testing.T) {
	m := newMonth(t, Config{Owners: owners}, []li{{acct: acctB, code: "AmazonEC2", cost: "40.00"}})
	b := beta
	b.Support = customer.SupportBusiness
	st, err := m.Statement(b, Ledger{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Support.String() != "100.00" || st.Total.String() != "140.00" {
		t.Errorf("BETA: support %s, total %s; want 100.00 and 140.00", st.Support, st.Total)
	}
	c := acme
	c.Support = customer.SupportBusiness
	st, err = m.Statement(c, Ledger{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !st.Support.IsZero() || !st.Total.IsZero() || !slices.Contains(st.Notes, fmt.Sprintf(NoteNoChargesNoSupport, m.cfg.Period)) {
		t.Errorf("ACME without charges: support %s, total %s, notes %q", st.Support, st.Total, st.Notes)
	}
}
