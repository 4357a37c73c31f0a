package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/customer"
)

// supportCSV is ACME's EC2 charges of 12000 USD in December 2026 and in
// January 2027, across AWS's support plan change.
const supportCSV = "bill/PayerAccountId,bill/BillingPeriodStartDate,bill/InvoiceId,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/ProductCode,lineItem/CurrencyCode,lineItem/UnblendedCost\n" +
	"333333333333,2026-12-01T00:00:00Z,INV-1,111111111111,Usage,2026-12-01T00:00:00Z,AmazonEC2,USD,12000\n"

func supportDB(t *testing.T) *DB {
	t.Helper()
	db := openTest(t)
	for i, month := range []string{"2026-12", "2027-01"} {
		p := filepath.Join(t.TempDir(), "cur.csv")
		text := strings.ReplaceAll(supportCSV, "2026-12", month)
		if i == 1 {
			text = strings.ReplaceAll(text, "INV-1", "INV-2")
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := importPath(t, db, p); err != nil {
			t.Fatal(err)
		}
	}
	c := acme()
	c.Support = customer.SupportBusiness
	mustAdd(t, db, c)
	if err := db.Map(customer.Mapping{Account: "111111111111", Customer: "ACME", From: "2026-01"}, t0); err != nil {
		t.Fatal(err)
	}
	return db
}

func supportOf(t *testing.T, db *DB, month string) (string, *billing.SupportDetail) {
	t.Helper()
	bm, err := db.BillingMonth(month)
	if err != nil {
		t.Fatal(err)
	}
	st, err := bm.Statement("ACME", billing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range st.Sections {
		if s.ProductType == billing.Support {
			return s.Lines[0].Amount.String(), s.Lines[0].Trace.Support
		}
	}
	t.Fatalf("%s: no support line", month)
	return "", nil
}

func TestSupportPlansStored(t *testing.T) {
	db := supportDB(t)
	plans, err := db.SupportPlans()
	if err != nil || len(plans) != len(billing.DefaultSupportPlans()) {
		t.Fatalf("seeded plans %d %v, want the %d presets", len(plans), err, len(billing.DefaultSupportPlans()))
	}

	// The same setting, "business": legacy Business in December
	// (10% x 10000 + 7% x 2000 = 1140), Business Support+ in January
	// (9% x 10000 + 7% x 2000 = 1040), still to confirm.
	if got, d := supportOf(t, db, "2026-12"); got != "1140.00" || d.Version != "aws-business" {
		t.Errorf("2026-12 support %s by %s, want 1140.00 by aws-business", got, d.Version)
	}
	if got, d := supportOf(t, db, "2027-01"); got != "1040.00" || d.Version != "aws-business-plus-2027" || !d.ToConfirm {
		t.Errorf("2027-01 support %s by %s (to confirm %v), want 1040.00 by aws-business-plus-2027, to confirm", got, d.Version, d.ToConfirm)
	}

	// The accountant corrects the first band to 8% and confirms:
	// 8% x 10000 + 7% x 2000 = 800 + 140 = 940. December is untouched.
	p, err := db.UpdateSupportPlan("AWS-Business-Plus-2027", func(p *billing.SupportPlan) error {
		p.Bands[0].Percent = decimal.NewFromInt(8)
		p.ToConfirm = false
		return nil
	}, t1)
	if err != nil || p.ToConfirm {
		t.Fatalf("update: %+v %v", p, err)
	}
	if got, d := supportOf(t, db, "2027-01"); got != "940.00" || d.ToConfirm {
		t.Errorf("2027-01 support after the edit %s (to confirm %v), want 940.00 confirmed", got, d.ToConfirm)
	}
	if got, _ := supportOf(t, db, "2026-12"); got != "1140.00" {
		t.Errorf("2026-12 support after the 2027 edit %s, want 1140.00", got)
	}
	log, err := db.SettingsLog()
	if err != nil || len(log) != 1 || log[0].Kind != KindSupportPlan || log[0].Key != "aws-business-plus-2027" ||
		!strings.Contains(string(log[0].Old), `"to_confirm":true`) || strings.Contains(string(log[0].New), "to_confirm") {
		t.Errorf("settings log %+v %v, want the one plan change with its before and after", log, err)
	}

	bad := []struct {
		name string
		do   func() error
		want string
	}{
		{"an id taken", func() error {
			return db.AddSupportPlan(billing.DefaultSupportPlans()[0], t1)
		}, "support plan aws-developer already exists"},
		{"two business plans in 2027", func() error {
			p := billing.DefaultSupportPlans()[4]
			p.ID = "partner-business"
			return db.AddSupportPlan(p, t1)
		}, `both price "developer" in the same months`},
		{"an unknown plan", func() error {
			_, err := db.UpdateSupportPlan("gold", func(*billing.SupportPlan) error { return nil }, t1)
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("error %v does not wrap ErrNotFound", err)
			}
			return err
		}, `there is no support plan "gold"`},
		{"an id changed", func() error {
			_, err := db.UpdateSupportPlan("flat", func(p *billing.SupportPlan) error { p.ID = "flat2"; return nil }, t1)
			return err
		}, "a support plan's id cannot change"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.do(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
	if log, _ := db.SettingsLog(); len(log) != 1 {
		t.Errorf("refused changes were logged: %d entries", len(log))
	}

	// A partner-led plan from 2027-03 after Business Support+ ends in
	// 2027-02: added, and January keeps Business Support+.
	if _, err := db.UpdateSupportPlan("aws-business-plus-2027", func(p *billing.SupportPlan) error { p.Until = "2027-02"; return nil }, t1); err != nil {
		t.Fatal(err)
	}
	partner := billing.SupportPlan{ID: "partner-led", Name: "Partner-led support", Serves: []customer.SupportPlan{customer.SupportBusiness},
		From: "2027-03", Currency: "USD", Minimum: decimal.NewFromInt(7500),
		Bands: []billing.SupportBand{{From: decimal.Zero, Percent: decimal.NewFromInt(10)}}}
	if err := db.AddSupportPlan(partner, t1); err != nil {
		t.Fatal(err)
	}
	if got, _ := supportOf(t, db, "2027-01"); got != "940.00" {
		t.Errorf("2027-01 support after adding a plan from 2027-03: %s, want 940.00", got)
	}
}
