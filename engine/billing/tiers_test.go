package billing

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"rebill/engine/customer"
)

// A tiered S3 price table re-prices a customer's own S3 Standard storage
// as if it were its own family. The family (payer 333333333333) holds
// ACME's 60 TB and BETA's 600 TB; AWS tiers them together, so the file
// bills both at the family's over-500 TB price, 0.021 per GB-month. S3
// gives TimedStorage-ByteHrs in GB-Mo, so 1 TB is 1024 GB-Mo.
//
// ACME, 60 TB = 61440 GB-Mo in two days' items of 30720 each:
//
//	50 × 1024 = 51200 GB-Mo × 0.023 = 1177.60
//	10 × 1024 = 10240 GB-Mo × 0.022 =  225.28
//	                                  1402.88 (AWS billed 61440 × 0.021 = 1290.24)
//
// In usage order the 1st's 30720 GB-Mo are all in the first tier
// (30720 × 0.023 = 706.56); the 15th's take the first tier's remaining
// 20480 (471.04) and 10240 of the second (225.28): 696.32.
//
// BETA, 600 TB = 614400 GB-Mo, crosses all three tiers:
//
//	 51200 × 0.023 =  1177.60
//	460800 × 0.022 = 10137.60
//	102400 × 0.021 =  2150.40
//	                 13465.60 (AWS billed 614400 × 0.021 = 12902.40)
//
// BETA's usage starts before ACME's, in the same family, and must not
// move ACME's tiers. EC2 is not in the table and stays as billed.
func TestPriceTableTiers(t *testing.T) {
	s3 := func(acct, day, qty, cost string) li {
		return li{acct: acct, code: "AmazonS3", ut: "TimedStorage-ByteHrs", day: day, qty: qty, cost: cost}
	}
	items := []li{
		s3(acctB, "2026-09-01", "614400", "12902.40"),
		s3(acctA, "2026-09-01", "30720", "645.12"),
		s3(acctA, "2026-09-15", "30720", "645.12"),
		{acct: acctA, code: "AmazonEC2", cost: "100.00", day: "2026-09-01"},
		// Glacier storage is another usage type: not in the table.
		{acct: acctA, code: "AmazonS3", ut: "TimedStorage-GlacierByteHrs", day: "2026-09-01", qty: "1000", cost: "4.00"},
	}
	preset := PresetS3StandardUSEast1()
	m := newMonth(t, Config{Owners: owners, PriceTables: map[string]PriceTable{preset.Name: preset}}, items)
	cases := []struct {
		name  string
		c     customer.Customer
		opt   Options
		s3    string
		tiers string
	}{
		{"ACME with the table", customer.Customer{ID: "ACME", Currency: "USD", Support: customer.SupportNone, PriceTable: preset.Name},
			Options{}, "1406.88", "tiered: 51200 GB-Mo at 0.023, 10240 GB-Mo at 0.022"},
		{"BETA with the table", customer.Customer{ID: "BETA", Currency: "USD", Support: customer.SupportNone, PriceTable: preset.Name},
			Options{}, "13465.60", "tiered: 51200 GB-Mo at 0.023, 460800 GB-Mo at 0.022, 102400 GB-Mo at 0.021"},
		// 645.12 + 645.12 + 4.00 as billed.
		{"ACME without a table", customer.Customer{ID: "ACME", Currency: "USD", Support: customer.SupportNone},
			Options{}, "1294.24", ""},
		// The unblended basis says what AWS billed: no table.
		{"ACME unblended", customer.Customer{ID: "ACME", Currency: "USD", Support: customer.SupportNone, PriceTable: preset.Name},
			Options{Basis: customer.BasisUnblended}, "1294.24", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st, err := m.Statement(tc.c, Ledger{}, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			checkAddsUp(t, st)
			checkItemCharges(t, m, items, tc.c, tc.opt, st)
			var s3Line *Line
			for _, s := range st.Sections {
				for i := range s.Lines {
					if s.Lines[i].Service == "AmazonS3" {
						s3Line = &s.Lines[i]
					}
				}
			}
			if s3Line == nil {
				t.Fatalf("no AmazonS3 line: %v", lineAmounts(st))
			}
			// 1402.88 tiered + 4.00 Glacier as billed.
			if s3Line.Amount.String() != tc.s3 {
				t.Errorf("AmazonS3 %s, want %s", s3Line.Amount, tc.s3)
			}
			if got := TiersText(s3Line.Trace.Tiers); got != tc.tiers {
				t.Errorf("trace %q, want %q", got, tc.tiers)
			}
		})
	}

	// The items of ACME's two days, in usage order.
	c := cases[0].c
	for _, tc := range []struct{ day, want string }{{"2026-09-01", "706.56"}, {"2026-09-15", "696.32"}} {
		it := s3(acctA, tc.day, "30720", "645.12").item()
		ic, err := m.ItemCharge(&it, c, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !ic.Billed.Equal(dec(tc.want)) {
			t.Errorf("item of %s billed %s, want %s", tc.day, ic.Billed, tc.want)
		}
	}
}

func TestPriceTableRefused(t *testing.T) {
	m := newMonth(t, Config{Owners: owners}, []li{{acct: acctA, code: "AmazonS3", ut: "TimedStorage-ByteHrs", qty: "1", cost: "0.02"}})
	c := customer.Customer{ID: "ACME", Currency: "USD", Support: customer.SupportNone, PriceTable: "missing"}
	if _, err := m.Statement(c, Ledger{}, Options{}); err == nil || !strings.Contains(err.Error(), `price table "missing"`) {
		t.Errorf("a missing table gave %v", err)
	}
	gap := PresetS3StandardUSEast1()
	gap.Rates[0].Tiers[1].From = dec("60000")
	if err := gap.Validate(); err == nil || !strings.Contains(err.Error(), "tier 2 starts at 60000") {
		t.Errorf("a gap between tiers gave %v", err)
	}
	open := PresetS3StandardUSEast1()
	open.Rates[0].Tiers[0].To = dec("0")
	if err := open.Validate(); err == nil || !strings.Contains(err.Error(), "only the last tier is open-ended") {
		t.Errorf("an open first tier gave %v", err)
	}
}

// TestPriceTableWithRate: a usage type's tiers replace those of the same
// usage type and product, keeping their unit when none is given, and are
// added otherwise; the table given is left as it was.
func TestPriceTableWithRate(t *testing.T) {
	s3 := PresetS3StandardUSEast1()
	one := []PriceTier{{From: dec("0"), Price: dec("0.02")}}
	tests := []struct {
		name      string
		r         TieredRate
		wantRates int
		wantUnit  string
		wantPrice string // the first tier's price of the rate's usage type
	}{
		{"replaces, keeping the unit", TieredRate{ProductCode: "AmazonS3", UsageType: "TimedStorage-ByteHrs", Tiers: one}, 1, "GB-Mo", "0.02"},
		{"replaces with a unit given", TieredRate{ProductCode: "AmazonS3", UsageType: "TimedStorage-ByteHrs", Unit: "GB", Tiers: one}, 1, "GB", "0.02"},
		{"another product is another rate", TieredRate{UsageType: "TimedStorage-ByteHrs", Unit: "GB-Mo", Tiers: one}, 2, "GB-Mo", "0.02"},
		{"another usage type is added", TieredRate{ProductCode: "AmazonS3", UsageType: "*DataTransfer-Out-Bytes", Unit: "GB", Tiers: one}, 2, "GB", "0.02"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := s3.WithRate(tc.r)
			if len(got.Rates) != tc.wantRates {
				t.Fatalf("%d rates, want %d", len(got.Rates), tc.wantRates)
			}
			last := got.Rates[len(got.Rates)-1]
			if tc.wantRates == 1 {
				last = got.Rates[0]
			}
			if last.Unit != tc.wantUnit || !last.Tiers[0].Price.Equal(dec(tc.wantPrice)) {
				t.Errorf("rate %+v, want unit %s, price %s", last, tc.wantUnit, tc.wantPrice)
			}
			if len(s3.Rates[0].Tiers) != 3 {
				t.Error("the table given was changed")
			}
		})
	}
}

