package distributor

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/lineitem"
)

func usd(string, string) string { return "USD" }

func TestParseCSV(t *testing.T) {
	in := "period,provider,number,amount,tax,currency,date,rate\n" +
		"2018-10,AWS,INV-1,\"1,234.50\",246.90,,2018-11-08,\n" +
		"2018-10,azure,INV-2,-10,,eur,,0.87\n"
	ds, err := ParseCSV(strings.NewReader(in), "dist.csv", usd, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 {
		t.Fatalf("%d invoices", len(ds))
	}
	a := ds[0]
	if a.Provider != "aws" || a.Number != "INV-1" || !a.Amount.Equal(decimal.RequireFromString("1234.50")) ||
		!a.Tax.Equal(decimal.RequireFromString("246.90")) || a.Currency != "USD" || a.Date.String() != "2018-11-08" || a.Rate != nil ||
		!a.Total().Equal(decimal.RequireFromString("1481.40")) || a.Source != "csv dist.csv line 2" {
		t.Errorf("first %+v", a)
	}
	b := ds[1]
	if b.Currency != "EUR" || !b.Tax.IsZero() || b.Rate == nil || !b.Rate.Equal(decimal.RequireFromString("0.87")) || !b.Date.IsZero() {
		t.Errorf("second %+v", b)
	}
}

func TestParseCSVRefusesBadRows(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"missing column", "provider,period,number\naws,2018-10,A\n", []string{`dist.csv line 1: column "amount" is missing`}},
		{"unknown column", "provider,period,number,amount,colour\n", []string{`dist.csv line 1, column 5 (colour): unknown column "colour"`}},
		{"every bad cell", "provider,period,number,amount,date,rate\n" +
			"aws,2018-13,A,12,2018-11-31,\n" +
			"aws,2018-10,,abc,,0\n" +
			"aws,2018-10,A,1,,\n",
			[]string{
				`dist.csv line 2, column 5 (date): date "2018-11-31" is not on the calendar: 2018-11 has 30 days`,
				`dist.csv line 2, column 2 (period): month "2018-13" is not a YYYY-MM month`,
				`dist.csv line 3, column 4 (amount): "abc" is not a number`,
				`dist.csv line 3, column 3 (number): the invoice number is empty`,
				`dist.csv line 3, column 6 (rate): exchange rate 0 is not positive`,
				`dist.csv line 4, column 3 (number): invoice number A is on line 2 already`,
			}},
		{"short row", "provider,period,number,amount\naws,2018-10,A\n", []string{"dist.csv line 2: 3 cells where the header has 4 columns"}},
		{"one cell", "provider,period,number,amount\naws\n", []string{"dist.csv line 2: 1 cell where the header has 4 columns"}},
		{"header only", "provider,period,number,amount\n", []string{"the file has a header but no invoice"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds, err := ParseCSV(strings.NewReader(tc.in), "dist.csv", usd, nil)
			var ce *CSVError
			if !errors.As(err, &ce) || ds != nil {
				t.Fatalf("got %v, %v; want a *CSVError and nothing", ds, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestDuplicate(t *testing.T) {
	existing := []Invoice{{ID: 3, Provider: "aws", Period: "2018-10", Number: "INV-1"}}
	if err := Duplicate(existing, "INV-1"); err == nil || !strings.Contains(err.Error(), "recorded already (id 3, aws 2018-10)") {
		t.Errorf("duplicate: %v", err)
	}
	if err := Duplicate(existing, "INV-2"); err != nil {
		t.Errorf("new number: %v", err)
	}
}

func TestDetail(t *testing.T) {
	item := func(period, id, typ, cost string) *lineitem.Item {
		return &lineitem.Item{Provider: lineitem.AWS, BillingPeriod: period, InvoiceID: id, Type: typ, Currency: "USD", UnblendedCost: decimal.RequireFromString(cost)}
	}
	var d Detail
	d.Add(item("2018-10", "123456789", lineitem.Usage, "10.005"))
	d.Add(item("2018-10", "123456789", lineitem.Usage, "0.000000001"))
	d.Add(item("2018-10", "123456789", lineitem.Tax, "2"))
	ds, err := d.Invoices("cur.csv", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].Number != "123456789" || !ds[0].Amount.Equal(decimal.RequireFromString("10.005000001")) || !ds[0].Tax.Equal(decimal.NewFromInt(2)) || ds[0].Currency != "USD" {
		t.Errorf("%+v", ds)
	}

	var prov Detail
	prov.Add(item("2018-11", "", lineitem.Usage, "5"))
	if _, err := prov.Invoices("cur.csv", ""); err == nil || !strings.Contains(err.Error(), "1 line of aws 2018-11 without an invoice id") {
		t.Errorf("no invoice id: %v", err)
	}
	ds, err = prov.Invoices("cur.csv", "DIST-7")
	if err != nil || ds[0].Number != "DIST-7" || !ds[0].Amount.Equal(decimal.NewFromInt(5)) {
		t.Errorf("with --number: %+v %v", ds, err)
	}
}

// FuzzParseCSV: any bytes are either refused with a *CSVError or give
// invoices that pass Check, with distinct numbers.
func FuzzParseCSV(f *testing.F) {
	f.Add("provider,period,number,amount\naws,2018-10,A,1\n")
	f.Add("period,provider,number,amount,tax,currency,date,rate\n2018-10,AWS,INV-1,\"1,234.50\",246.90,,2018-11-08,0.9\n")
	f.Add("provider,period,number,amount\n\"aws,2018-10\n")
	f.Fuzz(func(t *testing.T, in string) {
		ds, err := ParseCSV(strings.NewReader(in), "f.csv", usd, nil)
		if err != nil {
			var ce *CSVError
			if !errors.As(err, &ce) || ds != nil {
				t.Fatalf("error %v of type %T with %d invoices", err, err, len(ds))
			}
			return
		}
		seen := map[string]bool{}
		for _, d := range ds {
			if ps := d.Check(); len(ps) > 0 || seen[d.Number] {
				t.Fatalf("accepted %+v: %v", d, ps)
			}
			seen[d.Number] = true
		}
	})
}
