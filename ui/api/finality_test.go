package api

import (
	"testing"
	"time"

	"rebill/engine/sample"
	"rebill/store"
)

// TestPeriodsSayWhoConfirmedFinal: a month the accountant confirmed
// final is listed final, with the confirmation, and the response holds
// to the published schema (the fixture's checker).
func TestPeriodsSayWhoConfirmedFinal(t *testing.T) {
	f := newFixture(t)
	importSample(t, f.db, "sample-2026-08.csv", sample.Options{Rows: sample.MinRows, Month: time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC), Seed: 2})
	if _, err := f.db.ConfirmFinal(store.FinalConfirmation{Period: "2026-08", Reason: "distributor invoice D-8", By: "ann", Now: testNow}); err != nil {
		t.Fatal(err)
	}
	var list struct {
		Items []struct {
			Period    string
			Final     bool
			Confirmed *struct{ At, By, Reason string }
		}
	}
	f.get(t, f.read, Base+"/periods", &list)
	seen := map[string]bool{}
	for _, it := range list.Items {
		seen[it.Period] = true
		switch it.Period {
		case "2026-08":
			if !it.Final || it.Confirmed == nil || it.Confirmed.Reason != "distributor invoice D-8" || it.Confirmed.By != "ann" ||
				it.Confirmed.At != "2026-10-05T09:30:00Z" {
				t.Errorf("the confirmed month: %+v", it)
			}
		case "2026-09":
			if !it.Final || it.Confirmed != nil {
				t.Errorf("the month final by its files: %+v", it)
			}
		}
	}
	if !seen["2026-08"] || !seen["2026-09"] {
		t.Errorf("periods %+v", list.Items)
	}
}
