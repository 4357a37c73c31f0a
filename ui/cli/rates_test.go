package cli

import (
	"strings"
	"testing"
	"time"
)

// TestRatesHistory: changing a month's rate keeps the one it replaced,
// with its source and times, in `rates list` (text and JSON), and `rates
// set` says what it replaced.
func TestRatesHistory(t *testing.T) {
	t.Setenv("TZ", "UTC")
	db := tempDB(t)
	at(t, time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC))
	out, _, _ := cli(t, db, "rates", "set", "USD", "EUR", "2026-09", "0.9123", "--source", "ECB 2026-09-30")
	if want := "2026-09: 1 USD = 0.9123 EUR (ECB 2026-09-30).\n"; out != want {
		t.Errorf("first set says %q, want %q", out, want)
	}
	at(t, time.Date(2026, 10, 5, 8, 30, 0, 0, time.UTC))
	out, _, _ = cli(t, db, "rates", "set", "USD", "EUR", "2026-09", "0.92", "--source", "ECB corrected")
	if want := "It replaces 0.9123 (ECB 2026-09-30), kept in the rate's history."; !strings.Contains(out, want) {
		t.Errorf("second set says %q, want it to say %q", out, want)
	}

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"text", []string{"rates", "list"},
			"0.92  ECB corrected  2026-10-05 08:30  0.9123 (ECB 2026-09-30), entered 2026-10-01 09:00, replaced 2026-10-05 08:30"},
		{"json keeps its fields and adds the history", []string{"rates", "list", "--json"},
			`"rate": "0.92", "source": "ECB corrected", "entered": "2026-10-05T08:30:00Z", "history": [{"rate": "0.9123", "source": "ECB 2026-09-30", "entered": "2026-10-01T09:00:00Z", "replaced": "2026-10-05T08:30:00Z"}]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := cli(t, db, tc.args...)
			flat := strings.Join(strings.Fields(out), "")
			if code != 0 || !strings.Contains(flat, strings.Join(strings.Fields(tc.want), "")) {
				t.Errorf("exit %d, stderr %q; output:\n%s\nwant it to contain %s", code, errOut, out, tc.want)
			}
		})
	}
}
