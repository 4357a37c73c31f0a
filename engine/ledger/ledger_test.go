package ledger

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/invoice"
)

func dec(t *testing.T, s string) decimal.Decimal {
	t.Helper()
	d, err := decimal.NewFromString(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func day(t *testing.T, s string) invoice.Date {
	t.Helper()
	d, err := invoice.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// november is the month every format is tested on: two customers at
// two tax rates (Müller at 19%, Beta at 7%), a discount, reseller credits,
// a Marketplace line, a credit note, an invoice issued and voided in the
// month, one issued in October and voided in November, one issued in
// October and left alone, and a draft.
//
// The figures, added up by hand:
//   - RB-2026-0001, Müller, 3 Nov: Compute 100.00 + Storage 50.00 +
//     Marketplace 20.00 = 170.00; discount -15.00 (10% of the 150.00
//     outside Marketplace); VAT 19% of 135.00 = 25.65; total 180.65.
//   - RB-2026-0002, Beta, 3 Nov: Compute 200.00 + Database 33.33 =
//     233.33; credits -33.33; VAT 7% of 200.00 = 14.00; total 214.00.
//   - RB-2026-0003, Beta, issued 5 Nov, voided 6 Nov: Compute 10.00,
//     VAT 7% 0.70, total 10.70.
//   - RB-2026-0099, Müller, issued 28 Oct, voided 10 Nov: Storage 5.00,
//     VAT 19% 0.95, total 5.95.
//   - CN-2026-0001, Müller, 20 Nov, credits RB-2026-0001: Compute
//     -10.00, VAT 19% -1.90, total -11.90.
//
// November's ledger total: 180.65 + 214.00 + 10.70 - 10.70 - 5.95 - 11.90
// = 376.80.
func november(t *testing.T) []invoice.Invoice {
	return []invoice.Invoice{
		doc(t, spec{id: "1", number: "RB-2026-0001", customer: "MUELLER", name: "Müller GmbH", status: "open", issue: "2026-11-03", due: "2026-12-03",
			sections: []sec{{billing.Compute, [][2]string{{"AmazonEC2", "100.00"}}}, {billing.Storage, [][2]string{{"AmazonS3", "50.00"}}},
				{billing.Marketplace, [][2]string{{"Acme Firewall", "20.00"}}}},
			subtotal: "170.00", mkt: "20.00", discount: "-15.00", taxes: []tx{{"MwSt. 19%", "19", "135.00", "25.65"}}, tax: "25.65", total: "180.65"}),
		doc(t, spec{id: "2", number: "RB-2026-0002", customer: "BETA", name: "Beta SARL", status: "closed", issue: "2026-11-03", due: "2026-12-03",
			sections: []sec{{billing.Compute, [][2]string{{"AmazonEC2", "200.00"}}}, {billing.Database, [][2]string{{"AmazonRDS", "33.33"}}}},
			subtotal: "233.33", credits: "-33.33", taxes: []tx{{"TVA 7%", "7", "200.00", "14.00"}}, tax: "14.00", total: "214.00"}),
		doc(t, spec{id: "3", number: "RB-2026-0003", customer: "BETA", name: "Beta SARL", status: "void", issue: "2026-11-05", due: "2026-12-05", void: "2026-11-06",
			sections: []sec{{billing.Compute, [][2]string{{"AmazonEC2", "10.00"}}}},
			subtotal: "10.00", taxes: []tx{{"TVA 7%", "7", "10.00", "0.70"}}, tax: "0.70", total: "10.70"}),
		doc(t, spec{id: "4", number: "RB-2026-0099", customer: "MUELLER", name: "Müller GmbH", status: "void", issue: "2026-10-28", due: "2026-11-27", void: "2026-11-10",
			sections: []sec{{billing.Storage, [][2]string{{"AmazonS3", "5.00"}}}},
			subtotal: "5.00", taxes: []tx{{"MwSt. 19%", "19", "5.00", "0.95"}}, tax: "0.95", total: "5.95"}),
		doc(t, spec{id: "5", kind: "credit_note", number: "CN-2026-0001", customer: "MUELLER", name: "Müller GmbH", status: "open", issue: "2026-11-20",
			sections: []sec{{billing.Compute, [][2]string{{"AmazonEC2", "-10.00"}}}},
			subtotal: "-10.00", taxes: []tx{{"MwSt. 19%", "19", "-10.00", "-1.90"}}, tax: "-1.90", total: "-11.90"}),
		doc(t, spec{id: "6", number: "RB-2026-0098", customer: "BETA", name: "Beta SARL", status: "open", issue: "2026-10-30", due: "2026-11-29",
			sections: []sec{{billing.Compute, [][2]string{{"AmazonEC2", "1.00"}}}}, subtotal: "1.00", total: "1.00"}),
		doc(t, spec{id: "7", customer: "BETA", name: "Beta SARL", status: "draft",
			sections: []sec{{billing.Compute, [][2]string{{"AmazonEC2", "99.00"}}}}, subtotal: "99.00", total: "99.00"}),
	}
}

// mapping is the bookkeeper's mapping of the tests: SKR03 accounts, the
// BU-Schlüssel 3 (19%) and 2 (7%) as the tax codes.
func mapping() Mapping {
	m := DefaultMapping()
	m.Revenue = map[billing.ProductType]string{billing.Storage: "8401", billing.Marketplace: "8195"}
	m.Credits = "8705"
	m.Taxes = []TaxAccount{{Percent: decimal.NewFromInt(19), Account: "1776", Code: "3"}, {Percent: decimal.NewFromInt(7), Account: "1771", Code: "2"}}
	m.Receivables = map[string]string{"MUELLER": "10001", "BETA": "10002"}
	return m
}

func options(t *testing.T) Options {
	return Options{From: day(t, "2026-11-01"), Until: day(t, "2026-11-30"), Now: time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)}
}

func export(t *testing.T, f Format, docs []invoice.Invoice, m Mapping, o Options) ([]byte, Summary) {
	t.Helper()
	var b bytes.Buffer
	s, err := Export(&b, f, docs, m, o)
	if err != nil {
		t.Fatalf("%s export: %v", f, err)
	}
	return b.Bytes(), s
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestPostingsSelectTheIssuedDocumentsOfThePeriod(t *testing.T) {
	ps, err := Postings(november(t), day(t, "2026-11-01"), day(t, "2026-11-30"), mapping())
	if err != nil {
		t.Fatal(err)
	}
	// Hand-listed: what each posting is, in date order.
	want := []string{"2026-11-03 RB-2026-0001 180.65", "2026-11-03 RB-2026-0002 214", "2026-11-05 RB-2026-0003 10.7",
		"2026-11-06 RB-2026-0003 reversal -10.7", "2026-11-10 RB-2026-0099 reversal -5.95", "2026-11-20 CN-2026-0001 -11.9"}
	var got []string
	for _, p := range ps {
		s := p.Date.String() + " " + p.Number
		if p.Reversal {
			s += " reversal"
		}
		got = append(got, s+" "+p.Total.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("postings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, p := range ps {
		sum := decimal.Zero
		for _, g := range p.Groups {
			sum = sum.Add(g.Net)
		}
		for _, x := range p.Taxes {
			sum = sum.Add(x.Amount)
		}
		if !sum.Equal(p.Total) {
			t.Errorf("%s: groups and taxes add up to %s, total %s", p.Number, sum, p.Total)
		}
	}
}

func TestPostingsRefuseAnEmptyPeriod(t *testing.T) {
	if _, err := Postings(nil, day(t, "2026-11-30"), day(t, "2026-11-01"), mapping()); err == nil || !strings.Contains(err.Error(), "must not be after") {
		t.Fatalf("err %v", err)
	}
}

func TestAllocate(t *testing.T) {
	for _, tc := range []struct {
		name    string
		total   string
		weights []string
		want    []string
	}{
		{"exact shares", "25.65", []string{"100", "50", "-15"}, []string{"19.00", "9.50", "-2.85"}},
		// 14 x 33.33 / 200 = 2.3331: rounded down 2.33 and -2.34, the cent
		// left goes to the credits, whose share rounding cut most (0.0069).
		{"a cent left", "14.00", []string{"200", "33.33", "-33.33"}, []string{"14.00", "2.33", "-2.33"}},
		{"thirds", "1.00", []string{"1", "1", "1"}, []string{"0.34", "0.33", "0.33"}},
		{"negative total", "-1.00", []string{"1", "1", "1"}, []string{"-0.33", "-0.33", "-0.34"}},
		{"zero weights", "0.05", []string{"1", "-1"}, []string{"0.05", "0.00"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var w []decimal.Decimal
			for _, s := range tc.weights {
				w = append(w, dec(t, s))
			}
			got := Allocate(dec(t, tc.total), w, 2)
			for i := range got {
				if !got[i].Equal(dec(t, tc.want[i])) {
					t.Errorf("share %d = %s, want %s (all %v)", i, got[i], tc.want[i], got)
				}
			}
		})
	}
}

// TestCreditNoteReversesADiscountAsADiscount: a credit note mirroring an
// invoice with a discount has the discount negated (+15.00 against a
// subtotal of -170.00); it is booked as the discount it reverses, named
// as the document names it, not as an uplift.
func TestCreditNoteReversesADiscountAsADiscount(t *testing.T) {
	// RB-2026-0001 credited in full: every figure negated; VAT 19% of
	// -135.00 = -25.65; total -170.00 + 15.00 - 25.65 = -180.65.
	note := doc(t, spec{id: "8", kind: "credit_note", number: "CN-2026-0002", customer: "MUELLER", name: "Müller GmbH", status: "open", issue: "2026-11-21",
		sections: []sec{{billing.Compute, [][2]string{{"AmazonEC2", "-100.00"}}}, {billing.Storage, [][2]string{{"AmazonS3", "-50.00"}}},
			{billing.Marketplace, [][2]string{{"Acme Firewall", "-20.00"}}}},
		subtotal: "-170.00", mkt: "-20.00", discount: "15.00", taxes: []tx{{"MwSt. 19%", "19", "-135.00", "-25.65"}}, tax: "-25.65", total: "-180.65"})
	ps, err := Postings([]invoice.Invoice{note}, day(t, "2026-11-01"), day(t, "2026-11-30"), mapping())
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, g := range ps[0].Groups {
		if g.Account == mapping().Discount {
			labels = append(labels, g.Label+" "+g.Net.String())
		}
	}
	if strings.Join(labels, ", ") != "Discount 15" {
		t.Errorf("the reversed discount is booked as %q, want Discount 15", labels)
	}
}
