package cli

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testNow is the clock every command of a test runs at: a fixed day, so
// that no test depends on the day it runs. A test may move it, restoring
// it with t.Cleanup.
var testNow = time.Date(2026, 10, 5, 9, 30, 0, 0, time.UTC)

// at sets the test clock to day for the rest of test t.
func at(t *testing.T, day time.Time) {
	before := testNow
	testNow = day
	t.Cleanup(func() { testNow = before })
}

// cli runs one command line in-process against the database db, at testNow.
func cli(t *testing.T, db string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(append([]string{"--db", db}, args...), Meta{Name: "Rebill"}, func() time.Time { return testNow }, &out, &errb)
	return out.String(), errb.String(), code
}

// ok runs a --json command that must succeed and decodes its one document.
func ok(t *testing.T, db string, v any, args ...string) {
	t.Helper()
	out, errs, code := cli(t, db, append(args, "--json")...)
	if code != 0 {
		t.Fatalf("rebill %s: exit %d: %s", strings.Join(args, " "), code, errs)
	}
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(v); err != nil {
		t.Fatalf("rebill %s: output is not JSON (%v):\n%s", strings.Join(args, " "), err, out)
	}
	if dec.More() {
		t.Fatalf("rebill %s printed more than one JSON document:\n%s", strings.Join(args, " "), out)
	}
}

// fails runs a command that must fail with code and a stderr naming want.
func fails(t *testing.T, db string, code int, want string, args ...string) {
	t.Helper()
	out, errs, got := cli(t, db, args...)
	if got != code || !strings.Contains(errs, want) {
		t.Fatalf("rebill %s: exit %d, stderr %q; want exit %d and %q (stdout %q)", strings.Join(args, " "), got, errs, code, want, out)
	}
}

func tempDB(t *testing.T) string { return filepath.Join(t.TempDir(), "rebill.db") }

// curFile writes a small legacy CUR CSV of one month: 011254002932 costs
// 1.25 + 0.0000000001 and 836060457634 costs 10 - 2.5, under payer
// 836060457634.
func curFile(t *testing.T, month string) string {
	t.Helper()
	body := "bill/PayerAccountId,bill/BillingPeriodStartDate,bill/InvoiceId,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/ProductCode,lineItem/CurrencyCode,lineItem/UnblendedCost\n" +
		"836060457634," + month + "-01T00:00:00Z,,011254002932,Usage," + month + "-01T00:00:00Z,AmazonEC2,USD,1.25\n" +
		"836060457634," + month + "-01T00:00:00Z,,011254002932,Usage," + month + "-01T01:00:00Z,AmazonS3,USD,1E-10\n" +
		"836060457634," + month + "-01T00:00:00Z,,836060457634,Usage," + month + "-01T00:00:00Z,AmazonEC2,USD,10\n" +
		"836060457634," + month + "-01T00:00:00Z,,836060457634,Credit," + month + "-01T00:00:00Z,AmazonEC2,USD,-2.5\n"
	p := filepath.Join(t.TempDir(), "cur-"+month+".csv")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

type customerJSON struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Group    string `json:"group"`
	Currency string `json:"currency"`
	Terms    int    `json:"payment_terms_days"`
	Adjust   string `json:"adjustment_percent"`
	Support  string `json:"support_plan"`
	TaxRates []struct {
		Name    string `json:"name"`
		Percent string `json:"percent"`
	} `json:"tax_rates"`
}

