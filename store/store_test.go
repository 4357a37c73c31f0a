package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	bolt "go.etcd.io/bbolt"

	"rebill/engine/ingest"
	"rebill/engine/lineitem"
	"rebill/engine/money"
)

// openTest opens a fresh database in a temporary folder.
func openTest(t testing.TB) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "rebill.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

const header = "bill/PayerAccountId,bill/BillingPeriodStartDate,bill/InvoiceId,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/ProductCode,lineItem/CurrencyCode,lineItem/UnblendedCost,resourceTags/user:Team\n"

// csvFile writes a legacy CUR CSV of n rows for a payer and month; the
// cost of row i is i/10000. badLast makes the last cost unreadable.
func csvFile(t testing.TB, payer, month string, n int, badLast bool) (string, decimal.Decimal) {
	t.Helper()
	var b strings.Builder
	b.WriteString(header)
	var sum money.Sum
	for i := 1; i <= n; i++ {
		cost := decimal.New(int64(i), -4)
		text := cost.String()
		if badLast && i == n {
			text = "n/a"
		}
		sum.Add(cost)
		fmt.Fprintf(&b, "%s,%s-01T00:00:00Z,,0%011d,Usage,%s-01T%02d:00:00Z,AmazonEC2,USD,%s,team%d\n", payer, month, i%7, month, i%24, text, i%3)
	}
	p := filepath.Join(t.TempDir(), fmt.Sprintf("%s-%s-%d.csv", payer, month, n))
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p, sum.Total()
}

func importPath(t testing.TB, db *DB, path string) (ingest.Result, error) {
	return ingest.File(context.Background(), path, db, ingest.Options{Now: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)})
}

