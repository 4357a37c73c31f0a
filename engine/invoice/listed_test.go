package invoice_test

import (
	"strings"
	"testing"

	"rebill/engine/invoice"
)

// TestListingRoundTrip: a document's listing gives back every field a
// list shows, exactly, and nothing else.
func TestListingRoundTrip(t *testing.T) {
	open := issued(t, draft(t, "17"))
	note, err := open.CreditNote(invoice.CreditRequest{ID: "18", Amount: dec("10"), Reason: "goodwill; see \"ticket\" 42\nsecond line", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	note, _, err = note.Approve(invoice.CreditNoteNumbering("", 1), invoice.NewDate(2026, 10, 6), now)
	if err != nil {
		t.Fatal(err)
	}
	closed, err := open.Close(invoice.NewDate(2026, 10, 20), "BANK-REF 7")
	if err != nil {
		t.Fatal(err)
	}
	closed.Notes, closed.Warnings = []string{"Replaces NCP-2026-00012.", ""}, []string{"a credit grant in EUR was not used"}
	for _, inv := range []invoice.Invoice{draft(t, "16"), open, closed, note} {
		t.Run(inv.Label(), func(t *testing.T) {
			got, err := invoice.ParseListing(inv.MarshalListing())
			if err != nil {
				t.Fatal(err)
			}
			want := inv
			want.Sections, want.TaxLines, want.Rates = nil, nil, nil
			want.DiscountPercent, want.DiscountBase, want.Unrounded = dec("0"), dec("0"), dec("0")
			want.Customer = invoice.Party{Name: inv.Customer.Name}
			want.Seller, want.Options, want.Accounts, want.Deliveries, want.CreditUses = invoice.Seller{}, got.Options, nil, nil, nil
			want.Generated, want.Approved = got.Generated, got.Approved
			got.DiscountPercent, got.DiscountBase, got.Unrounded = want.DiscountPercent, want.DiscountBase, want.Unrounded
			if g, w := string(mustJSON(t, got)), string(mustJSON(t, want)); g != w {
				t.Errorf("listing gives back\n %s\nwant\n %s", g, w)
			}
			if l := inv.Listed(); string(mustJSON(t, l)) != string(mustJSON(t, got)) {
				t.Error("Listed is not what the listing gives back")
			}
		})
	}
}

// TestListingRefusesDamage: a listing that is not one, cut short, from a
// newer Rebill, or whose figures do not add up is refused, naming why.
func TestListingRefusesDamage(t *testing.T) {
	inv := issued(t, draft(t, "17"))
	good := inv.MarshalListing()
	newer := inv
	newer.Version = invoice.Version + 1
	sum := inv
	sum.Total = sum.Total.Add(sum.Tax)
	cents := inv
	cents.Currency = "JPY"
	tests := []struct {
		name string
		b    []byte
		want string
	}{
		{"not a listing", []byte(`{"id":"17"}`), "not a document listing"},
		{"cut short", good[:len(good)-3], "is damaged: the listing is cut short"},
		{"newer", newer.MarshalListing(), "written by a newer Rebill"},
		{"total not the sum", sum.MarshalListing(), "its total"},
		{"more decimals than the currency", cents.MarshalListing(), "has more decimals than JPY allows"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := invoice.ParseListing(tc.b); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}
