package billing_test

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/lineitem"
	"rebill/engine/read"
	"rebill/engine/read/gcp"
	"rebill/engine/read/oci"
)

// Golden statements of a Google Cloud month and an Oracle Cloud month,
// read by their readers from small synthetic files written here (no
// public file has a reseller's customers in it), billed as a customer's
// statement, every expected figure computed by hand in the comments.

// monthOf reads a CSV through a reader's mapper into a month whose
// accounts belong to the owners given.
func monthOf(t *testing.T, period, file string, newMapper func([]string) (read.Mapper, error), owners map[string]string) *billing.Month {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(file)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	m, err := newMapper(rows[0])
	if err != nil {
		t.Fatal(err)
	}
	month, err := billing.NewMonth(billing.Config{Period: period, Owners: owners})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows[1:] {
		fields := make([][]byte, len(r))
		for j, v := range r {
			fields[j] = []byte(v)
		}
		var it lineitem.Item
		if err := m.Map(fields, &it); err != nil {
			t.Fatalf("line %d: %v", i+2, err)
		}
		if err := month.Add(&it); err != nil {
			t.Fatalf("line %d: %v", i+2, err)
		}
	}
	if err := m.Done(); err != nil {
		t.Fatal(err)
	}
	return month
}

// services are a statement's lines by service, printed amounts.
func services(st *billing.Statement) map[string]string {
	out := map[string]string{}
	for _, s := range st.Sections {
		for _, l := range s.Lines {
			out[l.Service] = l.Amount.String()
		}
	}
	return out
}

// goldenFigures are the printed figures after the lines.
type goldenFigures struct{ subtotal, marketplace, tax, total string }

func checkGolden(t *testing.T, st *billing.Statement, lines map[string]string, want goldenFigures) {
	t.Helper()
	got := services(st)
	if len(got) != len(lines) {
		t.Errorf("lines %v, want %v", got, lines)
	}
	for s, a := range lines {
		if got[s] != a {
			t.Errorf("%s = %q, want %s", s, got[s], a)
		}
	}
	for _, f := range []struct{ name, got, want string }{
		{"subtotal", st.Subtotal.String(), want.subtotal}, {"marketplace", st.Marketplace.String(), want.marketplace},
		{"tax", st.Tax.String(), want.tax}, {"total", st.Total.String(), want.total},
	} {
		if f.got != f.want {
			t.Errorf("%s %s, want %s", f.name, f.got, f.want)
		}
	}
}

// gcpFile is a Google Cloud billing export of March 2026 for billing
// account 01A2B3-C4D5E6-F7A8B9: ACME's project acme-prod, and
// other-proj, which no customer owns. The credits cells are Python
// literals, as BigQuery's CSV writes them.
const gcpFile = `billing_account_id,service.description,sku.description,project.id,usage_start_time,cost,currency,usage.amount_in_pricing_units,credits,invoice.month,cost_type,seller_name
01A2B3-C4D5E6-F7A8B9,Compute Engine,N2 Instance Core,acme-prod,2026-03-02T00:00:00Z,100.004,USD,720,"[{'name': 'Sustained use discount', 'amount': -10.0, 'full_name': None, 'id': 'SUD', 'type': 'SUSTAINED_USAGE_DISCOUNT'}, {'name': 'Reseller margin', 'amount': -4.0, 'full_name': None, 'id': 'RM', 'type': 'RESELLER_MARGIN'}]",202603,regular,Google
01A2B3-C4D5E6-F7A8B9,Cloud Storage,Standard Storage,acme-prod,2026-03-02T00:00:00Z,20.006,USD,1000,"[{'name': 'Free tier', 'amount': -0.5, 'full_name': None, 'id': 'FT', 'type': 'FREE_TIER'}]",202603,regular,Google
01A2B3-C4D5E6-F7A8B9,Cloud Storage,Standard Storage,acme-prod,2026-03-03T00:00:00Z,0.004,USD,1,[],202603,regular,Google
01A2B3-C4D5E6-F7A8B9,Firewall Pro,Subscription,acme-prod,2026-03-01T00:00:00Z,5,USD,1,[],202603,regular,Fabrikam Ltd
01A2B3-C4D5E6-F7A8B9,Compute Engine,N2 Instance Core,other-proj,2026-03-02T00:00:00Z,7,USD,50,[],202603,regular,Google
`

