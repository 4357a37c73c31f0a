//go:build unix

package store

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"rebill/engine/billing"
	"rebill/engine/customer"
)

// BenchmarkBillingMonth1M is issue 4's target through the store: read a
// month of 1,000,000 line items (one bbolt scan) and compute 50
// customers' statements. Target: under 1 s.
func BenchmarkBillingMonth1M(b *testing.B) {
	path := benchFile(b)
	db, err := Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := importPath(b, db, path); err != nil {
		b.Fatal(err)
	}
	costs, err := db.AccountCosts("2026-09")
	if err != nil {
		b.Fatal(err)
	}
	var ids []string
	for i := 0; i < 50; i++ {
		c := customer.Defaults{Currency: "USD", TermsDays: 30}.New()
		c.ID, c.Name = fmt.Sprintf("C%02d", i), fmt.Sprintf("Customer %d", i)
		c.Support = customer.SupportBusiness
		if err := db.AddCustomer(c, time.Now()); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	for i, a := range costs {
		if err := db.Map(customer.Mapping{Account: a.Account, Customer: ids[i%len(ids)], From: "2026-09"}, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
	// A sub-benchmark, so the import above runs once.
	b.Run("50-customers", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			bm, err := db.BillingMonth("2026-09")
			if err != nil {
				b.Fatal(err)
			}
			if _, err := bm.Statements(ids, billing.Options{Tax: true, Credits: true}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(costs)), "accounts")
	})
}
