//go:build unix

package store

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/read/aggregate"
	"rebill/engine/read/cur"
	"rebill/engine/sample"
)

// aggregateInputs are the CUR columns the SQL under docs/sql reads, by
// canonical (Athena) name.
var aggregateInputs = []string{
	"bill_billing_period_start_date", "bill_payer_account_id", "line_item_usage_account_id",
	"line_item_line_item_type", "bill_billing_entity", "line_item_legal_entity", "line_item_product_code",
	"product_product_name", "line_item_usage_type", "line_item_operation", "line_item_usage_start_date",
	"reservation_reservation_a_r_n", "savings_plan_savings_plan_a_r_n", "line_item_currency_code",
	"bill_invoice_id", "line_item_usage_amount", "line_item_unblended_cost", "line_item_blended_cost",
	"pricing_public_on_demand_cost", "reservation_effective_cost", "savings_plan_savings_plan_effective_cost",
}

// curView is the DuckDB statement that makes a legacy CUR CSV look like
// the table AWS's Athena integration makes of it: snake_case names (those
// the file lacks as NULL). Every value is text, or with typed the amounts
// are DuckDB's own reading (DOUBLE), as a benchmark gives it.
func curView(t testing.TB, name, csvPath string, typed bool) string {
	t.Helper()
	f, err := os.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	header := strings.Split(strings.TrimSpace(line), ",")
	have := map[string]string{}
	for _, h := range header {
		have[cur.Canonical(h)] = h
	}
	cols := make([]string, len(aggregateInputs))
	for i, c := range aggregateInputs {
		if h, ok := have[c]; ok {
			cols[i] = fmt.Sprintf("%q AS %s", h, c)
		} else {
			cols[i] = "NULL::VARCHAR AS " + c
		}
	}
	opts := "all_varchar = true"
	if typed {
		var text []string
		for _, h := range header {
			if c := cur.Canonical(h); strings.HasSuffix(c, "_id") || strings.HasSuffix(c, "_date") || strings.HasSuffix(c, "_a_r_n") {
				text = append(text, fmt.Sprintf("'%s': 'VARCHAR'", h))
			}
		}
		opts = "types = {" + strings.Join(text, ", ") + "}"
	}
	return fmt.Sprintf("CREATE VIEW %s AS SELECT %s FROM read_csv('%s', header = true, %s)",
		name, strings.Join(cols, ", "), csvPath, opts)
}

