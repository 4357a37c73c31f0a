package cur

import (
	"errors"
	"strings"
	"testing"

	"rebill/engine/lineitem"
	"rebill/engine/read"
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

func TestMissingRequiredColumnsNamedAsTheFileSpellsThem(t *testing.T) {
	_, err := NewMapper([]string{"bill/PayerAccountId", "lineItem/UnblendedCost", "lineItem/UsageAccountId"})
	want := "required columns missing: bill/BillingPeriodStartDate, lineItem/CurrencyCode, lineItem/LineItemType"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
}

func TestBillingPeriod(t *testing.T) {
	header := []string{"bill/PayerAccountId", "bill/BillingPeriodStartDate", "bill/BillingPeriodEndDate", "lineItem/UsageAccountId",
		"lineItem/LineItemType", "lineItem/UnblendedCost", "lineItem/CurrencyCode"}
	cases := []struct {
		name, start, end string
		want, err        string
	}{
		{"legacy CSV", "2018-10-01T00:00:00Z", "2018-11-01T00:00:00Z", "2018-10", ""},
		{"CUR 2.0 milliseconds", "2023-11-01T00:00:00.000Z", "2023-12-01T00:00:00.000Z", "2023-11", ""},
		{"Hive text", "2019-12-01 00:00:00", "2020-01-01 00:00:00", "2019-12", ""},
		{"no end", "2019-12-01 00:00:00", "", "2019-12", ""},
		{"Hive null end", "2019-12-01 00:00:00", `\N`, "2019-12", ""},
		{"end a day short", "2024-02-01T00:00:00Z", "2024-02-29T00:00:00Z", "",
			`column bill/BillingPeriodEndDate: "2024-02-29T00:00:00Z" is not one month after the billing period start "2024-02-01T00:00:00Z"`},
		{"end equal to start", "2024-02-01T00:00:00Z", "2024-02-01T00:00:00Z", "", "is not one month after"},
		{"end not a date", "2024-02-01T00:00:00Z", "soon", "", `column bill/BillingPeriodEndDate: "soon" is not a timestamp`},
		{"empty start", "", "2024-02-01T00:00:00Z", "", "column bill/BillingPeriodStartDate: the billing period start date is empty"},
		{"start month 13", "2024-13-01T00:00:00Z", "", "", "column bill/BillingPeriodStartDate: \"2024-13-01T00:00:00Z\" is not a real date"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := NewMapper(header)
			if err != nil {
				t.Fatal(err)
			}
			var it lineitem.Item
			row := [][]byte{[]byte("836060457634"), []byte(tc.start), []byte(tc.end), []byte("011254002932"), []byte("Usage"), []byte("1"), []byte("USD")}
			// Twice: the second row takes the remembered period.
			for range 2 {
				err = m.Map(row, &it)
				if tc.err == "" && (err != nil || it.BillingPeriod != tc.want) {
					t.Fatalf("period %q, %v; want %s", it.BillingPeriod, err, tc.want)
				}
				if tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
					t.Fatalf("got %v, want %s", err, tc.err)
				}
			}
		})
	}
}

