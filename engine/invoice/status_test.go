package invoice

import "testing"

// TestStatusLabel: an approved credit note reads "Issued", never "Open",
// which on a credit note would say that something is still awaited on
// it; every other status, and every status of an invoice, reads as its
// Label.
func TestStatusLabel(t *testing.T) {
	for _, tc := range []struct {
		kind Kind
		st   Status
		want string
	}{
		{KindCreditNote, Open, "Issued"},
		{KindCreditNote, Draft, "Draft"},
		{KindCreditNote, Void, "Void"},
		{KindInvoice, Open, "Open"},
		{KindInvoice, PastDue, "Past Due"},
		{KindInvoice, Closed, "Closed"},
	} {
		if got := (Invoice{Kind: tc.kind, Status: tc.st}).StatusLabel(tc.st); got != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.kind, tc.st, got, tc.want)
		}
	}
}
