package dbr

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/lineitem"
	"rebill/engine/read"
)

// header is a DBR with resources and tags, as AWS wrote it.
var header = strings.Split("InvoiceID,PayerAccountId,LinkedAccountId,RecordType,RecordId,ProductName,RateId,SubscriptionId,PricingPlanId,"+
	"UsageType,Operation,AvailabilityZone,ReservedInstance,ItemDescription,UsageStartDate,UsageEndDate,UsageQuantity,"+
	"BlendedRate,BlendedCost,UnBlendedRate,UnBlendedCost,ResourceId,user:Name,user:Role", ",")

// row is a line of header: the values named, the rest empty.
func row(values map[string]string) [][]byte {
	fields := make([][]byte, len(header))
	for i, h := range header {
		fields[i] = []byte(values[h])
	}
	return fields
}

// lineItem is a LineItem row of account 095669871260 under payer
// 123456789012, changed by kv (column, value, column, value...).
func lineItem(kv ...string) [][]byte {
	v := map[string]string{"InvoiceID": "11111111", "PayerAccountId": "123456789012", "LinkedAccountId": "095669871260",
		"RecordType": "LineItem", "ProductName": "Amazon Elastic Compute Cloud", "UsageType": "BoxUsage", "Operation": "RunInstances",
		"AvailabilityZone": "us-east-1b", "ItemDescription": "$0.044 per On Demand Linux m1.small Instance Hour",
		"UsageStartDate": "2014-09-01 00:00:00", "UsageEndDate": "2014-09-01 01:00:00", "UsageQuantity": "1.00000000",
		"BlendedRate": "0.0440000000", "BlendedCost": "0.04400000", "UnBlendedRate": "0.0440000000", "UnBlendedCost": "0.04400000",
		"ResourceId": "i-c7ae0eeb"}
	for i := 0; i+1 < len(kv); i += 2 {
		v[kv[i]] = kv[i+1]
	}
	return row(v)
}

// totalRow is a total of the given record type stating cost (both columns).
func totalRow(kind, invoice, linked, cost string) [][]byte {
	return row(map[string]string{"InvoiceID": invoice, "PayerAccountId": "123456789012", "LinkedAccountId": linked,
		"RecordType": kind, "ItemDescription": "Total", "BlendedCost": cost, "UnBlendedCost": cost})
}

func newMapper(t *testing.T, h []string) (*Mapper, *int) {
	t.Helper()
	line := new(int)
	m, err := NewMapper(h, func() string { return fmt.Sprintf("line %d", *line) })
	if err != nil {
		t.Fatal(err)
	}
	return m, line
}

func TestMapLineItem(t *testing.T) {
	m, _ := newMapper(t, header)
	var it lineitem.Item
	it.Tags = []lineitem.Tag{{Key: "stale", Value: "x"}}
	if err := m.Map(lineItem("user:Name", "web", "user:Role", ""), &it); err != nil {
		t.Fatal(err)
	}
	want := lineitem.Item{
		Provider: lineitem.AWS, BillingPeriod: "2014-09", PayerAccount: "123456789012", UsageAccount: "095669871260",
		Type: lineitem.Usage, ProductCode: "AmazonEC2", ProductName: "Amazon Elastic Compute Cloud",
		UsageType: "BoxUsage", Operation: "RunInstances", Region: "us-east-1", ResourceID: "i-c7ae0eeb",
		UsageStart: time.Date(2014, 9, 1, 0, 0, 0, 0, time.UTC), Currency: "USD", InvoiceID: "11111111",
		Description: "$0.044 per On Demand Linux m1.small Instance Hour",
	}
	amounts := []struct {
		name      string
		got, want decimal.Decimal
	}{
		{"usage", it.UsageAmount, decimal.RequireFromString("1")},
		{"unblended rate", it.UnblendedRate, decimal.RequireFromString("0.044")},
		{"unblended cost", it.UnblendedCost, decimal.RequireFromString("0.044")},
		{"blended rate", it.BlendedRate, decimal.RequireFromString("0.044")},
		{"blended cost", it.BlendedCost, decimal.RequireFromString("0.044")},
		{"public on-demand", it.PublicOnDemandCost, decimal.Zero},
	}
	for _, a := range amounts {
		if !a.got.Equal(a.want) {
			t.Errorf("%s %s, want %s", a.name, a.got, a.want)
		}
	}
	if len(it.Tags) != 1 || it.Tags[0] != (lineitem.Tag{Key: "Name", Value: "web"}) {
		t.Errorf("tags %v, want Name=web only", it.Tags)
	}
	if !it.UsageStart.Equal(want.UsageStart) || !equalItems(it, want) {
		t.Errorf("got  %+v\nwant %+v", it, want)
	}
	if inv := lineitem.Validate(&it); inv != nil {
		t.Errorf("invalid: %v", inv)
	}
}

