package cli

import (
	"flag"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
	"rebill/engine/money"
	"rebill/store"
	"rebill/ui/view"
)

func creditVerbs() []subcommand {
	return []subcommand{
		{"grant", "grant ID AMOUNT --reason R [--expires YYYY-MM] [--currency C] [--json]", runCreditsGrant},
		{"list", "list ID [--json]", runCreditsList},
		{"balance", "balance ID [--period YYYY-MM] [--json]", runCreditsBalance},
	}
}

func runCredits(e *env, args []string) error {
	return dispatch(e, "credits", creditVerbs(), args)
}

func runCreditsGrant(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	reason := fs.String("reason", "", "why the credit is given (shown on the invoice that uses it)")
	expires := fs.String("expires", "", "last month the credit can be used, YYYY-MM (default: never expires)")
	currency := fs.String("currency", "", "ISO 4217 currency (default: the customer's invoice currency)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return fmt.Errorf("expected a customer id and an amount, e.g. rebill credits grant ACME 100 --reason \"Outage in May\"")
	}
	amount, err := money.ParseTyped(pos[1])
	if err != nil {
		return fmt.Errorf("amount %w", err)
	}
	if err := checkMonthFlag("expires", *expires); err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		g, err := db.Grant(customer.Grant{Customer: pos[0], Amount: amount, Currency: strings.ToUpper(*currency), Reason: *reason, Expires: *expires}, e.now())
		if err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(g)
		}
		fmt.Fprintf(e.stdout, "Credit %d granted to %s: %s%s.\n", g.ID, g.Customer, view.Cash(g.Currency, g.Amount), expiry(g.Expires))
		return nil
	})
}

func expiry(m string) string {
	if m == "" {
		return ", never expires"
	}
	return ", usable until " + m
}

// grantReport is a grant with what is left of it.
type grantReport struct {
	customer.Grant
	Remaining decimal.Decimal `json:"remaining"`
}

// ledgerReport is the JSON of credits list.
type ledgerReport struct {
	Customer string         `json:"customer"`
	Grants   []grantReport  `json:"grants"`
	Uses     []customer.Use `json:"uses"`
}

func runCreditsList(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	id, err := parseOne(fs, args, "customer id")
	if err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		gs, us, err := db.Ledger(id)
		if err != nil {
			return err
		}
		rep := ledgerReport{Customer: id, Grants: []grantReport{}, Uses: us}
		for _, g := range gs {
			rep.Grants = append(rep.Grants, grantReport{Grant: g, Remaining: customer.Remaining(g, us)})
		}
		if *asJSON {
			return e.printJSON(rep)
		}
		if len(gs) == 0 {
			fmt.Fprintf(e.stdout, "%s has no credits.\n", id)
			return nil
		}
		var rows [][]string
		for _, g := range rep.Grants {
			exp := g.Expires
			if exp == "" {
				exp = "never"
			}
			rows = append(rows, []string{fmt.Sprint(g.ID), g.Granted.Local().Format("2006-01-02"), view.Cash(g.Currency, g.Amount), view.Cash(g.Currency, g.Remaining), exp, g.Reason})
		}
		e.table("GRANT\tGRANTED\tAMOUNT\tREMAINING\tEXPIRES\tREASON", rows)
		if len(us) > 0 {
			fmt.Fprintln(e.stdout)
			rows = rows[:0]
			currency := map[uint64]string{}
			for _, g := range gs {
				currency[g.ID] = g.Currency
			}
			for _, u := range us {
				rows = append(rows, []string{fmt.Sprint(u.Grant), u.Invoice, u.Period, view.CashFigure(currency[u.Grant], u.Amount)})
			}
			e.table("GRANT\tINVOICE\tPERIOD\tUSED", rows)
		}
		return nil
	})
}

// balanceReport is the JSON of credits balance.
type balanceReport struct {
	Customer string          `json:"customer"`
	Period   string          `json:"period"`
	Balances []store.Balance `json:"balances"`
}

func runCreditsBalance(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	period := fs.String("period", "", "the invoice month the credit would pay, YYYY-MM (default: this month)")
	id, err := parseOne(fs, args, "customer id")
	if err != nil {
		return err
	}
	if err := checkMonthFlag("period", *period); err != nil {
		return err
	}
	if *period == "" {
		*period = e.thisMonth()
	}
	return e.withDB(func(db *store.DB) error {
		bs, err := db.CreditBalances(id, *period)
		if err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(balanceReport{Customer: id, Period: *period, Balances: bs})
		}
		if len(bs) == 0 {
			fmt.Fprintf(e.stdout, "%s has no credits.\n", id)
		}
		for _, b := range bs {
			fmt.Fprintf(e.stdout, "%s can use %s on an invoice for %s.\n", id, view.Cash(b.Currency, b.Amount), *period)
		}
		return nil
	})
}
