package cli

import (
	"flag"
	"fmt"
	"strings"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/money"
	"rebill/store"
	"rebill/ui/view"
)

func rateVerbs() []subcommand {
	return []subcommand{
		{"set", "set FROM TO YYYY-MM RATE --source S [--json]   (1 FROM = RATE TO in that month)", runRatesSet},
		{"list", "list [--json]", runRatesList},
		{"delete", "delete FROM TO YYYY-MM [--json]", runRatesDelete},
	}
}

func runRates(e *env, args []string) error { return dispatch(e, "rates", rateVerbs(), args) }

func runRatesSet(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	source := fs.String("source", "", "where the rate comes from, printed on invoices (e.g. \"ECB reference rate 2018-10-31\")")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 4 {
		return fmt.Errorf("expected FROM TO YYYY-MM RATE, e.g. rebill rates set USD EUR 2018-10 0.8812 --source \"ECB 2018-10-31\"")
	}
	rate, err := money.ParseTyped(pos[3])
	if err != nil {
		return fmt.Errorf("rate %w", err)
	}
	return e.withDB(func(db *store.DB) error {
		r, err := db.PutRate(billing.EnteredRate{From: pos[0], To: pos[1], Period: pos[2], Rate: rate, Source: *source}, e.now())
		if err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(r)
		}
		fmt.Fprintln(e.stdout, view.RateSet(r))
		return nil
	})
}

var runRatesList = listing[billing.EnteredRate]{
	load:   (*store.DB).Rates,
	empty:  "No exchange rates yet: customers invoiced in another currency than the files' need one per month (rebill rates set).",
	header: "PAIR\tMONTH\tRATE\tSOURCE\tENTERED\tEARLIER",
	row: func(r billing.EnteredRate) []string {
		return []string{r.Pair(), r.Period, r.Rate.String(), r.Source, view.RateEntered(r), strings.Join(view.PastRates(r), "; ")}
	},
}.run

func runRatesDelete(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 3 {
		return fmt.Errorf("expected FROM TO YYYY-MM, e.g. rebill rates delete USD EUR 2018-10")
	}
	return e.withDB(func(db *store.DB) error {
		if err := db.DeleteRate(pos[0], pos[1], pos[2], e.now()); err != nil {
			return err
		}
		from, to := strings.ToUpper(pos[0]), strings.ToUpper(pos[1])
		if *asJSON {
			return e.printJSON(map[string]string{"from": from, "to": to, "period": pos[2], "status": "deleted"})
		}
		fmt.Fprintln(e.stdout, view.RateDeleted(from, to, pos[2]))
		return nil
	})
}

func productTypeVerbs() []subcommand {
	return []subcommand{
		{"set", "set CODE TYPE [--from YYYY-MM] [--json]   (TYPE: " + overridableTypes() + ")", runProductTypesSet},
		{"list", "list [--json]", runProductTypesList},
		{"delete", "delete CODE [--json]   (back to the built-in section)", runProductTypesDelete},
	}
}

// overridableTypes names the sections a product code may be put in.
func overridableTypes() string {
	var names []string
	for _, t := range billing.ProductTypes {
		if t != billing.Marketplace && t != billing.Credits {
			names = append(names, string(t))
		}
	}
	return strings.Join(names, ", ")
}

func runProductTypes(e *env, args []string) error {
	return dispatch(e, "producttypes", productTypeVerbs(), args)
}

func runProductTypesSet(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	from := fs.String("from", "", "the section applies from this YYYY-MM month on; default: the month after the latest issued invoice (earlier months keep theirs)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := checkMonthFlag("from", *from); err != nil {
		return err
	}
	if len(pos) < 2 {
		return fmt.Errorf("expected a product code and a type, e.g. rebill producttypes set AmazonS3 Storage")
	}
	// "Machine Learning" may come unquoted, as two words.
	t, err := billing.ParseProductType(strings.Join(pos[1:], " "))
	if err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		o, err := db.SetProductTypeFrom(pos[0], t, *from, e.now())
		if err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(o)
		}
		if o.IsDefault() {
			fmt.Fprintf(e.stdout, "%s is in %s, its built-in section: no override.\n", o.Code, o.Type)
			return nil
		}
		fmt.Fprintf(e.stdout, "%s lines now go in %s (built-in: %s).\n", o.Code, o.Type, o.Default)
		return nil
	})
}