func TestCustomersCommands(t *testing.T) {
	db := tempDB(t)
	var c customerJSON
	ok(t, db, &c, "customers", "add", "--id", "ACME", "--name", "Acme Corp", "--group", "EMEA/Enterprise",
		"--tax-rates", "VAT 20%=20;Reduced=5.5", "--adjustment", "-5", "--support", "business")
	if c.ID != "ACME" || c.Group != "EMEA / Enterprise" || c.Currency != "USD" || c.Terms != 30 || c.Adjust != "-5" || len(c.TaxRates) != 2 || c.TaxRates[1].Percent != "5.5" {
		t.Errorf("added %+v", c)
	}
	fails(t, db, 1, "customer ACME already exists", "customers", "add", "--id", "ACME", "--name", "Again")
	fails(t, db, 1, "--id and --name are required", "customers", "add", "--id", "X")
	fails(t, db, 1, `currency "EUX" is not an ISO 4217 currency code`, "customers", "add", "--id", "X", "--name", "X", "--currency", "EUX")
	fails(t, db, 1, "payment terms of -1 days are negative", "customers", "edit", "ACME", "--terms", "-1")
	fails(t, db, 1, "adjustment: 2000% is outside -100..1000%", "customers", "edit", "ACME", "--adjustment", "2000")
	fails(t, db, 1, "a customer's id cannot change", "customers", "edit", "ACME", "--id", "ACME2")
	fails(t, db, 1, `there is no customer "NOPE"`, "customers", "show", "NOPE")
	ok(t, db, &c, "customers", "edit", "ACME", "--currency", "eur", "--terms", "14")
	if c.Currency != "EUR" || c.Terms != 14 || c.Adjust != "-5" {
		t.Errorf("edited %+v", c)
	}

	// The profile's defaults apply to new customers.
	var p map[string]any
	ok(t, db, &p, "profile", "set", "default_currency", "GBP")
	ok(t, db, &c, "customers", "add", "--id", "GLOBEX", "--name", "Globex", "--group", "Americas")
	if c.Currency != "GBP" {
		t.Errorf("new customer currency %s, want the profile's GBP", c.Currency)
	}

	var list []customerJSON
	ok(t, db, &list, "customers", "list")
	if len(list) != 2 || list[0].ID != "GLOBEX" || list[1].ID != "ACME" {
		t.Errorf("list (by group) %+v", list)
	}
	var show struct {
		Customer customerJSON      `json:"customer"`
		Mappings []json.RawMessage `json:"mappings"`
	}
	ok(t, db, &show, "customers", "show", "ACME")
	if show.Customer.ID != "ACME" || show.Mappings == nil {
		t.Errorf("show %+v", show)
	}
	var log []struct {
		Kind string          `json:"kind"`
		Key  string          `json:"key"`
		Old  json.RawMessage `json:"old"`
		New  json.RawMessage `json:"new"`
	}
	ok(t, db, &log, "customers", "log", "ACME")
	if len(log) != 2 || log[0].Kind != "customer" || string(log[0].Old) != "null" || !strings.Contains(string(log[1].New), `"currency": "EUR"`) {
		t.Errorf("log %+v", log)
	}
	out, _, _ := cli(t, db, "customers", "log", "ACME")
	if !strings.Contains(out, `currency "USD" -> "EUR"`) {
		t.Errorf("text log:\n%s", out)
	}
}

