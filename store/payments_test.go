package store

import (
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	bolt "go.etcd.io/bbolt"

	"rebill/engine/customer"
	"rebill/engine/invoice"
)

func pay(db *DB, ref, amount string, on invoice.Date, keep bool) (PaymentResult, error) {
	return db.RecordPayment(PaymentRequest{Invoice: ref, PaymentRequest: invoice.PaymentRequest{
		Date: on, Amount: decimal.RequireFromString(amount), Reference: "WIRE", KeepExcess: keep, Now: oct20}})
}

func actionsOf(t *testing.T, db *DB, ref string) []invoice.Action {
	t.Helper()
	log, err := db.AuditLogOf(ref)
	if err != nil {
		t.Fatal(err)
	}
	var out []invoice.Action
	for _, e := range log {
		out = append(out, e.Action)
	}
	return out
}

// One invoice through its payments: partial, over (refused, then kept as
// credit), the payment deleted (credit removed, invoice reopened); every
// step in the audit log and the database checking clean.
func TestPaymentsThroughTheStore(t *testing.T) {
	db := sampleDB(t)
	id := openACME(t, db)
	inv := mustInvoice(t, db, id)
	total := inv.Total.Decimal()
	day := invoice.DateOf(oct20)

	res, err := pay(db, id, "100", day, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := total.Sub(decimal.NewFromInt(100)); !res.Open.Equal(want) || res.Invoice.Status != invoice.Open {
		t.Errorf("after 100 paid: open %s, %s; want %s, Open", res.Open, res.Invoice.Status, want)
	}

	state := dump(t, db)
	over := total.Sub(decimal.NewFromInt(50)).StringFixed(2) // 50 more than is open
	if _, err := pay(db, id, over, day, false); err == nil || !strings.Contains(err.Error(), "keep the excess of 50.00") {
		t.Fatalf("an overpayment: %v, want refused", err)
	}
	if dump(t, db) != state {
		t.Error("a refused payment changed the database")
	}

	res, err = pay(db, id, over, day, true)
	if err != nil {
		t.Fatal(err)
	}
	if res.Invoice.Status != invoice.Closed || res.Invoice.ClosedBy != invoice.ClosedByPayments || !res.Open.IsZero() ||
		res.Grant == nil || res.Grant.Amount.String() != "50" || res.Payment.CreditGrant != res.Grant.ID {
		t.Fatalf("overpayment kept: %+v", res)
	}
	grants, _, _ := db.Ledger("ACME")
	if !slices.ContainsFunc(grants, func(g customer.Grant) bool {
		return g.ID == res.Grant.ID && strings.HasPrefix(g.Reason, "Overpayment of "+inv.Number)
	}) {
		t.Errorf("no grant of the excess in ACME's ledger: %+v", grants)
	}
	if got := mustInvoice(t, db, id).Effective(dec31); got != invoice.Closed {
		t.Errorf("paid invoice is %s at the end of the year", got)
	}

	if _, err := db.VoidInvoice(id, "wrong customer", oct20); err == nil {
		t.Error("a Closed, paid invoice was voided")
	}

	if del, err := db.DeletePayment(res.Payment.ID, oct20); err != nil || del.Audit.Seq == 0 {
		t.Fatal(err)
	}
	grants, _, _ = db.Ledger("ACME")
	if slices.ContainsFunc(grants, func(g customer.Grant) bool { return g.ID == res.Grant.ID }) {
		t.Error("the excess's credit stayed after its payment was deleted")
	}
	if got := mustInvoice(t, db, id); got.Status != invoice.Open || got.Effective(dec31) != invoice.PastDue {
		t.Errorf("after the payment was deleted: %s, %s at year end; want Open, Past Due", got.Status, got.Effective(dec31))
	}
	want := []invoice.Action{invoice.ActionGenerate, invoice.ActionApprove, invoice.ActionPayment, invoice.ActionPayment,
		invoice.ActionClose, invoice.ActionPaymentDelete, invoice.ActionReopen}
	if got := actionsOf(t, db, id); !slices.Equal(got, want) {
		t.Errorf("audit log of the invoice %v, want %v", got, want)
	}
	if _, err := db.VoidInvoice(id, "wrong customer", oct20); err == nil || !strings.Contains(err.Error(), "1 payment recorded and cannot be voided") {
		t.Errorf("voiding a partly paid invoice: %v", err)
	}
	if rep, err := db.Check(); err != nil || !rep.OK() {
		t.Errorf("check: %v %+v", err, rep.Findings)
	}
	pays, err := db.Payments(PaymentFilter{Customer: "ACME"})
	if err != nil || len(pays) != 1 || pays[0].Amount.String() != "100" {
		t.Errorf("ACME's payments %+v %v, want the 100 left", pays, err)
	}
}

func TestPaymentRefusals(t *testing.T) {
	db := sampleDB(t)
	id := openACME(t, db)
	if _, err := db.VoidInvoice(id, "billed to the wrong entity", oct20); err != nil {
		t.Fatal(err)
	}
	state := dump(t, db)
	if _, err := pay(db, id, "10", invoice.DateOf(oct20), true); err == nil || !strings.Contains(err.Error(), "is Void (billed to the wrong entity)") {
		t.Errorf("a payment on a Void invoice: %v", err)
	}
	if _, err := db.DeletePayment(42, oct20); err == nil || !strings.Contains(err.Error(), "there is no payment 42") {
		t.Errorf("deleting no payment: %v", err)
	}
	if dump(t, db) != state {
		t.Error("a refused payment changed the database")
	}
}

// The issue's acceptance: after a full credit note the invoice is Closed,
// not Past Due; voiding the credit note makes it owe again.
func TestFullCreditNoteCloses(t *testing.T) {
	db := sampleDB(t)
	id := openACME(t, db)
	note, err := db.IssueCreditNote(CreditRequest{Invoice: id, Reason: "billed twice", Now: oct20})
	if err != nil {
		t.Fatal(err)
	}
	inv := mustInvoice(t, db, id)
	if inv.Status != invoice.Closed || inv.Effective(dec31) != invoice.Closed || inv.ClosedBy != invoice.ClosedByCreditNotes {
		t.Errorf("credited in full: %s, %s at year end, closed by %q", inv.Status, inv.Effective(dec31), inv.ClosedBy)
	}
	if list, _ := db.Invoices(InvoiceFilter{Status: invoice.PastDue}, dec31); len(list) != 0 {
		t.Errorf("%d past due at year end, want none", len(list))
	}
	if _, err := pay(db, id, "10", invoice.DateOf(oct20), false); err == nil {
		t.Error("a payment of an invoice credited in full was taken without keeping it as credit")
	}
	if _, err := db.VoidInvoice(note.ID, "issued in error", oct20); err != nil {
		t.Fatal(err)
	}
	if got := mustInvoice(t, db, id); got.Status != invoice.Open || got.Effective(dec31) != invoice.PastDue {
		t.Errorf("its credit note voided: %s, %s at year end; want Open, Past Due", got.Status, got.Effective(dec31))
	}
	if rep, err := db.Check(); err != nil || !rep.OK() {
		t.Errorf("check: %v %+v", err, rep.Findings)
	}
}

// An invoice credited in full before this version stayed Open: the
// migration closes it, with its audit entry.
func TestMigrationClosesCreditedInFull(t *testing.T) {
	db := sampleDB(t)
	id := openACME(t, db)
	note, err := db.IssueCreditNote(CreditRequest{Invoice: id, Reason: "billed twice", Now: oct20})
	if err != nil {
		t.Fatal(err)
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error { // as an older Rebill left it
		before, _ := getInvoice(tx, id)
		old := before
		old.Status, old.PaidDate, old.PaymentRef, old.ClosedBy = invoice.Open, invoice.Date{}, "", ""
		if err := putInvoice(tx, oct20, invoice.ActionReopen, &before, old); err != nil {
			return err
		}
		return closeCreditedInFull(tx)
	})
	if err != nil {
		t.Fatal(err)
	}
	got := mustInvoice(t, db, id)
	if got.Status != invoice.Closed || !got.PaidDate.Equal(note.IssueDate) {
		t.Errorf("after the migration: %s paid %s, want Closed on %s", got.Status, got.PaidDate, note.IssueDate)
	}
	if rep, err := db.Check(); err != nil || !rep.OK() {
		t.Errorf("check: %v %+v", err, rep.Findings)
	}
}

// The issue's acceptance: the ageing report of the sample data adds up to
// the open invoices: every invoice issued, one partly paid, one credited
// in full, one paid; the report's total is the sum of what is open on
// each invoice still Open, and each customer's row that of its own.
func TestReceivablesAddUpToOpenInvoices(t *testing.T) {
	db := sampleDB(t)
	ids := draftAll(t, db)
	approveOK(t, db, oct5, ids...)
	if len(ids) < 4 {
		t.Fatalf("the sample issued %d invoices, want at least 4", len(ids))
	}
	if _, err := pay(db, ids[0], "10", invoice.DateOf(oct20), false); err != nil {
		t.Fatal(err)
	}
	if _, err := db.IssueCreditNote(CreditRequest{Invoice: ids[1], Reason: "x", Now: oct20}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CloseInvoice(ids[2], invoice.DateOf(oct20), "BANK", oct20); err != nil {
		t.Fatal(err)
	}
	ageing, err := db.Receivables(invoice.DateOf(dec31))
	if err != nil {
		t.Fatal(err)
	}
	open, err := db.Invoices(InvoiceFilter{Status: invoice.PastDue}, dec31)
	if err != nil {
		t.Fatal(err)
	}
	sum, byCustomer := decimal.Zero, map[string]decimal.Decimal{}
	for _, inv := range open {
		_, _, o, err := db.OpenAmount(inv.ID)
		if err != nil {
			t.Fatal(err)
		}
		sum = sum.Add(o)
		byCustomer[inv.CustomerID] = byCustomer[inv.CustomerID].Add(o)
	}
	if len(open) != len(ids)-2 || len(ageing.Totals) != 1 || !ageing.Totals[0].Total.Equal(sum) {
		t.Fatalf("%d invoices past due (want %d) owing %s; report %+v", len(open), len(ids)-2, sum, ageing.Totals)
	}
	for _, r := range ageing.Rows {
		if !r.Total.Equal(byCustomer[r.Customer]) {
			t.Errorf("%s: report %s, invoices %s", r.Customer, r.Total, byCustomer[r.Customer])
		}
	}
	if len(ageing.Rows) != len(byCustomer) {
		t.Errorf("%d rows, %d customers owing", len(ageing.Rows), len(byCustomer))
	}
}

// InvoiceList gives each Open invoice of the list its balance, read with
// its payments and credit notes: the total less 10 paid, the total less a
// credit note of 10.00, the whole total when nothing happened yet; a
// Closed invoice, a credit note and a draft have none. Whole documents
// (--json) have the same balances, and a filtered list only its own.
func TestInvoiceListBalances(t *testing.T) {
	db := sampleDB(t)
	ids := draftAll(t, db)
	if len(ids) < 5 {
		t.Fatalf("the sample has %d invoices, want at least 5", len(ids))
	}
	draft := ids[4] // left a draft
	approveOK(t, db, oct5, ids[:4]...)
	if _, err := pay(db, ids[0], "10", invoice.DateOf(oct20), false); err != nil {
		t.Fatal(err)
	}
	note, err := db.IssueCreditNote(CreditRequest{Invoice: ids[1], Amount: decimal.NewFromInt(10), Reason: "goodwill", Now: oct20})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CloseInvoice(ids[2], invoice.DateOf(oct20), "BANK", oct20); err != nil {
		t.Fatal(err)
	}
	total := func(id string) decimal.Decimal { return mustInvoice(t, db, id).Total.Decimal() }
	ten := decimal.NewFromInt(10)
	want := map[string]decimal.Decimal{
		ids[0]: total(ids[0]).Sub(ten),
		ids[1]: total(ids[1]).Sub(ten),
		ids[3]: total(ids[3]),
	}
	for _, whole := range []bool{false, true} {
		list, err := db.InvoiceList(InvoiceFilter{}, dec31, whole)
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Balances) != len(want) {
			t.Errorf("whole %v: balances of %v, want those of %v", whole, list.Balances, want)
		}
		for id, w := range want {
			if got, ok := list.Balances[id]; !ok || !got.Decimal().Equal(w) {
				t.Errorf("whole %v: balance of %s %v (%v), want %s", whole, id, got, ok, w)
			}
			// The invoice's own view agrees (rebill invoices show).
			if _, _, open, err := db.OpenAmount(id); err != nil || !open.Equal(w) {
				t.Errorf("OpenAmount of %s %s %v, want %s", id, open, err, w)
			}
		}
		for _, id := range []string{ids[2], note.ID, draft} {
			if b, ok := list.Balances[id]; ok {
				t.Errorf("whole %v: %s has a balance %s", whole, id, b)
			}
		}
	}
	first := mustInvoice(t, db, ids[0]).CustomerID
	list, err := db.InvoiceList(InvoiceFilter{Customer: first}, dec31, false)
	if err != nil {
		t.Fatal(err)
	}
	for id := range list.Balances {
		if inv := mustInvoice(t, db, id); inv.CustomerID != first {
			t.Errorf("the list of %s has the balance of %s's %s", first, inv.CustomerID, id)
		}
	}
	if _, ok := list.Balances[ids[0]]; !ok {
		t.Errorf("the list of %s lacks the balance of its invoice %s", first, ids[0])
	}
}

// draftAll generates every customer's draft of the sample month and
// returns their ids.
func draftAll(t *testing.T, db *DB) []string {
	t.Helper()
	var ids []string
	for _, g := range generate(t, db, customer.Selection{All: true}, allOn, oct5).Results {
		if g.Invoice != nil {
			ids = append(ids, g.Invoice.ID)
		}
	}
	return ids
}
