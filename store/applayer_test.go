package store

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	bolt "go.etcd.io/bbolt"

	"rebill/engine/customer"
)

// TestGenerateSeesWhatLandsMeanwhile: a credit granted while the month's
// statements are being computed (here from the progress callback, between
// two customers) is applied to the draft stored, not lost: the write
// finds the database changed since the month was read and computes the
// statements again inside it. (They used to be computed in one
// transaction and written in another without a check.)
func TestGenerateSeesWhatLandsMeanwhile(t *testing.T) {
	db := sampleDB(t)
	granted := false
	rep, err := db.GenerateInvoices(GenerateRequest{Period: "2026-09", Selection: customer.Selection{Customers: []string{"ACME", "GLOBEX"}},
		Options: allOn, Now: oct5, Progress: func(done, total int) {
			if granted {
				return // the second computation runs inside the write: no write may wait for it
			}
			granted = true
			if _, err := db.Grant(customer.Grant{Customer: "ACME", Amount: decimal.NewFromInt(25), Reason: "outage"}, oct5); err != nil {
				t.Error(err)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	d := mustInvoice(t, db, draftIDOf(t, rep, "ACME"))
	if !d.CreditsApplied.Decimal().Equal(decimal.NewFromInt(-25)) || len(d.CreditUses) != 1 {
		t.Errorf("ACME's draft applies %s of credit (%+v), want the 25 granted while generating", d.CreditsApplied, d.CreditUses)
	}
}

// TestIssuedInvoiceKeepsItsApprovalAndUses: an approved invoice records
// when it was approved and the ids of the credit uses it made; voiding it
// gives back exactly those uses.
func TestIssuedInvoiceKeepsItsApprovalAndUses(t *testing.T) {
	db := sampleDB(t)
	id := draftIDOf(t, generate(t, db, customer.Selection{Customers: []string{"UMBRELLA"}}, allOn, oct5), "UMBRELLA")
	open := approveOK(t, db, oct5, id)[0]
	stored := mustInvoice(t, db, id)
	if !stored.Approved.Equal(oct5) || stored.ApprovedAt() != stored.Approved {
		t.Errorf("approved %v, want %v", stored.Approved, oct5)
	}
	_, uses, err := db.Ledger("UMBRELLA")
	if err != nil || len(uses) == 0 || len(stored.CreditUses) != len(uses) {
		t.Fatalf("ledger uses %+v, invoice uses %+v (%v)", uses, stored.CreditUses, err)
	}
	for i, u := range stored.CreditUses {
		if u.ID == 0 || u.ID != uses[i].ID || !u.Amount.Equal(uses[i].Amount) || u.Invoice != id {
			t.Errorf("invoice use %+v, ledger use %+v", u, uses[i])
		}
	}
	if mustJSON(t, open.CreditUses) != mustJSON(t, stored.CreditUses) {
		t.Errorf("approval returned uses %s, stored %s", mustJSON(t, open.CreditUses), mustJSON(t, stored.CreditUses))
	}
	if _, err := db.VoidInvoice(id, "wrong customer", oct6); err != nil {
		t.Fatal(err)
	}
	if _, uses, _ := db.Ledger("UMBRELLA"); len(uses) != 0 {
		t.Errorf("void left uses %+v", uses)
	}
}

// TestCorrectionsReadNoAuditLog: checking issued invoices against their
// month needs no audit log (the approval instant is on the invoice), so
// an unreadable audit entry, which rebill check reports, does not stop
// it. (Every load of the Invoices screen used to decode the whole log.)
func TestCorrectionsReadNoAuditLog(t *testing.T) {
	db := sampleDB(t)
	rep := generate(t, db, customer.Selection{All: true}, allOn, oct5)
	if _, err := db.ApproveDrafts("2026-09", oct5); err != nil {
		t.Fatal(err)
	}
	if err := db.bolt.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketAudit).Put(u64(1), []byte("not json")) }); err != nil {
		t.Fatal(err)
	}
	c, err := db.Corrections("2026-09")
	if err != nil || c.Checked != rep.Count(Created) || len(c.Changed) != 0 {
		t.Errorf("corrections: %d checked of %d, %d changed, %v", c.Checked, rep.Count(Created), len(c.Changed), err)
	}
	if _, err := db.VerifyAudit(); err == nil || !strings.Contains(err.Error(), "audit log entry 1 cannot be read") {
		t.Errorf("verify: %v", err)
	}
}

// TestCorrectionsOfInvoicesWithoutApprovalInstant: an invoice issued
// before the approval instant was stored on it still computes its
// credits as they stood when it was approved (from the audit log): a
// credit granted afterwards is no difference, as for a new invoice.
func TestCorrectionsOfInvoicesWithoutApprovalInstant(t *testing.T) {
	for _, legacy := range []bool{false, true} {
		name := map[bool]string{false: "approval stored", true: "issued before it was stored"}[legacy]
		t.Run(name, func(t *testing.T) {
			db := sampleDB(t)
			id := draftIDOf(t, generate(t, db, customer.Selection{Customers: []string{"ACME"}}, allOn, oct5), "ACME")
			approveOK(t, db, oct5, id)
			if legacy {
				// As an older Rebill stored it: no approval instant, no
				// credit uses (ACME had no credit).
				err := db.bolt.Update(func(tx *bolt.Tx) error {
					inv, err := getInvoice(tx, id)
					if err != nil {
						return err
					}
					inv.Approved = time.Time{}
					v, err := json.Marshal(inv)
					if err != nil {
						return err
					}
					k, _ := invoiceKey(id)
					return tx.Bucket(bucketInvoices).Put(k, v)
				})
				if err != nil {
					t.Fatal(err)
				}
				if got := mustInvoice(t, db, id); !got.ApprovedAt().IsZero() {
					t.Fatalf("the legacy invoice says it was approved at %v", got.ApprovedAt())
				}
			}
			if _, err := db.Grant(customer.Grant{Customer: "ACME", Amount: decimal.NewFromInt(40), Reason: "later goodwill"}, oct20); err != nil {
				t.Fatal(err)
			}
			c, err := db.Corrections("2026-09")
			if err != nil || c.Checked != 1 || len(c.Changed) != 0 {
				t.Errorf("%d checked, changed %+v, unchecked %+v, %v", c.Checked, c.Changed, c.Unchecked, err)
			}
		})
	}
}

// TestListingMigration: a database written before the invoice index kept
// listings gets them when opened: the list shows the schema 4 release's
// invoice as stored, and the check finds nothing.
func TestListingMigration(t *testing.T) {
	path := schema4Copy(t)
	raw, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	empty := 0
	raw.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketInvoiceIndex).ForEach(func(_, v []byte) error {
			if len(v) == 0 {
				empty++
			}
			return nil
		})
	})
	raw.Close()
	if empty != 1 {
		t.Fatalf("the schema 4 database indexes %d documents without a listing, want its one invoice", empty)
	}
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	list, err := db.Invoices(InvoiceFilter{}, oct20)
	if err != nil || len(list) != 1 {
		t.Fatalf("list %+v, %v", list, err)
	}
	// testdata/schema4/README.md: INV-2026-00001, USD 16.04.
	if inv := list[0]; inv.Number != "INV-2026-00001" || inv.Total.String() != "16.04" || inv.Currency != "USD" || inv.Customer.Name != "Acme Corp" {
		t.Errorf("listed %s %s %s %q", inv.Number, inv.Currency, inv.Total, inv.Customer.Name)
	}
	rep, err := db.Check()
	if err != nil || len(rep.Findings) != 0 {
		t.Errorf("check: %+v %v", rep.Findings, err)
	}
}

