package invoice_test

import (
	"strings"
	"testing"
	"time"

	"rebill/engine/billing"
	"rebill/engine/invoice"
)

// plain is ACME billed 1000.00 for one EC2 line: no tax, no discount, so
// every figure below is computed by hand from 1000.00. Issued 2026-10-05
// with 30 days' terms: due 2026-11-04.
func plain(t *testing.T) invoice.Invoice {
	t.Helper()
	c := acme
	c.TaxRates, c.Adjustment = nil, dec("0")
	st := statement(t, month(t, item{acct: acctA, code: "AmazonEC2", name: "Amazon Elastic Compute Cloud", cost: "1000.00"}), c, billing.Options{}, billing.Ledger{})
	d, err := invoice.NewDraft("17", st, c, profile, now)
	if err != nil {
		t.Fatal(err)
	}
	inv := issued(t, d)
	if inv.Total.String() != "1000.00" || inv.DueDate.String() != "2026-11-04" {
		t.Fatalf("the plain invoice is %s due %s, want 1000.00 due 2026-11-04", inv.Total, inv.DueDate)
	}
	return inv
}

// creditNote issues a credit note of amount ("" for all that is left)
// against inv on day, given the notes before it.
func creditNote(t *testing.T, inv invoice.Invoice, id, amount string, day invoice.Date, earlier ...invoice.Invoice) invoice.Invoice {
	t.Helper()
	req := invoice.CreditRequest{ID: id, Reason: "service credit", Earlier: earlier, Now: now}
	if amount != "" {
		req.Amount = dec(amount)
	}
	d, err := inv.CreditNote(req)
	if err != nil {
		t.Fatal(err)
	}
	n, _, err := d.Approve(invoice.CreditNoteNumbering("", len(earlier)+1), day, now)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func day(m, d int) invoice.Date { return invoice.NewDate(2026, time.Month(m), d) }

func TestPayments(t *testing.T) {
	inv := plain(t)
	recorded := time.Date(2026, 11, 1, 16, 0, 0, 0, time.UTC) // the day the payments are entered
	cn250 := creditNote(t, inv, "c1", "250", day(10, 20))
	cnAll := creditNote(t, inv, "c2", "", day(10, 20))
	void := inv
	void.Status, void.VoidReason = invoice.Void, "billed to the wrong entity"
	draftNote, _ := inv.CreditNote(invoice.CreditRequest{ID: "c3", Amount: dec("100"), Reason: "not yet issued"})
	pay := func(id uint64, amount string) invoice.Payment {
		return invoice.Payment{ID: id, Invoice: inv.ID, Amount: dec(amount), Applied: dec(amount), Date: day(10, 10)}
	}
	for _, tc := range []struct {
		name    string
		inv     invoice.Invoice
		docs    []invoice.Invoice
		pays    []invoice.Payment
		amount  string
		keep    bool
		date    invoice.Date
		applied string // "" when refused
		excess  string
		open    string // open amount after the payment
		closed  string // ClosedBy after Settle; "" stays Open
		refusal string
	}{
		{name: "partial", inv: inv, amount: "400", applied: "400", excess: "0", open: "600"},
		{name: "second of several", inv: inv, pays: []invoice.Payment{pay(1, "400")}, amount: "350.50", applied: "350.5", excess: "0", open: "249.5"},
		{name: "last of several pays it all", inv: inv, pays: []invoice.Payment{pay(1, "400"), pay(2, "350.50")}, amount: "249.50", applied: "249.5", excess: "0", open: "0", closed: invoice.ClosedByPayments},
		{name: "exactly the total", inv: inv, amount: "1000", applied: "1000", excess: "0", open: "0", closed: invoice.ClosedByPayments},
		{name: "over is refused", inv: inv, amount: "1200", refusal: "more than is open on invoice INV-2026-00001, USD 1,000.00: record 1,000.00, or keep the excess of 200.00"},
		{name: "over kept as credit", inv: inv, amount: "1200", keep: true, applied: "1000", excess: "200", open: "0", closed: invoice.ClosedByPayments},
		{name: "after a credit note", inv: inv, docs: []invoice.Invoice{cn250}, amount: "750", applied: "750", excess: "0", open: "0", closed: invoice.ClosedByBoth},
		{name: "after a credit note, over kept", inv: inv, docs: []invoice.Invoice{cn250}, amount: "1000", keep: true, applied: "750", excess: "250", open: "0", closed: invoice.ClosedByBoth},
		{name: "a draft credit note owes nothing yet", inv: inv, docs: []invoice.Invoice{draftNote}, amount: "1000", applied: "1000", excess: "0", open: "0", closed: invoice.ClosedByPayments},
		{name: "fully credited: all of it is excess", inv: inv, docs: []invoice.Invoice{cnAll}, amount: "10", keep: true, applied: "0", excess: "10", open: "0", closed: invoice.ClosedByBoth},
		{name: "fully credited: refused without keeping it", inv: inv, docs: []invoice.Invoice{cnAll}, amount: "10", refusal: "nothing is open on invoice INV-2026-00001 (paid or credited in full)"},
		{name: "void is refused", inv: void, amount: "100", refusal: "is Void (billed to the wrong entity): nothing is owed on it"},
		{name: "credit note is refused", inv: cn250, amount: "100", refusal: "is a credit note"},
		{name: "draft is refused", inv: draft(t, "5"), amount: "100", refusal: "is a Draft and takes no payment"},
		{name: "before the issue date", inv: inv, amount: "100", date: day(10, 4), refusal: "issued on 2026-10-05 and cannot have been paid on 2026-10-04"},
		{name: "after today", inv: inv, amount: "100", date: day(11, 2), refusal: "cannot have been received on 2026-11-02, after today (2026-11-01): write the day the money arrived"},
		{name: "today", inv: inv, amount: "100", date: day(11, 1), applied: "100", excess: "0", open: "900"},
		{name: "finer than a cent", inv: inv, amount: "100.001", refusal: "more decimals than USD allows"},
		{name: "zero", inv: inv, amount: "0", refusal: "not positive"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			date := tc.date
			if date.IsZero() {
				date = day(10, 25)
			}
			p, err := tc.inv.Pay(invoice.PaymentRequest{Date: date, Amount: dec(tc.amount), Reference: " WIRE-1 ", KeepExcess: tc.keep, Now: recorded}, tc.docs, tc.pays)
			if tc.refusal != "" {
				if err == nil || !strings.Contains(err.Error(), tc.refusal) {
					t.Fatalf("got %v, want a refusal with %q", err, tc.refusal)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Applied.String() != tc.applied || p.Excess.String() != tc.excess || p.Reference != "WIRE-1" || p.Customer != "ACME" {
				t.Errorf("applied %s excess %s ref %q customer %s, want %s %s WIRE-1 ACME", p.Applied, p.Excess, p.Reference, p.Customer, tc.applied, tc.excess)
			}
			pays := append(append([]invoice.Payment{}, tc.pays...), p)
			if got := tc.inv.OpenAmount(tc.docs, pays); got.String() != tc.open {
				t.Errorf("open amount %s, want %s", got, tc.open)
			}
			settled, a := tc.inv.Settle(tc.docs, pays, date, p.Reference)
			if settled.ClosedBy != tc.closed {
				t.Errorf("closed by %q, want %q", settled.ClosedBy, tc.closed)
			}
			if tc.closed == "" {
				if a != "" || settled.Status != invoice.Open {
					t.Errorf("status %s after %q, want Open unchanged", settled.Status, a)
				}
				return
			}
			if a != invoice.ActionClose || settled.Status != invoice.Closed || !settled.PaidDate.Equal(date) || settled.PaymentRef != "WIRE-1" {
				t.Errorf("after %q: %s paid %s ref %q, want Closed on %s", a, settled.Status, settled.PaidDate, settled.PaymentRef, date)
			}
		})
	}
}

// The issue's acceptance: after a full credit note the invoice is Closed,
// and stays Closed (not Past Due) long after its due date; an invoice
// that was merely partly credited does turn Past Due.
func TestCreditedInFullIsClosedNotPastDue(t *testing.T) {
	inv := plain(t)
	afterDue := now.AddDate(0, 3, 0) // 2027-01-05, two months past 2026-11-04
	for _, tc := range []struct {
		name   string
		amount string
		want   invoice.Status
		by     string
	}{
		{name: "credited in full", amount: "", want: invoice.Closed, by: invoice.ClosedByCreditNotes},
		{name: "credited in part", amount: "999.99", want: invoice.PastDue},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := creditNote(t, inv, "c1", tc.amount, day(10, 20))
			unchanged(t, inv, func(inv invoice.Invoice) {
				got, _ := inv.Settle([]invoice.Invoice{n}, nil, n.IssueDate, "")
				if st := got.Effective(afterDue); st != tc.want || got.ClosedBy != tc.by {
					t.Errorf("status %s closed by %q at %s, want %s %q", st, got.ClosedBy, afterDue.Format("2006-01-02"), tc.want, tc.by)
				}
			})
		})
	}
}

