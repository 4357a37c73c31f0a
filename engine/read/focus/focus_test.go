package focus

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/lineitem"
	"rebill/engine/read"
)

// header10 is FOCUS 1.0's header as the FinOps Foundation's sample writes
// it (alphabetical), less the columns Rebill does not read.
var header10 = []string{"BilledCost", "BillingAccountId", "BillingCurrency", "BillingPeriodEnd", "BillingPeriodStart",
	"ChargeCategory", "ChargeDescription", "ChargePeriodStart", "CommitmentDiscountId", "CommitmentDiscountStatus",
	"ConsumedQuantity", "ContractedUnitPrice", "InvoiceIssuerName", "ListCost", "ProviderName", "PublisherName",
	"RegionId", "ResourceId", "ServiceName", "SubAccountId", "Tags"}

// header13 is a FOCUS 1.3 header: the entity columns that replace
// ProviderName and PublisherName, and 1.2's InvoiceId.
var header13 = []string{"BilledCost", "BillingAccountId", "BillingCurrency", "BillingPeriodEnd", "BillingPeriodStart",
	"ChargeCategory", "ChargePeriodStart", "InvoiceId", "InvoiceIssuerName", "ServiceProviderName", "HostProviderName",
	"ListCost", "ServiceName", "SubAccountId"}

// row is a row of header h: the values named, NULL for the others.
func row(h []string, kv ...string) [][]byte {
	v := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		v[kv[i]] = kv[i+1]
	}
	fields := make([][]byte, len(h))
	for i, c := range h {
		s, ok := v[c]
		if !ok {
			s = "NULL"
		}
		fields[i] = []byte(s)
	}
	return fields
}

// aws10 is an AWS usage row of FOCUS 1.0, changed by kv.
func aws10(kv ...string) [][]byte {
	base := []string{"BilledCost", "0.00001605990", "BillingAccountId", "836060457634", "BillingCurrency", "USD",
		"BillingPeriodEnd", "2024-10-01 00:00:00", "BillingPeriodStart", "2024-09-01 00:00:00", "ChargeCategory", "Usage",
		"ChargeDescription", "$0.008 per used Application load balancer capacity unit-hour (or partial hour)",
		"ChargePeriodStart", "2024-09-30 22:00:00", "ConsumedQuantity", "0.002007490000000", "ContractedUnitPrice", "0.008",
		"InvoiceIssuerName", "Amazon Web Services, Inc.", "ListCost", "0.00001605990", "ProviderName", "AWS",
		"PublisherName", "Amazon Web Services, Inc.", "RegionId", "us-west-2", "ResourceId", "arn:aws:elasticloadbalancing:us-west-2:011254002932:loadbalancer/app/x",
		"ServiceName", "Elastic Load Balancing", "SubAccountId", "011254002932",
		"Tags", `{"application": "BrightLensMatrix", "environment": "dev", "business_unit": "ViennaAI"}`}
	return row(header10, append(base, kv...)...)
}

func mapRow(t *testing.T, h []string, fields [][]byte) (lineitem.Item, error) {
	t.Helper()
	m, err := NewMapper(h)
	if err != nil {
		t.Fatal(err)
	}
	var it lineitem.Item
	err = m.Map(fields, &it)
	return it, err
}

func TestMapAWSUsage(t *testing.T) {
	it, err := mapRow(t, header10, aws10())
	if err != nil {
		t.Fatal(err)
	}
	want := lineitem.Item{Provider: lineitem.AWS, BillingPeriod: "2024-09", PayerAccount: "836060457634", UsageAccount: "011254002932",
		Type: "Usage", BillingEntity: "AWS", LegalEntity: "Amazon Web Services, Inc.", ProductCode: "AWSELB",
		ProductName: "Elastic Load Balancing", Region: "us-west-2", ResourceID: "arn:aws:elasticloadbalancing:us-west-2:011254002932:loadbalancer/app/x",
		Currency: "USD", Description: "$0.008 per used Application load balancer capacity unit-hour (or partial hour)"}
	if !sameText(it, want) || !it.UsageStart.Equal(time.Date(2024, 9, 30, 22, 0, 0, 0, time.UTC)) {
		t.Fatalf("got  %+v\nwant %+v", it, want)
	}
	for _, a := range []struct {
		name      string
		got, want string
	}{
		{"usage", it.UsageAmount.String(), "0.00200749"},
		{"rate", it.UnblendedRate.String(), "0.008"},
		{"cost", it.UnblendedCost.String(), "0.0000160599"},
		{"blended cost", it.BlendedCost.String(), "0.0000160599"},
		{"list cost", it.PublicOnDemandCost.String(), "0.0000160599"},
	} {
		if a.got != a.want {
			t.Errorf("%s %s, want %s", a.name, a.got, a.want)
		}
	}
	wantTags := []lineitem.Tag{{Key: "application", Value: "BrightLensMatrix"}, {Key: "business_unit", Value: "ViennaAI"}, {Key: "environment", Value: "dev"}}
	if len(it.Tags) != 3 || it.Tags[0] != wantTags[0] || it.Tags[1] != wantTags[1] || it.Tags[2] != wantTags[2] {
		t.Errorf("tags %v, want %v", it.Tags, wantTags)
	}
	if inv := lineitem.Validate(&it); inv != nil {
		t.Errorf("invalid: %v", inv)
	}
}

