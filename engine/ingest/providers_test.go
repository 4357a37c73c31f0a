package ingest

import (
	"strings"
	"testing"

	"rebill/engine/lineitem"
)

// Small files of each provider's format, as seeds of the fuzz tests and
// for the tests of line endings and byte order marks.
const (
	azureEA = "BillingAccountId,BillingPeriodStartDate,SubscriptionId,Date,Quantity,EffectivePrice,Cost,UnitPrice,PayGPrice,BillingCurrency," +
		"ChargeType,PricingModel,benefitId,PublisherType,PublisherName,Tags\n" +
		"8611537,09/01/2023,9ec51cfd-5ca7-4d76-8101-dd0a4abc5674,09/22/2023,8,0.061644,0.493152,0.146,0.146,USD,Usage,Reservation," +
		"/providers/Microsoft.Capacity/reservationOrders/a965d46f/reservations/f39d1c73,Azure,,\n" +
		"8611537,09/01/2023,1caaa5a3-2b66-438e-8ab4-bce37d518c5d,9/3/2023,0.0004,0.1,0.00004,0.1,0.1,USD,Usage,OnDemand,,Azure,Microsoft," +
		`"""env"": ""prod"""` + "\n" +
		"8611537,09/01/2023,1caaa5a3-2b66-438e-8ab4-bce37d518c5d,9/30/2023,1,3.25,3.2500000000000000000000000001,3.25,0,USD,Purchase,Reservation,,Marketplace,Contoso,\n"
	azurePAYG = "SubscriptionGuid,ResourceGroup,UsageDateTime,MeterCategory,UsageQuantity,ResourceRate,PreTaxCost,Currency,Tags\n" +
		"0039de71-ca37-4a17-a104-17665a50e7fc,COSTMGMT,2019-07-29 00:00:00,Bandwidth,0.000004,0,0,USD,\n" +
		`0039de71-ca37-4a17-a104-17665a50e7fc,costmgmt,2019-07-28 00:00:00,Storage,0.288,0.00036,0.00010368,USD,"{""project"":""p1""}"` + "\n"
	gcpExport = "billing_account_id,service.description,sku.description,usage_start_time,project.id,labels,cost,currency," +
		"usage.amount_in_pricing_units,credits,invoice.month,cost_type\n" +
		`000000-B0BBA4-940A77,BigQuery,Analysis,2020-11-09 23:00:00+00:00,billing-example-00000,"[{'key': 'a', 'value': 'b'}]",5e-06,USD,1e-3,` +
		`"[{'name': 'FreeTrial', 'amount': -5e-06, 'full_name': None, 'type': 'PROMOTION'}]",202011,regular` + "\n" +
		"000000-B0BBA4-940A77,Support,Support,2020-11-01 00:00:00+00:00,,[],1.5,USD,1,[],202011,regular\n"
	ociReport = "lineItem/referenceNo,lineItem/tenantId,lineItem/intervalUsageStart,product/service,product/compartmentId,cost/myCost," +
		"cost/currencyCode,lineItem/isCorrection,tags/Oracle-Tags.CreatedBy\n" +
		"a1,ocid1.tenancy.oc1..aaaa,2023-11-13T10:00Z,DATABASE,ocid1.compartment.oc1..bbbb,2.323760000E-9,USD,false,someone\n" +
		"a2,ocid1.tenancy.oc1..aaaa,2023-11-13T11:00:00Z,OBJECTSTORE,ocid1.tenancy.oc1..aaaa,0.012264277499950943,USD,true,\n"
	// pcRecon is a synthetic Partner Center new-commerce invoice
	// reconciliation file: no public sample exists, so its columns are
	// Microsoft's documented ones and its figures made up, each line's
	// Subtotal worked by hand with Microsoft's rules (see
	// partnercenter.TestTieOutRules): 5.19 and -33.94 by the usage rule,
	// 28.02 by the seat rule; 5.19 - 33.94 + 28.02 = -0.73.
	pcRecon = "PartnerId,CustomerId,CustomerName,InvoiceNumber,ProductId,SkuName,ProductName,ChargeType,UnitPrice,Quantity,Subtotal,Currency," +
		"PublisherName,SubscriptionDescription,SubscriptionId,ChargeStartDate,ChargeEndDate,EffectiveUnitPrice,BillableQuantity,PricingCurrency,PCToBCExchangeRate\n" +
		"0e195b37-4574-4539-bc42-0e539b9684c0,196e2273-9651-43a3-ba7e-7cbcd918fc40,Contoso,G002297372,DZH318Z0BNZ5,Inter-region bandwidth,Bandwidth,new," +
		"0.05,123.456,5.19,EUR,Microsoft,Azure plan,9ec51cfd-5ca7-4d76-8101-dd0a4abc5674,9/1/2023,9/30/2023,0.0456789,123.456,USD,0.92345\n" +
		"0e195b37-4574-4539-bc42-0e539b9684c0,196e2273-9651-43a3-ba7e-7cbcd918fc40,Contoso,G002297372,DZH318Z0BNZ5,Storage,Storage,cancel," +
		"13,-2.5,-33.94,EUR,Microsoft,Azure plan,9ec51cfd-5ca7-4d76-8101-dd0a4abc5674,9/1/2023,9/30/2023,12.3456,-2.5,USD,1.1\n" +
		"0e195b37-4574-4539-bc42-0e539b9684c0,196e2273-9651-43a3-ba7e-7cbcd918fc40,Contoso,G002297372,CFQ7TTC0LH18,Microsoft 365 E3,Microsoft 365 E3,new," +
		"12,3,28.02,EUR,Microsoft,Microsoft 365 E3,1caaa5a3-2b66-438e-8ab4-bce37d518c5d,9/1/2023,9/30/2023,10.999,3,USD,0.85\n"
	// pcUsage is a synthetic daily rated usage file (Microsoft's
	// documented columns; no public sample exists): 0.085 × 10 × 0.9 =
	// 0.765, the partner earned credit 15% of 0.1 × 10 × 0.9.
	pcUsage = "PartnerId,CustomerId,CustomerName,InvoiceNumber,ProductName,SubscriptionId,ChargeStartDate,ChargeEndDate,UsageDate,MeterCategory," +
		"ChargeType,UnitPrice,Quantity,BillingPreTaxTotal,BillingCurrency,PricingPreTaxTotal,PricingCurrency,EffectiveUnitPrice,PCToBCExchangeRate," +
		"EntitlementId,PartnerEarnedCreditPercentage\n" +
		"0e195b37-4574-4539-bc42-0e539b9684c0,196e2273-9651-43a3-ba7e-7cbcd918fc40,Contoso,,Azure plan,8a1c7d3e-0000-4000-8000-000000000001," +
		"9/1/2023,9/30/2023,9/14/2023,Virtual Machines,new,0.1,10,0.765,EUR,0.85,USD,0.085,0.9,9ec51cfd-5ca7-4d76-8101-dd0a4abc5674,15\n"
)

