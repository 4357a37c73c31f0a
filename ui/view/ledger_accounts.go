package view

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/invoice"
	"rebill/engine/ledger"
)

// LedgerForm is the ledger account mapping as Settings > Ledger accounts
// edits it: the lists one entry a line ("Marketplace = 8195", "19 = 1776 :
// 3", "ACME = 10001"), everything else a field of its own.
type LedgerForm struct {
	Revenue, Taxes, Receivables                                string
	DefaultRevenue, Discount, Credits                          string
	DefaultTax, DefaultTaxCode, UntaxedCode, DefaultReceivable string
	Consultant, Client, FiscalStart, AccountLength, Chart      string
}

// LedgerFormOf fills the form from a saved mapping.
func LedgerFormOf(m ledger.Mapping) LedgerForm {
	var rev, tax, rec []string
	for _, t := range billing.ProductTypes {
		if a, ok := m.Revenue[t]; ok {
			rev = append(rev, string(t)+" = "+a)
		}
	}
	for _, t := range m.Taxes {
		line := t.Percent.String() + " = " + t.Account
		if t.Code != "" {
			line += " : " + t.Code
		}
		tax = append(tax, line)
	}
	for _, c := range slices.Sorted(maps.Keys(m.Receivables)) {
		rec = append(rec, c+" = "+m.Receivables[c])
	}
	return LedgerForm{Revenue: strings.Join(rev, "\n"), Taxes: strings.Join(tax, "\n"), Receivables: strings.Join(rec, "\n"),
		DefaultRevenue: m.DefaultRevenue, Discount: m.Discount, Credits: m.Credits, DefaultTax: m.DefaultTax.Account,
		DefaultTaxCode: m.DefaultTax.Code, UntaxedCode: m.UntaxedCode, DefaultReceivable: m.DefaultReceivable,
		Consultant: m.Consultant, Client: m.Client, FiscalStart: strconv.Itoa(m.FiscalStart),
		AccountLength: strconv.Itoa(m.AccountLength), Chart: m.Chart}
}

// Mapping reads the form, naming the list and line of an entry it cannot
// read; the store validates the accounts themselves.
func (f LedgerForm) Mapping() (ledger.Mapping, error) {
	m := ledger.Mapping{DefaultRevenue: f.DefaultRevenue, Discount: f.Discount, Credits: f.Credits,
		DefaultTax:  ledger.TaxAccount{Account: strings.TrimSpace(f.DefaultTax), Code: strings.TrimSpace(f.DefaultTaxCode)},
		UntaxedCode: strings.TrimSpace(f.UntaxedCode), DefaultReceivable: f.DefaultReceivable,
		Consultant: f.Consultant, Client: f.Client, Chart: strings.TrimSpace(f.Chart)}
	var err error
	if m.FiscalStart, err = number("Fiscal year starts in month", f.FiscalStart); err != nil {
		return m, err
	}
	if m.AccountLength, err = number("Account length", f.AccountLength); err != nil {
		return m, err
	}
	err = eachLine("Revenue accounts", f.Revenue, func(k, v string) error {
		for _, t := range billing.ProductTypes {
			if strings.EqualFold(string(t), k) {
				if m.Revenue == nil {
					m.Revenue = map[billing.ProductType]string{}
				}
				m.Revenue[t] = v
				return nil
			}
		}
		return fmt.Errorf("%q is not a product type (Compute, Storage, ..., Marketplace, Support, Other)", k)
	})
	if err != nil {
		return m, err
	}
	err = eachLine("Tax rates", f.Taxes, func(k, v string) error {
		p, err := decimal.NewFromString(strings.TrimSuffix(k, "%"))
		if err != nil {
			return fmt.Errorf("%q is not a percent", k)
		}
		acct, code, _ := strings.Cut(v, ":")
		m.Taxes = append(m.Taxes, ledger.TaxAccount{Percent: p, Account: strings.TrimSpace(acct), Code: strings.TrimSpace(code)})
		return nil
	})
	if err != nil {
		return m, err
	}
	err = eachLine("Receivable accounts", f.Receivables, func(k, v string) error {
		if m.Receivables == nil {
			m.Receivables = map[string]string{}
		}
		m.Receivables[k] = v
		return nil
	})
	return m, err
}

