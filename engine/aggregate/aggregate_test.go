package aggregate

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/lineitem"
	"rebill/engine/money"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

const ri = "arn:aws:ec2:us-east-1:012345678901:reserved-instances/3f7c2a9e"

func TestKeyOf(t *testing.T) {
	at := func(s string) time.Time { return time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC).Add(mustDuration(t, s)) }
	cases := []struct {
		name      string
		it        lineitem.Item
		typ       string
		owner     string
		day       uint8
		usageDate string
	}{
		{"usage on the 15th, last hour", lineitem.Item{Provider: lineitem.AWS, Type: lineitem.Usage, UsageStart: at("359h")}, lineitem.Usage, "", 15, "2026-09-15"},
		{"no usage start: the 1st", lineitem.Item{Provider: lineitem.AWS, Type: lineitem.Usage}, lineitem.Usage, "", 1, "2026-09-01"},
		{"dated in the month before: the 1st", lineitem.Item{Provider: lineitem.AWS, Type: lineitem.Usage, UsageStart: at("-1h")}, lineitem.Usage, "", 1, "2026-09-01"},
		{"dated in the next month: the 1st", lineitem.Item{Provider: lineitem.AWS, Type: lineitem.Usage, UsageStart: at("720h")}, lineitem.Usage, "", 1, "2026-09-01"},
		{"AWS RI usage: the ARN's account", lineitem.Item{Provider: lineitem.AWS, Type: lineitem.DiscountedUsage, ReservationARN: ri, UsageStart: at("30h")}, lineitem.DiscountedUsage, "012345678901", 2, "2026-09-02"},
		{"AWS usage keeps no owner", lineitem.Item{Provider: lineitem.AWS, Type: lineitem.Usage, ReservationARN: ri}, lineitem.Usage, "", 1, "2026-09-01"},
		{"Azure covered usage is discounted usage of the buyer", lineitem.Item{Provider: lineitem.Azure, Type: lineitem.Usage, CommitmentDiscountID: "/ri/1", CommitmentOwner: "sub-1"}, lineitem.DiscountedUsage, "sub-1", 1, "2026-09-01"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			k := KeyOf(&tc.it, "2026-09")
			if k.Type != tc.typ || k.Owner != tc.owner || k.Day != tc.day {
				t.Errorf("type %q owner %q day %d, want %q %q %d", k.Type, k.Owner, k.Day, tc.typ, tc.owner, tc.day)
			}
			g := Group{Key: k}
			if got := g.Date("2026-09"); got != tc.usageDate || got != UsageDay(&tc.it, "2026-09") {
				t.Errorf("date %s, UsageDay %s, want %s", got, UsageDay(&tc.it, "2026-09"), tc.usageDate)
			}
		})
	}
}

