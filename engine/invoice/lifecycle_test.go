package invoice_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
)

// TestGaplessNumbering runs a month of work through the numbering:
// deleted drafts never consume a number, voided invoices keep theirs,
// credit notes have their own series, so each series is 1, 2, 3, ...
func TestGaplessNumbering(t *testing.T) {
	inv := invoice.InvoiceNumbering(profile.NumberFormat, 1)
	cn := invoice.CreditNoteNumbering("", 1)
	issue := invoice.NewDate(2026, 10, 5)
	var issued []invoice.Invoice
	for i := 1; i <= 6; i++ {
		d := draft(t, fmt.Sprint(i))
		if i == 2 || i == 5 {
			if err := d.Can(invoice.ActionDelete); err != nil {
				t.Fatal(err)
			}
			continue // deleted: never numbered
		}
		o, next, err := d.Approve(inv, issue, now)
		if err != nil {
			t.Fatal(err)
		}
		inv = next
		issued = append(issued, o)
	}
	void, err := issued[1].Void("duplicate", now)
	if err != nil {
		t.Fatal(err)
	}
	note, err := issued[0].CreditNote(invoice.CreditRequest{ID: "c1", Amount: dec("10"), Reason: "goodwill", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	note, cn, err = note.Approve(cn, issue, now)
	if err != nil {
		t.Fatal(err)
	}
	d := draft(t, "7")
	last, inv, err := d.Approve(inv, invoice.NewDate(2027, 1, 2), now)
	if err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, o := range append(issued, last) {
		got = append(got, o.Number)
	}
	want := "INV-2026-00001 INV-2026-00002 INV-2026-00003 INV-2026-00004 INV-2027-00005"
	if strings.Join(got, " ") != want {
		t.Errorf("numbers %v\nwant %s", got, want)
	}
	if void.Number != "INV-2026-00002" || inv.Next != 6 {
		t.Errorf("void kept %s, next invoice number %d", void.Number, inv.Next)
	}
	if note.Number != "CN-2026-00001" || cn.Next != 2 {
		t.Errorf("credit note %s, next %d", note.Number, cn.Next)
	}
}

func TestNumberingAssign(t *testing.T) {
	for _, tc := range []struct {
		format string
		next   int
		want   string
		err    string
	}{
		{"INV-{YYYY}-{SEQ:5}", 12, "INV-2026-00012", ""},
		{"{YY}{MM}/{SEQ}", 123456, "2610/123456", ""},
		{"R{SEQ:3}", 1000, "R1000", ""},
		{"INV-{YYYY}", 1, "", "no {SEQ}"},
		{"INV-{SEQ}", 0, "", "numbers start at 1"},
	} {
		t.Run(tc.format, func(t *testing.T) {
			n := invoice.Numbering{Series: invoice.KindInvoice, Format: tc.format, Next: tc.next}
			num, next, err := n.Assign(invoice.NewDate(2026, 10, 5))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || next != n {
					t.Errorf("got %q %v, want error %q and the counter untouched", num, err, tc.err)
				}
				return
			}
			if err != nil || num != tc.want || next.Next != tc.next+1 {
				t.Errorf("got %q next %d %v, want %q", num, next.Next, err, tc.want)
			}
		})
	}
}

func TestEffectiveStatus(t *testing.T) {
	open := issued(t, draft(t, "17")) // due 2026-11-04, 30 days
	local := time.FixedZone("UTC+10", 10*3600)
	for _, tc := range []struct {
		name string
		inv  invoice.Invoice
		at   time.Time
		want invoice.Status
	}{
		{"draft", draft(t, "1"), now.AddDate(1, 0, 0), invoice.Draft},
		{"open before due", open, time.Date(2026, 11, 3, 12, 0, 0, 0, time.UTC), invoice.Open},
		{"open on the due date", open, time.Date(2026, 11, 4, 23, 59, 0, 0, time.UTC), invoice.Open},
		{"open the day after", open, time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC), invoice.PastDue},
		{"the day after in the accountant's zone", open, time.Date(2026, 11, 4, 20, 0, 0, 0, time.UTC).In(local), invoice.PastDue},
		{"closed", func() invoice.Invoice { c, _ := open.Close(invoice.NewDate(2026, 12, 1), ""); return c }(), now.AddDate(1, 0, 0), invoice.Closed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.inv.Effective(tc.at); got != tc.want {
				t.Errorf("Effective = %s, want %s", got, tc.want)
			}
			if !tc.inv.Is(tc.want, tc.at) {
				t.Errorf("Is(%s) is false", tc.want)
			}
		})
	}
	if invoice.PastDue.Label() != "Past Due" {
		t.Errorf("label %q", invoice.PastDue.Label())
	}
	for _, s := range []string{"past due", "Past-Due", "PAST_DUE"} {
		if st, err := invoice.ParseStatus(s); err != nil || st != invoice.PastDue {
			t.Errorf("ParseStatus(%q) = %s %v", s, st, err)
		}
	}
}

