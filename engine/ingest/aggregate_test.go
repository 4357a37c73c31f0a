package ingest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"rebill/engine/read/aggregate"
)

// aggregateRows are two groups of September 2026 under payer 111111111111:
// usage of account 222222222222 on the 3rd (10.5 over 24 rows) and the
// RIFee of a reservation 111111111111 owns (30.25, one row); invoiced.
var aggregateRows = []string{
	"aws,2026-09,111111111111,222222222222,Usage,AWS,\"Amazon Web Services, Inc.\",AmazonEC2,Amazon Elastic Compute Cloud,BoxUsage:m5.large,RunInstances,2026-09-03,,USD,987654,24.000000000000,10.500000000000,10.400000000000,12.000000000000,0,0,24",
	"aws,2026-09,111111111111,111111111111,RIFee,AWS,\"Amazon Web Services, Inc.\",AmazonEC2,Amazon Elastic Compute Cloud,HeavyUsage:m5.large,RunInstances,2026-09-01,111111111111,USD,987654,720,30.25,30.25,30.25,0,0,1",
}

func aggregateFile(rows ...string) []byte {
	return []byte(strings.Join(aggregate.Header, ",") + "\n" + strings.Join(rows, "\n") + "\n")
}

// TestAggregateImport: an aggregate file is recognised by its header and
// each group becomes one line item carrying its sums, its day and its
// commitment owner.
func TestAggregateImport(t *testing.T) {
	dst := newMemDest()
	res, err := importFile(t, write(t, "aggregate.csv", aggregateFile(aggregateRows...)), dst)
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != aggregate.CSV || res.Rows != 2 || len(res.Deliveries) != 1 || !res.Final() {
		t.Fatalf("format %s rows %d final %v deliveries %+v", res.Format, res.Rows, res.Final(), res.Deliveries)
	}
	if d := res.Deliveries[0]; d.Payer != "111111111111" || d.Period != "2026-09" || !d.UnblendedCost.Equal(dec("40.75")) {
		t.Errorf("delivery %+v, want 40.75 for 111111111111 in 2026-09", d)
	}
	if len(dst.committed) != 2 {
		t.Fatalf("%d items", len(dst.committed))
	}
	usage, fee := dst.committed[0], dst.committed[1]
	if !usage.UsageStart.Equal(time.Date(2026, 9, 3, 0, 0, 0, 0, time.UTC)) || !usage.PublicOnDemandCost.Equal(dec("12")) ||
		!usage.BlendedCost.Equal(dec("10.4")) || usage.CommitmentOwner != "" || usage.LegalEntity != "Amazon Web Services, Inc." {
		t.Errorf("usage item %+v", usage)
	}
	if fee.CommitmentOwner != "111111111111" || fee.Type != "RIFee" || !fee.UsageAmount.Equal(dec("720")) {
		t.Errorf("RIFee item %+v", fee)
	}
}

// TestAggregateRefusesBadRows: a value the format cannot hold is refused
// with its line and column, and nothing is committed.
func TestAggregateRefusesBadRows(t *testing.T) {
	replace := func(field int, value string) string {
		f := strings.Split(strings.Replace(aggregateRows[1], "\"Amazon Web Services, Inc.\"", "AWS Inc", 1), ",")
		f[field] = value
		return strings.Join(f, ",")
	}
	cases := []struct {
		name string
		row  string
		want []string
	}{
		{"no rows in the group", replace(21, "0"), []string{"line 3, column row_count", "not a count of rows"}},
		{"a fraction of a row", replace(21, "1.5"), []string{"line 3, column row_count", "not a count of rows"}},
		{"a day that is no date", replace(11, "3rd"), []string{"line 3, column usage_date", "not a timestamp"}},
		{"a cost that is no number", replace(16, "ten"), []string{"line 3, column unblended_cost", "not a number"}},
		{"a month that is no month", replace(1, "2026-13"), []string{"line 3, column billing_period", "billing month"}},
		{"an unknown provider", replace(0, "ibm"), []string{"line 3, column provider", "not a provider"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			refused(t, "aggregate.csv", aggregateFile(aggregateRows[0], tc.row), tc.want...)
		})
	}
}

// aggregateSeeds are small valid aggregate files: two groups, and one
// group of a CUR 2.0 month without the optional columns, quoted as Athena
// writes its results.
func aggregateSeeds() [][]byte {
	return [][]byte{
		aggregateFile(aggregateRows...),
		[]byte(`"provider","billing_period","payer_account_id","usage_account_id","line_item_type","product_code","usage_type","currency","unblended_cost","row_count"` + "\n" +
			`"aws","2026-09","111111111111","","Tax","AWS","Tax:USE1","USD","1.4724E-6","3"` + "\n"),
	}
}

// FuzzAggregate feeds the aggregate reader mutated files and checks what
// every import promises (see checkImport): a refusal is positioned and
// commits nothing; an acceptance commits exactly the groups the result
// sums.
func FuzzAggregate(f *testing.F) {
	for _, s := range aggregateSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkImport(t, "aggregate.csv", data)
	})
}

func TestAggregateFuzzSeedsAreAccepted(t *testing.T) {
	for i, s := range aggregateSeeds() {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			dst := &recordDest{}
			res, err := File(context.Background(), write(t, "aggregate.csv", s), dst, Options{})
			if err != nil || dst.commits != 1 || res.Format != aggregate.CSV {
				t.Fatalf("%v, %d commits, format %s", err, dst.commits, res.Format)
			}
		})
	}
}