// sameText compares the text fields of two items.
func sameText(a, b lineitem.Item) bool {
	return a.Provider == b.Provider && a.BillingPeriod == b.BillingPeriod && a.PayerAccount == b.PayerAccount &&
		a.UsageAccount == b.UsageAccount && a.Type == b.Type && a.BillingEntity == b.BillingEntity && a.LegalEntity == b.LegalEntity &&
		a.ProductCode == b.ProductCode && a.ProductName == b.ProductName && a.Region == b.Region && a.ResourceID == b.ResourceID &&
		a.ReservationARN == b.ReservationARN && a.Currency == b.Currency && a.InvoiceID == b.InvoiceID && a.Description == b.Description
}

func TestMapRows(t *testing.T) {
	const sp = "arn:aws:savingsplans::305417826390:savingsplan/37985e61-4fcb-4023-9dd7-e524c80342a2"
	cases := []struct {
		name   string
		h      []string
		fields [][]byte
		check  func(it *lineitem.Item) bool
	}{
		{"usage a commitment covered is discounted usage at its list cost", header10,
			aws10("BilledCost", "0", "ListCost", "0.0464", "CommitmentDiscountId", sp, "CommitmentDiscountStatus", "Used"),
			func(it *lineitem.Item) bool {
				return it.Type == lineitem.DiscountedUsage && it.ReservationARN == sp && it.UnblendedCost.IsZero() &&
					it.PublicOnDemandCost.Equal(decimal.RequireFromString("0.0464"))
			}},
		{"a commitment's unused part is the buyer's charge", header10,
			aws10("CommitmentDiscountId", sp, "CommitmentDiscountStatus", "Unused"),
			func(it *lineitem.Item) bool { return it.Type == "Usage" && it.ReservationARN == "" }},
		{"the purchase of a commitment", header10, aws10("ChargeCategory", "Purchase", "CommitmentDiscountId", sp),
			func(it *lineitem.Item) bool { return it.Type == "Purchase" && it.ReservationARN == "" }},
		{"a Marketplace seller", header10, aws10("PublisherName", "Red Hat Inc."),
			func(it *lineitem.Item) bool {
				return it.BillingEntity == lineitem.MarketplaceEntity && it.LegalEntity == "Red Hat Inc."
			}},
		{"another Amazon company is AWS", header10, aws10("PublisherName", "Amazon Web Services Canada, Inc."),
			func(it *lineitem.Item) bool { return it.BillingEntity == "AWS" }},
		{"a credit", header10, aws10("ChargeCategory", "Credit", "BilledCost", "-2.6137"),
			func(it *lineitem.Item) bool {
				return it.Type == lineitem.Credit && it.UnblendedCost.Equal(decimal.RequireFromString("-2.6137"))
			}},
		{"NULL everywhere it may be", header10, aws10("Tags", "NULL", "ConsumedQuantity", "NULL", "RegionId", "NULL", "ChargePeriodStart", "NULL"),
			func(it *lineitem.Item) bool {
				return len(it.Tags) == 0 && it.UsageAmount.IsZero() && it.Region == "" && it.UsageStart.IsZero()
			}},
		{"no sub account", header10, aws10("SubAccountId", "NULL"),
			func(it *lineitem.Item) bool { return it.UsageAccount == "" }},
		{"Azure ids as its other files write them", header10,
			aws10("ProviderName", "Microsoft", "PublisherName", "Microsoft", "InvoiceIssuerName", "Microsoft",
				"BillingAccountId", "/providers/Microsoft.Billing/billingAccounts/8611537",
				"SubAccountId", "/subscriptions/64e355d7-997c-491d-b0c1-8414dccfcf42"),
			func(it *lineitem.Item) bool {
				return it.Provider == lineitem.Azure && it.PayerAccount == "8611537" &&
					it.UsageAccount == "64e355d7-997c-491d-b0c1-8414dccfcf42" && it.BillingEntity == ""
			}},
		{"an Azure Marketplace publisher", header10,
			aws10("ProviderName", "Microsoft", "PublisherName", "Contoso Software", "InvoiceIssuerName", "Microsoft",
				"BillingAccountId", "8611537", "SubAccountId", "64e355d7-997c-491d-b0c1-8414dccfcf42"),
			func(it *lineitem.Item) bool {
				return it.Provider == lineitem.Azure && it.BillingEntity == lineitem.AzureMarketplaceEntity && it.LegalEntity == "Contoso Software"
			}},
		{"Oracle", header10, aws10("ProviderName", "Oracle", "PublisherName", "Oracle", "InvoiceIssuerName", "Oracle",
			"BillingAccountId", "20209880", "SubAccountId", "ocid1.tenancy.oc1..aaaa"),
			func(it *lineitem.Item) bool {
				return it.Provider == lineitem.OCI && it.PayerAccount == "20209880" && it.UsageAccount == "ocid1.tenancy.oc1..aaaa"
			}},
		{"tags that are not strings", header10, aws10("Tags", `{"n": 3, "b": true, "x": null, " org": "trey"}`),
			func(it *lineitem.Item) bool {
				return len(it.Tags) == 3 && it.Tags[0] == lineitem.Tag{Key: " org", Value: "trey"} &&
					it.Tags[1] == lineitem.Tag{Key: "b", Value: "true"} && it.Tags[2] == lineitem.Tag{Key: "n", Value: "3"}
			}},
		{"1.3 with its invoice", header13, row(header13, "BilledCost", "10", "BillingAccountId", "836060457634", "BillingCurrency", "EUR",
			"BillingPeriodStart", "2025-03-01T00:00:00Z", "BillingPeriodEnd", "2025-04-01T00:00:00Z", "ChargeCategory", "Usage",
			"InvoiceId", "EUINFR25-123456", "InvoiceIssuerName", "Amazon Web Services EMEA SARL", "ServiceProviderName", "AWS",
			"HostProviderName", "AWS", "SubAccountId", "011254002932"),
			func(it *lineitem.Item) bool {
				return it.Provider == lineitem.AWS && it.InvoiceID == "EUINFR25-123456" && it.BillingPeriod == "2025-03" &&
					it.BillingEntity == "AWS" && it.LegalEntity == "AWS" && it.Currency == "EUR"
			}},
		{"1.3 Marketplace: the seller is the service provider, the cloud issues the invoice", header13,
			row(header13, "BilledCost", "10", "BillingAccountId", "836060457634", "BillingCurrency", "USD",
				"BillingPeriodStart", "2025-03-01T00:00:00Z", "ChargeCategory", "Usage", "InvoiceIssuerName", "AWS",
				"ServiceProviderName", "Red Hat", "HostProviderName", "AWS", "SubAccountId", "011254002932"),
			func(it *lineitem.Item) bool {
				return it.Provider == lineitem.AWS && it.BillingEntity == lineitem.MarketplaceEntity && it.LegalEntity == "Red Hat" &&
					it.InvoiceID == ""
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			it, err := mapRow(t, tc.h, tc.fields)
			if err != nil || !tc.check(&it) {
				t.Fatalf("%v, item %+v", err, it)
			}
		})
	}
}

