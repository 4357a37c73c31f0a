package money

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestParse(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"plain", "12.3456789012", "12.3456789012"},
		{"negative", "-0.0123", "-0.0123"},
		{"integer", "42", "42"},
		{"leading plus", "+3.5", "3.5"},
		{"upper E", "1.4724E-6", "0.0000014724"},
		{"lower e two-digit exponent", "5e-06", "0.000005"},
		{"positive exponent", "1.5E+3", "1500"},
		{"negative scientific", "-9.984E-7", "-0.0000009984"},
		{"trailing zeros kept exact", "0.0000000000", "0"},
		{"leading zeros", "000123.4500", "123.45"},
		{"dot first", ".5", "0.5"},
		{"empty is zero", "", "0"},
		{"hive null", `\N`, "0"},
		{"NULL", "NULL", "0"},
		{"spaces", "  1.25 ", "1.25"},
		{"28 decimals (Azure)", "0.0000000000000000000000000001", "0.0000000000000000000000000001"},
		{"many digits", "123456789012345678901234.5678901234", "123456789012345678901234.5678901234"},
		{"18 digits fast path edge", "999999999999999999", "999999999999999999"},
		{"19 digits", "9999999999999999999", "9999999999999999999"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse([]byte(tc.in))
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.in, err)
			}
			if want := decimal.RequireFromString(tc.want); !got.Equal(want) {
				t.Fatalf("Parse(%q) = %s, want %s", tc.in, got, want)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	for _, in := range []string{"abc", "1,5", "--1", "1e", "e5", "1.2.3", "0x10", "Inf", "NaN", "12USD", "-", "."} {
		t.Run(in, func(t *testing.T) {
			if d, err := Parse([]byte(in)); !errors.Is(err, ErrNotNumber) {
				t.Fatalf("Parse(%q) = %s, %v; want ErrNotNumber", in, d, err)
			}
		})
	}
}

func TestParseRefusesAmountsOutOfRange(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"huge exponent", "1e9999", `"1e9999" is not an amount Rebill can hold: its exponent is outside ±30`},
		{"tiny exponent", "1e-9999", `"1e-9999" is not an amount Rebill can hold: its exponent is outside ±30`},
		{"exponent beyond int32", "1e99999999999", `"1e99999999999" is not an amount Rebill can hold: its exponent is outside ±30`},
		{"31 decimals", "0.0000000000000000000000000000001", "its exponent is outside ±30"},
		{"31 decimals in E notation, many digits", "1.2345678901234567891E-12", "its exponent is outside ±30"},
		{"29 integer digits", "10000000000000000000000000000", "more than 28 digits before the decimal point"},
		{"29 integer digits in E notation", "1e28", "more than 28 digits before the decimal point"},
		{"negative 29 integer digits", "-12345678901234567890123456789.5", "more than 28 digits before the decimal point"},
		{"a megabyte of digits", strings.Repeat("9", 1<<20), "longer than 128 characters"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Parse([]byte(tc.in))
			if !errors.Is(err, ErrOutOfRange) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Parse = %s, %v; want an error with %q", d, err, tc.want)
			}
			if len(err.Error()) > 300 {
				t.Fatalf("message of %d bytes", len(err.Error()))
			}
		})
	}
}

func TestParseKeepsTheEdgesOfTheRange(t *testing.T) {
	for _, in := range []string{
		"1e30", // exponent 30 but 31 integer digits: refused below
		"0.000000000000000000000000000001",
		"1e-30",
		"9999999999999999999999999999",
		"-9999999999999999999999999999.999999999999999999999999999999",
		"1e27",
		"1.0000000000000000000000000000000000000000", // 40 decimals, but only zeros after the 1
		"0e9999",
	} {
		d, err := Parse([]byte(in))
		if in == "1e30" {
			if !errors.Is(err, ErrOutOfRange) {
				t.Errorf("Parse(%q) = %s, %v; want out of range", in, d, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q): %v", in, err)
		}
	}
}

func TestCheckAmount(t *testing.T) {
	cases := []struct {
		name string
		d    decimal.Decimal
		ok   bool
	}{
		{"zero with a wild exponent", decimal.New(0, 9999), true},
		{"one with 40 trailing zeros", decimal.New(1, 0).Mul(decimal.New(1, 40)).Div(decimal.New(1, 40)), true},
		{"coefficient 10^40 at exponent -40", decimal.NewFromBigInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(40), nil), -40), true},
		{"5 x 10^-31", decimal.New(5, -31), false},
		{"50 x 10^-31 is 5 x 10^-30", decimal.New(50, -31), true},
		{"10^28", decimal.New(1, 28), false},
		{"10^28 - 1", decimal.New(1, 28).Sub(decimal.New(1, 0)), true},
		{"10^31", decimal.New(1, 31), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := CheckAmount(tc.d); (err == nil) != tc.ok {
				t.Fatalf("CheckAmount(%s) = %v", tc.d, err)
			}
		})
	}
}

func FuzzParseAgreesWithDecimal(f *testing.F) {
	for _, s := range []string{"1.4724E-6", "5e-06", "-0.1", "123", "1e-400", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Parse([]byte(s))
		if err != nil {
			return
		}
		if IsNull(trimSpace([]byte(s))) {
			return
		}
		if err := CheckAmount(got); err != nil {
			t.Fatalf("Parse(%q) = %s, outside the range: %v", s, got, err)
		}
		want, werr := decimal.NewFromString(string(trimSpace([]byte(s))))
		if werr != nil {
			t.Fatalf("Parse(%q) = %s but decimal rejects it: %v", s, got, werr)
		}
		if !got.Equal(want) {
			t.Fatalf("Parse(%q) = %s, decimal says %s", s, got, want)
		}
	})
}

func ExampleParse() {
	for _, s := range []string{"1.4724E-6", "-0.0123", `\N`} {
		d, _ := Parse([]byte(s))
		fmt.Println(d)
	}
	// Output:
	// 0.0000014724
	// -0.0123
	// 0
}

func BenchmarkParse(b *testing.B) {
	in := []byte("0.0116000000")
	for i := 0; i < b.N; i++ {
		if _, err := Parse(in); err != nil {
			b.Fatal(err)
		}
	}
}
