package parquetrows

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/shopspring/decimal"
)

// sharedReal holds real data shared beside the repository, not in it;
// realDir is the AWS CUR samples there (see its README.md). Tests that
// need them skip when they are absent.
const (
	sharedReal = "../../../shared/data/real"
	realDir    = sharedReal + "/aws-wa-labs"
)

func openReal(t testing.TB, name string) *os.File {
	t.Helper()
	if _, err := os.Stat(sharedReal); err != nil {
		t.Skipf("skipping: real data directory %s (relative to the package) is absent: %v", sharedReal, err)
	}
	path := filepath.Join(realDir, name)
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			t.Skipf("skipping: real CUR sample %s is absent", path)
		}
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func openRealReader(t testing.TB, f *os.File) *Reader {
	t.Helper()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	r, err := Open(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var (
	rfc3339UTC = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*[1-9])?Z$`)
	accountID  = regexp.MustCompile(`^\d{12}$`)
)

// curCheck is read with the library's struct reader, an independent path
// (column by column into Go values) from this package's row reader.
type curCheck struct {
	ID      string    `parquet:"identity_line_item_id"`
	Payer   string    `parquet:"bill_payer_account_id"`
	Account string    `parquet:"line_item_usage_account_id"`
	Start   time.Time `parquet:"line_item_usage_start_date,timestamp(millisecond)"`
	End     time.Time `parquet:"bill_billing_period_end_date,timestamp(millisecond)"`
	Cost    float64   `parquet:"line_item_unblended_cost"`
	Usage   float64   `parquet:"line_item_usage_amount"`
	Rate    string    `parquet:"line_item_unblended_rate"`
	Type    string    `parquet:"line_item_line_item_type"`
}

func TestRealCUR(t *testing.T) {
	for _, c := range []struct {
		file      string
		rows      int64
		cols      int
		wantTotal string
	}{
		{"Oct2018-WorkshopCUR-00001.snappy.parquet", 119307, 124, "4064.4831"},
		{"Nov2018-WorkshopCUR-00001.snappy.parquet", 124340, 126, "3505.3270"},
	} {
		t.Run(c.file[:7], func(t *testing.T) {
			if raceEnabled && c.file[:3] != "Oct" {
				t.Skip("one month is enough under -race; the plain run covers both")
			}
			f := openReal(t, c.file)
			r := openRealReader(t, f)
			header := r.Header()
			if len(header) != c.cols || r.NumRows() != c.rows {
				t.Fatalf("%d columns, %d rows; want %d, %d", len(header), r.NumRows(), c.cols, c.rows)
			}
			col := map[string]int{}
			for i, h := range header {
				col[h] = i
			}
			var dateCols, doubleCols, accountCols []int
			for i, n := range r.tops {
				switch {
				case n.leaf == kindTimestamp:
					dateCols = append(dateCols, i)
				case n.leaf == kindDouble:
					doubleCols = append(doubleCols, i)
				case strings.HasSuffix(n.name, "_account_id"):
					accountCols = append(accountCols, i)
				}
			}
			if len(dateCols) != 4 || len(doubleCols) != 15 || len(accountCols) != 2 {
				t.Fatalf("%d timestamp, %d double, %d account columns; want 4, 15, 2", len(dateCols), len(doubleCols), len(accountCols))
			}

			lib := parquet.NewGenericReader[curCheck](f)
			defer lib.Close()
			libRows := make([]curCheck, 1024)
			libN, libI := 0, 0

			costCol := col["line_item_unblended_cost"]
			idCol, payerCol, accountCol := col["identity_line_item_id"], col["bill_payer_account_id"], col["line_item_usage_account_id"]
			startCol, endCol, usageCol := col["line_item_usage_start_date"], col["bill_billing_period_end_date"], col["line_item_usage_amount"]
			rateCol, typeCol := col["line_item_unblended_rate"], col["line_item_line_item_type"]
			var scratch [128]byte
			total := decimal.Zero
			accounts := map[string]int{}
			exponents := map[string]int{}
			var n int64
			for {
				rec, err := r.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				n++
				cost, err := decimal.NewFromString(string(rec[costCol]))
				if err != nil {
					t.Fatalf("%s: cost %q: %v", r.Where(), rec[costCol], err)
				}
				total = total.Add(cost)
				for _, i := range dateCols {
					if !rfc3339UTC.Match(rec[i]) {
						t.Fatalf("%s: %s = %q, not RFC 3339 UTC", r.Where(), header[i], rec[i])
					}
				}
				for _, i := range doubleCols {
					// The text is the shortest that round-trips: parsing and
					// formatting again gives it back.
					v, err := strconv.ParseFloat(string(rec[i]), 64)
					if err != nil || strconv.FormatFloat(v, 'g', -1, 64) != string(rec[i]) {
						t.Fatalf("%s: %s = %q is not a shortest float (%v)", r.Where(), header[i], rec[i], err)
					}
					if bytes.ContainsRune(rec[i], 'e') {
						exponents[header[i]]++
					}
				}
				for _, i := range accountCols {
					if !accountID.Match(rec[i]) {
						t.Fatalf("%s: %s = %q, want 12 digits", r.Where(), header[i], rec[i])
					}
					accounts[header[i]+"="+string(rec[i])]++
				}

				// Lockstep with the library's struct reader.
				if libI == libN {
					libN, err = lib.Read(libRows)
					libI = 0
					if libN == 0 {
						t.Fatalf("%s: struct reader ended early: %v", r.Where(), err)
					}
				}
				l := &libRows[libI]
				libI++
				for _, x := range []struct {
					col  int
					want string
				}{
					{idCol, l.ID},
					{payerCol, l.Payer},
					{accountCol, l.Account},
					{rateCol, l.Rate},
					{typeCol, l.Type},
				} {
					if string(rec[x.col]) != x.want {
						t.Fatalf("%s: %s: ours %q, struct reader %q", r.Where(), header[x.col], rec[x.col], x.want)
					}
				}
				for _, x := range []struct {
					col  int
					want []byte
				}{
					{startCol, l.Start.UTC().AppendFormat(scratch[:0], time.RFC3339Nano)},
					{endCol, l.End.UTC().AppendFormat(scratch[32:32], time.RFC3339Nano)},
					{costCol, strconv.AppendFloat(scratch[64:64], l.Cost, 'g', -1, 64)},
					{usageCol, strconv.AppendFloat(scratch[96:96], l.Usage, 'g', -1, 64)},
				} {
					if !bytes.Equal(rec[x.col], x.want) {
						t.Fatalf("%s: %s: ours %q, struct reader %q", r.Where(), header[x.col], rec[x.col], x.want)
					}
				}
				if n <= 3 || n == c.rows {
					t.Logf("%s: %s %s %s %s cost=%s usage=%s rate=%s", r.Where(),
						rec[col["line_item_usage_account_id"]], rec[col["line_item_line_item_type"]],
						rec[col["line_item_usage_start_date"]], rec[col["line_item_usage_end_date"]],
						rec[costCol], rec[col["line_item_usage_amount"]], rec[col["line_item_unblended_rate"]])
				}
			}
			if n != c.rows {
				t.Fatalf("read %d rows, want %d", n, c.rows)
			}
			t.Logf("line_item_unblended_cost: exact sum %s, rounded %s", total.String(), total.StringFixed(4))
			if got := total.StringFixed(4); got != c.wantTotal {
				t.Errorf("unblended cost total %s, want %s", got, c.wantTotal)
			}
			keys := slices.Sorted(func(yield func(string) bool) {
				for k := range accounts {
					if !yield(k) {
						return
					}
				}
			})
			t.Logf("account ids: %v", keys)
			if accounts["line_item_usage_account_id=011254002932"] == 0 {
				t.Errorf("no usage account 011254002932 with its leading zero: %v", keys)
			}
			if len(exponents) > 0 {
				t.Logf("DOUBLE values written with an exponent, by column: %v", exponents)
			}
		})
	}
}

// TestRealSchema checks the Oct file's column types, as the README
// describes them, and logs them compactly.
func TestRealSchema(t *testing.T) {
	f := openReal(t, "Oct2018-WorkshopCUR-00001.snappy.parquet")
	r := openRealReader(t, f)
	byType := map[string][]string{}
	for _, n := range r.tops {
		d := n.describe()
		byType[d] = append(byType[d], n.name)
	}
	for d, names := range byType {
		t.Logf("%s (%d): %s", d, len(names), strings.Join(names, " "))
	}
	if len(byType["BYTE_ARRAY"]) != 105 || len(byType["DOUBLE"]) != 15 || len(byType["INT64/TIMESTAMP(1ms)"]) != 4 || len(byType) != 3 {
		t.Errorf("unexpected type mix: %d kinds", len(byType))
	}
}

// TestRealDamaged damages copies of a real file, which (unlike files from
// the parquet-go writer) has no page checksums, so bad bytes reach the
// decoders. Each copy must give an error or read fully; never panic.
func TestRealDamaged(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: reads eight damaged copies of a real file (slow under -race)")
	}
	f := openReal(t, "Oct2018-WorkshopCUR-00001.snappy.parquet")
	good, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	const copies = 8
	errs := 0
	for k := 1; k <= copies; k++ {
		off := len(good) * k / (copies + 2)
		bad := bytes.Clone(good)
		for i := off; i < off+64; i++ {
			bad[i] ^= 0x5a
		}
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("offset %d: panic: %v", off, p)
				}
			}()
			r, err := Open(bytes.NewReader(bad), int64(len(bad)))
			if err != nil {
				errs++
				t.Logf("offset %d: Open: %v", off, err)
				return
			}
			for {
				_, err := r.Next()
				if errors.Is(err, io.EOF) {
					t.Logf("offset %d: read to the end without error", off)
					return
				}
				if err != nil {
					errs++
					t.Logf("offset %d: %v", off, err)
					return
				}
			}
		}()
	}
	if errs < copies/2 {
		t.Errorf("only %d of %d damaged copies gave an error", errs, copies)
	}
}

// BenchmarkOct reads the whole Oct file: 119307 rows of 124 columns, with
// the streaming reader that Open picks for it and, for comparison, with the
// library's row reader.
func BenchmarkOct(b *testing.B) {
	f := openReal(b, "Oct2018-WorkshopCUR-00001.snappy.parquet")
	st, err := f.Stat()
	if err != nil {
		b.Fatal(err)
	}
	for _, stream := range []bool{true, false} {
		name := "stream"
		if !stream {
			name = "library"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(st.Size())
			b.ReportAllocs()
			var rows int64
			start := time.Now()
			for b.Loop() {
				r, err := open(f, st.Size(), stream)
				if err != nil {
					b.Fatal(err)
				}
				for {
					_, err := r.Next()
					if errors.Is(err, io.EOF) {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					rows++
				}
			}
			b.ReportMetric(float64(rows)/time.Since(start).Seconds(), "rows/s")
		})
	}
}
