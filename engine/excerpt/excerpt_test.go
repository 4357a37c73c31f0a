package excerpt

import (
	"runtime"
	"strings"
	"testing"
)

func TestQuote(t *testing.T) {
	long := strings.Repeat("a", 150)
	cases := []struct {
		name, in, want string
	}{
		{"short", "ZZZ", `"ZZZ"`},
		{"invalid byte shown escaped", "12345\xff789012", `"12345\xff789012"`},
		{"NUL shown escaped", "a\x00b", `"a\x00b"`},
		{"exactly 100 characters", long[:100], `"` + long[:100] + `"`},
		{"101 characters are cut to 100", long[:101], `"` + long[:100] + `"…`},
		{"multi-byte runes counted as one", strings.Repeat("é", 101), `"` + strings.Repeat("é", 100) + `"…`},
		{"invalid bytes counted as one", strings.Repeat("\xff", 101), `"` + strings.Repeat(`\xff`, 100) + `"…`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Quote(tc.in); got != tc.want {
				t.Fatalf("Quote = %s, want %s", got, tc.want)
			}
			if got := Bytes([]byte(tc.in)); got != tc.want {
				t.Fatalf("Bytes = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestBytesOfAHugeFieldCopiesOnlyItsHead(t *testing.T) {
	huge := []byte(strings.Repeat("x", 50<<20))
	got := Bytes(huge)
	if want := `"` + strings.Repeat("x", 100) + `"…`; got != want {
		t.Fatalf("got %d bytes", len(got))
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	Bytes(huge)
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 64<<10 {
		t.Fatalf("quoting allocated %d bytes", n)
	}
}

func TestName(t *testing.T) {
	for in, want := range map[string]string{
		"lineItem/UnblendedCost": "lineItem/UnblendedCost",
		"tags/a\\b.release":      "tags/a\\b.release",
		"bad\xffname":            `"bad\xffname"`,
		"tab\tin name":           `"tab\tin name"`,
		strings.Repeat("n", 101): `"` + strings.Repeat("n", 100) + `"…`,
	} {
		if got := Name(in); got != want {
			t.Errorf("Name(%q) = %s, want %s", in, got, want)
		}
	}
}
