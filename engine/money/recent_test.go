package money

import (
	"testing"
)

// TestRecentParsesAsParse: Recent gives Parse's value and error for every
// kind of number, met once or again, between other amounts that may share
// its slot.
func TestRecentParsesAsParse(t *testing.T) {
	inputs := []string{
		"0.0116", "0.0116", "1.0", "-0.115", "0.0116", "1", "1.00", "-0.115", "0", "0.0", "", "NULL", `\N`,
		"1.4724E-6", "5e-06", "1.4724E-6", " 2.5 ", "2.5", "12345678901234567890.5", "1e31", "1e-31",
		"0.000000000000000000000000000001", "0.0000000000000000000000000000001", "abc", "1.2.3", "-",
		"123456789012345678", "123456789012345678", "-123456789012345678", "-0.0", "0.000", "0E-5", " 0 ",
	}
	// Every value of many coefficients, twice, so that slots are reused.
	for round := 0; round < 2; round++ {
		for i := 1; i <= 2000; i += 7 {
			inputs = append(inputs, "0."+itoa(i), itoa(i))
		}
	}
	var r Recent
	for i, in := range inputs {
		want, wantErr := Parse([]byte(in))
		got, err := r.Parse([]byte(in))
		if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
			t.Fatalf("input %d %q: error %v, Parse says %v", i, in, err, wantErr)
		}
		if !got.Equal(want) || got.Exponent() != want.Exponent() {
			t.Fatalf("input %d %q: %s (exponent %d), Parse says %s (exponent %d)", i, in, got, got.Exponent(), want, want.Exponent())
		}
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

// BenchmarkRecentParse is the parse of a CUR's amounts with and without
// Recent: rates and common costs repeat.
func BenchmarkRecentParse(b *testing.B) {
	amounts := [][]byte{[]byte("0.023"), []byte("0.0928305556"), []byte("1.0"), []byte("0.096"), []byte("0.0"),
		[]byte("0.115"), []byte("4.0361111111"), []byte("0.17"), []byte("0.06"), []byte("0.0828")}
	b.Run("Parse", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			Parse(amounts[i%len(amounts)])
		}
	})
	b.Run("Recent", func(b *testing.B) {
		var r Recent
		for i := 0; i < b.N; i++ {
			r.Parse(amounts[i%len(amounts)])
		}
	})
}
