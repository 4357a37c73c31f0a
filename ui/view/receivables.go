package view

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/invoice"
)

// What the invoice view's Payments section and the Receivables screen
// show, worded from the engine's payments and ageing.

// PaymentsSummary is the Payments section's line: how much was paid in
// how many payments, and what is open; "" for a document that takes no
// payment (a draft, a credit note, a void invoice).
func PaymentsSummary(inv invoice.Invoice, pays []invoice.Payment, open decimal.Decimal) string {
	if inv.Kind != invoice.KindInvoice || inv.Status == invoice.Draft || inv.Status == invoice.Void {
		return ""
	}
	paid := inv.Paid(pays)
	var b strings.Builder
	switch len(pays) {
	case 0:
		b.WriteString("No payment recorded")
	case 1:
		b.WriteString("1 payment, " + Cash(inv.Currency, paid))
	default:
		fmt.Fprintf(&b, "%d payments, %s", len(pays), Cash(inv.Currency, paid))
	}
	b.WriteString("  ·  Open amount " + Cash(inv.Currency, open))
	switch {
	case inv.Status == invoice.Closed && inv.ClosedBy != "":
		b.WriteString("  ·  Closed by " + inv.ClosedBy + " on " + inv.PaidDate.String())
	case inv.Status == invoice.Closed:
		b.WriteString("  ·  Closed without a payment record (marked paid before payments were recorded)")
	}
	return b.String()
}

// PaymentLines lists the payments, oldest first: "2026-10-10  USD 100.00
// WIRE-1", with an excess kept as credit said.
func PaymentLines(pays []invoice.Payment) []string {
	var out []string
	for _, p := range pays {
		s := fmt.Sprintf("#%d  %s  %s", p.ID, p.Date, Cash(p.Currency, p.Amount))
		if p.Reference != "" {
			s += "  " + p.Reference
		}
		if p.Excess.IsPositive() {
			s += fmt.Sprintf("  (%s kept as credit %d)", Cash(p.Currency, p.Excess), p.CreditGrant)
		}
		out = append(out, s)
	}
	return out
}

// SentText says when and where the document was last sent; "" never.
func SentText(inv invoice.Invoice) string {
	s, ok := inv.LastSent()
	if !ok {
		return ""
	}
	how := "e-mailed"
	if s.Via == invoice.SentAsFile {
		how = "written as an e-mail file"
	}
	return fmt.Sprintf("Last %s to %s on %s", how, s.To, Moment(s.At))
}

// AgeingTable is the Receivables screen's table: a header and a row per
// customer and currency, then each currency's total row.
type AgeingTable struct {
	Header []string
	Rows   [][]string
	// Totals is how many of the last rows are totals (shown bold).
	Totals int
	// Note says what the report is, or that nothing is owed.
	Note string
}

// Ageing builds the table of an ageing report.
func Ageing(a invoice.Ageing) AgeingTable {
	t := AgeingTable{Header: []string{"Customer", "Name", "Currency"}}
	for _, b := range invoice.AgeBuckets {
		t.Header = append(t.Header, b.Label())
	}
	t.Header = append(t.Header, "Total")
	row := func(id, name, cur string, ds []decimal.Decimal, total decimal.Decimal) []string {
		r := []string{id, name, cur}
		for _, d := range ds {
			r = append(r, CashFigure(cur, d))
		}
		return append(r, CashFigure(cur, total))
	}
	for _, r := range a.Rows {
		t.Rows = append(t.Rows, row(r.Customer, r.Name, r.Currency, r.Buckets, r.Total))
	}
	for _, tot := range a.Totals {
		t.Rows = append(t.Rows, row("Total", "", tot.Currency, tot.Buckets, tot.Total))
	}
	t.Totals = len(a.Totals)
	n := 0
	for _, r := range a.Rows {
		n += len(r.Receivables)
	}
	if len(a.Rows) == 0 {
		t.Note = "Nothing was owed at the end of " + a.AsOf.String() + "."
	} else {
		t.Note = fmt.Sprintf("%s of %s at the end of %s, by days past their due date.", Plural(n, "open invoice", "open invoices"), Plural(len(a.Rows), "customer", "customers"), a.AsOf)
	}
	return t
}
