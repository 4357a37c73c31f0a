package invoice_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
)

// TestReport: a report of an invoiced month spends the credits as the
// invoice found them and compares itself with the invoice. ACME's month
// is AmazonEC2 100.004, printed 100.00; a grant of 30.00 pays 30.00 of it:
// the invoice is 100.00 - 30.00 = 70.00.
func TestReport(t *testing.T) {
	m := month(t, item{acct: acctA, code: "AmazonEC2", name: "Amazon Elastic Compute Cloud", cost: "100.004"})
	c := acme
	c.Adjustment, c.TaxRates = decimal.Zero, nil
	grant := customer.Grant{ID: 1, Customer: "ACME", Amount: dec("30"), Currency: "USD", Reason: "onboarding", Granted: now.Add(-time.Hour)}
	withCredits := billing.Options{Credits: true}
	st := statement(t, m, c, withCredits, billing.Ledger{Grants: []customer.Grant{grant}})
	d, err := invoice.NewDraft("7", st, c, profile, now)
	if err != nil {
		t.Fatal(err)
	}
	inv := issued(t, d)
	if inv.Total.String() != "70.00" {
		t.Fatalf("the invoice is %s, want 70.00", inv.Total)
	}
	// The ledger as the store keeps it after approval: the invoice's own
	// use of 30.00 recorded.
	used := customer.Use{ID: 1, Grant: 1, Customer: "ACME", Invoice: inv.ID, Period: period, Amount: dec("30"), At: now}
	ledger := billing.Ledger{Grants: []customer.Grant{grant}, Uses: []customer.Use{used}}
	later := customer.Grant{ID: 2, Customer: "ACME", Amount: dec("10"), Currency: "USD", Reason: "goodwill", Granted: now.Add(time.Hour)}
	compute := func(l billing.Ledger, o billing.Options, currency string) (*billing.Statement, error) {
		cc := c
		cc.Currency = currency
		return m.Statement(cc, l, o)
	}
	otherProvider := inv
	otherProvider.Options.Provider = lineitem.Azure

	for _, tc := range []struct {
		name    string
		docs    []invoice.Invoice
		ledger  billing.Ledger
		opt     billing.Options
		invoice bool
		// total, credits and carried are the report's; differ whether
		// its options are not the invoice's.
		total, credits, carried string
		differ                  bool
	}{
		// Without an invoice the used 30.00 is gone: nothing left to apply.
		{"not invoiced", nil, ledger, withCredits, false, "100.00", "0.00", "0.00", false},
		{"an invoice of another provider does not stand for AWS", []invoice.Invoice{otherProvider}, ledger, withCredits, false, "100.00", "0.00", "0.00", false},
		// Invoiced: the invoice's 30.00 counts as this month's.
		{"invoiced, with credits: as the invoice", []invoice.Invoice{inv}, ledger, withCredits, true, "70.00", "-30.00", "0.00", false},
		// A grant after approval is not spent on the invoiced month, and
		// is what is left now.
		{"a later grant stays for later months", []invoice.Invoice{inv}, billing.Ledger{Grants: []customer.Grant{grant, later}, Uses: []customer.Use{used}}, withCredits, true, "70.00", "-30.00", "10.00", false},
		// Without credits: the charges, the balance available shown.
		{"invoiced, without credits", []invoice.Invoice{inv}, billing.Ledger{Grants: []customer.Grant{grant, later}, Uses: []customer.Use{used}}, billing.Options{}, true, "100.00", "0.00", "10.00", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, rep, err := invoice.Report(tc.docs, lineitem.AWS, tc.ledger, tc.opt, "USD", compute)
			if err != nil {
				t.Fatal(err)
			}
			if got.Total.String() != tc.total || got.CreditsApplied.String() != tc.credits || got.CreditsCarried.String() != tc.carried {
				t.Errorf("total %s, credits %s, carried %s; want %s, %s, %s", got.Total, got.CreditsApplied, got.CreditsCarried, tc.total, tc.credits, tc.carried)
			}
			if (rep != nil) != tc.invoice {
				t.Fatalf("invoiced %v, want %v", rep != nil, tc.invoice)
			}
			if rep == nil {
				return
			}
			// Computed again at the invoice's options: 70.00 both.
			if rep.Invoice.ID != inv.ID || rep.Difference.Changed() || rep.Difference.Total.Was.String() != "70.00" || rep.OptionsDiffer != tc.differ {
				t.Errorf("reported %s, difference %+v, options differ %v", rep.Invoice.ID, rep.Difference.Total, rep.OptionsDiffer)
			}
		})
	}
}