// equalItems compares the text fields of two items.
func equalItems(a, b lineitem.Item) bool {
	return a.Provider == b.Provider && a.BillingPeriod == b.BillingPeriod && a.PayerAccount == b.PayerAccount &&
		a.UsageAccount == b.UsageAccount && a.Type == b.Type && a.ProductCode == b.ProductCode && a.ProductName == b.ProductName &&
		a.UsageType == b.UsageType && a.Operation == b.Operation && a.Region == b.Region && a.ResourceID == b.ResourceID &&
		a.Currency == b.Currency && a.InvoiceID == b.InvoiceID && a.Description == b.Description && a.BillingEntity == b.BillingEntity
}

func TestMapRows(t *testing.T) {
	cases := []struct {
		name  string
		rows  [][][]byte
		check func(it *lineitem.Item) bool
		err   string // of the last row; "" for none
	}{
		{"estimated until final", [][][]byte{lineItem("InvoiceID", "Estimated")},
			func(it *lineitem.Item) bool { return it.InvoiceID == "" }, ""},
		{"no linked account", [][][]byte{lineItem("LinkedAccountId", "")},
			func(it *lineitem.Item) bool { return it.UsageAccount == "" && it.PayerAccount == "123456789012" }, ""},
		{"a zone without its letter is no region", [][][]byte{lineItem("AvailabilityZone", "us-east-1")},
			func(it *lineitem.Item) bool { return it.Region == "" }, ""},
		{"an undated line item takes the month before", [][][]byte{lineItem(), lineItem("UsageStartDate", "")},
			func(it *lineitem.Item) bool { return it.BillingPeriod == "2014-09" && it.UsageStart.IsZero() }, ""},
		{"an undated first line item", [][][]byte{lineItem("UsageStartDate", "")}, nil,
			"column UsageStartDate: is empty: the month of a Detailed Billing Report is read from its line items' usage start dates"},
		{"two months", [][][]byte{lineItem(), lineItem("UsageStartDate", "2014-10-01 00:00:00")}, nil,
			"column UsageStartDate: 2014-10 is not the month of this report: a Detailed Billing Report holds one month, 2014-09 since line 0"},
		{"unknown record type", [][][]byte{lineItem("RecordType", "PayerLineItem")}, nil,
			`column RecordType: "PayerLineItem" is not a record type of the Detailed Billing Report`},
		{"a cost that is no number", [][][]byte{lineItem("UnBlendedCost", "0,04")}, nil, "column UnBlendedCost: "},
		{"a description that is not text", [][][]byte{lineItem("ItemDescription", "caf\xe9")}, nil,
			`column ItemDescription: "caf\xe9" is not valid UTF-8 text`},
		{"the disclaimer of an estimated report", [][][]byte{row(map[string]string{"RecordType": "EstimatedDisclaimer",
			"ItemDescription": "This report reflects your estimated monthly bill for activity through approximately 2014-09-30 12:00:00"})},
			nil, read.ErrNotLineItem.Error()},
		{"a total", [][][]byte{totalRow("StatementTotal", "", "", "0.09")}, nil, read.ErrNotLineItem.Error()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := newMapper(t, header)
			var it lineitem.Item
			var err error
			for _, r := range tc.rows {
				if err = m.Map(r, &it); err != nil {
					break
				}
			}
			if tc.err == "" {
				if err != nil || !tc.check(&it) {
					t.Fatalf("%v, item %+v", err, it)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("got %v, want %s", err, tc.err)
			}
		})
	}
}

