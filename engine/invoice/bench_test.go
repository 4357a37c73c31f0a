package invoice_test

import (
	"fmt"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
)

// BenchmarkGenerateApprove200 generates and approves the invoices of 200
// customers from a month already read (20 services, 50 line items each):
// statement, nothing-to-bill check, draft, approval. Issue 5's target for
// the whole step, store included, is 2 s.
func BenchmarkGenerateApprove200(b *testing.B) {
	const customers = 200
	codes := []string{"AmazonEC2", "AmazonS3", "AmazonRDS", "AmazonCloudFront", "AWSLambda", "AmazonDynamoDB",
		"AmazonVPC", "AWSDataTransfer", "AmazonCloudWatch", "awskms", "AmazonSageMaker", "AmazonAthena",
		"AmazonRedshift", "AmazonEFS", "AmazonECS", "AmazonEKS", "AWSGlue", "AmazonRoute53", "AWSConfig", "AWSCloudTrail"}
	owners := map[string]string{}
	var custs []customer.Customer
	for c := 0; c < customers; c++ {
		id := fmt.Sprintf("C%03d", c)
		owners[fmt.Sprintf("%012d", c)] = id
		custs = append(custs, customer.Customer{ID: id, Name: "Customer " + id, Currency: "USD", TermsDays: 30,
			Support: customer.SupportBusiness, Adjustment: decimal.NewFromInt(-3),
			TaxRates: []customer.TaxRate{{Name: "VAT 20%", Percent: decimal.NewFromInt(20)}}})
	}
	m, err := billing.NewMonth(billing.Config{Period: period, Owners: owners})
	if err != nil {
		b.Fatal(err)
	}
	for c := 0; c < customers; c++ {
		for i := 0; i < 50; i++ {
			it := lineitem.Item{Provider: lineitem.AWS, BillingPeriod: period, UsageAccount: fmt.Sprintf("%012d", c),
				Type: lineitem.Usage, BillingEntity: "AWS", ProductCode: codes[i%len(codes)], Currency: "USD",
				UsageType: fmt.Sprintf("usage-%d", i%7), UnblendedCost: decimal.New(int64(1234567+i*c), -6)}
			if err := m.Add(&it); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ResetTimer()
	for b.Loop() {
		n := invoice.InvoiceNumbering(profile.NumberFormat, 1)
		for i, c := range custs {
			st, err := m.Statement(c, billing.Ledger{}, billing.Options{Tax: true})
			if err != nil {
				b.Fatal(err)
			}
			if _, empty := invoice.NothingToBill(st); empty {
				b.Fatal("nothing to bill")
			}
			d, err := invoice.NewDraft(fmt.Sprint(i), st, c, profile, now)
			if err != nil {
				b.Fatal(err)
			}
			if _, n, err = d.Approve(n, invoice.NewDate(2026, 10, 5), now); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkParseListing decodes one document's listing, what lists of
// thousands of documents do per document (target: a few µs, so 10,000
// documents list in well under 100 ms).
func BenchmarkParseListing(b *testing.B) {
	inv := issued(b, draft(b, "17"))
	inv.Notes = []string{"Replaces invoice NCP-2026-00012 (credited by CN-2026-00003)."}
	l := inv.MarshalListing()
	b.SetBytes(int64(len(l)))
	for b.Loop() {
		if _, err := invoice.ParseListing(l); err != nil {
			b.Fatal(err)
		}
	}
}
