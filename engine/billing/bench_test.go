package billing

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"rebill/engine/customer"
	"rebill/engine/delim"
	"rebill/engine/lineitem"
	"rebill/engine/read/cur"
	"rebill/engine/sample"
)

// benchFamily is a month of n line items over 50 customers of 2 accounts
// each plus 4 unassigned accounts: the synthetic CUR's 5000 line items
// (RIs, a Savings Plan, Marketplace, Tax, Credit, Refund, support...),
// each replayed in many accounts, with reservations bought across
// customers and within them.
type benchFamily struct {
	pool      []lineitem.Item
	accounts  []string
	riARN     []string // per account
	spARN     []string
	owners    map[string]string
	customers []customer.Customer
}

func newBenchFamily(tb testing.TB) *benchFamily {
	tb.Helper()
	var buf bytes.Buffer
	if _, err := sample.WriteCSV(&buf, sample.Options{Rows: 5000}); err != nil {
		tb.Fatal(err)
	}
	sc := delim.NewScanner(&buf, ',', true)
	head, err := sc.Next()
	if err != nil {
		tb.Fatal(err)
	}
	header := make([]string, len(head))
	for i, h := range head {
		header[i] = string(h)
	}
	mp, err := cur.NewMapper(header)
	if err != nil {
		tb.Fatal(err)
	}
	f := &benchFamily{owners: map[string]string{}}
	for {
		fields, err := sc.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatal(err)
		}
		var it lineitem.Item
		if err := mp.Map(fields, &it); err != nil {
			tb.Fatal(err)
		}
		f.pool = append(f.pool, it)
	}
	for a := range 104 {
		id := fmt.Sprintf("%012d", 500_000_000_000+a*7919)
		f.accounts = append(f.accounts, id)
		f.riARN = append(f.riARN, "arn:aws:ec2:us-east-1:"+id+":reserved-instances/ri")
		f.spARN = append(f.spARN, "arn:aws:savingsplans::"+id+":savingsplan/sp")
		if a < 100 {
			f.owners[id] = fmt.Sprintf("C%02d", a/2)
		}
	}
	for c := range 50 {
		f.customers = append(f.customers, customer.Customer{ID: fmt.Sprintf("C%02d", c), Currency: "USD",
			Support: customer.SupportBusiness, Adjustment: dec("-3"),
			TaxRates:     []customer.TaxRate{{Name: "VAT", Percent: dec("20")}},
			PricingRules: []customer.PricingRule{{ProductCode: "AmazonS3", Percent: dec("5")}}})
	}
	return f
}

// feed adds n line items to m through one reused item, as the store's
// scan does: item i replays pool item i in account a, its commitment
// bought by a itself, by the customer's other account or by another
// customer's.
func (f *benchFamily) feed(tb testing.TB, m *Month, n int) {
	var it lineitem.Item
	for i := range n {
		p := i % len(f.pool)
		a := (i/len(f.pool)*37 + p*13) % len(f.accounts)
		it = f.pool[p]
		it.UsageAccount = f.accounts[a]
		owner := (a + []int{0, 1, 2}[i%3]) % len(f.accounts)
		if it.ReservationARN != "" {
			it.ReservationARN = f.riARN[owner]
		}
		if it.SavingsPlanARN != "" {
			it.SavingsPlanARN = f.spARN[owner]
		}
		if err := m.Add(&it); err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkMonth is the target: every customer's statement for a
// month of 1,000,000 line items and 50 customers, from the first line
// item to the last statement, in under a second.
func BenchmarkMonth(b *testing.B) {
	f := newBenchFamily(b)
	opt := Options{Credits: true, Tax: true, Marketplace: true}
	b.ReportAllocs()
	for b.Loop() {
		m, err := NewMonth(Config{Period: "2026-09", Owners: f.owners})
		if err != nil {
			b.Fatal(err)
		}
		f.feed(b, m, 1_000_000)
		for _, c := range f.customers {
			if _, err := m.Statement(c, Ledger{}, opt); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkAdd is the single pass alone, per line item.
func BenchmarkAdd(b *testing.B) {
	f := newBenchFamily(b)
	m, err := NewMonth(Config{Period: "2026-09", Owners: f.owners})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	f.feed(b, m, b.N)
}

// BenchmarkStatements is the 50 statements alone, from a month of
// 1,000,000 line items.
func BenchmarkStatements(b *testing.B) {
	f := newBenchFamily(b)
	m, err := NewMonth(Config{Period: "2026-09", Owners: f.owners})
	if err != nil {
		b.Fatal(err)
	}
	f.feed(b, m, 1_000_000)
	m.seal()
	opt := Options{Credits: true, Tax: true, Marketplace: true}
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range f.customers {
			if _, err := m.Statement(c, Ledger{}, opt); err != nil {
				b.Fatal(err)
			}
		}
	}
}
