package store

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	bolt "go.etcd.io/bbolt"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/invoice"
	"rebill/engine/sample"
)

// acmeAccount is ACME's only account in the sample: its September invoice
// bills it.
const acmeAccount = "012345678901"

// moveWithoutChecks rewrites an account's mappings the way Rebill did
// before it refused to move invoiced months: a database that comes with
// such a move already made.
func moveWithoutChecks(t *testing.T, db *DB, account string, want ...customer.Mapping) {
	t.Helper()
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		existing, err := accountMappings(tx, account)
		if err != nil {
			return err
		}
		_, err = replaceAccountMappings(tx, account, existing, want, t0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// unchangedBy fails when do changes the mappings or the change log.
func unchangedBy(t *testing.T, db *DB, do func() error) error {
	t.Helper()
	ms, _ := db.Mappings()
	log, _ := db.Changes(nil)
	err := do()
	if after, _ := db.Mappings(); !slices.Equal(after, ms) {
		t.Errorf("the mappings changed: %v\nbefore %v", after, ms)
	}
	if after, _ := db.Changes(nil); len(after) != len(log) {
		t.Errorf("the change log grew from %d to %d entries", len(log), len(after))
	}
	return err
}

func importMappings(db *DB, csv string) error {
	_, err := db.ImportMappingsCSV(strings.NewReader("account,customer,from,until\n"+csv), oct6)
	return err
}

// TestInvoicedAccountMonthKeepsItsOwner: once ACME's September invoice is
// issued, no mapping use case moves ACME's account out of September;
// months the invoice does not bill move freely.
func TestInvoicedAccountMonthKeepsItsOwner(t *testing.T) {
	db := sampleDB(t)
	openACME(t, db)
	if inv := mustInvoice(t, db, "NCP-2026-00001"); !slices.Equal(inv.Accounts, []string{acmeAccount}) {
		t.Fatalf("ACME's invoice lists %v, want its one account", inv.Accounts)
	}
	moved := "account 012345678901 in 2026-09 is on invoice NCP-2026-00001 (Open) of ACME, so it cannot move to GLOBEX for that month: " +
		"void that invoice or credit it in full first, then generate ACME's 2026-09 again; or leave 2026-09 with ACME"
	left := strings.Replace(moved, "move to GLOBEX", "be left to no customer", 1)
	refused := []struct {
		name string
		do   func() error
		want string
	}{
		{"unmap the account", func() error { _, err := db.Unmap(acmeAccount, "", oct6); return err }, left},
		{"unmap from the invoiced month", func() error { _, err := db.Unmap(acmeAccount, "2026-09", oct6); return err }, left},
		{"unmap from an earlier month", func() error { _, err := db.Unmap(acmeAccount, "2026-08", oct6); return err }, left},
		{"import it to another customer", func() error { return importMappings(db, "012345678901,GLOBEX,2026-09,\n") }, moved},
		{"import it to another customer from earlier", func() error { return importMappings(db, "012345678901,GLOBEX,2026-01,\n") }, moved},
		{"import ACME's mapping ending before", func() error { return importMappings(db, "012345678901,ACME,2026-01,2026-08\n") }, left},
		{"import with another account beside it", func() error {
			return importMappings(db, "305417826390,GLOBEX,2026-09,\n012345678901,GLOBEX,2026-09,\n")
		}, moved},
		{"set up the sample without ACME's account", func() error {
			s := sample.CustomerSetup("2026-09")
			s.Mappings[0].Customer = "GLOBEX"
			return db.ApplySetup(s, oct6)
		}, moved},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			err := unchangedBy(t, db, tc.do)
			var me *invoice.MoveError
			if !errors.As(err, &me) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v\nwant %s", err, tc.want)
			}
		})
	}

	// What the invoice does not bill moves: October on, and other accounts.
	if _, err := db.Unmap(acmeAccount, "2026-10", oct6); err != nil {
		t.Fatalf("unmapping from October: %v", err)
	}
	if err := db.Map(customer.Mapping{Account: acmeAccount, Customer: "GLOBEX", From: "2026-10"}, oct6); err != nil {
		t.Fatalf("mapping October on to GLOBEX: %v", err)
	}
	if err := importMappings(db, "012345678901,ACME,2026-09,2026-09\n012345678901,GLOBEX,2026-10,\n305417826390,CONTOSO,2026-09,\n"); err != nil {
		t.Fatalf("importing what keeps September with ACME: %v", err)
	}
	if owner, _ := customer.OwnerAt(mustMappings(t, db), acmeAccount, "2026-09"); owner != "ACME" {
		t.Errorf("September belongs to %q", owner)
	}

	// A month left to nobody by an older Rebill is only mapped back to the
	// customer whose invoice bills it.
	moveWithoutChecks(t, db, acmeAccount, customer.Mapping{Account: acmeAccount, Customer: "GLOBEX", From: "2026-10"})
	err := unchangedBy(t, db, func() error {
		return db.Map(customer.Mapping{Account: acmeAccount, Customer: "INITECH", From: "2026-09", Until: "2026-09"}, oct6)
	})
	if err == nil || !strings.Contains(err.Error(), "account 012345678901 in 2026-09 is on invoice NCP-2026-00001 (Open) of ACME, so it cannot move to INITECH") {
		t.Fatalf("mapping the invoiced month to another customer: %v", err)
	}
	if err := db.Map(customer.Mapping{Account: acmeAccount, Customer: "ACME", From: "2026-09", Until: "2026-09"}, oct6); err != nil {
		t.Fatalf("mapping it back to ACME: %v", err)
	}
}

