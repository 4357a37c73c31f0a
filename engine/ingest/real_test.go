package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
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

// TestRealNonAWSFilesNameTheClosestFormat: the other providers' files,
// which Rebill does not read yet, are refused naming the closest format and
// what it lacks. (AWS's own files, the DBR included, pass every rule:
// store/real_test.go imports them and checks their totals.)
func TestRealNonAWSFilesNameTheClosestFormat(t *testing.T) {
	const csvNeeds = "the closest Rebill reads is cur-csv (AWS Cost and Usage Report, legacy CSV), which needs the column(s) " +
		"bill/BillingPeriodStartDate, bill/PayerAccountId, lineItem/CurrencyCode, lineItem/LineItemType, lineItem/UnblendedCost, lineItem/UsageAccountId; found columns "
	for _, tc := range []struct{ file, found string }{
		{"finops-toolkit/EA_ActualCost_Small.csv", "BillingAccountId, BillingAccountName"},
		{"focus-converters/reports_cost-csv_0000000030000269.csv", "lineItem/referenceNo, lineItem/tenantId"},
		{"focus-converters/sample-anonymous-ea-export-dataset.csv", "InvoiceSectionName, AccountName"},
		{"focus-sample-data/focus_sample.csv", "AvailabilityZone, BilledCost"},
		{"koku/costreport_a243c6f2-199f-4074-9a2c-40e671cf1584.csv", "SubscriptionGuid, ResourceGroup"},
		{"opencost/German.csv", "Abonnement-GUID (SubscriptionGuid), Ressourcengruppe (ResourceGroup)"},
	} {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			dst := newMemDest()
			_, err := importFile(t, realFile(t, tc.file), dst)
			if !errors.Is(err, ErrNotBilling) || !strings.Contains(err.Error(), "unknown file format: "+csvNeeds+tc.found) {
				t.Fatalf("got %v", err)
			}
			if len(err.Error()) >= 2048 || len(dst.committed) != 0 {
				t.Fatalf("message of %d bytes, %d rows committed", len(err.Error()), len(dst.committed))
			}
		})
	}
}
