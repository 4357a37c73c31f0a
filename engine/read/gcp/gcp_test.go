package gcp

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/lineitem"
	"rebill/engine/read"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestCredits(t *testing.T) {
	cases := []struct {
		name, cell string
		want       []Credit
		err        string
	}{
		{"none", "[]", nil, ""},
		{"empty", "", nil, ""},
		{"Python literal, as the koku fixture writes it",
			"[{'name': 'FreeTrial:Credit-000000-B0BBA4-940A77', 'amount': -5e-06, 'full_name': None, 'id': 'FreeTrial:Credit-000000-B0BBA4-940A77', 'type': 'PROMOTION'}]",
			[]Credit{{"FreeTrial:Credit-000000-B0BBA4-940A77", "PROMOTION", dec("-0.000005")}}, ""},
		{"two credits, a quote inside a name, True",
			`[{'name': "Partner's margin", 'amount': -0.123456789012345678, 'type': 'RESELLER_MARGIN', 'x': True}, {'name': 'SUD', 'amount': -1.5E+1, 'type': 'SUSTAINED_USAGE_DISCOUNT'}]`,
			[]Credit{{"Partner's margin", "RESELLER_MARGIN", dec("-0.123456789012345678")}, {"SUD", "SUSTAINED_USAGE_DISCOUNT", dec("-15")}}, ""},
		{"JSON", `[{"name": "a \"b\"", "amount": -2, "type": "PROMOTION"}]`, []Credit{{`a "b"`, "PROMOTION", dec("-2")}}, ""},
		{"an unknown word", "[{'amount': Nothing}]", nil, "is not a value"},
		{"an unclosed string", "[{'name: -1}]", nil, "no closing quote"},
		{"not a list", "{'amount': -1}", nil, "is not a list of credits"},
		{"an amount in words", "[{'amount': 'minus one'}]", nil, "is not a list of credits"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Credits([]byte(tc.cell))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got %v, %v", got, err)
				}
				return
			}
			if err != nil || len(got) != len(tc.want) {
				t.Fatalf("got %v, %v", got, err)
			}
			for i := range got {
				if got[i].Name != tc.want[i].Name || got[i].Type != tc.want[i].Type || !got[i].Amount.Equal(tc.want[i].Amount) {
					t.Errorf("credit %d: %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

var header = strings.Split("billing_account_id,service.description,sku.id,sku.description,usage_start_time,project.id,labels,"+
	"location.location,cost,currency,usage.amount_in_pricing_units,credits,invoice.month,cost_type", ",")

func mapRow(t *testing.T, kv map[string]string) (lineitem.Item, error) {
	t.Helper()
	base := map[string]string{"billing_account_id": "000000-B0BBA4-940A77", "service.description": "BigQuery", "sku.id": "D5A4-0C3E-4DA4",
		"sku.description": "Active Storage", "usage_start_time": "2020-11-09 23:00:00+00:00", "project.id": "billing-example-00000",
		"labels": "[{'key': 'goog-resource-type', 'value': 'bigquery_dataset'}]", "location.location": "us", "cost": "1.25",
		"currency": "USD", "usage.amount_in_pricing_units": "2.3198314011096954e-05", "credits": "[]", "invoice.month": "202011", "cost_type": "regular"}
	for k, v := range kv {
		base[k] = v
	}
	m, err := NewMapper(header)
	if err != nil {
		t.Fatal(err)
	}
	fields := make([][]byte, len(header))
	for i, h := range header {
		fields[i] = []byte(base[h])
	}
	var it lineitem.Item
	err = m.Map(fields, &it)
	return it, err
}

// TestCostPlusCredits: the line's cost is the cost plus its credits (what
// Google's invoice asks), its list and contracted cost the cost before
// them, and a reseller margin is kept as the partner's credit.
func TestCostPlusCredits(t *testing.T) {
	cases := []struct {
		name, credits          string
		billed, partnerCredits string
	}{
		{"no credits", "[]", "1.25", "0"},
		// 1.25 - 0.25 = 1.00
		{"a promotion", "[{'name': 'FreeTrial', 'amount': -0.25, 'type': 'PROMOTION'}]", "1", "0"},
		// 1.25 - 0.1 - 0.0125 = 1.1375; the margin 0.0125 is the partner's.
		{"a discount and a reseller margin", "[{'name': 'SUD', 'amount': -0.1, 'type': 'SUSTAINED_USAGE_DISCOUNT'}, {'name': 'Margin', 'amount': -0.0125, 'type': 'RESELLER_MARGIN'}]", "1.1375", "0.0125"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			it, err := mapRow(t, map[string]string{"credits": tc.credits})
			if err != nil {
				t.Fatal(err)
			}
			if !it.UnblendedCost.Equal(dec(tc.billed)) || !it.EffectiveCost.Equal(dec(tc.billed)) || !it.PartnerCredit.Equal(dec(tc.partnerCredits)) ||
				!it.PublicOnDemandCost.Equal(dec("1.25")) || !it.ContractedCost.Equal(dec("1.25")) {
				t.Fatalf("billed %s effective %s partner %s list %s", it.UnblendedCost, it.EffectiveCost, it.PartnerCredit, it.PublicOnDemandCost)
			}
		})
	}
}

func TestMapRow(t *testing.T) {
	it, err := mapRow(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if it.Provider != lineitem.GCP || it.PayerAccount != "000000-B0BBA4-940A77" || it.UsageAccount != "billing-example-00000" ||
		it.BillingPeriod != "2020-11" || it.ProductCode != "BigQuery" || it.UsageType != "Active Storage" || it.Region != "us" ||
		it.Type != lineitem.Usage || it.ChargeCategory != lineitem.CategoryUsage || it.BillingEntity != "GCP" ||
		len(it.Tags) != 1 || it.Tags[0] != (lineitem.Tag{Key: "goog-resource-type", Value: "bigquery_dataset"}) ||
		!it.UsageAmount.Equal(dec("0.000023198314011096954")) {
		t.Fatalf("%+v", it)
	}
	if inv := lineitem.Validate(&it); inv != nil {
		t.Fatal(inv)
	}
	tax, err := mapRow(t, map[string]string{"cost_type": "tax", "project.id": ""})
	if err != nil || tax.Type != lineitem.Tax || tax.ChargeCategory != lineitem.CategoryTax || tax.UsageAccount != "" {
		t.Fatalf("tax: %+v %v", tax, err)
	}
}

func TestRefusals(t *testing.T) {
	cases := []struct{ name, column, value, want string }{
		{"invoice month with a dash", "invoice.month", "2020-11", "not an invoice month (YYYYMM)"},
		{"invoice month 13", "invoice.month", "202013", "not an invoice month"},
		{"credits cut short", "credits", "[{'amount': -1", "not a list of credits"},
		{"labels that are no list", "labels", "goog=1", "not a list of labels"},
		// JSON would have read the bad byte as U+FFFD, changing the label.
		{"a label that is not UTF-8", "labels", "[{'key': 'team', 'value': 'w\xffb'}]", "not a list of labels: not valid UTF-8 text"},
		{"cost in words", "cost", "free", "not a number"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mapRow(t, map[string]string{tc.column: tc.value})
			var fe *read.FieldError
			if !errors.As(err, &fe) || fe.Column != tc.column || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v", err)
			}
		})
	}
}