// eachLine calls fn with each "KEY = VALUE" line of a list, skipping
// empty lines.
func eachLine(list, text string, fn func(k, v string) error) error {
	for i, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.TrimSpace(k) == "" || strings.TrimSpace(v) == "" {
			return fmt.Errorf("%s, line %d: %q is not KEY = ACCOUNT", list, i+1, strings.TrimSpace(line))
		}
		if err := fn(strings.TrimSpace(k), strings.TrimSpace(v)); err != nil {
			return fmt.Errorf("%s, line %d: %w", list, i+1, err)
		}
	}
	return nil
}

func number(what, s string) (int, error) {
	if strings.TrimSpace(s) == "" {
		return 0, nil // the default
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%s: %q is not a number", what, s)
	}
	return n, nil
}

// LedgerPeriod is the period an export offers first: the month before
// now's, the one a bookkeeper books after its close.
func LedgerPeriod(now time.Time) (from, until invoice.Date) {
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	return invoice.DateOf(first.AddDate(0, -1, 0)), invoice.DateOf(first.AddDate(0, 0, -1))
}

// LedgerFileName proposes an export's file name: DATEV's own naming for
// a Buchungsstapel, the format and period otherwise; the currency last
// when the export holds one only, so that each currency's file keeps its
// own name.
func LedgerFileName(f ledger.Format, o ledger.Options) string {
	currency := ""
	if c := strings.ToUpper(strings.TrimSpace(o.Currency)); c != "" {
		currency = "_" + c
	}
	if f == ledger.DATEV {
		return "EXTF_Buchungsstapel_" + o.From.Time().Format("20060102") + "_" + o.Until.Time().Format("20060102") + currency + ".csv"
	}
	return "rebill-" + string(f) + "-" + o.From.String() + "-" + o.Until.String() + strings.ReplaceAll(currency, "_", "-") + ".csv"
}

// LedgerExported says, in the window, what an export saved at path.
func LedgerExported(s ledger.Summary, path string) string {
	return path + " is saved: " + LedgerWritten(s)
}

// LedgerWritten says what a ledger export wrote (the documents, the
// bookings and their totals) and, a line each, what it left out and what
// the accountant must still do by hand: the window's and the command
// line's words.
func LedgerWritten(s ledger.Summary) string {
	var totals []string
	for _, t := range s.Totals {
		totals = append(totals, Cash(t.Currency, t.Amount))
	}
	if len(totals) == 0 {
		totals = []string{"nothing"}
	}
	out := fmt.Sprintf("%s%s issued or voided from %s to %s, %s, totalling %s.",
		Plural(s.Documents, "document", "documents"), inCurrency(s), s.From, s.Until, Plural(s.Bookings, "booking", "bookings"), strings.Join(totals, ", "))
	for _, x := range s.Skipped {
		out += "\nNot in the file: " + x
	}
	for _, n := range s.Notes {
		out += "\nNote: " + n
	}
	return out
}

// LedgerNothing says why an export of a period has nothing in it.
func LedgerNothing(s ledger.Summary) string {
	return fmt.Sprintf("No invoice or credit note%s was issued or voided from %s to %s. Drafts are never exported: approve them first.", inCurrency(s), s.From, s.Until)
}

// everyCurrency is the export dialog's choice of no one currency.
const everyCurrency = "Every currency"

// LedgerCurrencies are the export dialog's currency choices: every
// currency first, then each of those given (the customers' invoice
// currencies) once, in order.
func LedgerCurrencies(currencies []string) []string {
	out := []string{everyCurrency}
	for _, c := range slices.Sorted(slices.Values(currencies)) {
		if c != "" && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// LedgerCurrency is the ledger.Options currency of a choice of
// LedgerCurrencies: "" for every currency.
func LedgerCurrency(choice string) string {
	if choice == everyCurrency {
		return ""
	}
	return choice
}

// inCurrency is " in EUR" for an export of one currency's documents.
func inCurrency(s ledger.Summary) string {
	if s.Currency == "" {
		return ""
	}
	return " in " + s.Currency
}
