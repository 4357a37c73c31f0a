package invoice_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"rebill/engine/invoice"
)

// TestTransitionTable walks every stored status and every lifecycle
// action: the allowed ones (written out here by hand, not read from
// invoice.Transitions) pass, the others are refused with a reason that
// names the invoice and says what to do instead.
func TestTransitionTable(t *testing.T) {
	allowed := map[invoice.Status]map[invoice.Action]bool{
		invoice.Draft:  {invoice.ActionApprove: true, invoice.ActionRegenerate: true, invoice.ActionDelete: true},
		invoice.Open:   {invoice.ActionClose: true, invoice.ActionVoid: true, invoice.ActionCredit: true},
		invoice.Closed: {invoice.ActionCredit: true},
		invoice.Void:   {},
	}
	// advice is a phrase each refusal must contain.
	advice := map[invoice.Status]map[invoice.Action]string{
		invoice.Draft: {
			invoice.ActionClose:  "approve it first",
			invoice.ActionVoid:   "delete it instead",
			invoice.ActionCredit: "nothing to credit",
		},
		invoice.Open: {
			invoice.ActionApprove:    "already Open",
			invoice.ActionRegenerate: "invoice INV-2026-00012 is Open and cannot be edited; issue a credit note instead",
			invoice.ActionDelete:     "void it or issue a credit note instead",
		},
		invoice.Closed: {
			invoice.ActionApprove:    "already Closed",
			invoice.ActionRegenerate: "cannot be edited; issue a credit note instead",
			invoice.ActionDelete:     "issue a credit note instead",
			invoice.ActionClose:      "already Closed (paid on 2026-10-20, reference TRX-1)",
			invoice.ActionVoid:       "cannot be voided; issue a credit note instead",
		},
	}
	base := draft(t, "17")
	for _, st := range []invoice.Status{invoice.Draft, invoice.Open, invoice.Closed, invoice.Void} {
		for _, a := range invoice.LifecycleActions {
			t.Run(string(st)+"/"+string(a), func(t *testing.T) {
				inv := base
				inv.Status = st
				if st != invoice.Draft {
					inv.Number = "INV-2026-00012"
					inv.IssueDate = invoice.NewDate(2026, 10, 5)
				}
				if st == invoice.Closed {
					inv.PaidDate, inv.PaymentRef = invoice.NewDate(2026, 10, 20), "TRX-1"
				}
				if st == invoice.Void {
					inv.VoidReason = "issued to the wrong customer"
				}
				err := inv.Can(a)
				if allowed[st][a] {
					if err != nil {
						t.Fatalf("refused: %v", err)
					}
					return
				}
				var te *invoice.TransitionError
				if !errors.As(err, &te) {
					t.Fatalf("allowed, or not a *TransitionError: %v", err)
				}
				if te.Status != st || te.Action != a || te.Invoice != inv.Label() {
					t.Errorf("error names %s/%s/%s", te.Invoice, te.Status, te.Action)
				}
				want := advice[st][a]
				if st == invoice.Void {
					want = "is Void (issued to the wrong customer) and cannot be changed"
				}
				if want == "" {
					t.Fatalf("no expected advice for a refusal: %v", err)
				}
				if !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), inv.Label()) {
					t.Errorf("reason %q\nwant it to start with %q and contain %q", err, inv.Label(), want)
				}
			})
		}
	}
}