// TestPriceTablesNamed: a month needs the tables its customers name in
// it, by the terms of that month, and no others: not an unused preset,
// not a table named only from a later month, not a name that is no table.
func TestPriceTablesNamed(t *testing.T) {
	tables := map[string]PriceTable{"s3": {Name: "s3"}, "dto": {Name: "dto"}, "preset": {Name: "preset"}}
	acme := customer.Customer{ID: "ACME", PriceTable: "s3"}
	beta := customer.Customer{ID: "BETA", PriceTable: "missing"}
	// GAMMA names dto from 2026-10 on, nothing before.
	gamma := customer.Customer{ID: "GAMMA"}
	before := gamma
	gamma.PriceTable = "dto"
	gamma.RecordTerms("2026-10", before)
	for period, want := range map[string]string{"2026-09": "[s3]", "2026-10": "[dto s3]"} {
		got := PriceTablesNamed(tables, []customer.Customer{acme, beta, gamma, {ID: "DELTA"}}, period)
		names := []string{}
		for name, tb := range got {
			if tb.Name != name {
				t.Errorf("%s: table %q under %q", period, tb.Name, name)
			}
			names = append(names, name)
		}
		slices.Sort(names)
		if fmt.Sprint(names) != want {
			t.Errorf("%s: tables %v, want %s", period, names, want)
		}
	}
}
