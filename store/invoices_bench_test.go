package store

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/sample"
)

// benchCustomers is the size of the reseller the benchmark invoices.
const benchCustomers = 200

// invoicingDB writes a database of benchCustomers customers for September
// 2026, each owning one account: the sample's seven-account family copied
// (those with charges) under new account ids until there are enough accounts, so every
// customer has the sample's mix of usage, reservations, Savings Plan,
// Marketplace, credit and tax lines. Every customer has VAT, every third
// the Business support plan, every fifth a reseller credit. It returns the
// closed database's path.
func invoicingDB(b *testing.B) string {
	b.Helper()
	var one bytes.Buffer
	sum, err := sample.WriteCSV(&one, sample.Options{Rows: 1000, Seed: 1, Final: true})
	if err != nil {
		b.Fatal(err)
	}
	var family []string // the accounts with charges, in a fixed order
	for acct, cost := range sum.ByAccount {
		if !cost.IsZero() {
			family = append(family, acct)
		}
	}
	slices.Sort(family)
	copies := (benchCustomers + len(family) - 1) / len(family)
	path := filepath.Join(b.TempDir(), "cur.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	body := one.String()
	head, rows, _ := strings.Cut(body, "\n")
	io.WriteString(f, head+"\n")
	var accounts []string
	for k := range copies {
		var pairs []string
		for _, a := range family {
			renamed := fmt.Sprintf("%03d", 100+k) + a[3:]
			pairs = append(pairs, a, renamed)
			accounts = append(accounts, renamed)
		}
		io.WriteString(f, strings.NewReplacer(pairs...).Replace(rows))
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}

	dbPath := filepath.Join(b.TempDir(), "rebill.db")
	db, err := Open(dbPath)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := importPath(b, db, path); err != nil {
		b.Fatal(err)
	}
	setup := customer.Setup{Profile: sample.CustomerSetup("2026-09").Profile}
	d := customer.Defaults{Currency: "USD", TermsDays: 30}
	for i := range benchCustomers {
		c := d.New()
		c.ID, c.Name, c.Group = fmt.Sprintf("C%03d", i), fmt.Sprintf("Customer %03d Ltd", i), fmt.Sprintf("Group %d", i%5)
		c.TaxRates = []customer.TaxRate{{Name: "VAT 20%", Percent: decimal.NewFromInt(20)}}
		if i%3 == 0 {
			c.Support = customer.SupportBusiness
		}
		setup.Customers = append(setup.Customers, c)
		setup.Mappings = append(setup.Mappings, customer.Mapping{Account: accounts[i], Customer: c.ID, From: "2026-09"})
		if i%5 == 0 {
			setup.Grants = append(setup.Grants, customer.Grant{Customer: c.ID, Amount: decimal.NewFromInt(100), Currency: "USD", Reason: "Welcome"})
		}
	}
	if err := db.ApplySetup(setup, setUp); err != nil {
		b.Fatal(err)
	}
	return dbPath
}

// BenchmarkGenerateAndApprove200 generates the drafts of 200 customers
// with every option and approves them all, on a fresh copy of the
// database each time (target: under 2 s together).
func BenchmarkGenerateAndApprove200(b *testing.B) {
	template := invoicingDB(b)
	data, err := os.ReadFile(template)
	if err != nil {
		b.Fatal(err)
	}
	var gen, appr time.Duration
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		p := filepath.Join(b.TempDir(), fmt.Sprintf("copy%d.db", i))
		if err := os.WriteFile(p, data, 0o600); err != nil {
			b.Fatal(err)
		}
		db, err := Open(p)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		rep, err := db.GenerateInvoices(GenerateRequest{Period: "2026-09", Selection: customer.Selection{All: true},
			Options: billing.Options{Credits: true, Tax: true, Marketplace: true}, Now: oct5})
		if err != nil {
			b.Fatal(err)
		}
		mid := time.Now()
		as, err := db.ApproveDrafts("2026-09", oct5)
		if err != nil {
			b.Fatal(err)
		}
		gen += mid.Sub(start)
		appr += time.Since(mid)
		b.StopTimer()
		if n := rep.Count(Created); n != benchCustomers || len(as) != benchCustomers || as[len(as)-1].Err != nil {
			for _, g := range rep.Results {
				if g.Outcome != Created {
					b.Log(g.CustomerID, g.Outcome, g.Reason)
				}
			}
			b.Fatalf("%d drafts, %d approved: %+v", n, len(as), as[len(as)-1])
		}
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(gen.Milliseconds())/float64(b.N), "ms-generate/op")
	b.ReportMetric(float64(appr.Milliseconds())/float64(b.N), "ms-approve/op")
}
