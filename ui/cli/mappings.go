package cli

import (
	"flag"
	"fmt"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
	"rebill/store"
	"rebill/ui/view"
)

func accountVerbs() []subcommand {
	return []subcommand{
		{"map", "map ACCOUNT --customer ID [--from YYYY-MM|YYYY-MM-DD] [--until YYYY-MM] [--json]   (from inside another customer's mapping: moves the account)", runAccountsMap},
		{"unmap", "unmap ACCOUNT [--from YYYY-MM] [--json]", runAccountsUnmap},
		{"unassigned", "unassigned --period YYYY-MM [--json]", runAccountsUnassigned},
		{"mappings", "mappings [--customer ID] [--json]", runAccountsMappings},
		{"import", "import FILE.csv [--json]   (account mappings)", runAccountsImport},
		{"export", "export FILE.csv [--json]   (account mappings; FILE - writes to standard output)", runAccountsExport},
	}
}

// accountMappings is the JSON of map and unmap: the account's owners over
// time after the change, and what a map that moved the account did.
type accountMappings struct {
	Account  string             `json:"account"`
	Mappings []customer.Mapping `json:"mappings"`
	Moved    string             `json:"moved,omitempty"`
}

// printAccountMappings prints an account's mappings after a change; mv is
// the move a map made, or nil.
func (e *env) printAccountMappings(account string, ms []customer.Mapping, mv *customer.Move, asJSON bool) error {
	if ms == nil {
		ms = []customer.Mapping{}
	}
	moved := ""
	if mv != nil {
		moved = mv.String()
	}
	if asJSON {
		return e.printJSON(accountMappings{Account: account, Mappings: ms, Moved: moved})
	}
	if moved != "" {
		fmt.Fprintln(e.stdout, moved)
	}
	if len(ms) == 0 {
		fmt.Fprintf(e.stdout, "Account %s belongs to no customer.\n", account)
	}
	for _, m := range ms {
		fmt.Fprintf(e.stdout, "Account %s belongs to %s %s.\n", account, m.Customer, m.Months())
	}
	return nil
}

func runAccountsMap(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	cust := fs.String("customer", "", "the customer that owns the account")
	from := fs.String("from", "", "first month owned, YYYY-MM, or first day, YYYY-MM-DD, for an account moved inside a month; inside another customer's mapping, that customer keeps the account until the day (month) before (default: the earliest imported month, or this month when nothing is imported)")
	until := fs.String("until", "", "last month owned, YYYY-MM, or last day, YYYY-MM-DD (default: open-ended)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 2 && *cust == "" {
		// The customer written after the account, as "map ACCOUNT
		// CUSTOMER" reads.
		return fmt.Errorf("the customer is named with --customer: rebill accounts map %s --customer %s", pos[0], pos[1])
	}
	account, err := onePositional(pos, "account")
	if err != nil {
		return err
	}
	if *cust == "" {
		return fmt.Errorf("--customer ID is required: the customer that owns account %s", account)
	}
	if err := checkMonthOrDayFlag("from", *from); err != nil {
		return err
	}
	if err := checkMonthOrDayFlag("until", *until); err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		// Without --from the store starts the mapping where the window's form
		// does (store.MappingStart); with it, a day or month inside another
		// customer's mapping moves the account (customer.Place).
		mv, err := db.MapMoving(customer.Mapping{Account: account, Customer: *cust, From: *from, Until: *until}, e.now())
		if err != nil {
			return err
		}
		ms, err := db.AccountMappings(account)
		if err != nil {
			return err
		}
		return e.printAccountMappings(account, ms, mv, *asJSON)
	})
}

func runAccountsUnmap(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	from := fs.String("from", "", "first month the account no longer belongs to its customer, YYYY-MM, or first day, YYYY-MM-DD (default: remove every mapping of the account)")
	account, err := parseOne(fs, args, "account")
	if err != nil {
		return err
	}
	if err := checkMonthOrDayFlag("from", *from); err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		ms, err := db.Unmap(account, *from, e.now())
		if err != nil {
			return err
		}
		return e.printAccountMappings(account, ms, nil, *asJSON)
	})
}

// unassignedReport is one account of accounts unassigned.
type unassignedReport struct {
	Account       string          `json:"account"`
	Payer         string          `json:"payer"`
	Provider      string          `json:"provider"`
	Currency      string          `json:"currency"`
	Rows          int64           `json:"rows"`
	UnblendedCost decimal.Decimal `json:"unblended_cost"`
}

func runAccountsUnassigned(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	period := fs.String("period", "", "billing month, YYYY-MM")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	costs, err := e.accountCosts(*period, true)
	if err != nil {
		return err
	}
	out := []unassignedReport{}
	for _, a := range costs {
		out = append(out, unassignedReport{Account: a.Account, Payer: a.Payer, Provider: a.Provider, Currency: a.Currency, Rows: a.Rows, UnblendedCost: a.UnblendedCost})
	}
	if *asJSON {
		return e.printJSON(out)
	}
	if len(out) == 0 {
		fmt.Fprintf(e.stdout, "Every account of %s belongs to a customer.\n", *period)
		return nil
	}
	var rows [][]string
	for _, a := range out {
		rows = append(rows, []string{a.Account, a.Payer, view.Count(a.Rows), view.Amount(a.Currency, a.UnblendedCost, 2)})
	}
	e.table("ACCOUNT\tPAYER\tROWS\tUNBLENDED", rows)
	fmt.Fprintln(e.stdout, "Map them with: rebill accounts map ACCOUNT --customer ID --from "+*period)
	return nil
}

func runAccountsMappings(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	cust := fs.String("customer", "", "only this customer's accounts")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		var ms []customer.Mapping
		var err error
		if *cust != "" {
			if _, err := db.Customer(*cust); err != nil {
				return err
			}
			ms, err = db.MappingsOf(*cust)
		} else {
			ms, err = db.Mappings()
		}
		if err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(ms)
		}
		var rows [][]string
		for _, m := range ms {
			rows = append(rows, []string{m.Account, m.Customer, m.From, m.Until})
		}
		e.table("ACCOUNT\tCUSTOMER\tFROM\tUNTIL", rows)
		return nil
	})
}

func runAccountsImport(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	file, err := parseOne(fs, args, "CSV file")
	if err != nil {
		return err
	}
	return e.importCSV(file, *asJSON, "mappings", (*store.DB).ImportMappingsCSV)
}

func runAccountsExport(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	file, err := parseOne(fs, args, "CSV file")
	if err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		ms, err := db.Mappings()
		if err != nil {
			return err
		}
		return e.exportCSV(file, *asJSON, len(ms), db.ExportMappingsCSV)
	})
}

// checkMonthOrDayFlag explains a malformed YYYY-MM or YYYY-MM-DD flag.
func checkMonthOrDayFlag(flagName, v string) error {
	if v == "" {
		return nil
	}
	return customer.CheckMonthOrDay("--"+flagName, v)
}
