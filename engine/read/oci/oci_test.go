package oci

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/lineitem"
	"rebill/engine/read"
)

const (
	tenancy     = "ocid1.tenancy.oc1..aaaaaaaadsyhydp66mjpsohqocfcgzaabtrit47ex2igzu2j6lhuadrrglca"
	compartment = "ocid1.compartment.oc1..aaaaaaaavlr5ogywanxxoltxnufi5jo7k76c4lxo2lenait7o3cdjfdzirfa"
)

var header = strings.Split(`lineItem/referenceNo,lineItem/tenantId,lineItem/intervalUsageStart,product/service,product/compartmentId,`+
	`product/region,product/resourceId,usage/billedQuantity,cost/productSku,product/Description,cost/unitPrice,cost/myCost,cost/currencyCode,`+
	`lineItem/isCorrection,tags/Oracle-Tags.CreatedBy,tags/DevRel\redbull-analytics-hol-4cb4.release`, ",")

func mapRow(t *testing.T, kv map[string]string) (lineitem.Item, error) {
	t.Helper()
	base := map[string]string{"lineItem/referenceNo": "7108a1f8", "lineItem/tenantId": tenancy, "lineItem/intervalUsageStart": "2023-11-13T10:00Z",
		"product/service": "DATABASE", "product/compartmentId": compartment, "product/region": "us-sanjose-1", "product/resourceId": "oci_blockstore",
		"usage/billedQuantity": "0.083333333333000000", "cost/productSku": "B93113", "product/Description": "Streaming - Storage",
		"cost/unitPrice": "0.147171330000000000", "cost/myCost": "6.266090E-12", "cost/currencyCode": "USD", "lineItem/isCorrection": "false",
		"tags/Oracle-Tags.CreatedBy": "default/someone", `tags/DevRel\redbull-analytics-hol-4cb4.release`: ""}
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

func TestMapRow(t *testing.T) {
	it, err := mapRow(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if it.Provider != lineitem.OCI || it.PayerAccount != tenancy || it.UsageAccount != compartment || it.BillingPeriod != "2023-11" ||
		!it.UnblendedCost.Equal(decimal.RequireFromString("0.00000000000626609")) || it.ChargeClass != "" || it.ProductCode != "DATABASE" ||
		len(it.Tags) != 1 || it.Tags[0] != (lineitem.Tag{Key: "Oracle-Tags.CreatedBy", Value: "default/someone"}) {
		t.Fatalf("%+v", it)
	}
	if inv := lineitem.Validate(&it); inv != nil {
		t.Fatal(inv)
	}
	fix, err := mapRow(t, map[string]string{"lineItem/isCorrection": "true", "lineItem/intervalUsageStart": "2023-10-31T23:00:00Z"})
	if err != nil || fix.ChargeClass != lineitem.ClassCorrection || fix.BillingPeriod != "2023-10" {
		t.Fatalf("correction: %+v %v", fix, err)
	}
}

func TestRefusals(t *testing.T) {
	cases := []struct{ name, column, value, want string }{
		{"no usage start", "lineItem/intervalUsageStart", "", "the usage start is empty"},
		{"a usage start that is no time", "lineItem/intervalUsageStart", "13/11/2023", "not a timestamp"},
		{"a correction flag that is no boolean", "lineItem/isCorrection", "maybe", "not true or false"},
		{"a cost in words", "cost/myCost", "n/a", "not a number"},
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

// TestTagHeaderProblems: a tag column's name must be text, and one tag
// (its prefix in any case) in two columns would be the same tag twice.
func TestTagHeaderProblems(t *testing.T) {
	cases := []struct {
		name  string
		extra string
		want  string
	}{
		{"a tag name that is not text", "tags/\xff", `column "tags/\xff": the tag name "\xff" is not valid UTF-8 text`},
		{"one tag in two columns", "TAGS/Oracle-Tags.CreatedBy",
			"columns 15 (tags/Oracle-Tags.CreatedBy) and 17 (TAGS/Oracle-Tags.CreatedBy) are the same column: keep one of them"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewMapper(append(append([]string{}, header...), tc.extra))
			if err == nil || err.Error() != tc.want {
				t.Fatalf("got %v, want %s", err, tc.want)
			}
		})
	}
}
