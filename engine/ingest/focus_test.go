package ingest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"rebill/engine/lineitem"
)

// focusHeader is a FOCUS 1.0 header written as the FinOps Foundation's
// sample writes it: quoted, alphabetical, a subset of the columns.
const focusHeader = `"BilledCost","BillingAccountId","BillingCurrency","BillingPeriodEnd","BillingPeriodStart","ChargeCategory",` +
	`"ChargePeriodStart","CommitmentDiscountId","CommitmentDiscountStatus","ListCost","ProviderName","PublisherName",` +
	`"InvoiceIssuerName","ServiceName","SubAccountId","Tags"` + "\n"

// focusRows are an AWS usage line of 1.5 and one a Savings Plan covered
// (billed 0, list 0.0464) for 011254002932 under 836060457634, an Azure
// line of 0.25 and an Oracle line of 0.125: 1.875 USD in September 2024.
var focusRows = []string{
	`1.50000000000,"836060457634","USD","2024-10-01 00:00:00","2024-09-01 00:00:00","Usage","2024-09-18 22:00:00",NULL,NULL,1.50000000000,"AWS","Amazon Web Services, Inc.","Amazon Web Services, Inc.","Amazon Elastic Compute Cloud","011254002932","{""team"": ""web""}"`,
	`0.00000000000,"836060457634","USD","2024-10-01 00:00:00","2024-09-01 00:00:00","Usage","2024-09-18 22:00:00","arn:aws:savingsplans::305417826390:savingsplan/37985e61","Used",0.04640000000,"AWS","Amazon Web Services, Inc.","Amazon Web Services, Inc.","Amazon Elastic Compute Cloud","011254002932",NULL`,
	`0.25000000000,"/providers/Microsoft.Billing/billingAccounts/8611537","USD","2024-10-01 00:00:00","2024-09-01 00:00:00","Usage","2024-09-04 00:00:00",NULL,NULL,0.25,"Microsoft","Microsoft","Microsoft","Storage Accounts","/subscriptions/64e355d7-997c-491d-b0c1-8414dccfcf42","{""env"": ""prod"", "" org"": ""trey""}"`,
	`0.12500000000,"20209880","USD","2024-10-01 00:00:00","2024-09-01 00:00:00","Usage","2024-09-21 17:00:00","","",0.125,"Oracle","Oracle","Oracle","COMPUTE","ocid1.tenancy.oc1..aaaaaaaa2fs7w19bi9iupcjqv8zayogd",NULL`,
}

func focusFile(rows ...string) []byte { return []byte(focusHeader + strings.Join(rows, "\n") + "\n") }

// TestFOCUSMixedProviders: one FOCUS file of three clouds makes a delivery
// per provider and billing account, each with its own accounts.
func TestFOCUSMixedProviders(t *testing.T) {
	dst := newMemDest()
	res, err := importFile(t, write(t, "focus.csv", focusFile(focusRows...)), dst)
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != "focus-csv" || res.Rows != 4 || len(res.Deliveries) != 3 || res.Final() {
		t.Fatalf("format %s rows %d final %v deliveries %+v", res.Format, res.Rows, res.Final(), res.Deliveries)
	}
	want := []struct {
		provider       lineitem.Provider
		payer, account string
		rows           int64
		cost           string
	}{
		{lineitem.AWS, "836060457634", "011254002932", 2, "1.5"},
		{lineitem.Azure, "8611537", "64e355d7-997c-491d-b0c1-8414dccfcf42", 1, "0.25"},
		{lineitem.OCI, "20209880", "ocid1.tenancy.oc1..aaaaaaaa2fs7w19bi9iupcjqv8zayogd", 1, "0.125"},
	}
	for i, w := range want {
		d := res.Deliveries[i]
		if d.Provider != w.provider || d.Payer != w.payer || d.Period != "2024-09" || d.Rows != w.rows ||
			!d.UnblendedCost.Equal(dec(w.cost)) || len(d.Accounts) != 1 || !d.Accounts[w.account].Equal(dec(w.cost)) {
			t.Errorf("delivery %d: %+v, want %+v", i, d, w)
		}
	}
	if !res.UnblendedCost().Equal(dec("1.875")) {
		t.Errorf("total %s", res.UnblendedCost())
	}
	covered := dst.committed[1]
	if covered.Type != lineitem.DiscountedUsage || !covered.PublicOnDemandCost.Equal(dec("0.0464")) ||
		lineitem.ARNAccount(covered.ReservationARN) != "305417826390" {
		t.Errorf("covered usage %+v", covered)
	}
	if az := dst.committed[2]; len(az.Tags) != 2 || az.Tags[0] != (lineitem.Tag{Key: " org", Value: "trey"}) {
		t.Errorf("Azure tags %v", az.Tags)
	}
}