// TestGoldenGCPStatement: ACME's Google Cloud statement for March 2026.
func TestGoldenGCPStatement(t *testing.T) {
	month := monthOf(t, "2026-03", gcpFile, func(h []string) (read.Mapper, error) { return gcp.NewMapper(h) }, map[string]string{"acme-prod": "ACME"})
	acme := customer.Customer{ID: "ACME", Name: "Acme Corp", Currency: "USD",
		TaxRates: []customer.TaxRate{{Name: "VAT 20%", Percent: decimal.NewFromInt(20)}}}
	for _, tc := range []struct {
		name  string
		opt   billing.Options
		lines map[string]string
		want  goldenFigures
	}{
		{
			// Compute Engine: the invoice asks 100.004 - 10.0 - 4.0 =
			// 86.004; the reseller margin 4.0 is the reseller's, charged
			// back: 90.004, printed 90.00. Cloud Storage: 20.006 - 0.5 +
			// 0.004 = 19.51. The Marketplace product (seller Fabrikam)
			// is left out; other-proj is no customer's.
			name: "credits in the cost, the reseller margin kept", opt: billing.Options{Provider: lineitem.GCP},
			lines: map[string]string{"Compute Engine": "90.00", "Cloud Storage": "19.51"},
			// 90.00 + 19.51 = 109.51
			want: goldenFigures{subtotal: "109.51", marketplace: "0.00", tax: "0.00", total: "109.51"},
		},
		{
			// Compute Engine 86.004, printed 86.00; 86.00 + 19.51 =
			// 105.51. Tax 20% of 105.51 = 21.102, printed 21.10; total
			// 105.51 + 21.10 = 126.61.
			name: "the reseller margin passed on, with tax", opt: billing.Options{Provider: lineitem.GCP, PassPartnerCredit: true, Tax: true},
			lines: map[string]string{"Compute Engine": "86.00", "Cloud Storage": "19.51"},
			want:  goldenFigures{subtotal: "105.51", marketplace: "0.00", tax: "21.10", total: "126.61"},
		},
		{
			// Marketplace passes through, untaxed: 109.51 + 5.00 =
			// 114.51; tax 20% of 109.51 = 21.902, printed 21.90; total
			// 114.51 + 21.90 = 136.41.
			name: "Google Cloud Marketplace included, outside the tax", opt: billing.Options{Provider: lineitem.GCP, Marketplace: true, Tax: true},
			lines: map[string]string{"Compute Engine": "90.00", "Cloud Storage": "19.51", "Firewall Pro": "5.00"},
			want:  goldenFigures{subtotal: "114.51", marketplace: "5.00", tax: "21.90", total: "136.41"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, err := month.Statement(acme, billing.Ledger{}, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, st, tc.lines, tc.want)
		})
	}
}

