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
// what it lacks: FOCUS for the Azure exports, which share its billing
// account and currency columns, the CUR for the others. (AWS's own files,
// the DBR included, pass every rule: store/real_test.go imports them and
// checks their totals.)
func TestRealNonAWSFilesNameTheClosestFormat(t *testing.T) {
	const (
		curNeeds = "the closest Rebill reads is cur-csv (AWS Cost and Usage Report, legacy CSV), which needs the column(s) " +
			"bill/BillingPeriodStartDate, bill/PayerAccountId, lineItem/CurrencyCode, lineItem/LineItemType, lineItem/UnblendedCost, lineItem/UsageAccountId; found columns "
		focusNeeds = "the closest Rebill reads is focus-csv (FOCUS (FinOps Open Cost and Usage Specification) 1.0 to 1.3, CSV), which needs the column(s) "
	)
	for _, tc := range []struct{ file, want string }{
		// BillingAccountId and BillingCurrency are FOCUS's.
		{"finops-toolkit/EA_ActualCost_Small.csv", focusNeeds + "BilledCost, BillingPeriodStart, ChargeCategory, ProviderName; found columns BillingAccountId, BillingAccountName"},
		// BillingAccountId is; its currency is BillingCurrencyCode.
		{"focus-converters/sample-anonymous-ea-export-dataset.csv", focusNeeds + "BilledCost, BillingCurrency, BillingPeriodStart, ChargeCategory, ProviderName; found columns InvoiceSectionName, AccountName"},
		{"focus-converters/reports_cost-csv_0000000030000269.csv", curNeeds + "lineItem/referenceNo, lineItem/tenantId"},
		{"koku/costreport_a243c6f2-199f-4074-9a2c-40e671cf1584.csv", curNeeds + "SubscriptionGuid, ResourceGroup"},
		{"opencost/German.csv", curNeeds + "Abonnement-GUID (SubscriptionGuid), Ressourcengruppe (ResourceGroup)"},
	} {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			dst := newMemDest()
			_, err := importFile(t, realFile(t, tc.file), dst)
			if !errors.Is(err, ErrNotBilling) || !strings.Contains(err.Error(), "unknown file format: "+tc.want) {
				t.Fatalf("got %v", err)
			}
			if len(err.Error()) >= 2048 || len(dst.committed) != 0 {
				t.Fatalf("message of %d bytes, %d rows committed", len(err.Error()), len(dst.committed))
			}
		})
	}
}