func mustDuration(t *testing.T, s string) time.Duration {
	t.Helper()
	v, err := time.ParseDuration(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestSetAdd sums three items into two groups; the expected sums are
// worked out by hand in the comments.
func TestSetAdd(t *testing.T) {
	h := func(n int) time.Time { return time.Date(2026, 9, 3, n, 0, 0, 0, time.UTC) }
	ec2 := lineitem.Item{Provider: lineitem.AWS, BillingPeriod: "2026-09", UsageAccount: "111111111111", Type: lineitem.Usage,
		BillingEntity: "AWS", ProductCode: "AmazonEC2", ProductName: "Amazon Elastic Compute Cloud", UsageType: "BoxUsage:m5.large", Currency: "USD"}
	a, b, c := ec2, ec2, ec2
	a.UsageStart, a.UsageAmount, a.UnblendedCost, a.BlendedCost, a.PublicOnDemandCost = h(1), d("1"), d("0.004"), d("0.0049"), d("0.096")
	b.UsageStart, b.UsageAmount, b.UnblendedCost, b.BlendedCost = h(2), d("2"), d("0.006"), d("0.0051") // no list price: its list is its unblended
	c.UsageAccount, c.UsageStart, c.UsageAmount, c.UnblendedCost = "222222222222", h(1), d("3"), d("-0.125")
	s := NewSet("2026-09")
	for _, it := range []lineitem.Item{a, b, c} {
		s.Add(&it)
	}
	if s.Len() != 2 || s.Groups()[0].Account != "111111111111" || s.Groups()[1].Account != "222222222222" {
		t.Fatalf("groups %+v", s.Groups())
	}
	cases := []struct {
		name  string
		g     *Group
		count int64
		sums  map[Sum]string
		slots map[int]string // hour of the 3rd: usage
	}{
		{"two items of one key", s.Groups()[0], 2, map[Sum]string{
			Usage: "3", Unblended: "0.010", Blended: "0.0100", Public: "0.096",
			List:           "0.102", // 0.096 + 0.006
			UnblendedCents: "0.01",  // 0.00 + 0.01
			BlendedCents:   "0.01",  // 0.00 + 0.01
			ListCents:      "0.11",  // 0.10 + 0.01
			Partner:        "0",
		}, map[int]string{1: "1", 2: "2"}},
		{"a negative item rounds away from zero", s.Groups()[1], 1, map[Sum]string{
			Usage: "3", Unblended: "-0.125", List: "-0.125", UnblendedCents: "-0.13", ListCents: "-0.13", Blended: "0",
		}, map[int]string{1: "3"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.g.Count != tc.count {
				t.Errorf("count %d, want %d", tc.g.Count, tc.count)
			}
			for sum, want := range tc.sums {
				if got := tc.g.Total(sum); !got.Equal(d(want)) {
					t.Errorf("sum %d = %s, want %s", sum, got, want)
				}
			}
			if len(tc.g.Slots) != len(tc.slots) {
				t.Errorf("%d slots, want %d", len(tc.g.Slots), len(tc.slots))
			}
			for hour, want := range tc.slots {
				i := slices.IndexFunc(tc.g.Slots, func(s Slot) bool { return s.Start == h(hour).Unix() })
				if i < 0 || !tc.g.Slots[i].Usage.Total().Equal(d(want)) {
					t.Errorf("slot %02d:00 (%d of %v), want %s", hour, i, tc.g.Slots, want)
				}
			}
		})
	}
}

// TestOnlyUsageKeepsSlots: a price table prices Usage lines alone, so
// other lines keep no usage by usage start.
func TestOnlyUsageKeepsSlots(t *testing.T) {
	s := NewSet("2026-09")
	for _, typ := range []string{lineitem.Usage, lineitem.DiscountedUsage, lineitem.Tax} {
		s.Add(&lineitem.Item{Provider: lineitem.AWS, Type: typ, ReservationARN: ri, UsageAmount: d("1")})
	}
	for _, g := range s.Groups() {
		if (g.Slots != nil) != (g.Type == lineitem.Usage) {
			t.Errorf("%s: slots %v", g.Type, g.Slots)
		}
	}
}

func TestAddCents(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"half a cent up", "0.005", "0.01"},
		{"half a cent down, away from zero", "-0.005", "-0.01"},
		{"just under half a cent", "0.0049999999", "0"},
		{"whole cents", "12.34", "12.34"},
		{"scientific notation", "1.5E-2", "0.02"},
		{"28 decimals (Azure)", "0.1234567890123456789012345678", "0.12"},
		{"a big integer", "123456789012345678901234", "123456789012345678901234"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var s money.Sum
			AddCents(&s, d(tc.in))
			if !s.Total().Equal(d(tc.want)) {
				t.Errorf("AddCents(%s) = %s, want %s", tc.in, s.Total(), tc.want)
			}
		})
	}
}

// TestAdd2 sums amounts exactly and, each rounded half away from zero
// to the cent, in cents, whether their coefficients fit an int64 or not
// (by hand: 0.005 + 0.1234567890123456789012345678 - 1.004 =
// -0.8755432109876543210987654322; 0.01 + 0.12 - 1.00 = -0.87).
func TestAdd2(t *testing.T) {
	var exact, cents money.Sum
	for _, in := range []string{"0.005", "0", "0.1234567890123456789012345678", "-1.004"} {
		add2(&exact, &cents, d(in))
	}
	if want := d("-0.8755432109876543210987654322"); !exact.Total().Equal(want) {
		t.Errorf("exact sum %s, want %s", exact.Total(), want)
	}
	if want := d("-0.87"); !cents.Total().Equal(want) {
		t.Errorf("sum of cents %s, want %s", cents.Total(), want)
	}
}

