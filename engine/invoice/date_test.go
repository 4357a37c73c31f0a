package invoice

import (
	"strings"
	"testing"
)

// TestParseDateSaysWhatIsWrong: a day of the right shape that is not on
// the calendar says so, with the month's length (February 2026 has 28
// days, April 30); any other shape asks for YYYY-MM-DD.
func TestParseDateSaysWhatIsWrong(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"2026-02-28", ""},
		{"2028-02-29", ""},
		{"2026-02-29", `date "2026-02-29" is not on the calendar: 2026-02 has 28 days`},
		{"2026-04-31", `date "2026-04-31" is not on the calendar: 2026-04 has 30 days`},
		{"2026-13-01", `date "2026-13-01" is not on the calendar: a month is 01 to 12`},
		{"2026-12-4", `date "2026-12-4" is not a YYYY-MM-DD day`},
		{"04.12.2026", `date "04.12.2026" is not a YYYY-MM-DD day`},
	} {
		d, err := ParseDate(c.in)
		switch {
		case c.want == "" && (err != nil || d.String() != c.in):
			t.Errorf("%s: %v %v", c.in, d, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: %v, want %q", c.in, err, c.want)
		}
	}
}
