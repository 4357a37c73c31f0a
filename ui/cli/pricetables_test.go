package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// s3File writes a CUR CSV of one month of a family: ACME's account
// 111111111111 stores 30720 GB-Mo of S3 Standard on the 1st and again on
// the 15th (60 TB), BETA's 222222222222 614400 GB-Mo (600 TB) on the 1st.
// AWS tiers the family's 660 TB together and bills all of it at 0.021:
// ACME 2 × 645.12 = 1290.24.
func s3File(t *testing.T, month string) string {
	t.Helper()
	rows := []string{"222222222222,01,614400,12902.40", "111111111111,01,30720,645.12", "111111111111,15,30720,645.12"}
	body := "bill/PayerAccountId,bill/BillingPeriodStartDate,bill/InvoiceId,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/ProductCode,lineItem/UsageType,lineItem/CurrencyCode,lineItem/UsageAmount,lineItem/UnblendedCost,lineItem/UsageStartDate\n"
	for _, r := range rows {
		f := strings.Split(r, ",")
		body += "999999999999," + month + "-01T00:00:00Z,INV-" + month + "," + f[0] + ",Usage,AmazonS3,TimedStorage-ByteHrs,USD," + f[2] + "," + f[3] + "," + month + "-" + f[1] + "T00:00:00Z\n"
	}
	p := filepath.Join(t.TempDir(), "s3-"+month+".csv")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPriceTablesCommands: the S3 preset, a customer choosing it from
// March, and the tiers in the trace.
func TestPriceTablesCommands(t *testing.T) {
	at(t, time.Date(2026, 4, 5, 9, 0, 0, 0, time.UTC))
	db := tempDB(t)
	var v any
	ok(t, db, &v, "import", s3File(t, "2026-02"), s3File(t, "2026-03"))
	ok(t, db, &v, "customers", "add", "--id", "ACME", "--name", "Acme Corp", "--currency", "USD", "--support", "none")
	ok(t, db, &v, "customers", "add", "--id", "BETA", "--name", "Beta Ltd", "--currency", "USD", "--support", "none")
	ok(t, db, &v, "accounts", "map", "111111111111", "--customer", "ACME", "--from", "2026-01")
	ok(t, db, &v, "accounts", "map", "222222222222", "--customer", "BETA", "--from", "2026-01")

	out, _, _ := cli(t, db, "price-tables", "show", "s3-standard-us-east-1")
	for _, w := range []string{"check against AWS's price list", "51200", "0.023", "512000", "0.021"} {
		if !strings.Contains(out, w) {
			t.Errorf("show lacks %q:\n%s", w, out)
		}
	}
	fails(t, db, 1, `there is no price table "gold"`, "customers", "edit", "ACME", "--price-table", "gold")
	ok(t, db, &v, "customers", "edit", "ACME", "--price-table", "s3-standard-us-east-1", "--from", "2026-03")

	type stmt struct {
		Total    string `json:"total"`
		Sections []struct {
			Lines []struct {
				Service string `json:"service"`
				Amount  string `json:"amount"`
				Trace   struct {
					Tiers []struct {
						Quantity string `json:"quantity"`
						Price    string `json:"price"`
					} `json:"tiers"`
				} `json:"trace"`
			} `json:"lines"`
		} `json:"sections"`
	}
	s3 := func(month string) (amount, tiers string) {
		t.Helper()
		var st stmt
		ok(t, db, &st, "report", "--period", month, "--customer", "ACME")
		for _, s := range st.Sections {
			for _, l := range s.Lines {
				if l.Service == "AmazonS3" {
					var ts []string
					for _, tr := range l.Trace.Tiers {
						ts = append(ts, tr.Quantity+"@"+tr.Price)
					}
					return l.Amount, strings.Join(ts, " ")
				}
			}
		}
		t.Fatalf("%s: no AmazonS3 line", month)
		return
	}
	// February, before the table: as AWS billed the family, 1290.24.
	if a, ts := s3("2026-02"); a != "1290.24" || ts != "" {
		t.Errorf("February: %s %q, want 1290.24 untiered", a, ts)
	}
	// March: 51200 × 0.023 + 10240 × 0.022 = 1177.60 + 225.28 = 1402.88;
	// BETA's 600 TB in the same family does not move ACME's tiers.
	if a, ts := s3("2026-03"); a != "1402.88" || ts != "51200@0.023 10240@0.022" {
		t.Errorf("March: %s %q, want 1402.88 51200@0.023 10240@0.022", a, ts)
	}

	// The accountant corrects the second tier to 0.0215:
	// 1177.60 + 10240 × 0.0215 = 1177.60 + 220.16 = 1397.76.
	ok(t, db, &v, "price-tables", "set", "s3-standard-us-east-1", "--product", "AmazonS3", "--usage-type", "TimedStorage-ByteHrs",
		"--tiers", "0-51200=0.023;51200-512000=0.0215;512000-=0.021")
	if a, _ := s3("2026-03"); a != "1397.76" {
		t.Errorf("March after the edit: %s, want 1397.76", a)
	}
	fails(t, db, 1, "tier 2 starts at 60000", "price-tables", "set", "s3-standard-us-east-1", "--product", "AmazonS3",
		"--usage-type", "TimedStorage-ByteHrs", "--tiers", "0-51200=0.023;60000-=0.022")
	var list []struct {
		Name string `json:"name"`
	}
	ok(t, db, &list, "price-tables", "list")
	if len(list) != 1 || list[0].Name != "s3-standard-us-east-1" {
		t.Errorf("list %+v, want the preset", list)
	}
}
