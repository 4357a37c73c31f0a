package invoice_test

import (
	"errors"
	"slices"
	"testing"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/invoice"
)

const (
	acctC = "333333333333"
	acctD = "444444444444"
)

// doc is a hand-made document: only what the standing rules read.
func doc(id, cust, month string, kind invoice.Kind, st invoice.Status, number string, accounts ...string) invoice.Invoice {
	return invoice.Invoice{ID: id, CustomerID: cust, Period: month, Kind: kind, Status: st, Number: number, Accounts: accounts}
}

// TestDraftListsItsAccounts: a draft records the accounts its statement
// bills, the customer's only, so its invoice holds those account-months.
func TestDraftListsItsAccounts(t *testing.T) {
	m := month(t, append(slices.Clone(acmeItems), item{acct: acctB, code: "AmazonS3", cost: "5"})...)
	st := statement(t, m, acme, allOptions, billing.Ledger{})
	if !slices.Equal(st.Accounts, []string{acctA}) {
		t.Fatalf("statement accounts %v, want [%s]", st.Accounts, acctA)
	}
	d, err := invoice.NewDraft("1", st, acme, profile, now)
	if err != nil {
		t.Fatal(err)
	}
	st.Accounts[0] = "changed"
	if open := issued(t, d); !slices.Equal(open.Accounts, []string{acctA}) {
		t.Errorf("issued invoice accounts %v", open.Accounts)
	}
}

func TestStanding(t *testing.T) {
	inv := issued(t, draft(t, "1"))
	note := func(amount string) invoice.Invoice {
		req := invoice.CreditRequest{ID: "2", Reason: "refund", Now: now}
		if amount != "" {
			req.Amount = dec(amount)
		}
		n, err := inv.CreditNote(req)
		if err != nil {
			t.Fatal(err)
		}
		open, _, err := n.Approve(invoice.CreditNoteNumbering("", 1), invoice.NewDate(2026, 10, 6), now)
		if err != nil {
			t.Fatal(err)
		}
		return open
	}
	full, part := note(""), note("10")
	voidNote := full
	voidNote.Status = invoice.Void
	closed := inv
	closed.Status = invoice.Closed
	void := inv
	void.Status = invoice.Void
	cases := []struct {
		name string
		docs []invoice.Invoice
		want string // the standing invoice's id, "" for none
	}{
		{"open stands", []invoice.Invoice{inv}, "1"},
		{"closed stands", []invoice.Invoice{closed}, "1"},
		{"a draft does not", []invoice.Invoice{draft(t, "3")}, ""},
		{"void does not, nor the draft beside it", []invoice.Invoice{void, draft(t, "3")}, ""},
		{"credited in full does not", []invoice.Invoice{inv, full}, ""},
		{"credited in part stands", []invoice.Invoice{inv, part}, "1"},
		{"a void credit note does not count", []invoice.Invoice{inv, voidNote}, "1"},
		{"a credit note never stands", []invoice.Invoice{part}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := invoice.Standing(tc.docs)
			if ok != (tc.want != "") || got.ID != tc.want {
				t.Errorf("Standing = %q, %v; want %q", got.ID, ok, tc.want)
			}
		})
	}
}

func TestBills(t *testing.T) {
	listed := doc("1", "ACME", period, invoice.KindInvoice, invoice.Open, "INV-1", acctA, acctB)
	legacy := doc("2", "ACME", period, invoice.KindInvoice, invoice.Open, "INV-2")
	cases := []struct {
		name           string
		inv            invoice.Invoice
		account, owner string
		want           bool
	}{
		{"listed", listed, acctB, "", true},
		{"not listed, whoever owns it now", listed, acctC, "ACME", false},
		{"no list: its customer's account", legacy, acctC, "ACME", true},
		{"no list: another customer's account", legacy, acctC, "GLOBEX", false},
		{"no list: nobody's account", legacy, acctC, "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.inv.Bills(tc.account, tc.owner); got != tc.want {
				t.Errorf("Bills(%s, %q) = %v", tc.account, tc.owner, got)
			}
		})
	}
}

