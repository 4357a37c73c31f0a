package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	bolt "go.etcd.io/bbolt"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
	"rebill/engine/sample"
)

// stateSetups bring ACME's September document to a stored status, through
// the service as the accountant would, and return its id.
var stateSetups = []struct {
	name string
	kind invoice.Kind
	from invoice.Status
	make func(t *testing.T, db *DB) string
}{
	{"draft invoice", invoice.KindInvoice, invoice.Draft, func(t *testing.T, db *DB) string {
		return draftIDOf(t, generate(t, db, customer.Selection{Customers: []string{"ACME"}}, allOn, oct5), "ACME")
	}},
	{"open invoice", invoice.KindInvoice, invoice.Open, openACME},
	{"closed invoice", invoice.KindInvoice, invoice.Closed, func(t *testing.T, db *DB) string {
		id := openACME(t, db)
		if _, err := db.CloseInvoice(id, invoice.DateOf(oct20), "BANK-1", oct20); err != nil {
			t.Fatal(err)
		}
		return id
	}},
	{"void invoice", invoice.KindInvoice, invoice.Void, func(t *testing.T, db *DB) string {
		id := openACME(t, db)
		if _, err := db.VoidInvoice(id, "sent to the wrong customer", oct6); err != nil {
			t.Fatal(err)
		}
		return id
	}},
	{"open credit note", invoice.KindCreditNote, invoice.Open, creditNoteACME},
	{"closed credit note", invoice.KindCreditNote, invoice.Closed, func(t *testing.T, db *DB) string {
		id := creditNoteACME(t, db)
		if _, err := db.CloseInvoice(id, invoice.DateOf(oct20), "REFUND-1", oct20); err != nil {
			t.Fatal(err)
		}
		return id
	}},
	{"void credit note", invoice.KindCreditNote, invoice.Void, func(t *testing.T, db *DB) string {
		id := creditNoteACME(t, db)
		if _, err := db.VoidInvoice(id, "issued twice", oct6); err != nil {
			t.Fatal(err)
		}
		return id
	}},
}

func openACME(t *testing.T, db *DB) string {
	id := draftIDOf(t, generate(t, db, customer.Selection{Customers: []string{"ACME"}}, allOn, oct5), "ACME")
	approveOK(t, db, oct5, id)
	return id
}

func creditNoteACME(t *testing.T, db *DB) string {
	note, err := db.IssueCreditNote(CreditRequest{Invoice: openACME(t, db), Amount: decimal.NewFromInt(10), Reason: "goodwill", Now: oct6})
	if err != nil {
		t.Fatal(err)
	}
	return note.ID
}

// serviceActions perform each lifecycle action through the service.
var serviceActions = map[invoice.Action]func(db *DB, id string) error{
	invoice.ActionApprove: func(db *DB, id string) error {
		as, err := db.ApproveInvoices([]string{id}, oct20)
		if err != nil {
			return err
		}
		return as[0].Err
	},
	invoice.ActionRegenerate: func(db *DB, id string) error {
		rep, err := db.GenerateInvoices(GenerateRequest{Period: "2026-09", Selection: customer.Selection{Customers: []string{"ACME"}}, Now: oct20})
		if err != nil {
			return err
		}
		if g := rep.Results[0]; g.Outcome != Replaced || g.Invoice.ID != id {
			return fmt.Errorf("%s: %s", g.Outcome, g.Reason)
		}
		return nil
	},
	invoice.ActionDelete: func(db *DB, id string) error { _, err := db.DeleteInvoice(id, oct20); return err },
	invoice.ActionClose: func(db *DB, id string) error {
		_, err := db.CloseInvoice(id, invoice.DateOf(oct20), "BANK-2", oct20)
		return err
	},
	invoice.ActionVoid: func(db *DB, id string) error { _, err := db.VoidInvoice(id, "cancelled", oct20); return err },
	invoice.ActionCredit: func(db *DB, id string) error {
		_, err := db.IssueCreditNote(CreditRequest{Invoice: id, Reason: "refund", Now: oct20})
		return err
	},
}

// allowed is the transition table's answer for a stored document.
func allowed(kind invoice.Kind, from invoice.Status, a invoice.Action) (invoice.Status, bool) {
	if a == invoice.ActionCredit && kind == invoice.KindCreditNote {
		return "", false
	}
	for _, tr := range invoice.Transitions {
		if tr.From == from && tr.Action == a {
			return tr.To, true
		}
	}
	return "", false
}

