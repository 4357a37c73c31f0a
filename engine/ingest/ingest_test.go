package ingest

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/shopspring/decimal"

	"rebill/engine/lineitem"
)

// memDest is an in-memory Destination that keeps committed items and
// resolves deliveries with Resolve, one current delivery per month.
type memDest struct {
	hashes    map[string]uint64 // file hash -> the delivery holding it
	sizes     map[int64]bool
	current   map[string]*Delivery
	committed []lineitem.Item
	staged    []lineitem.Item
	aborted   int
	nextID    uint64
}

func newMemDest() *memDest {
	return &memDest{hashes: map[string]uint64{}, sizes: map[int64]bool{}, current: map[string]*Delivery{}}
}

func (m *memDest) FindFile(hash string) (Known, bool, error) {
	id, ok := m.hashes[hash]
	return Known{Current: []uint64{id}}, ok, nil
}

func (m *memDest) HasFileOfSize(n int64) (bool, error) { return m.sizes[n], nil }

func (m *memDest) BeginImport(r *Result) (Writer, error) {
	m.staged = nil
	return m, nil
}

func (m *memDest) Write(_ int, items []lineitem.Item) error {
	for _, it := range items {
		it.Tags = append([]lineitem.Tag(nil), it.Tags...)
		m.staged = append(m.staged, it)
	}
	return nil
}

func (m *memDest) Commit(r *Result, read []Delivery) error {
	for _, d := range read {
		k := d.Payer + "/" + d.Period
		steps, err := Resolve(m.current[k], []Delivery{d}, r.Replace)
		if err != nil {
			return err
		}
		for _, st := range steps {
			m.nextID++
			st.Delivery.ID = m.nextID
			m.current[k] = &st.Delivery
			r.Deliveries = append(r.Deliveries, st.Delivery)
			for _, p := range st.Delivery.Parts {
				m.hashes[p.Hash] = m.nextID
				m.sizes[p.Bytes] = true
			}
		}
	}
	m.committed = append(m.committed, m.staged...)
	m.staged = nil
	return nil
}

func (m *memDest) Abort() error {
	m.staged = nil
	m.aborted++
	return nil
}

const legacyHeader = "identity/LineItemId,bill/InvoiceId,bill/BillingEntity,bill/PayerAccountId,bill/BillingPeriodStartDate," +
	"lineItem/UsageAccountId,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/ProductCode,lineItem/UsageType," +
	"lineItem/UsageAmount,lineItem/CurrencyCode,lineItem/UnblendedRate,lineItem/UnblendedCost,lineItem/LineItemDescription," +
	"pricing/publicOnDemandCost,reservation/ReservationARN,resourceTags/user:Name\n"

const legacyRows = `a,INV-1,AWS,836060457634,2018-10-01T00:00:00Z,011254002932,Usage,2018-10-01T00:00:00Z,AmazonEC2,BoxUsage:t2.micro,1,USD,0.0116,0.0116000000,"t2.micro, Linux",0.0116,,web
b,INV-1,AWS,836060457634,2018-10-01T00:00:00Z,011254002932,DiscountedUsage,2018-10-01T01:00:00Z,AmazonEC2,BoxUsage:m5.large,1,USD,0,1.4724E-6,RI,0.096,arn:aws:ec2:us-east-1:836060457634:reserved-instances/abc,
c,INV-1,AWS Marketplace,836060457634,2018-10-01T00:00:00Z,836060457634,Usage,2018-10-02 00:00:00,prod-x,SoftwareUsage,1,USD,0,-5e-06,Free Trial,,,
`

