package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"rebill/engine/customer"
	"rebill/store"
	"rebill/ui/view"
)

func customerVerbs() []subcommand {
	return []subcommand{
		{"list", "list [--json]", runCustomersList},
		{"show", "show ID [--json]", runCustomersShow},
		{"add", "add --id ID --name NAME [--group G] [--currency C] [--terms N] [--email E] [--support PLAN] [--adjustment PCT] [--basis B] [...] [--json]", runCustomersAdd},
		{"edit", "edit ID [the flags of add] [--from YYYY-MM] [--support PLAN --support-from YYYY-MM] [--json]", runCustomersEdit},
		{"delete", "delete ID [--json]   (only a customer with no accounts, credits or documents)", runCustomersDelete},
		{"import", "import FILE.csv [--from YYYY-MM] [--json]", runCustomersImport},
		{"export", "export FILE.csv [--json]   (FILE - writes to standard output)", runCustomersExport},
		{"log", "log ID [--json]", runCustomersLog},
	}
}

func runCustomers(e *env, args []string) error {
	return dispatch(e, "customers", customerVerbs(), args)
}

var runCustomersList = listing[customer.Customer]{
	load:   (*store.DB).Customers,
	empty:  "No customers yet: add one with \"rebill customers add --id ID --name NAME\" or import a CSV file.",
	header: "GROUP\tID\tNAME\tCURRENCY\tTERMS\tSUPPORT\tBASIS",
	row: func(c customer.Customer) []string {
		return []string{c.Group, c.ID, c.Name, c.Currency, strconv.Itoa(c.TermsDays), string(c.Support), string(c.Basis)}
	},
}.run

// customerShow is the JSON of customers show: the profile and the
// accounts it owns over time.
type customerShow struct {
	Customer customer.Customer  `json:"customer"`
	Mappings []customer.Mapping `json:"mappings"`
}

func runCustomersShow(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	id, err := parseOne(fs, args, "customer id")
	if err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		c, err := db.Customer(id)
		if err != nil {
			return err
		}
		ms, err := db.MappingsOf(id)
		if err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(customerShow{Customer: c, Mappings: ms})
		}
		printCustomer(e.stdout, &c)
		fmt.Fprintln(e.stdout, "accounts:")
		if len(ms) == 0 {
			fmt.Fprintln(e.stdout, "  (none: rebill accounts map ACCOUNT --customer "+c.ID+")")
		}
		for _, m := range ms {
			fmt.Fprintf(e.stdout, "  %s  %s\n", m.Account, m.Months())
		}
		return nil
	})
}

func printCustomer(w io.Writer, c *customer.Customer) {
	width := 0
	for _, f := range customer.Fields {
		width = max(width, len(f.Name))
	}
	for _, f := range customer.Fields {
		fmt.Fprintf(w, "%-*s  %s\n", width+1, f.Name+":", f.Get(c))
	}
}

// customerFlags declares one flag per customer.Field (--name, --terms,
// --tax-rates, ...), so the command line reads values exactly as the CSV
// does.
func customerFlags(fs *flag.FlagSet) {
	for _, f := range customer.Fields {
		fs.String(f.Flag, "", f.Doc)
	}
}

// applyCustomerFlags sets the fields whose flags were given.
func applyCustomerFlags(fs *flag.FlagSet, c *customer.Customer) error {
	byFlag := map[string]customer.Field{}
	for _, f := range customer.Fields {
		byFlag[f.Flag] = f
	}
	var err error
	fs.Visit(func(fl *flag.Flag) {
		f, ok := byFlag[fl.Name]
		if !ok || err != nil {
			return
		}
		if e := f.Set(c, fl.Value.String()); e != nil {
			err = fmt.Errorf("--%s: %w", fl.Name, e)
		}
	})
	return err
}

func runCustomersAdd(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	customerFlags(fs)
	if err := noPositional(fs, args, "give the id with --id"); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !set["id"] || !set["name"] {
		return fmt.Errorf("--id and --name are required, e.g. rebill customers add --id ACME --name \"Acme Corp\"")
	}
	return e.withDB(func(db *store.DB) error {
		p, err := db.Profile()
		if err != nil {
			return err
		}
		c := p.Defaults().New()
		if err := applyCustomerFlags(fs, &c); err != nil {
			return err
		}
		if err := db.AddCustomer(c, e.now()); err != nil {
			return err
		}
		return e.printSaved(db, c.ID, *asJSON, "added")
	})
}

