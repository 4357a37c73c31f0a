package view

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/document"
	"rebill/engine/ingest"
	"rebill/engine/lineitem"
	"rebill/engine/money"
	"rebill/engine/words"
)

// Display helpers. They only format what the engine computed: no amount is
// ever rounded, converted to float or added up here.

// GroupDigits puts thousands separators into the integer part of a plain
// decimal string such as "-1234567.25", as the documents print it.
func GroupDigits(s string) string { return document.GroupDigits(s) }

// Count writes a row or account count with thousands separators.
func Count(n int64) string { return words.Count(n) }

// ShortID writes a long account id (an Oracle Cloud OCID, an Azure
// billing account path) for a table cell: its start and its end, which
// tell ids apart, around an ellipsis; the full id is shown where the row
// is selected. Ids of up to 28 characters are written whole.
func ShortID(id string) string {
	const head, tail = 16, 10
	r := []rune(id)
	if len(r) <= head+tail+2 {
		return id
	}
	return string(r[:head]) + "…" + string(r[len(r)-tail:])
}

// Moment writes when something happened, to the minute, in the
// computer's own time zone: every list of events, in the window and on
// the command line, says the same time for the same event.
func Moment(t time.Time) string { return t.Local().Format("2006-01-02 15:04") }

// Plural writes "1 file" or "12,345 files".
func Plural(n int, one, many string) string { return words.Plural(n, one, many) }

// exactPlaces is how many decimals d needs to be written exactly.
func exactPlaces(d decimal.Decimal) int32 {
	_, frac, _ := strings.Cut(d.String(), ".")
	return int32(len(frac))
}

// Cash writes an amount kept at its currency's minor unit (a payment, an
// open amount, a credit, a distributor's invoice) as the invoice prints
// it: "USD 1,234.50", "JPY 10,000". Padding never rounds (Amount).
func Cash(currency string, d decimal.Decimal) string {
	return Amount(currency, d, money.Places(currency))
}

// CashFigure is Cash without the currency, for a column beside it.
func CashFigure(currency string, d decimal.Decimal) string {
	return Amount("", d, money.Places(currency))
}

// Amount writes an exact amount with its currency and thousands
// separators, padded with zeros to at least places decimals so that a
// right-aligned column lines up on the decimal point. Padding never
// rounds: places below what d needs are raised to it.
func Amount(currency string, d decimal.Decimal, places int32) string {
	places = max(places, exactPlaces(d))
	s := GroupDigits(d.StringFixed(places))
	if currency == "" {
		return s
	}
	return currency + " " + s
}

// Overview writes an exact amount for a list, at its currency's minor
// unit ("USD 1.98" for 1.97651418586, "JPY 1,235" for 1234.56): lists stay
// readable whatever precision a provider writes, and the selected row's
// detail gives the exact figure (Amount). It is display only: no invoice
// is computed from it.
func Overview(currency string, d decimal.Decimal) string {
	return Cash(currency, d.Round(money.Places(currency)))
}

// AmountCell is an exact amount as a list shows it: at its currency's
// minor unit (Overview), with the exact figure one click away when that
// rounds it.
func AmountCell(currency string, d decimal.Decimal) Cell {
	c := Cell{Text: Overview(currency, d)}
	if places := money.Places(currency); !d.Equal(d.Round(places)) {
		c.Full = Amount(currency, d, places) + " exactly"
	}
	return c
}

// Money writes a printed figure with its currency: "USD 1,234.56".
func Money(a billing.Amount) string {
	return strings.TrimSpace(a.Currency() + " " + GroupDigits(a.String()))
}

// Figure writes a printed figure with thousands separators: "1,234.56".
func Figure(a billing.Amount) string { return GroupDigits(a.String()) }

// Signed writes a printed change with its sign, "+2.00" or "-3.36", so
// that a rise reads as one.
func Signed(a billing.Amount) string {
	s := Figure(a)
	if a.Decimal().IsPositive() {
		s = "+" + s
	}
	return s
}

// Exact writes a full-precision value with thousands separators, never in
// scientific notation.
func Exact(d decimal.Decimal) string {
	places := max(-d.Exponent(), 0)
	return GroupDigits(d.StringFixed(places))
}

// Finality names whether a month's data is final.
func Finality(final bool) string {
	if final {
		return "Final"
	}
	return "Provisional"
}

// DeliveryFinality is Finality for one delivery (or a payer's month):
// "Final (confirmed)" when it is final on the accountant's word
// (ingest.Delivery.ConfirmFinal) rather than the files'.
func DeliveryFinality(final bool, confirmed *ingest.Confirmation) string {
	if final && confirmed != nil {
		return "Final (confirmed)"
	}
	return Finality(final)
}

// Confirmed says who confirmed a delivery final, when and why, as every
// face writes it: "confirmed by ann on 2024-11-09 10:30: invoice D-17".
func Confirmed(c *ingest.Confirmation) string {
	who := c.By
	if who == "" {
		who = "an unknown user"
	}
	return fmt.Sprintf("confirmed by %s on %s: %s", who, Moment(c.At), c.Reason)
}

// ProviderName writes a provider the way accountants know it.
func ProviderName(p lineitem.Provider) string { return billing.ProviderName(p) }

// Sentence starts a message with a capital letter, as a line of its own
// reads; the engine writes them to follow "field:" in a command's output.
func Sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Sentences joins messages into one paragraph, each a Sentence ending
// with a full stop, skipping the empty ones.
func Sentences(msgs ...string) string {
	var parts []string
	for _, m := range msgs {
		m = strings.TrimSpace(m)
		if m == "" {
			continue
		}
		if !strings.HasSuffix(m, ".") && !strings.HasSuffix(m, "?") && !strings.HasSuffix(m, "!") {
			m += "."
		}
		parts = append(parts, Sentence(m))
	}
	return strings.Join(parts, " ")
}