func TestAccountsCommands(t *testing.T) {
	db := tempDB(t)
	var imported []json.RawMessage
	ok(t, db, &imported, "import", curFile(t, "2018-10"))
	cli(t, db, "customers", "add", "--id", "ACME", "--name", "Acme")
	cli(t, db, "customers", "add", "--id", "GLOBEX", "--name", "Globex")

	type unassigned struct {
		Account string `json:"account"`
		Payer   string `json:"payer"`
		Rows    int    `json:"rows"`
		Cost    string `json:"unblended_cost"`
	}
	var un []unassigned
	ok(t, db, &un, "accounts", "unassigned", "--period", "2018-10")
	if len(un) != 2 || un[0].Account != "011254002932" || un[0].Cost != "1.2500000001" || un[0].Rows != 2 || un[1].Cost != "7.5" || un[1].Payer != "836060457634" {
		t.Fatalf("nothing mapped: %+v", un)
	}

	type mapped struct {
		Account  string `json:"account"`
		Mappings []struct {
			Customer, From, Until string
		} `json:"mappings"`
	}
	var m mapped
	ok(t, db, &m, "accounts", "map", "011254002932", "--customer", "ACME")
	if len(m.Mappings) != 1 || m.Mappings[0].From != "2018-10" || m.Mappings[0].Until != "" {
		t.Errorf("--from should default to the earliest imported month: %+v", m)
	}
	ok(t, db, &m, "accounts", "map", "836060457634", "--customer", "GLOBEX", "--from", "2018-10")
	fails(t, db, 1, "account 011254002932 already belongs to ACME from 2018-10 (open-ended), which does not start before 2018-10", "accounts", "map", "011254002932", "--customer", "GLOBEX", "--from", "2018-10")
	fails(t, db, 1, `there is no customer "NOBODY"`, "accounts", "map", "123456789012", "--customer", "NOBODY")
	fails(t, db, 1, "has 11 digits", "accounts", "map", "11254002932", "--customer", "ACME")
	fails(t, db, 1, "the customer is named with --customer: rebill accounts map 123456789012 --customer ACME", "accounts", "map", "123456789012", "ACME", "--from", "2018-10")
	fails(t, db, 1, "expected one account, got 3 arguments: 1 2 3", "accounts", "map", "1", "2", "3", "--customer", "ACME")
	fails(t, db, 1, "expected one account, got none", "accounts", "map", "--customer", "ACME")
	fails(t, db, 1, `--from "2018-1" is not a month`, "accounts", "map", "123456789012", "--customer", "ACME", "--from", "2018-1")
	fails(t, db, 1, "--customer ID is required", "accounts", "map", "123456789012")

	ok(t, db, &un, "accounts", "unassigned", "--period", "2018-10")
	if len(un) != 0 {
		t.Errorf("both mapped: %+v", un)
	}
	var accts []struct {
		Account  string  `json:"account"`
		Customer *string `json:"customer"`
	}
	ok(t, db, &accts, "accounts", "--period", "2018-10")
	if len(accts) != 2 || accts[0].Customer == nil || *accts[0].Customer != "ACME" || *accts[1].Customer != "GLOBEX" {
		t.Errorf("accounts --period: %+v", accts)
	}

	ok(t, db, &m, "accounts", "unmap", "836060457634", "--from", "2018-11")
	if len(m.Mappings) != 1 || m.Mappings[0].Until != "2018-10" {
		t.Errorf("unmap --from 2018-11: %+v", m)
	}
	ok(t, db, &un, "accounts", "unassigned", "--period", "2018-10")
	if len(un) != 0 {
		t.Errorf("2018-10 still owned after unmapping from 2018-11: %+v", un)
	}
	ok(t, db, &m, "accounts", "unmap", "836060457634")
	if len(m.Mappings) != 0 {
		t.Errorf("unmap without --from: %+v", m)
	}
	ok(t, db, &un, "accounts", "unassigned", "--period", "2018-10")
	if len(un) != 1 || un[0].Account != "836060457634" || un[0].Cost != "7.5" {
		t.Errorf("after unmapping: %+v", un)
	}
	ok(t, db, &accts, "accounts", "--period", "2018-10")
	if accts[1].Customer != nil {
		t.Errorf("unassigned account's customer should be null: %+v", accts[1])
	}
	fails(t, db, 1, "account 836060457634 is not mapped to any customer", "accounts", "unmap", "836060457634")
	fails(t, db, 1, "no billing data for 2019-01", "accounts", "unassigned", "--period", "2019-01")
	fails(t, db, 1, "--period YYYY-MM is required", "accounts", "unassigned")
}

func TestMapDefaultsToThisMonthWithoutData(t *testing.T) {
	db := tempDB(t)
	cli(t, db, "customers", "add", "--id", "ACME", "--name", "Acme")
	var m struct {
		Mappings []struct{ From string } `json:"mappings"`
	}
	ok(t, db, &m, "accounts", "map", "011254002932", "--customer", "ACME")
	if len(m.Mappings) != 1 || m.Mappings[0].From != "2026-10" {
		t.Errorf("mappings %+v, want from 2026-10, the month of the test clock", m)
	}
}