func runCustomersEdit(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	customerFlags(fs)
	supportFrom := fs.String("support-from", "", "with --support (and --support-percent): the plan applies from this YYYY-MM month on; earlier months keep the plan they had")
	from := fs.String("from", "", "the changed currency, adjustment, rules and recurring charges (and, with --support, the plan) apply from this YYYY-MM month on; default: the month after the customer's latest issued invoice")
	id, err := parseOne(fs, args, "customer id")
	if err != nil {
		return err
	}
	if err := checkMonthFlag("support-from", *supportFrom); err != nil {
		return err
	}
	if err := checkMonthFlag("from", *from); err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if *supportFrom != "" && !given["support"] {
		return errors.New("--support-from needs --support: name the plan that applies from that month")
	}
	if *supportFrom != "" && *from != "" && *supportFrom != *from {
		return fmt.Errorf("--support-from %s and --from %s disagree: give one month (--from dates the plan too)", *supportFrom, *from)
	}
	if given["support"] && *supportFrom == "" {
		*supportFrom = *from // --from dates the plan change as --support-from does
	}
	return e.withDB(func(db *store.DB) error {
		before, err := db.Customer(id)
		if err != nil {
			return err
		}
		after, err := db.UpdateCustomerFrom(id, *from, func(c *customer.Customer) error {
			if *supportFrom == "" {
				return applyCustomerFlags(fs, c)
			}
			// The plan flags describe the change from that month; the plan
			// before it stays as it is.
			plan, flat := c.Support, c.SupportFlat
			if err := applyCustomerFlags(fs, c); err != nil {
				return err
			}
			c.SetSupportFrom(*supportFrom, c.Support, c.SupportFlat)
			c.Support, c.SupportFlat = plan, flat
			return nil
		}, e.now())
		if err != nil {
			return err
		}
		if err := e.printSaved(db, id, *asJSON, "saved"); err != nil || *asJSON {
			return err
		}
		if s := view.TermsDated(before, after); s != "" {
			fmt.Fprintln(e.stdout, s)
		}
		return nil
	})
}

// customerDeleted is the JSON of customers delete.
type customerDeleted struct {
	ID      string `json:"id"`
	Deleted bool   `json:"deleted"`
}

func runCustomersDelete(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	id, err := parseOne(fs, args, "customer id")
	if err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		if err := db.DeleteCustomer(id, e.now()); err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(customerDeleted{ID: id, Deleted: true})
		}
		fmt.Fprintf(e.stdout, "Customer %s deleted; its history stays in the change log (rebill customers log %s).\n", id, id)
		return nil
	})
}

// printSaved prints a customer as stored (normalized) after add or edit.
func (e *env) printSaved(db *store.DB, id string, asJSON bool, verb string) error {
	c, err := db.Customer(id)
	if err != nil {
		return err
	}
	if asJSON {
		return e.printJSON(c)
	}
	fmt.Fprintf(e.stdout, "Customer %s %s.\n", id, verb)
	return nil
}

// csvImportReport is the JSON of a successful CSV import.
type csvImportReport struct {
	File   string `json:"file"`
	Status string `json:"status"`
	store.ImportReport
}

func runCustomersImport(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	from := fs.String("from", "", "the changed terms of existing customers apply from this YYYY-MM month on; default: the month after each one's latest issued invoice")
	file, err := parseOne(fs, args, "CSV file")
	if err != nil {
		return err
	}
	if err := checkMonthFlag("from", *from); err != nil {
		return err
	}
	return e.importCSV(file, *asJSON, "customers", func(db *store.DB, r io.Reader, now time.Time) (store.ImportReport, error) {
		return db.ImportCustomersCSVFrom(r, *from, now)
	})
}

