package store

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/customer"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestRates(t *testing.T) {
	db := openTest(t)
	r, err := db.PutRate(billing.EnteredRate{From: "usd", To: " eur", Period: "2026-09", Rate: dec("0.9123"), Source: " ECB 2026-09-30 "}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if r.Pair() != "USD/EUR" || r.Source != "ECB 2026-09-30" || !r.Entered.Equal(t0) {
		t.Errorf("put %+v", r)
	}
	// The same rate again changes nothing, not even its entry time.
	if again, err := db.PutRate(billing.EnteredRate{From: "USD", To: "EUR", Period: "2026-09", Rate: dec("0.91230"), Source: "ECB 2026-09-30"}, t1); err != nil || !again.Entered.Equal(t0) {
		t.Errorf("same rate again: %+v %v", again, err)
	}
	if _, err := db.PutRate(billing.EnteredRate{From: "USD", To: "EUR", Period: "2026-10", Rate: dec("0.95"), Source: "ECB"}, t1); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PutRate(billing.EnteredRate{From: "USD", To: "EUR", Period: "2026-09", Rate: dec("0.92"), Source: "ECB corrected"}, t1); err != nil {
		t.Fatal(err)
	}

	bad := []struct {
		name string
		r    billing.EnteredRate
		want []string
	}{
		{"everything wrong", billing.EnteredRate{From: "USX", To: "", Period: "2026-9", Rate: dec("-1")},
			[]string{`"USX" is not an ISO 4217`, "converted to is empty", `month "2026-9"`, "rate -1 is not positive", "no source"}},
		{"same currency", billing.EnteredRate{From: "USD", To: "USD", Period: "2026-09", Rate: dec("1"), Source: "x"}, []string{"needs no rate"}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.PutRate(tc.r, t1)
			for _, w := range tc.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("error %v, want it to say %q", err, w)
				}
			}
		})
	}

	list, err := db.Rates()
	if err != nil || len(list) != 2 || list[0].Period != "2026-09" || !list[0].Rate.Equal(dec("0.92")) || list[1].Period != "2026-10" {
		t.Fatalf("rates %+v %v", list, err)
	}
	// The September rate changed: the one it replaced is kept, with its
	// source, when it was entered and when it was replaced.
	if h := list[0].History; len(h) != 1 || !h[0].Rate.Equal(dec("0.9123")) || h[0].Source != "ECB 2026-09-30" ||
		!h[0].Entered.Equal(t0) || !h[0].Replaced.Equal(t1) || !list[0].Entered.Equal(t1) {
		t.Errorf("September's history %+v, want 0.9123 from ECB 2026-09-30 entered %v, replaced %v", list[0].History, t0, t1)
	}
	if len(list[1].History) != 0 {
		t.Errorf("October was entered once, history %+v", list[1].History)
	}

	lookup := db.RateFunc()
	cases := []struct {
		name, from, to, period string
		rate, source           string
		err                    string
	}{
		{"entered", "USD", "EUR", "2026-09", "0.92", "ECB corrected", ""},
		{"same currency", "JPY", "JPY", "2026-09", "1", "", ""},
		{"other month", "USD", "EUR", "2026-11", "", "", "no exchange rate"},
		{"never inverted", "EUR", "USD", "2026-09", "", "", "rates are not inverted: enter the EUR/USD rate"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, src, err := lookup(tc.from, tc.to, tc.period)
			if tc.err != "" {
				if !errors.Is(err, billing.ErrNoRate) || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("error %v, want ErrNoRate saying %q", err, tc.err)
				}
				return
			}
			if err != nil || !v.Equal(dec(tc.rate)) || src != tc.source {
				t.Errorf("got %s %q %v", v, src, err)
			}
		})
	}

	if err := db.DeleteRate("usd", "eur", "2026-10", t1); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteRate("USD", "EUR", "2026-10", t1); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting again: %v", err)
	}

	// Every change is in the log with the value before and after.
	log, err := db.RateLog()
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, c := range log {
		keys = append(keys, c.Key+" "+string(c.New))
	}
	if len(log) != 4 || log[0].Key != "USD/EUR 2026-09" || string(log[0].Old) != "null" ||
		!strings.Contains(string(log[2].Old), `"0.9123"`) || !strings.Contains(string(log[2].New), `"ECB corrected"`) ||
		log[3].Key != "USD/EUR 2026-10" || string(log[3].New) != "null" {
		t.Errorf("rate log:\n%s", strings.Join(keys, "\n"))
	}
}

