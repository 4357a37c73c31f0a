package document

import (
	"rebill/engine/billing"
	"rebill/engine/invoice"
	"rebill/engine/money"
)

// Kinds of summary rows, also the "kind" column of the invoice CSV.
const (
	kindServices    = "services"
	kindSupport     = "support"
	kindMarketplace = "marketplace"
	kindRecurring   = "recurring"
	kindSubtotal    = "subtotal"
	kindDiscount    = "discount"
	kindCredits     = "credits_applied"
	kindTax         = "tax"
	kindTotal       = "total"
	kindPayable     = "payable"
	kindCredited    = "credit_note"
	kindPaid        = "payment"
	kindBalance     = "balance"
)

// summaryRow is one figure of the totals block under the lines. Every
// document prints the same rows in the same order (summaryRows), so the
// PDF, the Excel Summary sheet and the CSV cannot disagree on what the
// totals block says.
type summaryRow struct {
	kind     string
	label    string
	amount   billing.Amount
	currency string
	// part marks the rows that break Subtotal down (services, support,
	// Marketplace); they are not added again.
	part bool
}

// summaryRows lists the totals block of a view: the breakdown of the
// subtotal into cloud services, Support, Marketplace and the reseller's
// recurring and managed services (only when one of the latter is on the
// invoice), the subtotal, the discount or uplift with its rate and base
// and reseller credits when there are any, each tax, and the total. A view
// in a display currency adds what is payable in the invoice's own
// currency. An Open invoice with a settlement (credit notes issued, payments
// received) lists them after, in the invoice's currency, and the balance.
func summaryRows(v invoice.View) []summaryRow {
	f, cur := v.Figures, v.Figures.Currency
	var rows []summaryRow
	add := func(kind, label string, a billing.Amount) {
		rows = append(rows, summaryRow{kind: kind, label: label, amount: a, currency: cur})
	}
	part := func(kind, label string, a billing.Amount) {
		if !a.IsZero() {
			rows = append(rows, summaryRow{kind: kind, label: label, amount: a, currency: cur, part: true})
		}
	}
	if rec := f.Recurring(); !f.Support.IsZero() || !f.Marketplace.IsZero() || !rec.IsZero() {
		rows = append(rows, summaryRow{kind: kindServices, label: "Cloud services", amount: f.Services(), currency: cur, part: true})
		part(kindSupport, "Support", f.Support)
		part(kindMarketplace, "AWS Marketplace", f.Marketplace)
		part(kindRecurring, string(billing.Recurring), rec)
	}
	add(kindSubtotal, "Subtotal", f.Subtotal)
	if !f.Discount.IsZero() || !f.DiscountPercent.IsZero() {
		add(kindDiscount, adjustmentLabel(f, v.Invoice.Seller.UpliftWording), f.Discount)
	}
	if !f.CreditsApplied.IsZero() {
		add(kindCredits, "Credits applied", f.CreditsApplied)
	}
	for _, t := range f.TaxLines {
		add(kindTax, TaxLabel(t.Name, t.Percent, t.Base, cur), t.Amount)
	}
	if len(f.TaxLines) == 0 && !f.Tax.IsZero() {
		add(kindTax, "Tax", f.Tax)
	}
	add(kindTotal, totalLabel(v), f.Total)
	if c := v.Conversion; c != nil {
		rows = append(rows, summaryRow{kind: kindPayable, label: "Payable in " + c.From, amount: v.Invoice.Total, currency: c.From})
	}
	if s := v.Settlement; s != nil {
		own := v.Invoice.Currency
		for _, e := range s.Entries {
			kind := kindCredited
			if e.IsPayment() {
				kind = kindPaid
			}
			rows = append(rows, summaryRow{kind: kind, label: e.Label(dateText), amount: e.Amount, currency: own})
		}
		rows = append(rows, summaryRow{kind: kindBalance, label: s.BalanceLabel(), amount: s.Balance, currency: own})
	}
	return rows
}

// adjustmentLabel names the discount or uplift with its rate and the
// base it was computed on, so the reader can check it: "Discount 3% of
// 232.21". An uplift is printed under the reseller's wording when it has
// one (an uplift without one is folded into the prices, see
// invoice.Figures.Printed, and reaches here only on an invoice that could
// not be folded). The base is left out when the invoice did not record it
// and on a converted view, where it is not a figure of the document.
func adjustmentLabel(f invoice.Figures, upliftWording string) string {
	label := "Discount"
	if f.IsUplift() {
		label = "Uplift"
		if upliftWording != "" {
			label = upliftWording
		}
	}
	if !f.DiscountPercent.IsZero() {
		label += " " + percentText(f.DiscountPercent.Abs())
		if p := money.Places(f.Currency); !f.DiscountBase.IsZero() && f.DiscountBase.Equal(f.DiscountBase.Round(p)) {
			label += " of " + money.Text(f.DiscountBase, f.Currency)
		}
	}
	return label
}

// totalLabel names the total: due on an Open invoice (unless a
// settlement follows, which names the balance due), credited on a credit
// note, in the display currency on a converted view, and plainly
// "Total" on a draft, a paid or a voided invoice, on which nothing is due.
func totalLabel(v invoice.View) string {
	switch {
	case v.Conversion != nil:
		return "Total in " + v.Conversion.To
	case v.Invoice.Kind == invoice.KindCreditNote:
		return "Total credited"
	case v.Invoice.Status == invoice.Open && v.Settlement == nil:
		return "Total due"
	}
	return "Total"
}