// TestTransitionTableThroughTheService walks every lifecycle action on a
// document in every stored status, invoice and credit note: an allowed
// action leaves the table's status; a refused one changes nothing (the
// document, the number series, the credits ledger, the audit log) and
// says why, in the engine's words.
func TestTransitionTableThroughTheService(t *testing.T) {
	for _, st := range stateSetups {
		for _, a := range invoice.LifecycleActions {
			t.Run(st.name+"/"+string(a), func(t *testing.T) {
				db := sampleDB(t)
				id := st.make(t, db)
				before := mustInvoice(t, db, id)
				if before.Status != st.from || before.Kind != st.kind {
					t.Fatalf("set-up made a %s %s", before.Status, before.Kind)
				}
				state := dump(t, db)
				err := serviceActions[a](db, id)
				to, ok := allowed(st.kind, st.from, a)
				if !ok {
					if err == nil {
						t.Fatalf("%s of a %s %s was allowed", a, st.from, st.kind)
					}
					if a != invoice.ActionRegenerate && err.Error() != before.Can(a).Error() {
						t.Errorf("refusal %q, want the engine's %q", err, before.Can(a))
					}
					if a == invoice.ActionRegenerate {
						if after := mustInvoice(t, db, id); mustJSON(t, after) != mustJSON(t, before) {
							t.Errorf("regenerating changed the %s %s", st.from, st.kind)
						}
						return // generating may still draft a new invoice beside a void one
					}
					if got := dump(t, db); got != state {
						t.Errorf("a refused %s changed the database", a)
					}
					return
				}
				if err != nil {
					t.Fatalf("%s of a %s %s refused: %v", a, st.from, st.kind, err)
				}
				if a == invoice.ActionCredit && st.kind == invoice.KindInvoice {
					to = invoice.Closed // credited in full, nothing is owed: invoice.Settle closes it
				}
				after, err := db.Invoice(id)
				switch {
				case to == invoice.Deleted:
					if !errors.Is(err, ErrNotFound) {
						t.Errorf("deleted draft still there: %v", err)
					}
				case err != nil:
					t.Fatal(err)
				case after.Status != to:
					t.Errorf("status %s, want %s", after.Status, to)
				}
				if _, err := db.VerifyAudit(); err != nil {
					t.Error(err)
				}
			})
		}
	}
}

