package ingest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"rebill/engine/lineitem"
)

// realData is the folder of public provider files beside the checkout.
var realData = filepath.Join("..", "..", "..", "shared", "data", "real")

func realFile(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join(realData, rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("real billing files not available (%v): they live in ../shared/data/real beside the checkout", err)
	}
	return p
}

// month is one delivery an import of a real file makes: its provider,
// payer and billing month, its rows and the total of its invoice cost
// column.
type month struct {
	provider      lineitem.Provider
	payer, period string
	rows          int64
	total         string
}

// realFiles are every file in ../shared/data/real with what its import
// must make. The totals were computed outside Rebill, with Python 3's csv
// and decimal modules (exact decimal arithmetic, precision 200) summing
// the file's cost column per payer and month: BilledCost for FOCUS, Cost,
// CostInBillingCurrency, costInBillingCurrency or PreTaxCost for Azure,
// cost/myCost for OCI, the LineItem rows' UnBlendedCost for the DBR,
// line_item_unblended_cost for the Athena text (read with gzip), and for
// GCP the cost column plus every credit's amount (the credits cell read
// with ast.literal_eval; cost 0.000032, credits -0.000032). The Parquet
// files' totals are store/real_test.go's, from hyparquet and decimal.js.
var realFiles = []struct {
	file, format string
	months       []month
}{
	{"aws-wa-labs/Oct2018-WorkshopCUR-00001.snappy.parquet", "cur-parquet",
		[]month{{lineitem.AWS, "836060457634", "2018-10", 119307, "4064.4831315379"}}},
	{"aws-wa-labs/Nov2018-WorkshopCUR-00001.snappy.parquet", "cur-parquet",
		[]month{{lineitem.AWS, "836060457634", "2018-11", 124340, "3505.3269681268"}}},
	{"aws-wa-labs/BeforeCUR.gz", "cur-athena-text",
		[]month{{lineitem.AWS, "836060457634", "2019-11", 7850, "89.170632878"}}},
	{"focus-converters/sample-anonymous-aws-export-dataset.csv", "cur-csv",
		[]month{{lineitem.AWS, "123412340534", "2023-11", 1281, "1.6823086974"}}},
	{"scopely-details/detailed_with_tags.csv", "dbr-csv",
		[]month{{lineitem.AWS, "123456789012", "2014-09", 8, "0.08805964"}}},
	// The FinOps Foundation's FOCUS 1.0 sample: three providers, and one
	// Oracle row billed in October.
	{"focus-sample-data/focus_sample.csv", "focus-csv", []month{
		{lineitem.AWS, "1234567890123", "2024-09", 942, "18.0066386184"},
		{lineitem.OCI, "20209880", "2024-09", 6, "0.29707392473"},
		{lineitem.OCI, "20209880", "2024-10", 1, "0.24"},
		{lineitem.Azure, "8611537", "2024-09", 51, "1.97651418586"},
	}},
	// Azure EA, actual and amortized (BOM, MM/DD/YYYY, 28 decimals).
	{"finops-toolkit/EA_ActualCost_Small.csv", "azure-csv",
		[]month{{lineitem.Azure, "8611537", "2023-09", 11, "8.5450077867419368"}}},
	{"finops-toolkit/EA_AmortizedCost_Small.csv", "azure-csv",
		[]month{{lineitem.Azure, "8611537", "2023-09", 28, "16.296932136636644627485419"}}},
	// Azure EA with CostInBillingCurrency, CAD, M/D/YYYY, CRLF.
	{"focus-converters/sample-anonymous-ea-export-dataset.csv", "azure-csv",
		[]month{{lineitem.Azure, "12345678", "2023-09", 27, "1.26136926505726"}}},
	// Pay-as-you-go (BOM, CRLF, ISO dates): the subscription is the payer.
	{"koku/costreport_a243c6f2-199f-4074-9a2c-40e671cf1584.csv", "azure-usage-csv",
		[]month{{lineitem.Azure, "0039de71-ca37-4a17-a104-17665a50e7fc", "2019-07", 3, "0.00011016"}}},
	// camelCase partner export without a billing period: the date's month.
	{"opencost/EnterpriseCamel.csv", "azure-csv",
		[]month{{lineitem.Azure, "11111111-1111-1111-1111-123456789012", "2021-02", 1, "0.012"}}},
	// German headers, the English name in brackets.
	{"opencost/German.csv", "azure-usage-csv",
		[]month{{lineitem.Azure, "11111111-12ab-34dc-56ef-123456abcdef", "2021-02", 1, "0.075"}}},
	{"koku/202011_30c31bca571d9b7f3b2c8459dd8bc34a_2020-11-08_2020-11-11.csv", "gcp-csv",
		[]month{{lineitem.GCP, "000000-B0BBA4-940A77", "2020-11", 25, "0"}}},
	{"focus-converters/reports_cost-csv_0000000030000269.csv", "oci-csv",
		[]month{{lineitem.OCI, "ocid1.tenancy.oc1..aaaaaaaadsyhydp66mjpsohqocfcgzaabtrit47ex2igzu2j6lhuadrrglca", "2023-11", 506, "2.523589325400648027"}}},
}