func TestFOCUSRefused(t *testing.T) {
	cases := []struct {
		name string
		rows []string
		want string
	}{
		// FOCUS's ids are opaque (lineitem.Checker.Opaque): one word, of
		// any provider's shape, as the FinOps Foundation's anonymized
		// sample writes them; a space is no id of any provider.
		{"an AWS account of two words", []string{strings.Replace(focusRows[0], `"011254002932"`, `"011254 002932"`, 1)},
			`focus.csv: line 2, column SubAccountId: "011254 002932" is not an account id: an id is one word of letters, digits and - _ : .`},
		{"an empty Azure billing account", []string{strings.Replace(focusRows[2], "/providers/Microsoft.Billing/billingAccounts/8611537", "", 1)},
			`focus.csv: line 2, column BillingAccountId: "" is empty: an id is one word`},
		{"an AWS Savings Plan of a malformed account", []string{strings.Replace(focusRows[1], "305417826390", "30541782639", 1)},
			`focus.csv: line 2, column CommitmentDiscountId: "arn:aws:savingsplans::30541782639:savingsplan/37985e61" does not name its owner account`},
		{"two currencies", []string{focusRows[0], strings.Replace(focusRows[2], `"USD"`, `"EUR"`, 1)},
			`focus.csv: line 3: two currencies in one file: EUR here, USD since line 2`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dst := newMemDest()
			_, err := importFile(t, write(t, "focus.csv", focusFile(tc.rows...)), dst)
			if err == nil || !strings.Contains(err.Error(), "/"+tc.want) || len(dst.committed) != 0 {
				t.Fatalf("got %v, %d committed\nwant %s", err, len(dst.committed), tc.want)
			}
		})
	}
}

// focusParquetColumns are the columns of a FOCUS 1.2 row as Parquet, but
// its tags (parquet-go writes an embedded struct's fields as columns).
type focusParquetColumns struct {
	BilledCost         float64   `parquet:"BilledCost"`
	BillingAccountID   string    `parquet:"BillingAccountId"`
	BillingCurrency    string    `parquet:"BillingCurrency"`
	BillingPeriodStart time.Time `parquet:"BillingPeriodStart,timestamp(millisecond)"`
	BillingPeriodEnd   time.Time `parquet:"BillingPeriodEnd,timestamp(millisecond)"`
	ChargeCategory     string    `parquet:"ChargeCategory"`
	InvoiceID          string    `parquet:"InvoiceId,optional"`
	ProviderName       string    `parquet:"ProviderName"`
	SubAccountID       string    `parquet:"SubAccountId"`
}

// focusParquetRow is a FOCUS 1.2 row as Parquet, its tags a map.
type focusParquetRow struct {
	focusParquetColumns
	Tags map[string]string `parquet:"Tags"`
}

func focusParquetRows() []focusParquetRow {
	sep, oct := time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	return []focusParquetRow{
		{focusParquetColumns{2.25, "836060457634", "USD", sep, oct, "Usage", "EUINFR25-1", "AWS", "011254002932"}, map[string]string{"team": "data"}},
		{focusParquetColumns{-0.5, "836060457634", "USD", sep, oct, "Credit", "EUINFR25-1", "AWS", "011254002932"}, nil},
	}
}

// TestFOCUSParquet: FOCUS 1.2 in Parquet, final by its InvoiceId.
func TestFOCUSParquet(t *testing.T) {
	dst := newMemDest()
	res, err := importFile(t, writeParquet(t, "focus.parquet", focusParquetRows()), dst)
	if err != nil {
		t.Fatal(err)
	}
	d := res.Deliveries[0]
	if res.Format != "focus-parquet" || res.Rows != 2 || len(res.Deliveries) != 1 || !d.Final || d.Period != "2025-09" ||
		!d.UnblendedCost.Equal(dec("1.75")) || d.InvoiceIDs[0] != "EUINFR25-1" {
		t.Fatalf("format %s rows %d deliveries %+v", res.Format, res.Rows, res.Deliveries)
	}
	if it := dst.committed[0]; len(it.Tags) != 1 || it.Tags[0] != (lineitem.Tag{Key: "team", Value: "data"}) {
		t.Fatalf("tags %v", it.Tags)
	}
	if it := dst.committed[1]; it.Type != lineitem.Credit {
		t.Fatalf("credit %+v", it)
	}
}

// focusSeeds are small valid FOCUS files: three clouds in CSV, 1.3's
// columns, Parquet.
func focusSeeds(t testing.TB) [][]byte {
	v13 := "BilledCost,BillingAccountId,BillingCurrency,BillingPeriodStart,ChargeCategory,InvoiceId,InvoiceIssuerName,ServiceProviderName,HostProviderName,SubAccountId\n" +
		"10,836060457634,EUR,2025-03-01T00:00:00Z,Usage,EUINFR25-1,AWS,Red Hat,AWS,011254002932\n"
	return [][]byte{
		focusFile(focusRows...),
		[]byte(v13),
		parquetBytes(t, focusParquetRows()),
	}
}

// FuzzFOCUS feeds the FOCUS reader mutated files and checks what every
// import promises (see checkImport).
func FuzzFOCUS(f *testing.F) {
	for _, s := range focusSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkImport(t, "focus.csv", data)
	})
}

func TestFOCUSFuzzSeedsAreAccepted(t *testing.T) {
	for i, s := range focusSeeds(t) {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			dst := &recordDest{}
			res, err := File(context.Background(), write(t, "focus.csv", s), dst, Options{})
			if err != nil || dst.commits != 1 || !strings.HasPrefix(res.Format, "focus") {
				t.Fatalf("%v, %d commits, format %s", err, dst.commits, res.Format)
			}
		})
	}
}
