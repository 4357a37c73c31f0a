package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"

	"rebill/engine/lineitem"
	"rebill/engine/money"
	"rebill/engine/sample"
)

// The fuzz tests feed every reader (CSV, gzip, zip, Athena text, Parquet)
// mutated files and check what an import promises, whatever the bytes:
//   - a refused file is an *Error with a message under 2 KB of valid UTF-8,
//     a position (unless the problem is the whole file or archive member)
//     and nothing committed;
//   - an accepted file commits exactly the items the result reports: their
//     count and the exact sum of their unblended cost, per delivery and
//     per account, and every item passes lineitem.Validate.
//
// Their seeds, small valid files, run in every go test.

// recordDest keeps what was written and whether it was committed.
type recordDest struct {
	staged, committed []lineitem.Item
	commits           int
}

func (d *recordDest) FindFile(string) (Known, bool, error) { return Known{}, false, nil }
func (d *recordDest) HasFileOfSize(int64) (bool, error)    { return false, nil }
func (d *recordDest) BeginImport(*Result) (Writer, error)  { return d, nil }
func (d *recordDest) Write(_ int, items []lineitem.Item) error {
	for _, it := range items {
		it.Tags = append([]lineitem.Tag(nil), it.Tags...)
		d.staged = append(d.staged, it)
	}
	return nil
}
func (d *recordDest) Abort() error { d.staged = nil; return nil }
func (d *recordDest) Commit(r *Result, read []Delivery) error {
	d.commits++
	d.committed, d.staged = d.staged, nil
	r.Deliveries = read
	for i := range r.Deliveries {
		r.Deliveries[i].Status = Imported
	}
	return nil
}

// wholeFile are the refusals that concern a file as a whole and so name
// no position in it.
func wholeFile(err error) bool {
	return errors.Is(err, ErrDamaged) || errors.Is(err, ErrNotBilling) || errors.Is(err, errNoLineItems)
}

// position matches the positions a message gives.
var position = regexp.MustCompile(`(^|, )(line \d+|row group \d+, row \d+ \(file row \d+\)|Parquet schema)(, column .+)?$`)

