package store

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/ingest"
)

// realData is the folder of public provider files beside the checkout.
var realData = filepath.Join("..", "..", "shared", "data", "real")

func realFile(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join(realData, rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("real billing files not available (%v): they live in ../shared/data/real beside the checkout", err)
	}
	return p
}

// TestRealCURFiles imports the public AWS CUR samples. The expected totals
// were computed outside Rebill: Python's decimal module over the CSV and
// Hive text, and hyparquet + decimal.js (JavaScript) over the Parquet files.
func TestRealCURFiles(t *testing.T) {
	cases := []struct {
		file, format, period string
		rows                 int64
		final                bool
		accounts             map[string]string
	}{
		{"aws-wa-labs/Oct2018-WorkshopCUR-00001.snappy.parquet", "cur-parquet", "2018-10", 119307, true,
			map[string]string{"011254002932": "71.4558054277", "836060457634": "3993.0273261102"}},
		{"aws-wa-labs/Nov2018-WorkshopCUR-00001.snappy.parquet", "cur-parquet", "2018-11", 124340, true,
			map[string]string{"011254002932": "60.4857473337", "836060457634": "3444.8412207931"}},
		{"aws-wa-labs/BeforeCUR.gz", "cur-athena-text", "2019-11", 7850, false,
			map[string]string{"011254002932": "0.367587958", "836060457634": "88.80304492"}},
		{"focus-converters/sample-anonymous-aws-export-dataset.csv", "cur-csv", "2023-11", 1281, false,
			map[string]string{"123412340534": "1.6823086974"}},
	}
	db := openTest(t)
	for _, tc := range cases {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			path := realFile(t, tc.file)
			res, err := importPath(t, db, path)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != ingest.Imported || res.Format != tc.format || res.Rows != tc.rows || res.Final() != tc.final {
				t.Fatalf("status %s format %s rows %d final %v", res.Status, res.Format, res.Rows, res.Final())
			}
			d := res.Deliveries[0]
			if len(res.Deliveries) != 1 || d.Period != tc.period || len(d.Accounts) != len(tc.accounts) {
				t.Fatalf("deliveries %+v", res.Deliveries)
			}
			total := decimal.Zero
			for acct, want := range tc.accounts {
				w := decimal.RequireFromString(want)
				total = total.Add(w)
				if got := d.Accounts[acct]; !got.Equal(w) {
					t.Errorf("account %s: %s, want %s", acct, got, want)
				}
			}
			if !d.UnblendedCost.Equal(total) {
				t.Errorf("month total %s, want %s", d.UnblendedCost, total)
			}
			again, err := importPath(t, db, path)
			if err != nil || again.Status != ingest.AlreadyImported {
				t.Fatalf("importing again: %v %s", err, again.Status)
			}
		})
	}
}
