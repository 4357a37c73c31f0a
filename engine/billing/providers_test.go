package billing

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
	"rebill/engine/lineitem"
)

func TestBilled(t *testing.T) {
	for p, want := range map[lineitem.Provider]bool{lineitem.AWS: true, lineitem.Azure: true, lineitem.OCI: true,
		lineitem.GCP: true, "alibaba": false, "": false} {
		if got := Billed(p); got != want {
			t.Errorf("Billed(%q) = %v", p, got)
		}
	}
}

// Azure subscriptions of the tests: ACME's subA bought the reservation
// resA; BETA's subB uses it.
const (
	subA = "64e355d7-997c-491d-b0c1-8414dccfcf42"
	subB = "ed570627-0265-4620-bb42-bae06bcfa914"
	resA = "/providers/Microsoft.Capacity/reservationOrders/0f1e/reservations/9a8b"
)

// az is an Azure line item, built directly as a cost details or FOCUS
// reader gives it: ChargeCategory and Type alike, UnblendedCost the
// billed cost, PublicOnDemandCost the pay-as-you-go cost.
type az struct {
	sub, category, service, cost, list string
	commitment, owner                  string
	entity, publisher                  string
	partnerCredit                      string
}

func (a az) item() lineitem.Item {
	d := func(s string) decimal.Decimal {
		if s == "" {
			return decimal.Zero
		}
		return decimal.RequireFromString(s)
	}
	cat := a.category
	if cat == "" {
		cat = lineitem.CategoryUsage
	}
	return lineitem.Item{Provider: lineitem.Azure, BillingPeriod: period, PayerAccount: "8611537", UsageAccount: a.sub,
		Type: cat, ChargeCategory: cat, BillingEntity: a.entity, LegalEntity: a.publisher, Publisher: a.publisher,
		ProductCode: a.service, ProductName: a.service, Currency: "USD",
		UnblendedCost: d(a.cost), BlendedCost: d(a.cost), PublicOnDemandCost: d(a.list),
		CommitmentDiscountID: a.commitment, CommitmentOwner: a.owner, PartnerCredit: d(a.partnerCredit)}
}

// azureMonth is a month of AWS and Azure line items: ACME owns the AWS
// account acctA and the subscription subA, BETA the subscription subB.
var azureMonth = []lineitem.Item{
	li{acct: acctA, code: "AmazonEC2", cost: "7"}.item(),
	az{sub: subA, service: "Virtual Machines", cost: "10.004", list: "12"}.item(),
	az{sub: subA, service: "Storage Accounts", cost: "2.504", list: "2.504"}.item(),
	// ACME's reservation: bought by subA, used by subA (kept) and by
	// BETA's subB (re-rated to pay-as-you-go).
	az{sub: subA, category: lineitem.CategoryPurchase, service: "Virtual Machines", cost: "20", commitment: resA, owner: subA}.item(),
	az{sub: subA, service: "Virtual Machines", cost: "0", list: "4", commitment: resA, owner: subA}.item(),
	az{sub: subB, service: "Virtual Machines", cost: "0", list: "3", commitment: resA, owner: subA}.item(),
	// Partner earned credit: 15% of 10 taken off by Microsoft.
	az{sub: subA, service: "SQL Database", cost: "8.5", list: "10", partnerCredit: "1.5"}.item(),
	az{sub: subA, service: "Fabrikam Firewall", cost: "5", entity: lineitem.AzureMarketplaceEntity, publisher: "Fabrikam"}.item(),
}

