package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// TestImportJSONPerProvider: import --json reports, per provider, payer
// and month, the rows and the exact total of the file's invoice cost
// column, which it names; periods --json lists the same. The file is a
// GCP export of two rows: 1.25 less a 0.25 credit, and 0.000000001,
// 1.000000001 in all.
func TestImportJSONPerProvider(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "r.db")
	file := filepath.Join(dir, "gcp.csv")
	data := "billing_account_id,service.description,usage_start_time,project.id,cost,currency,credits,invoice.month\n" +
		`000000-B0BBA4-940A77,BigQuery,2020-11-09 23:00:00+00:00,billing-example-00000,1.25,USD,"[{'name': 'Trial', 'amount': -0.25, 'type': 'PROMOTION'}]",202011` + "\n" +
		"000000-B0BBA4-940A77,BigQuery,2020-11-10 23:00:00+00:00,billing-example-00000,1E-9,USD,[],202011\n"
	if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	var files []struct {
		Format     string `json:"format"`
		CostColumn string `json:"cost_column"`
		Deliveries []struct {
			Provider, Payer, Period string
			Rows                    int64
			UnblendedCost           string `json:"unblended_cost"`
		}
	}
	ok(t, db, &files, "import", file)
	if len(files) != 1 || files[0].Format != "gcp-csv" || files[0].CostColumn != "cost + credits" || len(files[0].Deliveries) != 1 {
		t.Fatalf("%+v", files)
	}
	if d := files[0].Deliveries[0]; d.Provider != "gcp" || d.Payer != "000000-B0BBA4-940A77" || d.Period != "2020-11" || d.Rows != 2 || d.UnblendedCost != "1.000000001" {
		t.Fatalf("%+v", d)
	}
	var periods []struct {
		Provider, Payer, Period string
		Rows                    int64
		UnblendedCost           string `json:"unblended_cost"`
	}
	ok(t, db, &periods, "periods")
	if len(periods) != 1 || periods[0].Provider != "gcp" || periods[0].UnblendedCost != "1.000000001" || periods[0].Rows != 2 {
		t.Fatalf("%+v", periods)
	}
}
