package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	bolt "go.etcd.io/bbolt"

	"rebill/engine/aggregate"
	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/ingest"
	"rebill/engine/lineitem"
	"rebill/engine/sample"
)

// identityOptions are the statement options whose effect reaches the sums
// read: every cost basis, tax passed through or replaced, marketplace in
// or out, credits, rounding, the partner credit, the support base and the
// provider discount modes.
var identityOptions = []billing.Options{
	{},
	{Credits: true, Tax: true, Marketplace: true, MarketplaceCredits: true},
	{Basis: customer.BasisUnblended, Marketplace: true},
	{Basis: customer.BasisPublic, Tax: true},
	{Basis: customer.BasisBlended},
	{Tax: true, ProviderTax: billing.PassThroughTax, Marketplace: true},
	{Rounding: billing.HalfEven, PassPartnerCredit: true, SupportBase: billing.NetBase},
	{ProviderDiscounts: customer.DiscountsSeparate},
	{ProviderDiscounts: customer.DiscountsMargin, Credits: true},
}

// sameFromGroupsAndRows reads the month both ways in one transaction and
// compares, as JSON, the month's account and currency totals and every
// customer's statement of every provider under every identityOptions: the
// groups must give what the rows give, to the last decimal.
func sameFromGroupsAndRows(t *testing.T, db *DB, period string) {
	t.Helper()
	var rows, groups *BillingMonth
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		if rows, err = readBillingMonth(tx, monthRead{period: period, src: fromRows}); err != nil {
			return err
		}
		groups, err = readBillingMonth(tx, monthRead{period: period})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	same := func(what string, a, b any) {
		t.Helper()
		ja, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		jb, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(ja, jb) {
			t.Errorf("%s differs:\nrows   %s\ngroups %s", what, ja, jb)
		}
	}
	if rows.Month.Items() != groups.Month.Items() {
		t.Errorf("items: rows %d, groups %d", rows.Month.Items(), groups.Month.Items())
	}
	same("accounts", rows.Month.Accounts(), groups.Month.Accounts())
	same("totals", rows.Month.Totals(), groups.Month.Totals())
	// readAlone is the month read for one customer (BillingMonthFor).
	readAlone := func(id string) *BillingMonth {
		t.Helper()
		bm, err := db.BillingMonthFor(period, customer.Selection{Customers: []string{id}})
		if err != nil {
			t.Fatal(err)
		}
		return bm
	}
	n := 0
	for _, c := range rows.Customers() {
		for _, p := range rows.Providers(c.ID) {
			for i, opt := range identityOptions {
				opt.Provider = p
				a, errA := rows.Statement(c.ID, opt)
				b, errB := groups.Statement(c.ID, opt)
				if errA != nil {
					t.Errorf("%s %s options %d: %v", c.ID, p, i, errA) // every statement compared is computed
				}
				if fmt.Sprint(errA) != fmt.Sprint(errB) {
					t.Errorf("%s %s options %d: rows %v, groups %v", c.ID, p, i, errA, errB)
					continue
				}
				same(fmt.Sprintf("%s %s options %d", c.ID, p, i), a, b)
				alone := readAlone(c.ID)
				o, errO := alone.Statement(c.ID, opt)
				if fmt.Sprint(errA) != fmt.Sprint(errO) {
					t.Errorf("%s %s options %d: rows %v, read for %s alone %v", c.ID, p, i, errA, c.ID, errO)
					continue
				}
				same(fmt.Sprintf("%s %s options %d, read for %s alone", c.ID, p, i, c.ID), a, o)
				n++
			}
		}
	}
	if n == 0 {
		t.Fatal("no statement compared")
	}
	t.Logf("%s: %d statements of %d customers, %d line items, compared", period, n, len(rows.Customers()), rows.Month.Items())
}

