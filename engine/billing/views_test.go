package billing

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
	"rebill/engine/lineitem"
)

func statementOf(t *testing.T, cfg Config, items []li, c customer.Customer, opt Options) *Statement {
	t.Helper()
	if cfg.Owners == nil {
		cfg.Owners = owners
	}
	st, err := newMonth(t, cfg, items).Statement(c, Ledger{}, opt)
	if err != nil {
		t.Fatal(err)
	}
	checkAddsUp(t, st)
	return st
}

func findLine(t *testing.T, st *Statement, section ProductType, service string) Line {
	t.Helper()
	for _, s := range st.Sections {
		for _, l := range s.Lines {
			if s.ProductType == section && l.Service == service {
				return l
			}
		}
	}
	t.Fatalf("no line %s/%s", section, service)
	return Line{}
}

func TestTraceOfReratedLine(t *testing.T) {
	c := beta
	c.PricingRules = []customer.PricingRule{{ProductCode: "AmazonEC2", Percent: dec("10")}}
	st := statementOf(t, Config{}, riItems, c, Options{})
	l := findLine(t, st, Compute, "AmazonEC2")
	tr := l.Trace
	if tr == nil || tr.Basis != customer.BasisRerated {
		t.Fatalf("trace = %+v", tr)
	}
	// 2 DiscountedUsage lines billed 0, charged 2 x 0.096; 1 Usage line 1.2345.
	wantTypes := []TypeTrace{
		{Type: lineitem.DiscountedUsage, Currency: "USD", Items: 2, Billed: dec("0"), Charged: dec("0.192")},
		{Type: lineitem.Usage, Currency: "USD", Items: 1, Billed: dec("1.2345"), Charged: dec("1.2345")},
	}
	if len(tr.Types) != len(wantTypes) {
		t.Fatalf("types = %+v", tr.Types)
	}
	for i, w := range wantTypes {
		g := tr.Types[i]
		if g.Type != w.Type || g.Items != w.Items || !g.Billed.Equal(w.Billed) || !g.Charged.Equal(w.Charged) {
			t.Errorf("type %d = %+v, want %+v", i, g, w)
		}
	}
	if len(tr.Rerated) != 1 {
		t.Fatalf("rerated = %+v", tr.Rerated)
	}
	r := tr.Rerated[0]
	if r.Owner != acctA || r.OwnerCustomer != "ACME" || r.Kept || r.Items != 2 || !r.Billed.IsZero() ||
		!r.OnDemand.Equal(dec("0.192")) || !r.Charged.Equal(dec("0.192")) {
		t.Errorf("rerated = %+v, want ACME's RI, 2 items billed 0 charged on demand 0.192", r)
	}
	// rule +10% on 1.4265 = 0.14265; line 1.56915 -> 1.57, adjustment 0.00085
	if len(tr.Rules) != 1 || !tr.Rules[0].Base.Equal(dec("1.4265")) || !tr.Rules[0].Change.Equal(dec("0.14265")) {
		t.Errorf("rules = %+v", tr.Rules)
	}
	if !tr.Unrounded.Equal(dec("1.56915")) || !tr.RoundingAdjustment.Equal(dec("0.00085")) || l.Amount.String() != "1.57" {
		t.Errorf("unrounded %s adjustment %s amount %s", tr.Unrounded, tr.RoundingAdjustment, l.Amount)
	}
}

func TestTraceOfKeptBenefit(t *testing.T) {
	st := statementOf(t, Config{}, riItems, acme, Options{})
	tr := findLine(t, st, Compute, "AmazonEC2").Trace
	if len(tr.Rerated) != 1 || !tr.Rerated[0].Kept || !tr.Rerated[0].Charged.IsZero() || !tr.Rerated[0].OnDemand.Equal(dec("0.096")) {
		t.Errorf("rerated = %+v, want the benefit kept: charged 0 of 0.096 on demand", tr.Rerated)
	}
}

func TestTraceOfSupportLine(t *testing.T) {
	c := acme
	c.Support = customer.SupportBusiness
	st := statementOf(t, Config{}, []li{{acct: acctA, code: "AmazonEC2", cost: "12000"}}, c, Options{})
	tr := findLine(t, st, Support, "AWS Support (Business)").Trace
	// 10% x 10000 + 7% x 2000 = 1000 + 140
	if tr.Support == nil || tr.Support.Plan != customer.SupportBusiness || len(tr.Support.Tiers) != 2 ||
		!tr.Support.Tiers[1].Charge.Equal(dec("140")) || !tr.Unrounded.Equal(dec("1140")) {
		t.Errorf("support trace = %+v", tr.Support)
	}
}