// TestWhichInvoicesHoldTheirMonth: an Open, Closed or partly credited
// invoice holds its account-months; a Void or fully credited one does
// not. The advice follows the status.
func TestWhichInvoicesHoldTheirMonth(t *testing.T) {
	unmap := func(db *DB) error { _, err := db.Unmap(acmeAccount, "", oct20); return err }
	cases := []struct {
		name  string
		after func(t *testing.T, db *DB, id string)
		want  string // "" when the account may be unmapped
	}{
		{"open", func(*testing.T, *DB, string) {}, "(Open) of ACME, so it cannot be left to no customer for that month: void that invoice or credit it in full first"},
		{"closed", func(t *testing.T, db *DB, id string) {
			if _, err := db.CloseInvoice(id, invoice.DateOf(oct20), "BANK-1", oct20); err != nil {
				t.Fatal(err)
			}
		}, "(Closed) of ACME, so it cannot be left to no customer for that month: credit that invoice in full first (a Closed invoice cannot be voided)"},
		{"credited in part", func(t *testing.T, db *DB, id string) {
			if _, err := db.IssueCreditNote(CreditRequest{Invoice: id, Amount: decimal.NewFromInt(10), Reason: "goodwill", Now: oct6}); err != nil {
				t.Fatal(err)
			}
		}, "is on invoice NCP-2026-00001 (Open) of ACME"},
		{"credited in full", func(t *testing.T, db *DB, id string) {
			if _, err := db.IssueCreditNote(CreditRequest{Invoice: id, Reason: "wrong customer", Now: oct6}); err != nil {
				t.Fatal(err)
			}
		}, ""},
		{"void", func(t *testing.T, db *DB, id string) {
			if _, err := db.VoidInvoice(id, "wrong customer", oct6); err != nil {
				t.Fatal(err)
			}
		}, ""},
		{"issued before invoices listed their accounts", func(t *testing.T, db *DB, id string) {
			err := db.bolt.Update(func(tx *bolt.Tx) error {
				inv, err := getInvoice(tx, id)
				if err != nil {
					return err
				}
				inv.Accounts = nil
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
		}, "is on invoice NCP-2026-00001 (Open) of ACME"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := sampleDB(t)
			id := openACME(t, db)
			tc.after(t, db, id)
			if tc.want == "" {
				if err := unmap(db); err != nil {
					t.Fatalf("unmapping: %v", err)
				}
				return
			}
			if err := unchangedBy(t, db, func() error { return unmap(db) }); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v\nwant %s", err, tc.want)
			}
		})
	}
}

