package invoice_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"rebill/engine/billing"
	"rebill/engine/invoice"
)

// reimport computes ACME's month again with extra line items, with the
// invoice's own options.
func reimport(t *testing.T, inv invoice.Invoice, extra ...item) *billing.Statement {
	t.Helper()
	return statement(t, month(t, append(extra, acmeItems...)...), acme, inv.Options, billing.Ledger{})
}

// TestDiff: a late provider credit of 100.00 on EC2, worked by hand:
// discount 5% of 1394.68 = 69.734 -> -69.73 (was -74.73, +5.00);
// tax 8.25% of 1437.18 - 69.73 - 42.50 = 1324.95 -> 109.308375 -> 109.31
// (was 117.15, -7.84); total 1476.76 (was 1579.60, -102.84).
func TestDiff(t *testing.T) {
	inv := issued(t, draft(t, "17"))
	fresh := reimport(t, inv, item{acct: acctA, code: "AmazonEC2", name: "Amazon Elastic Compute Cloud", cost: "-100", typ: "Credit"})
	d, err := invoice.Diff(inv, fresh)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, l := range d.Lines {
		got[string(l.ProductType)+"/"+l.Service] = l.Was.String() + " " + l.Now.String() + " " + l.By.String()
	}
	want := map[string]string{
		"Compute/AmazonEC2":        "1234.57 1234.57 0.00",
		"Storage/AmazonS3":         "10.01 10.01 0.00",
		"Database/AmazonRDS":       "250.10 250.10 0.00",
		"Marketplace/prodfirewall": "42.50 42.50 0.00",
		"Credits/AmazonEC2":        "0.00 -100.00 -100.00",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("lines %v", got)
	}
	if d.Lines[len(d.Lines)-1].ProductType != billing.Credits {
		t.Errorf("lines not in printed order: %+v", d.Lines)
	}
	for name, c := range map[string]invoice.Change{"discount": d.Discount, "tax": d.Tax, "total": d.Total} {
		w := map[string]string{"discount": "5.00", "tax": "-7.84", "total": "-102.84"}[name]
		if c.By.String() != w {
			t.Errorf("%s changed by %s, want %s", name, c.By, w)
		}
	}
	if !d.Changed() {
		t.Error("no change reported")
	}
	same, err := invoice.Diff(inv, reimport(t, inv))
	if err != nil || same.Changed() {
		t.Errorf("the same month differs: %v %+v", err, same.Total)
	}
}

func TestDiffRefusesAnotherCurrency(t *testing.T) {
	inv := issued(t, draft(t, "17"))
	fresh := reimport(t, inv)
	fresh.Currency = "EUR"
	if _, err := invoice.Diff(inv, fresh); err == nil || !strings.Contains(err.Error(), "is in USD and the fresh statement in EUR") {
		t.Errorf("got %v", err)
	}
}

// TestCorrectDecrease: a decrease with no line going up is one credit
// note of the differences, and invoice + credit note = fresh statement,
// figure by figure.
func TestCorrectDecrease(t *testing.T) {
	inv := issued(t, draft(t, "17"))
	fresh := reimport(t, inv, item{acct: acctA, code: "AmazonEC2", name: "Amazon Elastic Compute Cloud", cost: "-100", typ: "Credit"})
	var c invoice.Correction
	unchanged(t, inv, func(inv invoice.Invoice) {
		var err error
		c, err = inv.Correct(invoice.CorrectionRequest{Fresh: fresh, CreditNoteID: "c1", ReplacementID: "d1", Customer: acme, Profile: profile, Now: now})
		if err != nil {
			t.Fatal(err)
		}
	})
	if c.Replacement != nil {
		t.Fatalf("a decrease got a replacement invoice")
	}
	n := c.CreditNote
	addsUp(t, n.Figures)
	if n.Total.String() != "-102.84" || n.Discount.String() != "5.00" || n.Tax.String() != "-7.84" || n.Corrects != "17" {
		t.Errorf("credit note total %s discount %s tax %s corrects %s", n.Total, n.Discount, n.Tax, n.Corrects)
	}
	if got := lines(n.Figures); len(got) != 1 || got["Credits/AmazonEC2"] != "-100.00" {
		t.Errorf("credit note lines %v", got)
	}
	if !strings.Contains(n.Reason, "the billing data for 2026-09 changed after invoice INV-2026-00001 was issued") {
		t.Errorf("reason %q", n.Reason)
	}
	for _, f := range []struct {
		name           string
		inv, note, now billing.Amount
	}{
		{"subtotal", inv.Subtotal, n.Subtotal, fresh.Subtotal}, {"discount", inv.Discount, n.Discount, fresh.Discount},
		{"tax", inv.Tax, n.Tax, fresh.Tax}, {"total", inv.Total, n.Total, fresh.Total},
	} {
		if !f.inv.Add(f.note).Decimal().Equal(f.now.Decimal()) {
			t.Errorf("%s: invoice %s + note %s != fresh %s", f.name, f.inv, f.note, f.now)
		}
	}
}

