package store

import (
	"archive/zip"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/customer"
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

// TestRealFOCUSSample imports the FinOps Foundation's FOCUS 1.0 sample.
// Its AWS rows carry anonymized ids that are no AWS account ids (a
// 13-digit billing account, 11-digit sub accounts): FOCUS's ids are
// opaque (lineitem.Checker.Opaque), so the whole file imports, each cloud
// and billing account a delivery of its own. The expected figures were
// computed outside Rebill, with Python's decimal module over the CSV:
//
//	sum(Decimal(r["BilledCost"]) for r in csv.DictReader(f) if r["ProviderName"] == p ...)
//
// per ProviderName, BillingAccountId, month of BillingPeriodStart and
// SubAccountId.
func TestRealFOCUSSample(t *testing.T) {
	data, err := os.ReadFile(realFile(t, "focus-sample-data/focus_sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	db := openTest(t)
	whole := filepath.Join(t.TempDir(), "focus_sample.csv")
	if err := os.WriteFile(whole, data, 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := importPath(t, db, whole)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		provider      lineitem.Provider
		payer, period string
		rows          int64
		total         string
		accounts      map[string]string
	}{
		// 942 AWS rows of 61 sub accounts; only the month's total is
		// checked here.
		{lineitem.AWS, "1234567890123", "2024-09", 942, "18.0066386184", nil},
		// 51 Microsoft rows; BillingAccountId /providers/Microsoft.Billing/billingAccounts/8611537.
		{lineitem.Azure, "8611537", "2024-09", 51, "1.97651418586", map[string]string{
			"64e355d7-997c-491d-b0c1-8414dccfcf42": "0.21995207966",
			"73c0021f-a37d-433f-8baa-7450cb54eea6": "0.17568152",
			"9ec51cfd-5ca7-4d76-8101-dd0a4abc5674": "0.0000005862",
			"ed570627-0265-4620-bb42-bae06bcfa914": "1.58088",
		}},
		// 7 Oracle rows, one of them billed in October.
		{lineitem.OCI, "20209880", "2024-09", 6, "0.29707392473", map[string]string{
			"ocid6.tenancy.oc6..aaaaaaaa2fs7w19bi9iupcjqv8zayogd78eziinl2hu7rkdvmuhsavhbmkma": "0.02507392473",
			"ocid6.tenancy.oc6..aaaaaaaalnpeq6xok1okj8vknc9pzancima2g8bwvk2kk9jgwhgycacrie2q": "0.272",
		}},
		{lineitem.OCI, "20209880", "2024-10", 1, "0.24", map[string]string{
			"ocid6.tenancy.oc6..aaaaaaaamz7ywh2epitrng9d8a7rj7o6thfwjvz79n1hg9apiq7mvj8rpoia": "0.24",
		}},
	}
	if res.Format != "focus-csv" || res.Rows != 1000 || len(res.Deliveries) != len(want) {
		t.Fatalf("format %s rows %d deliveries %d", res.Format, res.Rows, len(res.Deliveries))
	}
	for _, w := range want {
		i := slices.IndexFunc(res.Deliveries, func(d ingest.Delivery) bool {
			return d.Provider == w.provider && d.Payer == w.payer && d.Period == w.period
		})
		if i < 0 {
			t.Fatalf("no delivery of %s %s %s", w.provider, w.payer, w.period)
		}
		d := res.Deliveries[i]
		if d.Rows != w.rows || !d.UnblendedCost.Equal(decimal.RequireFromString(w.total)) || d.Final || w.accounts != nil && len(d.Accounts) != len(w.accounts) {
			t.Errorf("%s %s %s: %d rows, %s, final %v, %d accounts", w.provider, w.payer, w.period, d.Rows, d.UnblendedCost, d.Final, len(d.Accounts))
		}
		for acct, cost := range w.accounts {
			if !d.Accounts[acct].Equal(decimal.RequireFromString(cost)) {
				t.Errorf("%s account %s: %s, want %s", w.provider, acct, d.Accounts[acct], cost)
			}
		}
	}
	periods, err := db.Periods()
	if err != nil || len(periods) != 4 {
		t.Fatalf("periods %+v, %v", periods, err)
	}
	// Billed: two of the Azure subscriptions mapped to a customer give
	// its Azure statement. Per service, summed and rounded half-up with
	// Python's decimal module (its BilledCost column, rows of the two
	// subscriptions): Azure DB for MySQL 0.37096774194 -> 0.37, Azure
	// Kubernetes Service 1.58088 -> 1.58, Azure Machine Learning
	// -0.15189756178 -> -0.15, Storage Accounts 0.0008818995 -> 0.00;
	// 1.80 in all, 1.80083207966 unrounded.
	addOwners(t, db, map[string]string{"64e355d7-997c-491d-b0c1-8414dccfcf42": "ACME", "ed570627-0265-4620-bb42-bae06bcfa914": "ACME"})
	bm, err := db.BillingMonth("2024-09")
	if err != nil {
		t.Fatal(err)
	}
	if got := bm.Providers("ACME"); !slices.Equal(got, []lineitem.Provider{lineitem.Azure}) {
		t.Fatalf("ACME's providers %v", got)
	}
	st, err := bm.Statement("ACME", billing.Options{Provider: lineitem.Azure})
	if err != nil {
		t.Fatal(err)
	}
	lines := map[string]string{}
	for _, sec := range st.Sections {
		for _, l := range sec.Lines {
			lines[l.Service] = l.Amount.String()
		}
	}
	want2 := map[string]string{"Azure DB for MySQL": "0.37", "Azure Kubernetes Service": "1.58", "Azure Machine Learning": "-0.15", "Storage Accounts": "0.00"}
	if !mapsEqual(lines, want2) || st.Total.String() != "1.80" || !st.Unrounded.Equal(decimal.RequireFromString("1.80083207966")) {
		t.Errorf("ACME's Azure statement: lines %v, total %s, unrounded %s", lines, st.Total, st.Unrounded)
	}
}

// TestRealFOCUSSampleAWSAccounts: the sample's 66 AWS sub accounts are
// written without their leading zero (10961396247, anonymised): they are
// read as the 12-digit accounts AWS writes, which a mapping accepts, so
// the month can be billed. Account 010961396247's statement, by hand
// from its 6 rows' BilledCost (Python's decimal, half-up per service):
// Amazon Elastic Compute Cloud 0.0033333525 -> 0.00, Amazon Virtual
// Private Cloud 0.01 -> 0.01; 0.01 in all.
func TestRealFOCUSSampleAWSAccounts(t *testing.T) {
	db := openTest(t)
	res, err := importPath(t, db, realFile(t, "focus-sample-data/focus_sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(res.Deliveries, func(d ingest.Delivery) bool { return d.Provider == lineitem.AWS })
	if i < 0 {
		t.Fatal("no AWS delivery")
	}
	accounts := res.Deliveries[i].Accounts
	if len(accounts) != 66 {
		t.Errorf("%d AWS accounts, want 66", len(accounts))
	}
	for acct := range accounts {
		if err := customer.CheckAccount(acct); err != nil || !lineitem.AWS.ValidAccount(acct) {
			t.Errorf("account %q cannot be mapped: %v", acct, err)
		}
	}
	addOwners(t, db, map[string]string{"010961396247": "BETA"})
	bm, err := db.BillingMonth("2024-09")
	if err != nil {
		t.Fatal(err)
	}
	st, err := bm.Statement("BETA", billing.Options{Provider: lineitem.AWS})
	if err != nil {
		t.Fatal(err)
	}
	if st.Total.String() != "0.01" {
		t.Errorf("BETA's AWS statement totals %s, want 0.01", st.Total)
	}
}

// TestRealDBRSupportIsTheProviders: the DBR names services only, and AWS's
// own support charge is "AWS Support (Business)". Read as product code
// AWSSupportBusiness, it is the provider's support the customer's plan
// replaces, not a charge on top of it. The real file's eight lines cost
// 0.08805964 (TestRealDBRFile), printed 0.09; a support row of 100.00 is
// added. The Business plan's minimum, 100.00 (10 % of 0.088 is less), is
// the support line, so the total is 0.09 + 100.00 = 100.09, not 200.09
// as when the support row was billed as a service too.
func TestRealDBRSupportIsTheProviders(t *testing.T) {
	data, err := os.ReadFile(realFile(t, "scopely-details/detailed_with_tags.csv"))
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, `"11111111","123456789012","095669871260","LineItem","9","AWS Support (Business)","1","1","1","USE1-Dollar","","","N","AWS Support (Business)","2014-09-01 00:00:00","2014-09-30 23:59:59","1.00000000","100.0000000000","100.00000000","100.0000000000","100.00000000",,,`+"\n"...)
	path := filepath.Join(t.TempDir(), "dbr.csv")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	db := openTest(t)
	if _, err := importPath(t, db, path); err != nil {
		t.Fatal(err)
	}
	c := named("SCOP", "Scopely", "")
	c.SetSupportFrom("2014-09", customer.SupportBusiness, decimal.Zero)
	mustAdd(t, db, c)
	if err := db.Map(customer.Mapping{Account: "095669871260", Customer: "SCOP", From: "2014-09"}, t0); err != nil {
		t.Fatal(err)
	}
	bm, err := db.BillingMonth("2014-09")
	if err != nil {
		t.Fatal(err)
	}
	st, err := bm.Statement("SCOP", billing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	services := map[string]string{}
	for _, s := range st.Sections {
		for _, l := range s.Lines {
			services[l.Service] = string(s.ProductType) + " " + l.Amount.String()
		}
	}
	if st.Total.String() != "100.09" || services["AmazonEC2"] != "Compute 0.09" || len(services) != 4 {
		t.Errorf("total %s, lines %v; want 100.09 with AmazonEC2 in Compute, AmazonS3, AWSQueueService and the plan's support line", st.Total, services)
	}
}