func TestCSVCommandsRoundTrip(t *testing.T) {
	db := tempDB(t)
	cli(t, db, "customers", "add", "--id", "ACME", "--name", "Acme, Inc.", "--address", "1 Main St;Springfield", "--rules", "aws||AmazonEC2|=-10",
		"--recurring", "Managed service|2024-01|=250", "--notes", "two\nlines")
	cli(t, db, "customers", "add", "--id", "GLOBEX", "--name", "Globex", "--currency", "JPY")
	cli(t, db, "accounts", "map", "011254002932", "--customer", "ACME", "--from", "2018-01", "--until", "2018-09")
	cli(t, db, "accounts", "map", "011254002932", "--customer", "GLOBEX", "--from", "2018-10")
	dir := t.TempDir()
	custCSV, mapCSV := filepath.Join(dir, "customers.csv"), filepath.Join(dir, "mappings.csv")
	var rep struct {
		File string `json:"file"`
		Rows int    `json:"rows"`
	}
	ok(t, db, &rep, "customers", "export", custCSV)
	if rep.Rows != 2 {
		t.Errorf("export %+v", rep)
	}
	ok(t, db, &rep, "accounts", "export", mapCSV)

	fresh := tempDB(t)
	var imp struct {
		Status string `json:"status"`
		Added  int    `json:"added"`
	}
	ok(t, fresh, &imp, "customers", "import", custCSV)
	if imp.Added != 2 || imp.Status != "imported" {
		t.Errorf("import %+v", imp)
	}
	ok(t, fresh, &imp, "accounts", "import", mapCSV)
	if imp.Added != 2 {
		t.Errorf("import mappings %+v", imp)
	}
	for _, c := range [][]string{{"customers", "export", "-"}, {"accounts", "export", "-"}} {
		a, _, _ := cli(t, db, c...)
		b, _, _ := cli(t, fresh, c...)
		if a != b || a == "" {
			t.Errorf("%s differs after a round trip:\n%s\nvs\n%s", c[0], a, b)
		}
	}
	want, _ := os.ReadFile(custCSV)
	if got, _, _ := cli(t, fresh, "customers", "export", "-"); got != string(want) {
		t.Errorf("export -> import -> export changed the bytes")
	}

	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("id,name,currency\nNEW,New Co,USD\nBAD,Bad,EUX\n"), 0o644)
	out, errs, code := cli(t, fresh, "customers", "import", bad, "--json")
	var failure struct {
		Status string `json:"status"`
		Errors []struct {
			Line   int    `json:"line"`
			Column string `json:"column"`
			Reason string `json:"reason"`
		} `json:"errors"`
	}
	if code != 1 || json.Unmarshal([]byte(out), &failure) != nil || failure.Status != "failed" || len(failure.Errors) != 1 ||
		failure.Errors[0].Line != 3 || failure.Errors[0].Column != "currency" || !strings.Contains(errs, "line 3, column currency") {
		t.Fatalf("bad file: exit %d\n%s\n%s", code, out, errs)
	}
	fails(t, fresh, 1, `there is no customer "NEW"`, "customers", "show", "NEW")
}

func TestCreditsCommands(t *testing.T) {
	db := tempDB(t)
	cli(t, db, "customers", "add", "--id", "ACME", "--name", "Acme", "--currency", "EUR")
	cli(t, db, "customers", "add", "--id", "OTHER", "--name", "Other", "--currency", "EUR")
	var g struct {
		ID       int    `json:"id"`
		Amount   string `json:"amount"`
		Currency string `json:"currency"`
		Expires  string `json:"expires"`
	}
	ok(t, db, &g, "credits", "grant", "ACME", "100", "--reason", "Outage", "--expires", "2026-12")
	if g.ID != 1 || g.Amount != "100" || g.Currency != "EUR" || g.Expires != "2026-12" {
		t.Errorf("grant %+v", g)
	}
	ok(t, db, &g, "credits", "grant", "ACME", "25.50", "--reason", "Welcome")
	fails(t, db, 1, "credit amount -5 is not positive", "credits", "grant", "ACME", "-5", "--reason", "x")
	fails(t, db, 1, "the credit has no reason", "credits", "grant", "ACME", "5")
	fails(t, db, 1, `amount "five" is not a number`, "credits", "grant", "ACME", "five", "--reason", "x")
	fails(t, db, 1, "more decimals than EUR allows", "credits", "grant", "ACME", "1.001", "--reason", "x")
	var bal struct {
		Period   string `json:"period"`
		Balances []struct {
			Currency string `json:"currency"`
			Amount   string `json:"amount"`
		} `json:"balances"`
	}
	ok(t, db, &bal, "credits", "balance", "ACME", "--period", "2026-12")
	if len(bal.Balances) != 1 || bal.Balances[0].Amount != "125.5" {
		t.Errorf("balance in 2026-12: %+v", bal)
	}
	ok(t, db, &bal, "credits", "balance", "ACME", "--period", "2027-01")
	if bal.Balances[0].Amount != "25.5" {
		t.Errorf("balance after the first grant expired: %+v", bal)
	}
	// The text reads as money: 100 + 25.50 = 125.50, 25.50 once the
	// first expired.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"credits", "balance", "ACME", "--period", "2026-12"}, "ACME can use EUR 125.50 on an invoice for 2026-12."},
		{[]string{"credits", "balance", "ACME", "--period", "2027-01"}, "ACME can use EUR 25.50 on an invoice for 2027-01."},
		{[]string{"credits", "list", "ACME"}, "EUR 100.00  EUR 100.00"},
		{[]string{"credits", "grant", "OTHER", "7", "--reason", "x"}, "Credit 3 granted to OTHER: EUR 7.00, never expires."},
	} {
		if out, errs, code := cli(t, db, c.args...); code != 0 || !strings.Contains(out, c.want) {
			t.Errorf("rebill %s: exit %d %s\n%s, want %q", strings.Join(c.args, " "), code, errs, out, c.want)
		}
	}
	var l struct {
		Grants []struct {
			ID        int    `json:"id"`
			Remaining string `json:"remaining"`
		} `json:"grants"`
		Uses []json.RawMessage `json:"uses"`
	}
	ok(t, db, &l, "credits", "list", "ACME")
	if len(l.Grants) != 2 || l.Grants[0].Remaining != "100" || l.Uses == nil {
		t.Errorf("list %+v", l)
	}
}

