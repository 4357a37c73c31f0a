package cli

import (
	"errors"
	"flag"
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
	"rebill/store"
	"rebill/ui/view"
)

func ledgerVerbs() []subcommand {
	return []subcommand{
		{"export", "export --format datev|xero|quickbooks|journal (--month YYYY-MM | --from YYYY-MM-DD --until YYYY-MM-DD) --out FILE [--currency C] [--shorten-numbers] [--json]", runLedgerExport},
		{"accounts", "accounts [--revenue TYPE=ACCOUNT]... [--tax PERCENT=ACCOUNT[:CODE]]... [--receivable CUSTOMER=ACCOUNT]... [--default-revenue A] [--discount A] [--credits A] [--default-tax A[:CODE]] [--untaxed-code C] [--default-receivable A] [--consultant N] [--client N] [--fiscal-year-start MONTH] [--account-length N] [--chart 03|04] [--reset] [--json]: show the mapping, or change it (ACCOUNT empty removes one; --reset starts from the default accounts)", runLedgerAccounts},
	}
}

func runLedger(e *env, args []string) error { return dispatch(e, "ledger", ledgerVerbs(), args) }

// ledgerExportDoc is the JSON of ledger export.
type ledgerExportDoc struct {
	ledger.Summary
	File string `json:"file"`
}

func runLedgerExport(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	format := fs.String("format", "", "datev, xero, quickbooks or journal (required)")
	month := fs.String("month", "", "the month YYYY-MM (instead of --from and --until)")
	fromText := fs.String("from", "", "first day YYYY-MM-DD of the issued documents")
	untilText := fs.String("until", "", "last day YYYY-MM-DD, included")
	out := fs.String("out", "", "file to write (required)")
	currency := fs.String("currency", "", "only the documents in this currency, e.g. EUR (a DATEV batch holds one; default: every currency)")
	shorten := fs.Bool("shorten-numbers", false, "QuickBooks: keep the last 21 characters of longer invoice numbers instead of refusing them")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	f, err := ledger.ParseFormat(*format)
	if err != nil {
		return fmt.Errorf("--format: %w", err)
	}
	o := ledger.Options{Now: e.now(), Currency: *currency, ShortenNumbers: *shorten}
	switch {
	case *month != "" && (*fromText != "" || *untilText != ""):
		return errors.New("give --month or --from and --until, not both")
	case *month != "":
		if err := checkMonthFlag("month", *month); err != nil {
			return err
		}
		from, err := invoice.ParseDate(*month + "-01")
		if err != nil {
			return fmt.Errorf("--month: %w", err)
		}
		o.From, o.Until = from, invoice.DateOf(from.Time().AddDate(0, 1, -1))
	case *fromText == "" || *untilText == "":
		return errors.New("--from YYYY-MM-DD and --until YYYY-MM-DD (or --month YYYY-MM) are required: which issue dates to export")
	default:
		if o.From, err = invoice.ParseDate(*fromText); err != nil {
			return fmt.Errorf("--from: %w", err)
		}
		if o.Until, err = invoice.ParseDate(*untilText); err != nil {
			return fmt.Errorf("--until: %w", err)
		}
	}
	if *out == "" {
		return errors.New("--out FILE is required: where to write the export")
	}
	return e.withDB(func(db *store.DB) error {
		// The file appears only when the export is complete: a refused export
		// leaves an existing file as it was.
		file, commit, abort, err := createAtomic(*out)
		if err != nil {
			return err
		}
		defer abort()
		s, err := db.LedgerExport(file, f, o)
		if err != nil {
			return err
		}
		if err := commit(); err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(ledgerExportDoc{Summary: s, File: *out})
		}
		fmt.Fprintf(e.stdout, "Wrote %s (%s): %s\n", *out, f.Label(), view.LedgerWritten(s))
		return nil
	})
}

// pairs is a repeatable KEY=VALUE flag.
type pairs [][2]string

func (p *pairs) String() string { return "" }

func (p *pairs) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(k) == "" {
		return fmt.Errorf("%q is not KEY=VALUE", s)
	}
	*p = append(*p, [2]string{strings.TrimSpace(k), strings.TrimSpace(v)})
	return nil
}

func runLedgerAccounts(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	var revenue, taxes, receivables pairs
	fs.Var(&revenue, "revenue", "revenue account of a product type, e.g. Marketplace=8195 (repeatable; empty account removes it)")
	fs.Var(&taxes, "tax", "tax account and code of a rate, e.g. 19=1776:3 (repeatable; empty removes it)")
	fs.Var(&receivables, "receivable", "receivable (debtor) account of a customer, e.g. ACME=10001 (repeatable; empty removes it)")
	strs := map[string]*string{}
	for _, f := range [][2]string{{"default-revenue", "revenue account of the product types not listed"}, {"discount", "account of the global discount or uplift"},
		{"credits", "account of the reseller credits applied"}, {"default-tax", "tax account[:code] of rates not listed and of the provider's tax"},
		{"untaxed-code", "tax code of lines no tax applies to (Marketplace)"}, {"default-receivable", "receivable account of customers not listed"},
		{"consultant", "DATEV consultant number (Beraternummer)"}, {"client", "DATEV client number (Mandantennummer)"},
		{"fiscal-year-start", "first month of the fiscal year, 1-12"}, {"account-length", "DATEV general ledger account length, 4-8"},
		{"chart", "DATEV chart: 03 (SKR03), 04 (SKR04) or none"}} {
		strs[f[0]] = fs.String(f[0], "", f[1])
	}
	reset := fs.Bool("reset", false, "start from the default accounts instead of the saved mapping (the way to replace a mapping damaged in the database), then apply the other flags")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	delete(set, "json")
	delete(set, "reset")
	return e.withDB(func(db *store.DB) error {
		m, err := ledgerAccounts(db, *reset, func(m *ledger.Mapping) error {
			return editMapping(m, revenue, taxes, receivables, strs, set)
		}, len(set) > 0, e.now())
		if err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(m)
		}
		printMapping(e, m)
		return nil
	})
}

