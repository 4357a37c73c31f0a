package ingest

import (
	"errors"
	"strings"
	"testing"

	"rebill/engine/lineitem"
)

// dbrHeader is a Detailed Billing Report with resources and tags, quoted
// as AWS wrote it.
const dbrHeader = `"InvoiceID","PayerAccountId","LinkedAccountId","RecordType","RecordId","ProductName","RateId","SubscriptionId","PricingPlanId",` +
	`"UsageType","Operation","AvailabilityZone","ReservedInstance","ItemDescription","UsageStartDate","UsageEndDate","UsageQuantity",` +
	`"BlendedRate","BlendedCost","UnBlendedRate","UnBlendedCost","ResourceId","user:Team"` + "\n"

// dbrLines are two line items, 0.044 for 095669871260 and 0.000035 for
// 210987654321 (0.044035 in all), and the totals AWS states for them: the
// invoice rounded to 0.04 by a Rounding row of -0.004035.
var dbrLines = []string{
	`"Estimated","123456789012","095669871260","LineItem","1","Amazon Elastic Compute Cloud","1","1","1","BoxUsage","RunInstances","us-east-1b","N","$0.044 per On Demand Linux m1.small Instance Hour","2014-09-01 00:00:00","2014-09-01 01:00:00","1.00000000","0.0440000000","0.04400000","0.0440000000","0.04400000",i-1,web`,
	`"Estimated","123456789012","210987654321","LineItem","2","Amazon Simple Storage Service","2","2","2","Requests-Tier1","ListBucket","","N","$0.005 per 1,000 PUT, COPY, POST, or LIST requests","2014-09-02 00:00:00","2014-09-02 01:00:00","7.00000000","0.0000050000","0.00003500","0.0000050000","0.00003500",bucket,`,
	`"Estimated","123456789012","095669871260","AccountTotal","","","","","","","","","","Total for linked account# 095669871260 (Web)","","","","","0.04400000","","0.04400000",,`,
	`"Estimated","123456789012","210987654321","AccountTotal","","","","","","","","","","Total for linked account# 210987654321 (Data)","","","","","0.00003500","","0.00003500",,`,
	`"Estimated","123456789012","","Rounding","","","","","","","","","","Rounding of line items","","","","","-0.00403500","","-0.00403500",,`,
	`"Estimated","123456789012","","InvoiceTotal","","","","","","","","","","Total amount for invoice Estimated","","","","","0.04","","0.04",,`,
	`"","123456789012","","StatementTotal","","","","","","","","","","Total statement amount for period 2014-09-01 00:00:00 - 2014-09-30 23:59:59","","","","","0.04","","0.04",,`,
}

func dbrFile(lines ...string) []byte { return []byte(dbrHeader + strings.Join(lines, "\n") + "\n") }

// TestDBR imports a DBR as CSV and zipped as AWS delivered it: its two
// line items are stored, its totals check them and are not stored.
func TestDBR(t *testing.T) {
	const member = "123456789012-aws-billing-detailed-line-items-with-resources-and-tags-2014-09.csv"
	for _, tc := range []struct{ name, file string }{
		{"csv", "dbr.csv"},
		{"csv.zip", member + ".zip"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := dbrFile(dbrLines...)
			if strings.HasSuffix(tc.file, ".zip") {
				data = zipped(t, []string{member}, data)
			}
			dst := newMemDest()
			res, err := importFile(t, write(t, tc.file, data), dst)
			if err != nil {
				t.Fatal(err)
			}
			if res.Format != "dbr-csv" || res.Rows != 2 || len(dst.committed) != 2 || len(res.Deliveries) != 1 {
				t.Fatalf("format %s, %d rows, %d committed, deliveries %+v", res.Format, res.Rows, len(dst.committed), res.Deliveries)
			}
			d := res.Deliveries[0]
			if d.Provider != lineitem.AWS || d.Payer != "123456789012" || d.Period != "2014-09" || d.Currency != "USD" || d.Final ||
				!d.UnblendedCost.Equal(dec("0.044035")) || !d.Accounts["095669871260"].Equal(dec("0.044")) ||
				!d.Accounts["210987654321"].Equal(dec("0.000035")) {
				t.Fatalf("delivery %+v", d)
			}
			web, data2 := dst.committed[0], dst.committed[1]
			if len(web.Tags) != 1 || web.Tags[0] != (lineitem.Tag{Key: "Team", Value: "web"}) || len(data2.Tags) != 0 ||
				web.Region != "us-east-1" || data2.Description != "$0.005 per 1,000 PUT, COPY, POST, or LIST requests" {
				t.Fatalf("items %+v", dst.committed)
			}
		})
	}
}

func TestDBRRefused(t *testing.T) {
	final := func(lines []string) []string {
		out := make([]string, len(lines))
		for i, l := range lines {
			out[i] = strings.Replace(l, `"Estimated"`, `"11111111"`, 1)
		}
		return out
	}
	cases := []struct {
		name  string
		lines []string
		want  string
	}{
		{"a statement total that is not the line items'", append(append([]string{}, dbrLines[:6]...),
			strings.Replace(dbrLines[6], `"0.04","","0.04"`, `"0.05","","0.05"`, 1)),
			`dbr.csv: line 8, column UnBlendedCost: the StatementTotal is 0.05 but the line items of payer "123456789012" add up to 0.044035 (0.04 with the Rounding rows): the file is incomplete or was changed; download it again`},
		{"a line item lost", append([]string{dbrLines[0]}, dbrLines[2:]...),
			`dbr.csv: line 4, column UnBlendedCost: the AccountTotal is 0.000035 but the line items of account "210987654321", invoice "Estimated", payer "123456789012" add up to 0`},
		{"the final invoice without its line items' invoice", append(final(dbrLines[:2]), dbrLines[2:]...),
			`dbr.csv: line 4, column UnBlendedCost: the AccountTotal is 0.044 but the line items of account "095669871260", invoice "Estimated"`},
		{"a linked account that is no account", []string{strings.Replace(dbrLines[0], `"095669871260"`, `"95669871260"`, 1)},
			`dbr.csv: line 2, column LinkedAccountId: "95669871260" is not an account id: an AWS account id has 12 digits`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dst := newMemDest()
			_, err := importFile(t, write(t, "dbr.csv", dbrFile(tc.lines...)), dst)
			var ie *Error
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), "/"+tc.want) {
				t.Fatalf("got %v\nwant %s", err, tc.want)
			}
			if len(dst.committed) != 0 {
				t.Fatalf("%d items committed", len(dst.committed))
			}
		})
	}
}