func TestUsageView(t *testing.T) {
	items := flat(times(3, li{acct: acctA, code: "AmazonEC2", cost: "0.004"}),
		times(2, li{acct: acctA, code: "AmazonS3", cost: "0.005"}))
	st := statementOf(t, Config{}, items, acme, Options{})
	want := map[string][3]string{
		// bill: 3 x 0.004 = 0.012 -> 0.01; usage: 3 x round(0.004) = 0.00
		"AmazonEC2": {"0.00", "0.01", "0.01"},
		// bill: 2 x 0.005 = 0.010 -> 0.01; usage: 2 x round(0.005) = 0.02
		"AmazonS3": {"0.02", "0.01", "-0.01"},
	}
	u := st.Usage
	if len(u.Lines) != len(want) {
		t.Fatalf("usage lines = %+v", u.Lines)
	}
	for _, l := range u.Lines {
		w := want[l.Service]
		if l.Usage.String() != w[0] || l.Bill.String() != w[1] || l.Difference.String() != w[2] {
			t.Errorf("%s: usage %s bill %s difference %s, want %v", l.Service, l.Usage, l.Bill, l.Difference, w)
		}
	}
	// 0.00 + 0.02 against 0.01 + 0.01
	if u.Total.String() != "0.02" || u.Bill.String() != "0.02" || u.Difference.String() != "0.00" || st.UsageViewTotal.String() != "0.02" {
		t.Errorf("usage total %s bill %s difference %s", u.Total, u.Bill, u.Difference)
	}
}

func TestConsoleVariance(t *testing.T) {
	c := beta
	c.PricingRules = []customer.PricingRule{{ProductCode: "AmazonEC2", Percent: dec("10")}}
	items := append(riItems[:len(riItems):len(riItems)], li{acct: acctB, code: firewall, cost: "5", entity: market, blended: "5"})
	st := statementOf(t, Config{}, items, c, Options{})
	v := st.Console
	if len(v.Lines) != 2 {
		t.Fatalf("variance lines = %+v", v.Lines)
	}
	ec2, mp := v.Lines[0], v.Lines[1]
	// console: 1.2345 -> 1.23. basis 1.4265 -> 1.43, priced 1.56915 -> 1.57
	for _, f := range []struct {
		name string
		got  Amount
		want string
	}{
		{"console", ec2.ConsoleUnblended, "1.23"}, {"statement", ec2.Statement, "1.57"},
		{"re-rating", ec2.Rerating, "0.20"}, // 1.43 - 1.23
		{"markup", ec2.Markup, "0.14"},      // 1.57 - 1.43
		{"difference", ec2.Difference, "0.34"},
		{"marketplace console", mp.ConsoleUnblended, "5.00"}, {"marketplace excluded", mp.Excluded, "-5.00"},
		{"total console", v.Total.ConsoleUnblended, "6.23"}, // 1.2345 + 5 = 6.2345
		{"total statement", v.Total.Statement, "1.57"},
		{"total difference", v.Total.Difference, "-4.66"}, // 0.20 + 0.14 - 5.00
		{"total rounding", v.Total.Rounding, "0.00"},      // 1.23 + 5.00 = 6.23
	} {
		if f.got.String() != f.want {
			t.Errorf("%s = %s, want %s", f.name, f.got, f.want)
		}
	}
	if ec2.Cause != "re-rating, markup" || mp.Cause != "excluded" {
		t.Errorf("causes %q and %q", ec2.Cause, mp.Cause)
	}
	checkVariance(t, v)
}

func TestConsoleVarianceRoundingAndSupport(t *testing.T) {
	c := acme
	c.Support = customer.SupportDeveloper
	items := []li{{acct: acctA, code: "AmazonEC2", cost: "0.004"}, {acct: acctA, code: "AmazonS3", cost: "0.004"},
		{acct: acctA, typ: lineitem.Fee, code: "AWSSupportBusiness", cost: "100"}}
	v := statementOf(t, Config{}, items, c, Options{}).Console
	// rows: EC2 0.00, S3 0.00, support: console 100.00 against 29.00
	// total: console round(100.008) = 100.01, rows' consoles add up to 100.00
	sup := v.Lines[len(v.Lines)-1]
	if sup.Service != "Support" || sup.Support.String() != "-71.00" || v.Total.Rounding.String() != "-0.01" ||
		v.Total.Difference.String() != "-71.01" {
		t.Errorf("support row %+v, total %+v", sup, v.Total)
	}
	checkVariance(t, v)
}

