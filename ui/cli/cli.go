// Package cli is Rebill's scriptable command line: the same engine and
// store as the window, for automation. Every command accepts --json and
// then prints exactly one JSON document on stdout; errors go to stderr and
// the exit code is non-zero.
package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"rebill/store"
	"rebill/ui/appinfo"
)

// Meta is the application's identity, read from FyneApp.toml.
type Meta = appinfo.Meta

// env carries what every command needs.
type env struct {
	meta   Meta
	dbPath string
	clock  func() time.Time
	stdout io.Writer
	stderr io.Writer
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(e *env, args []string) error
}

func commands() []command {
	return []command{
		{"import", "import provider billing files, their folders or manifests (AWS CUR and DBR, FOCUS, Azure, Partner Center, GCP, OCI, Rebill aggregates; see --format): one transaction", runImport},
		{"periods", "list imported months per provider and payer, with totals and finality", runPeriods},
		{"period", "close a month, reopen it (with a reason), or show its status: finality, earliest invoicing day, closes, late adjustments", runPeriod},
		{"holidays", "public holidays per country, skipped when counting business days: list, add, delete", runHolidays},
		{"distributor-invoice", "the distributor's invoices per provider and month: add, list, delete, import (CSV or detail file)", runDistributor},
		{"deliveries", "the delivery history of each month: list, restore (an earlier delivery), prune (rows no invoice needs)", runDeliveries},
		{"accounts", "usage accounts of a month and their owners: --period YYYY-MM, map, unmap, unassigned, mappings, import, export", runAccounts},
		{"customers", "customer profiles: list, show, add, edit, delete, import, export, log", runCustomers},
		{"credits", "the reseller's credits per customer: grant, list, balance", runCredits},
		{"profile", "the reseller's profile printed on invoices: show, set, logo", runProfile},
		{"report", "a month's statements, usage view or console variance per customer, without invoicing: --period YYYY-MM", runReport},
		{"reconcile", "a month's bridge from the distributor's invoice to the customers' invoices, every difference by cause: --period YYYY-MM", runReconcile},
		{"margin", "what the reseller pays against what it bills, per customer and service, by cause: --period YYYY-MM [--until YYYY-MM] [--xlsx FILE]", runMargin},
		{"invoices", "invoices from draft to closed: generate, list, show, approve, delete, close, void, credit-note, corrections, correct, export, send, next-number", runInvoices},
		{"ledger", "ledger exports of the issued documents (DATEV, Xero, QuickBooks, journal) and their account mapping: export, accounts", runLedger},
		{"payments", "payments received against invoices: add (an excess kept as credit on request), list, delete", runPayments},
		{"receivables", "open receivables by customer and days past due: [--as-of YYYY-MM-DD] [--json] [--xlsx FILE] [--pdf FILE]", runReceivables},
		{"statement-of-account", "a customer's documents and payments over a period, with balances, as PDF: CUSTOMER --from --until --out FILE", runStatementOfAccount},
		{"reminder", "a payment reminder letter for a Past Due invoice, as PDF: INVOICE --out FILE [--as-of YYYY-MM-DD]", runReminder},
		{"smtp", "the SMTP server invoices are sent through (password in the OS keyring): set, show, test", runSMTP},
		{"audit", "the invoice audit log: verify (detects an altered or removed entry), list, head", runAudit},
		{"check", "verify the database: its structure, every stored row's checksum, the audit log and every document against it", runCheck},
		{"backup", "write a consistent copy of the database to FILE, while the window may be open: FILE [--overwrite]", runBackup},
		{"restore", "replace the database with a backup, checked first; the current one is kept in the backups folder: FILE [--yes]", runRestore},
		{"backups", "the automatic backups kept from before each import and approval, listed; [--keep N] sets how many are kept (0 turns them off)", runBackups},
		{"rates", "exchange rates per currency pair and month: set, list, delete", runRates},
		{"producttypes", "which statement section a product code goes in: set, list, delete", runProductTypes},
		{"settings", "billing settings (provider-tax, rounding, support-base, provider-discounts): show, set", runSettings},
		{"support-plans", "support plans and their versions by month (AWS's presets, 2027 plans to confirm): list, show, set, add", runSupportPlans},
		{"price-tables", "volume price tables re-pricing a customer's own tiered usage (S3 storage, data transfer out): list, show, set", runPriceTables},
		{"serve", "serve the billing API (JSON over HTTP, OpenAPI at /openapi.json) until Ctrl+C: [--addr 127.0.0.1:8787]", runServe},
		{"api-key", "the billing API's keys: create (shown once), list, revoke", runAPIKey},
		{"version", "print the version", runVersion},
	}
}

