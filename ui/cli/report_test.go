package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// statementJSON is the part of the engine's statement the tests read.
type statementJSON struct {
	CustomerID string `json:"customer_id"`
	Period     string `json:"period"`
	Currency   string `json:"currency"`
	Basis      string `json:"basis"`
	Sections   []struct {
		ProductType string `json:"product_type"`
		Lines       []struct {
			Service   string `json:"service"`
			Amount    string `json:"amount"`
			Unrounded string `json:"unrounded"`
		} `json:"lines"`
		Subtotal string `json:"subtotal"`
	} `json:"sections"`
	Subtotal       string `json:"subtotal"`
	Discount       string `json:"discount"`
	Support        string `json:"support"`
	Marketplace    string `json:"marketplace"`
	CreditsApplied string `json:"credits_applied"`
	Tax            string `json:"tax"`
	Total          string `json:"total"`
	UsageViewTotal string `json:"usage_view_total"`
	Rates          []struct {
		From, To, Rate, Source string
	} `json:"rates"`
}

// lines lists a statement's printed lines as "Section/Service=amount".
func (s statementJSON) lines() string {
	var out []string
	for _, sec := range s.Sections {
		for _, l := range sec.Lines {
			out = append(out, sec.ProductType+"/"+l.Service+"="+l.Amount)
		}
	}
	return strings.Join(out, " ")
}