// checkVariance checks that on every row the causes explain the difference.
func checkVariance(t *testing.T, v Variance) {
	t.Helper()
	for _, l := range append(v.Lines, v.Total) {
		sum := decimal.Zero
		for _, a := range []Amount{l.Rerating, l.Markup, l.Support, l.Rounding, l.Excluded, l.Kept, l.Custom, l.Tax, l.Credits} {
			sum = sum.Add(a.Decimal())
		}
		if diff := l.Statement.Decimal().Sub(l.ConsoleUnblended.Decimal()); !diff.Equal(sum) || !diff.Equal(l.Difference.Decimal()) {
			t.Errorf("%s: statement - console = %s, difference %s, causes add up to %s", l.Service, diff, l.Difference, sum)
		}
	}
}

func TestStatementJSON(t *testing.T) {
	st := statementOf(t, Config{}, riItems, acme, Options{})
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"customer_id": "ACME", "period": period, "currency": "USD", "basis": "rerated",
		"subtotal": "7.20", "discount": "0.00", "support": "0.00", "marketplace": "0.00", "credits_applied": "0.00",
		"tax": "0.00", "total": "7.20", "usage_view_total": "7.20"} {
		if got[k] != want {
			t.Errorf("%s = %#v, want %q", k, got[k], want)
		}
	}
	sections, _ := got["sections"].([]any)
	if len(sections) != 1 {
		t.Fatalf("sections = %#v", got["sections"])
	}
	s := sections[0].(map[string]any)
	line := s["lines"].([]any)[0].(map[string]any)
	if s["product_type"] != "Compute" || s["subtotal"] != "7.20" || line["service"] != "AmazonEC2" ||
		line["amount"] != "7.20" || line["unrounded"] != "7.2" {
		t.Errorf("section = %#v", s)
	}
}

func TestTraceOfSavingsPlanNegation(t *testing.T) {
	st := statementOf(t, Config{}, spItems, beta, Options{})
	tr := findLine(t, st, Compute, "AmazonEC2").Trace
	// BETA's 2 negations of ACME's plan: billed -0.23, not credited.
	if len(tr.Rerated) != 1 || tr.Rerated[0].Type != lineitem.SavingsPlanNegation || tr.Rerated[0].Kept ||
		tr.Rerated[0].OwnerCustomer != "ACME" || !tr.Rerated[0].Billed.Equal(dec("-0.23")) ||
		!tr.Rerated[0].Charged.IsZero() || !tr.Rerated[0].OnDemand.IsZero() {
		t.Errorf("rerated = %+v", tr.Rerated)
	}
}

// TestConcurrentStatements: the window and the CLI may compute several
// customers at once from one month.
func TestConcurrentStatements(t *testing.T) {
	m := newMonth(t, Config{Owners: owners}, flat(riItems, spItems))
	want := map[string]string{}
	for _, c := range []customer.Customer{acme, beta} {
		st, err := m.Statement(c, Ledger{}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		want[c.ID] = st.Total.String()
	}
	done := make(chan error)
	for i := range 8 {
		go func() {
			c := []customer.Customer{acme, beta}[i%2]
			st, err := m.Statement(c, Ledger{}, Options{})
			if err == nil && st.Total.String() != want[c.ID] {
				err = fmt.Errorf("%s total %s, want %s", c.ID, st.Total, want[c.ID])
			}
			done <- err
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

func TestStatementJSONReadsBack(t *testing.T) {
	c := acme
	c.Currency = "JPY"
	st := statementOf(t, Config{Rates: func(from, to, p string) (decimal.Decimal, string, error) {
		return dec("150.5"), "test", nil
	}}, riItems, c, Options{})
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	var back Statement
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	// 7.2 x 150.5 = 1083.6 -> 1084 yen, printed without decimals
	if back.Total.String() != "1084" || !back.Total.Decimal().Equal(st.Total.Decimal()) ||
		back.Sections[0].Lines[0].Amount.String() != "1084" || back.CustomerID != "ACME" {
		t.Errorf("read back total %s, line %s", back.Total, back.Sections[0].Lines[0].Amount)
	}
	var a Amount
	if err := json.Unmarshal([]byte(`12.5`), &a); err == nil {
		t.Error("a JSON number should be refused: money travels as strings")
	}
}