// TestGenerateNeverBillsAnotherCustomersMonth: an account moved (by an
// older Rebill) after its month was invoiced fails the new owner's
// generation, naming the account and the invoice; its draft is left as it
// was. Once the invoice is void, the new owner's month is billed.
func TestGenerateNeverBillsAnotherCustomersMonth(t *testing.T) {
	db := sampleDB(t)
	globexDraft := draftIDOf(t, generate(t, db, customer.Selection{Customers: []string{"GLOBEX"}}, allOn, oct5), "GLOBEX")
	before := mustInvoice(t, db, globexDraft)
	if !slices.Equal(before.Accounts, []string{"305417826390"}) {
		t.Fatalf("GLOBEX's draft lists %v", before.Accounts)
	}
	openACME(t, db)
	moveWithoutChecks(t, db, acmeAccount, customer.Mapping{Account: acmeAccount, Customer: "GLOBEX", From: "2026-09"})

	rep := generate(t, db, customer.Selection{Customers: []string{"ACME", "GLOBEX"}}, allOn, oct6)
	byID := map[string]Generated{}
	for _, g := range rep.Results {
		byID[g.CustomerID] = g
	}
	acme, globex := byID["ACME"], byID["GLOBEX"]
	if acme.Outcome != Issued {
		t.Errorf("ACME: %s %s", acme.Outcome, acme.Reason)
	}
	want := "account 012345678901 in 2026-09 is already billed on invoice NCP-2026-00001 (Open) of ACME, so GLOBEX cannot be billed for it too: " +
		"if ACME owned it that month, map it back to ACME for 2026-09; otherwise void it or credit it in full, then generate GLOBEX again" +
		"; its existing draft (id " + globexDraft + ") was left as it was"
	if globex.Outcome != Failed || globex.Reason != want {
		t.Fatalf("GLOBEX: %s %q\nwant %q", globex.Outcome, globex.Reason, want)
	}
	if after := mustInvoice(t, db, globexDraft); mustJSON(t, after) != mustJSON(t, before) {
		t.Error("GLOBEX's draft changed")
	}

	if _, err := db.VoidInvoice("NCP-2026-00001", "the account was GLOBEX's", oct6); err != nil {
		t.Fatal(err)
	}
	rep = generate(t, db, customer.Selection{Customers: []string{"GLOBEX"}}, allOn, oct6)
	if g := rep.Results[0]; g.Outcome != Replaced || !slices.Equal(g.Invoice.Accounts, []string{acmeAccount, "305417826390"}) {
		t.Fatalf("GLOBEX after the void: %s %q %v", g.Outcome, g.Reason, g.Invoice)
	}
}

// TestStaleDraftIsNotIssued: a draft made before one of its accounts moved
// is refused at approval once the new owner is invoiced for that month,
// in the same batch too, and takes no number.
func TestStaleDraftIsNotIssued(t *testing.T) {
	const moving = "690254183927" // INITECH's in September, GLOBEX's from October
	db := sampleDB(t)
	initech := draftIDOf(t, generate(t, db, customer.Selection{Customers: []string{"INITECH"}}, allOn, oct5), "INITECH")
	if d := mustInvoice(t, db, initech); !slices.Equal(d.Accounts, []string{moving}) {
		t.Fatalf("INITECH's draft lists %v", d.Accounts)
	}
	// Only a draft bills September: the move is allowed.
	if err := importMappings(db, moving+",FABRIKAM,2026-09,2026-09\n"+moving+",GLOBEX,2026-10,\n"); err != nil {
		t.Fatal(err)
	}
	fabrikam := draftIDOf(t, generate(t, db, customer.Selection{Customers: []string{"FABRIKAM"}}, allOn, oct5), "FABRIKAM")
	as, err := db.ApproveInvoices([]string{fabrikam, initech}, oct6)
	if err != nil {
		t.Fatal(err)
	}
	if as[0].Err != nil || as[0].Invoice.Number != "NCP-2026-00001" || !slices.Equal(as[0].Invoice.Accounts, []string{"447120958316", moving}) {
		t.Fatalf("FABRIKAM: %+v", as[0])
	}
	want := "draft invoice of INITECH for 2026-09 cannot be issued: account 690254183927 in 2026-09 is already billed on invoice NCP-2026-00001 (Open) of FABRIKAM, " +
		"so INITECH cannot be billed for it too"
	var be *invoice.BilledError
	if as[1].Err == nil || !errors.As(as[1].Err, &be) || !strings.HasPrefix(as[1].Refused, want) {
		t.Fatalf("INITECH: %q\nwant %s...", as[1].Refused, want)
	}
	if d := mustInvoice(t, db, initech); d.Status != invoice.Draft {
		t.Errorf("INITECH's draft is %s", d.Status)
	}
	if n, _ := db.InvoiceNumbering(); n.Next != 2 {
		t.Errorf("next number %d after one invoice issued", n.Next)
	}
}