func TestMapRefusals(t *testing.T) {
	cases := []struct {
		name   string
		h      []string
		fields [][]byte
		want   string
	}{
		{"a cloud Rebill does not read", header10, aws10("ProviderName", "Google Cloud", "PublisherName", "Google", "InvoiceIssuerName", "Google"),
			`column ProviderName: "Google Cloud" is not a cloud Rebill reads: AWS, Microsoft (Azure) or Oracle (OCI)`},
		{"1.3 names no cloud Rebill reads", header13, row(header13, "BillingPeriodStart", "2025-03-01", "ServiceProviderName", "Snowflake"),
			`column ServiceProviderName: "Snowflake" is not a cloud Rebill reads`},
		{"tags that are no JSON object", header10, aws10("Tags", `"env": "prod"`),
			`column Tags: "\"env\": \"prod\"" is not a JSON object of tags`},
		{"a period of two months", header10, aws10("BillingPeriodEnd", "2024-11-01 00:00:00"),
			`column BillingPeriodEnd: "2024-11-01 00:00:00" is not one month after the billing period start "2024-09-01 00:00:00"`},
		{"a cost that is no number", header10, aws10("BilledCost", "1,5"), "column BilledCost: "},
		{"a charge period that is no time", header10, aws10("ChargePeriodStart", "yesterday"), `column ChargePeriodStart: "yesterday" is not a timestamp`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mapRow(t, tc.h, tc.fields)
			var fe *read.FieldError
			if !errors.As(err, &fe) || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("got %v, want %s", err, tc.want)
			}
		})
	}
}

