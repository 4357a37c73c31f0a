package billing

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestEnteredRateValidate: every problem of a typed rate at once.
func TestEnteredRateValidate(t *testing.T) {
	tests := []struct {
		name string
		r    EnteredRate
		want []string
	}{
		{"valid once normalized", EnteredRate{From: " usd", To: "eur ", Period: "2026-09", Rate: dec("0.9123"), Source: " ECB "}.Normalize(), nil},
		{"everything wrong", EnteredRate{From: "USX", Period: "2026-9", Rate: dec("-1")},
			[]string{`"USX" is not an ISO 4217`, "converted to is empty", `month "2026-9" is not a month`, "rate -1 is not positive", "no source"}},
		{"same currency", EnteredRate{From: "USD", To: "USD", Period: "2026-09", Rate: dec("1"), Source: "x"}, []string{"needs no rate"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.r.Validate()
			if len(tc.want) == 0 && err != nil {
				t.Fatalf("valid rate refused: %v", err)
			}
			for _, w := range tc.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("error %v, want it to say %q", err, w)
				}
			}
		})
	}
	if r := (EnteredRate{From: " usd", To: "eur ", Source: " ECB "}).Normalize(); r.From != "USD" || r.To != "EUR" || r.Source != "ECB" || r.Pair() != "USD/EUR" {
		t.Errorf("normalized %+v", r)
	}
}

// TestRateTableLookup: the rule a statement looks rates up by, the same
// for the store's one-at-a-time lookup and a month's table.
func TestRateTableLookup(t *testing.T) {
	table := NewRateTable([]EnteredRate{{From: "USD", To: "EUR", Period: "2026-09", Rate: dec("0.91"), Source: "ECB"}})
	tests := []struct {
		name, from, to, period string
		rate, source           string
		err                    string
	}{
		{"entered", "USD", "EUR", "2026-09", "0.91", "ECB", ""},
		{"itself at 1", "JPY", "JPY", "2026-09", "1", "", ""},
		{"never inverted", "EUR", "USD", "2026-09", "0", "", "a USD/EUR rate is entered but rates are not inverted: enter the EUR/USD rate too"},
		{"another month", "USD", "EUR", "2026-10", "0", "", ErrNoRate.Error()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rate, src, err := table.Lookup(tc.from, tc.to, tc.period)
			if !rate.Equal(dec(tc.rate)) || src != tc.source {
				t.Errorf("rate %s %q, want %s %q", rate, src, tc.rate, tc.source)
			}
			switch {
			case tc.err == "" && err != nil:
				t.Errorf("error %v", err)
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err) || !errors.Is(err, ErrNoRate)):
				t.Errorf("error %v, want ErrNoRate saying %q", err, tc.err)
			}
		})
	}
}

