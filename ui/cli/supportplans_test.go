package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// edpFile writes a CUR CSV of one month of account 111111111111 with an
// Enterprise Discount Program: EC2 6000.002 + 4500.002 = 10500.004 less
// 1050.0004, S3 200.005 less 20.0005, a 300 credit and AWS's own 1234
// Business support fee.
func edpFile(t *testing.T, month string) string {
	t.Helper()
	rows := []string{
		"Usage,AmazonEC2,6000.002", "Usage,AmazonEC2,4500.002", "EdpDiscount,AmazonEC2,-600.0002", "EdpDiscount,AmazonEC2,-450.0002",
		"Usage,AmazonS3,200.005", "EdpDiscount,AmazonS3,-20.0005", "Credit,AmazonEC2,-300", "Fee,AWSSupportBusiness,1234",
	}
	body := "bill/PayerAccountId,bill/BillingPeriodStartDate,bill/InvoiceId,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/ProductCode,lineItem/CurrencyCode,lineItem/UnblendedCost,lineItem/UsageStartDate\n"
	for _, r := range rows {
		typ, rest, _ := strings.Cut(r, ",")
		code, cost, _ := strings.Cut(rest, ",")
		body += "999999999999," + month + "-01T00:00:00Z,INV-" + month + ",111111111111," + typ + "," + code + ",USD," + cost + "," + month + "-01T00:00:00Z\n"
	}
	p := filepath.Join(t.TempDir(), "edp-"+month+".csv")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

type supportStatement struct {
	Total    string `json:"total"`
	Support  string `json:"support"`
	Notes    []string
	Sections []struct {
		ProductType string `json:"product_type"`
		Lines       []struct {
			Service string `json:"service"`
			Amount  string `json:"amount"`
			Trace   struct {
				Support *struct {
					Version   string `json:"version"`
					ToConfirm bool   `json:"to_confirm"`
					BaseRule  string `json:"base_rule"`
					Base      string `json:"base"`
				} `json:"support"`
			} `json:"trace"`
		} `json:"lines"`
	} `json:"sections"`
}

func (s supportStatement) lines() map[string]string {
	out := map[string]string{}
	for _, sec := range s.Sections {
		for _, l := range sec.Lines {
			out[sec.ProductType+"/"+l.Service] = l.Amount
		}
	}
	return out
}

func (s supportStatement) support(t *testing.T) (service, amount, version string, confirm bool, rule string) {
	t.Helper()
	for _, sec := range s.Sections {
		if sec.ProductType == "Support" {
			l := sec.Lines[0]
			d := l.Trace.Support
			return l.Service, l.Amount, d.Version, d.ToConfirm, d.BaseRule
		}
	}
	t.Fatalf("no support line: %v", s.lines())
	return
}

// TestSupportPlansCommands: the support plans, the gross base and the
// provider discount modes through the command line, on the EDP months of
// December 2026 and January 2027 (invoiced in February 2027).
func TestSupportPlansCommands(t *testing.T) {
	at(t, time.Date(2027, 2, 5, 9, 0, 0, 0, time.UTC))
	db := tempDB(t)
	var v any
	ok(t, db, &v, "import", edpFile(t, "2026-12"), edpFile(t, "2027-01"))
	ok(t, db, &v, "customers", "add", "--id", "ACME", "--name", "Acme Corp", "--currency", "USD", "--support", "business")
	ok(t, db, &v, "accounts", "map", "111111111111", "--customer", "ACME", "--from", "2026-01")
	report := func(month string) supportStatement {
		t.Helper()
		var st supportStatement
		ok(t, db, &st, "report", "--period", month, "--customer", "ACME")
		return st
	}
	check := func(name, month, service, amount, version string, confirm bool) {
		t.Helper()
		gotS, gotA, gotV, gotC, rule := report(month).support(t)
		if gotS != service || gotA != amount || gotV != version || gotC != confirm || !strings.Contains(rule, "before provider discounts") {
			t.Errorf("%s: %s %s by %s (to confirm %v, %q); want %s %s by %s (%v) on the gross base",
				name, gotS, gotA, gotV, gotC, rule, service, amount, version, confirm)
		}
	}
	// Gross base 10500.00 + 200.01 = 10700.01 in both months.
	// 2026-12 Business: 10% x 10000 + 7% x 700.01 = 1000 + 49.0007
	check("December, legacy Business", "2026-12", "AWS Support (Business)", "1049.00", "aws-business", false)
	// 2027-01 Business Support+: 9% x 10000 + 7% x 700.01 = 900 + 49.0007
	check("January, Business Support+", "2027-01", "AWS Support (Business Support+)", "949.00", "aws-business-plus-2027", true)

	var plans []struct {
		ID        string `json:"id"`
		ToConfirm bool   `json:"to_confirm"`
	}
	ok(t, db, &plans, "support-plans", "list")
	if len(plans) != 7 {
		t.Errorf("%d plans, want the 7 presets", len(plans))
	}
	out, _, _ := cli(t, db, "support-plans", "show", "aws-business-plus-2027")
	if !strings.Contains(out, "To confirm") || !strings.Contains(out, "10000       9%") {
		t.Errorf("show:\n%s", out)
	}
	// The accountant enters the bands from AWS's page: 8% to 10K, 6% above.
	// 8% x 10000 + 6% x 700.01 = 800 + 42.0006
	ok(t, db, &v, "support-plans", "set", "aws-business-plus-2027", "--bands", "0-10000=8;10000-=6")
	check("January, Business Support+ as confirmed", "2027-01", "AWS Support (Business Support+)", "842.00", "aws-business-plus-2027", false)
	check("December untouched", "2026-12", "AWS Support (Business)", "1049.00", "aws-business", false)
	fails(t, db, 1, "nothing to change", "support-plans", "set", "aws-business-plus-2027", "--json")
	fails(t, db, 1, "band 2 starts at 11000", "support-plans", "set", "aws-business", "--bands", "0-10000=10;11000-=7")
	fails(t, db, 1, `both price "business" in the same months`, "support-plans", "add", "partner", "--name", "Partner-led",
		"--serves", "business", "--from", "2027-01", "--bands", "0-=10")
	fails(t, db, 1, `there is no support plan "gold"`, "support-plans", "show", "gold")

	// A plan change from 2027-01: flat 5% of 10700.01 = 535.0005.
	fails(t, db, 1, "--support-from needs --support", "customers", "edit", "ACME", "--support-from", "2027-01")
	ok(t, db, &v, "customers", "edit", "ACME", "--support", "flat", "--support-percent", "5", "--support-from", "2027-01")
	check("January, changed to flat 5%", "2027-01", "Support (5%)", "535.00", "flat", false)
	check("December keeps Business", "2026-12", "AWS Support (Business)", "1049.00", "aws-business", false)

	// Provider discounts: passed on (default), kept as margin by the
	// reseller, shown apart for this customer.
	want := func(name string, month string, lines map[string]string, total string) {
		t.Helper()
		st := report(month)
		got := st.lines()
		for k, a := range lines {
			if got[k] != a {
				t.Errorf("%s: %s = %q, want %s (all %v)", name, k, got[k], a, got)
			}
		}
		if st.Total != total {
			t.Errorf("%s: total %s, want %s", name, st.Total, total)
		}
	}
	// 9450.00 + 180.00 - 300.00 + 1049.00
	want("passed on", "2026-12", map[string]string{"Compute/AmazonEC2": "9450.00", "Storage/AmazonS3": "180.00"}, "10379.00")
	ok(t, db, &v, "settings", "set", "provider-discounts", "margin")
	// 10500.00 + 200.01 - 300.00 + 1049.00
	want("kept as margin", "2026-12", map[string]string{"Compute/AmazonEC2": "10500.00", "Storage/AmazonS3": "200.01"}, "11449.01")
	ok(t, db, &v, "customers", "edit", "ACME", "--provider-discounts", "separate")
	// 10500.00 - 1050.00 + 200.01 - 20.00 - 300.00 + 1049.00
	want("shown apart", "2026-12", map[string]string{"Compute/AmazonEC2": "10500.00", "Compute/AmazonEC2 (EDP discount)": "-1050.00",
		"Storage/AmazonS3": "200.01", "Storage/AmazonS3 (EDP discount)": "-20.00"}, "10379.01")
	ok(t, db, &v, "settings", "set", "support-base", "after provider discounts")
	// 10% x (10500.00 - 1050.0004 -> 9450.00 + 180.00) = 963.00
	if _, a, _, _, rule := report("2026-12").support(t); a != "963.00" || !strings.Contains(rule, "after provider discounts") {
		t.Errorf("support after provider discounts %s (%q), want 963.00", a, rule)
	}
	ok(t, db, &v, "settings", "set", "support-base", "gross")

	// Plan none: AWS's support fee is not billed, and the statement says so.
	ok(t, db, &v, "customers", "edit", "ACME", "--support", "none")
	if st := report("2026-12"); st.Support != "0.00" || len(st.Notes) != 1 || !strings.Contains(st.Notes[0], "AWS support charged to account 111111111111 is not billed") {
		t.Errorf("plan none: support %s, notes %q", st.Support, st.Notes)
	}

	// The text trace says the base is gross.
	ok(t, db, &v, "customers", "edit", "ACME", "--support", "business")
	out, errs, code := cli(t, db, "report", "--period", "2026-12", "--customer", "ACME", "--trace", "Support")
	if code != 0 || !strings.Contains(out, "The base is the customer's own AWS charges of the month before provider discounts") ||
		!strings.Contains(out, "priced by plan version aws-business (until 2026-12)") {
		t.Errorf("report --trace Support: exit %d %s\n%s", code, errs, out)
	}
}
