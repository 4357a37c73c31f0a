package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// approvedACME generates and approves ACME's September 2026 in the sample
// database: invoice NCP-2026-00001, which bills ACME's one account,
// 012345678901.
func approvedACME(t *testing.T) string {
	t.Helper()
	db := invoicesDB(t)
	var gen, app any
	ok(t, db, &gen, "invoices", "generate", "--period", "2026-09", "--customers", "ACME")
	ok(t, db, &app, "invoices", "approve", "--all", "--period", "2026-09")
	var inv struct {
		Number   string   `json:"number"`
		Accounts []string `json:"accounts"`
	}
	ok(t, db, &inv, "invoices", "show", "NCP-2026-00001")
	if len(inv.Accounts) != 1 || inv.Accounts[0] != "012345678901" {
		t.Fatalf("ACME's invoice lists %v", inv.Accounts)
	}
	return db
}

// setMappingDirectly writes an account's mappings as an older Rebill could
// leave them (a month moved after it was invoiced), bypassing every check:
// the key is account + 0x00 + first month, as store/mappings.go keeps it.
func setMappingDirectly(t *testing.T, db, account, from string, mapping any) {
	t.Helper()
	b, err := bolt.Open(db, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	err = b.Update(func(tx *bolt.Tx) error {
		k := []byte(account + "\x00" + from)
		if mapping == nil {
			return tx.Bucket([]byte("mappings")).Delete(k)
		}
		v, err := json.Marshal(mapping)
		if err != nil {
			return err
		}
		return tx.Bucket([]byte("mappings")).Put(k, v)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func mappingsJSON(t *testing.T, db string) string {
	t.Helper()
	var ms []map[string]string
	ok(t, db, &ms, "accounts", "mappings")
	b, _ := json.Marshal(ms)
	return string(b)
}

// TestInvoicedAccountMonthCannotMove: every mapping command refuses to
// move a month NCP-2026-00001 bills, naming it and what to do; months it
// does not bill move.
func TestInvoicedAccountMonthCannotMove(t *testing.T) {
	db := approvedACME(t)
	before := mappingsJSON(t, db)
	moved := filepath.Join(t.TempDir(), "moved.csv")
	os.WriteFile(moved, []byte("account,customer,from,until\n012345678901,GLOBEX,2026-09,\n"), 0o644)
	const on = "account 012345678901 in 2026-09 is on invoice NCP-2026-00001 (Open) of ACME, so it cannot "
	const advice = " for that month: void that invoice or credit it in full first, then generate ACME's 2026-09 again; or leave 2026-09 with ACME"
	fails(t, db, 1, on+"be left to no customer"+advice, "accounts", "unmap", "012345678901")
	fails(t, db, 1, on+"be left to no customer"+advice, "accounts", "unmap", "012345678901", "--from", "2026-09")
	fails(t, db, 1, on+"move to GLOBEX"+advice, "accounts", "import", moved)
	if after := mappingsJSON(t, db); after != before {
		t.Fatalf("a refused command changed the mappings:\n%s\nbefore %s", after, before)
	}

	// October is not invoiced: it moves.
	var am struct {
		Mappings []map[string]string `json:"mappings"`
	}
	ok(t, db, &am, "accounts", "unmap", "012345678901", "--from", "2026-10")
	ok(t, db, &am, "accounts", "map", "012345678901", "--customer", "GLOBEX", "--from", "2026-10")
	if len(am.Mappings) != 2 || am.Mappings[0]["customer"] != "ACME" || am.Mappings[0]["until"] != "2026-09" || am.Mappings[1]["customer"] != "GLOBEX" {
		t.Errorf("mappings after moving October on: %v", am.Mappings)
	}

	// A September an older Rebill left to nobody is mapped back only to ACME.
	setMappingDirectly(t, db, "012345678901", "2026-09", nil)
	fails(t, db, 1, on+"move to INITECH"+advice, "accounts", "map", "012345678901", "--customer", "INITECH", "--from", "2026-09", "--until", "2026-09")
	ok(t, db, &am, "accounts", "map", "012345678901", "--customer", "ACME", "--from", "2026-09", "--until", "2026-09")

	// Voided, the invoice no longer holds September.
	var inv any
	ok(t, db, &inv, "invoices", "void", "NCP-2026-00001", "--reason", "the account was GLOBEX's")
	ok(t, db, &am, "accounts", "unmap", "012345678901", "--from", "2026-09")
}

// TestGenerateRefusesAMonthInvoicedToAnother: a September moved to GLOBEX
// by an older Rebill after ACME was invoiced fails GLOBEX's generation,
// naming the account and the invoice.
func TestGenerateRefusesAMonthInvoicedToAnother(t *testing.T) {
	db := approvedACME(t)
	setMappingDirectly(t, db, "012345678901", "2026-09", map[string]string{"account": "012345678901", "customer": "GLOBEX", "from": "2026-09", "until": ""})
	out, errs, code := cli(t, db, "invoices", "generate", "--period", "2026-09", "--customers", "GLOBEX")
	want := "account 012345678901 in 2026-09 is already billed on invoice NCP-2026-00001 (Open) of ACME, so GLOBEX cannot be billed for it too: " +
		"if ACME owned it that month, map it back to ACME for 2026-09; otherwise void it or credit it in full, then generate GLOBEX again"
	if code != 1 || !strings.Contains(out, want) || !strings.Contains(errs, "1 customer could not be invoiced") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
	var list []any
	ok(t, db, &list, "invoices", "list", "--customer", "GLOBEX")
	if len(list) != 0 {
		t.Errorf("GLOBEX has documents: %v", list)
	}
}

// TestInvoicesNextNumber: the invoice counter is shown, moved forward only
// with a reason, recorded in the audit log, and the next invoice takes it.
func TestInvoicesNextNumber(t *testing.T) {
	db := invoicesDB(t)
	var n struct {
		Series      string `json:"series"`
		Format      string `json:"format"`
		Next        int    `json:"next"`
		NextInvoice string `json:"next_invoice"`
		Moved       bool   `json:"moved"`
		Reason      string `json:"reason"`
	}
	ok(t, db, &n, "invoices", "next-number")
	if n.Series != "invoice" || n.Format != "NCP-{YYYY}-{SEQ:5}" || n.Next != 1 || n.NextInvoice != "NCP-2026-00001" || n.Moved {
		t.Errorf("next-number %+v", n)
	}
	fails(t, db, 1, "the next invoice number is 1 already: it only moves forward, to a number above 1", "invoices", "next-number", "1", "--reason", "again")
	fails(t, db, 1, "--reason is required", "invoices", "next-number", "5")
	fails(t, db, 1, `"five" is not a whole number`, "invoices", "next-number", "five", "--reason", "x")
	fails(t, db, 1, "--reason goes with N", "invoices", "next-number", "--reason", "x")
	out, errs, code := cli(t, db, "invoices", "next-number", "5", "--reason", "continuing the series of our previous billing program")
	if code != 0 || out != "The next invoice now takes number 5 (NCP-2026-00005 if approved today); numbers 1 to 4 are left unused, and the reason is in the audit log.\n" {
		t.Fatalf("exit %d: %q %s", code, out, errs)
	}
	fails(t, db, 1, "the next invoice number is 5 already", "invoices", "next-number", "4", "--reason", "back")

	approved := approvedIn(t, db)
	if approved != "NCP-2026-00005" {
		t.Errorf("the next invoice took %s", approved)
	}
	out, _, _ = cli(t, db, "invoices", "next-number")
	if out != "The next invoice takes number 6 (NCP-2026-00006 if approved today). Move it forward with rebill invoices next-number N --reason R.\n" {
		t.Errorf("after approving: %q", out)
	}
	var log []struct {
		Action  string          `json:"action"`
		Invoice string          `json:"invoice"`
		After   json.RawMessage `json:"after"`
	}
	ok(t, db, &log, "audit", "list")
	moves := 0
	for _, e := range log {
		if e.Action == "move_series" {
			moves++
			var after bytes.Buffer
			json.Compact(&after, e.After)
			if e.Invoice != "series:invoice" || after.String() != `{"series":"invoice","format":"NCP-{YYYY}-{SEQ:5}","next":5,"reason":"continuing the series of our previous billing program"}` {
				t.Errorf("entry %s %s", e.Invoice, e.After)
			}
		}
	}
	if moves != 1 {
		t.Errorf("%d move entries in %v", moves, log)
	}
	var v struct {
		Intact bool `json:"intact"`
	}
	ok(t, db, &v, "audit", "verify")
	if !v.Intact {
		t.Error("the audit log is not intact")
	}
}

// approvedIn generates and approves ACME's September, returning its number.
func approvedIn(t *testing.T, db string) string {
	t.Helper()
	var gen any
	ok(t, db, &gen, "invoices", "generate", "--period", "2026-09", "--customers", "ACME")
	var as []struct {
		Invoice struct {
			Number string `json:"number"`
		} `json:"invoice"`
	}
	ok(t, db, &as, "invoices", "approve", "--all", "--period", "2026-09")
	if len(as) != 1 {
		t.Fatalf("approved %v", as)
	}
	return as[0].Invoice.Number
}

// TestNegativeDraftAndCustomerDelete: a customer whose only charge is a
// recurring credit of 12.34 gets a draft totalling -12.34, which approval
// refuses with advice; the customer is kept while it has the draft and is
// deleted once the draft is.
func TestNegativeDraftAndCustomerDelete(t *testing.T) {
	db := invoicesDB(t)
	var c any
	ok(t, db, &c, "customers", "add", "--id", "GOODWILL", "--name", "Goodwill Ltd", "--recurring", "Goodwill credit|2026-09|2026-09=-12.34")
	var gen struct {
		Results []struct {
			Invoice struct {
				ID    string `json:"id"`
				Total string `json:"total"`
			} `json:"invoice"`
		} `json:"results"`
	}
	ok(t, db, &gen, "invoices", "generate", "--period", "2026-09", "--customers", "GOODWILL")
	d := gen.Results[0].Invoice
	if d.Total != "-12.34" {
		t.Fatalf("draft total %s", d.Total)
	}
	fails(t, db, 1, "draft invoice of GOODWILL for 2026-09 cannot be issued: its total is USD -12.34, and a negative invoice is a credit; issue a credit note against the invoice it corrects instead, and delete this draft",
		"invoices", "approve", d.ID)
	fails(t, db, 1, "customer GOODWILL has 1 draft invoice: delete them first (rebill invoices delete ID), then delete the customer", "customers", "delete", "GOODWILL")
	fails(t, db, 1, "customer ACME still has account mappings", "customers", "delete", "ACME")
	var inv, del any
	ok(t, db, &inv, "invoices", "delete", d.ID)
	out, errs, code := cli(t, db, "customers", "delete", "GOODWILL")
	if code != 0 || out != "Customer GOODWILL deleted; its history stays in the change log (rebill customers log GOODWILL).\n" {
		t.Fatalf("exit %d: %q %s", code, out, errs)
	}
	fails(t, db, 1, `there is no customer "GOODWILL"`, "customers", "delete", "GOODWILL", "--json")
	ok(t, db, &c, "customers", "add", "--id", "IDLE", "--name", "Idle Ltd")
	ok(t, db, &del, "customers", "delete", "IDLE")
	if m := del.(map[string]any); m["id"] != "IDLE" || m["deleted"] != true {
		t.Errorf("delete --json %v", del)
	}
}

// TestAmountsGroupThousands: the invoice list and the invoice's table
// write a total of 1234.50 as 1,234.50, as every other figure of the
// command line is written, not 1234.50 beside a 1,234.50 elsewhere.
func TestAmountsGroupThousands(t *testing.T) {
	db := invoicesDB(t)
	var c, gen any
	ok(t, db, &c, "customers", "add", "--id", "BIGFEE", "--name", "Big Fee Ltd", "--recurring", "Managed service|2026-09|2026-09=1234.50")
	ok(t, db, &gen, "invoices", "generate", "--period", "2026-09", "--customers", "BIGFEE")
	list, errs, code := cli(t, db, "invoices", "list", "--period", "2026-09")
	if code != 0 || !strings.Contains(list, "USD 1,234.50") {
		t.Fatalf("invoices list: exit %d %s\n%s", code, errs, list)
	}
	var drafts []struct {
		ID string `json:"id"`
	}
	ok(t, db, &drafts, "invoices", "list", "--period", "2026-09", "--customer", "BIGFEE", "--json")
	if len(drafts) != 1 {
		t.Fatalf("BIGFEE's drafts: %v", drafts)
	}
	show, _, _ := cli(t, db, "invoices", "show", drafts[0].ID)
	for _, want := range []string{"Subtotal", "Total USD"} {
		if !strings.Contains(show, want) || !regexp.MustCompile(want+` +1,234\.50\n`).MatchString(show) {
			t.Errorf("invoices show has no %q of 1,234.50:\n%s", want, show)
		}
	}
	if approved, _, _ := cli(t, db, "invoices", "approve", drafts[0].ID); !strings.Contains(approved, "BIGFEE 2026-09, USD 1,234.50, due") {
		t.Errorf("approval: %s", approved)
	}
}

// TestImportFiguresGroupThousands: what an import reports, and the lists
// of what was imported, write a file's exact totals and row counts with
// thousands separators, as the statements and invoices do.
func TestImportFiguresGroupThousands(t *testing.T) {
	db := tempDB(t)
	// 011254002932: 1,200 hours of 1.25 = 1,500.00, and 1E-10.
	var b strings.Builder
	b.WriteString("bill/PayerAccountId,bill/BillingPeriodStartDate,bill/InvoiceId,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/ProductCode,lineItem/CurrencyCode,lineItem/UnblendedCost\n")
	start := time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC)
	for h := range 1200 {
		fmt.Fprintf(&b, "836060457634,2024-09-01T00:00:00Z,,011254002932,Usage,%s,AmazonEC2,USD,1.25\n", start.Add(time.Duration(h%720)*time.Hour).Format(time.RFC3339))
	}
	b.WriteString("836060457634,2024-09-01T00:00:00Z,,011254002932,Usage,2024-09-01T00:00:00Z,AmazonS3,USD,1E-10\n")
	file := filepath.Join(t.TempDir(), "cur.csv")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	const total = "USD 1,500.0000000001"
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"import", file}, []string{"1,201 rows  " + total, "account 011254002932  1,201 rows  1,500.0000000001"}},
		{[]string{"periods"}, []string{"1,201", total}},
		{[]string{"deliveries", "list", "--period", "2024-09"}, []string{"1,201", total}},
		{[]string{"accounts", "--period", "2024-09"}, []string{"1,201", total}},
		{[]string{"accounts", "unassigned", "--period", "2024-09"}, []string{"1,201", total}},
	} {
		out, errs, code := cli(t, db, c.args...)
		if code != 0 {
			t.Fatalf("rebill %s: exit %d %s", strings.Join(c.args, " "), code, errs)
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("rebill %s has no %q:\n%s", strings.Join(c.args, " "), w, out)
			}
		}
	}
}