// TestRefusalsSayWhy checks the messages an accountant reads.
func TestRefusalsSayWhy(t *testing.T) {
	db := sampleDB(t)
	id := openACME(t, db)
	cases := []struct {
		name string
		do   func() error
		want string
	}{
		{"delete open", func() error { _, err := db.DeleteInvoice("NCP-2026-00001", oct6); return err },
			"invoice NCP-2026-00001 is Open and cannot be deleted (its number must stay in the sequence); void it or issue a credit note instead"},
		{"close before issue", func() error {
			_, err := db.CloseInvoice(id, invoice.NewDate(2026, 10, 1), "", oct6)
			return err
		}, "was issued on 2026-10-05 and cannot have been paid on 2026-10-01"},
		{"void without reason", func() error { _, err := db.VoidInvoice(id, " ", oct6); return err }, "needs a reason"},
		{"credit too much", func() error {
			_, err := db.IssueCreditNote(CreditRequest{Invoice: id, Amount: decimal.NewFromInt(1_000_000), Reason: "x", Now: oct6})
			return err
		}, "is more than is left to credit"},
		{"unknown", func() error { _, err := db.DeleteInvoice("NCP-2099-00001", oct6); return err }, "there is no invoice \"NCP-2099-00001\""},
		{"approve all with no drafts", func() error { _, err := db.ApproveDrafts("2026-09", oct6); return err }, "there are no drafts for 2026-09 to approve"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.do(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}

// TestNumbersAreGapless: numbers are taken only by approval, in the same
// transaction as the invoice; deleting drafts and voiding invoices loses
// none, a refused approval consumes none, a number set back is never
// issued twice, and credit notes have their own series.
func TestNumbersAreGapless(t *testing.T) {
	db := sampleDB(t)
	rep := generate(t, db, customer.Selection{All: true}, allOn, oct5)
	// Delete two drafts, approve the rest in two batches.
	for _, c := range []string{"CONTOSO", "INITECH"} {
		if _, err := db.DeleteInvoice(draftIDOf(t, rep, c), oct5); err != nil {
			t.Fatal(err)
		}
	}
	approveOK(t, db, oct5, draftIDOf(t, rep, "GLOBEX"), draftIDOf(t, rep, "ACME"))
	// Void the first, regenerate: a new draft beside the void one.
	if _, err := db.VoidInvoice("NCP-2026-00001", "wrong options", oct5); err != nil {
		t.Fatal(err)
	}
	again := generate(t, db, customer.Selection{All: true}, allOn, oct6)
	got := map[string]Outcome{}
	for _, g := range again.Results {
		got[g.CustomerID] = g.Outcome
	}
	if got["GLOBEX"] != Created || got["ACME"] != Issued || got["CONTOSO"] != Created || got["UMBRELLA"] != Replaced {
		t.Fatalf("regenerated %v", got)
	}
	// A refused approval in the batch (an already Open invoice) takes no number.
	as, err := db.ApproveInvoices([]string{draftIDOf(t, again, "GLOBEX"), "NCP-2026-00002", draftIDOf(t, again, "CONTOSO")}, oct6)
	if err != nil {
		t.Fatal(err)
	}
	if as[0].Invoice.Number != "NCP-2026-00003" || as[1].Err == nil || as[2].Invoice.Number != "NCP-2026-00004" {
		t.Fatalf("batch %+v", as)
	}
	// The series never moves back: the command refuses it, and saving the
	// profile leaves the counter alone.
	if n, _ := db.InvoiceNumbering(); n.Next != 5 {
		t.Fatalf("next number %d", n.Next)
	}
	if _, err := db.MoveInvoiceNumbering(3, "typo", oct6); err == nil || !strings.Contains(err.Error(), "only moves forward") {
		t.Fatalf("moving back: %v", err)
	}
	p, _ := db.Profile()
	p.Phone = "+44 161 496 1234"
	if err := db.PutProfile(p, oct6); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.InvoiceNumbering(); n.Next != 5 {
		t.Fatalf("next number %d after a profile save", n.Next)
	}
	// A counter behind the numbers issued (a database edited by hand) is
	// caught at approval: refused, nothing taken.
	setCounter := func(next int) {
		t.Helper()
		if err := db.bolt.Update(func(tx *bolt.Tx) error { return putInvoiceCounter(tx, next) }); err != nil {
			t.Fatal(err)
		}
	}
	setCounter(3)
	as, _ = db.ApproveDrafts("2026-09", oct6)
	for _, a := range as {
		if a.Err == nil || !strings.Contains(a.Err.Error(), "number NCP-2026-00003 was already issued") || !strings.Contains(a.Err.Error(), "rebill invoices next-number N --reason R") {
			t.Fatalf("set back: %+v", a)
		}
		// The faces word the remedy themselves: the refusal says who holds
		// the number, by number and customer, never by internal id.
		var taken *NumberTakenError
		if !errors.As(a.Err, &taken) || taken.Number != "NCP-2026-00003" || !strings.HasPrefix(taken.Holder, "invoice NCP-2026-00003 of ") || strings.Contains(a.Err.Error(), "id ") {
			t.Fatalf("set back: %+v", a.Err)
		}
	}
	setCounter(5)
	as, err = db.ApproveDrafts("2026-09", oct6)
	if err != nil {
		t.Fatal(err)
	}
	// Credit notes: their own series.
	n1, err := db.IssueCreditNote(CreditRequest{Invoice: "NCP-2026-00002", Amount: decimal.RequireFromString("1.00"), Reason: "goodwill", Now: oct6})
	if err != nil {
		t.Fatal(err)
	}
	n2, err := db.IssueCreditNote(CreditRequest{Invoice: "NCP-2026-00003", Reason: "cancelled", Now: oct6})
	if err != nil {
		t.Fatal(err)
	}
	if n1.Number != "CN-2026-00001" || n2.Number != "CN-2026-00002" || n2.Corrects != mustInvoice(t, db, "NCP-2026-00003").ID {
		t.Errorf("credit notes %s %s", n1.Number, n2.Number)
	}

	all, err := db.Invoices(InvoiceFilter{Kind: invoice.KindInvoice}, oct6)
	if err != nil {
		t.Fatal(err)
	}
	var nums []string
	for _, inv := range all {
		if inv.Number != "" {
			nums = append(nums, inv.Number)
		}
	}
	slices.Sort(nums)
	for i, n := range nums {
		if want := fmt.Sprintf("NCP-2026-%05d", i+1); n != want {
			t.Fatalf("numbers %v: gap at %s", nums, want)
		}
	}
	if len(nums) != 7 { // 2 + 2 in the batches, 3 approved at the end
		t.Errorf("numbers %v", nums)
	}
	if n, _ := db.InvoiceNumbering(); n.Next != len(nums)+1 {
		t.Errorf("next number %d after %d issued", n.Next, len(nums))
	}
}

// creditUsed sums a customer's recorded credit uses.
func creditUsed(t *testing.T, db *DB, id string) decimal.Decimal {
	t.Helper()
	_, uses, err := db.Ledger(id)
	if err != nil {
		t.Fatal(err)
	}
	sum := decimal.Zero
	for _, u := range uses {
		sum = sum.Add(u.Amount)
	}
	return sum
}

// TestCreditsDebitedOnce: UMBRELLA's credit of 200 is debited when its
// invoice is approved, once; approving again, regenerating and
// re-approving never debit it again; voiding gives it back.
func TestCreditsDebitedOnce(t *testing.T) {
	db := sampleDB(t)
	rep := generate(t, db, customer.Selection{Customers: []string{"UMBRELLA"}}, allOn, oct5)
	id := draftIDOf(t, rep, "UMBRELLA")
	d := mustInvoice(t, db, id)
	applied := d.CreditsApplied.Decimal().Neg()
	if !applied.IsPositive() || len(d.CreditUses) == 0 {
		t.Fatalf("draft applies no credit: %s %+v", d.CreditsApplied, d.CreditUses)
	}
	if used := creditUsed(t, db, "UMBRELLA"); !used.IsZero() {
		t.Fatalf("a draft debited %s", used)
	}
	open := approveOK(t, db, oct5, id)[0]
	if used := creditUsed(t, db, "UMBRELLA"); !used.Equal(applied) {
		t.Fatalf("debited %s, want %s", used, applied)
	}
	for _, u := range open.CreditUses {
		if u.Invoice != id || !u.At.Equal(oct5) {
			t.Errorf("use %+v", u)
		}
	}
	as, _ := db.ApproveInvoices([]string{id}, oct6)
	if as[0].Err == nil || !strings.Contains(as[0].Err.Error(), "is already Open") {
		t.Errorf("approve twice: %+v", as[0])
	}
	generate(t, db, customer.Selection{All: true}, allOn, oct6)
	if _, err := db.ApproveDrafts("2026-09", oct6); err != nil {
		t.Fatal(err)
	}
	if used := creditUsed(t, db, "UMBRELLA"); !used.Equal(applied) {
		t.Fatalf("after regenerating and approving the month: debited %s, want %s", used, applied)
	}
	bal, _ := db.CreditBalances("UMBRELLA", "2026-09")
	if want := decimal.NewFromInt(200).Sub(applied); !bal[0].Amount.Equal(want) {
		t.Errorf("balance %s want %s", bal[0].Amount, want)
	}
	if _, err := db.VoidInvoice(id, "wrong month", oct6); err != nil {
		t.Fatal(err)
	}
	if used := creditUsed(t, db, "UMBRELLA"); !used.IsZero() {
		t.Errorf("void left %s debited", used)
	}
	// The voided month drafted again uses the credit again, once.
	rep = generate(t, db, customer.Selection{Customers: []string{"UMBRELLA"}}, allOn, oct20)
	approveOK(t, db, oct20, draftIDOf(t, rep, "UMBRELLA"))
	if used := creditUsed(t, db, "UMBRELLA"); !used.Equal(applied) {
		t.Errorf("re-issued: debited %s, want %s", used, applied)
	}
}

// Two drafts planning to spend the same credit: the second approval is
// refused and says to regenerate.
func TestCreditsNeverOverspent(t *testing.T) {
	db := sampleDB(t)
	rep := generate(t, db, customer.Selection{Customers: []string{"UMBRELLA"}}, allOn, oct5)
	first := draftIDOf(t, rep, "UMBRELLA")
	if _, err := db.DeleteInvoice(first, oct5); err != nil {
		t.Fatal(err)
	}
	// Void a stale draft scenario: an Open invoice voided leaves room for a
	// new draft while an older draft of the same credit is approved first.
	rep = generate(t, db, customer.Selection{Customers: []string{"UMBRELLA"}}, allOn, oct5)
	a := draftIDOf(t, rep, "UMBRELLA")
	approveOK(t, db, oct5, a)
	if _, err := db.VoidInvoice(a, "wrong", oct5); err != nil {
		t.Fatal(err)
	}
	rep = generate(t, db, customer.Selection{Customers: []string{"UMBRELLA"}}, allOn, oct5)
	b := draftIDOf(t, rep, "UMBRELLA")
	// Spend the credit elsewhere between drafting and approving.
	_, uses, _ := db.Ledger("UMBRELLA")
	if len(uses) != 0 {
		t.Fatalf("uses %+v", uses)
	}
	if err := db.RecordUses([]customer.Use{{Grant: 1, Customer: "UMBRELLA", Invoice: "manual", Period: "2026-09", Amount: decimal.NewFromInt(200)}}, oct5); err != nil {
		t.Fatal(err)
	}
	as, _ := db.ApproveInvoices([]string{b}, oct6)
	if as[0].Err == nil || !strings.Contains(as[0].Err.Error(), "regenerate the draft so it applies the credit that is left") {
		t.Fatalf("overspend: %+v", as[0])
	}
	if d := mustInvoice(t, db, b); d.Status != invoice.Draft {
		t.Errorf("refused draft is %s", d.Status)
	}
}

// TestPastDueIsDerived: an Open invoice is Past Due after its due date,
// in listing and filtering, without any write.
func TestPastDueIsDerived(t *testing.T) {
	db := sampleDB(t)
	id := openACME(t, db) // due 30 days after 5 October
	for _, tc := range []struct {
		now  time.Time
		want invoice.Status
	}{{oct20, invoice.Open}, {time.Date(2026, 11, 4, 23, 0, 0, 0, time.UTC), invoice.Open}, {dec31, invoice.PastDue}} {
		list, err := db.Invoices(InvoiceFilter{Status: tc.want}, tc.now)
		if err != nil || len(list) != 1 || list[0].ID != id || list[0].Effective(tc.now) != tc.want {
			t.Errorf("at %s: %d listed as %s: %v", tc.now, len(list), tc.want, err)
		}
	}
	if _, err := db.CloseInvoice(id, invoice.DateOf(dec31), "late", dec31); err != nil {
		t.Fatal(err)
	}
	if list, _ := db.Invoices(InvoiceFilter{Status: invoice.PastDue}, dec31); len(list) != 0 {
		t.Errorf("closed invoice still past due")
	}
}

// TestAuditVerifyDetectsTampering alters, removes and truncates entries
// in the bucket, as someone with the file could.
func TestAuditVerifyDetectsTampering(t *testing.T) {
	db := sampleDB(t)
	id := openACME(t, db)
	if _, err := db.CloseInvoice(id, invoice.DateOf(oct20), "BANK", oct20); err != nil {
		t.Fatal(err)
	}
	log, err := db.AuditLog()
	if err != nil {
		t.Fatal(err)
	}
	var actions []invoice.Action
	for _, e := range log {
		actions = append(actions, e.Action)
	}
	// Closing records the payment it means, then the close.
	if want := []invoice.Action{invoice.ActionGenerate, invoice.ActionApprove, invoice.ActionPayment, invoice.ActionClose}; !slices.Equal(actions, want) {
		t.Fatalf("log %v", actions)
	}
	head, err := db.VerifyAudit()
	if err != nil || head != log[3].Head() {
		t.Fatalf("verify %v %+v", err, head)
	}

	tamper := func(t *testing.T, fn func(b *bolt.Bucket) error, want string) {
		t.Helper()
		saved := map[uint64][]byte{}
		if err := db.bolt.Update(func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketAudit)
			b.ForEach(func(k, v []byte) error {
				saved[uint64(k[7])] = append([]byte(nil), v...)
				return nil
			})
			return fn(b)
		}); err != nil {
			t.Fatal(err)
		}
		_, err := db.VerifyAudit()
		var ce *invoice.ChainError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), want) {
			t.Errorf("verify after tampering: %v, want %q", err, want)
		}
		db.bolt.Update(func(tx *bolt.Tx) error {
			for seq, v := range saved {
				tx.Bucket(bucketAudit).Put(u64(seq), v)
			}
			return nil
		})
		if _, err := db.VerifyAudit(); err != nil {
			t.Fatalf("restored: %v", err)
		}
	}
	t.Run("altered", func(t *testing.T) {
		tamper(t, func(b *bolt.Bucket) error {
			v := b.Get(u64(2))
			return b.Put(u64(2), []byte(strings.Replace(string(v), `"NCP-2026-00001"`, `"NCP-2026-00099"`, 1)))
		}, "audit log entry 2 was altered")
	})
	t.Run("removed", func(t *testing.T) {
		tamper(t, func(b *bolt.Bucket) error { return b.Delete(u64(2)) }, "audit log entry 2 is missing")
	})
	t.Run("last removed", func(t *testing.T) {
		tamper(t, func(b *bolt.Bucket) error { return b.Delete(u64(4)) }, "audit log entry 4 is missing")
	})
	t.Run("unreadable", func(t *testing.T) {
		tamper(t, func(b *bolt.Bucket) error { return b.Put(u64(1), []byte("{garbage")) }, "audit log entry 1 cannot be read")
	})
}