// ociFile is an OCI cost report of tenancy ocid1.tenancy.oc1..acme for
// April 2026: compartments ocid1.compartment.oc1..web (ACME) and
// ocid1.compartment.oc1..lab (BETA). The third line corrects the first.
const ociFile = `lineItem/referenceNo,lineItem/tenantId,lineItem/intervalUsageStart,lineItem/intervalUsageEnd,product/service,product/compartmentId,product/region,product/resourceId,usage/billedQuantity,cost/productSku,product/Description,cost/unitPrice,cost/myCost,cost/currencyCode,lineItem/isCorrection,tags/Oracle-Tags.CreatedBy
r1,ocid1.tenancy.oc1..acme,2026-04-01T00:00Z,2026-04-01T01:00Z,COMPUTE,ocid1.compartment.oc1..web,eu-frankfurt-1,ocid1.instance.a,1,B93113,Standard E4 OCPU,12.3456,12.3456,EUR,false,alice
r2,ocid1.tenancy.oc1..acme,2026-04-02T00:00Z,2026-04-02T01:00Z,BLOCK_STORAGE,ocid1.compartment.oc1..web,eu-frankfurt-1,ocid1.volume.a,100,B91961,Block Volume Storage,0.033333,3.3333,EUR,false,alice
r3,ocid1.tenancy.oc1..acme,2026-04-01T00:00Z,2026-04-01T01:00Z,COMPUTE,ocid1.compartment.oc1..web,eu-frankfurt-1,ocid1.instance.a,-1,B93113,Standard E4 OCPU,0.3456,-0.3456,EUR,true,alice
r4,ocid1.tenancy.oc1..acme,2026-04-03T00:00Z,2026-04-03T01:00Z,BLOCK_STORAGE,ocid1.compartment.oc1..web,eu-frankfurt-1,ocid1.volume.b,30,B91961,Block Volume Storage,0.037037,1.1111,EUR,false,
r5,ocid1.tenancy.oc1..acme,2026-04-03T00:00Z,2026-04-03T01:00Z,COMPUTE,ocid1.compartment.oc1..lab,eu-frankfurt-1,ocid1.instance.b,1,B93113,Standard E4 OCPU,2.5,2.5,EUR,false,
`

// TestGoldenOCIStatement: ACME's and BETA's Oracle Cloud statements for
// April 2026.
func TestGoldenOCIStatement(t *testing.T) {
	month := monthOf(t, "2026-04", ociFile, func(h []string) (read.Mapper, error) { return oci.NewMapper(h) },
		map[string]string{"ocid1.compartment.oc1..web": "ACME", "ocid1.compartment.oc1..lab": "BETA"})
	acme := customer.Customer{ID: "ACME", Name: "Acme GmbH", Currency: "EUR", Adjustment: decimal.NewFromInt(-3),
		TaxRates: []customer.TaxRate{{Name: "MwSt 19%", Percent: decimal.NewFromInt(19)}}}
	beta := customer.Customer{ID: "BETA", Name: "Beta AG", Currency: "EUR"}
	for _, tc := range []struct {
		name  string
		cust  customer.Customer
		opt   billing.Options
		lines map[string]string
		want  goldenFigures
	}{
		{
			// COMPUTE 12.3456 - 0.3456 (the correction) = 12.0000,
			// printed 12.00; BLOCK_STORAGE 3.3333 + 1.1111 = 4.4444,
			// printed 4.44; subtotal 16.44. Discount 3% of 16.44 =
			// -0.4932, printed -0.49. Tax 19% of 16.44 - 0.49 = 15.95:
			// 3.0305, printed 3.03. Total 16.44 - 0.49 + 3.03 = 18.98.
			name: "ACME: a correction netted, a discount, tax", cust: acme, opt: billing.Options{Provider: lineitem.OCI, Tax: true},
			lines: map[string]string{"COMPUTE": "12.00", "BLOCK_STORAGE": "4.44"},
			want:  goldenFigures{subtotal: "16.44", marketplace: "0.00", tax: "3.03", total: "18.98"},
		},
		{
			// BETA's compartment alone: COMPUTE 2.50.
			name: "BETA: its own compartment only", cust: beta, opt: billing.Options{Provider: lineitem.OCI},
			lines: map[string]string{"COMPUTE": "2.50"},
			want:  goldenFigures{subtotal: "2.50", marketplace: "0.00", tax: "0.00", total: "2.50"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, err := month.Statement(tc.cust, billing.Ledger{}, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, st, tc.lines, tc.want)
		})
	}
}