// checkImport imports data as a file called name and checks the promises
// above.
func checkImport(t *testing.T, name string, data []byte) {
	path := write(t, name, data)
	dst := &recordDest{}
	res, err := File(context.Background(), path, dst, Options{Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		var ie *Error
		if !errors.As(err, &ie) {
			t.Fatalf("refused with %T, not an *ingest.Error: %v", err, err)
		}
		msg := err.Error()
		if len(msg) >= 2048 || !utf8.ValidString(msg) {
			t.Fatalf("message of %d bytes (valid UTF-8: %v): %.3000q", len(msg), utf8.ValidString(msg), msg)
		}
		if !wholeFile(err) && !position.MatchString(ie.Where) {
			t.Fatalf("position %q for %v", ie.Where, err)
		}
		if dst.commits != 0 {
			t.Fatalf("refused but committed: %v", err)
		}
		return
	}
	if dst.commits != 1 || int64(len(dst.committed)) != res.Rows {
		t.Fatalf("%d commits of %d items, the result says %d rows", dst.commits, len(dst.committed), res.Rows)
	}
	type key struct{ payer, period, account string }
	format, _, _ := Formats.Format(res.Format)
	check := lineitem.Checker{Opaque: format.OpaqueIDs}
	var total money.Sum
	byAccount := map[key]*money.Sum{}
	rows := map[key]int64{}
	for i := range dst.committed {
		it := &dst.committed[i]
		if inv := check.Validate(it); inv != nil {
			t.Fatalf("item %d accepted but invalid: %s: %v", i+1, inv.Field, inv)
		}
		total.Add(it.UnblendedCost)
		k := key{it.PayerAccount, it.BillingPeriod, it.UsageAccount}
		if byAccount[k] == nil {
			byAccount[k] = &money.Sum{}
		}
		byAccount[k].Add(it.UnblendedCost)
		rows[k]++
	}
	if got := res.UnblendedCost(); !got.Equal(total.Total()) {
		t.Fatalf("result total %s, items add up to %s", got, total.Total())
	}
	accounts := 0
	for _, d := range res.Deliveries {
		for acct, sum := range d.Accounts {
			k := key{d.Payer, d.Period, acct}
			accounts++
			if byAccount[k] == nil || !sum.Equal(byAccount[k].Total()) || d.AccountRows[acct] != rows[k] {
				t.Fatalf("delivery %s %s account %s: %s in %d rows, items say %v in %d", d.Payer, d.Period, acct, sum, d.AccountRows[acct], byAccount[k], rows[k])
			}
		}
	}
	if accounts != len(byAccount) {
		t.Fatalf("the deliveries name %d accounts, the items %d", accounts, len(byAccount))
	}
}

// sampleCSV is a few lines of the sample generator's CUR: the first usage
// lines and the month-level lines (tax, credit, fees) at the end.
func sampleCSV(t testing.TB) []byte {
	var b bytes.Buffer
	if _, err := sample.WriteCSV(&b, sample.Options{Rows: sample.MinRows, Final: true}); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(b.String(), "\n")
	lines = lines[:len(lines)-1] // the empty string after the last newline
	keep := append(append([]string{}, lines[:4]...), lines[len(lines)-4:]...)
	return []byte(strings.Join(keep, ""))
}

// csvSeeds are small valid CUR CSVs.
func csvSeeds(t testing.TB) [][]byte {
	return [][]byte{
		sampleCSV(t),
		[]byte(legacyHeader + legacyRows),
		curCSV(validColumns, ok, map[string]string{"lineItem/UsageAccountId": ""}),
		[]byte("bill_payer_account_id,bill_payer_account_name,bill_billing_period_start_date,line_item_usage_account_id,line_item_line_item_type,line_item_currency_code,line_item_unblended_cost,product,resource_tags\n" +
			`111122223333,Payer,2025-03-01T00:00:00.000Z,011122223333,Usage,EUR,2.5,"{""product_name"":""Amazon S3"",""region"":""eu-west-1""}","{""user_team"":""data""}"` + "\n"),
	}
}

// The file each fuzzer imports, named as such a file is, and its seeds.
const (
	csvFile     = "cur.csv"
	gzipFile    = "cur.csv.gz"
	zipFile     = "cur.zip"
	athenaFile  = "Step1CUR"
	parquetFile = "cur.parquet"
)

func fuzzSeeds(t testing.TB, file string) [][]byte {
	switch file {
	case csvFile:
		return csvSeeds(t)
	case gzipFile:
		var out [][]byte
		for _, s := range append(csvSeeds(t), athena(ok, ok)) {
			out = append(out, gzipped(t, s))
		}
		return out
	case zipFile:
		c := csvSeeds(t)
		return [][]byte{
			zipped(t, []string{"a.csv", "b.csv.gz"}, c[0], gzipped(t, c[2])),
			zipped(t, []string{"manifest.json", "part-1.csv"}, []byte("{}"), c[1]),
		}
	case athenaFile:
		return [][]byte{
			athena(ok, ok, map[string]string{"lineItem/UnblendedCost": `\N`}),
			[]byte(strings.Join([]string{"bill_payer_account_id", "bill_billing_period_start_date", "bill_billing_period_end_date",
				"line_item_usage_account_id", "line_item_line_item_type", "line_item_currency_code", "line_item_unblended_cost",
				"product_region", "resource_tags_user_cost_center"}, "\x01") + "\n" +
				strings.Join([]string{"836060457634", "2019-11-01 00:00:00", "2019-12-01 00:00:00", "011254002932", "Usage", "USD", "1.4724E-6", "ap-northeast-1", `\N`}, "\x01") + "\n"),
		}
	case parquetFile:
		oct := time.Date(2018, 10, 1, 0, 0, 0, 0, time.UTC)
		return [][]byte{
			parquetBytes(t, []legacyParquetRow{
				{"836060457634", oct, "INV", "011254002932", "Usage", oct.Add(time.Hour), "USD", 0.1, "0.0116", "prod"},
				{"836060457634", oct, "INV", "", "RIFee", oct.Add(2 * time.Hour), "USD", 1.4724e-06, "", ""},
			}),
			parquetBytes(t, []cur2ParquetRow{
				{"111122223333", "Payer", oct, "011122223333", "Usage", "USD", 2.25,
					map[string]string{"product_name": "AWS Lambda", "region": "us-west-2"}, map[string]string{"user_app": "api"}},
			}),
		}
	}
	t.Fatalf("no seeds for %s", file)
	return nil
}

func fuzzImport(f *testing.F, file string) {
	for _, s := range fuzzSeeds(f, file) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkImport(t, file, data)
	})
}

func FuzzCURCSV(f *testing.F)     { fuzzImport(f, csvFile) }
func FuzzGzip(f *testing.F)       { fuzzImport(f, gzipFile) }
func FuzzZip(f *testing.F)        { fuzzImport(f, zipFile) }
func FuzzAthenaText(f *testing.F) { fuzzImport(f, athenaFile) }
func FuzzParquet(f *testing.F)    { fuzzImport(f, parquetFile) }

// TestFuzzSeedsAreAccepted: the seeds are valid files, so the fuzzers
// start from the accepting paths, not only from refusals.
func TestFuzzSeedsAreAccepted(t *testing.T) {
	for _, file := range []string{csvFile, gzipFile, zipFile, athenaFile, parquetFile} {
		for i, s := range fuzzSeeds(t, file) {
			t.Run(fmt.Sprint(file, " ", i), func(t *testing.T) {
				dst := &recordDest{}
				if _, err := File(context.Background(), write(t, file, s), dst, Options{}); err != nil || dst.commits != 1 {
					t.Fatalf("%v, %d commits", err, dst.commits)
				}
			})
		}
	}
}

// parquetBytes is rows written as a Parquet file.
func parquetBytes[T any](t testing.TB, rows []T) []byte {
	var b bytes.Buffer
	if err := parquet.Write(&b, rows); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