// reportCSV is one month of two customers' accounts. By hand:
//
//	011254002932 (ACME): AmazonEC2 0.125, AmazonS3 1.0000000001
//	836060457634 (GLOBEX): AmazonEC2 10, and a provider credit of -2.5
func reportCSV(t *testing.T) string {
	t.Helper()
	const head = "bill/PayerAccountId,bill/BillingPeriodStartDate,bill/InvoiceId,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/ProductCode,lineItem/CurrencyCode,lineItem/UnblendedCost\n"
	body := head +
		"836060457634,2024-05-01T00:00:00Z,,011254002932,Usage,2024-05-01T00:00:00Z,AmazonEC2,USD,0.125\n" +
		"836060457634,2024-05-01T00:00:00Z,,011254002932,Usage,2024-05-01T01:00:00Z,AmazonS3,USD,1.0000000001\n" +
		"836060457634,2024-05-01T00:00:00Z,,836060457634,Usage,2024-05-01T00:00:00Z,AmazonEC2,USD,10\n" +
		"836060457634,2024-05-01T00:00:00Z,,836060457634,Credit,2024-05-01T00:00:00Z,AmazonEC2,USD,-2.5\n"
	p := filepath.Join(t.TempDir(), "cur-2024-05.csv")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func reportDB(t *testing.T) string {
	t.Helper()
	db := tempDB(t)
	var m json.RawMessage
	ok(t, db, &m, "import", reportCSV(t))
	ok(t, db, &m, "customers", "add", "--id", "ACME", "--name", "Acme", "--group", "EMEA/Enterprise", "--tax-rates", "VAT 20%=20")
	ok(t, db, &m, "customers", "add", "--id", "GLOBEX", "--name", "Globex", "--group", "Americas")
	ok(t, db, &m, "accounts", "map", "011254002932", "--customer", "ACME")
	ok(t, db, &m, "accounts", "map", "836060457634", "--customer", "GLOBEX")
	return db
}

func TestReport(t *testing.T) {
	db := reportDB(t)
	var st statementJSON
	ok(t, db, &st, "report", "--period", "2024-05", "--customer", "ACME")
	// Half-up: 0.125 -> 0.13; 1.0000000001 -> 1.00.
	if st.CustomerID != "ACME" || st.Period != "2024-05" || st.Currency != "USD" || st.Basis != "rerated" ||
		st.lines() != "Compute/AmazonEC2=0.13 Storage/AmazonS3=1.00" || st.Subtotal != "1.13" || st.Total != "1.13" ||
		st.Discount != "0.00" || st.Support != "0.00" || st.Marketplace != "0.00" || st.CreditsApplied != "0.00" || st.Tax != "0.00" ||
		st.UsageViewTotal != "1.13" || st.Sections[1].Lines[0].Unrounded != "1.0000000001" {
		t.Errorf("ACME: %+v", st)
	}

	var all []statementJSON
	ok(t, db, &all, "report", "--period", "2024-05")
	if len(all) != 2 || all[0].CustomerID != "GLOBEX" || all[1].CustomerID != "ACME" {
		t.Fatalf("every customer, in list order: %+v", all)
	}
	// The provider's credit stays with the account that received it.
	if all[0].lines() != "Compute/AmazonEC2=10.00 Credits/AmazonEC2=-2.50" || all[0].Total != "7.50" {
		t.Errorf("GLOBEX: %s total %s", all[0].lines(), all[0].Total)
	}
	ok(t, db, &all, "report", "--period", "2024-05", "--group", "emea")
	if len(all) != 1 || all[0].CustomerID != "ACME" {
		t.Errorf("group EMEA: %+v", all)
	}

	// Tax on the rounded lines, rounded once: 20% of 1.13 = 0.226 -> 0.23.
	ok(t, db, &st, "report", "--period", "2024-05", "--customer", "ACME", "--tax")
	if st.Tax != "0.23" || st.Total != "1.36" {
		t.Errorf("with tax: tax %s total %s", st.Tax, st.Total)
	}
	// Credits larger than the bill take it to zero, never below.
	var m json.RawMessage
	ok(t, db, &m, "credits", "grant", "ACME", "100", "--reason", "Welcome")
	ok(t, db, &st, "report", "--period", "2024-05", "--customer", "ACME", "--credits", "--tax")
	if st.CreditsApplied != "-1.13" || st.Tax != "0.00" || st.Total != "0.00" {
		t.Errorf("with credits and tax: credits %s tax %s total %s", st.CreditsApplied, st.Tax, st.Total)
	}
	// Another basis: public on-demand is the unblended cost where the
	// file has no public price.
	ok(t, db, &st, "report", "--period", "2024-05", "--customer", "ACME", "--basis", "public")
	if st.Basis != "public" || st.Total != "1.13" {
		t.Errorf("public basis: %s %s", st.Basis, st.Total)
	}

	// Settings and overrides change the next report.
	var s struct{ Rounding, ProviderTax string }
	ok(t, db, &s, "settings", "set", "rounding", "half-even")
	ok(t, db, &m, "producttypes", "set", "AmazonS3", "other")
	ok(t, db, &st, "report", "--period", "2024-05", "--customer", "ACME")
	if st.lines() != "Compute/AmazonEC2=0.12 Other/AmazonS3=1.00" || st.Total != "1.12" {
		t.Errorf("half-even, S3 in Other: %s total %s", st.lines(), st.Total)
	}
}

func TestReportViews(t *testing.T) {
	db := reportDB(t)
	var u struct {
		CustomerID string `json:"customer_id"`
		Lines      []struct {
			Service, Usage, Bill, Difference string
		} `json:"lines"`
		Total, Bill, Difference string
	}
	ok(t, db, &u, "report", "--period", "2024-05", "--customer", "ACME", "--view", "usage")
	// Each line item to the cent first: 0.125 -> 0.13, 1.0000000001 -> 1.00.
	if u.CustomerID != "ACME" || len(u.Lines) != 2 || u.Total != "1.13" || u.Bill != "1.13" || u.Difference != "0.00" {
		t.Errorf("usage view %+v", u)
	}
	var v struct {
		Lines []struct {
			Service          string `json:"service"`
			ConsoleUnblended string `json:"console_unblended"`
			Statement        string `json:"statement"`
			Cause            string `json:"cause"`
		} `json:"lines"`
		Total struct {
			Statement  string `json:"statement"`
			Difference string `json:"difference"`
		} `json:"total"`
	}
	ok(t, db, &v, "report", "--period", "2024-05", "--customer", "GLOBEX", "--view", "console")
	if len(v.Lines) != 2 || v.Total.Statement != "7.50" || v.Total.Difference != "0.00" {
		t.Errorf("console view %+v", v)
	}

	out, errs, code := cli(t, db, "report", "--period", "2024-05", "--customer", "GLOBEX")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"Statement for Globex (GLOBEX), 2024-05", "Provisional data", "Compute\n", "Credits\n",
		"  Compute subtotal", "Total USD", "7.50"} {
		if !strings.Contains(out, want) {
			t.Errorf("statement text lacks %q:\n%s", want, out)
		}
	}
	// Amounts are right-aligned: they end in the same column.
	ends := map[int]bool{}
	for _, line := range strings.Split(out, "\n") {
		for _, amt := range []string{" 10.00", " -2.50", " 7.50"} {
			if i := strings.Index(line, amt); i >= 0 && (strings.HasPrefix(line, "  AmazonEC2") || strings.HasPrefix(line, "Total USD")) {
				ends[i+len(amt)] = true
			}
		}
	}
	if len(ends) != 1 {
		t.Errorf("amounts are not aligned (%v):\n%s", ends, out)
	}
	out, _, _ = cli(t, db, "report", "--period", "2024-05", "--view", "console")
	if !strings.Contains(out, "Console variance for Acme (ACME)") || !strings.Contains(out, "CONSOLE UNBLENDED") {
		t.Errorf("console text:\n%s", out)
	}
}