// TestCorrectWithReplacement: an increase, lines moving both ways, or an
// invoice already credited are corrected by a credit note of what is left
// and a replacement draft of the fresh statement.
func TestCorrectWithReplacement(t *testing.T) {
	inv := issued(t, draft(t, "17"))
	partial, err := inv.CreditNote(invoice.CreditRequest{ID: "c0", Amount: dec("79.60"), Reason: "goodwill", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	more := item{acct: acctA, code: "AmazonEC2", name: "Amazon Elastic Compute Cloud", cost: "80"}
	for _, tc := range []struct {
		name     string
		extra    []item
		earlier  []invoice.Invoice
		credited string
	}{
		{"increase", []item{more}, nil, "-1579.60"},
		{"both ways", []item{more, {acct: acctA, code: "AmazonS3", cost: "-5", typ: "Credit"}, {acct: acctA, code: "AmazonRDS", cost: "-200", typ: "Credit"}}, nil, "-1579.60"},
		{"already credited", []item{{acct: acctA, code: "AmazonRDS", cost: "-200", typ: "Credit"}}, []invoice.Invoice{partial}, "-1500.00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fresh := reimport(t, inv, tc.extra...)
			c, err := inv.Correct(invoice.CorrectionRequest{Fresh: fresh, Earlier: tc.earlier, CreditNoteID: "c1", ReplacementID: "d1", Customer: acme, Profile: profile, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if c.CreditNote.Total.String() != tc.credited || c.CreditNote.Kind != invoice.KindCreditNote {
				t.Errorf("credit note total %s, want %s", c.CreditNote.Total, tc.credited)
			}
			r := c.Replacement
			if r == nil {
				t.Fatal("no replacement")
			}
			if r.ID != "d1" || r.Status != invoice.Draft || !r.Total.Decimal().Equal(fresh.Total.Decimal()) {
				t.Errorf("replacement %s %s total %s, fresh %s", r.ID, r.Status, r.Total, fresh.Total)
			}
			if len(r.Notes) != 1 || r.Notes[0] != "Replaces invoice INV-2026-00001, credited in full." {
				t.Errorf("replacement notes %q", r.Notes)
			}
		})
	}
}

func TestCorrectRefusals(t *testing.T) {
	d := draft(t, "17")
	inv := issued(t, d)
	same := reimport(t, inv)
	if _, err := inv.Correct(invoice.CorrectionRequest{Fresh: same, CreditNoteID: "c", ReplacementID: "r", Customer: acme, Profile: profile}); err == nil || !strings.Contains(err.Error(), "nothing to correct") {
		t.Errorf("no change: %v", err)
	}
	if _, err := d.Correct(invoice.CorrectionRequest{Fresh: same}); err == nil || !strings.Contains(err.Error(), "Draft") {
		t.Errorf("a draft: %v", err)
	}
}

// TestDifferenceRows: the rows every face lists for a difference, in
// order: the changed lines, then the changed figures below them, the
// support total among them when it changed.
func TestDifferenceRows(t *testing.T) {
	inv := issued(t, draft(t, "17"))
	rowsOf := func(d invoice.Difference) []string {
		var out []string
		for _, r := range d.Rows() {
			out = append(out, fmt.Sprintf("%s|%s|%s|%v", r.Section, r.Name, r.By, r.IsLine()))
		}
		return out
	}
	// A provider credit of 100: the credit line, the discount on it and
	// the tax on it (as TestDiff computes them by hand).
	d, err := invoice.Diff(inv, reimport(t, inv, item{acct: acctA, code: "AmazonEC2", name: "Amazon Elastic Compute Cloud", cost: "-100", typ: "Credit"}))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Credits|Amazon Elastic Compute Cloud|-100.00|true", "|Discount|5.00|false", "|Tax|-7.84|false"}
	if got := rowsOf(d); !slices.Equal(got, want) {
		t.Errorf("rows\n %v\nwant\n %v", got, want)
	}
	// Support changes with the charges: its total is a row of its own.
	d.Support = invoice.Change{Was: d.Total.Was, Now: d.Total.Was, By: d.Total.By}
	if got := rowsOf(d); len(got) != 4 || got[2] != "|Support (total)|-102.84|false" {
		t.Errorf("with support changed: %v", got)
	}
}