// TestProviderFiles: each format's small file imports with its provider,
// payer, month, rows and total, worked by hand.
func TestProviderFiles(t *testing.T) {
	cases := []struct {
		name, file, format string
		want               month
		final              bool // every line names its invoice
	}{
		// 0.493152 + 0.00004 + 3.2500000000000000000000000001
		{"Azure EA", azureEA, "azure-csv", month{lineitem.Azure, "8611537", "2023-09", 3, "3.7431920000000000000000000001"}, false},
		{"Azure pay-as-you-go", azurePAYG, "azure-usage-csv", month{lineitem.Azure, "0039de71-ca37-4a17-a104-17665a50e7fc", "2019-07", 2, "0.00010368"}, false},
		// 0.000005 - 0.000005 + 1.5
		{"GCP", gcpExport, "gcp-csv", month{lineitem.GCP, "000000-B0BBA4-940A77", "2020-11", 2, "1.5"}, false},
		// 0.00000000232376 + 0.012264277499950943
		{"OCI", ociReport, "oci-csv", month{lineitem.OCI, "ocid1.tenancy.oc1..aaaa", "2023-11", 2, "0.012264279823710943"}, false},
		{"Partner Center reconciliation", pcRecon, "partnercenter-recon-csv", month{lineitem.Azure, "0e195b37-4574-4539-bc42-0e539b9684c0", "2023-09", 3, "-0.73"}, true},
		{"Partner Center daily rated usage", pcUsage, "partnercenter-usage-csv", month{lineitem.Azure, "0e195b37-4574-4539-bc42-0e539b9684c0", "2023-09", 1, "0.765"}, false},
	}
	for _, tc := range cases {
		// The same file with CRLF line ends, a UTF-8 byte order mark, or
		// both, and gzipped, reads the same.
		variants := map[string][]byte{
			"LF":       []byte(tc.file),
			"CRLF":     []byte(strings.ReplaceAll(tc.file, "\n", "\r\n")),
			"BOM":      []byte("\ufeff" + tc.file),
			"BOM CRLF": []byte("\ufeff" + strings.ReplaceAll(tc.file, "\n", "\r\n")),
		}
		for v, data := range variants {
			t.Run(tc.name+"/"+v, func(t *testing.T) {
				for _, f := range []struct {
					name string
					data []byte
				}{{"f.csv", data}, {"f.csv.gz", gzipped(t, data)}} {
					dst := newMemDest()
					res, err := importFile(t, write(t, f.name, f.data), dst)
					if err != nil {
						t.Fatal(err)
					}
					d := res.Deliveries[0]
					if res.Format != tc.format || len(res.Deliveries) != 1 || d.Provider != tc.want.provider || d.Payer != tc.want.payer ||
						d.Period != tc.want.period || d.Rows != tc.want.rows || !d.UnblendedCost.Equal(dec(tc.want.total)) || d.Final != tc.final {
						t.Fatalf("%s: format %s, %+v", f.name, res.Format, res.Deliveries)
					}
					checkImport(t, f.name, f.data)
				}
			})
		}
	}
}