func TestProfileCommands(t *testing.T) {
	db := tempDB(t)
	var p map[string]any
	ok(t, db, &p, "profile", "show")
	if _, has := p["next_invoice_number"]; p["invoice_number_format"] != "INV-{YYYY}-{SEQ:5}" || has {
		t.Errorf("default profile %v", p)
	}
	// The invoice counter is no profile setting, back or forward.
	for _, n := range []string{"0", "1", "120"} {
		fails(t, db, 1, "no longer a profile setting: it only moves forward, with a reason recorded in the audit log, through rebill invoices next-number N --reason R",
			"profile", "set", "next_invoice_number", n)
	}
	ok(t, db, &p, "profile", "set", "company_name", "Nimbus Cloud Partners")
	ok(t, db, &p, "profile", "set", "address", "7 Cloud Court;Manchester")
	if p["company_name"] != "Nimbus Cloud Partners" || len(p["address"].([]any)) != 2 {
		t.Errorf("profile %v", p)
	}
	fails(t, db, 1, "has no {SEQ}", "profile", "set", "invoice_number_format", "INV-{YYYY}")
	// How documents print an uplift, and the workbooks' paper.
	ok(t, db, &p, "profile", "set", "uplift_wording", "Service management")
	ok(t, db, &p, "profile", "set", "paper_size", "letter")
	if p["uplift_wording"] != "Service management" || p["paper_size"] != "Letter" {
		t.Errorf("profile %v", p)
	}
	fails(t, db, 1, `paper size "A3" is neither A4 nor Letter`, "profile", "set", "paper_size", "A3")
	fails(t, db, 1, `unknown profile setting "colour"`, "profile", "set", "colour", "blue")
	// A pair valid only together is set in one command, checked once;
	// either half alone is refused and changes nothing.
	fails(t, db, 1, "an electronic address needs both its scheme and its identifier", "profile", "set", "electronic_address_scheme", "9932")
	fails(t, db, 1, "expected KEY VALUE, or several KEY VALUE pairs", "profile", "set", "electronic_address_scheme", "9932", "electronic_address")
	ok(t, db, &p, "profile", "set", "electronic_address_scheme", "9932", "electronic_address", "GB987654321")
	if ei, _ := p["einvoice"].(map[string]any); ei["electronic_address_scheme"] != "9932" || ei["electronic_address"] != "GB987654321" || p["company_name"] != "Nimbus Cloud Partners" {
		t.Errorf("profile after the pair %v", p)
	}
	// One bad pair of several: none is set.
	fails(t, db, 1, `unknown profile setting "colour"`, "profile", "set", "uplift_wording", "Care", "colour", "blue")
	if ok(t, db, &p, "profile", "show"); p["uplift_wording"] != "Service management" {
		t.Errorf("a refused command changed the wording: %v", p["uplift_wording"])
	}
	var img bytes.Buffer
	png.Encode(&img, image.NewGray(image.Rect(0, 0, 240, 80)))
	logo := filepath.Join(t.TempDir(), "logo.png")
	os.WriteFile(logo, img.Bytes(), 0o644)
	ok(t, db, &p, "profile", "logo", logo)
	if p["logo_type"] != "image/png" || p["logo_width"] != float64(240) || p["logo_height"] != float64(80) || p["logo"] != nil {
		t.Errorf("logo %v", p)
	}
	notImage := filepath.Join(t.TempDir(), "logo.gif")
	os.WriteFile(notImage, []byte("GIF89a"), 0o644)
	fails(t, db, 1, "neither PNG nor JPEG", "profile", "logo", notImage)
	ok(t, db, &p, "profile", "logo", "--clear")
	if p["logo_bytes"] != float64(0) {
		t.Errorf("logo not cleared: %v", p)
	}
}

