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

// TestEncoderFollowsValuesMetInTurn gives the encoder 5,000 resources in
// the same order every hour, each with its Name tag, and a tag more on
// some: from the second hour on, each resource id is the one the encoder
// expects after the one before (encoder.follow), and every row, tags
// included, decodes back exactly.
func TestEncoderFollowsValuesMetInTurn(t *testing.T) {
	const resources = 5000
	resourceField := -1
	probe := lineitem.Item{ResourceID: "probe"}
	for i, s := range stringFields(&probe) {
		if *s == "probe" {
			resourceField = i
		}
	}
	ids := make([]string, resources)
	names := make([]string, resources)
	for i := range ids {
		ids[i] = fmt.Sprintf("i-%017x", i*7919)
		names[i] = fmt.Sprintf("web-%04d", i%1700)
	}
	enc := newEncoder(fuzzHead)
	var items []lineitem.Item
	for hour := range 3 {
		for i := range ids {
			it := lineitem.Item{Provider: lineitem.AWS, PayerAccount: fuzzHead.Payer, BillingPeriod: fuzzHead.Period,
				Currency: fuzzHead.Currency, UsageAccount: "111111111111", ResourceID: ids[i],
				Tags: []lineitem.Tag{{Key: "Name", Value: names[i]}}}
			if i%3 == 0 {
				it.Tags = append(it.Tags, lineitem.Tag{Key: "team", Value: fmt.Sprint("t", i%7)})
			}
			if hour > 0 && i > 0 {
				last := enc.lastIDs[resourceField]
				if last.id >= uint64(len(enc.next)) || enc.next[last.id].s != ids[i] {
					t.Fatalf("hour %d: after %s the encoder does not expect %s", hour, ids[i-1], ids[i])
				}
			}
			items = append(items, it)
			enc.add(&items[len(items)-1])
		}
	}
	got, _ := roundTrip(t, fuzzHead, items)
	if len(got) != len(items) {
		t.Fatalf("%d rows back, want %d", len(got), len(items))
	}
	for i := range items {
		if got[i].ResourceID != items[i].ResourceID || fmt.Sprint(got[i].Tags) != fmt.Sprint(items[i].Tags) {
			t.Fatalf("row %d: %q %v, want %q %v", i, got[i].ResourceID, got[i].Tags, items[i].ResourceID, items[i].Tags)
		}
	}
}