func TestReportRefusals(t *testing.T) {
	db := reportDB(t)
	fails(t, db, 1, "--period YYYY-MM is required", "report")
	fails(t, db, 1, "no billing data for 2024-06", "report", "--period", "2024-06")
	fails(t, db, 1, `--view "pdf" is not one of bill, usage, console`, "report", "--period", "2024-05", "--view", "pdf")
	fails(t, db, 1, `--basis "list"`, "report", "--period", "2024-05", "--basis", "list")
	fails(t, db, 1, "cannot be used together", "report", "--period", "2024-05", "--customer", "ACME", "--group", "EMEA")
	fails(t, db, 1, "add --credits too", "report", "--period", "2024-05", "--marketplace-credits")
	fails(t, db, 1, `there is no customer "NOPE"`, "report", "--period", "2024-05", "--customer", "NOPE")
	fails(t, db, 1, `no customer is in group "Asia"`, "report", "--period", "2024-05", "--group", "Asia")

	// A customer invoiced in EUR needs the month's USD to EUR rate.
	var m json.RawMessage
	ok(t, db, &m, "customers", "edit", "GLOBEX", "--currency", "EUR")
	fails(t, db, 1, "no USD to EUR exchange rate for 2024-05: enter it (rebill rates set USD EUR 2024-05 RATE --source SOURCE, or Settings > Exchange rates), then try again", "report", "--period", "2024-05", "--customer", "GLOBEX")
	var r struct {
		From, To, Period, Rate, Source string
	}
	ok(t, db, &r, "rates", "set", "usd", "eur", "2024-05", "0.8812", "--source", "ECB 2024-05-31")
	if r.From != "USD" || r.To != "EUR" || r.Rate != "0.8812" || r.Source != "ECB 2024-05-31" {
		t.Errorf("rate %+v", r)
	}
	// Converted at full precision, then rounded: 10 x 0.8812 = 8.812 ->
	// 8.81; -2.5 x 0.8812 = -2.203 -> -2.20.
	var st statementJSON
	ok(t, db, &st, "report", "--period", "2024-05", "--customer", "GLOBEX")
	if st.Currency != "EUR" || st.lines() != "Compute/AmazonEC2=8.81 Credits/AmazonEC2=-2.20" || st.Total != "6.61" ||
		len(st.Rates) != 1 || st.Rates[0].Rate != "0.8812" || st.Rates[0].Source != "ECB 2024-05-31" {
		t.Errorf("GLOBEX in EUR: %+v", st)
	}
}