// TestCustomerWithDocumentsIsKept: a customer with a draft is deleted only
// once the draft is; one with an issued document (even void) never is.
func TestCustomerWithDocumentsIsKept(t *testing.T) {
	db := sampleDB(t)
	fee := named("FEE", "Retainer Ltd", "")
	fee.Recurring = []customer.RecurringCharge{{Description: "Retainer", Amount: decimal.NewFromInt(150), From: "2026-01"}}
	mustAdd(t, db, fee, named("IDLE", "Idle Ltd", ""), named("SPARE", "Spare Ltd", ""))
	draft := draftIDOf(t, generate(t, db, customer.Selection{Customers: []string{"FEE", "SPARE"}}, billing.Options{}, oct5), "FEE")

	refused := func(want string) {
		t.Helper()
		if err := db.DeleteCustomer("FEE", oct6); err == nil || err.Error() != want {
			t.Fatalf("deleting FEE: %v\nwant %s", err, want)
		}
		if _, err := db.Customer("FEE"); err != nil {
			t.Fatal("FEE was deleted")
		}
	}
	refused("customer FEE has 1 draft invoice: delete them first (rebill invoices delete ID), then delete the customer")
	approveOK(t, db, oct6, draft)
	refused("customer FEE has 1 issued document, invoice NCP-2026-00001 (Open) the first: a customer with invoices or credit notes is kept for the record, whatever their status")
	if _, err := db.VoidInvoice("NCP-2026-00001", "retainer waived", oct6); err != nil {
		t.Fatal(err)
	}
	refused("customer FEE has 1 issued document, invoice NCP-2026-00001 (Void) the first: a customer with invoices or credit notes is kept for the record, whatever their status")

	// SPARE had nothing to bill, so no document: it goes, as IDLE does.
	for _, id := range []string{"IDLE", "SPARE"} {
		if err := db.DeleteCustomer(id, oct6); err != nil {
			t.Errorf("deleting %s: %v", id, err)
		}
	}
}

// TestNegativeDraftIsRefused: usage 1.00 and a provider credit of -13.34
// (no tax, discount or support: total -12.34 by hand) make a draft that
// is not issued, takes no number and stays a draft.
func TestNegativeDraftIsRefused(t *testing.T) {
	db := openTest(t)
	p := customer.DefaultProfile()
	p.CompanyName = "Nimbus Cloud Partners Ltd"
	if err := db.PutProfile(p, t0); err != nil {
		t.Fatal(err)
	}
	mustAdd(t, db, named("REFUND", "Refunded Ltd", ""))
	if err := db.Map(customer.Mapping{Account: "999999999999", Customer: "REFUND", From: "2026-09"}, t0); err != nil {
		t.Fatal(err)
	}
	cur := header +
		"836060457634,2026-09-01T00:00:00Z,,999999999999,Usage,2026-09-01T00:00:00Z,AmazonEC2,USD,1.00,\n" +
		"836060457634,2026-09-01T00:00:00Z,,999999999999,Credit,2026-09-02T00:00:00Z,AmazonEC2,USD,-13.34,\n"
	if _, err := importPath(t, db, writeTemp(t, "refund.csv", cur)); err != nil {
		t.Fatal(err)
	}
	rep := generate(t, db, customer.Selection{Customers: []string{"REFUND"}}, billing.Options{}, oct5)
	d := rep.Results[0].Invoice
	if d == nil || d.Total.String() != "-12.34" {
		t.Fatalf("draft %+v", rep.Results[0])
	}
	as, err := db.ApproveInvoices([]string{d.ID}, oct6)
	if err != nil {
		t.Fatal(err)
	}
	want := "draft invoice of REFUND for 2026-09 cannot be issued: its total is USD -12.34, and a negative invoice is a credit; issue a credit note against the invoice it corrects instead, and delete this draft"
	if as[0].Refused != want {
		t.Fatalf("refused %q\nwant %q", as[0].Refused, want)
	}
	if mustInvoice(t, db, d.ID).Status != invoice.Draft {
		t.Error("the draft did not stay a draft")
	}
	if n, _ := db.InvoiceNumbering(); n.Next != 1 {
		t.Errorf("next number %d: the refusal took a number", n.Next)
	}
}

