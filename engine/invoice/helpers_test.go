package invoice_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
)

const (
	period = "2026-09"
	acctA  = "111111111111"
	acctB  = "222222222222"
)

var now = time.Date(2026, 10, 5, 9, 30, 0, 0, time.UTC)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// item is a line item of the test month.
type item struct {
	acct, code, name, cost string
	typ, entity, seller    string
}

func month(t testing.TB, items ...item) *billing.Month {
	t.Helper()
	m, err := billing.NewMonth(billing.Config{Period: period, Owners: map[string]string{acctA: "ACME", acctB: "MUELLER"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range items {
		it := lineitem.Item{Provider: lineitem.AWS, BillingPeriod: period, UsageAccount: i.acct, Type: i.typ,
			BillingEntity: i.entity, LegalEntity: i.seller, ProductCode: i.code, ProductName: i.name,
			Currency: "USD", UnblendedCost: dec(i.cost), BlendedCost: dec(i.cost)}
		if it.Type == "" {
			it.Type = lineitem.Usage
		}
		if it.BillingEntity == "" {
			it.BillingEntity = "AWS"
		}
		if err := m.Add(&it); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

// acmeItems is ACME's month: compute, storage, database and a Marketplace
// product, at full precision.
var acmeItems = []item{
	{acct: acctA, code: "AmazonEC2", name: "Amazon Elastic Compute Cloud", cost: "1200.004"},
	{acct: acctA, code: "AmazonEC2", name: "Amazon Elastic Compute Cloud", cost: "34.5611"},
	{acct: acctA, code: "AmazonS3", name: "Amazon Simple Storage Service", cost: "10.005"},
	{acct: acctA, code: "AmazonRDS", name: "Amazon Relational Database Service", cost: "250.10"},
	{acct: acctA, code: "prodfirewall", name: "Firewall Appliance", cost: "42.50", entity: lineitem.MarketplaceEntity, seller: "Example Seller Inc"},
}

var acme = customer.Customer{ID: "ACME", Name: "Acme Corp", Currency: "USD", TermsDays: 30,
	Contact:    customer.Contact{Name: "Jane Doe", Email: "ap@acme.example", Address: []string{"1 Main St", "Springfield"}, Country: "US"},
	TaxNumber:  "US-12-3456789",
	TaxRates:   []customer.TaxRate{{Name: "Sales tax 8.25%", Percent: dec("8.25")}},
	Adjustment: dec("-5")}

var profile = func() customer.Profile {
	p := customer.DefaultProfile()
	p.CompanyName = "Cloud Reseller Ltd"
	p.Address = []string{"10 Harbour Road", "Dublin 2", "Ireland"}
	p.Email = "billing@reseller.example"
	p.TaxNumber = "IE1234567X"
	p.PaymentInstructions = "IBAN IE29 AIBK 9311 5212 3456 78, BIC AIBKIE2D"
	return p
}()

// statement computes ACME's statement of a month.
func statement(t testing.TB, m *billing.Month, c customer.Customer, opt billing.Options, ledger billing.Ledger) *billing.Statement {
	t.Helper()
	st, err := m.Statement(c, ledger, opt)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

var allOptions = billing.Options{Credits: true, Tax: true, Marketplace: true}

// draft makes ACME's draft of the standard month.
func draft(t testing.TB, id string) invoice.Invoice {
	t.Helper()
	st := statement(t, month(t, acmeItems...), acme, allOptions, billing.Ledger{})
	d, err := invoice.NewDraft(id, st, acme, profile, now)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// issued approves a draft as the first invoice of the series.
func issued(t testing.TB, d invoice.Invoice) invoice.Invoice {
	t.Helper()
	inv, _, err := d.Approve(invoice.InvoiceNumbering(profile.NumberFormat, 1), invoice.NewDate(2026, 10, 5), now)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// unchanged fails when running f changes the invoice it was given.
func unchanged(t *testing.T, inv invoice.Invoice, f func(invoice.Invoice)) {
	t.Helper()
	before := mustJSON(t, inv)
	f(inv)
	if after := mustJSON(t, inv); !bytes.Equal(before, after) {
		t.Errorf("the input invoice changed:\nbefore %s\nafter  %s", before, after)
	}
}

// addsUp checks the figures add up as printed figures must.
func addsUp(t *testing.T, f invoice.Figures) {
	t.Helper()
	sub := decimal.Zero
	for _, s := range f.Sections {
		ls := decimal.Zero
		for _, l := range s.Lines {
			ls = ls.Add(l.Amount.Decimal())
		}
		if !ls.Equal(s.Subtotal.Decimal()) {
			t.Errorf("%s subtotal %s, lines %s", s.ProductType, s.Subtotal, ls)
		}
		sub = sub.Add(ls)
	}
	if !sub.Equal(f.Subtotal.Decimal()) {
		t.Errorf("subtotal %s, sections %s", f.Subtotal, sub)
	}
	tax := decimal.Zero
	for _, tl := range f.TaxLines {
		tax = tax.Add(tl.Amount.Decimal())
	}
	if !tax.Equal(f.Tax.Decimal()) {
		t.Errorf("tax %s, tax lines %s", f.Tax, tax)
	}
	if tot := sub.Add(f.Discount.Decimal()).Add(f.CreditsApplied.Decimal()).Add(tax); !tot.Equal(f.Total.Decimal()) {
		t.Errorf("total %s, printed figures %s", f.Total, tot)
	}
}

// lines maps "Section/Service" to the printed amount.
func lines(f invoice.Figures) map[string]string {
	out := map[string]string{}
	for _, s := range f.Sections {
		for _, l := range s.Lines {
			out[fmt.Sprintf("%s/%s", s.ProductType, l.Service)] = l.Amount.String()
		}
	}
	return out
}