func TestVerbErrors(t *testing.T) {
	db := tempDB(t)
	fails(t, db, 2, "rebill customers list", "customers")
	fails(t, db, 1, `unknown subcommand "frobnicate"`, "customers", "frobnicate")
	fails(t, db, 1, "expected one customer id", "customers", "show")
	out, _, code := cli(t, db, "credits", "help")
	if code != 0 || !strings.Contains(out, "rebill credits grant ID AMOUNT") {
		t.Errorf("help: %d %s", code, out)
	}
}

// TestNothingToBackUpOrCheck: backup and check on a path where there is
// no database refuse and create nothing: a backup of a new, empty database
// made at a mistyped --db would pass for a backup of the accountant's, and
// a check of it would find it sound.
func TestNothingToBackUpOrCheck(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "rebil.db")
	for _, c := range []struct {
		args []string
		why  string
	}{
		{[]string{"backup", filepath.Join(dir, "backup.db")}, "there is nothing to back up"},
		{[]string{"check"}, "there is nothing to check"},
	} {
		_, errs, code := cli(t, db, c.args...)
		if code == 0 || !strings.Contains(errs, "there is no database at "+db+": "+c.why+"; nothing was created") {
			t.Errorf("%s: exit %d, stderr %q", c.args[0], code, errs)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files were made: %v", entries)
	}
}

// TestNewDatabaseIsSaid: a command run on a path where there is no
// database creates one and says so, once, on standard error, so that a
// mistyped --db is not taken for data gone ("No billing data imported
// yet"); the JSON on standard output stays one document.
func TestNewDatabaseIsSaid(t *testing.T) {
	db := filepath.Join(t.TempDir(), "typo", "rebil.db")
	out, errs, code := cli(t, db, "periods", "--json")
	if code != 0 || strings.TrimSpace(out) != "[]" || !strings.Contains(errs, "there was no database at "+db+": a new, empty one was created there") {
		t.Fatalf("first run: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if _, errs, _ := cli(t, db, "periods"); errs != "" {
		t.Errorf("second run: stderr %q", errs)
	}
}

// TestEmptyListsOfAMonth: a list asked for one month says that month has
// none, not that nothing was ever imported or recorded.
func TestEmptyListsOfAMonth(t *testing.T) {
	db := tempDB(t)
	cli(t, db, "import", curFile(t, "2024-09"))
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"deliveries", "list", "--period", "2024-10"}, "No deliveries of 2024-10: rebill periods lists the months imported.\n"},
		{[]string{"distributor-invoice", "list", "--period", "2024-10"}, "No distributor invoice recorded for 2024-10: rebill distributor-invoice add or import records one.\n"},
		{[]string{"invoices", "list", "--period", "2024-09", "--status", "past-due"}, "No Past Due invoice for 2024-09: without --status the list shows every status.\n"},
	} {
		if out, errs, code := cli(t, db, c.args...); code != 0 || out != c.want {
			t.Errorf("%v: exit %d, %q (%q), want %q", c.args, code, out, errs, c.want)
		}
	}
}
