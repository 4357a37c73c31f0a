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

	"rebill/engine/lineitem"
)

// noCommit is a Destination that fails the test if anything is committed:
// a refused file must leave nothing behind.
type noCommit struct {
	t       *testing.T
	written int
}

func (d *noCommit) FindFile(string) (Known, bool, error)     { return Known{}, false, nil }
func (d *noCommit) HasFileOfSize(int64) (bool, error)        { return false, nil }
func (d *noCommit) BeginImport(*Result) (Writer, error)      { return d, nil }
func (d *noCommit) Write(_ int, items []lineitem.Item) error { d.written += len(items); return nil }
func (d *noCommit) Abort() error                             { return nil }
func (d *noCommit) Commit(*Result, []Delivery) error {
	d.t.Errorf("a refused file was committed")
	return nil
}

// validColumns is a legacy CUR header with every column a rule reads.
var validColumns = []string{
	"identity/LineItemId", "bill/InvoiceId", "bill/PayerAccountId", "bill/BillingPeriodStartDate", "bill/BillingPeriodEndDate",
	"lineItem/UsageAccountId", "lineItem/LineItemType", "lineItem/UsageStartDate", "lineItem/ProductCode",
	"lineItem/CurrencyCode", "lineItem/UnblendedCost", "lineItem/LineItemDescription",
	"reservation/ReservationARN", "savingsPlan/SavingsPlanARN", "resourceTags/user:Name",
}

// validRow is a line every rule accepts.
var validRow = map[string]string{
	"identity/LineItemId": "a", "bill/InvoiceId": "INV-1", "bill/PayerAccountId": "836060457634",
	"bill/BillingPeriodStartDate": "2024-02-01T00:00:00Z", "bill/BillingPeriodEndDate": "2024-03-01T00:00:00Z",
	"lineItem/UsageAccountId": "011254002932", "lineItem/LineItemType": "DiscountedUsage",
	"lineItem/UsageStartDate": "2024-02-29T23:00:00Z", "lineItem/ProductCode": "AmazonEC2", "lineItem/CurrencyCode": "USD",
	"lineItem/UnblendedCost": "1.4724E-6", "lineItem/LineItemDescription": "m5.large reserved instance applied",
	"reservation/ReservationARN": "arn:aws:ec2:us-east-1:836060457634:reserved-instances/abc",
	"savingsPlan/SavingsPlanARN": "", "resourceTags/user:Name": "web",
}

// curCSV is a file of the header and rows, each row validRow with its
// changes. Values are written as they are: none needs quoting.
func curCSV(header []string, rows ...map[string]string) []byte {
	var b strings.Builder
	b.WriteString(strings.Join(header, ",") + "\n")
	for _, change := range rows {
		vals := make([]string, len(header))
		for i, h := range header {
			vals[i] = validRow[h]
			if v, ok := change[h]; ok {
				vals[i] = v
			}
		}
		b.WriteString(strings.Join(vals, ",") + "\n")
	}
	return []byte(b.String())
}

// athena is the same in Hive text with snake_case names.
func athena(rows ...map[string]string) []byte {
	snake := map[string]string{
		"bill/PayerAccountId": "bill_payer_account_id", "bill/BillingPeriodStartDate": "bill_billing_period_start_date",
		"lineItem/UsageAccountId": "line_item_usage_account_id", "lineItem/LineItemType": "line_item_line_item_type",
		"lineItem/CurrencyCode": "line_item_currency_code", "lineItem/UnblendedCost": "line_item_unblended_cost",
	}
	var b strings.Builder
	var names []string
	for _, h := range validColumns {
		if s, ok := snake[h]; ok {
			names = append(names, s)
		}
	}
	b.WriteString(strings.Join(names, "\x01") + "\n")
	for _, change := range rows {
		var vals []string
		for _, h := range validColumns {
			if _, ok := snake[h]; !ok {
				continue
			}
			v := validRow[h]
			if c, ok := change[h]; ok {
				v = c
			}
			vals = append(vals, v)
		}
		b.WriteString(strings.Join(vals, "\x01") + "\n")
	}
	return []byte(b.String())
}

