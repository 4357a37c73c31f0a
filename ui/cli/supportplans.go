package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/money"
	"rebill/store"
	"rebill/ui/view"
)

func supportPlanVerbs() []subcommand {
	return []subcommand{
		{"list", "list [--json]", runSupportPlansList},
		{"show", "show ID [--json]", runSupportPlansShow},
		{"set", "set ID [--name N] [--serves business,developer] [--from YYYY-MM] [--until YYYY-MM] [--currency USD] [--minimum AMOUNT] [--bands 0-10000=10;10000-=7] [--confirm] [--json]   (saving confirms the plan's figures)", runSupportPlansSet},
		{"add", "add ID --name N --serves SETTING[,SETTING] --bands BANDS [--from YYYY-MM] [--until YYYY-MM] [--currency USD] [--minimum AMOUNT] [--json]", runSupportPlansAdd},
	}
}

func runSupportPlans(e *env, args []string) error {
	return dispatch(e, "support-plans", supportPlanVerbs(), args)
}

var runSupportPlansList = listing[billing.SupportPlan]{
	load: func(db *store.DB) ([]billing.SupportPlan, error) {
		ps, err := db.SupportPlans()
		return ps, err
	},
	empty:  "No support plans: add one with rebill support-plans add.",
	header: "ID\tNAME\tSERVES\tMONTHS\tMINIMUM\tBANDS\tSTATUS",
	row: func(p billing.SupportPlan) []string {
		bands := billing.FormatBands(p.Bands)
		if p.CustomerPercent {
			bands = "the customer's percentage"
		}
		return []string{p.ID, p.Name, servesText(p.Serves), p.Months(), minimumText(p), bands, statusText(p)}
	},
}.run

func servesText(ss []customer.SupportPlan) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = string(s)
	}
	return strings.Join(parts, ",")
}

func minimumText(p billing.SupportPlan) string {
	if p.CustomerPercent {
		return "none"
	}
	if p.Currency == "" {
		return p.Minimum.String()
	}
	return p.Currency + " " + view.GroupDigits(p.Minimum.String())
}

func statusText(p billing.SupportPlan) string {
	if p.ToConfirm {
		return "to confirm"
	}
	return "confirmed"
}

var runSupportPlansShow = showing[billing.SupportPlan]{
	what: "support plan id",
	load: func(db *store.DB, id string) (billing.SupportPlan, error) {
		ps, err := db.SupportPlans()
		if err != nil {
			return billing.SupportPlan{}, err
		}
		p, ok := ps.ByID(id)
		if !ok {
			return p, customer.NotFound("there is no support plan %q: rebill support-plans list shows them", id)
		}
		return p, nil
	},
	print: (*env).printSupportPlan,
}.run

func (e *env) printSupportPlan(p billing.SupportPlan, asJSON bool) error {
	if asJSON {
		return e.printJSON(p)
	}
	w := e.stdout
	fmt.Fprintf(w, "%s: %s\n", p.ID, p.Name)
	fmt.Fprintf(w, "Prices the customer settings %s, %s.\n", servesText(p.Serves), p.Months())
	if p.CustomerPercent {
		fmt.Fprintln(w, "The customer's own flat percentage of the support base (customers edit ID --support-percent PCT).")
	} else {
		fmt.Fprintf(w, "The greater of the minimum %s and the sum of its bands", minimumText(p))
		if p.Currency != "" {
			fmt.Fprintf(w, " (amounts in %s, converted to the invoice currency at the month's rate)", p.Currency)
		}
		fmt.Fprintln(w, ":")
		rows := []row{{"FROM", "TO", "PERCENT"}}
		for _, b := range p.Bands {
			to := "and above"
			if !b.To.IsZero() {
				to = b.To.String()
			}
			rows = append(rows, row{b.From.String(), to, b.Percent.String() + "%"})
		}
		writeAligned(e.stdout, []bool{true, true, true}, rows)
	}
	if p.ToConfirm {
		fmt.Fprintf(w, "To confirm: check these figures against AWS's pricing page, then rebill support-plans set %s --confirm (or with the corrected figures).\n", p.ID)
	}
	if p.Source != "" {
		fmt.Fprintf(w, "Source: %s\n", p.Source)
	}
	return nil
}

// planFlags declares the flags of set and add.
func planFlags(fs *flag.FlagSet) {
	fs.String("name", "", "the name the statement's support line prints")
	fs.String("serves", "", "the customer settings the plan prices, comma-separated: developer, business, enterprise-on-ramp, enterprise, flat")
	fs.String("from", "", "first month, YYYY-MM (empty: since always)")
	fs.String("until", "", "last month, YYYY-MM (empty: open-ended)")
	fs.String("currency", "", "currency of the minimum and band bounds, e.g. USD (empty: the invoice currency)")
	fs.String("minimum", "", "monthly minimum fee")
	fs.String("bands", "", "percentage bands: "+billing.BandsExample)
}

// applyPlanFlags sets the fields whose flags were given.
func applyPlanFlags(fs *flag.FlagSet, p *billing.SupportPlan) error {
	var err error
	fs.Visit(func(fl *flag.Flag) {
		if err != nil {
			return
		}
		v := strings.TrimSpace(fl.Value.String())
		switch fl.Name {
		case "name":
			p.Name = v
		case "serves":
			p.Serves = nil
			for _, s := range strings.Split(v, ",") {
				if s = strings.TrimSpace(s); s != "" {
					p.Serves = append(p.Serves, customer.SupportPlan(strings.ToLower(s)))
				}
			}
		case "from":
			p.From, err = v, checkMonthFlag("from", v)
		case "until":
			p.Until, err = v, checkMonthFlag("until", v)
		case "currency":
			p.Currency = strings.ToUpper(v)
		case "minimum":
			if p.Minimum, err = money.ParseTyped(v); err != nil {
				err = fmt.Errorf("--minimum %w", err)
			}
		case "bands":
			p.Bands, err = billing.ParseBands(v)
		}
	})
	return err
}

func runSupportPlansSet(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	planFlags(fs)
	fs.Bool("confirm", false, "confirm the plan's figures as they are")
	id, err := parseOne(fs, args, "support plan id")
	if err != nil {
		return err
	}
	changes := 0
	fs.Visit(func(f *flag.Flag) {
		if f.Name != "json" {
			changes++
		}
	})
	if changes == 0 {
		return errors.New("nothing to change: give the flags to change, or --confirm to confirm the figures as they are")
	}
	return e.withDB(func(db *store.DB) error {
		p, err := db.UpdateSupportPlan(id, func(p *billing.SupportPlan) error {
			if err := applyPlanFlags(fs, p); err != nil {
				return err
			}
			p.ToConfirm = false // the accountant has checked it, or edited it from the pricing page
			return nil
		}, e.now())
		if err != nil {
			return err
		}
		return e.printSupportPlan(p, *asJSON)
	})
}

func runSupportPlansAdd(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	planFlags(fs)
	id, err := parseOne(fs, args, "support plan id")
	if err != nil {
		return err
	}
	p := billing.SupportPlan{ID: id}
	if err := applyPlanFlags(fs, &p); err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		if err := db.AddSupportPlan(p, e.now()); err != nil {
			return err
		}
		return e.printSupportPlan(p, *asJSON)
	})
}
