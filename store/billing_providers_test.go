package store

import (
	"os"
	"path/filepath"
	"testing"

	"rebill/engine/lineitem"
)

// TestOnlyBilledProvidersAreBilled: a month of AWS and Azure data (one
// FOCUS file) keeps both deliveries, but statements read only AWS's line
// items: the Azure subscription is not billed by AWS's rules.
func TestOnlyBilledProvidersAreBilled(t *testing.T) {
	const focus = "BilledCost,BillingAccountId,BillingCurrency,BillingPeriodStart,ChargeCategory,ProviderName,ServiceName,SubAccountId\n" +
		"1.5,836060457634,USD,2024-09-01 00:00:00,Usage,AWS,Amazon Elastic Compute Cloud,011254002932\n" +
		"2.5,836060457634,USD,2024-09-01 00:00:00,Usage,AWS,Amazon Simple Storage Service,011254002932\n" +
		"0.25,8611537,USD,2024-09-01 00:00:00,Usage,Microsoft,Storage Accounts,64e355d7-997c-491d-b0c1-8414dccfcf42\n"
	db := openTest(t)
	path := filepath.Join(t.TempDir(), "focus.csv")
	if err := os.WriteFile(path, []byte(focus), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := importPath(t, db, path); err != nil {
		t.Fatal(err)
	}
	if ps, err := db.Periods(); err != nil || len(ps) != 2 {
		t.Fatalf("periods %+v, %v", ps, err)
	}
	bm, err := db.BillingMonth("2024-09")
	if err != nil {
		t.Fatal(err)
	}
	if len(bm.Deliveries) != 1 || bm.Deliveries[0].Provider != lineitem.AWS || bm.Month.Items() != 2 {
		t.Fatalf("deliveries %+v, %d items", bm.Deliveries, bm.Month.Items())
	}
	for _, a := range bm.Month.Accounts() {
		if a.Account != "011254002932" {
			t.Errorf("account %s billed", a.Account)
		}
	}
}
