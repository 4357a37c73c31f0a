package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// twoCloudsFOCUS is one FOCUS file of September 2026 with an AWS account
// and an Azure subscription of the same customer.
const twoCloudsFOCUS = "BilledCost,BillingAccountId,BillingCurrency,BillingPeriodStart,ChargeCategory,ProviderName,ServiceName,SubAccountId\n" +
	"1.000000000001,836060457634,USD,2026-09-01 00:00:00,Usage,AWS,AmazonEC2,011254002932\n" +
	"2.5,836060457634,USD,2026-09-01 00:00:00,Usage,AWS,AmazonS3,011254002932\n" +
	"10.004,/providers/Microsoft.Billing/billingAccounts/8611537,USD,2026-09-01 00:00:00,Usage,Microsoft,Virtual Machines,/subscriptions/64e355d7-997c-491d-b0c1-8414dccfcf42\n" +
	"0.0000000000000000000000000001,/providers/Microsoft.Billing/billingAccounts/8611537,USD,2026-09-01 00:00:00,Usage,Microsoft,Storage Accounts,/subscriptions/64e355d7-997c-491d-b0c1-8414dccfcf42\n"

func twoCloudsDB(t *testing.T) string {
	t.Helper()
	db := tempDB(t)
	path := filepath.Join(t.TempDir(), "focus.csv")
	if err := os.WriteFile(path, []byte(twoCloudsFOCUS), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"import", path},
		{"customers", "add", "--id", "ACME", "--name", "Acme Corp", "--currency", "USD"},
		{"accounts", "map", "011254002932", "--customer", "ACME", "--from", "2026-09"},
		{"accounts", "map", "64e355d7-997c-491d-b0c1-8414dccfcf42", "--customer", "ACME", "--from", "2026-09"},
		{"profile", "set", "company_name", "Northwind Cloud Partners"},
	} {
		if _, errs, code := cli(t, db, args...); code != 0 {
			t.Fatalf("rebill %s: exit %d: %s", strings.Join(args, " "), code, errs)
		}
	}
	return db
}

// TestPeriodsJSONPerProvider: each provider and billing account of a month
// is reported apart, its rows and the total of the file's invoice cost
// column (BilledCost) at full precision, by hand: AWS 1.000000000001 +
// 2.5 = 3.500000000001; Azure 10.004 + 1e-28 =
// 10.0040000000000000000000000001.
func TestPeriodsJSONPerProvider(t *testing.T) {
	db := twoCloudsDB(t)
	var got []struct {
		Provider, Payer, Period, Format string
		BillingAccount                  string `json:"billing_account"`
		Rows                            int64
		Unblended                       decimal.Decimal `json:"unblended_cost"`
		InvoiceCost                     decimal.Decimal `json:"invoice_cost"`
		Column                          string          `json:"invoice_cost_column"`
	}
	ok(t, db, &got, "periods")
	want := []struct {
		provider, account string
		rows              int64
		total             string
	}{
		{"aws", "836060457634", 2, "3.500000000001"},
		{"azure", "8611537", 2, "10.0040000000000000000000000001"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d periods: %+v", len(got), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Provider != w.provider || g.Payer != w.account || g.BillingAccount != w.account || g.Period != "2026-09" ||
			g.Rows != w.rows || g.Column != "BilledCost" || g.Format != "focus-csv" ||
			!g.InvoiceCost.Equal(decimal.RequireFromString(w.total)) || !g.Unblended.Equal(decimal.RequireFromString(w.total)) {
			t.Errorf("period %d: %+v, want %+v", i, g, w)
		}
	}
}

// TestReportAndInvoicesPerProvider: the customer's month is reported and
// invoiced once per provider: AWS 1.00 (AmazonEC2) + 2.50 (AmazonS3) =
// 3.50; Azure 10.00 (Virtual Machines) + 0.00 (Storage Accounts) = 10.00.
func TestReportAndInvoicesPerProvider(t *testing.T) {
	db := twoCloudsDB(t)
	out, errs, code := cli(t, db, "report", "--period", "2026-09", "--customer", "ACME")
	if code != 0 {
		t.Fatalf("report: exit %d: %s", code, errs)
	}
	for _, want := range []string{"Statement for Acme Corp (ACME), 2026-09\n", "Statement for Acme Corp (ACME), 2026-09, Microsoft Azure\n", "Virtual Machines"} {
		if !strings.Contains(out, want) {
			t.Errorf("report has no %q:\n%s", want, out)
		}
	}
	var one struct {
		Total   string `json:"total"`
		Options struct {
			Provider string `json:"provider"`
		} `json:"options"`
	}
	ok(t, db, &one, "report", "--period", "2026-09", "--customer", "ACME", "--provider", "azure")
	if one.Total != "10.00" || one.Options.Provider != "azure" {
		t.Errorf("Azure statement: %+v", one)
	}
	out, errs, code = cli(t, db, "invoices", "generate", "--period", "2026-09", "--all", "--allow-provisional")
	if code != 0 {
		t.Fatalf("generate: exit %d: %s", code, errs)
	}
	for _, want := range []string{"ACME      aws       created", "USD 3.50", "ACME      azure     created", "USD 10.00", "2 drafts created"} {
		if !strings.Contains(out, want) {
			t.Errorf("generate printed no %q:\n%s", want, out)
		}
	}
	fails(t, db, 1, `provider "alibaba" is not one Rebill bills: aws, azure, gcp, oci`, "report", "--period", "2026-09", "--provider", "alibaba")
}

// TestListsNameTheProvider: `invoices list` and `accounts --period` name
// each line's provider, not only the JSON's options.provider: one AWS and
// one Azure draft of ACME, the AWS account and the Azure subscription.
func TestListsNameTheProvider(t *testing.T) {
	db := twoCloudsDB(t)
	if _, errs, code := cli(t, db, "invoices", "generate", "--period", "2026-09", "--all", "--allow-provisional"); code != 0 {
		t.Fatalf("generate: exit %d: %s", code, errs)
	}
	out, errs, code := cli(t, db, "invoices", "list", "--period", "2026-09")
	if code != 0 {
		t.Fatalf("invoices list: exit %d: %s", code, errs)
	}
	for _, want := range []string{`PERIOD +PROVIDER +STATUS`, `ACME +2026-09 +aws +Draft +USD 3\.50`, `ACME +2026-09 +azure +Draft +USD 10\.00`} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("invoices list has no %s:\n%s", want, out)
		}
	}
	out, errs, code = cli(t, db, "accounts", "--period", "2026-09")
	if code != 0 {
		t.Fatalf("accounts: exit %d: %s", code, errs)
	}
	for _, want := range []string{"ACCOUNT", "PROVIDER", "011254002932", "64e355d7-997c-491d-b0c1-8414dccfcf42"} {
		if !strings.Contains(out, want) {
			t.Errorf("accounts has no %q:\n%s", want, out)
		}
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "011254002932") && !strings.Contains(l, " aws ") || strings.HasPrefix(l, "64e355d7") && !strings.Contains(l, " azure ") {
			t.Errorf("the account's line names another provider: %q", l)
		}
	}
}
