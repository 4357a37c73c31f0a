package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
	"rebill/engine/ingest"
	"rebill/store"
	"rebill/ui/view"
)

// periodReport is one provider month of one billing account (payer):
// its rows and totals at full precision, unblended_cost beside the total
// of the files' invoice cost column (invoice_cost, named by
// invoice_cost_column: BilledCost for FOCUS, lineItem/UnblendedCost for
// the CUR, ...), which every reader reads into the same figure.
type periodReport struct {
	Provider          string               `json:"provider"`
	Payer             string               `json:"payer"`
	BillingAccount    string               `json:"billing_account"` // the payer, as FOCUS and Azure name it
	Period            string               `json:"period"`
	Currency          string               `json:"currency"`
	Format            string               `json:"format,omitempty"`
	Rows              int64                `json:"rows"`
	UnblendedCost     decimal.Decimal      `json:"unblended_cost"`
	InvoiceCostColumn string               `json:"invoice_cost_column,omitempty"`
	InvoiceCost       decimal.Decimal      `json:"invoice_cost"`
	Accounts          int                  `json:"accounts"`
	Final             bool                 `json:"final"`
	Confirmed         *ingest.Confirmation `json:"confirmed,omitempty"`
	InvoiceIDs        []string             `json:"invoice_ids"`
	ImportID          uint64               `json:"import_id"`
	File              string               `json:"file"` // the first part's file
	Delivery          uint64               `json:"delivery"`
	Parts             int                  `json:"parts"`
}

func runPeriods(e *env, args []string) error {
	fs, asJSON := newFlags(e, "periods", "periods [--json]")
	return listing[periodReport]{
		load: func(db *store.DB) ([]periodReport, error) {
			periods, err := db.Periods()
			if err != nil {
				return nil, err
			}
			out := []periodReport{}
			for _, p := range periods {
				ids := p.InvoiceIDs
				if ids == nil {
					ids = []string{}
				}
				out = append(out, periodReport{
					Provider: string(p.Provider), Payer: p.Payer, BillingAccount: p.Payer, Period: p.Period, Currency: p.Currency,
					Format: p.Format, Rows: p.Rows, UnblendedCost: p.UnblendedCost, InvoiceCostColumn: p.InvoiceCostColumn(),
					InvoiceCost: p.UnblendedCost, Accounts: len(p.Accounts), Final: p.Final, Confirmed: p.Confirmed, InvoiceIDs: ids,
					ImportID: p.ImportID, File: p.Parts[0].File, Delivery: p.ID, Parts: len(p.Parts),
				})
			}
			return out, nil
		},
		empty:  "No billing data imported yet: run \"rebill import FILE\".",
		header: "PERIOD\tPROVIDER\tPAYER\tROWS\tUNBLENDED\tACCOUNTS\tDATA",
		row: func(p periodReport) []string {
			return []string{p.Period, p.Provider, p.Payer, view.Count(p.Rows), view.Amount(p.Currency, p.UnblendedCost, 2), strconv.Itoa(p.Accounts), finality(p.Final, p.Confirmed)}
		},
	}.run(e, fs, asJSON, args)
}

type accountReport struct {
	Account       string          `json:"account"`
	Customer      *string         `json:"customer"` // null when unassigned
	Payer         string          `json:"payer"`
	Provider      string          `json:"provider"`
	Currency      string          `json:"currency"`
	Rows          int64           `json:"rows"`
	UnblendedCost decimal.Decimal `json:"unblended_cost"`
	// OwnersByDay are the owners of an account moved inside the month.
	OwnersByDay []customer.DayOwner `json:"owners_by_day,omitempty"`
}

// checkPeriod validates a --period value.
func checkPeriod(p string) error {
	if p == "" {
		return fmt.Errorf("--period YYYY-MM is required")
	}
	return checkMonthFlag("period", p)
}

// accountCosts checks --period and reads the accounts of that month for
// the accounts and accounts unassigned commands, refusing a month with no
// data so that an empty list always means "nothing unassigned".
func (e *env) accountCosts(period string, unassignedOnly bool) ([]store.AccountCost, error) {
	if err := checkPeriod(period); err != nil {
		return nil, err
	}
	var costs []store.AccountCost
	err := e.withDB(func(db *store.DB) error {
		periods, err := db.PeriodsOf(period)
		if err != nil {
			return err
		}
		if len(periods) == 0 {
			return fmt.Errorf("no billing data for %s: import its files first (rebill periods lists what is there)", period)
		}
		if unassignedOnly {
			costs, err = db.Unassigned(period)
		} else {
			costs, err = db.AccountCosts(period)
		}
		return err
	})
	return costs, err
}

func runAccounts(e *env, args []string) error {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return dispatch(e, "accounts", accountVerbs(), args)
	}
	fs, asJSON := newFlags(e, "accounts", "accounts --period YYYY-MM [--json]")
	period := fs.String("period", "", "billing month, YYYY-MM")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	costs, err := e.accountCosts(*period, false)
	if err != nil {
		return err
	}
	out := []accountReport{}
	for _, a := range costs {
		r := accountReport{Account: a.Account, Payer: a.Payer, Provider: a.Provider, Currency: a.Currency, Rows: a.Rows, UnblendedCost: a.UnblendedCost, OwnersByDay: a.OwnersByDay}
		if a.Customer != "" {
			owner := a.Customer
			r.Customer = &owner
		}
		out = append(out, r)
	}
	if *asJSON {
		return e.printJSON(out)
	}
	var tr [][]string
	for _, a := range out {
		owner := "(unassigned)"
		if a.Customer != nil {
			owner = *a.Customer
		}
		if len(a.OwnersByDay) > 0 {
			var by []string
			for i, d := range a.OwnersByDay {
				who := d.Customer
				if who == "" {
					who = "(unassigned)"
				}
				if i > 0 {
					who += " from " + d.From
				}
				by = append(by, who)
			}
			owner = strings.Join(by, ", ")
		}
		tr = append(tr, []string{a.Account, string(a.Provider), owner, a.Payer, view.Count(a.Rows), view.Amount(a.Currency, a.UnblendedCost, 2)})
	}
	e.table("ACCOUNT\tPROVIDER\tCUSTOMER\tPAYER\tROWS\tUNBLENDED", tr)
	return nil
}