func TestRatesProductTypesSettingsCommands(t *testing.T) {
	db := tempDB(t)
	var r json.RawMessage
	ok(t, db, &r, "rates", "set", "USD", "JPY", "2024-05", "156.5", "--source", "BoJ")
	ok(t, db, &r, "rates", "set", "USD", "EUR", "2024-05", "0.92", "--source", "ECB")
	fails(t, db, 1, "the rate has no source", "rates", "set", "USD", "GBP", "2024-05", "0.8")
	fails(t, db, 1, `rate "abc" is not a number`, "rates", "set", "USD", "GBP", "2024-05", "abc", "--source", "x")
	fails(t, db, 1, "USD to USD needs no rate", "rates", "set", "USD", "USD", "2024-05", "1", "--source", "x")
	var rates []struct{ From, To, Period, Rate string }
	ok(t, db, &rates, "rates", "list")
	if len(rates) != 2 || rates[0].To != "EUR" || rates[1].To != "JPY" || rates[1].Rate != "156.5" {
		t.Errorf("rates %+v", rates)
	}
	ok(t, db, &r, "rates", "delete", "USD", "JPY", "2024-05")
	fails(t, db, 1, "there is no USD/JPY rate for 2024-05", "rates", "delete", "USD", "JPY", "2024-05")
	out, _, _ := cli(t, db, "rates", "list")
	if !strings.Contains(out, "USD/EUR  2024-05  0.92  ECB") {
		t.Errorf("rates list:\n%s", out)
	}

	var o struct{ Code, Type, Default string }
	ok(t, db, &o, "producttypes", "set", "AmazonSageMaker", "Other")
	if o.Code != "AmazonSageMaker" || o.Type != "Other" || o.Default != "Machine Learning" {
		t.Errorf("override %+v", o)
	}
	ok(t, db, &o, "producttypes", "set", "MyCustomCode", "Machine", "Learning")
	fails(t, db, 1, `"Stuff" is not a product type`, "producttypes", "set", "X", "Stuff")
	fails(t, db, 1, `cannot be put in the "Credits" section`, "producttypes", "set", "X", "credits")
	var list []struct{ Code, Type string }
	ok(t, db, &list, "producttypes", "list")
	if len(list) != 2 || list[0].Code != "AmazonSageMaker" || list[1].Type != "Machine Learning" {
		t.Errorf("overrides %+v", list)
	}
	ok(t, db, &o, "producttypes", "delete", "AmazonSageMaker")
	if o.Type != "Machine Learning" {
		t.Errorf("after delete %+v", o)
	}

	var s struct {
		ProviderTax string `json:"provider_tax"`
		Rounding    string `json:"rounding"`
	}
	ok(t, db, &s, "settings", "show")
	if s.ProviderTax != "replace" || s.Rounding != "half-up" {
		t.Errorf("defaults %+v", s)
	}
	ok(t, db, &s, "settings", "set", "provider-tax", "pass-through")
	ok(t, db, &s, "settings", "set", "rounding", "down")
	if s.ProviderTax != "passthrough" || s.Rounding != "down" {
		t.Errorf("set %+v", s)
	}
	fails(t, db, 1, `rounding "up" is not one of half-up, half-even, down`, "settings", "set", "rounding", "up")
	fails(t, db, 1, `unknown setting "color"`, "settings", "set", "color", "red")
	out, _, _ = cli(t, db, "settings", "show")
	if !strings.Contains(out, "toward zero") {
		t.Errorf("settings text:\n%s", out)
	}
}

// TestReportOnTheWorkshopCUR is issue 4's target through the command line:
// the public AWS workshop CUR, its two accounts as two customers, the
// first re-rated: its own usage, 71.4558054277, plus the on-demand cost of
// the 915 DiscountedUsage lines that used the second customer's
// reservations, 9.5564 (both computed outside Rebill, see
// store.TestRealCURFiles and engine/billing.TestRealWorkshopCUR).
func TestReportOnTheWorkshopCUR(t *testing.T) {
	file := filepath.Join("..", "..", "..", "shared", "data", "real", "aws-wa-labs", "Oct2018-WorkshopCUR-00001.snappy.parquet")
	if _, err := os.Stat(file); err != nil {
		t.Skipf("real billing files not available (%v): they live in ../shared/data/real beside the checkout", err)
	}
	db := tempDB(t)
	var m json.RawMessage
	ok(t, db, &m, "import", file)
	ok(t, db, &m, "customers", "add", "--id", "A", "--name", "First")
	ok(t, db, &m, "customers", "add", "--id", "B", "--name", "Second")
	ok(t, db, &m, "accounts", "map", "011254002932", "--customer", "A")
	ok(t, db, &m, "accounts", "map", "836060457634", "--customer", "B")
	var st statementJSON
	ok(t, db, &st, "report", "--period", "2018-10", "--customer", "A")
	sum := decimal.Zero
	for _, s := range st.Sections {
		for _, l := range s.Lines {
			sum = sum.Add(decimal.RequireFromString(l.Unrounded))
		}
	}
	want := decimal.RequireFromString("71.4558054277").Add(decimal.RequireFromString("9.5564"))
	if !sum.Equal(want) {
		t.Errorf("A's unrounded lines add up to %s, want %s", sum, want)
	}
	// The printed total is the sum of the printed lines.
	printed := decimal.Zero
	for _, s := range st.Sections {
		for _, l := range s.Lines {
			printed = printed.Add(decimal.RequireFromString(l.Amount))
		}
	}
	if st.Total != printed.StringFixed(2) || st.Total != "81.01" {
		t.Errorf("total %s, printed lines %s", st.Total, printed)
	}
}