// exitError carries a specific exit code.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// Run executes a command line (without the program name) and returns the
// process exit code. clock is the time every command stamps, issues and
// dates with: main passes time.Now, tests a fixed day.
func Run(args []string, meta Meta, clock func() time.Time, stdout, stderr io.Writer) int {
	dbPath, args, err := GlobalFlags(args)
	if err != nil {
		fmt.Fprintln(stderr, "rebill:", err)
		return 2
	}
	e := &env{meta: meta, dbPath: dbPath, clock: clock, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(e, args[1:])
			var ee exitError
			switch {
			case err == nil:
				return 0
			case errors.As(err, &ee):
				return ee.code
			case errors.Is(err, flag.ErrHelp):
				return 0
			default:
				fmt.Fprintf(stderr, "rebill %s: %s\n", c.name, cliMessage(err))
				return 1
			}
		}
	}
	fmt.Fprintf(stderr, "rebill: unknown command %q; run \"rebill help\" for the list\n", args[0])
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Rebill turns cloud providers' billing files into customer invoices.")
	fmt.Fprintln(w, "\nUsage:\n  rebill                      open the window\n  rebill [--db PATH] COMMAND [--json] [flags]")
	fmt.Fprintln(w, "\nCommands:")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, c := range commands() {
		fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nThe database is --db PATH, else $REBILL_DB, else the per-user default.")
}

// GlobalFlags takes --db PATH (anywhere before "--") out of args and
// returns the database to use: --db, else $REBILL_DB, else the default.
func GlobalFlags(args []string) (string, []string, error) {
	db := os.Getenv("REBILL_DB")
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest = append(rest, args[i:]...)
			i = len(args)
		case a == "--db" || a == "-db":
			if i+1 >= len(args) {
				return "", nil, errors.New("--db needs a file path")
			}
			db = args[i+1]
			i++
		case strings.HasPrefix(a, "--db=") || strings.HasPrefix(a, "-db="):
			db = a[strings.IndexByte(a, '=')+1:]
		default:
			rest = append(rest, a)
		}
	}
	if db == "" {
		p, err := store.DefaultPath()
		if err != nil {
			return "", nil, fmt.Errorf("finding the default database folder: %w (use --db PATH)", err)
		}
		db = p
	}
	return db, rest, nil
}

// parse parses flags that may come before or after positional arguments.
// A negative number ("-5") is a positional argument, not a flag, so that
// amounts read naturally.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		for len(args) > 0 && isNegativeNumber(args[0]) {
			positional = append(positional, args[0])
			args = args[1:]
		}
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

func isNegativeNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64) // a syntax check only: amounts are parsed as decimals
	return len(s) > 1 && s[0] == '-' && err == nil
}

func newFlags(e *env, name, usageLine string) (*flag.FlagSet, *bool) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: rebill %s\n", usageLine)
		fs.PrintDefaults()
	}
	asJSON := fs.Bool("json", false, "print one JSON document")
	return fs, asJSON
}

// open opens the database, creating it when there is none at the path,
// and then says so on standard error: a mistyped --db or $REBILL_DB
// otherwise answered "No billing data imported yet", as if the
// accountant's data were gone.
func (e *env) open() (*store.DB, error) {
	_, statErr := os.Stat(e.dbPath)
	db, err := store.Open(e.dbPath)
	if err == nil && errors.Is(statErr, fs.ErrNotExist) {
		fmt.Fprintf(e.stderr, "rebill: there was no database at %s: a new, empty one was created there (the database is --db PATH, else $REBILL_DB, else the default)\n", e.dbPath)
	}
	return db, err
}

// openExisting opens the database for a command that has nothing to do
// on a new one (backup, check): where there is no database it refuses,
// saying why doing it would mislead, and creates nothing. A backup of an
// empty database made at a mistyped path would look like a backup.
func (e *env) openExisting(why string) (*store.DB, error) {
	if _, err := os.Stat(e.dbPath); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("there is no database at %s: %s; nothing was created (the database is --db PATH, else $REBILL_DB, else the default)", e.dbPath, why)
	}
	return store.Open(e.dbPath)
}

// withDB opens the database, runs fn on it and closes it, so that a
// command cannot forget the close on one of its returns.
func (e *env) withDB(fn func(*store.DB) error) error {
	db, err := e.open()
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(db)
}

func (e *env) printJSON(v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func (e *env) table(header string, rows [][]string) {
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	tw.Flush()
}

func runVersion(e *env, args []string) error {
	fs, asJSON := newFlags(e, "version", "version [--json]")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *asJSON {
		return e.printJSON(map[string]any{"name": e.meta.Name, "id": e.meta.ID, "version": e.meta.Version, "build": e.meta.Build, "schema": store.SchemaVersion()})
	}
	fmt.Fprintf(e.stdout, "%s %s (build %d, database schema %d)\n", e.meta.Name, e.meta.Version, e.meta.Build, store.SchemaVersion())
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
