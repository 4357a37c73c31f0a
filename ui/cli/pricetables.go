package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"rebill/engine/billing"
	"rebill/store"
)

func priceTableVerbs() []subcommand {
	return []subcommand{
		{"list", "list [--json]", runPriceTablesList},
		{"show", "show NAME [--json]", runPriceTablesShow},
		{"set", "set NAME --usage-type UT [--product CODE] [--unit GB-Mo] --tiers " + billing.TiersExample + " [--currency USD] [--note TEXT] [--json]   (adds the table, or the usage type's tiers, or replaces them)", runPriceTablesSet},
	}
}

func runPriceTables(e *env, args []string) error {
	return dispatch(e, "price-tables", priceTableVerbs(), args)
}

var runPriceTablesList = listing[billing.PriceTable]{
	load:   func(db *store.DB) ([]billing.PriceTable, error) { return db.PriceTables() },
	empty:  "No price tables: add one with rebill price-tables set.",
	header: "NAME\tCURRENCY\tUSAGE TYPES\tNOTE",
	row: func(t billing.PriceTable) []string {
		uts := make([]string, len(t.Rates))
		for i, r := range t.Rates {
			uts[i] = r.UsageType
		}
		return []string{t.Name, t.Currency, strings.Join(uts, ","), t.Note}
	},
}.run

var runPriceTablesShow = showing[billing.PriceTable]{
	what:  "price table name",
	load:  func(db *store.DB, name string) (billing.PriceTable, error) { return db.PriceTable(name) },
	print: (*env).printPriceTable,
}.run

func (e *env) printPriceTable(t billing.PriceTable, asJSON bool) error {
	if asJSON {
		return e.printJSON(t)
	}
	w := e.stdout
	fmt.Fprintf(w, "%s (%s): a customer's own usage of each usage type, cumulated in usage order, priced through its tiers.\n", t.Name, t.Currency)
	if t.Note != "" {
		fmt.Fprintf(w, "Note: %s\n", t.Note)
	}
	for _, r := range t.Rates {
		what := r.UsageType
		if r.ProductCode != "" {
			what = r.ProductCode + " " + what
		}
		fmt.Fprintf(w, "%s, per %s:\n", what, r.Unit)
		rows := []row{{"FROM", "TO", "PRICE"}}
		for _, tr := range r.Tiers {
			to := "and above"
			if !tr.To.IsZero() {
				to = tr.To.String()
			}
			rows = append(rows, row{tr.From.String(), to, tr.Price.String()})
		}
		writeAligned(w, []bool{true, true, true}, rows)
	}
	return nil
}

func runPriceTablesSet(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	usageType := fs.String("usage-type", "", `the usage type the tiers price, exactly, or "*suffix" for every usage type ending so (e.g. "*DataTransfer-Out-Bytes")`)
	product := fs.String("product", "", "the product code the usage type belongs to, e.g. AmazonS3 (empty: any)")
	unit := fs.String("unit", "", "the unit of the file's usage amounts and of the tiers, e.g. GB-Mo, GB")
	tiers := fs.String("tiers", "", "the tiers, FROM-TO=PRICE: "+billing.TiersExample)
	currency := fs.String("currency", "", "the table's currency, the file's (default USD for a new table)")
	note := fs.String("note", "", "where the prices come from, to check them against")
	name, err := parseOne(fs, args, "price table name")
	if err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		t, err := db.PriceTable(name)
		if errors.Is(err, store.ErrNotFound) {
			t, err = billing.PriceTable{Name: name, Currency: "USD"}, nil
		}
		if err != nil {
			return err
		}
		if *currency != "" {
			t.Currency = strings.ToUpper(strings.TrimSpace(*currency))
		}
		if *note != "" {
			t.Note = *note
		}
		if *usageType != "" {
			ts, err := billing.ParseTiers(*tiers)
			if err != nil {
				return fmt.Errorf("--tiers: %w", err)
			}
			t = t.WithRate(billing.TieredRate{ProductCode: *product, UsageType: *usageType, Unit: *unit, Tiers: ts})
		} else if *tiers != "" {
			return errors.New("--tiers needs --usage-type: name the usage type they price")
		}
		if len(t.Rates) == 0 {
			return errors.New("a new price table needs --usage-type and --tiers")
		}
		if err := db.SetPriceTable(t, e.now()); err != nil {
			return err
		}
		return e.printPriceTable(t, *asJSON)
	})
}
