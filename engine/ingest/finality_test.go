package ingest

import (
	"testing"

	"rebill/engine/lineitem"
)

// TestFinality is the one finality rule every format goes through: a
// delivery is final when every row carries the provider's invoice id.
func TestFinality(t *testing.T) {
	for _, tc := range []struct {
		name     string
		provider lineitem.Provider
		ids      []string // one row per id
		want     bool
	}{
		{"AWS CUR, every row invoiced", lineitem.AWS, []string{"156090591", "156090591"}, true},
		{"AWS, two invoices (AWS and Marketplace)", lineitem.AWS, []string{"156090591", "156090592"}, true},
		{"AWS CUR estimate: no invoice id", lineitem.AWS, []string{"", ""}, false},
		{"one row not invoiced yet", lineitem.AWS, []string{"156090591", ""}, false},
		{"FOCUS Azure with InvoiceId", lineitem.Azure, []string{"G012345678"}, true},
		{"FOCUS Azure, a purchase invoiced before usage", lineitem.Azure, []string{"G012345678", ""}, false},
		{"Oracle without the column", lineitem.OCI, []string{""}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tl := &tally{accounts: map[string]*accountTally{}, invoices: map[string]bool{}}
			for _, id := range tc.ids {
				tl.add(&lineitem.Item{Provider: tc.provider, UsageAccount: "011254002932", InvoiceID: id, UnblendedCost: dec("1")})
			}
			if got := tl.delivery().Final; got != tc.want {
				t.Errorf("final = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestFinalityOfFiles reads the invoice id as each format writes it: a
// DBR's "Estimated" is no invoice id, a CUR row with an empty
// bill/InvoiceId keeps the month provisional.
func TestFinalityOfFiles(t *testing.T) {
	const curHeader = "bill/PayerAccountId,bill/BillingPeriodStartDate,bill/InvoiceId,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/ProductCode,lineItem/CurrencyCode,lineItem/UnblendedCost\n"
	row := func(id string) string {
		return "836060457634,2018-10-01T00:00:00Z," + id + ",011254002932,Usage,2018-10-01T00:00:00Z,AmazonEC2,USD,1\n"
	}
	for _, tc := range []struct {
		name, file, body string
		want             bool
	}{
		{"CUR final", "final.csv", curHeader + row("156090591") + row("156090591"), true},
		{"CUR with a row not invoiced", "mixed.csv", curHeader + row("156090591") + row(""), false},
		{"CUR estimate", "estimate.csv", curHeader + row("") + row(""), false},
		{"DBR estimated", "dbr.csv", string(dbrFile(dbrLines...)), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := importFile(t, write(t, tc.file, []byte(tc.body)), newMemDest())
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Deliveries) != 1 || res.Deliveries[0].Final != tc.want {
				t.Errorf("deliveries %+v, want final %v", res.Deliveries, tc.want)
			}
		})
	}
}

// TestDeliveryTotalIsItsAccounts: a delivery's cost is the exact sum of
// its accounts', rows interleaved, including an amount too long for an
// int64 and one far below the cent (added by hand: 1.10 + 2.005 = 3.105;
// 0.0000000000000000001 + 12345678901234567890.5 -
// 0.0000000000000000001 = 12345678901234567890.5; total
// 12345678901234567893.605).
func TestDeliveryTotalIsItsAccounts(t *testing.T) {
	tl := &tally{accounts: map[string]*accountTally{}, invoices: map[string]bool{}}
	for _, r := range []struct{ account, cost string }{
		{"111111111111", "1.10"},
		{"222222222222", "0.0000000000000000001"},
		{"111111111111", "2.005"},
		{"222222222222", "12345678901234567890.5"},
		{"222222222222", "-0.0000000000000000001"},
	} {
		tl.add(&lineitem.Item{Provider: lineitem.AWS, UsageAccount: r.account, UnblendedCost: dec(r.cost)})
	}
	d := tl.delivery()
	for account, want := range map[string]string{"111111111111": "3.105", "222222222222": "12345678901234567890.5"} {
		if !d.Accounts[account].Equal(dec(want)) {
			t.Errorf("account %s = %s, want %s", account, d.Accounts[account], want)
		}
	}
	if want := dec("12345678901234567893.605"); !d.UnblendedCost.Equal(want) || d.Rows != 5 {
		t.Errorf("total %s over %d rows, want %s over 5", d.UnblendedCost, d.Rows, want)
	}
}
