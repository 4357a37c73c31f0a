package store

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
	"rebill/engine/sample"
)

// TestRealUnassignedAccounts is issue 3's done-when on the public AWS
// workshop CUR: with both accounts mapped nothing is unassigned; unmapping
// one lists it with its exact total (computed outside Rebill, see
// TestRealCURFiles).
func TestRealUnassignedAccounts(t *testing.T) {
	path := realFile(t, "aws-wa-labs/Oct2018-WorkshopCUR-00001.snappy.parquet")
	db := openTest(t)
	if _, err := importPath(t, db, path); err != nil {
		t.Fatal(err)
	}
	mustAdd(t, db, named("ACME", "Acme", ""), named("GLOBEX", "Globex", ""))
	for _, m := range []customer.Mapping{
		{Account: "011254002932", Customer: "ACME", From: "2018-10"},
		{Account: "836060457634", Customer: "GLOBEX", From: "2018-10"},
	} {
		if err := db.Map(m, t0); err != nil {
			t.Fatal(err)
		}
	}
	if un, err := db.Unassigned("2018-10"); err != nil || len(un) != 0 {
		t.Fatalf("both mapped: unassigned %+v %v", un, err)
	}
	cases := []struct{ account, total string }{
		{"011254002932", "71.4558054277"},
		{"836060457634", "3993.0273261102"},
	}
	for _, tc := range cases {
		t.Run(tc.account, func(t *testing.T) {
			owner, _ := customer.OwnerAt(mustMappings(t, db), tc.account, "2018-10")
			if _, err := db.Unmap(tc.account, "", t1); err != nil {
				t.Fatal(err)
			}
			un, err := db.Unassigned("2018-10")
			if err != nil {
				t.Fatal(err)
			}
			if len(un) != 1 || un[0].Account != tc.account || !un[0].UnblendedCost.Equal(decimal.RequireFromString(tc.total)) {
				t.Fatalf("unassigned %+v, want %s at %s", un, tc.account, tc.total)
			}
			if err := db.Map(customer.Mapping{Account: tc.account, Customer: owner, From: "2018-10"}, t1); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func mustMappings(t *testing.T, db *DB) []customer.Mapping {
	t.Helper()
	ms, err := db.Mappings()
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// TestSampleSetup loads the first-run sample as the window does: two
// generated months, then sample.CustomerSetup. Only the payer is left
// unassigned, and the web shop's RI crosses customers.
func TestSampleSetup(t *testing.T) {
	db := openTest(t)
	first := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	for i, final := range []bool{true, false} {
		opt := sample.Options{Month: first.AddDate(0, i, 0), Seed: int64(i + 1), Final: final}
		if _, err := importPath(t, db, sampleFile(t, opt)); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.ApplySetup(sample.CustomerSetup("2026-07"), t0); err != nil {
		t.Fatal(err)
	}
	for _, month := range []string{"2026-07", "2026-08"} {
		un, err := db.Unassigned(month)
		if err != nil {
			t.Fatal(err)
		}
		if len(un) != 1 || un[0].Account != sample.PayerAccount || !un[0].UnblendedCost.IsPositive() {
			t.Errorf("%s: unassigned %+v, want the payer alone", month, un)
		}
	}
	cs, err := db.Customers()
	if gs := customer.NewGroupTree(cs).Groups; err != nil || len(gs) != 2 {
		t.Fatalf("groups %+v %v", gs, err)
	}
	p, _ := db.Profile()
	if p.Ready() != nil {
		t.Errorf("sample profile not ready: %v", p.Ready())
	}
	ms := mustMappings(t, db)
	riOwner, _ := customer.OwnerAt(ms, "012345678901", "2026-07")
	riUser, _ := customer.OwnerAt(ms, "305417826390", "2026-07")
	if riOwner == riUser || riOwner == "" || riUser == "" {
		t.Errorf("RI owner %q and user %q should be different customers", riOwner, riUser)
	}
	if bal, _ := db.CreditBalances(sample.CustomerUmbrella, "2026-07"); len(bal) != 1 || !bal[0].Amount.Equal(decimal.NewFromInt(200)) {
		t.Errorf("sample credit %+v", bal)
	}
}