// dump lists every key and value of every bucket, nested ones included,
// to compare a database before and after.
func dump(t testing.TB, db *DB) string {
	var b strings.Builder
	var walk func(prefix string, bk *bolt.Bucket)
	walk = func(prefix string, bk *bolt.Bucket) {
		bk.ForEach(func(k, v []byte) error {
			if v == nil {
				walk(prefix+string(k)+"/", bk.Bucket(k))
				return nil
			}
			fmt.Fprintf(&b, "%s%x=%x\n", prefix, k, v)
			return nil
		})
	}
	if err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, bk *bolt.Bucket) error {
			fmt.Fprintf(&b, "[%s]\n", name)
			walk(string(name)+"/", bk)
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestImportStoresEveryRowExactly(t *testing.T) {
	db := openTest(t)
	path, want := csvFile(t, "836060457634", "2018-10", 3*rowsPerBlock+17, false)
	res, err := importPath(t, db, path)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != ingest.Imported || !res.UnblendedCost().Equal(want) {
		t.Fatalf("status %s total %s want %s", res.Status, res.UnblendedCost(), want)
	}
	var sum money.Sum
	rows := 0
	err = db.ScanItems("2018-10", func(it *lineitem.Item) error {
		rows++
		sum.Add(it.UnblendedCost)
		if it.PayerAccount != "836060457634" || it.Currency != "USD" || len(it.UsageAccount) != 12 || it.UsageAccount[0] != '0' ||
			len(it.Tags) != 1 || it.Tags[0].Key != "Team" {
			return fmt.Errorf("row %d decoded as %+v", rows, it)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if rows != 3*rowsPerBlock+17 || !sum.Total().Equal(want) {
		t.Fatalf("scanned %d rows summing %s, want %s", rows, sum.Total(), want)
	}
	periods, _ := db.Periods()
	if len(periods) != 1 || periods[0].Rows != int64(rows) || !periods[0].UnblendedCost.Equal(want) || periods[0].ImportID != res.ImportID {
		t.Fatalf("periods %+v", periods)
	}
}

func TestFailedImportLeavesDatabaseAsItWas(t *testing.T) {
	db := openTest(t)
	first, _ := csvFile(t, "111111111111", "2024-01", 10, false)
	if _, err := importPath(t, db, first); err != nil {
		t.Fatal(err)
	}
	before := dump(t, db)
	// More rows than one staging transaction, so rows were committed to
	// staging before the error at the very last line.
	bad, _ := csvFile(t, "111111111111", "2024-01", rowsPerTx+rowsPerBlock+5, true)
	if _, err := importPath(t, db, bad); err == nil || !strings.Contains(err.Error(), "not a number") {
		t.Fatalf("import of a bad file: %v", err)
	}
	if after := dump(t, db); after != before {
		t.Fatalf("the database changed after a failed import:\nbefore:\n%s\nafter:\n%s", head(before), head(after))
	}
}

func TestKilledImportIsDiscardedOnOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rebill.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	before := dump(t, db)
	stageAndDie(t, db, "2024-02")
	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if after := dump(t, db); after != before {
		t.Fatalf("staged rows survived a reopen:\n%s", head(after))
	}
}

// stageAndDie starts an import of a month, writes more rows than one
// staging transaction holds and closes the database: the process dies
// between two staging transactions, with no Commit and no Abort.
func stageAndDie(t *testing.T, db *DB, month string) {
	t.Helper()
	w, err := db.BeginImport(&ingest.Result{File: "x.csv", Hash: "h"})
	if err != nil {
		t.Fatal(err)
	}
	items := make([]lineitem.Item, rowsPerTx+1)
	for i := range items {
		items[i] = lineitem.Item{Provider: lineitem.AWS, PayerAccount: "1", BillingPeriod: month, UsageAccount: "2", UnblendedCost: decimal.New(int64(i), -2)}
	}
	if err := w.Write(0, items); err != nil {
		t.Fatal(err)
	}
	// The staging transaction runs on a goroutine of its own: the process
	// dies once it has committed, before the next one.
	if err := w.(*importWriter).settle(); err != nil {
		t.Fatal(err)
	}
	db.Close()
}

func head(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "..."
	}
	return s
}

func TestNewerDeliveryReplacesTheMonth(t *testing.T) {
	db := openTest(t)
	early, _ := csvFile(t, "222222222222", "2024-03", 50, false)
	late, lateTotal := csvFile(t, "222222222222", "2024-03", 80, false)
	other, _ := csvFile(t, "333333333333", "2024-03", 5, false)
	r1, err := importPath(t, db, early)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := importPath(t, db, other); err != nil {
		t.Fatal(err)
	}
	r2, err := importPath(t, db, late)
	if err != nil {
		t.Fatal(err)
	}
	if r2.Status != ingest.Replaced || r2.Deliveries[0].Previous != r1.Deliveries[0].ID {
		t.Fatalf("second delivery: %s replaced %d, want %d", r2.Status, r2.Deliveries[0].Previous, r1.Deliveries[0].ID)
	}
	periods, _ := db.PeriodsOf("2024-03")
	if len(periods) != 2 {
		t.Fatalf("want two payers, got %+v", periods)
	}
	var sum money.Sum
	rows := 0
	db.ScanItems("2024-03", func(it *lineitem.Item) error {
		if it.PayerAccount == "222222222222" {
			rows++
			sum.Add(it.UnblendedCost)
		}
		return nil
	})
	if rows != 80 || !sum.Total().Equal(lateTotal) {
		t.Fatalf("after replacement %d rows, %s", rows, sum.Total())
	}
	history, _ := db.Imports()
	if len(history) != 3 {
		t.Fatalf("history keeps every delivery: %d", len(history))
	}
	again, err := importPath(t, db, early)
	if err != nil || again.Status != ingest.EarlierDelivery || !strings.Contains(again.Files[0].Note, fmt.Sprintf("rebill deliveries restore %d", r1.Deliveries[0].ID)) {
		t.Fatalf("re-import of the replaced delivery: %v %s %+v", err, again.Status, again.Files)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rebill.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	db.bolt.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchema, u32(99)) })
	db.Close()
	_, err = Open(path)
	if err == nil || !strings.Contains(err.Error(), "newer Rebill") || !strings.Contains(err.Error(), path) {
		t.Fatalf("opening a newer database: %v", err)
	}
}

func TestSecondInstanceFailsFast(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rebill.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = Open(path)
	if !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), path) {
		t.Fatalf("second open: %v", err)
	}
}