// TestSingleAccountReport: a report of one account writes Rate and Cost;
// its blended and unblended figures are the same.
func TestSingleAccountReport(t *testing.T) {
	h := []string{"InvoiceID", "PayerAccountId", "LinkedAccountId", "RecordType", "ProductName", "UsageStartDate", "UsageQuantity", "Rate", "Cost"}
	m, err := NewMapper(h, func() string { return "line 2" })
	if err != nil {
		t.Fatal(err)
	}
	var it lineitem.Item
	fields := [][]byte{[]byte("Estimated"), []byte("123456789012"), nil, []byte("LineItem"), []byte("Amazon Simple Storage Service"),
		[]byte("2014-09-30 23:00:00"), []byte("7"), []byte("0.000005"), []byte("0.000035")}
	if err := m.Map(fields, &it); err != nil {
		t.Fatal(err)
	}
	if !it.UnblendedCost.Equal(decimal.RequireFromString("0.000035")) || !it.BlendedCost.Equal(it.UnblendedCost) ||
		!it.UnblendedRate.Equal(decimal.RequireFromString("0.000005")) || !it.BlendedRate.Equal(it.UnblendedRate) {
		t.Fatalf("item %+v", it)
	}
	inv := lineitem.Invalid{Field: lineitem.FieldUnblendedCost}
	if col := m.Column(fields, &it, &inv); col != "Cost" {
		t.Fatalf("column %q", col)
	}
	inv.Field = lineitem.FieldUsageAccount
	if col := m.Column(fields, &it, &inv); col != "PayerAccountId" {
		t.Fatalf("an empty linked account is named %q", col)
	}
}

// TestTotals checks the totals a file states against line items of
// 0.044 + 0.00000019 + 0.00000324 = 0.04400343 (account 095669871260,
// invoice 11111111) and 0.01 (account 210987654321, invoice 22222222),
// 0.05400343 in all.
func TestTotals(t *testing.T) {
	items := [][][]byte{
		lineItem(),
		lineItem("UnBlendedCost", "0.00000019", "BlendedCost", "0.00000019"),
		lineItem("UnBlendedCost", "0.00000324", "BlendedCost", "0.00000324"),
		lineItem("LinkedAccountId", "210987654321", "InvoiceID", "22222222", "UnBlendedCost", "0.01", "BlendedCost", "0.01"),
	}
	cases := []struct {
		name   string
		totals [][][]byte
		err    string // "" when they agree
	}{
		{"none", nil, ""},
		{"statement, exact", [][][]byte{totalRow("StatementTotal", "", "", "0.05400343")}, ""},
		{"statement, to the cent", [][][]byte{totalRow("StatementTotal", "", "", "0.05")}, ""},
		{"invoice with its rounding", [][][]byte{
			totalRow("Rounding", "11111111", "", "-0.00400343"),
			totalRow("InvoiceTotal", "11111111", "", "0.04"),
			totalRow("InvoiceTotal", "22222222", "", "0.01"),
			totalRow("StatementTotal", "", "", "0.05"),
		}, ""},
		{"accounts", [][][]byte{
			totalRow("AccountTotal", "", "095669871260", "0.04400343"),
			totalRow("AccountTotal", "22222222", "210987654321", "0.01"),
		}, ""},
		{"an invoice total too high", [][][]byte{totalRow("InvoiceTotal", "11111111", "", "0.05")},
			`line 6, column UnBlendedCost: the InvoiceTotal is 0.05 but the line items of invoice "11111111", payer "123456789012" add up to 0.04400343: the file is incomplete or was changed; download it again`},
		{"a rounding that does not make the total", [][][]byte{
			totalRow("Rounding", "11111111", "", "0.01"),
			totalRow("InvoiceTotal", "11111111", "", "0.03"),
		}, `line 7, column UnBlendedCost: the InvoiceTotal is 0.03 but the line items of invoice "11111111", payer "123456789012" add up to 0.04400343 (0.05400343 with the Rounding rows)`},
		{"an account on another invoice", [][][]byte{totalRow("AccountTotal", "11111111", "210987654321", "0.01")},
			`line 6, column UnBlendedCost: the AccountTotal is 0.01 but the line items of account "210987654321", invoice "11111111", payer "123456789012" add up to 0`},
		{"blended disagrees", [][][]byte{row(map[string]string{"PayerAccountId": "123456789012", "RecordType": "StatementTotal",
			"UnBlendedCost": "0.05400343", "BlendedCost": "0.06"})},
			"line 6, column BlendedCost: the StatementTotal is 0.06 but the line items of payer"},
		{"a total of another payer", [][][]byte{row(map[string]string{"PayerAccountId": "999999999999", "RecordType": "StatementTotal", "UnBlendedCost": "0"})}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, line := newMapper(t, header)
			var it lineitem.Item
			for i, r := range append(append([][][]byte{}, items...), tc.totals...) {
				*line = i + 2 // the header is line 1
				err := m.Map(r, &it)
				if i < len(items) && err != nil || i >= len(items) && err != read.ErrNotLineItem {
					t.Fatalf("row %d: %v", i+1, err)
				}
			}
			err := m.Done()
			if tc.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var re *read.RowError
			if !errors.As(err, &re) || !strings.HasPrefix(err.Error(), tc.err) {
				t.Fatalf("got %v\nwant %s", err, tc.err)
			}
		})
	}
}

