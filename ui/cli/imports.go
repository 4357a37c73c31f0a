package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/cur"
	"rebill/engine/ingest"
	"rebill/engine/money"
)

// fileReport is the JSON shape of one imported file.
type fileReport struct {
	File          string           `json:"file"`
	Status        string           `json:"status"`
	Error         string           `json:"error,omitempty"`
	Format        string           `json:"format,omitempty"`
	ImportID      uint64           `json:"import_id,omitempty"`
	Periods       []string         `json:"periods"`
	Payers        []string         `json:"payers"`
	Rows          int64            `json:"rows"`
	UnblendedCost *decimal.Decimal `json:"unblended_cost,omitempty"`
	Final         bool             `json:"final"`
	UsageAccounts []accountTotal   `json:"usage_accounts"`
	Deliveries    []deliveryReport `json:"deliveries"`
}

type deliveryReport struct {
	Provider       string          `json:"provider"`
	Payer          string          `json:"payer"`
	Period         string          `json:"period"`
	Currency       string          `json:"currency"`
	Rows           int64           `json:"rows"`
	UnblendedCost  decimal.Decimal `json:"unblended_cost"`
	Final          bool            `json:"final"`
	Status         string          `json:"status"`
	ReplacedImport uint64          `json:"replaced_import,omitempty"`
}

type accountTotal struct {
	Account       string          `json:"account"`
	Rows          int64           `json:"rows"`
	UnblendedCost decimal.Decimal `json:"unblended_cost"`
}

func reportOf(r ingest.Result) fileReport {
	total := r.UnblendedCost()
	fr := fileReport{
		File: r.File, Status: string(r.Status), Format: r.Format, ImportID: r.ImportID,
		Periods: r.Periods(), Payers: r.Payers(), Rows: r.Rows, UnblendedCost: &total, Final: r.Final(),
		UsageAccounts: []accountTotal{}, Deliveries: []deliveryReport{},
	}
	sums := map[string]*money.Sum{}
	rows := map[string]int64{}
	for _, d := range r.Deliveries {
		fr.Deliveries = append(fr.Deliveries, deliveryReport{
			Provider: string(d.Provider), Payer: d.Payer, Period: d.Period, Currency: d.Currency, Rows: d.Rows,
			UnblendedCost: d.UnblendedCost, Final: d.Final, Status: string(d.Status), ReplacedImport: d.ReplacedImport,
		})
		for acct, c := range d.Accounts {
			if sums[acct] == nil {
				sums[acct] = &money.Sum{}
			}
			sums[acct].Add(c)
			rows[acct] += d.AccountRows[acct]
		}
	}
	for _, acct := range sortedKeys(sums) {
		fr.UsageAccounts = append(fr.UsageAccounts, accountTotal{Account: acct, Rows: rows[acct], UnblendedCost: sums[acct].Total()})
	}
	return fr
}

func runImport(e *env, args []string) error {
	fs, asJSON := newFlags(e, "import", "import [--json] [--format FORMAT] FILE...")
	format := fs.String("format", "", "force the file format instead of detecting it: "+strings.Join(formatNames(), ", "))
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		fs.Usage()
		return exitError{2}
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	defer db.Close()
	var reports []fileReport
	failed := 0
	for _, f := range files {
		res, err := ingest.File(context.Background(), f, db, ingest.Options{Format: *format, Now: e.now()})
		if err != nil {
			failed++
			fmt.Fprintf(e.stderr, "rebill import: %v\n", err)
			reports = append(reports, fileReport{File: f, Status: "failed", Error: err.Error(), Periods: []string{}, Payers: []string{}, UsageAccounts: []accountTotal{}, Deliveries: []deliveryReport{}})
			continue
		}
		res.File = f
		reports = append(reports, reportOf(res))
	}
	if *asJSON {
		if err := e.printJSON(reports); err != nil {
			return err
		}
	} else {
		printImports(e, reports)
	}
	if failed > 0 {
		return exitError{1}
	}
	return nil
}

func printImports(e *env, reports []fileReport) {
	for _, r := range reports {
		if r.Status == "failed" {
			continue
		}
		fmt.Fprintf(e.stdout, "%s: %s (%s, %d rows, unblended %s, %s)\n", r.File, r.Status, r.Format, r.Rows, r.UnblendedCost, finality(r.Final))
		for _, d := range r.Deliveries {
			fmt.Fprintf(e.stdout, "  %s  payer %s  %d rows  %s %s  %s  %s\n", d.Period, d.Payer, d.Rows, d.Currency, d.UnblendedCost, finality(d.Final), d.Status)
		}
		for _, a := range r.UsageAccounts {
			fmt.Fprintf(e.stdout, "    account %s  %d rows  %s\n", a.Account, a.Rows, a.UnblendedCost)
		}
	}
}

func finality(final bool) string {
	if final {
		return "final"
	}
	return "provisional"
}

func formatNames() []string {
	var out []string
	for _, f := range cur.Formats {
		out = append(out, string(f))
	}
	return out
}