// TestTagsOfTheRowBefore: a repeated Tags cell gives the same tags, which
// the next item does not share.
func TestTagsOfTheRowBefore(t *testing.T) {
	m, err := NewMapper(header10)
	if err != nil {
		t.Fatal(err)
	}
	var a, b lineitem.Item
	if err := m.Map(aws10(), &a); err != nil {
		t.Fatal(err)
	}
	if err := m.Map(aws10(), &b); err != nil {
		t.Fatal(err)
	}
	b.Tags[0].Value = "changed"
	if len(a.Tags) != 3 || a.Tags[0].Value != "BrightLensMatrix" {
		t.Fatalf("tags of the first item %v", a.Tags)
	}
}

func TestDetect(t *testing.T) {
	cases := []struct {
		name   string
		header []string
		c      read.Container
		want   string
	}{
		{"1.0 CSV", header10, read.CSV, CSV},
		{"1.3 Parquet", header13, read.Parquet, Parquet},
		{"lower case", strings.Split(strings.ToLower(strings.Join(header10, ",")), ","), read.CSV, CSV},
		{"an Azure cost export", []string{"BillingAccountId", "BillingCurrency", "CostInBillingCurrency", "ChargeType"}, read.CSV, ""},
		{"a CUR", []string{"lineItem/UsageAccountId", "lineItem/UnblendedCost"}, read.CSV, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := detect(tc.header, tc.c)
			if got != tc.want || ok != (tc.want != "") {
				t.Fatalf("detect = %q %v, want %q", got, ok, tc.want)
			}
		})
	}
	name, found, miss := closest([]string{"BillingAccountId", "BillingCurrency", "SubAccountId"}, read.CSV)
	if name != CSV || found != 2 || strings.Join(miss, ", ") != "BilledCost, BillingPeriodStart, ChargeCategory, ProviderName" {
		t.Fatalf("closest = %s %d %v", name, found, miss)
	}
}

func TestHeaderProblems(t *testing.T) {
	cases := []struct {
		name   string
		header []string
		want   string
	}{
		{"the same column twice", append(append([]string{}, header10...), "BilledCost"),
			"columns 1 and 22 are both named BilledCost: keep one of them"},
		{"two spellings of 1.3's service provider", append(append([]string{}, header13...), "ServiceProvider"),
			"columns 10 (ServiceProviderName) and 15 (ServiceProvider) are the same column: keep one of them"},
		{"no provider at all", []string{"BilledCost", "BillingAccountId", "BillingCurrency", "BillingPeriodStart", "ChargeCategory"},
			"required column missing: ProviderName"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewMapper(tc.header)
			if err == nil || err.Error() != tc.want {
				t.Fatalf("got %v, want %s", err, tc.want)
			}
		})
	}
}

