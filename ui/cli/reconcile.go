package cli

import (
	"fmt"
	"strings"

	"rebill/engine/reconcile"
	"rebill/store"
	"rebill/ui/view"
)

// runReconcile prints a month's bridge from the distributor's invoice to
// the customers' issued invoices, one per provider.
func runReconcile(e *env, args []string) error {
	fs, asJSON := newFlags(e, "reconcile", "reconcile --period YYYY-MM [--provider P] [--json]")
	period := fs.String("period", "", "billing month, YYYY-MM (required)")
	provider := fs.String("provider", "", "only this provider's bridge: "+providerList()+" (default: every provider with data that month)")
	if err := noPositional(fs, args, "give the month with --period YYYY-MM"); err != nil {
		return err
	}
	if err := checkPeriod(*period); err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		rec, err := db.Reconcile(*period, *provider)
		if err != nil {
			return err
		}
		if *asJSON {
			// One provider's bridge is the document itself; several are listed.
			if len(rec.Bridges) == 1 {
				return e.printJSON(rec.Bridges[0])
			}
			return e.printJSON(rec)
		}
		for i, b := range rec.Bridges {
			if i > 0 {
				fmt.Fprintln(e.stdout)
			}
			printBridge(e, b)
		}
		return nil
	})
}

func printBridge(e *env, b reconcile.Bridge) {
	fmt.Fprintf(e.stdout, "%s %s, in %s (file total %s)\n", strings.ToUpper(b.Provider), b.Period, b.Currency, view.GroupDigits(b.FileTotal))
	line := func(indent, label, amount string) {
		fmt.Fprintf(e.stdout, "%s%-*s %14s\n", indent, 62-len(indent), label, view.GroupDigits(amount))
	}
	line("", b.StartLabel, b.Start)
	for _, it := range b.Items {
		line("  ", it.Label, it.Amount)
		if it.Value().IsZero() && len(it.Customers) == 0 {
			continue
		}
		for _, sh := range it.Customers {
			who := sh.Customer
			if sh.Account != "" {
				who = "account " + sh.Account
			}
			if who != "" {
				line("      ", who, sh.Amount)
			}
		}
	}
	line("  ", "Unexplained", b.Unexplained)
	line("", "Customers' invoices", b.InvoicedTotal)
	for _, r := range b.Residuals {
		fmt.Fprintf(e.stdout, "Unexplained %s on %s's invoice %s:\n", view.GroupDigits(r.Amount), r.Customer, r.Invoice)
		for _, l := range r.Lines {
			fmt.Fprintf(e.stdout, "  %s\n", l)
		}
	}
	for _, n := range b.Notes {
		fmt.Fprintf(e.stdout, "Note: %s\n", n)
	}
}
