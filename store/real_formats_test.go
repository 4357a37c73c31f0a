package store

import (
	"archive/zip"
	"os"
	"path/filepath"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/ingest"
	"rebill/engine/lineitem"
)

// TestRealDBRFile imports the public Detailed Billing Report, as CSV and
// zipped as AWS delivered it. Its expected total was computed outside
// Rebill, with Python's decimal module over the CSV:
//
//	sum(Decimal(r["UnBlendedCost"]) for r in csv.DictReader(f) if r["RecordType"] == "LineItem")
//
// = 0.08805964 USD in 8 line items, all of account 095669871260 under
// payer 123456789012, September 2014, invoice 11111111 (so final).
func TestRealDBRFile(t *testing.T) {
	const want = "0.08805964"
	csvPath := realFile(t, "scopely-details/detailed_with_tags.csv")
	data, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	zipPath := filepath.Join(t.TempDir(), "123456789012-aws-billing-detailed-line-items-with-resources-and-tags-2014-09.csv.zip")
	f, err := os.Create(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	w, err := zw.Create("123456789012-aws-billing-detailed-line-items-with-resources-and-tags-2014-09.csv")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, path := range []string{csvPath, zipPath} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			db := openTest(t)
			res, err := importPath(t, db, path)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != ingest.Imported || res.Format != "dbr-csv" || res.Rows != 8 || !res.Final() || len(res.Deliveries) != 1 {
				t.Fatalf("status %s format %s rows %d final %v deliveries %d", res.Status, res.Format, res.Rows, res.Final(), len(res.Deliveries))
			}
			d := res.Deliveries[0]
			if d.Provider != lineitem.AWS || d.Payer != "123456789012" || d.Period != "2014-09" || d.Currency != "USD" ||
				len(d.Accounts) != 1 || !d.Accounts["095669871260"].Equal(decimal.RequireFromString(want)) ||
				!d.UnblendedCost.Equal(decimal.RequireFromString(want)) {
				t.Fatalf("delivery %+v", d)
			}
			periods, err := db.Periods()
			if err != nil || len(periods) != 1 || periods[0].Period != "2014-09" || periods[0].Rows != 8 ||
				!periods[0].UnblendedCost.Equal(decimal.RequireFromString(want)) || !periods[0].Final {
				t.Fatalf("periods %+v, %v", periods, err)
			}
			again, err := importPath(t, db, path)
			if err != nil || again.Status != ingest.AlreadyImported {
				t.Fatalf("importing again: %v %s", err, again.Status)
			}
		})
	}
}
