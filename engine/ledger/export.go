package ledger

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/invoice"
	"rebill/engine/money"
)

// Format is an accounting program's import format.
type Format string

// Formats.
const (
	DATEV      Format = "datev"
	Xero       Format = "xero"
	QuickBooks Format = "quickbooks"
	Journal    Format = "journal"
)

// Formats lists the formats in the order a choice offers them.
var Formats = []Format{DATEV, Xero, QuickBooks, Journal}

// ParseFormat reads a format as typed.
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(Formats, f) {
		return f, nil
	}
	return "", fmt.Errorf("format %q is not one of datev, xero, quickbooks, journal", s)
}

// Label is the format as the accountant reads it.
func (f Format) Label() string {
	return map[Format]string{DATEV: "DATEV Buchungsstapel", Xero: "Xero sales invoices", QuickBooks: "QuickBooks Online invoices", Journal: "Journal CSV"}[f]
}

// Ext is the file name extension of the format's files.
func (f Format) Ext() string { return ".csv" }

// Options are an export's choices beyond the documents and the mapping.
type Options struct {
	From, Until invoice.Date
	// Currency, when set, exports only the documents in this currency
	// (ISO 4217). A DATEV batch holds one currency, so a reseller who
	// invoices in several exports each on its own.
	Currency string
	// Now is when the file is made (DATEV's header records it).
	Now time.Time
	// ShortenNumbers lets the QuickBooks export keep the last 21
	// characters of longer document numbers (QuickBooks' DocNumber limit),
	// listing each in the summary, instead of refusing them.
	ShortenNumbers bool
}

// Summary is what an export wrote: the documents, the bookings (rows), the
// signed total of the documents per currency, and what the accountant
// must know or do.
type Summary struct {
	Format    Format   `json:"format"`
	From      string   `json:"from"`
	Until     string   `json:"until"`
	Currency  string   `json:"currency,omitempty"` // the one currency exported; "" for every one
	Documents int      `json:"documents"`
	Bookings  int      `json:"bookings"`
	Totals    []Total  `json:"totals"`
	Skipped   []string `json:"skipped,omitempty"`
	Notes     []string `json:"notes,omitempty"`
}

// Total is the sum of the exported documents' totals in one currency
// (a credit note or reversal counts negative).
type Total struct {
	Currency string          `json:"currency"`
	Amount   decimal.Decimal `json:"amount"`
}

// Export writes the period's documents in format f to w. Nothing is
// written when the export is refused (a number DATEV or QuickBooks cannot
// take, accounts DATEV cannot read), so a refused export never leaves half
// a file behind the caller's back.
func Export(w io.Writer, f Format, docs []invoice.Invoice, m Mapping, o Options) (Summary, error) {
	m = m.Normalize()
	if err := m.Validate(); err != nil {
		return Summary{}, err
	}
	ps, err := Postings(docs, o.From, o.Until, m)
	if err != nil {
		return Summary{}, err
	}
	s := Summary{Format: f, From: o.From.String(), Until: o.Until.String(), Currency: strings.ToUpper(strings.TrimSpace(o.Currency))}
	if s.Currency != "" {
		ps = slices.DeleteFunc(ps, func(p Posting) bool { return p.Currency != s.Currency })
	}
	var b strings.Builder
	var out []byte
	switch f {
	case DATEV:
		out, err = writeDATEV(ps, m, o, &s)
	case Xero:
		err = writeXero(&b, ps, &s)
		out = []byte(b.String())
	case QuickBooks:
		err = writeQuickBooks(&b, ps, o, &s)
		out = []byte(b.String())
	case Journal:
		err = writeJournal(&b, ps, &s)
		out = []byte(b.String())
	default:
		return Summary{}, fmt.Errorf("format %q is not one of datev, xero, quickbooks, journal", f)
	}
	if err != nil {
		return Summary{}, err
	}
	if _, err := w.Write(out); err != nil {
		return Summary{}, err
	}
	return s, nil
}

// count adds a posting to the summary.
func (s *Summary) count(p Posting) {
	s.Documents++
	for i := range s.Totals {
		if s.Totals[i].Currency == p.Currency {
			s.Totals[i].Amount = s.Totals[i].Amount.Add(p.Total)
			return
		}
	}
	s.Totals = append(s.Totals, Total{Currency: p.Currency, Amount: p.Total})
}

// note adds a note once.
func (s *Summary) note(n string) {
	if !slices.Contains(s.Notes, n) {
		s.Notes = append(s.Notes, n)
	}
}

// fixed writes an amount at its currency's minor unit with a point.
func fixed(d decimal.Decimal, currency string) string {
	return money.Plain(d, currency)
}

// docText names a posting in a booking text.
func docText(p Posting) string {
	kind := "Invoice"
	if p.Kind == invoice.KindCreditNote {
		kind = "Credit note"
	}
	if p.Reversal {
		kind = "Void of " + strings.ToLower(kind[:1]) + kind[1:]
	}
	return kind + " " + p.Number
}
