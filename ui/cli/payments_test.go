package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// The payments commands on the sample's September, issued on testNow
// (2026-10-05; 30 days' terms, so due 2026-11-04 for the 30-day
// customers). Every figure checked is relative to an invoice's own total
// or added up by hand from the listed ones.
func TestPaymentsCommands(t *testing.T) {
	db := invoicesDB(t)
	var gen struct {
		Results []struct {
			CustomerID string      `json:"customer_id"`
			Invoice    invoiceJSON `json:"invoice"`
		} `json:"results"`
	}
	ok(t, db, &gen, "invoices", "generate", "--period", "2026-09", "--all", "--credits", "--tax", "--marketplace")
	var approved any
	ok(t, db, &approved, "invoices", "approve", "--all", "--period", "2026-09")
	var invs []invoiceJSON
	ok(t, db, &invs, "invoices", "list", "--period", "2026-09")
	byCustomer := map[string]invoiceJSON{}
	for _, inv := range invs {
		byCustomer[inv.CustomerID] = inv
	}
	acme, globex := byCustomer["ACME"], byCustomer["GLOBEX"]
	if acme.Number == nil || globex.Number == nil {
		t.Fatalf("ACME and GLOBEX not issued: %+v", invs)
	}
	acmeNo, globexNo := *acme.Number, *globex.Number
	// The payments arrive over the month after: they are entered on its
	// last day (a payment dated after the day it is entered is refused).
	at(t, time.Date(2026, 10, 31, 17, 0, 0, 0, time.UTC))
	fails(t, db, 1, "cannot have been received on 2026-11-01, after today (2026-10-31)", "payments", "add", acmeNo, "--date", "2026-11-01", "--amount", "100")

	// Partial, then more than is open: refused, then kept as credit.
	var res struct {
		Payment struct {
			ID     uint64 `json:"id"`
			Excess string `json:"excess"`
		} `json:"payment"`
		Open   string `json:"open_amount"`
		Status string `json:"invoice_status"`
		Grant  *struct {
			ID uint64 `json:"id"`
		} `json:"credit_grant"`
	}
	ok(t, db, &res, "payments", "add", acmeNo, "--date", "2026-10-10", "--amount", "100", "--reference", "WIRE-1")
	if res.Status != "open" || res.Open != sub(t, acme.Total, "100") {
		t.Errorf("after 100: %+v, want open %s", res, sub(t, acme.Total, "100"))
	}
	// The list says what is still open on each Open invoice: ACME's
	// total less the 100 paid, GLOBEX's whole total.
	var listed []struct {
		ID      string  `json:"id"`
		Balance *string `json:"balance"`
		Total   string  `json:"total"`
	}
	ok(t, db, &listed, "invoices", "list", "--period", "2026-09", "--json")
	for _, inv := range listed {
		want := inv.Total
		if inv.ID == acme.ID {
			want = sub(t, acme.Total, "100")
		}
		if inv.Balance == nil || *inv.Balance != want {
			t.Errorf("invoice %s lists balance %v, want %s", inv.ID, inv.Balance, want)
		}
	}
	table, _, _ := cli(t, db, "invoices", "list", "--period", "2026-09")
	if !strings.Contains(table, " BALANCE ") || !strings.Contains(table, " "+figure(t, sub(t, acme.Total, "100"))+" ") {
		t.Errorf("the list does not show ACME's %s open:\n%s", sub(t, acme.Total, "100"), table)
	}
	fails(t, db, 1, "keep the excess of 50.00 as the customer's credit (--keep-excess-as-credit)",
		"payments", "add", acmeNo, "--date", "2026-10-11", "--amount", sub(t, acme.Total, "50"))
	ok(t, db, &res, "payments", "add", acmeNo, "--date", "2026-10-11", "--amount", sub(t, acme.Total, "50"), "--keep-excess-as-credit")
	if res.Status != "closed" || res.Open != "0.00" || res.Payment.Excess != "50" || res.Grant == nil {
		t.Errorf("overpaid: %+v", res)
	}
	fails(t, db, 1, "--date YYYY-MM-DD and --amount X are required", "payments", "add", acmeNo)
	fails(t, db, 1, "payment amount -5 is not positive", "payments", "add", acmeNo, "--date", "2026-10-11", "--amount", "-5")

	// A full credit note closes GLOBEX's invoice: never Past Due.
	var note any
	ok(t, db, &note, "invoices", "credit-note", globexNo, "--reason", "billed twice")
	at(t, time.Date(2027, 1, 15, 9, 0, 0, 0, time.UTC))
	var shown invoiceJSON
	ok(t, db, &shown, "invoices", "show", globexNo)
	if shown.Status != "closed" {
		t.Errorf("GLOBEX's invoice credited in full is %s in January, want closed", shown.Status)
	}

	// Lists and the deletion, confirmed by its audit entry.
	var pays []struct {
		ID     uint64 `json:"id"`
		Number string `json:"number"`
	}
	ok(t, db, &pays, "payments", "list", "--customer", "ACME")
	if len(pays) != 2 || pays[0].Number != acmeNo {
		t.Fatalf("ACME's payments %+v", pays)
	}
	out, errs, code := cli(t, db, "payments", "delete", "2")
	if code != 0 || !strings.Contains(out, "Payment 2 (") || !strings.Contains(out, "audit log entry") || !strings.Contains(out, "is Past Due") {
		t.Errorf("delete: %d %q %q", code, out, errs)
	}
	var entries []struct {
		Action string `json:"action"`
	}
	ok(t, db, &entries, "audit", "list", "--invoice", acmeNo)
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, " "); got != "generate approve payment payment close payment_delete reopen" {
		t.Errorf("ACME's audit entries: %s", got)
	}

	// The ageing report adds up to the open invoices: every invoice
	// issued on 2026-10-05 except GLOBEX's (credited) and UMBRELLA's (0.00
	// total), ACME's less its 100.
	var ageing struct {
		Totals []struct {
			Currency string            `json:"currency"`
			Buckets  map[string]string `json:"buckets"`
			Total    string            `json:"total"`
		} `json:"totals"`
	}
	dir := t.TempDir()
	ok(t, db, &ageing, "receivables", "--as-of", "2027-01-15", "--xlsx", filepath.Join(dir, "a.xlsx"), "--pdf", filepath.Join(dir, "a.pdf"))
	want := "0"
	for _, inv := range invs {
		if inv.CustomerID != "GLOBEX" {
			want = add(t, want, inv.Total)
		}
	}
	want = sub(t, want, "100")
	if len(ageing.Totals) != 1 || ageing.Totals[0].Total != want {
		t.Errorf("ageing totals %+v, want %s", ageing.Totals, want)
	}
	for _, f := range []string{"a.xlsx", "a.pdf"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s not written: %v", f, err)
		}
	}

	// The statement of account and the reminder.
	soa := filepath.Join(dir, "soa.pdf")
	out, errs, code = cli(t, db, "statement-of-account", "ACME", "--from", "2026-10-01", "--until", "2026-10-31", "--out", soa)
	if wantLine := "opening 0.00, 2 movements, closing " + sub(t, acme.Total, "100"); code != 0 || !strings.Contains(out, wantLine) {
		t.Errorf("statement of account: %d %q %q, want %q", code, out, errs, wantLine)
	}
	rem := filepath.Join(dir, "reminder.pdf")
	out, errs, code = cli(t, db, "reminder", acmeNo, "--out", rem)
	// Due 2026-11-04, 15 January is 72 days later (26 + 31 + 15).
	if code != 0 || !strings.Contains(out, "USD "+sub(t, acme.Total, "100")+" open, 72 days past due") {
		t.Errorf("reminder: %d %q %q", code, out, errs)
	}
	fails(t, db, 1, "is Closed: a reminder is for a Past Due invoice", "reminder", globexNo, "--out", rem)
	// One of each is counted in the singular: the invoice alone up to
	// the payment, and the day after the due date.
	out, errs, code = cli(t, db, "statement-of-account", "ACME", "--from", "2026-10-01", "--until", "2026-10-05", "--out", soa)
	if wantLine := "opening 0.00, 1 movement, closing " + acme.Total; code != 0 || !strings.Contains(out, wantLine) {
		t.Errorf("statement of account with one movement: %d %q %q, want %q", code, out, errs, wantLine)
	}
	out, errs, code = cli(t, db, "reminder", acmeNo, "--out", rem, "--as-of", "2026-11-05")
	if code != 0 || !strings.Contains(out, "open, 1 day past due") {
		t.Errorf("reminder the day after the due date: %d %q %q", code, out, errs)
	}
}

