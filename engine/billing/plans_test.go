package billing

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
	"rebill/engine/lineitem"
)

// monthOf builds a month of another period than the package's: the items
// are moved into it.
func monthOf(t *testing.T, cfg Config, items []li) *Month {
	t.Helper()
	m, err := NewMonth(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range items {
		it := l.item()
		it.BillingPeriod = cfg.Period
		if err := m.Add(&it); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

// edpMonth is ACME's month with an Enterprise Discount Program: 10% off
// EC2 and S3, a provider credit, a Marketplace charge, provider tax and
// AWS's own Business support fee, none of which the support base counts.
//
// Gross (before the EDP), each service rounded as on the statement:
// EC2 10500.004 -> 10500.00, S3 200.005 -> 200.01: base 10700.01.
// After the EDP: EC2 10500.004 - 1050.0004 = 9450.0036 -> 9450.00,
// S3 200.005 - 20.0005 = 180.0045 -> 180.00: base 9630.00.
var edpMonth = []li{
	{acct: acctA, code: "AmazonEC2", cost: "10500.004"},
	{acct: acctA, code: "AmazonEC2", typ: lineitem.EdpDiscount, cost: "-1050.0004"},
	{acct: acctA, code: "AmazonS3", cost: "200.005"},
	{acct: acctA, code: "AmazonS3", typ: lineitem.EdpDiscount, cost: "-20.0005"},
	{acct: acctA, code: "AmazonEC2", typ: lineitem.Credit, cost: "-300"},
	{acct: acctA, code: firewall, entity: market, cost: "1000"},
	{acct: acctA, code: "AmazonEC2", typ: lineitem.Tax, cost: "99"},
	{acct: acctA, code: "AWSSupportBusiness", typ: lineitem.Fee, cost: "1234"},
}

func supportLine(t *testing.T, st *Statement) Line {
	t.Helper()
	for _, s := range st.Sections {
		if s.ProductType == Support {
			return s.Lines[0]
		}
	}
	t.Fatalf("no support line in %v", lineAmounts(st))
	return Line{}
}

// TestSupportBaseWithEDP: Business support on a month with an EDP, whose
// gross base crosses the $10K band while the base after the discount does
// not.
func TestSupportBaseWithEDP(t *testing.T) {
	m := newMonth(t, Config{Owners: owners}, edpMonth)
	c := acme
	c.Support = customer.SupportBusiness
	cases := []struct {
		name      string
		opt       Options
		support   string
		rule      string // what the trace's rule says
		counted   []string
		discounts string
	}{
		// 10% x 10000 = 1000 + 7% x (10700.01 - 10000) = 49.0007: 1049.0007
		{"gross, the default", Options{}, "1049.00", "before provider discounts",
			[]string{"AmazonEC2=10500.00", "AmazonS3=200.01"}, "-1070.0009"},
		// 10% x 9630.00 = 963.00: the $10K band is not reached
		{"after provider discounts, the reseller's setting", Options{SupportBase: NetBase}, "963.00", "after provider discounts",
			[]string{"AmazonEC2=9450.00", "AmazonS3=180.00"}, "-1070.0009"},
		// the discount is a line of its own: the gross base is the same
		{"gross, discounts shown apart", Options{ProviderDiscounts: customer.DiscountsSeparate}, "1049.00", "before provider discounts",
			[]string{"AmazonEC2=10500.00", "AmazonS3=200.01"}, "-1070.0009"},
		// the discount is kept as margin: the gross base is the same
		{"gross, discounts kept", Options{ProviderDiscounts: customer.DiscountsMargin}, "1049.00", "before provider discounts",
			[]string{"AmazonEC2=10500.00", "AmazonS3=200.01"}, "-1070.0009"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st, err := m.Statement(c, Ledger{}, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			checkAddsUp(t, st)
			if st.Support.String() != tc.support {
				t.Errorf("support = %s, want %s", st.Support, tc.support)
			}
			d := supportLine(t, st).Trace.Support
			if d == nil || !strings.Contains(d.BaseRule, tc.rule) {
				t.Fatalf("trace rule = %+v, want it to say %q", d, tc.rule)
			}
			var counted []string
			for _, l := range d.BaseLines {
				counted = append(counted, l.Service+"="+l.Counted.String())
			}
			if strings.Join(counted, " ") != strings.Join(tc.counted, " ") {
				t.Errorf("base lines %v, want %v", counted, tc.counted)
			}
			if !d.Discounts.Equal(dec(tc.discounts)) { // -1050.0004 - 20.0005
				t.Errorf("provider discounts in the trace = %s, want %s", d.Discounts, tc.discounts)
			}
			if d.Version != "aws-business" || d.Months != "until 2026-12" || len(d.Tiers) == 0 || !d.Tiers[0].Percent.Equal(decimal.NewFromInt(10)) {
				t.Errorf("trace plan %s (%s) tiers %+v, want aws-business until 2026-12 from 10%%", d.Version, d.Months, d.Tiers)
			}
		})
	}
}

// TestProviderDiscountModes: each mode's lines and total on the EDP month
// (support 1049.00 on the gross base in every mode, credit -300.00).
func TestProviderDiscountModes(t *testing.T) {
	m := newMonth(t, Config{Owners: owners}, edpMonth)
	c := acme
	c.Support = customer.SupportBusiness
	cases := []struct {
		name     string
		reseller customer.DiscountMode // Options, from the reseller's setting
		own      customer.DiscountMode // the customer's override
		lines    map[string]string
		total    string
		kept     string // the console variance's kept discounts
	}{
		// 9450.00 + 180.00 - 300.00 + 1049.00 = 10379.00
		{"passed on inside the line (default)", "", "", map[string]string{
			"Compute/AmazonEC2": "9450.00", "Storage/AmazonS3": "180.00", "Credits/AmazonEC2": "-300.00",
			"Support/AWS Support (Business)": "1049.00"}, "10379.00", "0.00"},
		// 10500.00 - 1050.00 + 200.01 - 20.00 - 300.00 + 1049.00 = 10379.01
		// (-1050.0004 -> -1050.00, -20.0005 -> -20.00: each line rounded)
		{"shown apart", customer.DiscountsSeparate, "", map[string]string{
			"Compute/AmazonEC2": "10500.00", "Compute/AmazonEC2 (EDP discount)": "-1050.00",
			"Storage/AmazonS3": "200.01", "Storage/AmazonS3 (EDP discount)": "-20.00", "Credits/AmazonEC2": "-300.00",
			"Support/AWS Support (Business)": "1049.00"}, "10379.01", "0.00"},
		// 10500.00 + 200.01 - 300.00 + 1049.00 = 11449.01; kept 1050.00 + 20.00
		{"kept as margin", customer.DiscountsMargin, "", map[string]string{
			"Compute/AmazonEC2": "10500.00", "Storage/AmazonS3": "200.01", "Credits/AmazonEC2": "-300.00",
			"Support/AWS Support (Business)": "1049.00"}, "11449.01", "1070.00"},
		{"the customer's override wins", customer.DiscountsSeparate, customer.DiscountsMargin, map[string]string{
			"Compute/AmazonEC2": "10500.00", "Storage/AmazonS3": "200.01", "Credits/AmazonEC2": "-300.00",
			"Support/AWS Support (Business)": "1049.00"}, "11449.01", "1070.00"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := c
			c.ProviderDiscounts = tc.own
			st, err := m.Statement(c, Ledger{}, Options{ProviderDiscounts: tc.reseller})
			if err != nil {
				t.Fatal(err)
			}
			checkAddsUp(t, st)
			got := lineAmounts(st)
			if len(got) != len(tc.lines) {
				t.Errorf("lines %v, want %v", got, tc.lines)
			}
			for k, v := range tc.lines {
				if got[k] != v {
					t.Errorf("%s = %q, want %s (all: %v)", k, got[k], v, got)
				}
			}
			if st.Total.String() != tc.total {
				t.Errorf("total = %s, want %s", st.Total, tc.total)
			}
			if st.Console.Total.Kept.String() != tc.kept {
				t.Errorf("kept discounts = %s, want %s", st.Console.Total.Kept, tc.kept)
			}
			// every item's charge adds up to its printed line (the detailed export's promise)
			ch, err := m.Charger(c, Options{ProviderDiscounts: tc.reseller})
			if err != nil {
				t.Fatal(err)
			}
			sums := map[string]decimal.Decimal{}
			for _, l := range edpMonth {
				it := l.item()
				ic, err := ch.Charge(&it)
				if err != nil {
					t.Fatal(err)
				}
				if ic.Included && ic.Section != "" {
					k := string(ic.Section) + "/" + ic.Service
					sums[k] = sums[k].Add(ic.Billed)
				} else if l.typ == lineitem.EdpDiscount && ic.Reason != ReasonDiscountKept {
					t.Errorf("EDP item left out for %q", ic.Reason)
				}
			}
			for _, s := range st.Sections {
				for _, l := range s.Lines {
					if s.ProductType == Support {
						continue
					}
					if k := string(s.ProductType) + "/" + l.Service; !sums[k].Equal(l.Unrounded) {
						t.Errorf("items of %s add up to %s, the line is %s", k, sums[k], l.Unrounded)
					}
				}
			}
		})
	}
}

// TestSupportPlanAcrossJanuary2027: one customer setting resolves to the
// legacy plan in 2026-12 and to its successor in 2027-01; a customer's
// own change from 2027-01 wins over both.
func TestSupportPlanAcrossJanuary2027(t *testing.T) {
	items := []li{{acct: acctA, code: "AmazonEC2", cost: "12000"}}
	change := acme
	change.Support = customer.SupportBusiness
	change.SetSupportFrom("2027-01", customer.SupportFlat, decimal.NewFromInt(5))
	cases := []struct {
		name    string
		plan    customer.SupportPlan
		c       *customer.Customer // instead of acme with plan
		month   string
		line    string
		amount  string
		version string
		confirm bool
		charges string // EC2, when not 12000
	}{
		// 10% x 10000 + 7% x 2000 = 1000 + 140
		{"business in 2026-12: legacy Business", customer.SupportBusiness, nil, "2026-12", "AWS Support (Business)", "1140.00", "aws-business", false, ""},
		// 9% x 10000 + 7% x 2000 = 900 + 140
		{"business in 2027-01: Business Support+", customer.SupportBusiness, nil, "2027-01", "AWS Support (Business Support+)", "1040.00", "aws-business-plus-2027", true, ""},
		// 3% x 100 = 3 < 29
		{"developer in 2026-12: legacy Developer", customer.SupportDeveloper, nil, "2026-12", "AWS Support (Developer)", "29.00", "aws-developer", false, "100"},
		// 9% x 100 = 9 < 29: Business Support+ replaces Developer
		{"developer in 2027-01: Business Support+", customer.SupportDeveloper, nil, "2027-01", "AWS Support (Business Support+)", "29.00", "aws-business-plus-2027", true, "100"},
		// 10% x 12000 = 1200 < 5500
		{"on-ramp in 2026-12: legacy On-Ramp", customer.SupportEnterpriseOnRamp, nil, "2026-12", "AWS Support (Enterprise On-Ramp)", "5500.00", "aws-enterprise-on-ramp", false, ""},
		// Enterprise's minimum 15000
		{"on-ramp in 2027-01: Enterprise", customer.SupportEnterpriseOnRamp, nil, "2027-01", "AWS Support (Enterprise)", "15000.00", "aws-enterprise-2027", true, ""},
		{"changed from 2027-01: December keeps Business", "", &change, "2026-12", "AWS Support (Business)", "1140.00", "aws-business", false, ""},
		// 5% x 12000
		{"changed from 2027-01: January is flat 5%", "", &change, "2027-01", "Support (5%)", "600.00", "flat", false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			its := items
			if tc.charges != "" {
				its = []li{{acct: acctA, code: "AmazonEC2", cost: tc.charges}}
			}
			m := monthOf(t, Config{Period: tc.month, Owners: owners}, its)
			c := acme
			c.Support = tc.plan
			if tc.c != nil {
				c = *tc.c
			}
			st, err := m.Statement(c, Ledger{}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			l := supportLine(t, st)
			if l.Service != tc.line || l.Amount.String() != tc.amount {
				t.Errorf("support line %s %s, want %s %s", l.Service, l.Amount, tc.line, tc.amount)
			}
			if d := l.Trace.Support; d.Version != tc.version || d.ToConfirm != tc.confirm {
				t.Errorf("trace version %s (to confirm %v), want %s (%v)", d.Version, d.ToConfirm, tc.version, tc.confirm)
			}
		})
	}
}

// TestPlanNone: with no plan, AWS's support line is not billed and the
// statement says so.
func TestPlanNone(t *testing.T) {
	m := newMonth(t, Config{Owners: owners}, edpMonth)
	st, err := m.Statement(acme, Ledger{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !st.Support.IsZero() {
		t.Errorf("support = %s, want none", st.Support)
	}
	want := "AWS support charged to account " + acctA + " is not billed: the customer has no support plan"
	if len(st.Notes) != 1 || st.Notes[0] != want {
		t.Errorf("notes %q, want %q", st.Notes, want)
	}
	// 9450.00 + 180.00 - 300.00: AWS's 1234 support fee is not in it
	if st.Total.String() != "9330.00" {
		t.Errorf("total %s, want 9330.00", st.Total)
	}
	noFee := newMonth(t, Config{Owners: owners}, edpMonth[:5])
	if st, _ := noFee.Statement(acme, Ledger{}, Options{}); len(st.Notes) != 0 {
		t.Errorf("notes %q without a support fee in the file", st.Notes)
	}
}

func TestSupportPlansValidate(t *testing.T) {
	base := DefaultSupportPlans()
	cases := []struct {
		name string
		edit func(ps SupportPlans) SupportPlans
		want string
	}{
		{"the presets", func(ps SupportPlans) SupportPlans { return ps }, ""},
		{"two versions of business in 2027-01", func(ps SupportPlans) SupportPlans {
			p := ps[1]
			p.ID, p.Until = "business-longer", ""
			return append(ps, p)
		}, `both price "business" in the same months`},
		{"a gap between bands", func(ps SupportPlans) SupportPlans {
			ps[1].Bands[1].From = dec("11000")
			return ps
		}, "band 2 starts at 11000, where the band before ends at 10000"},
		{"an open band before the last", func(ps SupportPlans) SupportPlans {
			ps[1].Bands[0].To = decimal.Zero
			return ps
		}, "only the last band is open-ended"},
		{"months in the wrong order", func(ps SupportPlans) SupportPlans {
			ps[4].Until = "2026-06"
			return ps
		}, "ends (2026-06) before it starts (2027-01)"},
		{"a plan serving none", func(ps SupportPlans) SupportPlans {
			ps[0].Serves = []customer.SupportPlan{customer.SupportNone}
			return ps
		}, `serves "none"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ps := append(SupportPlans(nil), base...)
			for i := range ps {
				ps[i].Bands = append([]SupportBand(nil), ps[i].Bands...)
			}
			err := tc.edit(ps).Validate()
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("Validate() = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestSupportBaseIsAWSOnly: AWS support is priced on AWS charges; another
// provider's charges of the same customer are outside its base.
func TestSupportBaseIsAWSOnly(t *testing.T) {
	m, err := NewMonth(Config{Period: period, Owners: map[string]string{acctA: "ACME", "sub-1": "ACME"}})
	if err != nil {
		t.Fatal(err)
	}
	aws := li{acct: acctA, code: "AmazonEC2", cost: "2000"}.item()
	azure := li{acct: "sub-1", code: "Virtual Machines", cost: "5000"}.item()
	azure.Provider = lineitem.Azure
	for _, it := range []*lineitem.Item{&aws, &azure} {
		if err := m.Add(it); err != nil {
			t.Fatal(err)
		}
	}
	c := acme
	c.Support = customer.SupportBusiness
	st, err := m.Statement(c, Ledger{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// 10% x 2000 = 200; with the Azure 5000 it would be 700
	if st.Support.String() != "200.00" {
		t.Errorf("support %s, want 200.00 on the AWS charges only", st.Support)
	}
}