func TestColumnNamesTheSourceOfAField(t *testing.T) {
	m, err := NewMapper(header10)
	if err != nil {
		t.Fatal(err)
	}
	fields := aws10("SubAccountId", "NULL")
	var it lineitem.Item
	if err := m.Map(fields, &it); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		field lineitem.Field
		want  string
	}{
		{lineitem.FieldProvider, "ProviderName"},
		{lineitem.FieldPayerAccount, "BillingAccountId"},
		{lineitem.FieldUsageAccount, "BillingAccountId"},
		{lineitem.FieldReservationARN, "CommitmentDiscountId"},
		{lineitem.FieldUnblendedCost, "BilledCost"},
		{lineitem.FieldPublicOnDemandCost, "ListCost"},
		{lineitem.FieldLegalEntity, "PublisherName"},
		{lineitem.FieldTagValue, "Tags"},
		{lineitem.FieldSavingsPlanARN, ""},
	} {
		t.Run(tc.field.String(), func(t *testing.T) {
			if got := m.Column(fields, &it, &lineitem.Invalid{Field: tc.field}); got != tc.want {
				t.Fatalf("Column = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestNeutralFields: FOCUS's own vocabulary fills the line item's
// provider-neutral fields; an AWS commitment's owner is its ARN's account.
func TestNeutralFields(t *testing.T) {
	h := append(append([]string{}, header10...), "ChargeClass", "EffectiveCost", "ContractedCost")
	base := aws10()
	fields := append(append([][]byte{}, base...), []byte("Correction"), []byte("0.0000150"), []byte("0.0000155"))
	fields[index(h)[colCommitmentID]] = []byte("arn:aws:savingsplans::305417826390:savingsplan/37985e61")
	it, err := mapRow(t, h, fields)
	if err != nil {
		t.Fatal(err)
	}
	if it.ChargeCategory != "Usage" || it.ChargeClass != lineitem.ClassCorrection || !it.EffectiveCost.Equal(decimal.RequireFromString("0.000015")) ||
		!it.ContractedCost.Equal(decimal.RequireFromString("0.0000155")) || it.CommitmentOwner != "305417826390" ||
		it.CommitmentDiscountID != "arn:aws:savingsplans::305417826390:savingsplan/37985e61" ||
		it.InvoiceIssuer != "Amazon Web Services, Inc." || it.Publisher != "Amazon Web Services, Inc." {
		t.Fatalf("%+v", it)
	}
}

// TestAWSColumns: AWS's own FOCUS export ("FOCUS with AWS columns")
// names the CUR's product code, usage type and operation, which the
// line item keeps, so that pricing rules and price tables match AWS rows
// of FOCUS as they match the CUR's. Without them the code comes from the
// service's name; another provider's row ignores them.
func TestAWSColumns(t *testing.T) {
	header := append(slices.Clone(header10), "x_ServiceCode", "x_UsageType", "x_Operation")
	row := func(provider, code string) [][]byte {
		fields := aws10("ProviderName", provider)
		return append(fields, []byte(code), []byte("USW2-LCUUsage"), []byte("LoadBalancing:Application"))
	}
	it, err := mapRow(t, header, row("AWS", "AWSELB"))
	if err != nil {
		t.Fatal(err)
	}
	if it.ProductCode != "AWSELB" || it.UsageType != "USW2-LCUUsage" || it.Operation != "LoadBalancing:Application" || it.ProductName != "Elastic Load Balancing" {
		t.Errorf("AWS row: code %q, usage type %q, operation %q, name %q", it.ProductCode, it.UsageType, it.Operation, it.ProductName)
	}
	if it, err = mapRow(t, header, row("AWS", "")); err != nil || it.ProductCode != "AWSELB" {
		t.Errorf("AWS row without x_ServiceCode: code %q, %v; want the name's code AWSELB", it.ProductCode, err)
	}
	if it, err = mapRow(t, header, row("Microsoft", "AWSELB")); err != nil || it.ProductCode != "Elastic Load Balancing" || it.UsageType != "" {
		t.Errorf("another provider's row: code %q, usage type %q, %v", it.ProductCode, it.UsageType, err)
	}
}

// TestAWSAccountsKeepTheirZeros: an AWS account id that lost its leading
// zeros (the FinOps Foundation's sample writes 10961396247) is read as
// the 12 digits AWS writes, payer and sub account alike; a full id, one
// of another shape and another provider's are kept as written.
func TestAWSAccountsKeepTheirZeros(t *testing.T) {
	for _, c := range []struct {
		payer, sub         string
		wantPayer, wantSub string
	}{
		{"836060457634", "10961396247", "836060457634", "010961396247"},
		{"36060457634", "1254002932", "036060457634", "001254002932"},
		{"1234567890123", "011254002932", "1234567890123", "011254002932"},
		{"836060457634", "acct-7", "836060457634", "acct-7"},
	} {
		it, err := mapRow(t, header10, aws10("BillingAccountId", c.payer, "SubAccountId", c.sub))
		if err != nil {
			t.Fatal(err)
		}
		if it.PayerAccount != c.wantPayer || it.UsageAccount != c.wantSub {
			t.Errorf("%s / %s read as %s / %s, want %s / %s", c.payer, c.sub, it.PayerAccount, it.UsageAccount, c.wantPayer, c.wantSub)
		}
	}
	// An Azure subscription of digits is not an AWS account.
	it, err := mapRow(t, header10, aws10("ProviderName", "Microsoft", "PublisherName", "Microsoft", "InvoiceIssuerName", "Microsoft",
		"BillingAccountId", "8611537", "SubAccountId", "12345"))
	if err != nil {
		t.Fatal(err)
	}
	if it.Provider != lineitem.Azure || it.PayerAccount != "8611537" || it.UsageAccount != "12345" {
		t.Errorf("Azure row read as %s %s / %s", it.Provider, it.PayerAccount, it.UsageAccount)
	}
}