// TestNewOverride: a code goes in any section but Marketplace and
// Credits, which follow from the line; an empty code is refused.
func TestNewOverride(t *testing.T) {
	tests := []struct {
		name, code string
		t          ProductType
		isDefault  bool
		err        string
	}{
		{"to another section", " AmazonS3 ", Other, false, ""},
		{"to its own section", "amazons3", Storage, true, ""},
		{"Marketplace follows from the line", "AmazonEC2", Marketplace, false, `cannot be put in the "Marketplace" section`},
		{"Credits too", "AmazonEC2", Credits, false, `cannot be put in the "Credits" section`},
		{"no code", " ", Compute, false, "the product code is empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o, err := NewOverride(tc.code, tc.t)
			switch {
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Errorf("error %v, want %q", err, tc.err)
			case tc.err == "" && (err != nil || o.IsDefault() != tc.isDefault || o.Code != strings.TrimSpace(tc.code)):
				t.Errorf("override %+v %v, default %v", o, err, tc.isDefault)
			}
		})
	}
	for in, want := range map[string]ProductType{"compute": Compute, " machine learning ": MachineLrn} {
		if got, err := ParseProductType(in); err != nil || got != want {
			t.Errorf("ParseProductType(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseProductType("Compoot"); err == nil || !strings.Contains(err.Error(), "use one of Compute, Storage") {
		t.Errorf("unknown section: %v", err)
	}
}

// TestEnteredRateSupersede: a changed rate keeps the one it replaces,
// with its source and both times; the same rate again changes nothing.
func TestEnteredRateSupersede(t *testing.T) {
	first := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	second := time.Date(2026, 10, 3, 14, 0, 0, 0, time.UTC)
	now := time.Date(2026, 10, 5, 8, 30, 0, 0, time.UTC)
	old := EnteredRate{From: "USD", To: "EUR", Period: "2026-09", Rate: dec("0.9100"), Source: "ECB 2026-09-30", Entered: second,
		History: []PastRate{{Rate: dec("0.95"), Source: "typo", Entered: first, Replaced: second}}}
	tests := []struct {
		name        string
		next        EnteredRate
		wantChanged bool
		wantRate    string
		wantHistory []PastRate
	}{
		{"same rate and source", EnteredRate{From: "USD", To: "EUR", Period: "2026-09", Rate: dec("0.91"), Source: "ECB 2026-09-30"}, false, "0.91",
			[]PastRate{{Rate: dec("0.95"), Source: "typo", Entered: first, Replaced: second}}},
		{"new rate", EnteredRate{From: "USD", To: "EUR", Period: "2026-09", Rate: dec("0.9123"), Source: "ECB 2026-09-30"}, true, "0.9123",
			[]PastRate{{Rate: dec("0.95"), Source: "typo", Entered: first, Replaced: second}, {Rate: dec("0.91"), Source: "ECB 2026-09-30", Entered: second, Replaced: now}}},
		{"same rate, new source", EnteredRate{From: "USD", To: "EUR", Period: "2026-09", Rate: dec("0.91"), Source: "Bank statement"}, true, "0.91",
			[]PastRate{{Rate: dec("0.95"), Source: "typo", Entered: first, Replaced: second}, {Rate: dec("0.91"), Source: "ECB 2026-09-30", Entered: second, Replaced: now}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, changed := old.Supersede(tc.next, now)
			if changed != tc.wantChanged || !got.Rate.Equal(dec(tc.wantRate)) {
				t.Fatalf("got %s changed %v, want %s changed %v", got.Rate, changed, tc.wantRate, tc.wantChanged)
			}
			if changed && !got.Entered.Equal(now) {
				t.Errorf("entered %v, want %v", got.Entered, now)
			}
			if !changed && !got.Entered.Equal(second) {
				t.Errorf("unchanged rate entered %v, want %v", got.Entered, second)
			}
			if len(got.History) != len(tc.wantHistory) {
				t.Fatalf("history %+v, want %+v", got.History, tc.wantHistory)
			}
			for i, w := range tc.wantHistory {
				h := got.History[i]
				if !h.Rate.Equal(w.Rate) || h.Source != w.Source || !h.Entered.Equal(w.Entered) || !h.Replaced.Equal(w.Replaced) {
					t.Errorf("history[%d] %+v, want %+v", i, h, w)
				}
			}
		})
	}
	if len(old.History) != 1 {
		t.Errorf("the replaced rate's own history changed: %+v", old.History)
	}
}

// TestRateErrorSaysWhereToEnterIt: the refusal names the command that
// enters the missing rate, with the pair and month filled in, and the
// window's place; a lookup's own cause is kept, the plain "no exchange
// rate" is not repeated.
func TestRateErrorSaysWhereToEnterIt(t *testing.T) {
	missing := &RateError{From: "USD", To: "EUR", Period: "2023-09", Err: ErrNoRate}
	if got, want := missing.Error(), "no USD to EUR exchange rate for 2023-09: enter it (rebill rates set USD EUR 2023-09 RATE --source SOURCE, or Settings > Exchange rates), then try again"; got != want {
		t.Errorf("%q\nwant %q", got, want)
	}
	if !errors.Is(missing, ErrNoRate) {
		t.Error("the refusal does not wrap ErrNoRate")
	}
	broken := &RateError{From: "USD", To: "JPY", Period: "2023-09", Err: errors.New("the rates table is damaged")}
	if got := broken.Error(); !strings.HasSuffix(got, "then try again (the rates table is damaged)") {
		t.Errorf("%q does not keep the lookup's cause", got)
	}
}
