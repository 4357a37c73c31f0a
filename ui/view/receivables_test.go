package view_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/invoice"
	"rebill/ui/view"
)

func TestPaymentsSummary(t *testing.T) {
	d := decimal.RequireFromString
	open := invoice.Invoice{Kind: invoice.KindInvoice, Status: invoice.Open, Figures: invoice.Figures{Currency: "USD"}}
	closed := open
	closed.Status, closed.ClosedBy, closed.PaidDate = invoice.Closed, invoice.ClosedByPayments, invoice.NewDate(2026, 10, 11)
	pays := []invoice.Payment{{ID: 1, Currency: "USD", Date: invoice.NewDate(2026, 10, 10), Amount: d("100"), Applied: d("100"), Reference: "WIRE-1"},
		{ID: 2, Currency: "USD", Date: invoice.NewDate(2026, 10, 11), Amount: d("1250"), Applied: d("1200"), Excess: d("50"), CreditGrant: 4}}
	for _, tc := range []struct {
		name string
		inv  invoice.Invoice
		pays []invoice.Payment
		open decimal.Decimal
		want string
	}{
		{name: "none", inv: open, open: d("1300.00"), want: "No payment recorded  ·  Open amount USD 1,300.00"},
		{name: "one", inv: open, pays: pays[:1], open: d("1200.00"), want: "1 payment, USD 100.00  ·  Open amount USD 1,200.00"},
		{name: "paid", inv: closed, pays: pays, open: d("0.00"), want: "2 payments, USD 1,300.00  ·  Open amount USD 0.00  ·  Closed by payments on 2026-10-11"},
		{name: "credit note", inv: invoice.Invoice{Kind: invoice.KindCreditNote, Status: invoice.Open}, open: d("0"), want: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := view.PaymentsSummary(tc.inv, tc.pays, tc.open); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
	if got := view.PaymentLines(pays)[1]; got != "#2  2026-10-11  USD 1,250.00  (USD 50.00 kept as credit 4)" {
		t.Errorf("payment line %q", got)
	}
}

func TestAgeingTable(t *testing.T) {
	d := decimal.RequireFromString
	z := decimal.Zero
	a := invoice.Ageing{AsOf: invoice.NewDate(2026, 12, 31),
		Rows:   []invoice.AgeingRow{{Customer: "ACME", Name: "Acme", Currency: "USD", Buckets: []decimal.Decimal{d("1000"), z, d("600"), z, z}, Total: d("1600"), Receivables: make([]invoice.Receivable, 2)}},
		Totals: []invoice.AgeingTotal{{Currency: "USD", Buckets: []decimal.Decimal{d("1000"), z, d("600"), z, z}, Total: d("1600")}}}
	tab := view.Ageing(a)
	if strings.Join(tab.Header, "|") != "Customer|Name|Currency|Current|1–30 days|31–60 days|61–90 days|Over 90 days|Total" {
		t.Errorf("header %v", tab.Header)
	}
	if len(tab.Rows) != 2 || strings.Join(tab.Rows[0], "|") != "ACME|Acme|USD|1,000.00|0.00|600.00|0.00|0.00|1,600.00" || tab.Rows[1][0] != "Total" || tab.Totals != 1 {
		t.Errorf("rows %v", tab.Rows)
	}
	if tab.Note != "2 open invoices of 1 customer at the end of 2026-12-31, by days past their due date." {
		t.Errorf("note %q", tab.Note)
	}
}

// TestSentTextIsLocal: a sending recorded by the window carries the
// computer's own offset (16:43+01:00); the line says that moment in the
// computer's time zone, as every event list does, and never stamps
// "UTC" on a local time.
func TestSentTextIsLocal(t *testing.T) {
	before := time.Local
	time.Local = time.UTC
	t.Cleanup(func() { time.Local = before })
	at := time.Date(2026, 12, 4, 16, 43, 0, 0, time.FixedZone("CET", 60*60))
	inv := invoice.Invoice{Sent: []invoice.Sending{{At: at, To: "ap@acme.example", Via: invoice.SentBySMTP}}}
	if got, want := view.SentText(inv), "Last e-mailed to ap@acme.example on 2026-12-04 15:43"; got != want {
		t.Errorf("SentText = %q, want %q", got, want)
	}
}
