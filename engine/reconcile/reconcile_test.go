package reconcile

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/distributor"
)

// TestBuildWithoutInvoices: nothing invoiced yet, the bridge takes each
// customer's cost off as not yet invoiced and each unassigned account's as
// unassigned; a distributor invoice in EUR is converted at the rate it
// states. File: 10.004 (ACME) + 5.004 (unassigned) = 15.008 -> 15.01;
// the distributor's 13.509 EUR at 0.9 EUR per USD is 15.01 USD; ACME's
// 10.00 and the account's 5.00 rounded apart add up to 15.00: display
// rounding -0.01 reaches 0.00 invoiced.
func TestBuildWithoutInvoices(t *testing.T) {
	rate := decimal.RequireFromString("0.9")
	in := Input{Period: "2024-09", Provider: "aws", Currency: "USD",
		Distributor: []distributor.Invoice{{Number: "D-1", Amount: decimal.RequireFromString("13.509"), Currency: "EUR", Rate: &rate}},
		Accounts: []billing.AccountTotal{
			{Account: "111111111111", Customer: "ACME", Currency: "USD", Unblended: decimal.RequireFromString("10.004")},
			{Account: "333333333333", Currency: "USD", Unblended: decimal.RequireFromString("5.004")},
		}}
	b, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	want := map[Cause]string{NotInvoiced: "-10.00", Unassigned: "-5.00", DisplayRounding: "-0.01"}
	for _, it := range b.Items {
		w := want[it.Cause]
		if w == "" {
			w = "0.00"
		}
		if it.Amount != w {
			t.Errorf("%s = %s, want %s", it.Cause, it.Amount, w)
		}
	}
	if b.DistributorTotal != "15.01" || b.InvoicedTotal != "0.00" || b.Unexplained != "0.00" {
		t.Errorf("distributor %s, invoiced %s, unexplained %s; want 15.01, 0.00, 0.00", b.DistributorTotal, b.InvoicedTotal, b.Unexplained)
	}

	t.Run("a distributor invoice in another currency needs its rate", func(t *testing.T) {
		in := in
		in.Distributor = []distributor.Invoice{{Number: "D-1", Amount: decimal.NewFromInt(13), Currency: "EUR"}}
		if _, err := Build(in); err == nil || !strings.Contains(err.Error(), "--rate") {
			t.Errorf("got %v, want the advice to record the rate", err)
		}
	})
}
