package store

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	bolt "go.etcd.io/bbolt"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/invoice"
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

// issuedDB writes a database holding 10,000 issued invoices: the 200
// customers of invoicingDB invoiced every month for 50 months, each month
// a copy of September 2026's approved invoices (same lines, taxes,
// credits, customer and seller details, the reseller's logo included),
// numbered in sequence and recorded in the audit log as approvals are.
// It returns the closed database's path.
func issuedDB(b *testing.B, logo []byte) string {
	b.Helper()
	path := invoicingDB(b)
	db, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if logo != nil {
		p, err := db.Profile()
		if err != nil {
			b.Fatal(err)
		}
		p.Logo, p.LogoType = logo, "image/png"
		if err := db.PutProfile(p, setUp); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := db.GenerateInvoices(GenerateRequest{Period: "2026-09", Selection: customer.Selection{All: true},
		Options: billing.Options{Credits: true, Tax: true, Marketplace: true}, Now: oct5}); err != nil {
		b.Fatal(err)
	}
	as, err := db.ApproveDrafts("2026-09", oct5)
	if err != nil {
		b.Fatal(err)
	}
	const months = 50
	seq := len(as)
	for m := 1; m < months; m++ {
		period := customer.AddMonths("2026-09", -m)
		err := db.bolt.Update(func(tx *bolt.Tx) error {
			for _, a := range as {
				inv := *a.Invoice
				id, err := newInvoiceID(tx)
				if err != nil {
					return err
				}
				seq++
				inv.ID, inv.Period, inv.Number = id, period, fmt.Sprintf("INV-%s-%05d", period[:4], seq)
				inv.CreditUses, inv.Deliveries = nil, nil
				if err := putInvoice(tx, oct5, invoice.ActionApprove, nil, inv); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if n := seq; n != months*benchCustomers {
		b.Fatalf("%d invoices", n)
	}
	return path
}

// BenchmarkInvoices10000 reads a database of 10,000 issued invoices as
// the Invoices screen does when it loads (the months on file, the month
// shown and the month before it for the change column, the month's
// deliveries for the provisional warning; and with "All months" chosen)
// and as `rebill invoices list` does (every invoice). Target: under
// 100 ms each.
func BenchmarkInvoices10000(b *testing.B) {
	for _, tc := range []struct {
		name string
		logo []byte
	}{{"no logo", nil}, {"logo 8 KB", benchLogo(b, 8<<10)}} {
		path := issuedDB(b, tc.logo)
		db, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		now := oct20
		b.Run(tc.name+"/screen month", func(b *testing.B) {
			for b.Loop() {
				if _, err := db.Months(); err != nil {
					b.Fatal(err)
				}
				shown, err := db.Invoices(InvoiceFilter{Period: "2026-09"}, now)
				if err != nil || len(shown) != benchCustomers {
					b.Fatal(len(shown), err)
				}
				if _, err := db.Invoices(InvoiceFilter{Period: "2026-08"}, now); err != nil {
					b.Fatal(err)
				}
				if _, _, err := db.MonthOf("2026-09"); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(tc.name+"/screen all months", func(b *testing.B) {
			for b.Loop() {
				if _, err := db.Months(); err != nil {
					b.Fatal(err)
				}
				if shown, err := db.Invoices(InvoiceFilter{}, now); err != nil || len(shown) != 10000 {
					b.Fatal(len(shown), err)
				}
			}
		})
		b.Run(tc.name+"/invoices list", func(b *testing.B) {
			for b.Loop() {
				if all, err := db.Invoices(InvoiceFilter{}, now); err != nil || len(all) != 10000 {
					b.Fatal(len(all), err)
				}
			}
		})
		db.Close()
	}
}

// benchLogo is a PNG of about n bytes (noise does not compress).
func benchLogo(b *testing.B, n int) []byte {
	side := 8
	for side*side*4 < n {
		side++
	}
	img := image.NewNRGBA(image.Rect(0, 0, side, side))
	r := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = byte(r.IntN(256))
	}
	var out bytes.Buffer
	if err := png.Encode(&out, img); err != nil {
		b.Fatal(err)
	}
	return out.Bytes()
}

// BenchmarkApproveCredits200 approves the 200 drafts of invoicingDB when
// every customer has a reseller credit and the ledger already holds
// 5,000 uses of earlier invoices: approving reads the ledger once for
// the batch, not once per draft.
func BenchmarkApproveCredits200(b *testing.B) {
	path := invoicingDB(b)
	db, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	for i := range benchCustomers {
		id := fmt.Sprintf("C%03d", i)
		g, err := db.Grant(customer.Grant{Customer: id, Amount: decimal.NewFromInt(1_000_000), Currency: "USD", Reason: "history"}, setUp)
		if err != nil {
			b.Fatal(err)
		}
		if i%8 != 0 {
			continue
		}
		var uses []customer.Use
		for n := range 200 {
			uses = append(uses, customer.Use{Grant: g.ID, Customer: id, Invoice: fmt.Sprintf("old-%d", n), Period: "2026-08", Amount: decimal.NewFromInt(1)})
		}
		if err := db.RecordUses(uses, setUp); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := db.GenerateInvoices(GenerateRequest{Period: "2026-09", Selection: customer.Selection{All: true},
		Options: billing.Options{Credits: true, Tax: true, Marketplace: true}, Now: oct5}); err != nil {
		b.Fatal(err)
	}
	db.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
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
		as, err := db.ApproveDrafts("2026-09", oct5)
		b.StopTimer()
		if err != nil || len(as) != benchCustomers || as[0].Invoice == nil || len(as[0].Invoice.CreditUses) == 0 {
			b.Fatalf("%d approved, %v", len(as), err)
		}
		db.Close()
		b.StartTimer()
	}
}