func TestNothingToBill(t *testing.T) {
	recurring := acme
	recurring.Recurring = []customer.RecurringCharge{{Description: "Managed service", Amount: dec("0"), From: "2026-01"}}
	withCredit := acme
	for _, tc := range []struct {
		name   string
		items  []item
		c      customer.Customer
		ledger billing.Ledger
		empty  bool
		reason string
	}{
		{"no line items", nil, acme, billing.Ledger{}, true, "ACME has no charges in 2026-09"},
		{"lines rounding to zero", []item{{acct: acctA, code: "AmazonS3", cost: "0.004"}}, acme, billing.Ledger{}, true, "round to zero"},
		{"free Marketplace trial only", []item{{acct: acctA, code: "prodfirewall", cost: "0", entity: "AWS Marketplace"}}, acme, billing.Ledger{}, true, "round to zero"},
		{"a recurring charge nets to zero", nil, recurring, billing.Ledger{}, false, ""},
		{"charges paid by credits", []item{{acct: acctA, code: "AmazonEC2", cost: "50"}}, withCredit,
			billing.Ledger{Grants: []customer.Grant{{ID: 1, Customer: "ACME", Amount: dec("500"), Currency: "USD", Reason: "migration"}}}, false, ""},
		{"charges", acmeItems, acme, billing.Ledger{}, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := statement(t, month(t, tc.items...), tc.c, allOptions, tc.ledger)
			reason, empty := invoice.NothingToBill(st)
			if empty != tc.empty || !strings.Contains(reason, tc.reason) {
				t.Errorf("NothingToBill = %q %v, want %v %q (total %s)", reason, empty, tc.empty, tc.reason, st.Total)
			}
		})
	}
}