// TestPartnerCenterReconciliationRefused: a line that does not tie out
// with Microsoft's rule is refused naming its line and the rule's figures,
// and nothing of the file is kept.
func TestPartnerCenterReconciliationRefused(t *testing.T) {
	bad := strings.Replace(pcRecon, ",28.02,EUR,", ",28.03,EUR,", 1)
	dst := newMemDest()
	_, err := importFile(t, write(t, "recon.csv", []byte(bad)), dst)
	want := "recon.csv: line 4, column Subtotal: the subtotal 28.03 does not tie out: EffectiveUnitPrice, BillableQuantity and PCToBCExchangeRate make 28.04"
	if err == nil || !strings.Contains(err.Error(), want) || len(dst.committed) != 0 {
		t.Fatalf("got %v, %d committed", err, len(dst.committed))
	}
}

// TestUnknownShapesNameTheClosest: a provider's file less a required
// column is refused naming its format and the missing column.
func TestUnknownShapesNameTheClosest(t *testing.T) {
	cases := []struct{ name, file, drop, want string }{
		{"Azure without BillingCurrency", azureEA, "BillingCurrency", "azure-csv (Azure cost details (EA or MCA, actual or amortized), CSV), which needs the column BillingCurrency;"},
		{"Azure usage without Currency", azurePAYG, "Currency", "azure-usage-csv (Azure pay-as-you-go usage details, CSV), which needs the column Currency;"},
		{"GCP without invoice.month", gcpExport, "invoice.month", "gcp-csv (Google Cloud billing export (BigQuery), CSV), which needs the column invoice.month;"},
		{"OCI without lineItem/tenantId", ociReport, "lineItem/tenantId", "oci-csv (Oracle Cloud Infrastructure cost report, CSV), which needs the column lineItem/tenantId;"},
		{"reconciliation without Subtotal", pcRecon, "Subtotal", "partnercenter-recon-csv (Microsoft Partner Center new-commerce invoice reconciliation, CSV), which needs the column Subtotal;"},
		{"daily usage without BillingPreTaxTotal", pcUsage, "BillingPreTaxTotal", "partnercenter-usage-csv (Microsoft Partner Center new-commerce daily rated usage, CSV), which needs the column BillingPreTaxTotal;"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			header, rest, _ := strings.Cut(tc.file, "\n")
			cols := strings.Split(header, ",")
			for i := range cols {
				if cols[i] == tc.drop {
					cols[i] = "Other"
				}
			}
			dst := newMemDest()
			_, err := importFile(t, write(t, "x.csv", []byte(strings.Join(cols, ",")+"\n"+rest)), dst)
			if err == nil || !strings.Contains(err.Error(), "unknown file format: the closest Rebill reads is "+tc.want) || len(dst.committed) != 0 {
				t.Fatalf("got %v", err)
			}
		})
	}
}

// fuzzReader fuzzes one reader from its seed, the seed with CRLF line
// ends and the seed with a byte order mark: what every import promises
// (checkImport) holds for any bytes.
func fuzzReader(f *testing.F, name, seed string) {
	f.Add([]byte(seed))
	f.Add([]byte(strings.ReplaceAll(seed, "\n", "\r\n")))
	f.Add([]byte("\ufeff" + seed))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkImport(t, name, data)
	})
}

func FuzzAzure(f *testing.F) {
	fuzzReader(f, "azure.csv", azureEA)
}
func FuzzAzureUsage(f *testing.F)       { fuzzReader(f, "usage.csv", azurePAYG) }
func FuzzGCP(f *testing.F)              { fuzzReader(f, "gcp.csv", gcpExport) }
func FuzzOCI(f *testing.F)              { fuzzReader(f, "oci.csv", ociReport) }
func FuzzPartnerCenter(f *testing.F)    { fuzzReader(f, "recon.csv", pcRecon) }
func FuzzPartnerCenterDRU(f *testing.F) { fuzzReader(f, "usage.csv", pcUsage) }