func TestDuplicateColumns(t *testing.T) {
	base := []string{"bill/PayerAccountId", "bill/BillingPeriodStartDate", "lineItem/UsageAccountId",
		"lineItem/LineItemType", "lineItem/UnblendedCost", "lineItem/CurrencyCode"}
	cases := []struct {
		name  string
		extra []string
		want  string // "" when the header is fine
	}{
		{"none", []string{"product/ProductName", "resourceTags/user:Name", "resourceTags/user:name"}, ""},
		{"same name", []string{"lineItem/UnblendedCost"}, "columns 5 and 7 are both named lineItem/UnblendedCost: keep one of them"},
		{"same name, a column Rebill does not read", []string{"product/sku", "product/sku"}, "columns 7 and 8 are both named product/sku"},
		{"two spellings of a kept column", []string{"line_item_currency_code"},
			"columns 6 (lineItem/CurrencyCode) and 7 (line_item_currency_code) are the same column: keep one of them"},
		{"two spellings of a column Rebill does not read", []string{"product/sku", "product_sku"}, ""},
		{"the same tag twice", []string{"resourceTags/user:Team", "resource_tags_user_Team"},
			"columns 7 (resourceTags/user:Team) and 8 (resource_tags_user_Team) are the same column"},
		{"a name of junk", []string{"\xff\x00", "\xff\x00"}, `columns 7 and 8 are both named "\xff\x00"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewMapper(append(append([]string(nil), base...), tc.extra...))
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var de *read.DuplicateError
			if !errors.As(err, &de) || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("got %v, want %s", err, tc.want)
			}
		})
	}
}

func TestClosest(t *testing.T) {
	cases := []struct {
		name    string
		header  []string
		parquet bool
		sep     byte
		format  Format
		missing string
	}{
		{"CSV of something else", []string{"Date", "Amount"}, false, ',', LegacyCSV,
			"bill/BillingPeriodStartDate, bill/PayerAccountId, lineItem/CurrencyCode, lineItem/LineItemType, lineItem/UnblendedCost, lineItem/UsageAccountId"},
		{"legacy CUR without its cost", []string{"bill/PayerAccountId", "bill/BillingPeriodStartDate", "lineItem/UsageAccountId", "lineItem/LineItemType", "lineItem/CurrencyCode"},
			false, ',', LegacyCSV, "lineItem/UnblendedCost"},
		{"snake-case CSV without its account", []string{"bill_payer_account_id", "bill_billing_period_start_date", "line_item_line_item_type", "line_item_currency_code", "line_item_unblended_cost"},
			false, ',', LegacyCSV, "line_item_usage_account_id"},
		{"CUR 2.0 without its cost", []string{"bill_payer_account_id", "bill_payer_account_name", "bill_billing_period_start_date", "line_item_usage_account_id", "line_item_line_item_type", "line_item_currency_code"},
			false, ',', CUR2CSV, "line_item_unblended_cost"},
		{"Azure export with a Product column", []string{"SubscriptionId", "Product", "CostInBillingCurrency"}, false, ',', LegacyCSV,
			"bill/BillingPeriodStartDate, bill/PayerAccountId, lineItem/CurrencyCode, lineItem/LineItemType, lineItem/UnblendedCost, lineItem/UsageAccountId"},
		{"Parquet of something else", []string{"x"}, true, 0, Parquet,
			"bill_billing_period_start_date, bill_payer_account_id, line_item_currency_code, line_item_line_item_type, line_item_unblended_cost, line_item_usage_account_id"},
		{"Hive text of something else", []string{"x"}, false, '\x01', AthenaText,
			"bill_billing_period_start_date, bill_payer_account_id, line_item_currency_code, line_item_line_item_type, line_item_unblended_cost, line_item_usage_account_id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, missing := Closest(tc.header, tc.parquet, tc.sep)
			if f != tc.format || strings.Join(missing, ", ") != tc.missing {
				t.Fatalf("got %s missing %s; want %s missing %s", f, missing, tc.format, tc.missing)
			}
		})
	}
}

func TestColumnNamesTheSourceOfAField(t *testing.T) {
	header := []string{"bill/PayerAccountId", "bill/BillingPeriodStartDate", "lineItem/UsageAccountId", "lineItem/LineItemType",
		"lineItem/UnblendedCost", "lineItem/CurrencyCode", "product/regionCode", "lineItem/AvailabilityZone",
		"resourceTags/user:A", "resourceTags/user:B", "resource_tags", "product"}
	m, err := NewMapper(header)
	if err != nil {
		t.Fatal(err)
	}
	row := func(region, az, a, b string) [][]byte {
		return [][]byte{[]byte("836060457634"), []byte("2024-01-01T00:00:00Z"), []byte("011254002932"), []byte("Usage"), []byte("1"),
			[]byte("USD"), []byte(region), []byte(az), []byte(a), []byte(b), []byte(`{"user_C":"c"}`), []byte(`{"product_name":"P"}`)}
	}
	cases := []struct {
		name   string
		fields [][]byte
		inv    lineitem.Invalid
		want   string
	}{
		{"payer", row("", "", "", ""), lineitem.Invalid{Field: lineitem.FieldPayerAccount}, "bill/PayerAccountId"},
		{"cost", row("", "", "", ""), lineitem.Invalid{Field: lineitem.FieldUnblendedCost}, "lineItem/UnblendedCost"},
		{"region from its code", row("eu-west-1", "eu-west-1a", "", ""), lineitem.Invalid{Field: lineitem.FieldRegion}, "product/regionCode"},
		{"region from the zone", row("", "eu-west-1a", "", ""), lineitem.Invalid{Field: lineitem.FieldRegion}, "lineItem/AvailabilityZone"},
		{"product name from the map", row("", "", "", ""), lineitem.Invalid{Field: lineitem.FieldProductName}, "product"},
		{"first tag column", row("", "", "a", "b"), lineitem.Invalid{Field: lineitem.FieldTagValue, Tag: 0}, "resourceTags/user:A"},
		{"second tag, the first one empty", row("", "", "", "b"), lineitem.Invalid{Field: lineitem.FieldTagValue, Tag: 0}, "resourceTags/user:B"},
		{"tag from the map", row("", "", "a", "b"), lineitem.Invalid{Field: lineitem.FieldTagKey, Tag: 2}, "resource_tags"},
		{"provider", row("", "", "", ""), lineitem.Invalid{Field: lineitem.FieldProvider}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var it lineitem.Item
			if err := m.Map(tc.fields, &it); err != nil {
				t.Fatal(err)
			}
			if got := m.Column(tc.fields, &it, &tc.inv); got != tc.want {
				t.Fatalf("Column = %q, want %q (tags %v)", got, tc.want, it.Tags)
			}
		})
	}
}

// TestCUR2MapsAreUTF8: a CUR 2.0 map cell that is not UTF-8 is refused
// with its column; JSON would have read the bad byte as U+FFFD, changing
// the product's name or a tag's value without a word.
func TestCUR2MapsAreUTF8(t *testing.T) {
	header := []string{"bill_payer_account_id", "bill_billing_period_start_date", "line_item_usage_account_id", "line_item_line_item_type",
		"line_item_unblended_cost", "line_item_currency_code", "resource_tags", "product"}
	m, err := NewMapper(header)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ tags, product, column string }{
		{`{"user_team":"w` + "\xff" + `b"}`, `{"product_name":"P"}`, "resource_tags"},
		{`{"user_team":"web"}`, `{"product_name":"P` + "\xff" + `"}`, "product"},
	} {
		fields := [][]byte{[]byte("836060457634"), []byte("2024-01-01T00:00:00Z"), []byte("011254002932"), []byte("Usage"), []byte("1"),
			[]byte("USD"), []byte(tc.tags), []byte(tc.product)}
		var it lineitem.Item
		err := m.Map(fields, &it)
		var fe *read.FieldError
		if !errors.As(err, &fe) || fe.Column != tc.column || !strings.Contains(err.Error(), "not valid UTF-8 text") {
			t.Errorf("%s: got %v (tags %v, product %q)", tc.column, err, it.Tags, it.ProductName)
		}
	}
}

// TestCUR2ProductMapRows: the product name and region of CUR 2.0 rows
// come from each row's own product map cell, whether it repeats the row
// before's (read once and kept) or not; a cell holding a name that is
// not text is refused every time it comes.
func TestCUR2ProductMapRows(t *testing.T) {
	header := []string{"bill_payer_account_id", "bill_billing_period_start_date", "line_item_usage_account_id", "line_item_line_item_type",
		"line_item_unblended_cost", "line_item_currency_code", "product"}
	m, err := NewMapper(header)
	if err != nil {
		t.Fatal(err)
	}
	s3 := `{"product_name":"Amazon Simple Storage Service","region":"eu-west-1"}`
	bad := `{"product_name":"Amazon\u0000EC2"}` // a NUL byte, which is no text
	for i, tc := range []struct{ cell, name, region, refused string }{
		{s3, "Amazon Simple Storage Service", "eu-west-1", ""},
		{s3, "Amazon Simple Storage Service", "eu-west-1", ""},
		{`{"product_name":"Amazon Elastic Compute Cloud"}`, "Amazon Elastic Compute Cloud", "", ""},
		{s3, "Amazon Simple Storage Service", "eu-west-1", ""},
		{`{"region":"us-east-1","product_name":7}`, "", "us-east-1", ""},
		{bad, "", "", "product"},
		{bad, "", "", "product"},
		{s3, "Amazon Simple Storage Service", "eu-west-1", ""},
	} {
		fields := [][]byte{[]byte("836060457634"), []byte("2024-01-01T00:00:00Z"), []byte("011254002932"), []byte("Usage"), []byte("1"),
			[]byte("USD"), []byte(tc.cell)}
		var it lineitem.Item
		err := m.Map(fields, &it)
		var fe *read.FieldError
		switch {
		case tc.refused != "" && (!errors.As(err, &fe) || fe.Column != tc.refused):
			t.Errorf("row %d (%s): got %v, want refused in column %s", i+1, tc.cell, err, tc.refused)
		case tc.refused == "" && (err != nil || it.ProductName != tc.name || it.Region != tc.region):
			t.Errorf("row %d (%s): name %q region %q (%v), want %q %q", i+1, tc.cell, it.ProductName, it.Region, err, tc.name, tc.region)
		}
	}
}
