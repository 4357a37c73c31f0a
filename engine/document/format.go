package document

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
	"rebill/engine/money"
	"rebill/engine/words"
)

// Text forms of figures and dates, shared by every document so that the
// PDF, the Excel labels and the CSV read alike. They only format what the
// invoice stores: nothing here rounds or adds.

// plain writes a figure with exactly its currency's decimals and no
// grouping ("1234.57", JPY "229230"): the machine-readable form of CSV.
func plain(a billing.Amount, currency string) string {
	return money.Plain(a.Decimal(), currency)
}

// grouped writes a figure with its currency's decimals and thousands
// separators, "1,234.57", "-74.73", "229,230": the amount column.
func grouped(a billing.Amount, currency string) string {
	return groupDigits(plain(a, currency))
}

// groupDigits puts thousands separators into the integer part of a plain
// decimal string such as "-1234567.25".
func groupDigits(s string) string { return words.GroupDigits(s) }

// signs are the currency signs printed before an amount where they are
// unambiguous in an English-language invoice; other currencies are
// written with their ISO code ("CHF 1,234.50").
var signs = map[string]string{
	"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "KRW": "₩", "ILS": "₪",
	"NGN": "₦", "PHP": "₱", "VND": "₫", "UAH": "₴", "TRY": "₺", "THB": "฿",
	"AUD": "A$", "CAD": "CA$", "NZD": "NZ$", "HKD": "HK$", "SGD": "S$", "MXN": "MX$", "BRL": "R$", "CNY": "CN¥",
}

// withSign writes a figure for a reader: grouped, with the currency's
// sign ("€1,579.60", "-$74.73", "¥235,556") or code ("CHF 1,579.60").
func withSign(a billing.Amount, currency string) string {
	s := grouped(a, currency)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if sign, ok := signs[currency]; ok {
		s = sign + s
	} else {
		s = currency + " " + s
	}
	if neg {
		s = "-" + s
	}
	return s
}

// excelFormat is the number format of a currency's amounts in Excel: its
// sign or code as a literal, its minor unit's decimals, negatives with a
// minus ("€"#,##0.00;-"€"#,##0.00).
func excelFormat(currency string) string {
	num := "#,##0"
	if p := money.Places(currency); p > 0 {
		num += "." + strings.Repeat("0", int(p))
	}
	lit := currency + " "
	if sign, ok := signs[currency]; ok {
		lit = sign
	}
	q := `"` + strings.ReplaceAll(lit, `"`, `""`) + `"`
	return q + num + ";-" + q + num
}

// dateText writes a day unambiguously in any country: "5 Oct 2026".
func dateText(d invoice.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format("2 Jan 2006")
}

// periodText writes a YYYY-MM month as "September 2026".
// cloudText names the cloud program an invoice bills ("Microsoft
// Azure"), printed beside its period because a customer gets one invoice
// per provider and month. AWS invoices, all of them before other providers
// were billed, print none, so they stay as they were issued.
func cloudText(inv invoice.Invoice) (string, bool) {
	p := inv.Provider()
	if p == lineitem.AWS {
		return "", false
	}
	return billing.ProviderName(p), true
}

func periodText(p string) string {
	t, err := time.Parse("2006-01", p)
	if err != nil {
		return p
	}
	return t.Format("January 2006")
}

// rateText writes an exchange rate as "1 USD = 0.9137 EUR".
func rateText(r invoice.Rate) string {
	return fmt.Sprintf("1 %s = %s %s", r.From, exact(r.Rate), r.To)
}

// exact writes every digit of d and never scientific notation.
func exact(d decimal.Decimal) string {
	if d.Exponent() >= 0 {
		return d.StringFixed(0)
	}
	return d.StringFixed(-d.Exponent())
}

// percentText writes a percentage as typed: "20%", "8.25%", "-5%".
func percentText(p decimal.Decimal) string { return p.String() + "%" }

// title is the document's title: "Invoice" or "Credit note".
func title(inv invoice.Invoice) string {
	if inv.Kind == invoice.KindCreditNote {
		return "Credit note"
	}
	return "Invoice"
}