// tightTable is a price table whose tiers a small month crosses, so that
// the order of usage (by usage start) decides which usage takes which
// tier.
func tightTable() billing.PriceTable {
	d := dec
	return billing.PriceTable{Name: "tight", Currency: "USD", Rates: []billing.TieredRate{
		{UsageType: "*DataTransfer-Out-Bytes", Unit: "GB", Tiers: []billing.PriceTier{
			{From: d("0"), To: d("0.5"), Price: d("0.09")}, {From: d("0.5"), To: d("2"), Price: d("0.085")}, {From: d("2"), Price: d("0.07")}}},
		{ProductCode: "AmazonS3", UsageType: "*TimedStorage-ByteHrs", Unit: "GB-Mo", Tiers: []billing.PriceTier{
			{From: d("0"), To: d("1"), Price: d("0.023")}, {From: d("1"), Price: d("0.021")}}},
	}}
}

// varyCustomers gives the customers of a month every setting the sums
// are read by: price tables, pricing rules by entity, product and usage
// type, every cost basis; and moves two accounts to another customer in
// the middle of the month, one of them a reservation's owner.
func varyCustomers(t *testing.T, db *DB, period string, moved ...string) {
	t.Helper()
	if err := db.SetPriceTable(tightTable(), t0); err != nil {
		t.Fatal(err)
	}
	cs, err := db.Customers()
	if err != nil {
		t.Fatal(err)
	}
	bases := customer.CostBases
	for i, c := range cs {
		_, err := db.UpdateCustomer(c.ID, func(c *customer.Customer) error {
			c.Basis = bases[i%len(bases)]
			switch i % 3 {
			case 0:
				c.PriceTable = "tight"
				c.Basis = customer.BasisRerated
			case 1:
				c.Adjustment = dec("-2")
				c.PricingRules = []customer.PricingRule{
					{Provider: "aws", Percent: dec("5")},
					{ProductCode: "AmazonEC2", Percent: dec("-3.5")},
					{BillingEntity: "AWS Marketplace", Percent: dec("2")},
					{ProductCode: "AmazonS3", UsageType: "TimedStorage-ByteHrs", Percent: dec("7.25")},
				}
			}
			return nil
		}, t0)
		if err != nil {
			t.Fatal(err)
		}
	}
	for i, a := range moved {
		to := cs[(i+1)%len(cs)].ID
		if err := db.Map(customer.Mapping{Account: a, Customer: to, From: period + fmt.Sprintf("-%02d", 11+i*6)}, t0); err != nil {
			t.Fatal(err)
		}
	}
}

// TestGroupsGiveTheRowsStatements is the identity of the two paths on the
// sample month, its customers as the sample sets them up, then varied.
func TestGroupsGiveTheRowsStatements(t *testing.T) {
	db := sampleDB(t)
	t.Run("sample setup", func(t *testing.T) { sameFromGroupsAndRows(t, db, "2026-09") })
	varyCustomers(t, db, "2026-09", "012345678901", "305417826390")
	t.Run("varied", func(t *testing.T) { sameFromGroupsAndRows(t, db, "2026-09") })
}

// generatedMonth imports a generated month of rows line items and maps
// its accounts round-robin to n customers, as the benchmarks do.
func generatedMonth(t testing.TB, db *DB, rows, n int) []string {
	t.Helper()
	path := sampleFile(t, sample.Options{Rows: rows, Seed: 3, Month: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), Final: true})
	if _, err := importPath(t, db, path); err != nil {
		t.Fatal(err)
	}
	return mapRoundRobin(t, db, "2026-09", n)
}