// TestInvoiceSeriesMovesOnlyForward: the counter moves forward by hand
// with a reason, recorded in the audit log with the series before and
// after; never back; and no profile save moves it.
func TestInvoiceSeriesMovesOnlyForward(t *testing.T) {
	db := sampleDB(t)
	n, err := db.InvoiceNumbering()
	if err != nil || n != (invoice.Numbering{Series: invoice.KindInvoice, Format: "NCP-{YYYY}-{SEQ:5}", Next: 1}) {
		t.Fatalf("series %+v %v", n, err)
	}
	for _, tc := range []struct {
		next   int
		reason string
		want   string
	}{
		{1, "again", "the next invoice number is 1 already: it only moves forward, to a number above 1"},
		{42, "  ", "moving the next invoice number from 1 to 42 leaves 41 numbers unused: give the reason"},
	} {
		if _, err := db.MoveInvoiceNumbering(tc.next, tc.reason, oct5); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("MoveInvoiceNumbering(%d, %q) = %v", tc.next, tc.reason, err)
		}
	}
	if log, _ := db.AuditLog(); len(log) != 0 {
		t.Fatalf("refused moves were logged: %v", log)
	}
	moved, err := db.MoveInvoiceNumbering(42, "continuing the series of our previous billing program", oct5)
	if err != nil || moved.Next != 42 {
		t.Fatalf("moved to %+v: %v", moved, err)
	}
	log, _ := db.AuditLog()
	if len(log) != 1 {
		t.Fatalf("audit log %v", log)
	}
	e := log[0]
	if e.Action != invoice.ActionMoveSeries || e.Invoice != "series:invoice" || !e.Time.Equal(oct5) ||
		string(e.Before) != `{"series":"invoice","format":"NCP-{YYYY}-{SEQ:5}","next":1}` ||
		string(e.After) != `{"series":"invoice","format":"NCP-{YYYY}-{SEQ:5}","next":42,"reason":"continuing the series of our previous billing program"}` {
		t.Errorf("audit entry %s %s %s %s %s", e.Action, e.Invoice, e.Time, e.Before, e.After)
	}
	// The sample's profile saved again (its format unchanged) leaves the counter.
	if err := db.ApplySetup(sample.CustomerSetup("2026-09"), oct5); err != nil {
		t.Fatal(err)
	}
	openACME(t, db)
	if inv := mustInvoice(t, db, "NCP-2026-00042"); inv.CustomerID != "ACME" {
		t.Errorf("invoice 42 is %s's", inv.CustomerID)
	}
	if n, _ := db.InvoiceNumbering(); n.Next != 43 {
		t.Errorf("next number %d after issuing 42", n.Next)
	}
	if _, err := db.VerifyAudit(); err != nil {
		t.Error(err)
	}
}

// TestMigrationTakesTheProfilesCounter: a database whose counter was the
// profile's next_invoice_number continues from it after the upgrade.
func TestMigrationTakesTheProfilesCounter(t *testing.T) {
	version := slices.IndexFunc(migrations, func(m migration) bool {
		return m.name == "move the invoice counter from the profile to the invoice series"
	})
	if version < 0 {
		t.Fatal("no migration of the invoice counter")
	}
	for _, tc := range []struct {
		name    string
		profile string // stored JSON, "" for none
		next    int
	}{
		{"counter moved", `{"company_name":"Old Books Ltd","invoice_number_format":"OB-{SEQ:4}","next_invoice_number":42,"default_currency":"EUR","default_payment_terms_days":14}`, 42},
		{"profile without a counter", `{"company_name":"Old Books Ltd","invoice_number_format":"OB-{SEQ:4}","default_currency":"EUR"}`, 1},
		{"invalid counter", `{"invoice_number_format":"OB-{SEQ:4}","next_invoice_number":0,"default_currency":"EUR"}`, 1},
		{"no profile saved", "", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "rebill.db")
			db, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			// Make it a database written before the counter moved.
			err = db.bolt.Update(func(tx *bolt.Tx) error {
				if tc.profile != "" {
					if err := tx.Bucket(bucketProfile).Put(keyProfile, []byte(tc.profile)); err != nil {
						return err
					}
				}
				if err := tx.Bucket(bucketInvoiceSeries).Delete(keyInvoiceSeries); err != nil {
					return err
				}
				return tx.Bucket(bucketMeta).Put(keySchema, u32(uint32(version)))
			})
			if err != nil {
				t.Fatal(err)
			}
			db.Close()
			if db, err = Open(path); err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			n, err := db.InvoiceNumbering()
			if err != nil || n.Next != tc.next {
				t.Fatalf("series after the upgrade %+v %v, want next %d", n, err, tc.next)
			}
			if tc.profile != "" && n.Format != "OB-{SEQ:4}" {
				t.Errorf("format %q", n.Format)
			}
			// The profile reads as before, without the counter.
			if p, err := db.Profile(); err != nil || (tc.profile != "" && p.NumberFormat != "OB-{SEQ:4}") {
				t.Errorf("profile after the upgrade %+v %v", p, err)
			}
		})
	}
}
