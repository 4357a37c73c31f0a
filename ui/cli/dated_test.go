package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// movedCUR writes a final CUR month of account 111111111111 under payer
// 999999999999: EC2 usage of 10.00 on the 1st, 20.00 on the 14th, 30.00
// on the 15th and 40.00 on the 28th (100.00), and a 50.00 fee dated the
// 1st, as AWS dates monthly fees: 150.00 in all.
func movedCUR(t *testing.T, month string) string {
	t.Helper()
	body := "bill/PayerAccountId,bill/BillingPeriodStartDate,bill/InvoiceId,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/ProductCode,lineItem/CurrencyCode,lineItem/UnblendedCost\n"
	for _, r := range [][3]string{{"Usage", "01", "10.00"}, {"Usage", "14", "20.00"}, {"Usage", "15", "30.00"}, {"Usage", "28", "40.00"}} {
		body += "999999999999," + month + "-01T00:00:00Z,INV-" + month + ",111111111111," + r[0] + "," + month + "-" + r[1] + "T00:00:00Z,AmazonEC2,USD," + r[2] + "\n"
	}
	body += "999999999999," + month + "-01T00:00:00Z,INV-" + month + ",111111111111,Fee," + month + "-01T00:00:00Z,AmazonS3,USD,50.00\n"
	p := filepath.Join(t.TempDir(), "cur-"+month+".csv")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// datedDB has February to April of movedCUR, ACME owning the account
// with an EC2 markup of 10% and the reseller's name set for issuing.
func datedDB(t *testing.T) string {
	t.Helper()
	db := tempDB(t)
	var v any
	for _, m := range []string{"2025-02", "2025-03", "2025-04"} {
		ok(t, db, &v, "import", movedCUR(t, m))
	}
	ok(t, db, &v, "profile", "set", "company_name", "Reseller Ltd")
	ok(t, db, &v, "customers", "add", "--id", "ACME", "--name", "Acme Corp", "--currency", "USD", "--rules", "aws||AmazonEC2|=10")
	ok(t, db, &v, "customers", "add", "--id", "GLOBEX", "--name", "Globex", "--currency", "USD")
	ok(t, db, &v, "accounts", "map", "111111111111", "--customer", "ACME", "--from", "2025-01")
	return db
}

type statementTotal struct {
	Total       string `json:"total"`
	AccountDays []struct {
		Account, From, Until string
	} `json:"account_days"`
}

func reportTotal(t *testing.T, db, period, id string) string {
	t.Helper()
	var st statementTotal
	ok(t, db, &st, "report", "--period", period, "--customer", id)
	return st.Total
}

func issue(t *testing.T, db, period string) {
	t.Helper()
	var v any
	ok(t, db, &v, "invoices", "generate", "--period", period, "--customers", "ACME,GLOBEX")
	ok(t, db, &v, "invoices", "approve", "--all", "--period", period)
}

type correctionsJSON struct {
	Checked int   `json:"checked"`
	Changed []any `json:"changed"`
}

// TestRuleEditedLater: a pricing rule edited after February's invoice
// leaves February as it was priced; one edited from April leaves March.
// Hand-computed: EC2 100.00 and the fee 50.00 a month;
//
//	EC2 +10%: 110.00 + 50.00 = 160.00
//	EC2 +20%: 120.00 + 50.00 = 170.00
//	EC2 +30%: 130.00 + 50.00 = 180.00
func TestRuleEditedLater(t *testing.T) {
	db := datedDB(t)
	if got := reportTotal(t, db, "2025-02", "ACME"); got != "160.00" {
		t.Fatalf("February before any edit: %s, want 160.00", got)
	}
	issue(t, db, "2025-02")
	feb, _, _ := cli(t, db, "invoices", "show", "INV-2026-00001", "--json")

	// Edited in March without --from: from the month after February's
	// invoice, as the edit says.
	out, errs, code := cli(t, db, "customers", "edit", "ACME", "--rules", "aws||AmazonEC2|=20")
	if code != 0 || !strings.Contains(out, "Its changed terms (currency, discount or uplift, pricing rules, recurring charges) apply from 2025-03; the months before keep the terms they were priced with.") {
		t.Errorf("edit: exit %d %s\n%s", code, errs, out)
	}
	if out, _, _ := cli(t, db, "customers", "edit", "ACME", "--email", "ap@acme.example"); strings.Contains(out, "changed terms") {
		t.Errorf("an edit of the e-mail address dated terms: %s", out)
	}
	var v any
	steps := []struct {
		name, period, want string
	}{
		{"February keeps its rule", "2025-02", "160.00"},
		{"March has the new one", "2025-03", "170.00"},
	}
	for _, s := range steps {
		if got := reportTotal(t, db, s.period, "ACME"); got != s.want {
			t.Errorf("%s: %s total %s, want %s", s.name, s.period, got, s.want)
		}
	}
	var corr correctionsJSON
	ok(t, db, &corr, "invoices", "corrections", "--period", "2025-02")
	if corr.Checked != 1 || len(corr.Changed) != 0 {
		t.Errorf("February's corrections after the edit: %+v, want 1 checked, none changed", corr)
	}

	// March invoiced at 170.00, then the rule edited from April.
	issue(t, db, "2025-03")
	mar, _, _ := cli(t, db, "invoices", "show", "INV-2026-00002", "--json")
	if !strings.Contains(mar, `"total": "170.00"`) {
		t.Fatalf("March's invoice:\n%s", mar)
	}
	marReport, _, _ := cli(t, db, "report", "--period", "2025-03", "--customer", "ACME")
	ok(t, db, &v, "customers", "edit", "ACME", "--rules", "aws||AmazonEC2|=30", "--from", "2025-04")
	if again, _, _ := cli(t, db, "report", "--period", "2025-03", "--customer", "ACME"); again != marReport {
		t.Errorf("March's statement changed after an edit from April:\n%s\nwas\n%s", again, marReport)
	}
	if got := reportTotal(t, db, "2025-04", "ACME"); got != "180.00" {
		t.Errorf("April: %s, want 180.00", got)
	}
	if tr, _, _ := cli(t, db, "report", "--period", "2025-04", "--customer", "ACME", "--trace", "AmazonEC2"); !strings.Contains(tr, "in force from 2025-04.") {
		t.Errorf("April's trace does not name its terms' month:\n%s", tr)
	}
	ok(t, db, &corr, "invoices", "corrections", "--period", "2025-03")
	if corr.Checked != 1 || len(corr.Changed) != 0 {
		t.Errorf("March's corrections after the edit from April: %+v, want 1 checked, none changed", corr)
	}
	for ref, was := range map[string]string{"INV-2026-00001": feb, "INV-2026-00002": mar} {
		if now, _, _ := cli(t, db, "invoices", "show", ref, "--json"); now != was {
			t.Errorf("%s changed", ref)
		}
	}
	out, _, _ = cli(t, db, "customers", "log", "ACME")
	for _, want := range []string{"(terms from 2025-03)", "(terms from 2025-04)",
		"2025-03      pricing_rules: aws||AmazonEC2|=10 → aws||AmazonEC2|=20",
		"2025-04      pricing_rules: aws||AmazonEC2|=20 → aws||AmazonEC2|=30"} {
		if !strings.Contains(out, want) {
			t.Errorf("customers log lacks %q:\n%s", want, out)
		}
	}
	fails(t, db, 1, `--from "2025-4" is not a month`, "customers", "edit", "ACME", "--adjustment", "-3", "--from", "2025-4")
}

// TestAccountMovedOnThe15th: the account moves from ACME to GLOBEX on
// 2025-03-15. Hand-computed (ACME's 10% EC2 markup applies to its days):
//
//	ACME,   1st to 14th: EC2 (10.00 + 20.00) × 1.10 = 33.00, fee 50.00 (dated the 1st) → 83.00
//	GLOBEX, 15th on:     EC2 30.00 + 40.00                                      → 70.00
//	unmarked, the account's month is 100.00 + 50.00 = 150.00 = 30.00 + 50.00 + 70.00
func TestAccountMovedOnThe15th(t *testing.T) {
	db := datedDB(t)
	var v any
	// Two steps: ACME's mapping ended, then GLOBEX's (TestMapMovesOnThe15th
	// does it in one).
	ok(t, db, &v, "accounts", "unmap", "111111111111", "--from", "2025-03-15")
	ok(t, db, &v, "accounts", "map", "111111111111", "--customer", "GLOBEX", "--from", "2025-03-15")
	cases := []struct {
		id, total, from, until string
	}{
		{"ACME", "83.00", "2025-03-01", "2025-03-14"},
		{"GLOBEX", "70.00", "2025-03-15", "2025-03-31"},
	}
	for _, tc := range cases {
		var st statementTotal
		ok(t, db, &st, "report", "--period", "2025-03", "--customer", tc.id)
		if st.Total != tc.total || len(st.AccountDays) != 1 || st.AccountDays[0].From != tc.from || st.AccountDays[0].Until != tc.until {
			t.Errorf("%s: %+v, want %s for %s to %s", tc.id, st, tc.total, tc.from, tc.until)
		}
	}
	out, _, _ := cli(t, db, "report", "--period", "2025-03")
	for _, want := range []string{"account 111111111111 until 2025-03-14", "account 111111111111 from 2025-03-15"} {
		if !strings.Contains(out, want) {
			t.Errorf("the statements do not say %q:\n%s", want, out)
		}
	}
	tr, _, _ := cli(t, db, "report", "--period", "2025-03", "--customer", "GLOBEX", "--trace", "AmazonEC2")
	if !strings.Contains(tr, "Accounts moved inside the month\n  account 111111111111 from 2025-03-15\n") {
		t.Errorf("GLOBEX's EC2 trace does not show its days:\n%s", tr)
	}
	// February and April have one owner each.
	for _, c := range []struct{ period, id, total string }{{"2025-02", "ACME", "160.00"}, {"2025-04", "GLOBEX", "150.00"}, {"2025-04", "ACME", "0.00"}} {
		if got := reportTotal(t, db, c.period, c.id); got != c.total {
			t.Errorf("%s %s: %s, want %s", c.period, c.id, got, c.total)
		}
	}
	issue(t, db, "2025-03")
	// The invoiced days cannot move, GLOBEX's no more than ACME's.
	fails(t, db, 1, "account 111111111111 in 2025-03 (from 2025-03-20) is on invoice INV-2026-00002 (Open) of GLOBEX", "accounts", "unmap", "111111111111", "--from", "2025-03-20")
	fails(t, db, 1, "account 111111111111 in 2025-03 (from 2025-03-10) is on invoice INV-2026-00001 (Open) of ACME", "accounts", "unmap", "111111111111", "--from", "2025-03-10")
	// April, not invoiced, still can; its days from the 10th are then
	// nobody's, so the account is listed as unassigned.
	ok(t, db, &v, "accounts", "unmap", "111111111111", "--from", "2025-04-10")
	if out, _, _ := cli(t, db, "accounts", "--period", "2025-03"); !strings.Contains(out, "ACME, GLOBEX from 2025-03-15") {
		t.Errorf("accounts of March:\n%s", out)
	}
	if out, _, _ := cli(t, db, "accounts", "unassigned", "--period", "2025-04"); !strings.Contains(out, "111111111111  999999999999") {
		t.Errorf("unassigned accounts of April:\n%s", out)
	}
}

// TestMapMovesOnThe15th: one map command moves the account from ACME to
// GLOBEX on 2025-03-15 (ACME keeps it until the 14th), and March splits
// by usage date as in TestAccountMovedOnThe15th. Hand-computed from
// movedCUR, before any markup:
//
//	ACME,   1st to 14th: EC2 10.00 + 20.00, fee 50.00 (dated the 1st) = 80.00
//	GLOBEX, 15th on:     EC2 30.00 + 40.00                            = 70.00
//	the account's month: 10 + 20 + 30 + 40 + 50 = 150.00 = 80.00 + 70.00
//
// ACME's statement adds its 10% EC2 markup: 30.00 × 1.10 + 50.00 = 83.00.
func TestMapMovesOnThe15th(t *testing.T) {
	db := datedDB(t)
	out, errs, code := cli(t, db, "accounts", "map", "111111111111", "--customer", "GLOBEX", "--from", "2025-03-15")
	if code != 0 || !strings.HasPrefix(out, "Account 111111111111 moves from ACME to GLOBEX on 2025-03-15: ACME keeps it until 2025-03-14.\n"+
		"Account 111111111111 belongs to ACME from 2025-01 until 2025-03-14.\n"+
		"Account 111111111111 belongs to GLOBEX from 2025-03-15 (open-ended).\n") {
		t.Fatalf("map --from 2025-03-15: exit %d\n%s%s", code, out, errs)
	}
	type statement struct {
		statementTotal
		Sections []struct {
			Lines []struct {
				Trace struct {
					Types []struct{ Billed string } `json:"types"`
				} `json:"trace"`
			} `json:"lines"`
		} `json:"sections"`
	}
	cases := []struct {
		id, total, billed, from, until string
	}{
		{"ACME", "83.00", "80.00", "2025-03-01", "2025-03-14"},
		{"GLOBEX", "70.00", "70.00", "2025-03-15", "2025-03-31"},
	}
	month := decimal.Zero
	for _, tc := range cases {
		var st statement
		ok(t, db, &st, "report", "--period", "2025-03", "--customer", tc.id)
		billed := decimal.Zero
		for _, sec := range st.Sections {
			for _, l := range sec.Lines {
				for _, ty := range l.Trace.Types {
					billed = billed.Add(decimal.RequireFromString(ty.Billed))
				}
			}
		}
		month = month.Add(billed)
		if st.Total != tc.total || billed.StringFixed(2) != tc.billed || len(st.AccountDays) != 1 || st.AccountDays[0].From != tc.from || st.AccountDays[0].Until != tc.until {
			t.Errorf("%s: total %s, billed %s, days %+v; want %s, %s for %s to %s", tc.id, st.Total, billed.StringFixed(2), st.AccountDays, tc.total, tc.billed, tc.from, tc.until)
		}
	}
	if month.StringFixed(2) != "150.00" {
		t.Errorf("the two statements bill %s of the account's month, want all of its 150.00", month.StringFixed(2))
	}
	// The JSON says what moved; a month move works the same way.
	var m struct{ Moved string }
	ok(t, db, &m, "accounts", "map", "111111111111", "--customer", "ACME", "--from", "2025-04")
	if m.Moved != "Account 111111111111 moves from GLOBEX to ACME in 2025-04: GLOBEX keeps it until 2025-03." {
		t.Errorf("moved = %q", m.Moved)
	}
	if got := reportTotal(t, db, "2025-04", "ACME"); got != "160.00" {
		t.Errorf("April for ACME: %s, want 160.00 (EC2 100.00 × 1.10 + fee 50.00)", got)
	}
	// A mapping starting on or after the owner's first day would replace
	// it: refused, saying how to replace it.
	fails(t, db, 1, "account 111111111111 already belongs to ACME from 2025-04 (open-ended), which does not start before 2025-04-01, so mapping it would replace that mapping rather than move the account: to replace it, first unmap the account from 2025-04",
		"accounts", "map", "111111111111", "--customer", "GLOBEX", "--from", "2025-04-01")
	// Days on an issued invoice do not move: GLOBEX's invoice bills the
	// 15th to the 31st of March.
	issue(t, db, "2025-03")
	fails(t, db, 1, "account 111111111111 in 2025-03 (from 2025-03-20) is on invoice INV-2026-00002 (Open) of GLOBEX",
		"accounts", "map", "111111111111", "--customer", "ACME", "--from", "2025-03-20", "--until", "2025-03-31")
}

// TestMoveInTheMappingsCSV: the mappings CSV takes days, and a day shared
// by two owners is refused with its line.
func TestMoveInTheMappingsCSV(t *testing.T) {
	db := datedDB(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.csv")
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(good, []byte("account,customer,from,until\n111111111111,ACME,2025-01,2025-03-14\n111111111111,GLOBEX,2025-03-15,\n"), 0o644)
	os.WriteFile(bad, []byte("account,customer,from,until\n111111111111,ACME,2025-01,2025-03-15\n111111111111,GLOBEX,2025-03-15,\n"), 0o644)
	fails(t, db, 1, "line 3, column from: account 111111111111 is also mapped to ACME from 2025-01 until 2025-03-15 on line 2", "accounts", "import", bad)
	var v any
	ok(t, db, &v, "accounts", "import", good)
	for id, want := range map[string]string{"ACME": "83.00", "GLOBEX": "70.00"} {
		if got := reportTotal(t, db, "2025-03", id); got != want {
			t.Errorf("%s: %s, want %s", id, got, want)
		}
	}
}

// TestFromDatesTheSupportPlan: --from with --support dates the plan as
// --support-from does; the two disagreeing is refused.
func TestFromDatesTheSupportPlan(t *testing.T) {
	db := datedDB(t)
	var c struct {
		Support string `json:"support_plan"`
		Changes []struct {
			From string `json:"from"`
			Plan string `json:"plan"`
		} `json:"support_changes"`
	}
	ok(t, db, &c, "customers", "edit", "ACME", "--support", "business", "--from", "2025-04")
	if c.Support != "none" || len(c.Changes) != 1 || c.Changes[0].From != "2025-04" || c.Changes[0].Plan != "business" {
		t.Errorf("after --support business --from 2025-04: %+v", c)
	}
	fails(t, db, 1, "--support-from 2025-05 and --from 2025-04 disagree", "customers", "edit", "ACME", "--support", "developer", "--support-from", "2025-05", "--from", "2025-04")
}

// TestProductTypeFromAMonth: a product code moved to another section after
// February's invoice moves from March on; February keeps its sections, and
// so do its invoice and corrections. Deleting the override later puts the
// code back from the month after the latest invoice only.
func TestProductTypeFromAMonth(t *testing.T) {
	db := datedDB(t)
	issue(t, db, "2025-02")
	febReport, _, _ := cli(t, db, "report", "--period", "2025-02", "--customer", "ACME")
	var v any
	ok(t, db, &v, "producttypes", "set", "AmazonS3", "Compute")
	type section struct {
		Type  string `json:"product_type"`
		Lines []struct {
			Service string `json:"service"`
		} `json:"lines"`
	}
	sectionOf := func(period string) string {
		var st struct {
			Sections []section `json:"sections"`
		}
		ok(t, db, &st, "report", "--period", period, "--customer", "ACME")
		for _, s := range st.Sections {
			for _, l := range s.Lines {
				if l.Service == "AmazonS3" {
					return s.Type
				}
			}
		}
		return ""
	}
	if got := sectionOf("2025-02"); got != "Storage" {
		t.Errorf("February's S3 in %q, want Storage", got)
	}
	if got := sectionOf("2025-03"); got != "Compute" {
		t.Errorf("March's S3 in %q, want Compute", got)
	}
	if again, _, _ := cli(t, db, "report", "--period", "2025-02", "--customer", "ACME"); again != febReport {
		t.Errorf("February's statement changed:\n%s\nwas\n%s", again, febReport)
	}
	var corr correctionsJSON
	ok(t, db, &corr, "invoices", "corrections", "--period", "2025-02")
	if corr.Checked != 1 || len(corr.Changed) != 0 {
		t.Errorf("February's corrections: %+v", corr)
	}
	issue(t, db, "2025-03")
	ok(t, db, &v, "producttypes", "delete", "AmazonS3")
	for period, want := range map[string]string{"2025-02": "Storage", "2025-03": "Compute", "2025-04": "Storage"} {
		if got := sectionOf(period); got != want {
			t.Errorf("after the delete, %s's S3 in %q, want %s", period, got, want)
		}
	}
	out, _, _ := cli(t, db, "producttypes", "list")
	if !strings.Contains(out, "before: Storage; 2025-03: Compute; 2025-04: Storage") {
		t.Errorf("producttypes list:\n%s", out)
	}
}

// TestImportFrom: customers import --from dates the file's changed terms;
// a malformed month is refused before anything is read.
func TestImportFrom(t *testing.T) {
	db := datedDB(t)
	p := filepath.Join(t.TempDir(), "customers.csv")
	os.WriteFile(p, []byte("id,name,adjustment_percent\nACME,Acme Corp,-5\n"), 0o644)
	fails(t, db, 1, `--from "April" is not a month`, "customers", "import", p, "--from", "April")
	var v any
	ok(t, db, &v, "customers", "import", p, "--from", "2025-04")
	// EC2 100.00 × 1.10 + fee 50.00 = 160.00 in March; April takes 5% off:
	// 160.00 − 8.00 = 152.00.
	for period, want := range map[string]string{"2025-03": "160.00", "2025-04": "152.00"} {
		if got := reportTotal(t, db, period, "ACME"); got != want {
			t.Errorf("%s: %s, want %s", period, got, want)
		}
	}
}

// TestCurrencyFromAMonth: a customer invoiced in USD in February and in
// EUR from March on: February's statement stays in USD at 160.00 and its
// invoice needs no correction.
func TestCurrencyFromAMonth(t *testing.T) {
	db := datedDB(t)
	issue(t, db, "2025-02")
	var v any
	ok(t, db, &v, "customers", "edit", "ACME", "--currency", "EUR", "--from", "2025-03")
	var st struct {
		Currency string `json:"currency"`
		Total    string `json:"total"`
	}
	ok(t, db, &st, "report", "--period", "2025-02", "--customer", "ACME")
	if st.Currency != "USD" || st.Total != "160.00" {
		t.Errorf("February: %+v, want USD 160.00", st)
	}
	var corr correctionsJSON
	ok(t, db, &corr, "invoices", "corrections", "--period", "2025-02")
	if corr.Checked != 1 || len(corr.Changed) != 0 {
		t.Errorf("February's corrections: %+v", corr)
	}
	fails(t, db, 1, "EUR", "report", "--period", "2025-03", "--customer", "ACME") // no USD→EUR rate for March yet
}