var runProductTypesList = listing[billing.ProductTypeOverride]{
	load:   (*store.DB).ProductTypes,
	empty:  "No overrides: every product code is in its built-in section (rebill producttypes set CODE TYPE changes one).",
	header: "PRODUCT CODE\tTYPE\tBUILT-IN\tBY MONTH",
	row: func(o billing.ProductTypeOverride) []string {
		var months []string
		for _, e := range o.History {
			from := e.From
			if from == "" {
				from = "before"
			}
			months = append(months, from+": "+string(e.Value))
		}
		return []string{o.Code, string(o.Type), string(o.Default), strings.Join(months, "; ")}
	},
}.run

func runProductTypesDelete(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	code, err := parseOne(fs, args, "product code")
	if err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		o, err := db.DeleteProductType(code, e.now())
		if err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(o)
		}
		fmt.Fprintf(e.stdout, "%s lines go back to %s.\n", code, o.Type)
		return nil
	})
}

func settingsVerbs() []subcommand {
	return []subcommand{
		{"show", "show [--json]", runSettingsShow},
		{"set", "set KEY VALUE [--json]   (provider-tax passthrough|replace; rounding half-up|half-even|down)", runSettingsSet},
	}
}

// orDefault is v, or def when v is empty (a setting never saved).
func orDefault[T ~string](v, def T) T {
	if v == "" {
		return def
	}
	return v
}

func runSettings(e *env, args []string) error { return dispatch(e, "settings", settingsVerbs(), args) }

func (e *env) printSettings(s billing.Settings, asJSON bool) error {
	if asJSON {
		return e.printJSON(s)
	}
	e.table("KEY\tVALUE\tMEANING", [][]string{
		{"provider-tax", string(s.ProviderTax), map[billing.ProviderTax]string{
			billing.ReplaceTax:     "the provider's Tax lines are replaced by each customer's own tax rates",
			billing.PassThroughTax: "the provider's Tax lines are charged as they are; customers' rates are not applied"}[s.ProviderTax]},
		{"rounding", string(s.Rounding), map[billing.Rounding]string{
			billing.HalfUp:   "halves away from zero (0.125 -> 0.13)",
			billing.HalfEven: "halves to the even cent (0.125 -> 0.12)",
			billing.Down:     "toward zero, as Microsoft's Azure rule (0.129 -> 0.12)"}[s.Rounding]},
		{"support-base", string(orDefault(s.SupportBase, billing.GrossBase)), map[billing.SupportBase]string{
			billing.GrossBase: "support plans on the charges before provider discounts, credits and refunds (AWS's rule)",
			billing.NetBase:   "support plans on the charges after provider discounts (EDP, private pricing, bundled, SPP)"}[orDefault(s.SupportBase, billing.GrossBase)]},
		{"provider-discounts", string(orDefault(s.ProviderDiscounts, customer.DiscountsPassedOn)), map[customer.DiscountMode]string{
			customer.DiscountsPassedOn: "EDP, private pricing, bundled and SPP discounts passed on inside the service line",
			customer.DiscountsSeparate: "those discounts passed on as a line of their own under the service",
			customer.DiscountsMargin:   "those discounts kept as the reseller's margin: customers billed before them"}[orDefault(s.ProviderDiscounts, customer.DiscountsPassedOn)]},
	})
	return nil
}

var runSettingsShow = showing[billing.Settings]{
	load:  func(db *store.DB, _ string) (billing.Settings, error) { return db.BillingSettings() },
	print: (*env).printSettings,
}.run

func runSettingsSet(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return fmt.Errorf("expected KEY VALUE, e.g. rebill settings set rounding half-even (keys: %s)", strings.Join(billing.SettingKeys, ", "))
	}
	return e.withDB(func(db *store.DB) error {
		s, err := db.SetBillingSetting(pos[0], pos[1], e.now())
		if err != nil {
			return err
		}
		return e.printSettings(s, *asJSON)
	})
}