func write(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// gzipped is data compressed with gzip.
func gzipped(t testing.TB, data []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// zipped is a zip archive of files, each named by names, in that order.
func zipped(t testing.TB, names []string, files ...[]byte) []byte {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for i, n := range names {
		f, err := w.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(files[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// refused imports data as a file of that name, expecting it to be refused
// with a message holding every want, no row and no delivery committed; it
// returns the error for further checks.
func refused(t *testing.T, name string, data []byte, want ...string) error {
	t.Helper()
	dst := newMemDest()
	_, err := importFile(t, write(t, name, data), dst)
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("message %q lacks %q", err, w)
		}
	}
	if len(dst.committed) != 0 || len(dst.hashes) != 0 {
		t.Errorf("a refused import committed %d rows and %d file hashes", len(dst.committed), len(dst.hashes))
	}
	return err
}

func importFile(t *testing.T, path string, dst *memDest) (Result, error) {
	return File(context.Background(), path, dst, Options{Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestLegacyCSVVariants(t *testing.T) {
	csv := []byte(legacyHeader + legacyRows)
	part2 := []byte(legacyHeader + strings.ReplaceAll(strings.Split(legacyRows, "\n")[0], "a,INV-1", "d,INV-1") + "\n")
	cases := []struct {
		name string
		file string
		data []byte
		rows int64
		sum  string
	}{
		{"plain", "cur.csv", csv, 3, "0.0115964724"},
		{"crlf and BOM", "cur.csv", append([]byte("\uFEFF"), bytes.ReplaceAll(csv, []byte("\n"), []byte("\r\n"))...), 3, "0.0115964724"},
		{"gzip", "cur.csv.gz", gzipped(t, csv), 3, "0.0115964724"},
		{"zip with two CSVs", "cur.zip", zipped(t, []string{"a.csv", "manifest.json", "b.csv"}, csv, []byte("{}"), part2), 4, "0.0231964724"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dst := newMemDest()
			res, err := importFile(t, write(t, tc.file, tc.data), dst)
			if err != nil {
				t.Fatal(err)
			}
			if res.Format != "cur-csv" || res.Rows != tc.rows || res.Status != Imported {
				t.Fatalf("format %s rows %d status %s", res.Format, res.Rows, res.Status)
			}
			if got := res.UnblendedCost(); !got.Equal(dec(tc.sum)) {
				t.Fatalf("total %s, want %s", got, tc.sum)
			}
			if len(res.Deliveries) != 1 || !res.Deliveries[0].Final || res.Deliveries[0].Period != "2018-10" {
				t.Fatalf("deliveries %+v", res.Deliveries)
			}
			if got := res.Deliveries[0].Accounts["836060457634"]; !got.Equal(dec("-0.000005")) {
				t.Fatalf("payer account total %s", got)
			}
		})
	}
}

func TestLegacyCSVFields(t *testing.T) {
	dst := newMemDest()
	if _, err := importFile(t, write(t, "cur.csv", []byte(legacyHeader+legacyRows)), dst); err != nil {
		t.Fatal(err)
	}
	it := dst.committed[0]
	want := lineitem.Item{
		Provider: lineitem.AWS, BillingPeriod: "2018-10", PayerAccount: "836060457634", UsageAccount: "011254002932",
		Type: "Usage", BillingEntity: "AWS", ProductCode: "AmazonEC2", UsageType: "BoxUsage:t2.micro",
		UsageStart: time.Date(2018, 10, 1, 0, 0, 0, 0, time.UTC), Currency: "USD", InvoiceID: "INV-1",
		Description: "t2.micro, Linux", Tags: []lineitem.Tag{{Key: "Name", Value: "web"}},
	}
	if it.UsageAccount != want.UsageAccount || it.Description != want.Description || !it.UsageStart.Equal(want.UsageStart) ||
		it.Tags[0] != want.Tags[0] || it.Type != want.Type || it.ProductCode != want.ProductCode || it.InvoiceID != want.InvoiceID {
		t.Fatalf("got %+v", it)
	}
	if !it.UnblendedCost.Equal(dec("0.0116")) || !it.PublicOnDemandCost.Equal(dec("0.0116")) || !it.UsageAmount.Equal(dec("1")) {
		t.Fatalf("amounts %s %s %s", it.UnblendedCost, it.PublicOnDemandCost, it.UsageAmount)
	}
	ri := dst.committed[1]
	if ri.ReservationARN == "" || lineitem.ARNAccount(ri.ReservationARN) != "836060457634" || !ri.UnblendedCost.Equal(dec("0.0000014724")) {
		t.Fatalf("RI line %+v", ri)
	}
	mp := dst.committed[2]
	if mp.BillingEntity != lineitem.MarketplaceEntity || !mp.UsageStart.Equal(time.Date(2018, 10, 2, 0, 0, 0, 0, time.UTC)) || len(mp.Tags) != 0 {
		t.Fatalf("marketplace line %+v", mp)
	}
}

func TestAthenaText(t *testing.T) {
	header := strings.Join([]string{"identity_line_item_id", "bill_invoice_id", "bill_payer_account_id", "bill_billing_period_start_date",
		"line_item_usage_account_id", "line_item_line_item_type", "line_item_usage_start_date", "line_item_product_code",
		"line_item_currency_code", "line_item_unblended_cost", "line_item_blended_cost", "product_region", "resource_tags_user_cost_center"}, "\x01")
	rows := []string{
		strings.Join([]string{"x", "", "836060457634", "2019-11-01 00:00:00", "011254002932", "Usage", "2019-11-26 00:00:00", "AWSCloudTrail", "USD", "1.4724E-6", `\N`, "ap-northeast-1", `\N`}, "\x01"),
		strings.Join([]string{"y", "", "836060457634", "2019-11-01 00:00:00", "011254002932", "Usage", "2019-11-26 01:00:00", "AmazonS3", "USD", `"0.5`, "0.5", "us-east-1", "cc-1"}, "\x01"),
	}
	_ = rows
	data := []byte(header + "\n" + rows[0] + "\n" + strings.Replace(rows[1], `"0.5`, "0.5", 1) + "\n")
	dst := newMemDest()
	res, err := importFile(t, write(t, "Step1CUR.gz", gzipped(t, data)), dst)
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != "cur-athena-text" || res.Final() || !res.UnblendedCost().Equal(dec("0.5000014724")) {
		t.Fatalf("format %s final %v total %s", res.Format, res.Final(), res.UnblendedCost())
	}
	if it := dst.committed[1]; it.Region != "us-east-1" || len(it.Tags) != 1 || it.Tags[0] != (lineitem.Tag{Key: "cost_center", Value: "cc-1"}) {
		t.Fatalf("item %+v", it)
	}
	if it := dst.committed[0]; !it.BlendedCost.IsZero() || len(it.Tags) != 0 {
		t.Fatalf(`\N must read as empty: %+v`, it)
	}
}

func TestCUR2CSV(t *testing.T) {
	data := "bill_payer_account_id,bill_payer_account_name,bill_billing_period_start_date,line_item_usage_account_id,line_item_line_item_type,line_item_currency_code,line_item_unblended_cost,product,resource_tags\n" +
		`111122223333,Payer,2025-03-01T00:00:00.000Z,011122223333,Usage,EUR,2.5,"{""product_name"":""Amazon Simple Storage Service"",""region"":""eu-west-1""}","{""user_team"":""data"",""aws_created_by"":""x""}"` + "\n"
	dst := newMemDest()
	res, err := importFile(t, write(t, "cur2.csv", []byte(data)), dst)
	if err != nil {
		t.Fatal(err)
	}
	it := dst.committed[0]
	if res.Format != "cur2-csv" || it.ProductName != "Amazon Simple Storage Service" || it.Region != "eu-west-1" || it.Currency != "EUR" ||
		len(it.Tags) != 1 || it.Tags[0] != (lineitem.Tag{Key: "team", Value: "data"}) {
		t.Fatalf("format %s item %+v", res.Format, it)
	}
}

// legacyParquetRow mirrors the Athena snake_case CUR layout.
type legacyParquetRow struct {
	PayerAccount string    `parquet:"bill_payer_account_id"`
	PeriodStart  time.Time `parquet:"bill_billing_period_start_date,timestamp(millisecond)"`
	InvoiceID    string    `parquet:"bill_invoice_id"`
	UsageAccount string    `parquet:"line_item_usage_account_id"`
	Type         string    `parquet:"line_item_line_item_type"`
	UsageStart   time.Time `parquet:"line_item_usage_start_date,timestamp(millisecond)"`
	Currency     string    `parquet:"line_item_currency_code"`
	Cost         float64   `parquet:"line_item_unblended_cost"`
	Rate         string    `parquet:"line_item_unblended_rate"`
	Tag          string    `parquet:"resource_tags_user_env"`
}

type cur2ParquetRow struct {
	PayerAccount string            `parquet:"bill_payer_account_id"`
	PayerName    string            `parquet:"bill_payer_account_name"`
	PeriodStart  time.Time         `parquet:"bill_billing_period_start_date,timestamp(millisecond)"`
	UsageAccount string            `parquet:"line_item_usage_account_id"`
	Type         string            `parquet:"line_item_line_item_type"`
	Currency     string            `parquet:"line_item_currency_code"`
	Cost         float64           `parquet:"line_item_unblended_cost"`
	Product      map[string]string `parquet:"product"`
	Tags         map[string]string `parquet:"resource_tags"`
}

func writeParquet[T any](t *testing.T, name string, rows []T) string {
	t.Helper()
	var b bytes.Buffer
	if err := parquet.Write(&b, rows); err != nil {
		t.Fatal(err)
	}
	return write(t, name, b.Bytes())
}

func TestParquet(t *testing.T) {
	oct := time.Date(2018, 10, 1, 0, 0, 0, 0, time.UTC)
	t.Run("legacy", func(t *testing.T) {
		path := writeParquet(t, "cur.snappy.parquet", []legacyParquetRow{
			{"836060457634", oct, "INV", "011254002932", "Usage", oct.Add(time.Hour), "USD", 0.1, "0.0116", "prod"},
			{"836060457634", oct, "INV", "011254002932", "Usage", oct.Add(2 * time.Hour), "USD", 1.4724e-06, "", ""},
		})
		dst := newMemDest()
		res, err := importFile(t, path, dst)
		if err != nil {
			t.Fatal(err)
		}
		if res.Format != "cur-parquet" || !res.UnblendedCost().Equal(dec("0.1000014724")) || !res.Final() {
			t.Fatalf("format %s total %s", res.Format, res.UnblendedCost())
		}
		it := dst.committed[0]
		if it.UsageAccount != "011254002932" || !it.UsageStart.Equal(oct.Add(time.Hour)) || !it.UnblendedRate.Equal(dec("0.0116")) ||
			len(it.Tags) != 1 || it.Tags[0].Value != "prod" {
			t.Fatalf("item %+v", it)
		}
	})
	t.Run("cur2", func(t *testing.T) {
		path := writeParquet(t, "cur2.parquet", []cur2ParquetRow{
			{"111122223333", "Payer", oct, "011122223333", "Usage", "USD", 2.25, map[string]string{"product_name": "AWS Lambda", "region": "us-west-2"}, map[string]string{"user_app": "api"}},
		})
		dst := newMemDest()
		res, err := importFile(t, path, dst)
		if err != nil {
			t.Fatal(err)
		}
		it := dst.committed[0]
		if res.Format != "cur2-parquet" || it.ProductName != "AWS Lambda" || it.Region != "us-west-2" || len(it.Tags) != 1 || it.Tags[0] != (lineitem.Tag{Key: "app", Value: "api"}) {
			t.Fatalf("format %s item %+v", res.Format, it)
		}
	})
}

func TestAlreadyImported(t *testing.T) {
	dst := newMemDest()
	path := write(t, "cur.csv", []byte(legacyHeader+legacyRows))
	if _, err := importFile(t, path, dst); err != nil {
		t.Fatal(err)
	}
	res, err := importFile(t, path, dst)
	if err != nil || res.Status != AlreadyImported || len(dst.committed) != 3 {
		t.Fatalf("second import: %v %s, %d rows stored", err, res.Status, len(dst.committed))
	}
}

func TestBadInput(t *testing.T) {
	good := []byte(legacyHeader + legacyRows)
	truncatedGz := gzipped(t, good)
	truncatedGz = truncatedGz[:len(truncatedGz)-20]
	truncatedZip := zipped(t, []string{"a.csv"}, good)
	cases := []struct {
		name, file string
		data       []byte
		want       []string // substrings of the message
	}{
		{"empty file", "e.csv", nil, []string{"e.csv", "empty"}},
		{"blank lines only", "e.csv", []byte("\n\n"), []string{"empty"}},
		{"header only", "h.csv", []byte(legacyHeader), []string{"no line items"}},
		{"unknown format", "x.csv", []byte("Date,Amount\n2024-01-01,5\n"), []string{"unknown file format", "azure-csv", "BillingCurrency, CostInBillingCurrency, SubscriptionId", "found columns Date, Amount"}},
		{"required column missing", "m.csv", []byte(strings.Replace(legacyHeader, "lineItem/CurrencyCode", "lineItem/Other", 1) + legacyRows), []string{"lineItem/CurrencyCode", "missing"}},
		{"cost not a number", "n.csv", []byte(legacyHeader + strings.Replace(legacyRows, "1.4724E-6", "12.5USD", 1)), []string{"line 3", "lineItem/UnblendedCost", `"12.5USD"`, "not a number"}},
		{"two currencies", "c.csv", []byte(legacyHeader + strings.Replace(legacyRows, ",Free Trial", ",Free Trial", 1) + strings.Replace(strings.Split(legacyRows, "\n")[0], "USD", "EUR", 1) + "\n"), []string{"line 5", "two currencies", "EUR", "USD", "line 2"}},
		{"wrong field count", "f.csv", []byte(legacyHeader + "a,b,c\n"), []string{"line 2", "3 fields"}},
		{"bad date", "d.csv", []byte(legacyHeader + strings.Replace(legacyRows, "2018-10-02 00:00:00", "yesterday", 1)), []string{"line 4", "lineItem/UsageStartDate", "not a timestamp"}},
		{"truncated gzip", "t.csv.gz", truncatedGz, []string{"truncated or damaged"}},
		{"truncated zip", "t.zip", truncatedZip[:len(truncatedZip)/2], []string{"zip", "truncated"}},
		{"binary garbage", "g.bin", []byte{0, 1, 2, 3, 4, 5}, []string{"not a text, gzip, zip or Parquet file"}},
		{"unterminated quote", "q.csv", []byte(legacyHeader + `a,"INV` + "\n"), []string{"line 2", "quote"}},
		{"not parquet despite magic", "p.parquet", []byte("PAR1garbage"), []string{"Parquet"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := refused(t, tc.file, tc.data, tc.want...)
			var ie *Error
			if !errors.As(err, &ie) {
				t.Fatalf("error %T %v is not an *ingest.Error", err, err)
			}
			damaged := strings.Contains(tc.name, "truncated") || strings.Contains(tc.name, "empty") || strings.Contains(tc.name, "blank") || strings.Contains(tc.name, "parquet")
			notBilling := strings.Contains(tc.name, "unknown") || strings.Contains(tc.name, "missing") || strings.Contains(tc.name, "garbage")
			if errors.Is(err, ErrDamaged) != damaged || errors.Is(err, ErrNotBilling) != notBilling {
				t.Errorf("kind: damaged %v notBilling %v", errors.Is(err, ErrDamaged), errors.Is(err, ErrNotBilling))
			}
		})
	}
}

func TestForcedFormat(t *testing.T) {
	dst := newMemDest()
	if _, err := File(context.Background(), write(t, "cur.csv", []byte(legacyHeader+legacyRows)), dst, Options{Format: "xls"}); err == nil ||
		!strings.Contains(err.Error(), "cur-csv") {
		t.Fatalf("unknown forced format: %v", err)
	}
	res, err := File(context.Background(), write(t, "cur.csv", []byte(legacyHeader+legacyRows)), dst, Options{Format: "cur2-csv"})
	if err != nil || res.Format != "cur2-csv" {
		t.Fatalf("forced format: %v %s", err, res.Format)
	}
}
