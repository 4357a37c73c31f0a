package money

import (
	"errors"
	"fmt"
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