func azureTestMonth(t *testing.T) *Month {
	t.Helper()
	m, err := NewMonth(Config{Period: period, Owners: map[string]string{acctA: "ACME", subA: "ACME", subB: "BETA"}})
	if err != nil {
		t.Fatal(err)
	}
	var it lineitem.Item
	for _, x := range azureMonth {
		it = x
		if err := m.Add(&it); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

// TestAzureStatements: the expectations are computed by hand from
// azureMonth, under the re-rated basis (the default).
func TestAzureStatements(t *testing.T) {
	acmeSupport := withCust(acme, func(c *customer.Customer) {
		c.Support = customer.SupportBusiness
		c.Recurring = []customer.RecurringCharge{{Description: "Managed service", Amount: dec("50"), From: "2026-01"}}
	})
	beta := customer.Customer{ID: "BETA", Name: "Beta Ltd", Currency: "USD"}
	for _, tc := range []struct {
		name  string
		cust  customer.Customer
		opt   Options
		lines map[string]string
		want  figures
	}{
		{
			name: "ACME's Azure statement: its own sections, the reservation it bought, no support plan, no recurring charge",
			cust: acmeSupport, opt: Options{Provider: lineitem.Azure},
			lines: map[string]string{
				"Compute/Virtual Machines":                      "10.00", // 10.004 + 0 (its own reservation's use, kept)
				"Storage/Storage Accounts":                      "2.50",  // 2.504
				"Reservations & Savings Plans/Virtual Machines": "20.00",
				"Database/SQL Database":                         "10.00", // 8.5 + 1.5 partner earned credit kept as margin
			},
			// 10.00 + 2.50 + 20.00 + 10.00; Marketplace left out
			want: figures{subtotal: "42.50", total: "42.50"},
		},
		{
			name: "Azure Marketplace passes through like AWS Marketplace",
			cust: acmeSupport, opt: Options{Provider: lineitem.Azure, Marketplace: true},
			lines: map[string]string{
				"Compute/Virtual Machines":                      "10.00",
				"Storage/Storage Accounts":                      "2.50",
				"Reservations & Savings Plans/Virtual Machines": "20.00",
				"Database/SQL Database":                         "10.00",
				"Marketplace/Fabrikam Firewall":                 "5.00",
			},
			want: figures{subtotal: "47.50", marketplace: "5.00", total: "47.50"},
		},
		{
			name: "partner earned credit passed on",
			cust: acmeSupport, opt: Options{Provider: lineitem.Azure, PassPartnerCredit: true},
			lines: map[string]string{
				"Compute/Virtual Machines":                      "10.00",
				"Storage/Storage Accounts":                      "2.50",
				"Reservations & Savings Plans/Virtual Machines": "20.00",
				"Database/SQL Database":                         "8.50",
			},
			want: figures{subtotal: "41.00", total: "41.00"},
		},
		{
			name: "ACME's AWS statement: AWS line items only, with the support plan and the recurring charge",
			cust: acmeSupport, opt: Options{},
			lines: map[string]string{
				"Compute/AmazonEC2": "7.00",
				"Recurring and managed services/Managed service": "50.00",
				"Support/AWS Support (Business)":                 "100.00", // max(100, 10% x 7)
			},
			want: figures{subtotal: "157.00", support: "100.00", total: "157.00"},
		},
		{
			name: "BETA used ACME's reservation: billed at pay-as-you-go",
			cust: beta, opt: Options{Provider: lineitem.Azure},
			lines: map[string]string{"Compute/Virtual Machines": "3.00"},
			want:  figures{subtotal: "3.00", total: "3.00"},
		},
		{
			name: "BETA at the unblended cost: what Microsoft billed, nothing",
			cust: withCust(beta, func(c *customer.Customer) { c.Basis = customer.BasisUnblended }), opt: Options{Provider: lineitem.Azure},
			lines: map[string]string{"Compute/Virtual Machines": "0.00"},
			want:  figures{subtotal: "0.00", total: "0.00"},
		},
		{
			name: "global discount and tax work the same on Azure",
			cust: withCust(beta, func(c *customer.Customer) {
				c.Adjustment = dec("-10")
				c.TaxRates = []customer.TaxRate{{Name: "VAT", Percent: dec("20")}}
			}),
			opt:   Options{Provider: lineitem.Azure, Tax: true},
			lines: map[string]string{"Compute/Virtual Machines": "3.00"},
			// discount 10% of 3.00 = -0.30; tax 20% of 2.70 = 0.54; 3.00 - 0.30 + 0.54
			want: figures{subtotal: "3.00", discount: "-0.30", tax: "0.54", total: "3.24"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := azureTestMonth(t)
			st, err := m.Statement(tc.cust, Ledger{}, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			checkAddsUp(t, st)
			if got := lineAmounts(st); !maps.Equal(got, tc.lines) {
				t.Errorf("lines\n got %v\nwant %v", got, tc.lines)
			}
			tc.want.check(t, st)
			// Each line item's charge adds up to the statement's lines.
			ch, err := m.Charger(tc.cust, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			sum := map[string]decimal.Decimal{}
			for _, x := range azureMonth {
				ic, err := ch.Charge(&x)
				if err != nil {
					t.Fatal(err)
				}
				if ic.Included {
					k := string(ic.Section) + "/" + ic.Service
					sum[k] = sum[k].Add(ic.Billed)
				}
			}
			checkItemSums(t, "item charges", st, sum)
		})
	}
}

func TestProvidersOfACustomer(t *testing.T) {
	m := azureTestMonth(t)
	for id, want := range map[string][]lineitem.Provider{
		"ACME": {lineitem.AWS, lineitem.Azure},
		"BETA": {lineitem.Azure},
		"NONE": nil,
	} {
		if got := m.Providers(id); !slices.Equal(got, want) {
			t.Errorf("Providers(%s) = %v, want %v", id, got, want)
		}
	}
	// BETA has Azure only: its recurring charges go on its Azure statement.
	beta := customer.Customer{ID: "BETA", Currency: "USD",
		Recurring: []customer.RecurringCharge{{Description: "Managed service", Amount: dec("50"), From: "2026-01"}}}
	st, err := m.Statement(beta, Ledger{}, Options{Provider: lineitem.Azure})
	if err != nil {
		t.Fatal(err)
	}
	if got := lineAmounts(st)["Recurring and managed services/Managed service"]; got != "50.00" {
		t.Errorf("BETA's recurring charge on its Azure statement: %q", got)
	}
}

func TestOptionsProvider(t *testing.T) {
	for _, tc := range []struct {
		name   string
		opt    Options
		cloud  lineitem.Provider
		stored lineitem.Provider
		err    bool
	}{
		{"empty is AWS", Options{}, lineitem.AWS, "", false},
		{"AWS is stored empty, as before", Options{Provider: lineitem.AWS}, lineitem.AWS, "", false},
		{"Azure", Options{Provider: lineitem.Azure}, lineitem.Azure, lineitem.Azure, false},
		{"unknown", Options{Provider: "alibaba"}, "alibaba", "alibaba", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.opt.Cloud(); got != tc.cloud {
				t.Errorf("Cloud() = %q, want %q", got, tc.cloud)
			}
			if got := tc.opt.Normalize().Provider; got != tc.stored {
				t.Errorf("Normalize().Provider = %q, want %q", got, tc.stored)
			}
			if err := tc.opt.Check(); (err != nil) != tc.err {
				t.Errorf("Check() = %v", err)
			}
		})
	}
}

// withCust is c changed by f.
func withCust(c customer.Customer, f func(*customer.Customer)) customer.Customer {
	f(&c)
	return c
}

// TestCommitmentRules: which lines are covered usage (lineType) and whose
// commitment they use (commitmentOwner), for every provider.
func TestCommitmentRules(t *testing.T) {
	for _, tc := range []struct {
		name      string
		it        lineitem.Item
		typ, owns string
	}{
		{"AWS reservation use: its ARN's account",
			lineitem.Item{Provider: lineitem.AWS, Type: lineitem.DiscountedUsage, ReservationARN: riOfA}, lineitem.DiscountedUsage, acctA},
		{"AWS usage: no commitment", lineitem.Item{Provider: lineitem.AWS, Type: lineitem.Usage}, lineitem.Usage, ""},
		{"Azure usage a reservation covered",
			az{sub: subB, commitment: resA, owner: subA}.item(), lineitem.DiscountedUsage, subA},
		{"Azure covered usage whose buyer the file does not name",
			az{sub: subB, commitment: resA}.item(), lineitem.DiscountedUsage, ""},
		{"Azure reservation purchase: stays a purchase, of its buyer",
			az{sub: subA, category: lineitem.CategoryPurchase, commitment: resA, owner: subA}.item(), lineitem.CategoryPurchase, subA},
		{"Azure usage at pay-as-you-go", az{sub: subA}.item(), lineitem.CategoryUsage, ""},
		{"Oracle usage under a commitment, category only",
			lineitem.Item{Provider: lineitem.OCI, ChargeCategory: lineitem.CategoryUsage, CommitmentDiscountID: "ocid1.commitment", CommitmentOwner: "ocid1.tenancy.a"},
			lineitem.DiscountedUsage, "ocid1.tenancy.a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			typ := lineType(&tc.it)
			if typ != tc.typ {
				t.Errorf("lineType = %q, want %q", typ, tc.typ)
			}
			if got := commitmentOwner(&tc.it, typ); got != tc.owns {
				t.Errorf("commitmentOwner = %q, want %q", got, tc.owns)
			}
		})
	}
}

// TestAzureUnknownBuyerNote: usage a reservation covered, in a file
// without the purchase's row, names no buyer (CommitmentOwner empty): it
// is billed at pay-as-you-go, as AWS usage whose ARN names no account,
// and the statement says so for the accountant to check. By hand: BETA's
// subB used 1.25 at the reservation's price whose pay-as-you-go price is
// 3.40, and 0.75 whose is 1.10: billed 3.40 + 1.10 = 4.50; its own 2.00
// of Storage Accounts is untouched: subtotal 6.50.
func TestAzureUnknownBuyerNote(t *testing.T) {
	m, err := NewMonth(Config{Period: period, Owners: map[string]string{subB: "BETA"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []lineitem.Item{
		az{sub: subB, service: "Virtual Machines", cost: "1.25", list: "3.40", commitment: resA}.item(),
		az{sub: subB, service: "Virtual Machines", cost: "0.75", list: "1.10", commitment: resA}.item(),
		az{sub: subB, service: "Storage Accounts", cost: "2", list: "2"}.item(),
	} {
		it := x
		if err := m.Add(&it); err != nil {
			t.Fatal(err)
		}
	}
	beta := customer.Customer{ID: "BETA", Name: "Beta Ltd", Currency: "USD"}
	for _, tc := range []struct {
		name     string
		basis    customer.CostBasis
		subtotal string
		note     string
	}{
		{"re-rated: pay-as-you-go, and said so", customer.BasisRerated, "6.50",
			"USD 2.00 of usage covered by a reservation or commitment whose buyer the file does not name (" + subB + ") is billed at the pay-as-you-go price, USD 4.50: check who bought it; if this customer did, map the buying account to it"},
		{"unblended: as billed, nothing to note", customer.BasisUnblended, "4.00", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, err := m.Statement(beta, Ledger{}, Options{Provider: lineitem.Azure, Basis: tc.basis})
			if err != nil {
				t.Fatal(err)
			}
			if st.Subtotal.String() != tc.subtotal {
				t.Errorf("subtotal %s, want %s", st.Subtotal, tc.subtotal)
			}
			got := strings.Join(st.Notes, "\n")
			if tc.note == "" && got != "" || tc.note != "" && !slices.Contains(st.Notes, tc.note) {
				t.Errorf("notes:\n%s\nwant:\n%s", got, tc.note)
			}
		})
	}
}

// TestServiceNamesOfRealFiles: the services other providers' real files
// name (an Oracle Cloud cost report of the FOCUS converters, a Google
// Cloud export of koku, the FinOps toolkit's Azure EA export) fall in the
// sections their providers file them under, not in Other.
func TestServiceNamesOfRealFiles(t *testing.T) {
	for name, want := range map[string]ProductType{
		"MYSQL":                    Database,
		"OBJECTSTORE":              Storage,
		"TELEMETRY":                Management,
		"ORACLE_STREAMING_SERVICE": Analytics,
		"COMPUTE":                  Compute,
		"Stackdriver Logging":      Management,
		"Security Command Center":  Security,
		"BigQuery":                 Analytics,
		// Microsoft Defender for SQL and for Key Vault, under the meter
		// categories Azure bills them by.
		"Advanced Data Security":     Security,
		"Advanced Threat Protection": Security,
	} {
		if got := DefaultProductType(name); got != want {
			t.Errorf("%s is in %s, want %s", name, got, want)
		}
	}
}
