package cli

import (
	"flag"
	"fmt"
	"strconv"

	"rebill/store"
	"rebill/ui/appinfo"
	"rebill/ui/view"
)

func deliveryVerbs() []subcommand {
	return []subcommand{
		{"list", "list [--period YYYY-MM] [--json]", runDeliveriesList},
		{"restore", "restore ID [--json]", runDeliveriesRestore},
		{"prune", "prune [--json]", runDeliveriesPrune},
	}
}

func runDeliveries(e *env, args []string) error {
	return dispatch(e, "deliveries", deliveryVerbs(), args)
}

// historyReport is one delivery of the history as the CLI prints it.
type historyReport struct {
	deliveryReport
	State      string                `json:"state"`
	ReplacedBy uint64                `json:"replaced_by,omitempty"`
	ImportID   uint64                `json:"import_id"`
	Events     []store.DeliveryEvent `json:"events"`
}

func historyOf(d store.Delivery) historyReport {
	return historyReport{deliveryReport: deliveryOf(d.Delivery), State: string(d.State), ReplacedBy: d.ReplacedBy,
		ImportID: d.ImportID, Events: d.Events}
}

func runDeliveriesList(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	period := fs.String("period", "", "billing month, YYYY-MM (default: every month)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if err := checkMonthFlag("period", *period); err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		ds, err := db.Deliveries(*period)
		if err != nil {
			return err
		}
		out := []historyReport{}
		for _, d := range ds {
			out = append(out, historyOf(d))
		}
		if *asJSON {
			return e.printJSON(out)
		}
		if len(out) == 0 && *period != "" {
			fmt.Fprintf(e.stdout, "No deliveries of %s: rebill periods lists the months imported.\n", *period)
			return nil
		}
		if len(out) == 0 {
			fmt.Fprintln(e.stdout, "No deliveries imported yet: run \"rebill import FILE|FOLDER|MANIFEST\".")
			return nil
		}
		var rows [][]string
		for _, d := range out {
			last := d.Events[len(d.Events)-1]
			rows = append(rows, []string{strconv.FormatUint(d.ID, 10), d.Period, d.Provider, d.Payer, d.State,
				finality(d.Final, d.Confirmed), strconv.Itoa(len(d.Parts)), view.Count(d.Rows), view.Amount(d.Currency, d.UnblendedCost, 2),
				view.Moment(last.At) + " " + last.What})
		}
		e.table("ID\tPERIOD\tPROVIDER\tPAYER\tSTATE\tDATA\tPARTS\tROWS\tUNBLENDED\tLAST EVENT", rows)
		return nil
	})
}

func runDeliveriesRestore(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	arg, err := parseOne(fs, args, "delivery id")
	if err != nil {
		return err
	}
	id, err := strconv.ParseUint(arg, 10, 64)
	if err != nil || id == 0 {
		return fmt.Errorf("%q is not a delivery id: rebill deliveries list shows them", arg)
	}
	return e.withDB(func(db *store.DB) error {
		d, err := db.RestoreDelivery(id, appinfo.User(), e.now())
		if err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(historyOf(d))
		}
		fmt.Fprintf(e.stdout, "Delivery %d is current again for %s %s (payer %s): %s, %s, %s.\n", d.ID, d.Provider, d.Period, d.Payer,
			view.Plural(int(d.Rows), "row", "rows"), view.Amount(d.Currency, d.UnblendedCost, 2), finality(d.Final, d.Confirmed))
		return nil
	})
}

func runDeliveriesPrune(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	if _, err := parse(fs, args); err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		rep, err := db.PruneDeliveries(appinfo.User(), e.now())
		if err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(rep)
		}
		fmt.Fprintln(e.stdout, view.Pruned(rep))
		return nil
	})
}