// importCSV runs one of the store's CSV imports on a file and reports it.
func (e *env) importCSV(file string, asJSON bool, what string, imp func(*store.DB, io.Reader, time.Time) (store.ImportReport, error)) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	return e.withDB(func(db *store.DB) error {
		rep, err := imp(db, f, e.now())
		if err != nil {
			return e.reportImportError(asJSON, file, fmt.Errorf("%s: %w", file, err))
		}
		if asJSON {
			return e.printJSON(csvImportReport{File: file, Status: "imported", ImportReport: rep})
		}
		fmt.Fprintf(e.stdout, "%s: %s\n", file, view.Imported(what, rep))
		return nil
	})
}

// csvExportReport is the JSON of an export.
type csvExportReport struct {
	File string `json:"file"`
	Rows int    `json:"rows"`
}

func runCustomersExport(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	file, err := parseOne(fs, args, "CSV file")
	if err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		cs, err := db.Customers()
		if err != nil {
			return err
		}
		return e.exportCSV(file, *asJSON, len(cs), db.ExportCustomersCSV)
	})
}

// exportCSV writes an export to a file (atomically) or, for "-", to
// standard output.
func (e *env) exportCSV(file string, asJSON bool, rows int, write func(io.Writer) error) error {
	if file == "-" {
		if asJSON {
			return fmt.Errorf("--json and - (standard output) cannot be combined: the CSV is the output")
		}
		return write(e.stdout)
	}
	if err := writeFileAtomic(file, write); err != nil {
		return err
	}
	if asJSON {
		return e.printJSON(csvExportReport{File: file, Rows: rows})
	}
	fmt.Fprintf(e.stdout, "%s: %s written\n", file, view.Plural(rows, "row", "rows"))
	return nil
}

func runCustomersLog(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	id, err := parseOne(fs, args, "customer id")
	if err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		log, err := db.CustomerLog(id)
		if err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(log)
		}
		if len(log) == 0 {
			fmt.Fprintf(e.stdout, "No changes recorded for %s.\n", id)
			return nil
		}
		var rows [][]string
		for _, c := range log {
			rows = append(rows, []string{view.Moment(c.At), c.Kind, c.Key, describeChange(c) + termsFrom(c)})
		}
		e.table("WHEN\tWHAT\tKEY\tCHANGE", rows)
		if cur, err := db.Customer(id); err == nil && len(cur.TermsHistory) > 0 {
			fmt.Fprintln(e.stdout, "\nTerms by month:")
			var rows [][]string
			for _, ch := range cur.TermsLog() {
				from := ch.From
				if from == "" {
					from = "(beginning)"
				}
				rows = append(rows, []string{from, strings.Join(ch.Changes, "; ")})
			}
			e.table("FROM\tTERMS", rows)
		}
		return nil
	})
}

// termsFrom says from which month a customer change's terms apply, when
// the change dated them: " (terms from 2025-04)".
func termsFrom(c store.Change) string {
	var before, after customer.Customer
	if c.Kind != store.KindCustomer || json.Unmarshal(c.Old, &before) != nil || json.Unmarshal(c.New, &after) != nil {
		return ""
	}
	if from := after.EditedFrom(before); from != "" {
		return " (terms from " + from + ")"
	}
	return ""
}

// describeChange summarises a change for people: created, deleted, or the
// top-level fields that changed with their old and new values.
func describeChange(c store.Change) string {
	switch {
	case string(c.Old) == "null":
		return "created"
	case string(c.New) == "null":
		return "deleted"
	}
	var before, after map[string]json.RawMessage
	if json.Unmarshal(c.Old, &before) != nil || json.Unmarshal(c.New, &after) != nil {
		return "changed"
	}
	var parts []string
	delete(before, "terms_history") // said by termsFrom and the terms by month
	delete(after, "terms_history")
	for _, k := range sortedKeys(after) {
		if string(before[k]) != string(after[k]) {
			parts = append(parts, fmt.Sprintf("%s %s -> %s", k, before[k], after[k]))
		}
	}
	for _, k := range sortedKeys(before) { // a field left out when empty (omitempty) was cleared
		if _, ok := after[k]; !ok {
			parts = append(parts, fmt.Sprintf("%s %s -> (none)", k, before[k]))
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, "; ")
}
