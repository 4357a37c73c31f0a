package store

import (
	"errors"
	"strings"
	"testing"
	"time"

	"rebill/engine/ingest"
	"rebill/engine/period"
)

// TestConfirmFinal: the accountant confirms a month's provisional data
// final, payer by payer or all at once; each confirmation lands in the
// delivery's history and the audit log, the month then reads final, and
// a provisional re-delivery no longer replaces it silently. Refusals
// write nothing.
func TestConfirmFinal(t *testing.T) {
	db := openTest(t)
	first, _ := csvFile(t, "222222222222", "2024-03", 50, false)
	second, _ := csvFile(t, "333333333333", "2024-03", 5, false)
	again, _ := csvFile(t, "222222222222", "2024-03", 80, false)
	for _, p := range []string{first, second} {
		if _, err := importPath(t, db, p); err != nil {
			t.Fatal(err)
		}
	}
	if m, _, _ := db.MonthOf("2024-03"); m.Final {
		t.Fatal("the test files are meant to be provisional (no invoice id)")
	}
	at := time.Date(2024, 4, 9, 10, 0, 0, 0, time.UTC)
	ask := func(provider, payer, reason string, now time.Time) FinalConfirmation {
		return FinalConfirmation{Period: "2024-03", Provider: provider, Payer: payer, Reason: reason, By: "ann", Now: now}
	}

	before := dump(t, db)
	for _, tc := range []struct {
		req  FinalConfirmation
		want string
	}{
		{ask("", "", "invoice D-1", time.Date(2024, 3, 31, 23, 0, 0, 0, time.UTC)), "2024-03 has not ended yet"},
		{ask("", "", "", at), "say what shows that aws 2024-03 is final"},
		{ask("azure", "", "invoice D-1", at), "2024-03 has no azure data: its providers are aws"},
		{ask("aws", "444444444444", "invoice D-1", at), "2024-03 has no data of payer 444444444444: its payers are 222222222222, 333333333333"},
		{FinalConfirmation{Period: "2024-04", Reason: "x", Now: at}, "nothing is imported for 2024-04"},
	} {
		if _, err := db.ConfirmFinal(tc.req); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want %q", tc.req, err, tc.want)
		}
	}
	if dump(t, db) != before {
		t.Fatal("a refused confirmation changed the database")
	}

	ds, err := db.ConfirmFinal(ask("aws", "222222222222", " distributor invoice D-1 ", at))
	if err != nil || len(ds) != 1 || ds[0].Payer != "222222222222" || !ds[0].Final ||
		*ds[0].Confirmed != (ingest.Confirmation{At: at, By: "ann", Reason: "distributor invoice D-1"}) {
		t.Fatalf("confirm one payer: %+v, %v", ds, err)
	}
	if last := ds[0].Events[len(ds[0].Events)-1]; last.What != "confirmed final: distributor invoice D-1" || last.By != "ann" || !last.At.Equal(at) {
		t.Errorf("the delivery's history ends with %+v", last)
	}
	if m, _, _ := db.MonthOf("2024-03"); m.Final {
		t.Error("the month is final while payer 333333333333 is still provisional")
	}
	// Without a payer: the other payer only; the confirmed one is left.
	ds, err = db.ConfirmFinal(ask("", "", "distributor invoice D-1", at.Add(time.Hour)))
	if err != nil || len(ds) != 1 || ds[0].Payer != "333333333333" {
		t.Fatalf("confirm the rest: %+v, %v", ds, err)
	}
	if m, _, _ := db.MonthOf("2024-03"); !m.Final {
		t.Error("every payer is confirmed but the month is not final")
	}
	st, err := db.PeriodStatus("2024-03")
	if err != nil || !st.Final || len(st.Rows) != 2 || st.Rows[0].Confirmed == nil || st.Rows[1].Confirmed == nil {
		t.Errorf("status %+v, %v", st, err)
	}
	if _, err := db.ConfirmFinal(ask("", "", "once more", at.Add(2*time.Hour))); err == nil ||
		!strings.Contains(err.Error(), "was confirmed final already, by ann on 2024-04-09 ") {
		t.Errorf("confirming a final month again: %v", err)
	}

	log, err := db.AuditLog()
	if err != nil {
		t.Fatal(err)
	}
	var confirmed []string
	for _, e := range log {
		if e.Action == period.ActionConfirmFinal {
			confirmed = append(confirmed, e.Invoice)
		}
	}
	if len(confirmed) != 2 || confirmed[0] == confirmed[1] || !strings.HasPrefix(confirmed[0], "delivery:") {
		t.Errorf("audit entries of the confirmations: %v", confirmed)
	}
	if _, err := db.VerifyAudit(); err != nil {
		t.Errorf("the audit log: %v", err)
	}

	// A provisional re-delivery with later usage no longer replaces the
	// confirmed one unless the accountant chooses it.
	if _, err := importPath(t, db, again); !errors.Is(err, ingest.ErrOlder) {
		t.Fatalf("a provisional re-delivery after the confirmation: %v", err)
	}
	res, err := importPaths(t, db, true, again)
	if err != nil || res.Deliveries[0].Status != ingest.Replaced {
		t.Fatalf("with --replace: %+v, %v", res.Deliveries, err)
	}
	if m, _, _ := db.MonthOf("2024-03"); m.Final {
		t.Error("the month still reads final after a provisional delivery replaced the confirmed one")
	}
}