func TestAgrees(t *testing.T) {
	d := decimal.RequireFromString
	cases := []struct {
		name                  string
		stated, sum, rounding string
		want                  bool
	}{
		{"exact", "0.08805964", "0.08805964", "0", true},
		{"trailing zeros", "0.0880596400", "0.08805964", "0", true},
		{"to the cent", "0.09", "0.08805964", "0", true},
		{"to the cent, half up", "0.01", "0.005", "0", true},
		{"the cent below", "0.08", "0.08805964", "0", false},
		{"with the rounding", "0.09", "0.08805964", "0.00194036", true},
		{"more decimals than the sum", "0.088059641", "0.08805964", "0", false},
		{"whole dollars", "1", "0.6", "0", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := agrees(d(tc.stated), d(tc.sum), d(tc.rounding)); got != tc.want {
				t.Fatalf("agrees(%s, %s, %s) = %v", tc.stated, tc.sum, tc.rounding, got)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	cases := []struct {
		name   string
		header []string
		c      read.Container
		ok     bool
	}{
		{"with resources and tags", header, read.CSV, true},
		{"lower case", strings.Split(strings.ToLower(strings.Join(header, ",")), ","), read.CSV, true},
		{"single account", []string{"InvoiceID", "PayerAccountId", "LinkedAccountId", "RecordType", "UsageStartDate", "Cost"}, read.CSV, true},
		{"the monthly report", []string{"InvoiceID", "PayerAccountId", "LinkedAccountId", "RecordType", "UsageStartDate", "TotalCost"}, read.CSV, false},
		{"in Parquet", header, read.Parquet, false},
		{"a CUR", []string{"lineItem/UsageAccountId", "lineItem/UnblendedCost"}, read.CSV, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, ok := detect(tc.header, tc.c); ok != tc.ok {
				t.Fatalf("detect = %v, want %v", ok, tc.ok)
			}
		})
	}
	name, found, missing := closest([]string{"InvoiceID", "PayerAccountId", "LinkedAccountId", "RecordType"}, read.CSV)
	if name != Name || found != 4 || strings.Join(missing, ", ") != "UnBlendedCost, UsageStartDate" {
		t.Fatalf("closest %s %d %v", name, found, missing)
	}
}

func TestHeaderProblems(t *testing.T) {
	cases := []struct {
		name  string
		extra []string
		want  string
	}{
		{"the same name", []string{"UnBlendedCost"}, "columns 21 and 25 are both named UnBlendedCost: keep one of them"},
		{"two spellings", []string{"unblendedcost"}, "columns 21 (UnBlendedCost) and 25 (unblendedcost) are the same column: keep one of them"},
		{"a tag name that is not text", []string{"user:\xff"}, `column "user:\xff": the tag name "\xff" is not valid UTF-8 text`},
		{"one tag in two columns", []string{"user:Name"}, "columns 23 and 25 are both named user:Name: keep one of them"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewMapper(append(append([]string{}, header...), tc.extra...), nil)
			if err == nil || err.Error() != tc.want {
				t.Fatalf("got %v, want %s", err, tc.want)
			}
		})
	}
	_, err := NewMapper([]string{"InvoiceID", "PayerAccountId", "RecordType", "Cost"}, nil)
	var fe *read.FormatError
	if !errors.As(err, &fe) || err.Error() != "required columns missing: LinkedAccountId, UsageStartDate" {
		t.Fatalf("got %v", err)
	}
}

func TestColumnNamesTheSourceOfAField(t *testing.T) {
	m, _ := newMapper(t, header)
	fields := lineItem("user:Name", "web", "user:Role", "db")
	var it lineitem.Item
	if err := m.Map(fields, &it); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		inv  lineitem.Invalid
		want string
	}{
		{lineitem.Invalid{Field: lineitem.FieldPayerAccount}, "PayerAccountId"},
		{lineitem.Invalid{Field: lineitem.FieldUsageAccount}, "LinkedAccountId"},
		{lineitem.Invalid{Field: lineitem.FieldBillingPeriod}, "UsageStartDate"},
		{lineitem.Invalid{Field: lineitem.FieldRegion}, "AvailabilityZone"},
		{lineitem.Invalid{Field: lineitem.FieldUnblendedCost}, "UnBlendedCost"},
		{lineitem.Invalid{Field: lineitem.FieldBlendedRate}, "BlendedRate"},
		{lineitem.Invalid{Field: lineitem.FieldTagValue, Tag: 1}, "user:Role"},
		{lineitem.Invalid{Field: lineitem.FieldCurrency}, ""},
		{lineitem.Invalid{Field: lineitem.FieldProvider}, ""},
	} {
		t.Run(tc.inv.Field.String(), func(t *testing.T) {
			if got := m.Column(fields, &it, &tc.inv); got != tc.want {
				t.Fatalf("Column = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestClosest: how near a header comes to a DBR, by the columns it shares.
func TestClosest(t *testing.T) {
	cases := []struct {
		name    string
		header  []string
		found   int
		missing string
	}{
		{"all but the cost", []string{"InvoiceID", "PayerAccountId", "LinkedAccountId", "RecordType", "UsageStartDate"}, 5, "UnBlendedCost"},
		{"a single account's cost", []string{"RecordType", "Cost"}, 2, "InvoiceID, LinkedAccountId, PayerAccountId, UsageStartDate"},
		{"a column named Cost alone", []string{"Date", "Cost"}, 0, "InvoiceID, LinkedAccountId, PayerAccountId, RecordType, UnBlendedCost, UsageStartDate"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			name, found, missing := closest(tc.header, read.CSV)
			if name != Name || found != tc.found || strings.Join(missing, ", ") != tc.missing {
				t.Fatalf("closest = %s %d %v, want %d %s", name, found, missing, tc.found, tc.missing)
			}
		})
	}
}

// TestProductCodeFromName: the DBR names services only; a known name gets
// the code a CUR writes beside it (AWS's support charge then reads as the
// provider's support, in the Support section), an unknown one keeps its
// name as its code.
func TestProductCodeFromName(t *testing.T) {
	for _, c := range []struct{ name, code string }{
		{"Amazon Elastic Compute Cloud", "AmazonEC2"},
		{"Amazon Simple Queue Service", "AWSQueueService"},
		{"AWS Key Management Service", "awskms"},
		{"AWS Support (Business)", "AWSSupportBusiness"},
		// The FinOps Foundation's FOCUS sample names it so.
		{"AWS Security Hub", "AWSSecurityHub"},
		{"Amazon Brand New Service", "Amazon Brand New Service"},
		{"", ""},
	} {
		m, _ := newMapper(t, header)
		var it lineitem.Item
		if err := m.Map(lineItem("ProductName", c.name), &it); err != nil {
			t.Fatal(err)
		}
		if it.ProductCode != c.code || it.ProductName != c.name {
			t.Errorf("%q: code %q, name %q; want code %q", c.name, it.ProductCode, it.ProductName, c.code)
		}
	}
}
