package billing

import (
	"testing"

	"rebill/engine/customer"
	"rebill/engine/lineitem"
)

// TestMovedAccount: account A moves from ACME to BETA on 2026-09-15. Its
// month is split by usage day; the RIFee, dated the 1st, stays with ACME,
// the owner on the 1st. Hand-computed:
//
//	ACME (1st to 14th): EC2 10.00 (1st) + 20.00 (14th) = 30.00,
//	                    RIFee 50.00 (1st)                       → 80.00
//	BETA (15th on):     EC2 30.00 (15th) + 40.00 (30th)         → 70.00
//	80.00 + 70.00 = 150.00, the account's month.
func TestMovedAccount(t *testing.T) {
	ms := []customer.Mapping{
		{Account: acctA, Customer: "ACME", From: "2026-01", Until: "2026-09-14"},
		{Account: acctA, Customer: "BETA", From: "2026-09-15"},
	}
	ec2 := func(day, cost string) li { return li{acct: acctA, code: "AmazonEC2", cost: cost, day: day} }
	items := []li{ec2("2026-09-01", "10.00"), ec2("2026-09-14", "20.00"), ec2("2026-09-15", "30.00"), ec2("2026-09-30", "40.00"),
		{acct: acctA, typ: lineitem.RIFee, code: "AmazonEC2", cost: "50.00", arn: riOfA, day: "2026-09-01"}}
	m := newMonth(t, Config{Owners: customer.OwnersAt(ms, period), Transfers: customer.TransfersIn(ms, period)}, items)
	cases := []struct {
		customer, total, note string
		days                  AccountDays
	}{
		{"ACME", "80.00", "account 111111111111 until 2026-09-14", AccountDays{acctA, "2026-09-01", "2026-09-14"}},
		{"BETA", "70.00", "account 111111111111 from 2026-09-15", AccountDays{acctA, "2026-09-15", "2026-09-30"}},
	}
	sum := dec("0")
	for _, tc := range cases {
		t.Run(tc.customer, func(t *testing.T) {
			c := customer.Customer{ID: tc.customer, Currency: "USD", Support: customer.SupportNone}
			st, err := m.Statement(c, Ledger{}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkAddsUp(t, st)
			checkItemCharges(t, m, items, c, Options{}, st)
			if st.Total.String() != tc.total {
				t.Errorf("total %s, want %s (lines %v)", st.Total, tc.total, lineAmounts(st))
			}
			if len(st.AccountDays) != 1 || st.AccountDays[0] != tc.days {
				t.Errorf("account days %+v, want %+v", st.AccountDays, tc.days)
			}
			found := false
			for _, n := range st.Notes {
				found = found || n == tc.note
			}
			if !found {
				t.Errorf("notes %q lack %q", st.Notes, tc.note)
			}
			sum = sum.Add(st.Total.Decimal())
		})
	}
	if !sum.Equal(dec("150")) {
		t.Errorf("the two statements add up to %s, want the account's 150.00", sum)
	}
}