// TestMonthlyAndMerger: a month's groups sum each key's days, in the
// order of each key's first day, without usage by the hour; a merger
// puts held day groups back among them where their first items came.
func TestMonthlyAndMerger(t *testing.T) {
	s := NewSet("2026-09")
	at := func(day int) time.Time { return time.Date(2026, 9, day, 10, 0, 0, 0, time.UTC) }
	for _, it := range []lineitem.Item{
		{Provider: lineitem.AWS, UsageAccount: "A", ProductCode: "AmazonEC2", Type: lineitem.Usage, UsageStart: at(1), UnblendedCost: d("1.005"), UsageAmount: d("2")},
		{Provider: lineitem.AWS, UsageAccount: "B", ProductCode: "AmazonS3", Type: lineitem.Usage, UsageStart: at(1), UnblendedCost: d("0.5"), UsageAmount: d("1")},
		{Provider: lineitem.AWS, UsageAccount: "A", ProductCode: "AmazonEC2", Type: lineitem.Usage, UsageStart: at(2), UnblendedCost: d("2.004"), UsageAmount: d("3")},
		{Provider: lineitem.AWS, UsageAccount: "B", ProductCode: "AmazonS3", Type: lineitem.Usage, UsageStart: at(3), UnblendedCost: d("0.25"), UsageAmount: d("1")},
	} {
		s.Add(&it)
	}
	days := s.Groups() // A 1st (0), B 1st (1), A 2nd (2), B 3rd (3)
	if len(days) != 4 {
		t.Fatalf("%d day groups, want 4", len(days))
	}
	month := Monthly(days)
	if len(month) != 2 {
		t.Fatalf("%d month groups, want A's and B's", len(month))
	}
	for i, want := range []struct {
		account   string
		ordinal   int64
		count     int64
		unblended string
		cents     string
	}{{"A", 0, 2, "3.009", "3.01"}, {"B", 1, 2, "0.75", "0.75"}} {
		g := month[i]
		// A's cents: 1.005 -> 1.01 and 2.004 -> 2.00, each item rounded.
		if g.Account != want.account || g.Day != 0 || g.Ordinal != want.ordinal || g.Count != want.count ||
			g.Total(Unblended).String() != want.unblended || g.Total(UnblendedCents).String() != want.cents || g.Slots != nil {
			t.Errorf("month group %d: %s day %d ordinal %d count %d unblended %s cents %s slots %v; want %+v",
				i, g.Account, g.Day, g.Ordinal, g.Count, g.Total(Unblended), g.Total(UnblendedCents), g.Slots, want)
		}
	}
	// A read by day, B by month: A's 1st, B's month, A's 2nd.
	var got []string
	mg := NewMerger([]*Group{days[0], days[2]}, func(g *Group) error {
		got = append(got, g.Account+string(rune('0'+g.Day)))
		return nil
	})
	if err := mg.Add(month[1]); err != nil {
		t.Fatal(err)
	}
	if err := mg.Close(); err != nil {
		t.Fatal(err)
	}
	if want := "[A1 B0 A2]"; fmt.Sprint(got) != want {
		t.Errorf("merged %v, want %s", got, want)
	}
	c := days[0].Clone()
	c.Slots[0].Usage.Add(d("5"))
	if days[0].Slots[0].Start != at(1).Unix() || days[0].Slots[0].Usage.Total().String() != "2" {
		t.Error("a clone's slots are the original's")
	}
}

// TestTakeOldest: a set that gave its oldest groups up sums a later item
// of their key into a new group, with a later Ordinal, held after the
// others; the month's sums of every group given up and held are those
// of the items.
func TestTakeOldest(t *testing.T) {
	s := NewSet("2026-09")
	at := time.Date(2026, 9, 1, 10, 0, 0, 0, time.UTC)
	item := func(account, cost string) *lineitem.Item {
		return &lineitem.Item{Provider: lineitem.AWS, UsageAccount: account, ProductCode: "AmazonEC2", Type: lineitem.Usage,
			UsageStart: at, UnblendedCost: d(cost), UsageAmount: d("1")}
	}
	s.Add(item("A", "1.25"))
	s.Add(item("B", "0.5"))
	s.Add(item("A", "0.75"))
	taken := s.TakeOldest(1)
	if len(taken) != 1 || taken[0].Account != "A" || taken[0].Ordinal != 0 || taken[0].Count != 2 || taken[0].Total(Unblended).String() != "2" {
		t.Fatalf("taken %+v, want A's group of 2 items costing 2 (1.25 + 0.75)", taken)
	}
	s.Add(item("A", "3")) // A's key again, in a new group
	s.Add(item("B", "1")) // B's group, still held
	held := s.Groups()
	if len(held) != 2 || held[0].Account != "B" || held[0].Ordinal != 1 || held[0].Count != 2 ||
		held[1].Account != "A" || held[1].Ordinal != 2 || held[1].Total(Unblended).String() != "3" {
		t.Fatalf("held B (ordinal 1, 2 items) then A (ordinal 2, costing 3); got %+v %+v", held[0], held[1])
	}
	if n := len(s.TakeOldest(5)); n != 2 || s.Len() != 0 {
		t.Fatalf("took %d, %d held; want 2 and 0", n, s.Len())
	}
	month := Monthly(append(taken, held...))
	// A: 2 + 3 = 5 over 3 items, first at ordinal 0; B: 0.5 + 1 = 1.5.
	if len(month) != 2 || month[0].Account != "A" || month[0].Ordinal != 0 || month[0].Count != 3 || month[0].Total(Unblended).String() != "5" ||
		month[1].Account != "B" || month[1].Total(Unblended).String() != "1.5" || month[1].Total(Usage).String() != "2" {
		t.Errorf("month groups %+v", month)
	}
}