// TestCreditNoteCannotBeCredited: a credit note has the lifecycle of an
// invoice but is never credited itself.
func TestCreditNoteCannotBeCredited(t *testing.T) {
	inv := issued(t, draft(t, "17"))
	note, err := inv.CreditNote(invoice.CreditRequest{ID: "18", Reason: "wrong customer", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	note, _, err = note.Approve(invoice.CreditNoteNumbering("", 1), invoice.NewDate(2026, 10, 6), now)
	if err != nil {
		t.Fatal(err)
	}
	err = note.Can(invoice.ActionCredit)
	if err == nil || err.Error() != "credit note CN-2026-00001 is itself a credit note and cannot be credited; void it if it is still Issued" {
		t.Errorf("crediting a credit note: %v", err)
	}
	// An approved credit note reads Issued in its refusals, as in the
	// lists, and is corrected by voiding it, not by a credit note.
	for a, want := range map[invoice.Action]string{
		invoice.ActionApprove:    "credit note CN-2026-00001 is already Issued (issued on 2026-10-06)",
		invoice.ActionRegenerate: "credit note CN-2026-00001 is Issued and cannot be edited; void it and issue the right credit note instead",
		invoice.ActionDelete:     "credit note CN-2026-00001 is Issued and cannot be deleted (its number must stay in the sequence); void it instead",
	} {
		if err := note.Can(a); err == nil || err.Error() != want {
			t.Errorf("%s an Issued credit note: %v, want %q", a, err, want)
		}
	}
	for _, a := range []invoice.Action{invoice.ActionClose, invoice.ActionVoid} {
		if err := note.Can(a); err != nil {
			t.Errorf("%s an Open credit note: %v", a, err)
		}
	}
}

// TestLifecycle applies the allowed transitions in order and checks what
// each records, and that none changes the value it was given.
func TestLifecycle(t *testing.T) {
	d := draft(t, "17")
	if d.Number != "" || !d.IssueDate.IsZero() || d.Status != invoice.Draft {
		t.Fatalf("draft: %+v", d)
	}
	var open invoice.Invoice
	var next invoice.Numbering
	unchanged(t, d, func(d invoice.Invoice) {
		var err error
		open, next, err = d.Approve(invoice.InvoiceNumbering(profile.NumberFormat, 1), invoice.NewDate(2026, 10, 5), now)
		if err != nil {
			t.Fatal(err)
		}
	})
	if open.Status != invoice.Open || open.Number != "INV-2026-00001" || next.Next != 2 {
		t.Errorf("approved: status %s number %s next %d", open.Status, open.Number, next.Next)
	}
	if open.IssueDate.String() != "2026-10-05" || open.DueDate.String() != "2026-11-04" {
		t.Errorf("issue %s due %s, want 2026-10-05 and 30 days later, 2026-11-04", open.IssueDate, open.DueDate)
	}

	_, err := open.Close(invoice.NewDate(2026, 10, 4), "TRX-1")
	if err == nil || !strings.Contains(err.Error(), "cannot have been paid on 2026-10-04") {
		t.Errorf("paid before issue: %v", err)
	}
	var closed invoice.Invoice
	unchanged(t, open, func(o invoice.Invoice) {
		closed, err = o.Close(invoice.NewDate(2026, 10, 20), " TRX-1 ")
		if err != nil {
			t.Fatal(err)
		}
	})
	if closed.Status != invoice.Closed || closed.PaidDate.String() != "2026-10-20" || closed.PaymentRef != "TRX-1" {
		t.Errorf("closed: %s %s %q", closed.Status, closed.PaidDate, closed.PaymentRef)
	}

	if _, err := open.Void("  ", time.Date(2026, 10, 6, 10, 0, 0, 0, time.UTC)); err == nil || !strings.Contains(err.Error(), "needs a reason") {
		t.Errorf("void without reason: %v", err)
	}
	var void invoice.Invoice
	unchanged(t, open, func(o invoice.Invoice) {
		void, err = o.Void("issued to the wrong customer", time.Date(2026, 10, 6, 10, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
	})
	if void.Status != invoice.Void || void.Number != open.Number || void.VoidReason != "issued to the wrong customer" {
		t.Errorf("void: %s %s %q", void.Status, void.Number, void.VoidReason)
	}
}

func TestApproveRefusals(t *testing.T) {
	d := draft(t, "17")
	issue := invoice.NewDate(2026, 10, 5)
	noName := d
	noName.Seller.CompanyName = ""
	badFormat := invoice.InvoiceNumbering(profile.NumberFormat, 1)
	badFormat.Format = "INV-{YYYY}"
	for _, tc := range []struct {
		name  string
		inv   invoice.Invoice
		n     invoice.Numbering
		issue invoice.Date
		want  string
	}{
		{"credit note series", d, invoice.CreditNoteNumbering("", 1), issue, "the credit note series cannot number"},
		{"no company name", noName, invoice.InvoiceNumbering(profile.NumberFormat, 1), issue, "no reseller company name"},
		{"no issue date", d, invoice.InvoiceNumbering(profile.NumberFormat, 1), invoice.Date{}, "needs an issue date"},
		{"before the period", d, invoice.InvoiceNumbering(profile.NumberFormat, 1), invoice.NewDate(2026, 8, 31), "before the billing period 2026-09"},
		{"format without sequence", d, badFormat, issue, "has no {SEQ}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, n, err := tc.inv.Approve(tc.n, tc.issue, now)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
			if n != tc.n {
				t.Errorf("a refused approval consumed a number: %+v", n)
			}
		})
	}
}