// mapRoundRobin adds n customers and maps the month's accounts to them in
// turn; it returns their ids.
func mapRoundRobin(t testing.TB, db *DB, period string, n int) []string {
	t.Helper()
	costs, err := db.AccountCosts(period)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := 0; i < n; i++ {
		c := customer.Defaults{Currency: "USD", TermsDays: 30}.New()
		c.ID, c.Name = fmt.Sprintf("C%02d", i), fmt.Sprintf("Customer %d", i)
		c.Support = customer.SupportBusiness
		if err := db.AddCustomer(c, t0); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	for i, a := range costs {
		if err := db.Map(customer.Mapping{Account: a.Account, Customer: ids[i%n], From: period}, t0); err != nil {
			t.Fatal(err)
		}
	}
	return ids
}

// TestGroupsGiveTheRowsStatementsGenerated compares the paths on
// generated months: 50,000 rows always, 1,000,000 rows unless -short.
func TestGroupsGiveTheRowsStatementsGenerated(t *testing.T) {
	for _, rows := range []int{50_000, 1_000_000} {
		t.Run(fmt.Sprint(rows), func(t *testing.T) {
			if rows > 100_000 && testing.Short() {
				t.Skip("a 1,000,000-row month takes a minute: run without -short")
			}
			db := openTest(t)
			generatedMonth(t, db, rows, 50)
			costs, err := db.AccountCosts("2026-09")
			if err != nil {
				t.Fatal(err)
			}
			varyCustomers(t, db, "2026-09", costs[0].Account, costs[len(costs)-1].Account)
			sameFromGroupsAndRows(t, db, "2026-09")
		})
	}
}

// TestGroupsGiveTheRowsStatementsReal compares the paths on the public
// AWS workshop CURs (skipped when ../shared/data/real is absent).
func TestGroupsGiveTheRowsStatementsReal(t *testing.T) {
	cases := []struct{ file, period string }{
		{"aws-wa-labs/Oct2018-WorkshopCUR-00001.snappy.parquet", "2018-10"},
		{"aws-wa-labs/Nov2018-WorkshopCUR-00001.snappy.parquet", "2018-11"},
		{"aws-wa-labs/BeforeCUR.gz", "2019-11"},
	}
	for _, tc := range cases {
		t.Run(tc.period, func(t *testing.T) {
			path := realFile(t, tc.file)
			db := openTest(t)
			if _, err := importPath(t, db, path); err != nil {
				t.Fatal(err)
			}
			mapRoundRobin(t, db, tc.period, 2)
			t.Run("two customers", func(t *testing.T) { sameFromGroupsAndRows(t, db, tc.period) })
			varyCustomers(t, db, tc.period, "011254002932")
			t.Run("varied", func(t *testing.T) { sameFromGroupsAndRows(t, db, tc.period) })
		})
	}
}

// TestCustomerItemsThroughAccountIndex: the rows one customer's detail
// exports read through the account index are exactly its rows: as many,
// costing as much, as the month's account totals give the customer
// (computed from the groups), for every customer, a moved account's
// customers included, and none of another customer's.
func TestCustomerItemsThroughAccountIndex(t *testing.T) {
	db := openTest(t)
	ids := generatedMonth(t, db, 20_000, 5)
	costs, err := db.AccountCosts("2026-09")
	if err != nil {
		t.Fatal(err)
	}
	moved := costs[1].Account
	if err := db.Map(customer.Mapping{Account: moved, Customer: ids[4], From: "2026-09-16"}, t0); err != nil {
		t.Fatal(err)
	}
	bm, err := db.BillingMonth("2026-09")
	if err != nil {
		t.Fatal(err)
	}
	type total struct {
		items int64
		cost  decimal.Decimal
	}
	want := map[string]total{}
	for _, a := range bm.Month.Accounts() {
		w := want[a.Customer]
		w.items += a.Items
		w.cost = w.cost.Add(a.Unblended)
		want[a.Customer] = w
	}
	for _, id := range ids {
		t.Run(id, func(t *testing.T) {
			var n int64
			sum := dec("0")
			err := db.ScanCustomerItems(id, "2026-09", func(it *lineitem.Item) error {
				n++
				sum = sum.Add(it.UnblendedCost)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			w := want[id]
			if n != w.items || !sum.Equal(w.cost) {
				t.Errorf("read %d rows costing %s, the month gives %s %d rows costing %s", n, sum, id, w.items, w.cost)
			}
		})
	}
}

// TestAccountBlocks: the index lists each account's blocks once, in
// order, and reading it for several accounts merges their blocks.
func TestAccountBlocks(t *testing.T) {
	a := accountBlocks{}
	for _, n := range []struct {
		account string
		block   uint32
	}{{"A", 0}, {"A", 0}, {"B", 0}, {"A", 2}, {"B", 3}, {"A", 300}, {"C", 7}} {
		a.note(n.account, n.block)
	}
	db := openTest(t)
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		sb, err := tx.CreateBucket([]byte("test-slice"))
		if err != nil {
			return err
		}
		if err := putAccountBlocks(sb, a); err != nil {
			return err
		}
		cases := []struct {
			name     string
			accounts []string
			want     []uint32
		}{
			{"one account", []string{"A"}, []uint32{0, 2, 300}},
			{"two accounts merged", []string{"B", "A"}, []uint32{0, 2, 3, 300}},
			{"unknown account", []string{"Z"}, nil},
			{"none", nil, nil},
		}
		for _, tc := range cases {
			got, ok, err := accountBlocksOf(sb, tc.accounts)
			if err != nil || !ok || fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("%s: %v %v %v, want %v", tc.name, got, ok, err, tc.want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestGroupsFollowTheDeliveries: replacing a delivery, restoring the old
// one and pruning it, the statements always come from the current
// delivery's groups, equal to its rows', its total the one its import
// recorded.
func TestGroupsFollowTheDeliveries(t *testing.T) {
	db := openTest(t)
	first := sampleFile(t, sample.Options{Seed: 1, Rows: 3000})
	second := sampleFile(t, sample.Options{Seed: 2, Rows: 4000})
	current := func(t *testing.T, want uint64) {
		t.Helper()
		bm, err := db.BillingMonth("2026-09")
		if err != nil {
			t.Fatal(err)
		}
		if len(bm.Deliveries) != 1 || bm.Deliveries[0].ID != want {
			t.Fatalf("current deliveries %v, want %d", bm.DeliveryIDs(), want)
		}
		d := bm.Deliveries[0]
		var rows int64
		for _, tot := range bm.Month.Totals() {
			rows += tot.Items
			if !tot.Unblended.Equal(d.UnblendedCost) {
				t.Errorf("the groups total %s, delivery %d's import recorded %s", tot.Unblended, d.ID, d.UnblendedCost)
			}
		}
		if rows != d.Rows {
			t.Errorf("the groups count %d rows, delivery %d has %d", rows, d.ID, d.Rows)
		}
		sameFromGroupsAndRows(t, db, "2026-09")
	}
	steps := []struct {
		name    string
		do      func() error
		current uint64
	}{
		{"first import", func() error {
			_, err := importPaths(t, db, false, first)
			mapRoundRobin(t, db, "2026-09", 3)
			return err
		}, 1},
		{"replaced", func() error { _, err := importPaths(t, db, true, second); return err }, 2},
		{"first restored", func() error { _, err := db.RestoreDelivery(1, "tester", t1); return err }, 1},
		{"second pruned", func() error { _, err := db.PruneDeliveries("tester", t1); return err }, 1},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if err := st.do(); err != nil {
				t.Fatal(err)
			}
			current(t, st.current)
		})
	}
}

// openCopy opens a copy of a database of testdata, as an upgrade opens
// a user's.
func openCopy(t *testing.T, name string) *DB {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name, name+".db"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "rebill.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// checkUpgradedGroups checks that every slice of an upgraded database has
// its day and month groups, in the layout with lengths, and its account
// index, and that its statements read from them, for the whole month and
// for each customer alone, equal those read from its rows.
func checkUpgradedGroups(t *testing.T, db *DB) {
	t.Helper()
	n := 0
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSlices).ForEach(func(k, _ []byte) error {
			sb := tx.Bucket(bucketSlices).Bucket(k)
			if sb.Bucket(bucketGroups) == nil || sb.Bucket(bucketMonthGroups) == nil || sb.Bucket(bucketAccountBlocks) == nil {
				t.Errorf("slice %x has no day or month groups or no account index after the upgrade", k)
			}
			if sb.Bucket(bucketLegacyGroups) != nil {
				t.Errorf("slice %x kept its groups without lengths", k)
			}
			n++
			return nil
		})
	})
	if err != nil || n == 0 {
		t.Fatalf("%d slices, %v", n, err)
	}
	sameFromGroupsAndRows(t, db, "2026-09")
	if rep, err := db.Check(); err != nil || len(rep.Findings) != 0 {
		t.Errorf("check after the upgrade: %+v %v", rep.Findings, err)
	}
}

// TestGroupsMigration: a database written before the groups (the schema
// 9 release's) gets every slice's groups and account index on opening,
// and its statements read from them equal those read from its rows.
func TestGroupsMigration(t *testing.T) {
	checkUpgradedGroups(t, openCopy(t, "schema9"))
}

// TestSizedGroupsMigration: a database whose groups were stored without
// their lengths (the schema 16 release's) has them rewritten on opening;
// a month read for one customer then decodes its accounts' groups only,
// and gives the figures that release gave (testdata/schema16/README.md).
func TestSizedGroupsMigration(t *testing.T) {
	db := openCopy(t, "schema16")
	checkUpgradedGroups(t, db)

	// BETA owns 222222222221, and 222222222222 until the 15th.
	var accounts []string
	err := db.bolt.View(func(tx *bolt.Tx) error {
		ps, err := currentDeliveries(tx, "2026-09")
		if err != nil || len(ps) != 1 || len(ps[0].Parts) != 1 {
			return fmt.Errorf("deliveries %v: %v", ps, err)
		}
		beta := func(a string) bool { return a == "222222222221" || a == "222222222222" }
		return scanGroups(tx, slicePart{rec: ps[0].deliveryRecord, part: ps[0].Parts[0]}, groupRead{accounts: beta}, func(g *aggregate.Group) error {
			accounts = append(accounts, g.Account)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	// 222222222221's two usage days and products, 222222222222's two days.
	if want := []string{"222222222221", "222222222221", "222222222222", "222222222222"}; !slices.Equal(accounts, want) {
		t.Errorf("the groups read for BETA's accounts are of %v, want %v", accounts, want)
	}
	bm, err := db.BillingMonthFor("2026-09", customer.Selection{Customers: []string{"BETA"}})
	if err != nil {
		t.Fatal(err)
	}
	if bm.Month.Items() != 4 {
		t.Errorf("the month read for BETA summed %d line items, want its 4", bm.Month.Items())
	}
	st, err := bm.Statement("BETA", billing.Options{Basis: customer.BasisUnblended})
	if err != nil {
		t.Fatal(err)
	}
	// 2.304 + 0.4992 = 2.8032 of compute, 0.23 of storage.
	if st.Total.String() != "3.03" || !slices.Equal(st.Accounts, []string{"222222222221", "222222222222"}) {
		t.Errorf("BETA's statement: total %s, accounts %v; want 3.03 of 222222222221 and 222222222222", st.Total, st.Accounts)
	}
	if _, err := bm.Statement("ACME", billing.Options{}); err == nil {
		t.Error("ACME's statement from the month read for BETA: no error")
	}
}

// TestGroupsInRunsGiveTheRowsStatements: an import holding few groups at
// a time writes them in runs, a key's day split over several groups; the
// statements from them are the rows' all the same, and the database
// checks clean. The sample month, a generated month and a WA-labs month.
func TestGroupsInRunsGiveTheRowsStatements(t *testing.T) {
	defer func(n int) { maxHeldGroups = n }(maxHeldGroups)
	maxHeldGroups = 64
	cases := []struct {
		name, period string
		load         func(t *testing.T, db *DB)
	}{
		{"sample", "2026-09", func(t *testing.T, db *DB) {
			if err := db.ApplySetup(sample.CustomerSetup("2026-09"), setUp); err != nil {
				t.Fatal(err)
			}
			if _, err := importPath(t, db, sampleFile(t, sample.Options{Seed: 1, Final: true})); err != nil {
				t.Fatal(err)
			}
			varyCustomers(t, db, "2026-09", "012345678901", "305417826390")
		}},
		{"generated", "2026-09", func(t *testing.T, db *DB) {
			generatedMonth(t, db, 50_000, 20)
			costs, err := db.AccountCosts("2026-09")
			if err != nil {
				t.Fatal(err)
			}
			varyCustomers(t, db, "2026-09", costs[0].Account, costs[len(costs)-1].Account)
		}},
		{"WA-labs", "2018-10", func(t *testing.T, db *DB) {
			if _, err := importPath(t, db, realFile(t, "aws-wa-labs/Oct2018-WorkshopCUR-00001.snappy.parquet")); err != nil {
				t.Fatal(err)
			}
			mapRoundRobin(t, db, "2018-10", 2)
			varyCustomers(t, db, "2018-10", "011254002932")
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := openTest(t)
			tc.load(t, db)
			groups, keys := storedDayGroups(t, db, tc.period)
			if groups <= keys {
				t.Fatalf("%d day groups stored for %d keys and days: no key's day was split over runs", groups, keys)
			}
			sameFromGroupsAndRows(t, db, tc.period)
			if rep, err := db.Check(); err != nil || len(rep.Findings) != 0 {
				t.Errorf("check: %v %+v", err, rep.Findings)
			}
		})
	}
}

// storedDayGroups counts a month's stored day groups, and the distinct
// keys (with their days) among them.
func storedDayGroups(t *testing.T, db *DB, period string) (groups, keys int) {
	distinct := map[aggregate.Key]bool{}
	eachStoredGroup(t, db, period, func(g *aggregate.Group) {
		groups++
		distinct[g.Key] = true
	})
	return groups, len(distinct)
}

// eachStoredGroup calls fn with each of a month's stored day groups,
// their usage slots decoded, inside the read.
func eachStoredGroup(tb testing.TB, db *DB, period string, fn func(*aggregate.Group)) {
	tb.Helper()
	every := func(*aggregate.Key) bool { return true }
	err := db.bolt.View(func(tx *bolt.Tx) error {
		ps, err := currentDeliveries(tx, period)
		if err != nil {
			return err
		}
		for _, p := range ps {
			for _, part := range p.Parts {
				err := scanGroups(tx, slicePart{rec: p.deliveryRecord, part: part}, groupRead{slots: every}, func(g *aggregate.Group) error {
					fn(g)
					return nil
				})
				if err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// TestImportHoldsBoundedGroups: an import whose rows interleave two
// payers and two months holds at most maxHeldGroups groups over all its
// slices, not that many per slice, and what it wrote gives each month's
// statements from the rows.
func TestImportHoldsBoundedGroups(t *testing.T) {
	defer func(n int) { maxHeldGroups = n }(maxHeldGroups)
	maxHeldGroups = 64
	var items []lineitem.Item
	for i := range 2000 {
		period := []string{"2026-09", "2026-10"}[i%2]
		start, _ := time.Parse("2006-01", period)
		items = append(items, lineitem.Item{Provider: lineitem.AWS, PayerAccount: []string{"111111111111", "222222222222"}[i/2%2],
			BillingPeriod: period, UsageAccount: fmt.Sprintf("%012d", 300000000000+i/2%2*1000+i/4%50), Type: lineitem.Usage,
			ProductCode: "AmazonEC2", UsageType: "BoxUsage", Currency: "USD", UsageStart: start.Add(time.Duration(i%3*24+i%5) * time.Hour),
			UsageAmount: dec("1"), UnblendedCost: dec(fmt.Sprintf("0.%03d", i%1000+1))})
	}
	db := openTest(t)
	w, err := db.BeginImport(&ingest.Result{ImportedAt: provNow})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(0, items); err != nil {
		t.Fatal(err)
	}
	iw := w.(*importWriter)
	held := 0
	for _, s := range iw.order {
		held += s.groups.Len()
	}
	if len(iw.order) != 4 || held != iw.heldGroups || held >= maxHeldGroups {
		t.Errorf("%d slices hold %d groups (counted %d), want 4 holding fewer than %d", len(iw.order), held, iw.heldGroups, maxHeldGroups)
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	importItems(t, db, "interleaved.csv", items)
	mapRoundRobin(t, db, "2026-09", 3) // the same accounts in 2026-10
	for _, period := range []string{"2026-09", "2026-10"} {
		if groups, keys := storedDayGroups(t, db, period); groups <= keys {
			t.Errorf("%s: %d day groups stored for %d keys and days: no key's day was split over runs", period, groups, keys)
		}
		sameFromGroupsAndRows(t, db, period)
	}
}