// ledgerAccounts is the mapping the accounts command shows: the saved one,
// changed by edit when change is set, or the defaults changed by edit
// (reset) saved in its place.
func ledgerAccounts(db *store.DB, reset bool, edit func(*ledger.Mapping) error, change bool, now time.Time) (ledger.Mapping, error) {
	switch {
	case reset:
		m := ledger.DefaultMapping()
		if err := edit(&m); err != nil {
			return m, err
		}
		return db.PutLedgerMapping(m, now)
	case change:
		return db.UpdateLedgerMapping(edit, now)
	}
	return db.LedgerMapping()
}

// editMapping applies the accounts command's flags to m.
func editMapping(m *ledger.Mapping, revenue, taxes, receivables pairs, strs map[string]*string, set map[string]bool) error {
	for _, p := range revenue {
		t, err := productType(p[0])
		if err != nil {
			return err
		}
		if m.Revenue == nil {
			m.Revenue = map[billing.ProductType]string{}
		}
		m.Revenue[t] = p[1] // empty is removed by Normalize
	}
	for _, p := range taxes {
		pct, err := decimal.NewFromString(strings.TrimSuffix(p[0], "%"))
		if err != nil {
			return fmt.Errorf("--tax %s=%s: %q is not a percent", p[0], p[1], p[0])
		}
		m.Taxes = slices.DeleteFunc(m.Taxes, func(t ledger.TaxAccount) bool { return t.Percent.Equal(pct) })
		if p[1] != "" {
			acct, code, _ := strings.Cut(p[1], ":")
			m.Taxes = append(m.Taxes, ledger.TaxAccount{Percent: pct, Account: acct, Code: code})
		}
	}
	for _, p := range receivables {
		if m.Receivables == nil {
			m.Receivables = map[string]string{}
		}
		m.Receivables[p[0]] = p[1]
	}
	for name, v := range strs {
		if !set[name] {
			continue
		}
		switch name {
		case "default-revenue":
			m.DefaultRevenue = *v
		case "discount":
			m.Discount = *v
		case "credits":
			m.Credits = *v
		case "default-tax":
			acct, code, _ := strings.Cut(*v, ":")
			m.DefaultTax = ledger.TaxAccount{Account: acct, Code: code}
		case "untaxed-code":
			m.UntaxedCode = *v
		case "default-receivable":
			m.DefaultReceivable = *v
		case "consultant":
			m.Consultant = *v
		case "client":
			m.Client = *v
		case "chart":
			m.Chart = *v
		case "fiscal-year-start", "account-length":
			n, err := strconv.Atoi(*v)
			if err != nil {
				return fmt.Errorf("--%s %q is not a number", name, *v)
			}
			if name == "account-length" {
				m.AccountLength = n
			} else {
				m.FiscalStart = n
			}
		}
	}
	return nil
}

// productType reads a section name in any case.
func productType(s string) (billing.ProductType, error) {
	for _, t := range billing.ProductTypes {
		if strings.EqualFold(string(t), s) {
			return t, nil
		}
	}
	names := make([]string, len(billing.ProductTypes))
	for i, t := range billing.ProductTypes {
		names[i] = string(t)
	}
	return "", fmt.Errorf("product type %q is not one of %s", s, strings.Join(names, ", "))
}

func printMapping(e *env, m ledger.Mapping) {
	rows := [][]string{}
	for _, t := range billing.ProductTypes {
		rows = append(rows, []string{"revenue", string(t), m.RevenueFor(t), ""})
	}
	rows = append(rows, []string{"discount", "", m.Discount, ""}, []string{"credits", "", m.Credits, ""})
	for _, t := range m.Taxes {
		rows = append(rows, []string{"tax", t.Percent.String() + "%", t.Account, t.Code})
	}
	rows = append(rows, []string{"tax", "other rates", m.DefaultTax.Account, m.DefaultTax.Code}, []string{"tax", "untaxed lines", "", m.UntaxedCode})
	for _, c := range slices.Sorted(maps.Keys(m.Receivables)) {
		rows = append(rows, []string{"receivable", c, m.Receivables[c], ""})
	}
	rows = append(rows, []string{"receivable", "other customers", m.DefaultReceivable, ""})
	e.table("KIND\tFOR\tACCOUNT\tTAX CODE", rows)
	chart := "none"
	if m.Chart != "" {
		chart = "SKR" + m.Chart
	}
	fmt.Fprintf(e.stdout, "\nDATEV: consultant %s, client %s, fiscal year from month %d, accounts of %d digits, chart %s.\n",
		m.Consultant, m.Client, m.FiscalStart, m.AccountLength, chart)
}
