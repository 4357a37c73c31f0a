package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"image"
	"image/png"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/invoice"
	"rebill/engine/sample"
)

// Days of the invoice tests: generated and approved on 5 October, paid
// later, and a day far enough for an invoice of 30 days to be past due.
var (
	oct5  = time.Date(2026, 10, 5, 9, 30, 0, 0, time.UTC)
	oct6  = oct5.Add(24 * time.Hour)
	oct20 = time.Date(2026, 10, 20, 12, 0, 0, 0, time.UTC)
	dec31 = time.Date(2026, 12, 31, 12, 0, 0, 0, time.UTC)
	// setUp is when the sample's customers and credit were recorded.
	setUp = time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)
)

// sampleFile writes a sample CUR of September 2026 and returns its path.
func sampleFile(t testing.TB, opt sample.Options) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "sample.csv")
	if err := writeSample(p, opt, 0); err != nil {
		t.Fatal(err)
	}
	return p
}

// sampleDB is a database with the sample's September 2026 (final) and its
// reseller profile, six customers, mappings and UMBRELLA's credit of 200.
func sampleDB(t testing.TB) *DB {
	t.Helper()
	db := openTest(t)
	if err := db.ApplySetup(sample.CustomerSetup("2026-09"), setUp); err != nil {
		t.Fatal(err)
	}
	if _, err := importPath(t, db, sampleFile(t, sample.Options{Seed: 1, Final: true})); err != nil {
		t.Fatal(err)
	}
	return db
}

var allOn = billing.Options{Credits: true, Tax: true, Marketplace: true}