// sqlFile is one of the repository's SQL files.
func sqlFile(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "docs", "sql", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAggregateSQLDialects keeps the two dialects of the CUR 2.0 query one
// query: they differ in reading the product map alone.
func TestAggregateSQLDialects(t *testing.T) {
	athena := sqlFile(t, "athena/cur2_aggregate.sql")
	duck := sqlFile(t, "duckdb/cur2_aggregate.sql")
	body := func(s string) string { return s[strings.Index(s, "SELECT"):] }
	if got := strings.ReplaceAll(body(athena), "element_at(product, 'product_name')", "product['product_name']"); got != body(duck) {
		t.Errorf("docs/sql/duckdb/cur2_aggregate.sql is not docs/sql/athena/cur2_aggregate.sql with DuckDB's map access:\n%s\n---\n%s", got, body(duck))
	}
	for _, q := range []string{athena, duck, sqlFile(t, "athena/cur_legacy_aggregate.sql")} {
		for _, col := range aggregate.Header {
			if !strings.Contains(q, "AS "+col+",") && !strings.Contains(q, "AS "+col+"\n") {
				t.Errorf("a query does not write the column %s", col)
			}
		}
	}
}

// TestAggregateSQLMatchesRows is issue 15's point 4: the SQL that turns a
// CUR table into the aggregate format, run by DuckDB on the WA-labs
// Parquet months and on a generated month (as a legacy table and as a CUR
// 2.0 table), gives a file whose statements equal, to the cent, those of
// the row-level import, for every customer, with an account moving
// between customers mid-month.
func TestAggregateSQLMatchesRows(t *testing.T) {
	duck := duckDB(t)
	generated := sampleFile(t, sample.Options{Rows: 30_000, Seed: 5, Month: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), Final: true})
	legacy := sqlFile(t, "athena/cur_legacy_aggregate.sql")
	cur2 := sqlFile(t, "duckdb/cur2_aggregate.sql")
	sampleSetup := func(t *testing.T, db *DB) {
		if err := db.ApplySetup(sample.CustomerSetup("2026-09"), t0); err != nil {
			t.Fatal(err)
		}
		// Fabrikam's account goes to Contoso from the 16th: the day of
		// each group decides whose it is.
		moveMidMonth(t, db, "447120958316", sample.CustomerFabrikam, sample.CustomerContoso, "2026-09")
	}
	wa := func(file string) (string, []string) {
		p := filepath.Join("..", "..", "shared", "data", "real", "aws-wa-labs", file)
		return p, []string{fmt.Sprintf("CREATE VIEW cur AS SELECT *, NULL::VARCHAR AS savings_plan_savings_plan_a_r_n, "+
			"NULL::DOUBLE AS savings_plan_savings_plan_effective_cost FROM read_parquet('%s')", p)}
	}
	waSetup := func(month string) func(t *testing.T, db *DB) {
		return func(t *testing.T, db *DB) {
			mustAdd(t, db, named("ACME", "Acme", ""), named("GLOBEX", "Globex", ""))
			// The payer owns the reservations its linked account uses:
			// mapped to another customer, that usage is re-rated.
			for _, m := range []customer.Mapping{
				{Account: "011254002932", Customer: "ACME", From: month},
				{Account: "836060457634", Customer: "GLOBEX", From: month},
			} {
				if err := db.Map(m, t0); err != nil {
					t.Fatal(err)
				}
			}
			moveMidMonth(t, db, "836060457634", "GLOBEX", "ACME", month)
		}
	}
	octPath, octView := wa("Oct2018-WorkshopCUR-00001.snappy.parquet")
	novPath, novView := wa("Nov2018-WorkshopCUR-00001.snappy.parquet")
	cases := []struct {
		name   string
		rows   string   // the file the row-level import reads
		view   []string // DuckDB statements making the table `cur`
		query  string
		period string
		setup  func(t *testing.T, db *DB)
	}{
		{"generated month, legacy CUR table", generated, []string{curView(t, "cur", generated, false)}, legacy, "2026-09", sampleSetup},
		{"generated month, CUR 2.0 table", generated, []string{curView(t, "legacy", generated, false),
			"CREATE VIEW cur AS SELECT * EXCLUDE (product_product_name), MAP {'product_name': product_product_name} AS product FROM legacy"},
			cur2, "2026-09", sampleSetup},
		{"WA-labs October 2018", octPath, octView, legacy, "2018-10", waSetup("2018-10")},
		{"WA-labs November 2018", novPath, novView, legacy, "2018-11", waSetup("2018-11")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := os.Stat(tc.rows); err != nil {
				t.Skipf("%s is absent (the public billing files are in ../shared/data/real)", tc.rows)
			}
			aggPath := filepath.Join(t.TempDir(), "aggregate.csv")
			duck(append(tc.view, fmt.Sprintf("COPY (%s) TO '%s' (HEADER)", tc.query, aggPath))...)
			want := statementsOf(t, tc.rows, tc.period, tc.setup)
			got := statementsOf(t, aggPath, tc.period, tc.setup)
			if len(want) < 2 {
				t.Fatalf("%d statements: the fixture should bill several customers", len(want))
			}
			for id, w := range want {
				if got[id] != w {
					t.Errorf("customer %s: from the aggregate\n%s\nfrom the rows\n%s", id, got[id], w)
				}
			}
			if len(got) != len(want) {
				t.Errorf("%d statements from the aggregate, %d from the rows", len(got), len(want))
			}
		})
	}
}

// moveMidMonth moves an account from one customer to another on the
// 16th of month.
func moveMidMonth(t *testing.T, db *DB, account, from, to, month string) {
	t.Helper()
	if _, err := db.Unmap(account, "", t0); err != nil {
		t.Fatal(err)
	}
	for _, m := range []customer.Mapping{
		{Account: account, Customer: from, From: month, Until: month + "-15"},
		{Account: account, Customer: to, From: month + "-16"},
	} {
		if err := db.Map(m, t0); err != nil {
			t.Fatal(err)
		}
	}
}

// statementsOf imports path into a new database set up by setup, checks
// that the month's import-time sums give the statements its rows give,
// and renders every customer's statement of period, by customer id, under
// each of identityOptions (every cost basis, credits, tax, marketplace,
// rounding, provider discounts).
func statementsOf(t *testing.T, path, period string, setup func(t *testing.T, db *DB)) map[string]string {
	t.Helper()
	db := openTest(t)
	if _, err := importPath(t, db, path); err != nil {
		t.Fatal(err)
	}
	setup(t, db)
	// The sums stored at import must give what the imported rows give,
	// an aggregate file's as a CUR's.
	sameFromGroupsAndRows(t, db, period)
	bm, err := db.BillingMonth(period)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, c := range bm.Customers() {
		for i, opt := range identityOptions {
			s, err := bm.Statement(c.ID, opt)
			if err != nil {
				t.Fatalf("%s: %v", c.ID, err)
			}
			out[c.ID] += fmt.Sprintf("options %d\n%s", i, statementText(s))
		}
	}
	return out
}

// statementText is a statement's printed figures: what its customer sees,
// each rounded as printed.
func statementText(s *billing.Statement) string {
	var b strings.Builder
	for _, sec := range s.Sections {
		fmt.Fprintf(&b, "%v\n", sec.ProductType)
		for _, l := range sec.Lines {
			fmt.Fprintf(&b, "  %s %s %s\n", l.Service, l.Name, l.Amount)
		}
		fmt.Fprintf(&b, "  subtotal %s\n", sec.Subtotal)
	}
	fmt.Fprintf(&b, "subtotal %s discount %s support %s marketplace %s credits %s tax %s total %s\n",
		s.Subtotal, s.Discount, s.Support, s.Marketplace, s.CreditsApplied, s.Tax, s.Total)
	return b.String()
}