// TestAuditKeepsTheLogoOut: entries record the logo's hash, not its bytes.
func TestAuditKeepsTheLogoOut(t *testing.T) {
	db := sampleDB(t)
	p, _ := db.Profile()
	p.Logo, p.LogoType = pngLogo(t), "image/png"
	if err := db.PutProfile(p, t0); err != nil {
		t.Fatal(err)
	}
	openACME(t, db)
	log, _ := db.AuditLog()
	for _, e := range log {
		if strings.Contains(string(e.After), `"logo":`) || !strings.Contains(string(e.After), `"seller_logo_sha256":`) {
			t.Errorf("entry %d after: %.200s", e.Seq, e.After)
		}
	}
}

// TestReimportKeepsTheSnapshot: the provider re-delivers September after
// the invoices were issued. Every issued invoice reads back byte for byte
// as issued; corrections list the changed ones with their differences,
// and one step issues each correction.
func TestReimportKeepsTheSnapshot(t *testing.T) {
	db := sampleDB(t)
	generate(t, db, customer.Selection{All: true}, allOn, oct5)
	issued, err := db.ApproveDrafts("2026-09", oct5)
	if err != nil {
		t.Fatal(err)
	}
	snap := map[string]string{}
	for _, a := range issued {
		snap[a.ID] = mustJSON(t, mustInvoice(t, db, a.ID))
	}
	none, err := db.Corrections("2026-09")
	if err != nil || none.Checked != 6 || len(none.Changed) != 0 || len(none.Unchecked) != 0 {
		t.Fatalf("before re-import: %+v %v", none, err)
	}

	// The second delivery: the same month with other usage.
	res, err := importPath(t, db, sampleFile(t, sample.Options{Seed: 7, Final: true}))
	if err != nil {
		t.Fatal(err)
	}
	// It says which issued invoices were computed from the data it
	// replaced: every AWS invoice of the month, its customers owning the
	// CUR's accounts.
	var aws []string
	for _, a := range issued {
		if inv := mustInvoice(t, db, a.ID); inv.Provider() == lineitem.AWS {
			aws = append(aws, inv.Number)
		}
	}
	if len(res.Deliveries) != 1 || len(aws) == 0 || !slices.Equal(slices.Sorted(slices.Values(res.Deliveries[0].Issued)), slices.Sorted(slices.Values(aws))) {
		t.Errorf("the re-delivery names the issued invoices %v, want the month's AWS invoices %v", res.Deliveries[0].Issued, aws)
	}
	for id, want := range snap {
		if got := mustJSON(t, mustInvoice(t, db, id)); got != want {
			t.Errorf("invoice %s changed after the re-import", id)
		}
	}
	rep, err := db.Corrections("2026-09")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Changed) == 0 {
		t.Fatalf("no difference after re-import: %+v", rep)
	}
	ch := rep.Changed[0]
	if !ch.Difference.Changed() || ch.Difference.Total.By.IsZero() && len(ch.Difference.Lines) == 0 {
		t.Errorf("difference %+v", ch.Difference)
	}
	if !ch.Difference.Total.Was.Decimal().Equal(ch.Invoice.Total.Decimal()) {
		t.Errorf("difference was %s, invoice total %s", ch.Difference.Total.Was, ch.Invoice.Total)
	}
	changed := len(rep.Changed)

	corr, err := db.Correct(ch.Invoice.Number, oct20)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d of %d invoices changed; %s %s -> %s corrected by %s %s, replacement %v", changed, rep.Checked, ch.Invoice.Number,
		ch.Difference.Total.Was, ch.Difference.Total.Now, corr.CreditNote.Number, corr.CreditNote.Total, corr.Replacement != nil)
	if corr.CreditNote.Status != invoice.Open || corr.CreditNote.Number != "CN-2026-00001" || corr.CreditNote.Corrects != ch.Invoice.ID {
		t.Errorf("credit note %s %s corrects %s", corr.CreditNote.Status, corr.CreditNote.Number, corr.CreditNote.Corrects)
	}
	fresh := ch.Difference.Total.Now.Decimal()
	if r := corr.Replacement; r != nil {
		if r.Status != invoice.Draft || !r.Total.Decimal().Equal(fresh) || mustInvoice(t, db, r.ID).Status != invoice.Draft {
			t.Errorf("replacement %s total %s want %s", r.Status, r.Total, fresh)
		}
		if !corr.CreditNote.Total.Decimal().Equal(ch.Invoice.Total.Decimal().Neg()) {
			t.Errorf("credit note %s for an invoice of %s", corr.CreditNote.Total, ch.Invoice.Total)
		}
	} else if got := ch.Invoice.Total.Add(corr.CreditNote.Total); !got.Decimal().Equal(fresh) {
		t.Errorf("invoice + credit note = %s, want the fresh total %s", got, fresh)
	}
	// Credited in full (with a replacement), the invoice is Closed by its
	// credit note; otherwise nothing of it changes.
	got := mustInvoice(t, db, ch.Invoice.ID)
	if corr.Replacement != nil {
		if got.Status != invoice.Closed || got.ClosedBy != invoice.ClosedByCreditNotes {
			t.Errorf("credited in full, the invoice is %s (closed by %q)", got.Status, got.ClosedBy)
		}
		got.Status, got.PaidDate, got.PaymentRef, got.ClosedBy = invoice.Open, invoice.Date{}, "", ""
	}
	if mustJSON(t, got) != snap[ch.Invoice.ID] {
		t.Errorf("correcting changed the invoice")
	}
	after, _ := db.Corrections("2026-09")
	if len(after.Changed) != changed-1 {
		t.Errorf("after one correction %d changed, want %d", len(after.Changed), changed-1)
	}
	if _, err := db.Correct(ch.Invoice.ID, oct20); err == nil || !strings.Contains(err.Error(), "credited in full already") && !strings.Contains(err.Error(), "already corrected") {
		t.Errorf("correcting twice: %v", err)
	}
	// UMBRELLA's invoice totals zero, its credit paid it: the change is in
	// how much credit it used, which no credit note can say. Corrections
	// say so, Correct refuses with the way out, and the way out works.
	for _, c := range rep.Changed {
		if c.Invoice.CustomerID != "UMBRELLA" {
			continue
		}
		if c.Correctable || !strings.Contains(c.Advice, "void it, which gives its credits back") {
			t.Errorf("zero total: correctable %v advice %q", c.Correctable, c.Advice)
		}
		if _, err := db.Correct(c.Invoice.ID, oct20); err == nil || !strings.Contains(err.Error(), "no credit note can correct it") {
			t.Errorf("correct zero total: %v", err)
		}
		if _, err := db.VoidInvoice(c.Invoice.ID, "re-delivered data", oct20); err != nil {
			t.Fatal(err)
		}
		g := generate(t, db, customer.Selection{Customers: []string{"UMBRELLA"}}, allOn, oct20)
		redo := approveOK(t, db, oct20, draftIDOf(t, g, "UMBRELLA"))[0]
		if used := creditUsed(t, db, "UMBRELLA"); !used.Equal(redo.CreditsApplied.Decimal().Neg()) || !redo.CreditsApplied.Decimal().Equal(c.Difference.CreditsApplied.Now.Decimal()) {
			t.Errorf("re-issued with credits %s (fresh %s), ledger %s", redo.CreditsApplied, c.Difference.CreditsApplied.Now, used)
		}
	}
	log, _ := db.AuditLog()
	actions := map[invoice.Action]int{}
	for _, e := range log {
		actions[e.Action]++
	}
	if actions[invoice.ActionCorrect] != 1 || corr.Replacement != nil && actions[invoice.ActionGenerate] < 7 {
		t.Errorf("audit actions %v", actions)
	}
	if _, err := db.VerifyAudit(); err != nil {
		t.Error(err)
	}
}

