package cur

import (
	"testing"
	"time"
)

func TestCanonical(t *testing.T) {
	cases := map[string]string{
		"lineItem/UnblendedCost":               "line_item_unblended_cost",
		"line_item_unblended_cost":             "line_item_unblended_cost",
		"reservation/ReservationARN":           "reservation_reservation_a_r_n",
		"savingsPlan/SavingsPlanEffectiveCost": "savings_plan_savings_plan_effective_cost",
		"bill/PayerAccountId":                  "bill_payer_account_id",
		"product/ProductName":                  "product_product_name",
		"product/regionCode":                   "product_region_code",
		"resourceTags/user:Name":               "resource_tags_user_name",
		"pricing/publicOnDemandCost":           "pricing_public_on_demand_cost",
	}
	for in, want := range cases {
		t.Run(in, func(t *testing.T) {
			if got := Canonical(in); got != want {
				t.Fatalf("Canonical(%q) = %q, want %q", in, got, want)
			}
		})
	}
}

func TestTagKey(t *testing.T) {
	for in, want := range map[string]string{
		"resourceTags/user:CostCenter":   "CostCenter",
		"resource_tags_user_cost_center": "cost_center",
		"resourceTags/aws:createdBy":     "",
		"resource_tags_user_":            "",
		"lineItem/UnblendedCost":         "",
	} {
		if got := tagKey(in); got != want {
			t.Errorf("tagKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDetect(t *testing.T) {
	legacy := []string{"bill/PayerAccountId", "lineItem/UsageAccountId", "lineItem/UnblendedCost"}
	snake := []string{"bill_payer_account_id", "line_item_usage_account_id", "line_item_unblended_cost"}
	cur2 := append(append([]string{}, snake...), "bill_payer_account_name", "product")
	cases := []struct {
		name    string
		header  []string
		parquet bool
		sep     byte
		want    Format
		ok      bool
	}{
		{"legacy csv", legacy, false, ',', LegacyCSV, true},
		{"athena text", snake, false, '\x01', AthenaText, true},
		{"legacy parquet", snake, true, 0, Parquet, true},
		{"cur2 csv", cur2, false, ',', CUR2CSV, true},
		{"cur2 parquet", cur2, true, 0, CUR2Parquet, true},
		{"not a cur", []string{"Date", "Cost"}, false, ',', "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Detect(tc.header, tc.parquet, tc.sep)
			if got != tc.want || ok != tc.ok {
				t.Fatalf("Detect = %q, %v; want %q, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestParseTime(t *testing.T) {
	utc := func(y, mo, d, h, mi, s, ms int) time.Time {
		return time.Date(y, time.Month(mo), d, h, mi, s, ms*1e6, time.UTC)
	}
	cases := []struct {
		in   string
		want time.Time
	}{
		{"2018-10-01T00:00:00Z", utc(2018, 10, 1, 0, 0, 0, 0)},
		{"2023-11-01T00:00:00.000Z", utc(2023, 11, 1, 0, 0, 0, 0)},
		{"2019-11-26 01:00:00", utc(2019, 11, 26, 1, 0, 0, 0)},
		{"2023-11-13T10:00Z", utc(2023, 11, 13, 10, 0, 0, 0)},
		{"2024-09-30T23:59:59.250Z", utc(2024, 9, 30, 23, 59, 59, 250)},
		{"2024-10-01T02:00:00+02:00", utc(2024, 10, 1, 0, 0, 0, 0)},
		{"2024-10-01", utc(2024, 10, 1, 0, 0, 0, 0)},
		{"", time.Time{}},
		{`\N`, time.Time{}},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseTime([]byte(tc.in))
			if err != nil || !got.Equal(tc.want) {
				t.Fatalf("parseTime(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
		})
	}
	for _, bad := range []string{"yesterday", "2024-13-01", "2024-10-01X00:00", "2024/10/01", "2024-10-01T00:00:00 PST"} {
		if _, err := parseTime([]byte(bad)); err == nil {
			t.Errorf("parseTime(%q) accepted", bad)
		}
	}
}

func TestMissingRequiredColumnsNamedAsTheFileSpellsThem(t *testing.T) {
	_, err := NewMapper([]string{"bill/PayerAccountId", "lineItem/UnblendedCost", "lineItem/UsageAccountId"})
	want := "required column(s) missing: bill/BillingPeriodStartDate, lineItem/CurrencyCode, lineItem/LineItemType"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
}