// TestRealFilesImport: every public file imports as its format, each
// provider, payer and month with the rows and the exact total of its cost
// column that another tool computed, and every line item passes the
// rules (checkImport).
func TestRealFilesImport(t *testing.T) {
	listed := map[string]bool{}
	for _, tc := range realFiles {
		listed[filepath.FromSlash(tc.file)] = true
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			path := realFile(t, tc.file)
			dst := newMemDest()
			res, err := importFile(t, path, dst)
			if err != nil {
				t.Fatal(err)
			}
			if res.Format != tc.format || len(res.Deliveries) != len(tc.months) {
				t.Fatalf("format %s, %d deliveries", res.Format, len(res.Deliveries))
			}
			for i, want := range tc.months {
				d := res.Deliveries[i]
				got := month{d.Provider, d.Payer, d.Period, d.Rows, d.UnblendedCost.String()}
				if got.provider != want.provider || got.payer != want.payer || got.period != want.period || got.rows != want.rows ||
					!d.UnblendedCost.Equal(dec(want.total)) {
					t.Errorf("delivery %d: %+v, want %+v", i+1, got, want)
				}
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			checkImport(t, filepath.Base(path), data)
		})
	}
	// A file added to the folder is a file this test must list.
	filepath.Walk(realData, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || strings.HasSuffix(p, ".md") {
			return nil
		}
		rel, _ := filepath.Rel(realData, p)
		if !listed[rel] {
			t.Errorf("%s is not in realFiles", rel)
		}
		return nil
	})
}

// TestRealFilesMissingCostColumn: a real file whose cost column is
// renamed is of no known shape, and is refused naming its own format as
// the closest and the cost column as missing.
func TestRealFilesMissingCostColumn(t *testing.T) {
	for _, tc := range []struct{ file, cost, want string }{
		{"finops-toolkit/EA_ActualCost_Small.csv", "Cost", "azure-csv (Azure cost details (EA or MCA, actual or amortized), CSV), which needs the column CostInBillingCurrency"},
		{"koku/costreport_a243c6f2-199f-4074-9a2c-40e671cf1584.csv", "PreTaxCost", "azure-usage-csv (Azure pay-as-you-go usage details, CSV), which needs the column PreTaxCost"},
		{"koku/202011_30c31bca571d9b7f3b2c8459dd8bc34a_2020-11-08_2020-11-11.csv", "cost", "gcp-csv (Google Cloud billing export (BigQuery), CSV), which needs the column cost"},
		{"focus-converters/reports_cost-csv_0000000030000269.csv", "cost/myCost", "oci-csv (Oracle Cloud Infrastructure cost report, CSV), which needs the column cost/myCost"},
	} {
		t.Run(tc.cost, func(t *testing.T) {
			data, err := os.ReadFile(realFile(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			header, rest, _ := strings.Cut(string(data), "\n")
			cols := strings.Split(strings.TrimRight(header, "\r"), ",")
			for i, c := range cols {
				if strings.TrimPrefix(c, "\ufeff") == tc.cost {
					cols[i] = "Renamed"
				}
			}
			dst := newMemDest()
			_, err = importFile(t, write(t, "x.csv", []byte(strings.Join(cols, ",")+"\n"+rest)), dst)
			if !errors.Is(err, ErrNotBilling) || !strings.Contains(err.Error(), "unknown file format: the closest Rebill reads is "+tc.want+";") {
				t.Fatalf("got %v", err)
			}
			if len(dst.committed) != 0 {
				t.Fatal(fmt.Sprint(len(dst.committed), " rows committed"))
			}
		})
	}
}