// A late provider credit: the total only goes down, so the correction is
// one credit note of the differences, and the invoice plus the note is the
// fresh statement; the invoice is then no longer listed.
func TestCorrectionOfALateCredit(t *testing.T) {
	db := billingDB(t)
	rep, err := db.GenerateInvoices(GenerateRequest{Period: "2026-09", Selection: customer.Selection{Customers: []string{"ACME"}}, Now: oct5})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := db.Profile()
	p.CompanyName = "Reseller Ltd"
	if err := db.PutProfile(p, oct5); err != nil {
		t.Fatal(err)
	}
	inv := approveOK(t, db, oct5, draftIDOf(t, rep, "ACME"))[0]
	redelivery := strings.TrimSuffix(billingCSV, "\n") + "\n" +
		"999999999999,2026-09-01T00:00:00Z,INV-1,111111111111,Credit,2026-09-01T00:00:00Z,AmazonEC2,USD,-1.5\n"
	path := writeTemp(t, "cur-2.csv", redelivery)
	if _, err := importPath(t, db, path); err != nil {
		t.Fatal(err)
	}
	cs, err := db.Corrections("")
	if err != nil || len(cs.Changed) != 1 || !cs.Changed[0].Difference.Total.By.Decimal().Equal(decimal.RequireFromString("-1.5")) {
		t.Fatalf("corrections %+v %v", cs, err)
	}
	corr, err := db.Correct(inv.Number, oct6)
	if err != nil {
		t.Fatal(err)
	}
	if corr.Replacement != nil || !corr.CreditNote.Total.Decimal().Equal(decimal.RequireFromString("-1.5")) {
		t.Fatalf("correction %+v", corr)
	}
	if cs, _ := db.Corrections("2026-09"); cs.Checked != 1 || len(cs.Changed) != 0 {
		t.Errorf("after correcting: %+v", cs)
	}
	if _, err := db.Correct(inv.Number, oct6); err == nil || !strings.Contains(err.Error(), "was already corrected by credit note CN-2026-00001") {
		t.Errorf("again: %v", err)
	}
}