func TestProductTypeOverrides(t *testing.T) {
	db := openTest(t)
	for _, tc := range []struct{ in, want string }{{"compute", "Compute"}, {" machine learning ", "Machine Learning"}} {
		if got, err := billing.ParseProductType(tc.in); err != nil || string(got) != tc.want {
			t.Errorf("billing.ParseProductType(%q) = %q, %v", tc.in, got, err)
		}
	}
	if _, err := billing.ParseProductType("Compoot"); err == nil || !strings.Contains(err.Error(), "use one of Compute, Storage") {
		t.Errorf("unknown section: %v", err)
	}
	o, err := db.SetProductType("AmazonS3", billing.Other, t0)
	if err != nil || o.Default != billing.Storage {
		t.Fatalf("set: %+v %v", o, err)
	}
	if _, err := db.SetProductType("AWSGlue", billing.MachineLrn, t0); err != nil {
		t.Fatal(err)
	}
	// Marketplace and Credits follow from the line, never from its code:
	// the engine's rule, asked through the engine.
	if _, err := db.SetProductType("AmazonEC2", billing.Marketplace, t0); err == nil || !strings.Contains(err.Error(), "cannot be put in the \"Marketplace\" section") {
		t.Errorf("marketplace override: %v", err)
	}
	if _, err := db.SetProductType(" ", billing.Compute, t0); err == nil {
		t.Error("empty code accepted")
	}
	list, err := db.ProductTypes()
	if err != nil || len(list) != 2 || list[0].Code != "AmazonS3" || list[0].Type != billing.Other || list[1].Code != "AWSGlue" {
		t.Fatalf("overrides %+v %v", list, err)
	}
	// Setting a code back to its built-in section removes the override.
	if _, err := db.SetProductType("amazons3", billing.Storage, t1); err != nil {
		t.Fatal(err)
	}
	if _, err := db.DeleteProductType("AWSGlue", t1); err != nil {
		t.Fatal(err)
	}
	if _, err := db.DeleteProductType("AWSGlue", t1); !errors.Is(err, ErrNotFound) {
		t.Errorf("delete again: %v", err)
	}
	if list, _ := db.ProductTypes(); len(list) != 0 {
		t.Errorf("after removal: %+v", list)
	}
	log, _ := db.SettingsLog()
	if len(log) != 4 || log[0].Kind != KindProductType || log[0].Key != "AmazonS3" || string(log[2].New) != "null" {
		t.Errorf("log %+v", log)
	}
}