// september's documents: ACME's Open invoice bills acctA, GLOBEX's Closed
// one acctB, INITECH's Open one was issued before invoices listed their
// accounts, MUELLER's is void; October has only ACME's draft.
var september = []invoice.Invoice{
	doc("1", "ACME", period, invoice.KindInvoice, invoice.Open, "INV-2026-00001", acctA),
	doc("2", "GLOBEX", period, invoice.KindInvoice, invoice.Closed, "INV-2026-00002", acctB),
	doc("3", "INITECH", period, invoice.KindInvoice, invoice.Open, "INV-2026-00003"),
	doc("4", "MUELLER", period, invoice.KindInvoice, invoice.Void, "INV-2026-00004", acctD),
	doc("5", "ACME", "2026-10", invoice.KindInvoice, invoice.Draft, "", acctA),
}

func TestCheckMoves(t *testing.T) {
	move := func(account, month, from, to string) customer.OwnerChange {
		return customer.OwnerChange{Account: account, Month: month, From: from, To: to}
	}
	cases := []struct {
		name    string
		changes []customer.OwnerChange
		want    string // the refusal, "" when allowed
	}{
		{"to another customer", []customer.OwnerChange{move(acctA, period, "ACME", "GLOBEX")},
			"account 111111111111 in 2026-09 is on invoice INV-2026-00001 (Open) of ACME, so it cannot move to GLOBEX for that month: " +
				"void that invoice or credit it in full first, then generate ACME's 2026-09 again; or leave 2026-09 with ACME"},
		{"to nobody", []customer.OwnerChange{move(acctA, period, "ACME", "")},
			"account 111111111111 in 2026-09 is on invoice INV-2026-00001 (Open) of ACME, so it cannot be left to no customer for that month: " +
				"void that invoice or credit it in full first, then generate ACME's 2026-09 again; or leave 2026-09 with ACME"},
		{"from a Closed invoice", []customer.OwnerChange{move(acctB, period, "GLOBEX", "ACME")},
			"account 222222222222 in 2026-09 is on invoice INV-2026-00002 (Closed) of GLOBEX, so it cannot move to ACME for that month: " +
				"credit that invoice in full first (a Closed invoice cannot be voided), then generate GLOBEX's 2026-09 again; or leave 2026-09 with GLOBEX"},
		{"from an invoice listing no accounts, by its owner", []customer.OwnerChange{move(acctC, period, "INITECH", "ACME")},
			"account 333333333333 in 2026-09 is on invoice INV-2026-00003 (Open) of INITECH, so it cannot move to ACME for that month: " +
				"void that invoice or credit it in full first, then generate INITECH's 2026-09 again; or leave 2026-09 with INITECH"},
		{"several: the first named, the others counted", []customer.OwnerChange{move(acctA, period, "ACME", "GLOBEX"), move(acctD, period, "", "ACME"), move(acctB, period, "GLOBEX", "")},
			"account 111111111111 in 2026-09 is on invoice INV-2026-00001 (Open) of ACME, so it cannot move to GLOBEX for that month " +
				"(1 other account-month of this change is on issued invoices too): " +
				"void that invoice or credit it in full first, then generate ACME's 2026-09 again; or leave 2026-09 with ACME"},
		{"a month with only a draft", []customer.OwnerChange{move(acctA, "2026-10", "ACME", "GLOBEX")}, ""},
		{"a month without documents", []customer.OwnerChange{move(acctA, "2026-11", "ACME", "GLOBEX")}, ""},
		{"an account on a void invoice", []customer.OwnerChange{move(acctD, period, "MUELLER", "ACME")}, ""},
		{"an account nobody billed, newly mapped", []customer.OwnerChange{move(acctC, period, "", "ACME")}, ""},
		{"back to the invoice's customer", []customer.OwnerChange{move(acctA, period, "GLOBEX", "ACME")}, ""},
		{"no change at all", nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := invoice.ClaimsOf(september).CheckMoves(tc.changes)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var me *invoice.MoveError
			if !errors.As(err, &me) || err.Error() != tc.want {
				t.Fatalf("CheckMoves = %v\nwant %s", err, tc.want)
			}
		})
	}
}

