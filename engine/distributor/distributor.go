// Package distributor holds the distributor's invoices: the one
// consolidated invoice per cloud program and month that the reseller
// pays for all of its customers, which reconciliation ties the customers'
// invoices back to. The accountant records them by hand, from a CSV file
// (ParseCSV) or from the distributor's own detail file when Rebill reads
// its format (FromItems). The package is pure; the store keeps them.
package distributor

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
	"rebill/engine/invoice"
	"rebill/engine/period"
)

// Audit log actions of distributor invoices. Their entries name the
// record (Invoice.AuditID), not a customer document.
const (
	ActionAdd    invoice.Action = "distributor_invoice_add"
	ActionDelete invoice.Action = "distributor_invoice_delete"
)

// MaxNumber is the longest invoice number accepted.
const MaxNumber = 64

// Invoice is one distributor invoice for one provider and month.
type Invoice struct {
	// ID numbers the record in the store; 0 until stored.
	ID       uint64 `json:"id"`
	Provider string `json:"provider"` // as Rebill names providers: aws, azure, gcp, oci, ...
	Period   string `json:"period"`   // YYYY-MM, the billing month invoiced
	Number   string `json:"number"`   // the distributor's invoice number, unique
	// Date is the invoice's date; zero (JSON null) when not entered.
	Date invoice.Date `json:"date"`
	// Amount is the total before tax, Tax the tax, both in Currency as
	// printed on the invoice (a credit invoice is negative).
	Amount   decimal.Decimal `json:"amount"`
	Tax      decimal.Decimal `json:"tax"`
	Currency string          `json:"currency"`
	// Rate is the exchange rate the invoice states, when it converts:
	// units of Currency per unit of the provider's billing currency;
	// nil when it does not convert.
	Rate *decimal.Decimal `json:"rate"`
	// Source says where the record came from: "entered", "csv FILE line
	// N" or "detail file FILE".
	Source  string    `json:"source"`
	AddedAt time.Time `json:"added_at"`
	AddedBy string    `json:"added_by,omitempty"`
}

// AuditID names the record in the audit log: "distributor-invoice:7".
func (d Invoice) AuditID() string { return fmt.Sprintf("distributor-invoice:%d", d.ID) }

// Total is the amount with tax.
func (d Invoice) Total() decimal.Decimal { return d.Amount.Add(d.Tax) }

// Normalize trims the text fields and upper-cases the currency.
func (d *Invoice) Normalize() {
	d.Provider = strings.ToLower(strings.TrimSpace(d.Provider))
	d.Period = strings.TrimSpace(d.Period)
	d.Number = strings.TrimSpace(d.Number)
	d.Currency = strings.ToUpper(strings.TrimSpace(d.Currency))
}

// Problem is one field of an invoice that is wrong.
type Problem struct {
	Field  string // the CSV column / flag name
	Reason string
}

// Check lists what is wrong with the invoice, field by field, in column
// order; nil when it can be stored.
func (d Invoice) Check() []Problem {
	var ps []Problem
	add := func(field string, err error) {
		if err != nil {
			ps = append(ps, Problem{field, err.Error()})
		}
	}
	add("provider", checkProvider(d.Provider))
	add("period", period.CheckMonth(d.Period))
	add("number", checkNumber(d.Number))
	add("currency", customer.CheckCurrency("currency", d.Currency))
	if d.Rate != nil && !d.Rate.IsPositive() {
		add("rate", fmt.Errorf("exchange rate %s is not positive: leave it out when the invoice does not convert", d.Rate))
	}
	return ps
}

// Err joins Check's problems into one error; nil when there are none.
func (d Invoice) Err() error {
	ps := d.Check()
	if len(ps) == 0 {
		return nil
	}
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.Field + ": " + p.Reason
	}
	return errors.New(strings.Join(msgs, "; "))
}

func checkProvider(p string) error {
	if p == "" {
		return errors.New("the provider is empty: write aws, azure, gcp, oci, ...")
	}
	for _, r := range p {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') || len(p) > 32 {
			return fmt.Errorf("provider %q is not a provider name such as aws or azure", p)
		}
	}
	return nil
}

func checkNumber(n string) error {
	switch {
	case n == "":
		return errors.New("the invoice number is empty: copy it from the distributor's invoice")
	case len(n) > MaxNumber:
		return fmt.Errorf("invoice number %q is longer than %d characters", n[:MaxNumber]+"…", MaxNumber)
	}
	for _, r := range n {
		if unicode.IsControl(r) {
			return fmt.Errorf("invoice number %q holds a control character", n)
		}
	}
	return nil
}

// Duplicate refuses a number already recorded: each distributor invoice
// is recorded once, so that no invoice counts twice in a reconciliation.
func Duplicate(existing []Invoice, number string) error {
	for _, e := range existing {
		if e.Number == number {
			return fmt.Errorf("distributor invoice %s is recorded already (id %d, %s %s): delete it first to enter it again", number, e.ID, e.Provider, e.Period)
		}
	}
	return nil
}
