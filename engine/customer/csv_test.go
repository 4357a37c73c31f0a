package customer

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestListSyntax(t *testing.T) {
	cases := []struct {
		name  string
		field string
		in    string
		want  string // the value as re-written by Get, or the error
	}{
		{"tax rates", "tax_rates", "VAT 20%=20;Reduced=5.5", "VAT 20%=20;Reduced=5.5"},
		{"spaces and a trailing separator", "tax_rates", " VAT 20% = 20 ; Reduced=5.50 ;", "VAT 20%=20;Reduced=5.5"},
		{"percent sign after the number", "tax_rates", "GST=10%", "GST=10"},
		{"escaped separators in a name", "tax_rates", `A\;B\=C\|D\\E=1`, `A\;B\=C\|D\\E=1`},
		{"missing value", "tax_rates", "VAT 20%", `tax rate item "VAT 20%" is not written as NAME=PERCENT`},
		{"not a number", "tax_rates", "VAT=twenty", `tax rate "VAT" "twenty" is not a percentage`},
		{"second equals sign", "tax_rates", "VAT=20=3", `tax rate item has a second '=' after its value`},
		{"pricing rules", "pricing_rules", "aws||AmazonEC2|=-10;|AWS Marketplace||=0", "aws||AmazonEC2|=-10;|AWS Marketplace||=0"},
		{"usage types keep their colons", "pricing_rules", "aws|||BoxUsage:m5.large=5", "aws|||BoxUsage:m5.large=5"},
		{"pricing rule with too few parts", "pricing_rules", "aws|AmazonEC2=5", `pricing rule item "aws|AmazonEC2=5" is not written as PROVIDER|BILLING_ENTITY|PRODUCT_CODE|USAGE_TYPE=PERCENT`},
		{"recurring", "recurring", "Managed service|2024-01|=250;Onboarding credit|2024-01|2024-03=-100.00", "Managed service|2024-01|=250;Onboarding credit|2024-01|2024-03=-100"},
		{"recurring without amount", "recurring", "Fee|2024-01|=", `recurring charge "Fee": amount "" is not a number`},
		{"address lines", "address", "1 Main Street;Springfield IL 62701", "1 Main Street;Springfield IL 62701"},
		{"address with an equals sign", "address", "a=b", `address item "a=b" is not written as lines separated by ';'`},
		{"empty", "tax_rates", "", ""},
		{"support changes", "support_changes", "2027-01=business; 2027-06=flat 7.5%", "2027-01=business;2027-06=flat 7.5"},
		{"support change without a month", "support_changes", "business", `support plan change item "business" is not written as FROM=PLAN`},
		{"support change with a bad percentage", "support_changes", "2027-01=flat x", `flat support percentage from 2027-01 "x" is not a percentage`},
		{"provider discounts", "provider_discounts", "Margin", "margin"},
		{"provider discounts passed on", "provider_discounts", "passed_on", "passed-on"},
		{"unknown provider discount mode", "provider_discounts", "keep", `provider discount mode "keep" is not one of passed-on, separate, margin`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, _ := FieldNamed(tc.field)
			var c Customer
			got := ""
			if err := f.Set(&c, tc.in); err != nil {
				got = err.Error()
			} else {
				got = f.Get(&c)
			}
			if !strings.HasPrefix(got, tc.want) {
				t.Errorf("Set(%q) then Get = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// customersCSV is a file as an accountant would keep it: every kind of
// cell, including quoting, escapes and non-ASCII text.
const customersCSV = `id,name,group,contact_name,email,phone,address,country,tax_number,currency,payment_terms_days,tax_rates,support_plan,support_flat_percent,adjustment_percent,pricing_rules,recurring,cost_basis,notes,support_changes,provider_discounts,price_table,einvoice_format,vat_id,electronic_address,electronic_address_scheme,buyer_reference,order_reference,vat_category,exemption_reason
ACME,"Acme, Inc.",EMEA / Enterprise,Ann Smith,billing@acme.example,+44 20 7946 0000,1 Main Street;London EC1A 1BB,GB,GB123456789,GBP,30,VAT 20%=20,business,0,-5,aws||AmazonEC2|=-10;aws|||BoxUsage:m5.large=-15,Managed service|2024-01|=250,rerated,"Key account.
Call before invoicing.",2027-01=enterprise;2027-06=flat 7.5,separate,s3-standard-us-east-1,ubl,GB123456789,GB123456789,9932,,PO-1,,
GLOBEX,Globex Société,Americas,,,,,US,,USD,45,,flat,7.5,0,|AWS Marketplace||=2,Onboarding credit|2024-01|2024-03=-100,unblended,,,margin,,,,,,,,,
INITECH,Initech,,,,,,,,JPY,0,Tax\=A=10,none,0,0,,,public,,,,,,,,,,,,
`

func TestCustomersCSVRoundTrip(t *testing.T) {
	cs, err := ReadCustomersCSV(strings.NewReader(customersCSV), Defaults{Currency: "USD", TermsDays: 30}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 3 {
		t.Fatalf("read %d customers", len(cs))
	}
	var first bytes.Buffer
	if err := WriteCustomersCSV(&first, cs); err != nil {
		t.Fatal(err)
	}
	if first.String() != customersCSV {
		t.Errorf("export differs from the file imported:\n%s\nwant\n%s", first.String(), customersCSV)
	}
	again, err := ReadCustomersCSV(bytes.NewReader(first.Bytes()), Defaults{Currency: "EUR", TermsDays: 10}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var second bytes.Buffer
	if err := WriteCustomersCSV(&second, again); err != nil {
		t.Fatal(err)
	}
	if second.String() != first.String() {
		t.Errorf("export -> import -> export changed the bytes:\n%s\nvs\n%s", second.String(), first.String())
	}
	acme := cs[0]
	if acme.Name != "Acme, Inc." || len(acme.Contact.Address) != 2 || acme.PricingRules[1].UsageType != "BoxUsage:m5.large" ||
		!acme.Adjustment.Equal(dec("-5")) || acme.Notes != "Key account.\nCall before invoicing." {
		t.Errorf("ACME read as %+v", acme)
	}
	if cs[2].TaxRates[0].Name != "Tax=A" {
		t.Errorf("escaped name read as %q", cs[2].TaxRates[0].Name)
	}
}

func TestCustomersCSVDefaultsAndPartialColumns(t *testing.T) {
	d := Defaults{Currency: "EUR", TermsDays: 14}
	cs, err := ReadCustomersCSV(strings.NewReader("name,id,currency\nNew Co,NEW,\n"), d, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c := cs[0]; c.Currency != "EUR" || c.TermsDays != 14 || c.Support != SupportNone || c.Basis != BasisRerated {
		t.Errorf("defaults not applied: %+v", c)
	}
	stored := valid()
	existing := func(id string) (Customer, bool) { return stored, id == stored.ID }
	cs, err = ReadCustomersCSV(strings.NewReader("id,name,group\nACME,Acme Renamed,\n"), d, existing)
	if err != nil {
		t.Fatal(err)
	}
	if c := cs[0]; c.Name != "Acme Renamed" || c.Group != "" || c.Currency != "USD" || len(c.PricingRules) != 1 {
		t.Errorf("an update should change the named columns only: %+v", c)
	}
}

func TestCustomersCSVBadRows(t *testing.T) {
	cases := []struct {
		name string
		file string
		want []string // RowError texts, in order
	}{
		{"unknown currency on line 3", "id,name,currency\nA,Alpha,USD\nB,Beta,EUX\n",
			[]string{`line 3, column currency: currency "EUX" is not an ISO 4217 currency code: use one such as USD, EUR, GBP or JPY`}},
		{"negative terms", "id,name,payment_terms_days\nA,Alpha,-1\n",
			[]string{"line 2, column payment_terms_days: payment terms of -1 days are negative: write 0 for payment due on receipt"}},
		{"terms not a number", "id,name,payment_terms_days\nA,Alpha,30 days\n",
			[]string{`line 2, column payment_terms_days: payment terms "30 days" are not a whole number of days`}},
		{"empty name", "id,name\nA,\n", []string{"line 2, column name: name is empty: write the customer's name as it should appear on invoices"}},
		{"bad id", "id,name\nA B,Alpha\n", []string{`line 2, column id: id "A B" contains ' ': use only letters, digits, '-' and '_'`}},
		{"duplicate id", "id,name\nA,Alpha\nB,Beta\nA,Again\n", []string{"line 4, column id: customer A is already on line 2: give each customer one row"}},
		{"adjustment out of range", "id,name,adjustment_percent\nA,Alpha,-150\n",
			[]string{"line 2, column adjustment_percent: adjustment: -150% is outside -100..1000%: write a discount as a negative number (-5 for 5% off) and a markup as a positive one"}},
		{"malformed recurring month", "id,name,recurring\nA,Alpha,Fee|2024-1|=5\n",
			[]string{`line 2, column recurring: recurring charge "Fee" from "2024-1" is not a month: write it as YYYY-MM, e.g. 2018-10`}},
		{"every bad row is listed", "id,name,currency\nA,,USD\nB,Beta,XXX\n",
			[]string{"line 2, column name: name is empty: write the customer's name as it should appear on invoices",
				`line 3, column currency: currency "XXX" is not an ISO 4217 currency code: use one such as USD, EUR, GBP or JPY`}},
		{"line numbers count multi-line cells", "id,name,notes\nA,Alpha,\"two\nlines\"\nB,,\n",
			[]string{"line 4, column name: name is empty: write the customer's name as it should appear on invoices"}},
		{"unknown column", "id,name,colour\n", []string{`line 1, column colour: unknown column "colour": the columns are id, name,`}},
		{"missing id column", "name\nAlpha\n", []string{"line 1, column id: the header has no id column: it is required"}},
		{"short row", "id,name,group\nA,Alpha\n", []string{"line 2: the row has 2 cells but the header names 3 columns"}},
		{"one cell", "id,name,group\nA\n", []string{"line 2: the row has 1 cell but the header names 3 columns"}},
		{"bad quoting", "id,name\nA,\"Alpha\n", []string{"line 2: extraneous or missing \" in quoted-field: check the quotes on that line"}},
		{"empty file", "", []string{"line 1: the file is empty"}},
		{"not UTF-8 (a Latin-1 export)", "id,name\nA,Soci\xe9t\xe9\n",
			[]string{`line 2, column name: "Soci\xe9t\xe9" is not valid UTF-8 text: save the file as UTF-8 text`}},
		{"NUL in a tax rate name", "id,name,tax_rates\nA,Alpha,V\x00AT=20\n",
			[]string{`line 2, column tax_rates: "V\x00AT=20" contains a NUL byte`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cs, err := ReadCustomersCSV(strings.NewReader(tc.file), Defaults{Currency: "USD", TermsDays: 30}, nil)
			if cs != nil {
				t.Errorf("customers returned with a bad file: %v", cs)
			}
			var rows RowErrors
			if !errors.As(err, &rows) {
				t.Fatalf("error %v is not RowErrors", err)
			}
			if len(rows) != len(tc.want) {
				t.Fatalf("got %d errors %v, want %d", len(rows), rows, len(tc.want))
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(rows[i].Error(), w) {
					t.Errorf("error %d = %q\nwant %q", i, rows[i].Error(), w)
				}
			}
			head := map[int]string{
				1: "nothing was imported: the file has 1 problem; fix it and import it again\n",
				2: "nothing was imported: the file has 2 problems; fix them and import it again\n",
			}[len(tc.want)]
			if head == "" {
				t.Fatalf("no expected message for %d problems: add it", len(tc.want))
			}
			if !strings.HasPrefix(err.Error(), head) {
				t.Errorf("the message does not begin %q: %s", head, err)
			}
		})
	}
}

func TestCustomersCSVAcceptsSpreadsheetQuirks(t *testing.T) {
	file := "\uFEFFid , name\r\nA,Alpha\r\n,\r\n\r\nB,Beta\r\n"
	cs, err := ReadCustomersCSV(strings.NewReader(file), Defaults{Currency: "USD"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].ID != "A" || cs[1].ID != "B" {
		t.Errorf("read %+v", cs)
	}
}

const mappingsCSV = `account,customer,from,until
011254002932,ACME,2018-01,2018-09
011254002932,GLOBEX,2018-10,
836060457634,ACME,2018-10,
`

func TestMappingsCSVRoundTrip(t *testing.T) {
	ms, err := ReadMappingsCSV(strings.NewReader(mappingsCSV), func(id string) bool { return id == "ACME" || id == "GLOBEX" })
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteMappingsCSV(&b, ms); err != nil {
		t.Fatal(err)
	}
	if b.String() != mappingsCSV {
		t.Errorf("export:\n%s\nwant\n%s", b.String(), mappingsCSV)
	}
}

func TestMappingsCSVBadRows(t *testing.T) {
	known := func(id string) bool { return id != "NOBODY" }
	cases := []struct {
		name string
		file string
		want []string
	}{
		{"overlap inside the file", "account,customer,from\n011254002932,ACME,2018-01\n011254002932,GLOBEX,2018-10\n",
			[]string{"line 3, column from: account 011254002932 is also mapped to ACME from 2018-01 (open-ended) on line 2: one account belongs to one customer in any month"}},
		{"unknown customer", "account,customer,from\n011254002932,NOBODY,2018-01\n",
			[]string{"line 2, column customer: customer NOBODY does not exist: add it (or import the customers file) first"}},
		{"dropped leading zero", "account,customer,from\n11254002932,ACME,2018-01\n",
			[]string{"line 2, column account: account 11254002932 has 11 digits"}},
		{"until before from", "account,customer,from,until\n011254002932,ACME,2018-10,2018-01\n",
			[]string{"line 2, column until: until 2018-01 is before from 2018-10"}},
		{"malformed month", "account,customer,from\n011254002932,ACME,Oct 2018\n",
			[]string{`line 2, column from: from "Oct 2018" is not a month`}},
		{"customer not UTF-8", "account,customer,from\n011254002932,AC\xffME,2018-01\n",
			[]string{`line 2, column customer: "AC\xffME" is not valid UTF-8 text`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ms, err := ReadMappingsCSV(strings.NewReader(tc.file), known)
			var rows RowErrors
			if ms != nil || !errors.As(err, &rows) || len(rows) != len(tc.want) {
				t.Fatalf("ReadMappingsCSV = %v, %v", ms, err)
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(rows[i].Error(), w) {
					t.Errorf("error %d = %q\nwant %q", i, rows[i].Error(), w)
				}
			}
		})
	}
}

func TestManyBadRowsAreAllKeptButTheMessageIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,name\n")
	for range 60 {
		b.WriteString("A B,x\n")
	}
	_, err := ReadCustomersCSV(strings.NewReader(b.String()), Defaults{Currency: "USD"}, nil)
	var rows RowErrors
	if !errors.As(err, &rows) || len(rows) != 60 || rows[59].Line != 61 {
		t.Fatalf("got %d rows: %v", len(rows), err)
	}
	if msg := err.Error(); !strings.Contains(msg, "the file has 60 problems") || !strings.HasSuffix(msg, "... and 10 more") {
		t.Errorf("message tail: %q", msg[len(msg)-80:])
	}
}
