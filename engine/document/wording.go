package document

import (
	"bytes"
	"fmt"
	"image"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/invoice"
	"rebill/engine/money"
)

// The wording of an invoice, shared by every rendering of it: the PDF here
// and the window's on-screen invoice, so that the two never say different
// things about the same figures.

// SellerLines are the reseller's printed details under its name.
func SellerLines(s invoice.Seller) []string { return sellerLines(s) }

// HasLogo reports whether the seller's logo can be printed. Without one,
// the company name is printed as a wordmark in the logo's place and not
// again above the seller's details: the name is printed once.
func HasLogo(s invoice.Seller) bool {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(s.Logo))
	return len(s.Logo) > 0 && err == nil && cfg.Width > 0 && cfg.Height > 0
}

// AdjustmentLabel names the discount or uplift of figures with its rate
// and base, as the documents print it ("Discount 3% of 232.21"), under
// the reseller's uplift wording when it has one.
func AdjustmentLabel(f invoice.Figures, upliftWording string) string {
	return adjustmentLabel(f, upliftWording)
}

// CustomerLines are the customer's contact block under its name.
func CustomerLines(c invoice.Party) []string { return customerLines(c) }

// Facts are the label/value pairs beside the customer block: number,
// dates, period, customer id, display currency and the stored status.
func Facts(v invoice.View) [][2]string { return facts(v) }

// StatusText is the stored status as printed: with the payment date once
// paid, the void date once voided.
func StatusText(inv invoice.Invoice) string { return statusText(inv) }

// Title is "Invoice" or "Credit note".
func Title(inv invoice.Invoice) string { return title(inv) }

// PaymentLines say how to pay (the balance, once credit notes or
// payments were set off), or why nothing is to be paid.
func PaymentLines(v invoice.View) []string { return paymentText(v) }

// WithSign writes a figure for a reader: grouped, with its currency's sign
// ("€1,579.60", "-$74.73", "¥235,556") or ISO code ("CHF 1,579.60").
func WithSign(a billing.Amount) string { return withSign(a, a.Currency()) }

// GroupDigits puts thousands separators into the integer part of a plain
// decimal string: "-1234567.25" gives "-1,234,567.25".
func GroupDigits(s string) string { return groupDigits(s) }

// DateText writes a day as the documents do: "5 Oct 2026".
func DateText(d invoice.Date) string { return dateText(d) }

// AuditText is the audit log's end as the documents print it, "Audit log
// entry 42, SHA-256 3f2a…" with the whole hash, so that a printed or
// filed copy carries the value to compare the database with later; ""
// when there is none.
func AuditText(h *invoice.Head) string {
	if h == nil || h.Seq == 0 {
		return ""
	}
	return fmt.Sprintf("Audit log entry %d, SHA-256 %s", h.Seq, h.Hash)
}

// PeriodText writes a YYYY-MM month as "September 2026".
func PeriodText(p string) string { return periodText(p) }

// SummaryRow is one figure of the totals block under the lines.
type SummaryRow struct {
	Label  string
	Amount billing.Amount
	// Part marks the rows that break the subtotal down (cloud services,
	// Support, Marketplace, recurring and managed services) and what is payable in the invoice's own
	// currency on a converted view: shown, not added again.
	Part     bool
	Subtotal bool
	Total    bool
	// Settlement marks what follows the total on an Open invoice that was
	// credited or paid in part: each credit note and payment, then the
	// balance (invoice.View.Settlement).
	Settlement bool
}

// SummaryRows lists the totals block of a view in the order and words
// every document prints it.
func SummaryRows(v invoice.View) []SummaryRow {
	rows := summaryRows(v)
	out := make([]SummaryRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, SummaryRow{
			Label: r.label, Amount: r.amount,
			Part:       r.part || r.kind == kindPayable,
			Subtotal:   r.kind == kindSubtotal || r.kind == kindBalance,
			Total:      r.kind == kindTotal,
			Settlement: r.kind == kindCredited || r.kind == kindPaid || r.kind == kindBalance,
		})
	}
	return out
}

// TaxLabel names a tax line as every document prints it: its name, its
// rate unless the name states it already (an EU or UK VAT invoice must
// show the rate applied), and the base it was computed on when that is a
// figure of the document in currency: "MwSt 19% on 7.95", "VAT 20% on
// 3.63". A base at more decimals than the currency's (converted to a
// display currency) is not printed: it is not a figure of the document.
// A line without a rate is the provider's tax, passed through: its name.
func TaxLabel(name string, percent, base decimal.Decimal, currency string) string {
	if percent.IsZero() {
		return name
	}
	label, rate := name, percent.String()+"%"
	if !states(name, rate) {
		label += " " + rate
	}
	if p := money.Places(currency); !base.IsZero() && base.Equal(base.Round(p)) {
		label += " on " + money.Text(base, currency)
	}
	return label
}

// states tells whether a tax's name already gives its rate ("19%"), the
// name read without spaces and with decimal commas as points ("MwSt. 19
// %", "IVA 10,5%"), and not as the end of a larger number (21% is not
// 1%, 10.5% is not 0.5%).
func states(name, rate string) bool {
	n := strings.ReplaceAll(strings.ReplaceAll(name, " ", ""), ",", ".")
	for i := strings.Index(n, rate); i >= 0; {
		digit := func(j int) bool { return j >= 0 && n[j] >= '0' && n[j] <= '9' }
		if !digit(i-1) && !(i >= 1 && n[i-1] == '.' && digit(i-2)) {
			return true
		}
		next := strings.Index(n[i+1:], rate)
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return false
}