// TestReplace: regenerating a draft keeps its id; an issued invoice is
// never replaced.
func TestReplace(t *testing.T) {
	old := draft(t, "17")
	st := statement(t, month(t, acmeItems[:2]...), acme, allOptions, billing.Ledger{})
	fresh, err := invoice.NewDraft("99", st, acme, profile, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	got, err := old.Replace(fresh)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != "17" || !got.Total.Decimal().Equal(fresh.Total.Decimal()) || !got.Generated.Equal(fresh.Generated) {
		t.Errorf("replaced: id %s total %s", got.ID, got.Total)
	}
	other := fresh
	other.CustomerID = "BETA"
	if _, err := old.Replace(other); err == nil {
		t.Error("a draft was replaced by another customer's")
	}
	open := issued(t, old)
	if _, err := open.Replace(fresh); err == nil || !strings.Contains(err.Error(), "is Open and cannot be edited; issue a credit note instead") {
		t.Errorf("replacing an Open invoice: %v", err)
	}
}

// TestSnapshotSurvivesReimport: the provider re-delivers the month with
// other figures, the customer's address and the reseller's logo change;
// the issued invoice reads back byte for byte as it was issued, and the
// difference is visible through Diff.
func TestSnapshotSurvivesReimport(t *testing.T) {
	open := issued(t, draft(t, "17"))
	stored := mustJSON(t, open)

	moved := acme
	moved.Contact.Address = []string{"99 New Road", "Shelbyville"}
	newProfile := profile
	newProfile.CompanyName = "Renamed Reseller"
	reimported := append([]item{{acct: acctA, code: "AmazonEC2", name: "Amazon Elastic Compute Cloud", cost: "-100", typ: "Credit"}}, acmeItems...)
	st := statement(t, month(t, reimported...), moved, open.Options, billing.Ledger{})
	if _, err := invoice.NewDraft("18", st, moved, newProfile, now); err != nil {
		t.Fatal(err)
	}
	var back invoice.Invoice
	if err := back.UnmarshalJSON(stored); err != nil {
		t.Fatal(err)
	}
	if again := mustJSON(t, back); !bytes.Equal(again, stored) {
		t.Errorf("the stored invoice changed:\n%s\n%s", stored, again)
	}
	if back.Customer.Contact.Address[0] != "1 Main St" || back.Seller.CompanyName != "Cloud Reseller Ltd" {
		t.Errorf("snapshot follows the live data: %+v %+v", back.Customer, back.Seller)
	}
	d, err := invoice.Diff(back, st)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Changed() || d.Total.By.String() == "0.00" {
		t.Errorf("the re-import shows no difference: %+v", d.Total)
	}
}

// TestCreditUsesDebitedOnce: approval names the invoice in the credits
// it spends; the ledger accepts those uses once and refuses them a second
// time, so approving twice cannot spend credit twice.
func TestCreditUsesDebitedOnce(t *testing.T) {
	grants := []customer.Grant{{ID: 1, Customer: "ACME", Amount: dec("300"), Currency: "USD", Reason: "migration"}}
	st := statement(t, month(t, acmeItems...), acme, allOptions, billing.Ledger{Grants: grants})
	d, err := invoice.NewDraft("17", st, acme, profile, now)
	if err != nil {
		t.Fatal(err)
	}
	if d.CreditsApplied.String() != "-300.00" || len(d.CreditUses) != 1 {
		t.Fatalf("credits %s uses %+v", d.CreditsApplied, d.CreditUses)
	}
	if err := customer.CheckUses(grants, nil, d.CreditUses); err == nil {
		t.Error("a draft's uses, naming no invoice, were accepted by the ledger")
	}
	open := issued(t, d)
	u := open.CreditUses[0]
	if u.Invoice != "17" || !u.At.Equal(now) || !u.Amount.Equal(decimal.NewFromInt(300)) || d.CreditUses[0].Invoice != "" {
		t.Errorf("approved use %+v (draft's %+v)", u, d.CreditUses[0])
	}
	if err := customer.CheckUses(grants, nil, open.CreditUses); err != nil {
		t.Fatal(err)
	}
	if err := customer.CheckUses(grants, open.CreditUses, open.CreditUses); err == nil {
		t.Error("the same credit was debited twice")
	}
	if _, _, err := open.Approve(invoice.InvoiceNumbering(profile.NumberFormat, 1), open.IssueDate, now); err == nil {
		t.Error("an Open invoice was approved again")
	}
}

func TestNumberingMoveTo(t *testing.T) {
	n := invoice.InvoiceNumbering("INV-{YYYY}-{SEQ:5}", 5)
	for _, tc := range []struct {
		name   string
		next   int
		reason string
		err    string
	}{
		{"forward by one", 6, "reserved for a manual invoice", ""},
		{"far forward", 1200, "  continuing the old program's series  ", ""},
		{"to where it is", 5, "no-op", "the next invoice number is 5 already: it only moves forward, to a number above 5"},
		{"back", 3, "typo", "only moves forward"},
		{"to zero", 0, "reset", "only moves forward"},
		{"without a reason", 9, " ", "moving the next invoice number from 5 to 9 leaves 4 numbers unused: give the reason, which the audit log keeps"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := n.MoveTo(tc.next, tc.reason)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("MoveTo(%d) = %+v, %v; want %q", tc.next, m, err, tc.err)
				}
				return
			}
			if err != nil || m.Next != tc.next || m.Format != n.Format || m.Series != invoice.KindInvoice || m.Reason != strings.TrimSpace(tc.reason) {
				t.Fatalf("MoveTo(%d) = %+v, %v", tc.next, m, err)
			}
		})
	}
	if n.Next != 5 || n.AuditID() != "series:invoice" || invoice.CreditNoteNumbering("", 1).AuditID() != "series:credit_note" {
		t.Errorf("series %+v, audit ids %s", n, n.AuditID())
	}
}

func TestNumberingPeek(t *testing.T) {
	n := invoice.InvoiceNumbering("INV-{YYYY}-{SEQ:5}", 41)
	for _, tc := range []struct {
		k           int
		first, last string
	}{
		{1, "INV-2026-00041", "INV-2026-00041"},
		{3, "INV-2026-00041", "INV-2026-00043"},
		{0, "INV-2026-00041", "INV-2026-00041"},
	} {
		first, last, err := n.Peek(tc.k, invoice.NewDate(2026, 10, 5))
		if err != nil || first != tc.first || last != tc.last {
			t.Errorf("Peek(%d) = %s, %s, %v", tc.k, first, last, err)
		}
	}
	if n.Next != 41 {
		t.Errorf("Peek advanced the series to %d", n.Next)
	}
	if _, _, err := invoice.InvoiceNumbering("INV", 1).Peek(1, invoice.NewDate(2026, 10, 5)); err == nil {
		t.Error("a format without {SEQ} previews a number")
	}
}

