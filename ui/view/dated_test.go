package view

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
	"rebill/store"
)

// TestDatedTermsInHistory: an adjustment edited from April shows in the
// customer's history with its month, and the form's note lists it.
func TestDatedTermsInHistory(t *testing.T) {
	before := customer.Customer{ID: "ACME", Name: "Acme Corp", Currency: "USD"}
	after := before
	after.Adjustment = decimal.RequireFromString("-3")
	after.RecordTerms("2025-04", before)
	raw := func(c customer.Customer) json.RawMessage {
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	rows := History([]store.Change{{At: time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC), Kind: store.KindCustomer, Key: "ACME",
		Old: raw(before), New: raw(after)}})
	if len(rows) != 1 || rows[0].Change() != "0 → -3 (from 2025-04)" {
		t.Errorf("history rows %+v, want the adjustment 0 → -3 from 2025-04", rows)
	}
	text := TermsHistoryText(after)
	if !strings.HasPrefix(text, "Terms by month: From 2025-04: adjustment_percent: 0 → -3. A change") {
		t.Errorf("TermsHistoryText = %q", text)
	}
	if got := TermsHistoryText(before); !strings.HasPrefix(got, "A change to the currency") {
		t.Errorf("undated: %q", got)
	}
}