// A Closed invoice owes again when what closed it goes: a payment
// deleted or a credit note voided. It reopens, and is Past Due again.
func TestSettleReopens(t *testing.T) {
	inv := plain(t)
	p, err := inv.Pay(invoice.PaymentRequest{Date: day(10, 25), Amount: dec("1000")}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	closed, _ := inv.Settle(nil, []invoice.Payment{p}, day(10, 25), "")
	n := creditNote(t, inv, "c1", "", day(10, 20))
	credited, _ := inv.Settle([]invoice.Invoice{n}, nil, day(10, 20), "")
	voidedNote := n
	voidedNote.Status = invoice.Void
	legacy := inv
	legacy.Status, legacy.PaidDate = invoice.Closed, day(10, 30) // closed by hand before payments existed
	for _, tc := range []struct {
		name   string
		inv    invoice.Invoice
		docs   []invoice.Invoice
		action invoice.Action
		want   invoice.Status
	}{
		{name: "payment deleted", inv: closed, action: invoice.ActionReopen, want: invoice.PastDue},
		{name: "credit note voided", inv: credited, docs: []invoice.Invoice{voidedNote}, action: invoice.ActionReopen, want: invoice.PastDue},
		{name: "credit note still there", inv: credited, docs: []invoice.Invoice{n}, want: invoice.Closed},
		{name: "closed by hand stays closed", inv: legacy, want: invoice.Closed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, a := tc.inv.Settle(tc.docs, nil, day(12, 1), "")
			if a != tc.action || got.Effective(now.AddDate(0, 2, 0)) != tc.want {
				t.Errorf("action %q status %s, want %q %s", a, got.Effective(now.AddDate(0, 2, 0)), tc.action, tc.want)
			}
		})
	}
}

func TestParsePaymentAmount(t *testing.T) {
	for _, tc := range []struct{ in, want, err string }{
		{in: "1,234.50", want: "1234.5"},
		{in: "0", err: "not positive"},
		{in: "-5", err: "not positive"},
		{in: "abc", err: "payment amount"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			d, err := invoice.ParsePaymentAmount(tc.in)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || d.String() != tc.want {
				t.Errorf("got %s %v, want %s", d, err, tc.want)
			}
		})
	}
}