// billing.Options is what generation records on each invoice.
func TestGenerateRecordsTheOptions(t *testing.T) {
	db := sampleDB(t)
	rep := generate(t, db, customer.Selection{Customers: []string{"ACME"}}, billing.Options{Tax: true, Marketplace: true}, oct5)
	o := rep.Results[0].Invoice.Options
	if !o.Tax || !o.Marketplace || o.Credits || o.Rounding == "" || o.ProviderTax == "" {
		t.Errorf("options %+v", o)
	}
}

func writeTemp(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestApproveTakesTheNameSetAfterTheDraft: a draft made before the
// reseller's company name was set is refused, saying to set the name and
// approve again; once it is set, the same draft is issued with it. (The
// refusal used to say to regenerate the draft first, which approval does
// not need: it takes the parties of its own day.)
func TestApproveTakesTheNameSetAfterTheDraft(t *testing.T) {
	db := sampleDB(t)
	if _, err := db.UpdateProfile(func(p *customer.Profile) error { p.CompanyName = ""; return nil }, oct5); err != nil {
		t.Fatal(err)
	}
	id := draftIDOf(t, generate(t, db, customer.Selection{Customers: []string{"ACME"}}, allOn, oct5), "ACME")
	as, err := db.ApproveInvoices([]string{id}, oct5)
	if err != nil {
		t.Fatal(err)
	}
	const want = "has no reseller company name: set it in Settings > Account information, then approve it again"
	if len(as) != 1 || as[0].Err == nil || !strings.Contains(as[0].Err.Error(), want) {
		t.Fatalf("approval %+v, want the refusal %q", as, want)
	}
	if _, err := db.UpdateProfile(func(p *customer.Profile) error { p.CompanyName = "Cloudwise Ltd"; return nil }, oct5); err != nil {
		t.Fatal(err)
	}
	if open := approveOK(t, db, oct5, id); open[0].Seller.CompanyName != "Cloudwise Ltd" || open[0].Number == "" {
		t.Errorf("issued %q by %q", open[0].Number, open[0].Seller.CompanyName)
	}
}
