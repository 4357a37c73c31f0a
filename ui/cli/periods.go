package cli

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/shopspring/decimal"

	"rebill/engine/money"
)

type periodReport struct {
	Provider      string          `json:"provider"`
	Payer         string          `json:"payer"`
	Period        string          `json:"period"`
	Currency      string          `json:"currency"`
	Rows          int64           `json:"rows"`
	UnblendedCost decimal.Decimal `json:"unblended_cost"`
	Accounts      int             `json:"accounts"`
	Final         bool            `json:"final"`
	InvoiceIDs    []string        `json:"invoice_ids"`
	ImportID      uint64          `json:"import_id"`
	File          string          `json:"file"`
}

func runPeriods(e *env, args []string) error {
	fs, asJSON := newFlags(e, "periods", "periods [--json]")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	defer db.Close()
	periods, err := db.Periods()
	if err != nil {
		return err
	}
	out := []periodReport{}
	for _, p := range periods {
		ids := p.InvoiceIDs
		if ids == nil {
			ids = []string{}
		}
		out = append(out, periodReport{
			Provider: string(p.Provider), Payer: p.Payer, Period: p.Period, Currency: p.Currency, Rows: p.Rows,
			UnblendedCost: p.UnblendedCost, Accounts: len(p.Accounts), Final: p.Final, InvoiceIDs: ids,
			ImportID: p.ImportID, File: p.File,
		})
	}
	if *asJSON {
		return e.printJSON(out)
	}
	if len(out) == 0 {
		fmt.Fprintln(e.stdout, "No billing data imported yet: run \"rebill import FILE\".")
		return nil
	}
	var rows [][]string
	for _, p := range out {
		rows = append(rows, []string{p.Period, p.Provider, p.Payer, strconv.FormatInt(p.Rows, 10), p.Currency + " " + p.UnblendedCost.String(), strconv.Itoa(p.Accounts), finality(p.Final)})
	}
	e.table("PERIOD\tPROVIDER\tPAYER\tROWS\tUNBLENDED\tACCOUNTS\tDATA", rows)
	return nil
}

type accountReport struct {
	Account       string          `json:"account"`
	Customer      *string         `json:"customer"`
	Payer         string          `json:"payer"`
	Provider      string          `json:"provider"`
	Currency      string          `json:"currency"`
	Rows          int64           `json:"rows"`
	UnblendedCost decimal.Decimal `json:"unblended_cost"`
}

var periodPattern = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])$`)

// checkPeriod validates a --period value.
func checkPeriod(p string) error {
	if p == "" {
		return fmt.Errorf("--period YYYY-MM is required")
	}
	if !periodPattern.MatchString(p) {
		return fmt.Errorf("--period %q is not a month: write it as YYYY-MM, e.g. 2018-10", p)
	}
	return nil
}

func runAccounts(e *env, args []string) error {
	fs, asJSON := newFlags(e, "accounts", "accounts --period YYYY-MM [--json]")
	period := fs.String("period", "", "billing month, YYYY-MM")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if err := checkPeriod(*period); err != nil {
		return err
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	defer db.Close()
	periods, err := db.PeriodsOf(*period)
	if err != nil {
		return err
	}
	if len(periods) == 0 {
		return fmt.Errorf("no billing data for %s: import its files first (rebill periods lists what is there)", *period)
	}
	type key struct{ provider, payer, account string }
	sums := map[key]*money.Sum{}
	rows := map[key]int64{}
	currency := map[key]string{}
	var order []key
	for _, p := range periods {
		for _, acct := range p.AccountIDs() {
			k := key{string(p.Provider), p.Payer, acct}
			if sums[k] == nil {
				sums[k] = &money.Sum{}
				order = append(order, k)
			}
			sums[k].Add(p.Accounts[acct])
			rows[k] += p.AccountRows[acct]
			currency[k] = p.Currency
		}
	}
	out := []accountReport{}
	for _, k := range order {
		out = append(out, accountReport{Account: k.account, Payer: k.payer, Provider: k.provider, Currency: currency[k], Rows: rows[k], UnblendedCost: sums[k].Total()})
	}
	if *asJSON {
		return e.printJSON(out)
	}
	var tr [][]string
	for _, a := range out {
		tr = append(tr, []string{a.Account, "(unassigned)", a.Payer, strconv.FormatInt(a.Rows, 10), a.Currency + " " + a.UnblendedCost.String()})
	}
	e.table("ACCOUNT\tCUSTOMER\tPAYER\tROWS\tUNBLENDED", tr)
	return nil
}