func generate(t testing.TB, db *DB, sel customer.Selection, opt billing.Options, now time.Time) GenerateReport {
	t.Helper()
	rep, err := db.GenerateInvoices(GenerateRequest{Period: "2026-09", Selection: sel, Options: opt, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// draftIDOf returns the draft generated for a customer.
func draftIDOf(t testing.TB, rep GenerateReport, customerID string) string {
	t.Helper()
	for _, g := range rep.Results {
		if g.CustomerID == customerID && g.Invoice != nil && g.Invoice.Status == invoice.Draft {
			return g.Invoice.ID
		}
	}
	t.Fatalf("no draft for %s in %+v", customerID, rep.Results)
	return ""
}

func approveOK(t testing.TB, db *DB, now time.Time, ids ...string) []invoice.Invoice {
	t.Helper()
	as, err := db.ApproveInvoices(ids, now)
	if err != nil {
		t.Fatal(err)
	}
	var out []invoice.Invoice
	for _, a := range as {
		if a.Err != nil {
			t.Fatalf("approving %s: %v", a.ID, a.Err)
		}
		out = append(out, *a.Invoice)
	}
	return out
}

func mustInvoice(t testing.TB, db *DB, ref string) invoice.Invoice {
	t.Helper()
	inv, err := db.Invoice(ref)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// pngLogo is a small valid PNG.
func pngLogo(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 4))
	for i := range img.Pix {
		img.Pix[i] = 0x80
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestGenerateReportsEveryCustomer(t *testing.T) {
	db := sampleDB(t)
	rep := generate(t, db, customer.Selection{All: true}, allOn, oct5)
	if !rep.Final || rep.Warning != "" || len(rep.Results) != 6 {
		t.Fatalf("report %+v", rep)
	}
	for _, g := range rep.Results {
		if g.Outcome != Created || g.Invoice.Status != invoice.Draft || g.Invoice.Number != "" {
			t.Errorf("%s: %s %s", g.CustomerID, g.Outcome, g.Reason)
		}
	}
	// Regenerating replaces each draft in place, with its audit entry.
	again := generate(t, db, customer.Selection{Group: "Americas"}, billing.Options{}, oct6)
	if again.Count(Replaced) != 3 || len(again.Results) != 3 {
		t.Fatalf("regenerate %+v", again.Results)
	}
	for _, g := range again.Results {
		if g.Invoice.ID != draftIDOf(t, rep, g.CustomerID) || !g.Invoice.Generated.Equal(oct6) {
			t.Errorf("%s regenerated as %s at %s", g.CustomerID, g.Invoice.ID, g.Invoice.Generated)
		}
	}
	list, err := db.Invoices(InvoiceFilter{Period: "2026-09"}, oct6)
	if err != nil || len(list) != 6 {
		t.Fatalf("list %d %v", len(list), err)
	}
	if _, err := db.GenerateInvoices(GenerateRequest{Period: "2026-09", Selection: customer.Selection{Customers: []string{"ACME", "NOPE"}}, Now: oct6}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown customer: %v", err)
	}
	if _, err := db.GenerateInvoices(GenerateRequest{Period: "2026-09", Now: oct6}); err == nil || !strings.Contains(err.Error(), "choose the customers") {
		t.Errorf("no selection: %v", err)
	}
	if _, err := db.GenerateInvoices(GenerateRequest{Period: "2026-10", Selection: customer.Selection{All: true}, Now: oct6}); err == nil || !strings.Contains(err.Error(), "import its files first") {
		t.Errorf("month without data: %v", err)
	}
	if _, err := db.VerifyAudit(); err != nil {
		t.Fatal(err)
	}
}

// A customer with no charges gets no invoice; a customer whose only charge
// is recurring does; a provisional month is flagged.
func TestGenerateNothingToBillAndProvisional(t *testing.T) {
	db := openTest(t)
	if err := db.ApplySetup(sample.CustomerSetup("2026-09"), t0); err != nil {
		t.Fatal(err)
	}
	if _, err := importPath(t, db, sampleFile(t, sample.Options{Seed: 1})); err != nil {
		t.Fatal(err)
	}
	idle := named("IDLE", "Idle Ltd", "")
	fee := named("FEE", "Retainer Ltd", "")
	fee.Recurring = []customer.RecurringCharge{{Description: "Retainer", Amount: decimal.NewFromInt(150), From: "2026-01"}}
	mustAdd(t, db, idle)
	if err := db.AddCustomer(fee, t0); err != nil {
		t.Fatal(err)
	}
	rep := generate(t, db, customer.Selection{Customers: []string{"IDLE", "FEE"}}, billing.Options{}, oct5)
	if rep.Final || !strings.Contains(rep.Warning, "has not closed 2026-09") {
		t.Errorf("provisional month: final %v warning %q", rep.Final, rep.Warning)
	}
	got := map[string]Outcome{}
	for _, g := range rep.Results {
		got[g.CustomerID] = g.Outcome
	}
	if got["IDLE"] != NothingToBill || got["FEE"] != Created {
		t.Errorf("outcomes %v", got)
	}
}

func TestApproveNumbersAndSnapshots(t *testing.T) {
	db := sampleDB(t)
	rep := generate(t, db, customer.Selection{All: true}, allOn, oct5)
	// The profile and a customer change after the drafts were made: the
	// issued invoice carries them as they are on the day it is issued.
	p, _ := db.Profile()
	p.Phone = "+44 161 496 9999"
	p.Logo, p.LogoType = pngLogo(t), "image/png"
	if err := db.PutProfile(p, oct6); err != nil {
		t.Fatal(err)
	}
	c, _ := db.Customer("CONTOSO")
	c.Contact.Email = "ap@contoso.example"
	if err := db.PutCustomer(c, oct6); err != nil {
		t.Fatal(err)
	}
	as, err := db.ApproveDrafts("2026-09", oct6)
	if err != nil {
		t.Fatal(err)
	}
	var nums []string
	for _, a := range as {
		if a.Err != nil {
			t.Fatal(a.Err)
		}
		inv := a.Invoice
		nums = append(nums, inv.Number)
		if inv.Status != invoice.Open || inv.IssueDate.String() != "2026-10-06" || inv.Seller.Phone != p.Phone || !slices.Equal(inv.Seller.Logo, p.Logo) {
			t.Errorf("%s: %s issued %s seller %+v", inv.ID, inv.Status, inv.IssueDate, inv.Seller)
		}
		if want := invoice.DateOf(oct6).AddDays(inv.Customer.TermsDays); !inv.DueDate.Equal(want) {
			t.Errorf("%s due %s want %s", inv.Number, inv.DueDate, want)
		}
		if inv.CustomerID == "CONTOSO" && (inv.Customer.Contact.Email != "ap@contoso.example" || inv.Customer.TermsDays != 45) {
			t.Errorf("contoso snapshot %+v", inv.Customer)
		}
	}
	// Numbered in customer name order: Acme, Contoso, Fabrikam, Globex, Initech, Umbrella.
	want := []string{"NCP-2026-00001", "NCP-2026-00002", "NCP-2026-00003", "NCP-2026-00004", "NCP-2026-00005", "NCP-2026-00006"}
	if !slices.Equal(nums, want) || as[0].Invoice.CustomerID != "ACME" {
		t.Errorf("numbers %v", nums)
	}
	if n, _ := db.InvoiceNumbering(); n.Next != 7 {
		t.Errorf("next number %d", n.Next)
	}
	// Found by number as well as by id.
	if inv := mustInvoice(t, db, "ncp-2026-00002"); inv.CustomerID != "CONTOSO" {
		t.Errorf("by number: %s", inv.CustomerID)
	}
	// Regenerating leaves issued invoices alone and says so.
	again := generate(t, db, customer.Selection{All: true}, billing.Options{}, oct20)
	for _, g := range again.Results {
		if g.Outcome != Issued || g.Invoice.ID != draftIDOf(t, rep, g.CustomerID) {
			t.Errorf("regenerate after approval: %+v", g)
		}
		if g.CustomerID == "ACME" && !strings.Contains(g.Reason, "invoice NCP-2026-00001 (Open) already bills ACME for 2026-09") {
			t.Errorf("reason %q", g.Reason)
		}
	}
}

// TestCreditNoteCarriesTheDetailsOfItsDay: a credit note is a document of
// its own day: it carries the reseller's and the customer's details as
// they are when it is issued (here a phone number and a customer address
// set after the invoice), while the invoice keeps those of its issue.
func TestCreditNoteCarriesTheDetailsOfItsDay(t *testing.T) {
	db := sampleDB(t)
	id := draftIDOf(t, generate(t, db, customer.Selection{Customers: []string{"GLOBEX"}}, allOn, oct5), "GLOBEX")
	approveOK(t, db, oct5, id)
	if _, err := db.UpdateProfile(func(p *customer.Profile) error { p.Phone = "+44 161 000 0001"; return nil }, oct6); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateCustomer("GLOBEX", func(c *customer.Customer) error {
		c.Contact.Address = []string{"2 Globex Plaza", "Portland, OR 97201"}
		return nil
	}, oct6); err != nil {
		t.Fatal(err)
	}
	note, err := db.IssueCreditNote(CreditRequest{Invoice: id, Reason: "moved", Now: oct20})
	if err != nil {
		t.Fatal(err)
	}
	if note.Seller.Phone != "+44 161 000 0001" || strings.Join(note.Customer.Contact.Address, "; ") != "2 Globex Plaza; Portland, OR 97201" {
		t.Errorf("the credit note carries %q and %q, not the details of its day", note.Seller.Phone, note.Customer.Contact.Address)
	}
	inv := mustInvoice(t, db, id)
	if inv.Seller.Phone == note.Seller.Phone || strings.Join(inv.Customer.Contact.Address, "; ") != "1 Globex Way; Cypress Creek, OR 97000" {
		t.Errorf("the invoice changed: %q, %q", inv.Seller.Phone, inv.Customer.Contact.Address)
	}
}
