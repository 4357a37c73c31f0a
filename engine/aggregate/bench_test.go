package aggregate

import (
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/lineitem"
)

// BenchmarkSetAdd is the import's added work per line item: hourly usage
// of 8 accounts x 40 usage types over a month, amounts of 10 decimals.
// Equal values share one string, as the import's mappers hand them
// (read.Interner).
func BenchmarkSetAdd(b *testing.B) {
	interned := map[string]string{}
	intern := func(s string) string {
		if c, ok := interned[s]; ok {
			return c
		}
		interned[s] = s
		return s
	}
	var items []lineitem.Item
	start := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 4096; i++ {
		items = append(items, lineitem.Item{Provider: lineitem.AWS, BillingPeriod: "2026-09",
			UsageAccount: intern(fmt.Sprintf("%012d", i%8)), Type: lineitem.Usage, BillingEntity: "AWS",
			LegalEntity: "Amazon Web Services, Inc.", ProductCode: "AmazonEC2", ProductName: "Amazon Elastic Compute Cloud",
			UsageType: intern(fmt.Sprintf("BoxUsage:t%d", i%40)), Currency: "USD", UsageStart: start.Add(time.Duration(i%720) * time.Hour),
			UsageAmount: decimal.New(1, 0), UnblendedCost: decimal.New(int64(i)*1234567, -10),
			BlendedCost: decimal.New(int64(i)*1234567, -10), PublicOnDemandCost: decimal.New(int64(i)*2234567, -10)})
	}
	s := NewSet("2026-09")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.Add(&items[i%len(items)])
	}
	b.ReportMetric(float64(s.Len()), "groups")
}