func TestCheckBillable(t *testing.T) {
	cases := []struct {
		name, customer, month string
		accounts              []string
		want                  string
	}{
		{"an account on another customer's invoice", "GLOBEX", period, []string{acctD, acctA},
			"account 111111111111 in 2026-09 is already billed on invoice INV-2026-00001 (Open) of ACME, so GLOBEX cannot be billed for it too: " +
				"if ACME owned it that month, map it back to ACME for 2026-09; otherwise void it or credit it in full, then generate GLOBEX again"},
		{"on a Closed invoice", "ACME", period, []string{acctB},
			"account 222222222222 in 2026-09 is already billed on invoice INV-2026-00002 (Closed) of GLOBEX, so ACME cannot be billed for it too: " +
				"if GLOBEX owned it that month, map it back to GLOBEX for 2026-09; otherwise credit it in full, then generate ACME again"},
		{"its own invoice's account", "ACME", period, []string{acctA}, ""},
		{"an invoice listing no accounts claims none", "GLOBEX", period, []string{acctC}, ""},
		{"an account on a void invoice", "ACME", period, []string{acctD}, ""},
		{"another month", "GLOBEX", "2026-10", []string{acctA}, ""},
		{"no accounts", "GLOBEX", period, nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := invoice.ClaimsOf(september).CheckBillable(tc.customer, tc.month, tc.accounts)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var be *invoice.BilledError
			if !errors.As(err, &be) || err.Error() != tc.want {
				t.Fatalf("CheckBillable = %v\nwant %s", err, tc.want)
			}
		})
	}
}

// TestRelated: what a face shows beside a document. A voided credit note
// is not among an invoice's credit notes nor counted in what is left,
// whichever face asks.
func TestRelated(t *testing.T) {
	inv := issued(t, draft(t, "1"))
	note := func(id, amount string) invoice.Invoice {
		n, err := inv.CreditNote(invoice.CreditRequest{ID: id, Amount: dec(amount), Reason: "refund", Now: now})
		if err != nil {
			t.Fatal(err)
		}
		open, _, err := n.Approve(invoice.CreditNoteNumbering("", 1), invoice.NewDate(2026, 10, 6), now)
		if err != nil {
			t.Fatal(err)
		}
		return open
	}
	part, voided := note("2", "10"), note("3", "5")
	voided.Status = invoice.Void
	rest := note("4", inv.Total.Decimal().Sub(dec("10")).String())
	replacement := draft(t, "5")
	voidInvoice := issued(t, draft(t, "6"))
	voidInvoice.Status = invoice.Void
	ids := func(docs []invoice.Invoice) []string {
		var out []string
		for _, d := range docs {
			out = append(out, d.ID)
		}
		return out
	}
	cases := []struct {
		name     string
		of       invoice.Invoice
		docs     []invoice.Invoice
		notes    []string
		left     string
		full     bool
		credited string
		others   []string
	}{
		{"a voided credit note is not listed", inv, []invoice.Invoice{inv, part, voided}, []string{"2"},
			inv.Total.Decimal().Sub(dec("10")).String(), false, "", nil},
		{"credited in full by two notes", inv, []invoice.Invoice{inv, part, voided, rest}, []string{"2", "4"}, "0", true, "", nil},
		{"other invoices but void ones", inv, []invoice.Invoice{inv, replacement, voidInvoice}, nil, inv.Total.String(), false, "", []string{"5"}},
		{"a credit note's invoice", part, []invoice.Invoice{inv, part}, nil, part.Total.String(), false, "1", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.of.Related(tc.docs)
			if got := ids(r.CreditNotes); !slices.Equal(got, tc.notes) {
				t.Errorf("credit notes %v, want %v", got, tc.notes)
			}
			if !r.Left.Decimal().Equal(dec(tc.left)) || r.CreditedInFull != tc.full {
				t.Errorf("left %s in full %v, want %s %v", r.Left, r.CreditedInFull, tc.left, tc.full)
			}
			got := ""
			if r.Credited != nil {
				got = r.Credited.ID
			}
			if got != tc.credited {
				t.Errorf("credited %q, want %q", got, tc.credited)
			}
			if got := ids(r.Others); !slices.Equal(got, tc.others) {
				t.Errorf("others %v, want %v", got, tc.others)
			}
		})
	}
}
