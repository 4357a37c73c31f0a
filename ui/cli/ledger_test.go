package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	bolt "go.etcd.io/bbolt"
	"golang.org/x/text/encoding/charmap"
)

// TestLedgerExportDATEVOfTheSampleMonth issues the sample's September
// invoices on 5 October, voids one on 6 October, and exports October as
// a DATEV Buchungsstapel: its header and columns as DATEV documents them,
// and its bookings adding up to the documents' totals as show prints them.
func TestLedgerExportDATEVOfTheSampleMonth(t *testing.T) {
	db := invoicesDB(t)
	var gen any
	ok(t, db, &gen, "invoices", "generate", "--period", "2026-09", "--all", "--credits", "--tax", "--marketplace")
	var approved []struct {
		Invoice invoiceJSON `json:"invoice"`
	}
	ok(t, db, &approved, "invoices", "approve", "--all", "--period", "2026-09")
	at(t, testNow.AddDate(0, 0, 1))
	var voided any
	ok(t, db, &voided, "invoices", "void", *approved[0].Invoice.Number, "--reason", "sent to the wrong customer")

	var mapping struct {
		Revenue     map[string]string `json:"revenue"`
		Receivables map[string]string `json:"receivables"`
	}
	ok(t, db, &mapping, "ledger", "accounts", "--revenue", "marketplace=8195", "--tax", "20=1776:3", "--tax", "19=1775:9", "--receivable", "ACME=10001")
	if mapping.Revenue["Marketplace"] != "8195" || mapping.Receivables["ACME"] != "10001" {
		t.Fatalf("mapping %+v", mapping)
	}
	fails(t, db, 1, `customer "NOPE" of the receivable accounts does not exist`, "ledger", "accounts", "--receivable", "NOPE=10009")

	// The month's total from the documents as `invoices show` prints them:
	// every issued invoice, and the voided one once more, reversed.
	want := decimal.Zero
	for _, a := range approved {
		var inv invoiceJSON
		ok(t, db, &inv, "invoices", "show", *a.Invoice.Number)
		want = want.Add(decimal.RequireFromString(inv.Total))
	}
	want = want.Sub(decimal.RequireFromString(approved[0].Invoice.Total))

	out := filepath.Join(t.TempDir(), "EXTF_Buchungsstapel.csv")
	var sum struct {
		Documents int `json:"documents"`
		Bookings  int `json:"bookings"`
		Totals    []struct {
			Currency string `json:"currency"`
			Amount   string `json:"amount"`
		} `json:"totals"`
		File string `json:"file"`
	}
	ok(t, db, &sum, "ledger", "export", "--format", "datev", "--month", "2026-10", "--out", out)
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	text, _ := charmap.Windows1252.NewDecoder().String(string(raw))
	lines := strings.Split(strings.TrimSuffix(text, "\r\n"), "\r\n")
	head := strings.Split(lines[0], ";")
	if len(head) != 31 || strings.Join(head[:5], ";") != `"EXTF";700;21;"Buchungsstapel";13` || head[14] != "20261001" || head[15] != "20261031" || head[21] != `"USD"` {
		t.Errorf("header (%d fields): %s", len(head), lines[0])
	}
	if n := len(strings.Split(lines[1], ";")); n != 125 {
		t.Errorf("%d columns, want 125", n)
	}
	total := decimal.Zero
	for _, l := range lines[2:] {
		f := strings.Split(l, ";")
		a := decimal.RequireFromString(strings.Replace(f[0], ",", ".", 1))
		if f[1] == `"H"` {
			a = a.Neg()
		}
		total = total.Add(a)
	}
	if !total.Equal(want) || sum.Documents != len(approved)+1 || sum.Bookings != len(lines)-2 || sum.Totals[0].Amount != want.String() {
		t.Errorf("%d bookings of %d documents add up to %s (summary %+v); want %d documents, %s", len(lines)-2, sum.Documents, total, sum, len(approved)+1, want)
	}

	// One currency's documents: every one of them in USD, none in EUR.
	var usd, eur struct {
		Documents int    `json:"documents"`
		Currency  string `json:"currency"`
	}
	ok(t, db, &usd, "ledger", "export", "--format", "datev", "--month", "2026-10", "--currency", "usd", "--out", filepath.Join(t.TempDir(), "usd.csv"))
	ok(t, db, &eur, "ledger", "export", "--format", "datev", "--month", "2026-10", "--currency", "EUR", "--out", filepath.Join(t.TempDir(), "eur.csv"))
	if usd.Documents != sum.Documents || usd.Currency != "USD" || eur.Documents != 0 || eur.Currency != "EUR" {
		t.Errorf("in USD %+v, in EUR %+v; want the %d documents in USD, none in EUR", usd, eur, sum.Documents)
	}

	// A refused export leaves the file there as it was.
	fails(t, db, 1, "a DATEV batch holds one fiscal year", "ledger", "export", "--format", "datev", "--from", "2026-10-01", "--until", "2027-01-31", "--out", out)
	if again, _ := os.ReadFile(out); string(again) != string(raw) {
		t.Error("the refused export changed the file")
	}
	fails(t, db, 1, "--from YYYY-MM-DD and --until YYYY-MM-DD (or --month YYYY-MM) are required", "ledger", "export", "--format", "xero", "--out", out)
	fails(t, db, 1, `format "sage" is not one of`, "ledger", "export", "--format", "sage", "--month", "2026-10", "--out", out)

	// The text summary names the file and what is not in it.
	stdout, _, code := cli(t, db, "ledger", "export", "--format", "quickbooks", "--month", "2026-10", "--out", filepath.Join(t.TempDir(), "qbo.csv"))
	if code != 0 || !strings.Contains(stdout, "QuickBooks Online invoices") || !strings.Contains(stdout, "void it in QuickBooks") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
}

// TestLedgerAccountsResetADamagedMapping: a mapping damaged in the
// database (bytes an older or broken Rebill left) refuses every change,
// since each one starts from the saved mapping; the refusal names
// --reset, which saves the default accounts with the flags given in its
// place. (The window's Save writes a whole mapping, and did already.)
func TestLedgerAccountsResetADamagedMapping(t *testing.T) {
	db := tempDB(t)
	var m struct {
		Consultant string `json:"datev_consultant"`
	}
	ok(t, db, &m, "ledger", "accounts", "--consultant", "1001")
	b, err := bolt.Open(db, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("ledger")).Put([]byte("mapping"), []byte("{not json"))
	}); err != nil {
		t.Fatal(err)
	}
	b.Close()
	const hint = "the ledger account mapping is damaged in the database: save it again in Settings > Ledger accounts"
	fails(t, db, 1, hint, "ledger", "accounts", "--consultant", "2002")
	fails(t, db, 1, "(on the command line: rebill ledger accounts --reset, with the flags of the accounts to set)", "ledger", "accounts")
	ok(t, db, &m, "ledger", "accounts", "--reset", "--consultant", "2002")
	if m.Consultant != "2002" {
		t.Errorf("after --reset: consultant %q, want 2002", m.Consultant)
	}
	ok(t, db, &m, "ledger", "accounts")
	if m.Consultant != "2002" {
		t.Errorf("saved: consultant %q, want 2002", m.Consultant)
	}
}
