package store

import (
	"fmt"
	"strings"
	"testing"

	"rebill/engine/lineitem"
)

// TestEncoderIDsByContent: the encoder's memory of ids by address gives
// every value one id and one dictionary entry, whether the rows share one
// string per value (as the interner hands them), repeat it in copies at
// other addresses, or hold so many values that the memory's slots are
// reused; the rows decode back exactly.
func TestEncoderIDsByContent(t *testing.T) {
	const values = 3 * seenSlots
	shared := make([]string, values)
	for i := range shared {
		shared[i] = fmt.Sprintf("i-%017x", i*7919)
	}
	var items []lineitem.Item
	for round := range 3 {
		for i, v := range shared {
			if round == 1 {
				v = strings.Clone(v) // the same value at another address
			}
			items = append(items, lineitem.Item{Provider: lineitem.AWS, PayerAccount: fuzzHead.Payer, BillingPeriod: fuzzHead.Period,
				Currency: fuzzHead.Currency, UsageAccount: "111111111111", ResourceID: v, UsageType: shared[(i*31)%values]})
		}
	}
	// A field's next value can start where its last one does: a prefix
	// of it, sharing its first byte's address.
	for _, v := range []string{shared[0], shared[0][:5], shared[0][:5], shared[0]} {
		items = append(items, lineitem.Item{Provider: lineitem.AWS, PayerAccount: fuzzHead.Payer, BillingPeriod: fuzzHead.Period,
			Currency: fuzzHead.Currency, UsageAccount: "111111111111", ResourceID: v, UsageType: shared[1]})
	}
	enc := newEncoder(fuzzHead)
	for i := range items {
		enc.add(&items[i])
	}
	// One id per value: "" is 0, then the account, each resource id and
	// the prefix.
	if want := uint64(1 + 1 + values + 1); enc.nextID != want {
		t.Errorf("%d ids given, want %d: a value got two ids", enc.nextID, want)
	}
	got, _ := roundTrip(t, fuzzHead, items)
	if len(got) != len(items) {
		t.Fatalf("%d rows back, want %d", len(got), len(items))
	}
	for i := range items {
		if got[i].ResourceID != items[i].ResourceID || got[i].UsageType != items[i].UsageType || got[i].UsageAccount != items[i].UsageAccount {
			t.Fatalf("row %d: %q %q %q, want %q %q %q", i, got[i].ResourceID, got[i].UsageType, got[i].UsageAccount,
				items[i].ResourceID, items[i].UsageType, items[i].UsageAccount)
		}
	}
}