// sub and add are a - b and a + b of decimal strings, at 2 decimals.
func sub(t *testing.T, a, b string) string {
	t.Helper()
	return decimal.RequireFromString(a).Sub(decimal.RequireFromString(b)).StringFixed(2)
}

func add(t *testing.T, a, b string) string {
	t.Helper()
	return decimal.RequireFromString(a).Add(decimal.RequireFromString(b)).StringFixed(2)
}

// TestPaymentsInYen: a yen invoice's payments, balance and ageing read
// in whole yen with thousands separators, as its PDF does, never with
// the two decimals of a cent ("JPY 10000.00").
func TestPaymentsInYen(t *testing.T) {
	db := invoicesDB(t)
	var r any
	ok(t, db, &r, "customers", "edit", "ACME", "--currency", "JPY")
	ok(t, db, &r, "rates", "set", "USD", "JPY", "2026-09", "150", "--source", "BoJ")
	ok(t, db, &r, "invoices", "generate", "--period", "2026-09", "--customers", "ACME")
	ok(t, db, &r, "invoices", "approve", "--all", "--period", "2026-09")
	var invs []invoiceJSON
	ok(t, db, &invs, "invoices", "list", "--period", "2026-09")
	if len(invs) != 1 || invs[0].Currency != "JPY" || invs[0].Number == nil {
		t.Fatalf("ACME's yen invoice: %+v", invs)
	}
	acme := invs[0]
	at(t, time.Date(2026, 10, 31, 17, 0, 0, 0, time.UTC))
	out, errs, code := cli(t, db, "payments", "add", *acme.Number, "--date", "2026-10-10", "--amount", "10000")
	if code != 0 || !strings.Contains(out, "Payment 1 of JPY 10,000 recorded against") {
		t.Fatalf("payments add: %d %q %q", code, out, errs)
	}
	// What is open is the total less 10,000, in whole yen, grouped.
	open := regexp.MustCompile(`Open amount: JPY (\d{1,3}(?:,\d{3})*);`).FindStringSubmatch(out)
	want := decimal.RequireFromString(acme.Total).Sub(decimal.NewFromInt(10000))
	if open == nil || strings.ReplaceAll(open[1], ",", "") != want.String() || !want.IsInteger() || want.LessThan(decimal.NewFromInt(1000)) {
		t.Fatalf("open amount in %q, want %s less 10000 in grouped yen", out, acme.Total)
	}
	// Due 2026-11-04: on 15 January it is 72 days past due, in 61–90.
	out, errs, code = cli(t, db, "receivables", "--as-of", "2027-01-15")
	if code != 0 || !regexp.MustCompile(`(?m)^ACME +JPY +0 +0 +0 +`+open[1]+` +0 +`+open[1]+`$`).MatchString(out) {
		t.Errorf("receivables: %d %q %q, want ACME's %s in 61–90", code, out, errs, open[1])
	}
	out, errs, code = cli(t, db, "payments", "list")
	if code != 0 || !regexp.MustCompile(`(?m)^1 +2026-10-10 +ACME +`+*acme.Number+` +JPY +10,000 *$`).MatchString(out) {
		t.Errorf("payments list: %d %q %q", code, out, errs)
	}
}

// figure writes a two-decimal amount as tables print it, with thousands
// separators: "12345.60" as "12,345.60".
func figure(t *testing.T, s string) string {
	t.Helper()
	whole, frac, found := strings.Cut(s, ".")
	if !found {
		t.Fatalf("%q has no decimals", s)
	}
	sign := ""
	if strings.HasPrefix(whole, "-") {
		sign, whole = "-", whole[1:]
	}
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "," + whole[i:]
	}
	return sign + whole + "." + frac
}
