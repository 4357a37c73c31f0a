package view

import (
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
)

func TestAmount(t *testing.T) {
	for _, tc := range []struct {
		name     string
		currency string
		value    string
		places   int32
		want     string
	}{
		{"cents padded", "USD", "12.5", 2, "USD 12.50"},
		{"full precision kept", "USD", "3.62345678911", 2, "USD 3.62345678911"},
		{"padded to the column", "USD", "10.005", 11, "USD 10.00500000000"},
		{"thousands", "EUR", "1234567.891", 2, "EUR 1,234,567.891"},
		{"negative", "USD", "-1234.5", 2, "USD -1,234.50"},
		{"zero", "USD", "0", 2, "USD 0.00"},
		{"scientific input", "USD", "4.0E-7", 2, "USD 0.0000004"},
		{"no currency", "", "999", 2, "999.00"},
		{"places never round", "USD", "0.123456", 2, "USD 0.123456"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := decimal.NewFromString(tc.value)
			if err != nil {
				t.Fatal(err)
			}
			if got := Amount(tc.currency, d, tc.places); got != tc.want {
				t.Errorf("Amount(%s) = %q, want %q", tc.value, got, tc.want)
			}
		})
	}
}

func TestCountAndPlural(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{
		{0, "0 rows"}, {1, "1 row"}, {999, "999 rows"}, {1000, "1,000 rows"}, {12345678, "12,345,678 rows"},
	} {
		if got := Plural(tc.n, "row", "rows"); got != tc.want {
			t.Errorf("Plural(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

// printed is an amount as the engine prints it, rounded half-up to the
// currency's minor unit.
func printed(s, currency string) billing.Amount {
	return billing.HalfUp.Round(decimal.RequireFromString(s), currency)
}

func TestPrintedFigures(t *testing.T) {
	for _, tc := range []struct {
		name                  string
		a                     billing.Amount
		money, figure, signed string
	}{
		{"thousands", printed("1234.5", "USD"), "USD 1,234.50", "1,234.50", "+1,234.50"},
		{"a fall keeps its minus", printed("-3.36", "USD"), "USD -3.36", "-3.36", "-3.36"},
		{"zero has no sign", printed("0", "EUR"), "EUR 0.00", "0.00", "0.00"},
		{"no minor unit", printed("120000", "JPY"), "JPY 120,000", "120,000", "+120,000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Money(tc.a); got != tc.money {
				t.Errorf("Money = %q, want %q", got, tc.money)
			}
			if got := Figure(tc.a); got != tc.figure {
				t.Errorf("Figure = %q, want %q", got, tc.figure)
			}
			if got := Signed(tc.a); got != tc.signed {
				t.Errorf("Signed = %q, want %q", got, tc.signed)
			}
		})
	}
}

func TestExact(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"3.5000000001", "3.5000000001"},
		{"1234567.1", "1,234,567.1"},
		// 4.0E-7 is 40 x 10^-8: its digits as given, no scientific notation.
		{"4.0E-7", "0.00000040"},
		{"1.2E3", "1,200"},
		{"-0.125", "-0.125"},
	} {
		if got := Exact(decimal.RequireFromString(tc.in)); got != tc.want {
			t.Errorf("Exact(%s) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSentence(t *testing.T) {
	for in, want := range map[string]string{"": "", "amount is empty": "Amount is empty", "USD": "USD"} {
		if got := Sentence(in); got != want {
			t.Errorf("Sentence(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSentences(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"", "  "}, ""},
		{[]string{"no tax rates", "Grant 3 is in EUR."}, "No tax rates. Grant 3 is in EUR."},
		{[]string{"", "is it final?", "check it!"}, "Is it final? Check it!"},
	} {
		if got := Sentences(tc.in...); got != tc.want {
			t.Errorf("Sentences(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestShortID: long ids keep their start and end, which tell them apart;
// ids of up to 28 characters, such as AWS accounts, stay whole.
func TestShortID(t *testing.T) {
	for _, tc := range []struct{ id, want string }{
		{"836060457634", "836060457634"},
		{"", ""},
		{"0123456789012345678901234567", "0123456789012345678901234567"}, // 28: whole
		{"ocid1.tenancy.oc1..aaaaaaaadsyhydp66mjpsohqocfcgzaabtrit47ex2igzu2j6lhuadrrglca", "ocid1.tenancy.oc…huadrrglca"},
	} {
		if got := ShortID(tc.id); got != tc.want {
			t.Errorf("ShortID(%q) = %q, want %q", tc.id, got, tc.want)
		}
	}
}

// TestOverview: a list shows cents, half away from zero; the exact figure
// is the detail's.
func TestOverview(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"1.97651418586", "USD 1.98"},
		{"4064.4831315379", "USD 4,064.48"},
		{"0.00011016", "USD 0.00"},
		{"-0.005", "USD -0.01"},
		{"12", "USD 12.00"},
	} {
		if got := Overview("USD", decimal.RequireFromString(tc.in)); got != tc.want {
			t.Errorf("Overview(%s) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestCash: money kept at its currency's minor unit reads as the invoice
// prints it: no cents on yen, three decimals on dinar.
func TestCash(t *testing.T) {
	for _, tc := range []struct{ currency, value, want, figure string }{
		{"JPY", "10000", "JPY 10,000", "10,000"},
		{"USD", "1234.5", "USD 1,234.50", "1,234.50"},
		{"BHD", "12.5", "BHD 12.500", "12.500"},
		{"USD", "-0.1", "USD -0.10", "-0.10"},
		// More decimals than the unit are written, never rounded away.
		{"JPY", "0.5", "JPY 0.5", "0.5"},
	} {
		d := decimal.RequireFromString(tc.value)
		if got := Cash(tc.currency, d); got != tc.want {
			t.Errorf("Cash(%s %s) = %q, want %q", tc.currency, tc.value, got, tc.want)
		}
		if got := CashFigure(tc.currency, d); got != tc.figure {
			t.Errorf("CashFigure(%s %s) = %q, want %q", tc.currency, tc.value, got, tc.figure)
		}
	}
}

// TestAmountCellAtTheMinorUnit: a list rounds for reading to the
// currency's minor unit, a yen total to the yen, and keeps the exact
// figure one click away when that rounds it.
func TestAmountCellAtTheMinorUnit(t *testing.T) {
	for _, tc := range []struct{ currency, value, text, full string }{
		{"JPY", "1000", "JPY 1,000", ""},
		{"JPY", "1234.56", "JPY 1,235", "JPY 1,234.56 exactly"},
		{"USD", "1.97651418586", "USD 1.98", "USD 1.97651418586 exactly"},
		{"USD", "20", "USD 20.00", ""},
		{"BHD", "1.2345", "BHD 1.235", "BHD 1.2345 exactly"},
	} {
		c := AmountCell(tc.currency, decimal.RequireFromString(tc.value))
		if c.Text != tc.text || c.Full != tc.full {
			t.Errorf("AmountCell(%s %s) = %q, %q; want %q, %q", tc.currency, tc.value, c.Text, c.Full, tc.text, tc.full)
		}
	}
}