// replaceHeader renames or adds columns of validColumns.
func replaceHeader(f func(h []string) []string) []string {
	return f(append([]string(nil), validColumns...))
}

var ok = map[string]string{}

// positions finds the positions a message can give.
var positions = regexp.MustCompile(`line \d+|row group \d+, row \d+`)

// TestValidationRefusesBadInput has one case per class of bad input the
// importer refuses. Each must name the file, one position (line or row
// group and row) and the column, quote the value, and store nothing.
func TestValidationRefusesBadInput(t *testing.T) {
	oct := time.Date(2018, 10, 1, 0, 0, 0, 0, time.UTC)
	parquetRows := func(acct string) []legacyParquetRow {
		return []legacyParquetRow{
			{"836060457634", oct, "INV", "011254002932", "Usage", oct, "USD", 0.1, "0.0116", "prod"},
			{"836060457634", oct, "INV", acct, "Usage", oct, "USD", 0.2, "0.0116", "prod"},
		}
	}
	// padding pushes a row past the first 4 KiB, which must be text for
	// the file to be recognised as CSV at all.
	padding := make([]map[string]string, 40)
	for i := range padding {
		padding[i] = ok
	}
	cases := []struct {
		name string
		file string
		data func(t *testing.T) []byte
		path func(t *testing.T) string // instead of data, for Parquet
		want []string
	}{
		{"invalid UTF-8 in an account", "utf8.csv",
			func(*testing.T) []byte {
				return curCSV(validColumns, ok, map[string]string{"lineItem/UsageAccountId": "12345\xff789012"})
			}, nil,
			[]string{"utf8.csv: line 3, column lineItem/UsageAccountId: ", `"12345\xff789012" is not valid UTF-8 text`}},
		{"payer account not a number", "payer.csv",
			func(*testing.T) []byte {
				return curCSV(validColumns, map[string]string{"bill/PayerAccountId": "payer-not-a-number"})
			}, nil,
			[]string{"payer.csv: line 2, column bill/PayerAccountId: ", `"payer-not-a-number" is not an account id: an AWS account id has 12 digits`}},
		{"usage account of 11 digits", "short.csv",
			func(*testing.T) []byte {
				return curCSV(validColumns, map[string]string{"lineItem/UsageAccountId": "11254002932"})
			}, nil,
			[]string{"line 2, column lineItem/UsageAccountId: ", `"11254002932" is not an account id`}},
		{"empty payer account", "nopayer.csv",
			func(*testing.T) []byte { return curCSV(validColumns, map[string]string{"bill/PayerAccountId": ""}) }, nil,
			[]string{"line 2, column bill/PayerAccountId: ", `"" is empty: an AWS account id has 12 digits`}},
		{"reservation owned by no account", "ri.csv",
			func(*testing.T) []byte {
				return curCSV(validColumns, map[string]string{"reservation/ReservationARN": "arn:aws:ec2:us-east-1:owner:reserved-instances/abc"})
			}, nil,
			[]string{"line 2, column reservation/ReservationARN: ", `does not name its owner account in its 5th field`}},
		{"Savings Plan owned by no account", "sp.csv",
			func(*testing.T) []byte {
				return curCSV(validColumns, map[string]string{"savingsPlan/SavingsPlanARN": "savingsplan/9e2b7d41"})
			}, nil,
			[]string{"line 2, column savingsPlan/SavingsPlanARN: ", `"savingsplan/9e2b7d41" does not name its owner account`}},
		{"NUL byte in a description", "nul.csv",
			func(*testing.T) []byte {
				return curCSV(validColumns, append(padding, map[string]string{"lineItem/LineItemDescription": "a\x00b"})...)
			}, nil,
			[]string{"nul.csv: line 42, column lineItem/LineItemDescription: ", `"a\x00b" contains a NUL byte`}},
		{"NUL byte in the first line item", "nul2.csv",
			func(*testing.T) []byte {
				return curCSV(validColumns, map[string]string{"lineItem/ProductCode": "Amazon\x00EC2"})
			}, nil,
			[]string{"nul2.csv: line 2, column lineItem/ProductCode: ", `"Amazon\x00EC2" contains a NUL byte`}},
		{"invalid UTF-8 in a tag", "tag.csv",
			func(*testing.T) []byte {
				return curCSV(validColumns, map[string]string{"resourceTags/user:Name": "w\xe9b"})
			}, nil,
			[]string{"line 2, column resourceTags/user:Name: ", `"w\xe9b" is not valid UTF-8 text`}},
		{"invalid UTF-8 in a tag name", "tagname.csv",
			func(*testing.T) []byte {
				return curCSV(replaceHeader(func(h []string) []string { return append(h, "resourceTags/user:T\xe9am") }), ok)
			}, nil,
			[]string{"tagname.csv: line 1, column \"resourceTags/user:T\\xe9am\": ", `the tag name "T\xe9am" is not valid UTF-8 text`}},
		{"currency outside ISO 4217", "zzz.csv",
			func(*testing.T) []byte {
				return curCSV(validColumns, ok, ok, map[string]string{"lineItem/CurrencyCode": "ZZZ"})
			}, nil,
			[]string{"zzz.csv: line 4, column lineItem/CurrencyCode: ", `"ZZZ" is not an ISO 4217 currency code`}},
		{"empty currency", "nocur.csv",
			func(*testing.T) []byte { return curCSV(validColumns, map[string]string{"lineItem/CurrencyCode": ""}) }, nil,
			[]string{"line 2, column lineItem/CurrencyCode: ", `"" is not an ISO 4217 currency code`}},
		{"usage on 30 February", "feb30.csv",
			func(*testing.T) []byte {
				return curCSV(validColumns, map[string]string{"lineItem/UsageStartDate": "2024-02-30T00:00:00Z"})
			}, nil,
			[]string{"line 2, column lineItem/UsageStartDate: ", `"2024-02-30T00:00:00Z" is not a real date: 2024-02 has 29 days`}},
		{"usage at hour 24", "h24.csv",
			func(*testing.T) []byte {
				return curCSV(validColumns, map[string]string{"lineItem/UsageStartDate": "2024-02-03T24:00:00Z"})
			}, nil,
			[]string{"line 2, column lineItem/UsageStartDate: ", `is not a timestamp`}},
		{"billing month 13", "m13.csv",
			func(*testing.T) []byte {
				return curCSV(validColumns, map[string]string{"bill/BillingPeriodStartDate": "2024-13-01T00:00:00Z", "bill/BillingPeriodEndDate": ""})
			}, nil,
			[]string{"line 2, column bill/BillingPeriodStartDate: ", `"2024-13-01T00:00:00Z" is not a real date: there is no month 13`}},
		{"billing month 00", "m00.csv",
			func(*testing.T) []byte {
				return curCSV(validColumns, map[string]string{"bill/BillingPeriodStartDate": "2024-00-01T00:00:00Z", "bill/BillingPeriodEndDate": ""})
			}, nil,
			[]string{"line 2, column bill/BillingPeriodStartDate: ", `"2024-00-01T00:00:00Z" is not a real date: there is no month 00`}},
		{"billing period start that is no date", "m31.csv",
			func(*testing.T) []byte {
				return curCSV(validColumns, map[string]string{"bill/BillingPeriodStartDate": "2024-04-31T00:00:00Z", "bill/BillingPeriodEndDate": ""})
			}, nil,
			[]string{"line 2, column bill/BillingPeriodStartDate: ", `is not a real date: 2024-04 has 30 days`}},
		{"billing period end two months after the start", "end.csv",
			func(*testing.T) []byte {
				return curCSV(validColumns, map[string]string{"bill/BillingPeriodEndDate": "2024-04-01T00:00:00Z"})
			}, nil,
			[]string{"line 2, column bill/BillingPeriodEndDate: ", `"2024-04-01T00:00:00Z" is not one month after the billing period start "2024-02-01T00:00:00Z"`}},
		{"billing period end before the start", "before.csv",
			func(*testing.T) []byte {
				return curCSV(validColumns, ok, map[string]string{"bill/BillingPeriodEndDate": "2024-01-01T00:00:00Z"})
			}, nil,
			[]string{"line 3, column bill/BillingPeriodEndDate: ", `is not one month after`}},
		{"cost with a huge exponent", "big.csv",
			func(*testing.T) []byte {
				return curCSV(validColumns, map[string]string{"lineItem/UnblendedCost": "1e9999"})
			}, nil,
			[]string{"big.csv: line 2, column lineItem/UnblendedCost: ", `"1e9999" is not an amount Rebill can hold: its exponent is outside ±30`}},
		{"cost with a tiny exponent", "tiny.csv",
			func(*testing.T) []byte {
				return curCSV(validColumns, map[string]string{"lineItem/UnblendedCost": "1e-9999"})
			}, nil,
			[]string{"line 2, column lineItem/UnblendedCost: ", `"1e-9999" is not an amount Rebill can hold: its exponent is outside ±30`}},
		{"cost of 29 integer digits", "wide.csv",
			func(*testing.T) []byte {
				return curCSV(validColumns, map[string]string{"lineItem/UnblendedCost": "12345678901234567890123456789"})
			}, nil,
			[]string{"line 2, column lineItem/UnblendedCost: ", `more than 28 digits before the decimal point`}},
		{"duplicated cost column", "dup.csv",
			func(*testing.T) []byte {
				return curCSV(replaceHeader(func(h []string) []string { return append(h, "lineItem/UnblendedCost") }), ok)
			}, nil,
			[]string{"dup.csv: line 1: ", "columns 11 and 16 are both named lineItem/UnblendedCost: keep one of them"}},
		{"cost column under two spellings", "dup2.csv",
			func(*testing.T) []byte {
				return curCSV(replaceHeader(func(h []string) []string { return append(h, "line_item_unblended_cost") }), ok)
			}, nil,
			[]string{"dup2.csv: line 1: ", "columns 11 (lineItem/UnblendedCost) and 16 (line_item_unblended_cost) are the same column"}},
		{"duplicated column Rebill does not read", "dup3.csv",
			func(*testing.T) []byte {
				return curCSV(replaceHeader(func(h []string) []string { return append(h, "identity/LineItemId") }), ok)
			}, nil,
			[]string{"line 1: ", "columns 1 and 16 are both named identity/LineItemId"}},
		{"missing cost column", "nocost.csv",
			func(*testing.T) []byte {
				return curCSV(replaceHeader(func(h []string) []string { return append(h[:10], h[11:]...) }), ok)
			}, nil,
			[]string{"nocost.csv: unknown file format: the closest Rebill reads is cur-csv (AWS Cost and Usage Report, legacy CSV), which needs the column lineItem/UnblendedCost;"}},
		{"missing currency column", "nocurrency.csv",
			func(*testing.T) []byte {
				return curCSV(replaceHeader(func(h []string) []string { return append(h[:9], h[10:]...) }), ok)
			}, nil,
			[]string{"nocurrency.csv: not a complete cur-csv file", "required column missing: lineItem/CurrencyCode"}},
		{"Athena text: account of letters", "Step1CUR.gz",
			func(t *testing.T) []byte {
				return gzipped(t, athena(ok, ok, map[string]string{"lineItem/UsageAccountId": "ABCDEFGHIJKL"}))
			}, nil,
			[]string{"Step1CUR.gz: line 4, column line_item_usage_account_id: ", `"ABCDEFGHIJKL" is not an account id`}},
		{"gzip: billing month 13", "cur.csv.gz",
			func(t *testing.T) []byte {
				return gzipped(t, curCSV(validColumns, map[string]string{"bill/BillingPeriodStartDate": "2024-13-01T00:00:00Z"}))
			}, nil,
			[]string{"cur.csv.gz: line 2, column bill/BillingPeriodStartDate: "}},
		{"zip: currency in the second member", "cur.zip",
			func(t *testing.T) []byte {
				good := curCSV(validColumns, ok)
				bad := curCSV(validColumns, ok, map[string]string{"lineItem/CurrencyCode": "ZZZ"})
				return zipped(t, []string{"a.csv", "b.csv"}, good, bad)
			}, nil,
			[]string{"cur.zip: b.csv, line 3, column lineItem/CurrencyCode: ", `"ZZZ" is not an ISO 4217`}},
		{"zip: duplicate column in a member", "dup.zip",
			func(t *testing.T) []byte {
				bad := curCSV(replaceHeader(func(h []string) []string { return append(h, "lineItem/CurrencyCode") }), ok)
				return zipped(t, []string{"a.csv"}, bad)
			}, nil,
			[]string{"dup.zip: a.csv, line 1: ", "columns 10 and 16 are both named lineItem/CurrencyCode"}},
		{"Parquet: account of 13 digits", "cur.parquet", nil,
			func(t *testing.T) string { return writeParquet(t, "cur.parquet", parquetRows("0112540029321")) },
			[]string{"cur.parquet: row group 1, row 2 (file row 2), column line_item_usage_account_id: ", `"0112540029321" is not an account id`}},
		{"Parquet: NUL in an account", "nul.parquet", nil,
			func(t *testing.T) string { return writeParquet(t, "nul.parquet", parquetRows("01125400\x00932")) },
			[]string{"row group 1, row 2 (file row 2), column line_item_usage_account_id: ", `"01125400\x00932" contains a NUL byte`}},
		{"Parquet: missing cost column", "nocost.parquet", nil,
			func(t *testing.T) string {
				type row struct {
					Payer string `parquet:"bill_payer_account_id"`
					Acct  string `parquet:"line_item_usage_account_id"`
				}
				return writeParquet(t, "nocost.parquet", []row{{"836060457634", "011254002932"}})
			},
			[]string{"nocost.parquet: unknown file format: the closest Rebill reads is cur-parquet",
				"bill_billing_period_start_date, line_item_currency_code, line_item_line_item_type, line_item_unblended_cost;"}},
		{"CUR 2.0: NUL in the product map", "cur2.csv",
			func(*testing.T) []byte {
				return []byte("bill_payer_account_id,bill_payer_account_name,bill_billing_period_start_date,line_item_usage_account_id,line_item_line_item_type,line_item_currency_code,line_item_unblended_cost,product\n" +
					`111122223333,Payer,2025-03-01T00:00:00.000Z,011122223333,Usage,EUR,2.5,"{""product_name"":""S3\u0000""}"` + "\n")
			}, nil,
			[]string{"cur2.csv: line 2, column product: ", `"S3\x00" contains a NUL byte`}},
		{"a megabyte of invalid text, quoted short", "long.csv",
			func(*testing.T) []byte {
				return curCSV(validColumns, map[string]string{"lineItem/LineItemDescription": strings.Repeat("\xff", 1<<20)})
			}, nil,
			[]string{"line 2, column lineItem/LineItemDescription: ", `"` + strings.Repeat(`\xff`, 100) + `"… is not valid UTF-8 text`}},
		{"unterminated quote", "quote.csv",
			func(*testing.T) []byte { return append(curCSV(validColumns, ok), `b,"INV`+"\n"...) }, nil,
			[]string{"quote.csv: line 3, column bill/InvoiceId: unterminated quoted field (opened on line 3)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var path string
			if tc.path != nil {
				path = tc.path(t)
			} else {
				path = write(t, tc.file, tc.data(t))
			}
			dst := &noCommit{t: t}
			_, err := File(context.Background(), path, dst, Options{Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
			if err == nil {
				t.Fatal("accepted")
			}
			var ie *Error
			if !errors.As(err, &ie) {
				t.Fatalf("%T %v: not an *ingest.Error", err, err)
			}
			// A file of the wrong shape is refused as a whole; anything
			// else names its place.
			whole := errors.Is(err, ErrNotBilling)
			msg := err.Error()
			t.Log(msg)
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
			if n := positions.FindAllStringIndex(ie.Where, -1); len(n) != 1 && !(whole && ie.Where == "") {
				t.Errorf("position %q is not one position", ie.Where)
			}
			if len(msg) >= 2048 {
				t.Errorf("message of %d bytes", len(msg))
			}
		})
	}
}

// TestValidFileStillImports: the rows the cases above break are accepted
// as they are, so each case fails for its own reason. Payer-level lines
// without a usage account are the payer's, as before.
func TestValidFileStillImports(t *testing.T) {
	dst := newMemDest()
	res, err := importFile(t, write(t, "ok.csv", curCSV(validColumns, ok, map[string]string{"lineItem/UsageAccountId": ""})), dst)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 2 || dst.committed[1].UsageAccount != "836060457634" || res.Deliveries[0].Period != "2024-02" {
		t.Fatalf("rows %d, second usage account %q, period %s", res.Rows, dst.committed[1].UsageAccount, res.Deliveries[0].Period)
	}
	if _, err := importFile(t, write(t, "ok.gz", gzipped(t, athena(ok, ok))), newMemDest()); err != nil {
		t.Fatal(err)
	}
}

// TestPathologicalLinesGiveShortMessages: whatever one line holds, the
// message stays under 2 KB and names the line. (Peak memory of the same
// input through the built binary is measured by hand: see the report of
// issue 8.)
func TestPathologicalLinesGiveShortMessages(t *testing.T) {
	cases := []struct {
		name string
		data func() []byte
		want string
	}{
		{"a 50 MB line of junk", func() []byte {
			b := bytes.Repeat([]byte("junk, \"; "), 50<<20/9)
			return append(b, '\n')
		}, "line 1: the record is longer than 16 MiB"},
		{"a 10 MB header name", func() []byte {
			return append(bytes.Repeat([]byte("x"), 10<<20), "\n1\n"...)
		}, "unknown file format"},
		{"a line of a million commas", func() []byte {
			return append(bytes.Repeat([]byte(","), 1<<20), '\n')
		}, "line 1: the record has more than 65536 fields"},
		{"a 10 MB value", func() []byte {
			return curCSV(validColumns, map[string]string{"lineItem/UnblendedCost": strings.Repeat("9", 10<<20)})
		}, `line 2, column lineItem/UnblendedCost: "` + strings.Repeat("9", 100) + `"… is not an amount Rebill can hold: it is longer than 128 characters`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dst := &noCommit{t: t}
			_, err := File(context.Background(), write(t, "junk.csv", tc.data()), dst, Options{})
			if err == nil {
				t.Fatal("accepted")
			}
			if msg := err.Error(); len(msg) >= 2048 || !strings.Contains(msg, tc.want) {
				t.Fatalf("message of %d bytes: %.3000s", len(msg), msg)
			}
		})
	}
}

// TestMessagesStayShortWhateverTheirParts: a long path and a cause that
// quotes something whole are clipped too.
func TestMessagesStayShortWhateverTheirParts(t *testing.T) {
	e := &Error{File: "/" + strings.Repeat("d/", 2000) + "cur.csv", Where: "line 1", Err: errors.New(strings.Repeat("é", 5000))}
	msg := e.Error()
	if len(msg) >= 2048 || !strings.HasSuffix(msg, "…") || !strings.Contains(msg, "/cur.csv: line 1: éé") || !utf8.ValidString(msg) {
		t.Fatalf("message of %d bytes: %s", len(msg), msg)
	}
}

// batchSizes is a Destination that records the size of each batch.
type batchSizes struct {
	noCommit
	sizes []int
}

func (d *batchSizes) BeginImport(*Result) (Writer, error) { return d, nil }
func (d *batchSizes) Write(_ int, items []lineitem.Item) error {
	d.sizes = append(d.sizes, len(items))
	return nil
}
func (d *batchSizes) Commit(*Result, []Delivery) error { return nil }

// TestLongRowsTravelInSmallerBatches: rows whose strings are long are
// handed to the store before a batch holds more than about 8 MiB of them,
// so memory does not grow with the width of the rows.
func TestLongRowsTravelInSmallerBatches(t *testing.T) {
	rows := make([]map[string]string, 1000)
	for i := range rows {
		rows[i] = map[string]string{"lineItem/LineItemDescription": fmt.Sprintf("%05d%s", i, strings.Repeat("d", 20<<10))}
	}
	dst := &batchSizes{}
	if _, err := File(context.Background(), write(t, "wide.csv", curCSV(validColumns, rows...)), dst, Options{}); err != nil {
		t.Fatal(err)
	}
	// 8 MiB of 20 KiB descriptions is 409 rows: the first batch closes on
	// the row that passes it.
	total := 0
	for _, n := range dst.sizes {
		total += n
		if n > 410 {
			t.Fatalf("batches of %v rows", dst.sizes)
		}
	}
	if total != 1000 {
		t.Fatalf("%d rows written", total)
	}
}
