package ingest

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestConfirmFinal: the accountant's word makes a provisional delivery
// final once its month has ended, recorded with when, who and why; it is
// refused where it would say nothing true or new.
func TestConfirmFinal(t *testing.T) {
	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	provisional := func() Delivery { d := part("ea.csv", 0, Origin{}, "8.5", false, "2024-10-31"); d.ID = 3; return d }
	for _, tc := range []struct {
		name   string
		d      Delivery
		now    string
		reason string
		err    string // a substring of the refusal; "" when confirmed
	}{
		{name: "the first instant after October", d: provisional(), now: "2024-11-01T00:00:00Z", reason: " invoice D-17 "},
		{name: "weeks later, in the accountant's zone", d: provisional(), now: "2024-11-09T10:30:00+01:00", reason: "Azure close announced"},
		{name: "the last second of October", d: provisional(), now: "2024-10-31T23:59:59Z", reason: "early",
			err: "2024-10 has not ended yet: usage is added until 2024-11-01 00:00 UTC"},
		// 1 November 00:30 in Paris is still 31 October in UTC, where
		// providers meter usage.
		{name: "already November in Paris, not in UTC", d: provisional(), now: "2024-11-01T00:30:00+01:00", reason: "early",
			err: "2024-10 has not ended yet"},
		{name: "no reason", d: provisional(), now: "2024-11-05T09:00:00Z", reason: "  ",
			err: "say what shows that aws 2024-10 is final"},
		{name: "final by its files", d: part("cur.csv", 0, Origin{}, "8.5", true, "2024-10-31"), now: "2024-11-05T09:00:00Z", reason: "x",
			err: "is final already: its files carry the provider's invoice id (INV-1)"},
		{name: "a part missing", d: func() Delivery { d := provisional(); d.Missing = []string{"report-00002.csv"}; return d }(),
			now: "2024-11-05T09:00:00Z", reason: "x", err: `still lacks part "report-00002.csv"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.d
			err := d.ConfirmFinal(at(tc.now), "alice", tc.reason)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got %v, want a refusal saying %q", err, tc.err)
				}
				if d.Confirmed != nil || d.Final != tc.d.Final {
					t.Errorf("a refusal changed the delivery: final %v, confirmed %+v", d.Final, d.Confirmed)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := Confirmation{At: at(tc.now).UTC(), By: "alice", Reason: strings.TrimSpace(tc.reason)}
			if !d.Final || d.Confirmed == nil || *d.Confirmed != want {
				t.Fatalf("final %v, confirmed %+v; want final and %+v", d.Final, d.Confirmed, want)
			}
			if d.Confirmed.At.Location() != time.UTC {
				t.Errorf("the time is kept in %v, not UTC", d.Confirmed.At.Location())
			}
			again := d
			if err := again.ConfirmFinal(at(tc.now).Add(time.Hour), "bob", "again"); err == nil ||
				!strings.Contains(err.Error(), "was confirmed final already, by alice on ") {
				t.Errorf("a second confirmation: %v", err)
			}
		})
	}
}

// TestConfirmedDeliveryOnReDelivery: once confirmed, the delivery is
// final for the rule that keeps the fresher delivery: a provisional
// re-delivery is refused naming the confirmation, the provider's own
// final data replaces it, and parts joined to it undo the confirmation.
func TestConfirmedDeliveryOnReDelivery(t *testing.T) {
	cur := part("ea.csv", 0, Origin{}, "8.5", false, "2024-10-31")
	cur.ID = 3
	if err := cur.ConfirmFinal(time.Date(2024, 11, 9, 0, 0, 0, 0, time.UTC), "alice", "invoice D-17"); err != nil {
		t.Fatal(err)
	}

	_, err := Resolve(&cur, []Delivery{part("ea2.csv", 0, Origin{}, "9", false, "2024-10-31")}, false)
	if !errors.Is(err, ErrOlder) || !strings.Contains(err.Error(), "it is provisional and the current delivery is final") ||
		!strings.Contains(err.Error(), "final (confirmed by alice on 2024-11-09 00:00: invoice D-17)") {
		t.Errorf("a provisional re-delivery after the confirmation: %v", err)
	}
	steps, err := Resolve(&cur, []Delivery{part("ea2.csv", 0, Origin{}, "9", false, "2024-10-31")}, true)
	if err != nil || len(steps) != 1 || steps[0].Delivery.Status != Replaced {
		t.Errorf("--replace still takes it: %+v, %v", steps, err)
	}
	steps, err = Resolve(&cur, []Delivery{part("cur.csv", 0, Origin{}, "9", true, "2024-10-31")}, false)
	if err != nil || len(steps) != 1 || steps[0].Delivery.Status != Replaced || steps[0].Delivery.Confirmed != nil {
		t.Errorf("the provider's final data: %+v, %v", steps, err)
	}

	joined := cur
	joined.merge(part("ea-2.csv", 2, Origin{}, "1", false, "2024-10-31"))
	if joined.Final || joined.Confirmed != nil {
		t.Errorf("parts joined after the confirmation: final %v, confirmed %+v", joined.Final, joined.Confirmed)
	}
}
