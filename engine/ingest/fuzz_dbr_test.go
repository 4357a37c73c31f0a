package ingest

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// dbrSeeds are small valid Detailed Billing Reports: with totals and
// rounding, without totals, a single account's Rate and Cost, zipped.
func dbrSeeds(t testing.TB) [][]byte {
	single := "InvoiceID,PayerAccountId,LinkedAccountId,RecordType,ProductName,UsageStartDate,UsageQuantity,Rate,Cost\n" +
		"Estimated,123456789012,,LineItem,Amazon Simple Storage Service,2014-09-30 23:00:00,7,0.000005,0.000035\n" +
		"Estimated,123456789012,,InvoiceTotal,,,,,0.00\n"
	full := dbrFile(dbrLines...)
	return [][]byte{
		full,
		dbrFile(dbrLines[:2]...),
		[]byte(single),
		zipped(t, []string{"dbr.csv"}, full),
	}
}

// FuzzDBR feeds the DBR reader mutated reports and checks what every
// import promises (see checkImport): a refusal is positioned and commits
// nothing; an acceptance commits exactly the line items the result sums.
func FuzzDBR(f *testing.F) {
	for _, s := range dbrSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkImport(t, "dbr.csv", data)
	})
}

func TestDBRFuzzSeedsAreAccepted(t *testing.T) {
	for i, s := range dbrSeeds(t) {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			dst := &recordDest{}
			res, err := File(context.Background(), write(t, "dbr.csv", s), dst, Options{})
			if err != nil || dst.commits != 1 || !strings.HasPrefix(res.Format, "dbr") {
				t.Fatalf("%v, %d commits, format %s", err, dst.commits, res.Format)
			}
		})
	}
}