// TestNegativeInvoiceRefused: a draft that owes the customer money is not
// issued in the invoice series; the refusal says to issue a credit note.
// Hand-computed: usage 1.00 and a provider credit of -13.34, no discount,
// tax or reseller credit, total -12.34. A zero total still issues.
func TestNegativeInvoiceRefused(t *testing.T) {
	plain := customer.Customer{ID: "ACME", Name: "Acme Corp", Currency: "USD", TermsDays: 30}
	for _, tc := range []struct {
		name, credit, total, err string
	}{
		{"negative", "-13.34", "-12.34", "draft invoice of ACME for 2026-09 cannot be issued: its total is USD -12.34, and a negative invoice is a credit; issue a credit note against the invoice it corrects instead, and delete this draft"},
		{"zero", "-1.00", "0.00", ""},
		{"positive", "-0.99", "0.01", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := month(t, item{acct: acctA, code: "AmazonEC2", cost: "1.00"}, item{acct: acctA, code: "AmazonEC2", cost: tc.credit, typ: lineitem.Credit})
			d, err := invoice.NewDraft("1", statement(t, m, plain, billing.Options{}, billing.Ledger{}), plain, profile, now)
			if err != nil {
				t.Fatal(err)
			}
			if d.Total.String() != tc.total {
				t.Fatalf("total %s, want %s", d.Total, tc.total)
			}
			n := invoice.InvoiceNumbering(profile.NumberFormat, 7)
			open, next, err := d.Approve(n, invoice.NewDate(2026, 10, 5), now)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err || next != n {
					t.Fatalf("Approve = %s, %v; want %q and the series untouched", open.Number, err, tc.err)
				}
				return
			}
			if err != nil || open.Number != "INV-2026-00007" {
				t.Fatalf("Approve = %s, %v", open.Number, err)
			}
		})
	}
}

// TestApproveRecordsTheInstant: an issued document records when it was
// approved; a draft, and a document stored before the instant was, have
// none, and their JSON has no "approved" (so stored documents keep the
// content their audit entries hash).
func TestApproveRecordsTheInstant(t *testing.T) {
	d := draft(t, "1")
	if !d.Approved.IsZero() || strings.Contains(string(mustJSON(t, d)), `"approved"`) {
		t.Errorf("a draft is approved at %v: %s", d.Approved, mustJSON(t, d))
	}
	open := issued(t, d)
	if !open.Approved.Equal(now) || open.ApprovedAt() != open.Approved || !strings.Contains(string(mustJSON(t, open)), `"approved":"`) {
		t.Errorf("approved %v, want %v", open.Approved, now)
	}
}

// TestVoidKeepsCreditsGivenBack: a credit note that gave reseller credit
// back cannot be voided (the customer may have spent it since); one that
// gave none can.
func TestVoidKeepsCreditsGivenBack(t *testing.T) {
	grants := []customer.Grant{{ID: 1, Customer: "ACME", Amount: dec("300"), Currency: "USD", Reason: "migration"}}
	st := statement(t, month(t, acmeItems...), acme, allOptions, billing.Ledger{Grants: grants})
	d, err := invoice.NewDraft("17", st, acme, profile, now)
	if err != nil {
		t.Fatal(err)
	}
	withCredits := issued(t, d)
	without := issued(t, draft(t, "18"))
	noteOf := func(inv invoice.Invoice) invoice.Invoice {
		n, err := inv.CreditNote(invoice.CreditRequest{ID: "c" + inv.ID, Reason: "refund", Now: now})
		if err != nil {
			t.Fatal(err)
		}
		open, _, err := n.Approve(invoice.CreditNoteNumbering("", 1), invoice.NewDate(2026, 10, 6), now)
		if err != nil {
			t.Fatal(err)
		}
		return open
	}
	if _, err := noteOf(withCredits).Void("mistake", time.Date(2026, 10, 7, 10, 0, 0, 0, time.UTC)); err == nil || !strings.Contains(err.Error(), "of reseller credit back to ACME and cannot be voided") {
		t.Errorf("voiding a note that gave credit back: %v", err)
	}
	if v, err := noteOf(without).Void("mistake", time.Date(2026, 10, 7, 10, 0, 0, 0, time.UTC)); err != nil || v.Status != invoice.Void {
		t.Errorf("voiding a note without credits: %v", err)
	}
}