func TestCodecRoundTrip(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	head := sliceHeader{Provider: lineitem.AWS, Payer: "836060457634", Period: "2018-10", Currency: "USD"}
	enc := newEncoder(head)
	var want []lineitem.Item
	for i := 0; i < 3000; i++ {
		it := lineitem.Item{
			Provider: lineitem.AWS, PayerAccount: head.Payer, BillingPeriod: head.Period, Currency: "USD",
			UsageAccount: fmt.Sprintf("%012d", r.Intn(5)), Type: []string{"Usage", "DiscountedUsage", "Tax", "Weird New Type"}[r.Intn(4)],
			ProductCode: "AmazonEC2", Description: strings.Repeat("é", r.Intn(3)), ResourceID: fmt.Sprint("i-", r.Int()),
			UnblendedCost:      decimal.New(r.Int63n(1e12)-5e11, -int32(r.Intn(12))),
			PublicOnDemandCost: decimal.RequireFromString("0.0000000000000000000000000001"),
			UsageAmount:        decimal.RequireFromString("123456789012345678901234.5"),
		}
		if r.Intn(2) == 0 {
			it.UsageStart = time.Date(2018, 10, 1+r.Intn(31), r.Intn(24), 0, 0, r.Intn(1000)*1e6, time.UTC)
		}
		if r.Intn(3) == 0 {
			it.Tags = []lineitem.Tag{{Key: "a", Value: fmt.Sprint(r.Intn(9))}, {Key: "", Value: "empty key"}}
		}
		want = append(want, it)
	}
	var blocks [][]byte
	for i := range want {
		if enc.add(&want[i]) {
			blocks = append(blocks, enc.takeBlock())
		}
	}
	blocks = append(blocks, enc.takeBlock())
	dict, err := loadDict([][]byte{enc.takeDict()})
	if err != nil {
		t.Fatal(err)
	}
	d := decoder{head: head, base: head.timeBase(), dict: dict}
	var got lineitem.Item
	i := 0
	for _, b := range blocks {
		if err := d.block(b, &got, func(it *lineitem.Item) error {
			if !sameItem(it, &want[i]) {
				return fmt.Errorf("row %d: got %+v\nwant %+v", i, *it, want[i])
			}
			i++
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if i != len(want) {
		t.Fatalf("decoded %d of %d rows", i, len(want))
	}
	// Damaged bytes are reported, never a panic.
	for cut := 1; cut < 40; cut++ {
		d.block(blocks[0][:len(blocks[0])-cut], &got, func(*lineitem.Item) error { return nil })
	}
}

func sameItem(a, b *lineitem.Item) bool {
	if !a.UsageStart.Equal(b.UsageStart) || len(a.Tags) != len(b.Tags) {
		return false
	}
	for i := range a.Tags {
		if a.Tags[i] != b.Tags[i] {
			return false
		}
	}
	aa, ba := amounts(a), amounts(b)
	for i := range aa {
		if !aa[i].Equal(*ba[i]) {
			return false
		}
	}
	as, bs := stringFields(a), stringFields(b)
	for i := range as {
		if *as[i] != *bs[i] {
			return false
		}
	}
	na, nb := neutralAmounts(a), neutralAmounts(b)
	for i := range na {
		if !na[i].Equal(*nb[i]) {
			return false
		}
	}
	ns, nt := neutralStrings(a), neutralStrings(b)
	for i := range ns {
		if *ns[i] != *nt[i] {
			return false
		}
	}
	return a.Provider == b.Provider && a.PayerAccount == b.PayerAccount && a.BillingPeriod == b.BillingPeriod && a.Currency == b.Currency
}

// TestDamagedFileIsAnErrorNotACrash: a database file whose pages are
// damaged is refused with a message when opened; bbolt's own walk on
// opening would otherwise panic in a goroutine of its own and kill the
// process.
func TestDamagedFileIsAnErrorNotACrash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rebill.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := csvFile(t, "111111111111", "2024-01", 3*rowsPerBlock, false)
	if _, err := importPath(t, db, p); err != nil {
		t.Fatal(err)
	}
	db.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const page = 4096
	for off := 2 * page; off+8 <= len(b); off += page {
		copy(b[off:off+8], []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}) // each page's id
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Open(path)
	if !errors.Is(err, ErrDamagedFile) || !strings.Contains(err.Error(), "restore it from a backup") {
		t.Fatalf("opening a damaged file: %v", err)
	}
}

// TestInterleavedPayersAndMonthsLandInTheirSlices: a file whose rows
// switch payer or month on every row (the writer keeps the slice of the
// row before, and must change it whenever the key changes) stores each
// row with its own payer and month: 1+2+3+4 for 2024-03's payer 2222...,
// 5+6 for its payer 3333..., and 7+8 for 2024-04, in ten-thousandths.
func TestInterleavedPayersAndMonthsLandInTheirSlices(t *testing.T) {
	rows := []struct{ payer, month string }{
		{"222222222222", "2024-03"}, {"333333333333", "2024-03"}, {"222222222222", "2024-03"}, {"222222222222", "2024-04"},
		{"222222222222", "2024-03"}, {"333333333333", "2024-03"}, {"222222222222", "2024-04"}, {"222222222222", "2024-03"},
	}
	var b strings.Builder
	b.WriteString(header)
	for i, r := range rows {
		fmt.Fprintf(&b, "%s,%s-01T00:00:00Z,,000000000001,Usage,%s-01T01:00:00Z,AmazonEC2,USD,0.000%d,\n", r.payer, r.month, r.month, i+1)
	}
	path := filepath.Join(t.TempDir(), "interleaved.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	db := openTest(t)
	if _, err := importPath(t, db, path); err != nil {
		t.Fatal(err)
	}
	// Rows 1, 3, 5, 8 | 2, 6 | 4, 7.
	want := map[string]string{"2024-03 222222222222": "0.0017 4", "2024-03 333333333333": "0.0008 2", "2024-04 222222222222": "0.0011 2"}
	got := map[string]string{}
	for _, month := range []string{"2024-03", "2024-04"} {
		sums := map[string]*money.Sum{}
		counts := map[string]int{}
		if err := db.ScanItems(month, func(it *lineitem.Item) error {
			k := month + " " + it.PayerAccount
			if sums[k] == nil {
				sums[k] = &money.Sum{}
			}
			sums[k].Add(it.UnblendedCost)
			counts[k]++
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		for k, s := range sums {
			got[k] = fmt.Sprintf("%s %d", s.Total(), counts[k])
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

// freeListKept reports whether the file holds bbolt's free page list, so
// that opening it reads the list instead of walking every page: opened
// for writing without the list, bbolt walks the file and commits one
// transaction to write it, which moves the transaction id on.
func freeListKept(t *testing.T, path string) bool {
	t.Helper()
	txid := func(opt *bolt.Options) int {
		b, err := bolt.Open(path, 0o600, opt)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		var id int
		b.View(func(tx *bolt.Tx) error { id = tx.ID(); return nil })
		return id
	}
	before := txid(&bolt.Options{ReadOnly: true})
	return txid(nil) == before
}

// TestFreePageListIsKept: after an import of several staging
// transactions, and after a failed one, the file keeps its free page
// list, so opening it does not walk the file. An import killed between
// its staging transactions leaves the list out (they skip it, as its
// size made every one of them slower); the file still opens, walked, and
// its next commit writes the list again.
func TestFreePageListIsKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rebill.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	good, _ := csvFile(t, "111111111111", "2024-01", rowsPerTx+rowsPerBlock+5, false)
	// Named as one file, not as part 66,565 of a delivery.
	whole := filepath.Join(t.TempDir(), "january.csv")
	if err := os.Rename(good, whole); err != nil {
		t.Fatal(err)
	}
	if _, err := importPath(t, db, whole); err != nil {
		t.Fatal(err)
	}
	bad, _ := csvFile(t, "111111111111", "2024-02", rowsPerTx+rowsPerBlock+5, true)
	if _, err := importPath(t, db, bad); err == nil {
		t.Fatal("the bad file was imported")
	}
	db.Close()
	if !freeListKept(t, path) {
		t.Error("after an import and a failed one, opening the file walks it")
	}

	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	stageAndDie(t, db, "2024-03")
	if freeListKept(t, path) {
		t.Error("a staging transaction wrote the free page list")
	}
	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Periods(); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if !freeListKept(t, path) {
		t.Error("the file reopened after a killed import still has no free page list")
	}
}
