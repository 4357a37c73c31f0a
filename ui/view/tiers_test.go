package view

import (
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
)

// The trace of a tiered line names the table and each tier's quantity,
// price and charge: 51200 × 0.023 = 1177.60, 10240 × 0.022 = 225.28.
func TestTraceTiers(t *testing.T) {
	d := decimal.RequireFromString
	st := &billing.Statement{CustomerID: "ACME", Period: "2026-03", Currency: "USD"}
	l := billing.Line{Service: "AmazonS3", Trace: &billing.Trace{Tiers: []billing.TierTrace{
		{Table: "s3", UsageType: "TimedStorage-ByteHrs", Unit: "GB-Mo", Currency: "USD", Quantity: d("51200"), Price: d("0.023"), Charge: d("1177.6")},
		{Table: "s3", UsageType: "TimedStorage-ByteHrs", Unit: "GB-Mo", Currency: "USD", Quantity: d("10240"), Price: d("0.022"), Charge: d("225.28")},
	}}}
	tr := NewTrace(st, billing.Storage, l)
	for _, s := range tr.Sections {
		if s.Title == "Volume tiers of the price table s3 (tiered: 51200 GB-Mo at 0.023, 10240 GB-Mo at 0.022)" {
			if len(s.Rows) != 2 || s.Rows[1][1] != "10240" || s.Rows[1][5] != "225.28" {
				t.Errorf("rows %v", s.Rows)
			}
			return
		}
	}
	t.Errorf("no tiers section in %+v", tr.Sections)
}
