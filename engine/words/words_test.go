package words

import "testing"

func TestWords(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{GroupDigits("-1234567.25"), "-1,234,567.25"},
		{GroupDigits("999"), "999"},
		{GroupDigits("1000"), "1,000"},
		{GroupDigits("0.5"), "0.5"},
		{Count(1234567), "1,234,567"},
		{Plural(1, "problem", "problems"), "1 problem"},
		{Plural(0, "problem", "problems"), "0 problems"},
		{Plural(12345, "row", "rows"), "12,345 rows"},
		{Plural(3, "entry", "entries"), "3 entries"},
		{Noun(1, "column", "columns"), "column"},
		{Noun(2, "column", "columns"), "columns"},
		{List(nil), ""},
		{List([]string{"EUR"}), "EUR"},
		{List([]string{"EUR", "USD"}), "EUR and USD"},
		{List([]string{"CHF", "EUR", "USD"}), "CHF, EUR and USD"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