// TestMapStartsWhereTheFormDoes: a mapping given without its first month
// starts at MappingStart, the month the window's form offers: this month
// on an empty database, the earliest imported month once there is one.
func TestMapStartsWhereTheFormDoes(t *testing.T) {
	db := openTest(t)
	mustAdd(t, db, customer.Customer{ID: "ACME", Name: "Acme", Currency: "USD"})
	if from, err := db.MappingStart(oct20); err != nil || from != "2026-10" {
		t.Fatalf("empty database starts at %s, %v", from, err)
	}
	for _, m := range []string{"2026-09", "2026-07"} {
		p, _ := csvFile(t, "111111111111", m, 3, false)
		if _, err := importPath(t, db, p); err != nil {
			t.Fatal(err)
		}
	}
	from, err := db.MappingStart(oct20)
	if err != nil || from != "2026-07" {
		t.Fatalf("starts at %s, %v; want 2026-07", from, err)
	}
	if err := db.Map(customer.Mapping{Account: "111111111111", Customer: "ACME", Until: "2026-06"}, oct20); err == nil || !strings.Contains(err.Error(), "until 2026-06 is before 2026-07") {
		t.Errorf("until before the start: %v", err)
	}
	if err := db.Map(customer.Mapping{Account: "111111111111", Customer: "ACME"}, oct20); err != nil {
		t.Fatal(err)
	}
	if ms, _ := db.AccountMappings("111111111111"); len(ms) != 1 || ms[0].From != from {
		t.Errorf("mappings %+v, want one from %s", ms, from)
	}
}