func TestBillingSettings(t *testing.T) {
	db := openTest(t)
	s, err := db.BillingSettings()
	if err != nil || s != billing.DefaultSettings() || s.ProviderTax != billing.ReplaceTax || s.Rounding != billing.HalfUp {
		t.Fatalf("defaults %+v %v", s, err)
	}
	if err := db.PutBillingSettings(billing.Settings{ProviderTax: billing.PassThroughTax, Rounding: billing.HalfEven}, t0); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []billing.Settings{{ProviderTax: "both"}, {Rounding: "up"}} {
		if err := db.PutBillingSettings(bad, t1); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	if s, _ = db.BillingSettings(); s.ProviderTax != billing.PassThroughTax || s.Rounding != billing.HalfEven {
		t.Errorf("saved %+v", s)
	}
	// A report's own choice wins over the settings.
	opt := s.Apply(billing.Options{Rounding: billing.Down})
	if opt.Rounding != billing.Down || opt.ProviderTax != billing.PassThroughTax {
		t.Errorf("applied %+v", opt)
	}
	log, _ := db.SettingsLog()
	if len(log) != 1 || log[0].Kind != KindSettings || !strings.Contains(string(log[0].New), `"half-even"`) {
		t.Errorf("log %+v", log)
	}
}

// billingCSV is a month of three customers' accounts and one unassigned
// account under payer 999999999999. By hand, per account:
//
//	111111111111 (ACME): AmazonEC2 1.0025 + 2.0025 = 3.005, AmazonS3 0.125
//	222222222222 (BETA, invoiced in EUR): AmazonEC2 10
//	333333333333 (unassigned): AmazonEC2 5
const billingCSV = "bill/PayerAccountId,bill/BillingPeriodStartDate,bill/InvoiceId,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/ProductCode,lineItem/CurrencyCode,lineItem/UnblendedCost\n" +
	"999999999999,2026-09-01T00:00:00Z,INV-1,111111111111,Usage,2026-09-01T00:00:00Z,AmazonEC2,USD,1.0025\n" +
	"999999999999,2026-09-01T00:00:00Z,INV-1,111111111111,Usage,2026-09-01T01:00:00Z,AmazonEC2,USD,2.0025\n" +
	"999999999999,2026-09-01T00:00:00Z,INV-1,111111111111,Usage,2026-09-01T01:00:00Z,AmazonS3,USD,0.125\n" +
	"999999999999,2026-09-01T00:00:00Z,INV-1,222222222222,Usage,2026-09-01T00:00:00Z,AmazonEC2,USD,10\n" +
	"999999999999,2026-09-01T00:00:00Z,INV-1,333333333333,Usage,2026-09-01T00:00:00Z,AmazonEC2,USD,5\n"

// billingDB is a database holding billingCSV with ACME, BETA (EUR) and
// GAMMA (no accounts) mapped.
func billingDB(t *testing.T) *DB {
	t.Helper()
	db := openTest(t)
	p := filepath.Join(t.TempDir(), "cur.csv")
	if err := os.WriteFile(p, []byte(billingCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := importPath(t, db, p); err != nil {
		t.Fatal(err)
	}
	beta := named("BETA", "Beta GmbH", "EMEA / Mid-market")
	beta.Currency = "EUR"
	mustAdd(t, db, acme(), beta, named("GAMMA", "Gamma Inc", "Americas"))
	for _, m := range []customer.Mapping{
		{Account: "111111111111", Customer: "ACME", From: "2026-09"},
		{Account: "222222222222", Customer: "BETA", From: "2026-01"},
		// Moves to ACME only after the month billed.
		{Account: "333333333333", Customer: "ACME", From: "2026-10"},
	} {
		if err := db.Map(m, t0); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func printed(st *billing.Statement) map[string]string {
	out := map[string]string{"total": st.Total.String(), "credits": st.CreditsApplied.String()}
	for _, s := range st.Sections {
		for _, l := range s.Lines {
			out[string(s.ProductType)+"/"+l.Service] = l.Amount.String()
		}
	}
	return out
}

func TestBillingMonth(t *testing.T) {
	db := billingDB(t)
	bm, err := db.BillingMonth("2026-09")
	if err != nil {
		t.Fatal(err)
	}
	if !bm.Final() || bm.Month.Items() != 5 || len(bm.Deliveries) != 1 {
		t.Errorf("final %v, items %d, deliveries %d", bm.Final(), bm.Month.Items(), len(bm.Deliveries))
	}
	if un := bm.Month.Unassigned(); len(un) != 1 || un[0].Account != "333333333333" || !un[0].Unblended.Equal(dec("5")) {
		t.Errorf("unassigned %+v", un)
	}
	if got, err := (customer.Selection{Group: "emea"}).Select(bm.Customers()); err != nil || len(got) != 2 || got[0].ID != "ACME" || got[1].ID != "BETA" {
		t.Errorf("group EMEA: %+v %v", got, err)
	}
	if got, err := (customer.Selection{Group: "EMEA / Enterprise"}).Select(bm.Customers()); err != nil || len(got) != 1 || got[0].ID != "ACME" {
		t.Errorf("group EMEA / Enterprise: %+v %v", got, err)
	}

	// Half-up by default: 3.005 -> 3.01, 0.125 -> 0.13.
	st, err := bm.Statement("ACME", billing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"Compute/AmazonEC2": "3.01", "Storage/AmazonS3": "0.13", "total": "3.14", "credits": "0.00"}
	if got := printed(st); !equalMaps(got, want) {
		t.Errorf("half-up: %v, want %v", got, want)
	}
	if st.Options.Rounding != billing.HalfUp || st.Options.ProviderTax != billing.ReplaceTax {
		t.Errorf("options %+v", st.Options)
	}
	if _, err := bm.Statement("NOPE", billing.Options{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown customer: %v", err)
	}

	// BETA is invoiced in EUR: without a rate the statement names the
	// pair and month to enter.
	_, err = bm.Statement("BETA", billing.Options{})
	var re *billing.RateError
	if !errors.As(err, &re) || re.From != "USD" || re.To != "EUR" || re.Period != "2026-09" {
		t.Errorf("missing rate: %v", err)
	}
	if _, err := bm.Statements([]string{"ACME", "BETA"}, billing.Options{}); err == nil || !strings.Contains(err.Error(), "customer BETA: no USD to EUR exchange rate for 2026-09") {
		t.Errorf("statements: %v", err)
	}

	// Settings, overrides, rates and credits are read with the month.
	if err := db.PutBillingSettings(billing.Settings{Rounding: billing.HalfEven}, t1); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetProductType("AmazonS3", billing.Other, t1); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PutRate(billing.EnteredRate{From: "USD", To: "EUR", Period: "2026-09", Rate: dec("0.9"), Source: "ECB 2026-09-30"}, t1); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Grant(customer.Grant{Customer: "ACME", Amount: dec("1"), Reason: "Welcome"}, t1); err != nil {
		t.Fatal(err)
	}
	if v, _ := db.Version(); v == bm.Version {
		t.Error("the database version did not change with the edits")
	}
	bm, err = db.BillingMonth("2026-09")
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := db.Version(); v != bm.Version {
		t.Errorf("version %d, month read at %d", v, bm.Version)
	}
	// Half-even: 3.005 -> 3.00, 0.125 -> 0.12; 1.00 of credit.
	st, err = bm.Statement("ACME", billing.Options{Credits: true})
	if err != nil {
		t.Fatal(err)
	}
	want = map[string]string{"Compute/AmazonEC2": "3.00", "Other/AmazonS3": "0.12", "total": "2.12", "credits": "-1.00"}
	if got := printed(st); !equalMaps(got, want) {
		t.Errorf("half-even with credits: %v, want %v", got, want)
	}
	sts, err := bm.Statements([]string{"BETA", "GAMMA"}, billing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sts[0].Currency != "EUR" || sts[0].Total.String() != "9.00" || len(sts[0].Rates) != 1 || sts[0].Rates[0].Source != "ECB 2026-09-30" {
		t.Errorf("BETA in EUR: %s %s %+v", sts[0].Currency, sts[0].Total, sts[0].Rates)
	}
	if len(sts[1].Sections) != 0 || !sts[1].Total.IsZero() {
		t.Errorf("GAMMA owns no account: %+v", sts[1])
	}
	// The JSON is the engine's, as the CLI prints it.
	b, _ := json.Marshal(st)
	for _, w := range []string{`"customer_id":"ACME"`, `"period":"2026-09"`, `"total":"2.12"`, `"usage_view_total":"3.13"`, `"unrounded":"2.13"`} {
		if !strings.Contains(string(b), w) {
			t.Errorf("JSON lacks %s: %s", w, b)
		}
	}

	if _, err := db.BillingMonth("2026-08"); err == nil || !strings.Contains(err.Error(), "no billing data for 2026-08") {
		t.Errorf("empty month: %v", err)
	}
	if _, err := db.BillingMonth("2026-8"); err == nil {
		t.Error("bad month accepted")
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestRealBillingMonth is issue 4's target through the store: the workshop
// CUR imported, its two accounts as two customers, the first re-rated.
func TestRealBillingMonth(t *testing.T) {
	path := realFile(t, "aws-wa-labs/Oct2018-WorkshopCUR-00001.snappy.parquet")
	db := openTest(t)
	if _, err := importPath(t, db, path); err != nil {
		t.Fatal(err)
	}
	mustAdd(t, db, named("A", "First", ""), named("B", "Second", ""))
	for _, m := range []customer.Mapping{
		{Account: "011254002932", Customer: "A", From: "2018-10"},
		{Account: "836060457634", Customer: "B", From: "2018-10"},
	} {
		if err := db.Map(m, t0); err != nil {
			t.Fatal(err)
		}
	}
	bm, err := db.BillingMonth("2018-10")
	if err != nil {
		t.Fatal(err)
	}
	if bm.Month.Items() != 119307 {
		t.Errorf("items %d", bm.Month.Items())
	}
	st, err := bm.Statement("A", billing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Its own usage, 71.4558054277, plus the on-demand cost of the 915
	// DiscountedUsage lines that used B's reservation, 9.5564.
	if want := dec("81.0122054277"); !st.Unrounded.Equal(want) {
		t.Errorf("A re-rated: unrounded %s, want %s", st.Unrounded, want)
	}
}
