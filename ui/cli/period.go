package cli

import (
	"bufio"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/distributor"
	"rebill/engine/invoice"
	"rebill/engine/money"
	"rebill/engine/period"
	"rebill/store"
	"rebill/ui/appinfo"
	"rebill/ui/view"
)

func periodVerbs() []subcommand {
	return []subcommand{
		{"close", "close YYYY-MM|--period YYYY-MM [--provider P] [--reason TEXT] [--json]", runPeriodClose},
		{"reopen", "reopen YYYY-MM|--period YYYY-MM [--provider P] --reason TEXT [--json]", runPeriodReopen},
		{"status", "status YYYY-MM|--period YYYY-MM [--json]", runPeriodStatus},
		{"confirm-final", "confirm-final YYYY-MM|--period YYYY-MM [--provider P] [--payer ID] --reason TEXT [--json]   (for files that never say their data is final)", runPeriodConfirmFinal},
	}
}

func runPeriod(e *env, args []string) error { return dispatch(e, "period", periodVerbs(), args) }

func runPeriodClose(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	return changePeriod(e, fs, asJSON, args, (*store.DB).ClosePeriod, "closed")
}

func runPeriodReopen(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	return changePeriod(e, fs, asJSON, args, (*store.DB).ReopenPeriod, "reopened")
}

func changePeriod(e *env, fs *flag.FlagSet, asJSON *bool, args []string,
	do func(*store.DB, store.PeriodChange) ([]period.Record, error), done string) error {
	provider := fs.String("provider", "", "only this provider's month (aws, azure, ...); default: every provider with data that month")
	reason := fs.String("reason", "", "why (kept in the history and the audit log; required to reopen)")
	month, err := parseMonthArg(fs, args)
	if err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		recs, err := do(db, store.PeriodChange{Period: month, Provider: *provider, Reason: *reason, By: appinfo.User(), Now: e.now()})
		if err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(recs)
		}
		for _, r := range recs {
			last, _ := r.Last()
			fmt.Fprintf(e.stdout, "%s %s %s %s by %s%s.\n", r.Provider, r.Period, done, view.Moment(last.At), orSomeone(last.By), because(last.Reason))
		}
		if done != "closed" {
			return nil
		}
		notes, err := db.CloseWarnings(month, *provider)
		if err != nil {
			return err
		}
		for _, n := range notes {
			fmt.Fprintf(e.stdout, "Note: %s.\n", n)
		}
		return nil
	})
}

// runPeriodConfirmFinal confirms a month's provisional data final on the
// accountant's word, for the files that never say it themselves (no
// invoice id: Azure EA and pay-as-you-go exports, FOCUS 1.0, GCP, OCI).
func runPeriodConfirmFinal(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	provider := fs.String("provider", "", "only this provider's data (aws, azure, ...); default: every provider with provisional data that month")
	payer := fs.String("payer", "", "only this payer account or billing account of the provider")
	reason := fs.String("reason", "", "what shows the data is final, e.g. the distributor's invoice number (required; kept with the delivery and in the audit log)")
	month, err := parseMonthArg(fs, args)
	if err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		ds, err := db.ConfirmFinal(store.FinalConfirmation{Period: month, Provider: *provider, Payer: *payer, Reason: *reason,
			By: appinfo.User(), Now: e.now()})
		if err != nil {
			return err
		}
		if *asJSON {
			out := make([]historyReport, len(ds))
			for i, d := range ds {
				out[i] = historyOf(d)
			}
			return e.printJSON(out)
		}
		for _, d := range ds {
			fmt.Fprintf(e.stdout, "%s %s payer %s: delivery %d (%s) is final, %s.\n", d.Provider, d.Period, d.Payer, d.ID,
				view.Amount(d.Currency, d.UnblendedCost, 2), view.Confirmed(d.Confirmed))
		}
		fmt.Fprintf(e.stdout, "A provisional re-delivery of %s no longer replaces it unless imported with --replace; the provider's own final data still does.\n", month)
		return nil
	})
}

func orSomeone(by string) string {
	if by == "" {
		return "an unknown user"
	}
	return by
}

func because(reason string) string {
	if reason == "" {
		return ""
	}
	return ": " + reason
}

func runPeriodStatus(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	month, err := parseMonthArg(fs, args)
	if err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		st, err := db.PeriodStatus(month)
		if err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(st)
		}
		writePeriodStatus(e.stdout, st)
		return nil
	})
}

// writePeriodStatus prints a month's finality, earliest invoicing day,
// close per provider and payer, history and late adjustments.
func writePeriodStatus(w io.Writer, st store.MonthStatus) {
	if len(st.Rows) == 0 {
		fmt.Fprintf(w, "Nothing is imported for %s: import its files first.\n", st.Period)
	}
	holidays := "no holidays counted"
	if st.Country != "" {
		holidays = fmt.Sprintf("holidays of %s counted: %d", st.Country, len(st.Holidays))
	}
	fmt.Fprintf(w, "%s: earliest invoicing %s (%d business days after month end; %s).\n", st.Period, st.EarliestInvoicing, period.WaitBusinessDays, holidays)
	if st.Note != "" {
		fmt.Fprintf(w, "Note: %s.\n", st.Note)
	}
	if len(st.Rows) > 0 {
		fmt.Fprintln(w)
		rows := []row{{"PROVIDER", "PAYER", "DATA", "STATUS", "SINCE", "BY", "REASON", "LATE ADJUSTMENTS"}}
		for _, r := range st.Rows {
			since := "–"
			if r.ClosedAt != nil {
				since = view.Moment(*r.ClosedAt)
			}
			rows = append(rows, row{r.Provider, r.Payer, finality(r.Final, r.Confirmed), string(r.Status), since, r.ClosedBy, r.Reason, strconv.Itoa(r.LateAdjustments)})
		}
		writeAligned(w, []bool{false, false, false, false, false, false, false, true}, rows)
		for _, r := range st.Rows {
			if r.Confirmed != nil {
				fmt.Fprintf(w, "Final data of %s payer %s %s.\n", r.Provider, r.Payer, view.Confirmed(r.Confirmed))
			}
		}
	}
	for _, p := range st.Providers {
		if len(p.Events) > 0 {
			fmt.Fprintf(w, "\nCloses and reopens of %s %s:\n", p.Provider, p.Period)
			for _, ev := range p.Events {
				fmt.Fprintf(w, "  %s  %s by %s%s\n", view.Moment(ev.At), strings.TrimPrefix(string(ev.Action), "period_"), orSomeone(ev.By), because(ev.Reason))
			}
		}
		if len(p.Late) > 0 {
			fmt.Fprintf(w, "\nLate adjustments of %s %s (imported while it was closed):\n", p.Provider, p.Period)
			for _, a := range p.Late {
				writeLate(w, a, "  ")
			}
		}
	}
}

// writeLate prints a late adjustment: the delivery, then what changed per
// customer, and where the corrections are made.
func writeLate(w io.Writer, a period.Adjustment, indent string) {
	fmt.Fprintf(w, "%sLATE ADJUSTMENT: %s %s payer %s was closed on %s; import %d made delivery %d current", indent, a.Provider, a.Period, a.Payer,
		view.Moment(a.ClosedAt), a.ImportID, a.Delivery)
	if a.Previous != 0 {
		fmt.Fprintf(w, " in place of delivery %d", a.Previous)
	}
	fmt.Fprintf(w, " on %s by %s: %s %s -> %s (%s).\n", view.Moment(a.At), orSomeone(a.By), a.Currency, a.Was, a.Now, signed(a.Now.Sub(a.Was)))
	if len(a.Customers) == 0 {
		fmt.Fprintf(w, "%s  No customer's accounts or services changed.\n", indent)
	}
	for _, c := range a.Customers {
		name := c.Customer
		if name == "" {
			name = "(unassigned accounts)"
		}
		fmt.Fprintf(w, "%s  %s: %s -> %s (%s)\n", indent, name, c.Was, c.Now, signed(c.By))
		for _, l := range c.Lines {
			fmt.Fprintf(w, "%s    %-7s  account %s  %s  %s -> %s (%s)\n", indent, l.Change, l.Account, l.Service, l.Was, l.Now, signed(l.By))
		}
	}
	fmt.Fprintf(w, "%s  Issued invoices do not change: rebill invoices corrections --period %s lists those that now compute otherwise, rebill invoices correct ID issues their credit note.\n", indent, a.Period)
}

func signed(d decimal.Decimal) string {
	if d.IsNegative() {
		return d.String()
	}
	return "+" + d.String()
}

// Holidays.

func holidayVerbs() []subcommand {
	return []subcommand{
		{"list", "list [--country CC] [--json]", runHolidaysList},
		{"add", "add YYYY-MM-DD [--name NAME] [--country CC] [--json]", runHolidaysAdd},
		{"delete", "delete YYYY-MM-DD [--country CC] [--json]", runHolidaysDelete},
	}
}

func runHolidays(e *env, args []string) error { return dispatch(e, "holidays", holidayVerbs(), args) }

// countryOf is --country, else the reseller profile's country.
func countryOf(db *store.DB, flagged string) (string, error) {
	if c := strings.ToUpper(strings.TrimSpace(flagged)); c != "" {
		return c, period.CheckCountry(c)
	}
	p, err := db.Profile()
	if err != nil {
		return "", err
	}
	if p.Country == "" {
		return "", fmt.Errorf("which country? Give --country CC, or set the reseller's with rebill profile set country CC (e.g. FR)")
	}
	return p.Country, nil
}

func runHolidaysList(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	country := fs.String("country", "", "the country, ISO 3166 two letters (default: every country)")
	return listing[period.Holiday]{
		load:   func(db *store.DB) ([]period.Holiday, error) { return db.Holidays(*country) },
		empty:  "No holidays entered: rebill holidays add YYYY-MM-DD --name NAME [--country CC] adds one; weekends are always skipped.",
		header: "COUNTRY\tDAY\tWEEKDAY\tNAME",
		row: func(h period.Holiday) []string {
			return []string{h.Country, h.Date.String(), h.Date.Time().Weekday().String()[:3], h.Name}
		},
	}.run(e, fs, asJSON, args)
}

func runHolidaysAdd(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	country := fs.String("country", "", "the country, ISO 3166 two letters (default: the reseller profile's)")
	name := fs.String("name", "", "the holiday's name, e.g. \"New Year's Day\"")
	day, err := parseOne(fs, args, "the day, YYYY-MM-DD")
	if err != nil {
		return err
	}
	d, err := invoice.ParseDate(day)
	if err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		cc, err := countryOf(db, *country)
		if err != nil {
			return err
		}
		h := period.Holiday{Country: cc, Date: d, Name: *name}
		if err := db.AddHoliday(h, e.now(), appinfo.User()); err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(h)
		}
		fmt.Fprintf(e.stdout, "%s %s (%s) is a holiday: it no longer counts as a business day.\n", cc, d, d.Time().Weekday())
		return nil
	})
}

func runHolidaysDelete(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	country := fs.String("country", "", "the country, ISO 3166 two letters (default: the reseller profile's)")
	day, err := parseOne(fs, args, "the day, YYYY-MM-DD")
	if err != nil {
		return err
	}
	d, err := invoice.ParseDate(day)
	if err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		cc, err := countryOf(db, *country)
		if err != nil {
			return err
		}
		if err := db.DeleteHoliday(cc, d, e.now(), appinfo.User()); err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(map[string]string{"country": cc, "deleted": d.String()})
		}
		fmt.Fprintf(e.stdout, "%s %s is a business day again.\n", cc, d)
		return nil
	})
}

// Distributor invoices.

func distributorVerbs() []subcommand {
	return []subcommand{
		{"add", "add --provider P --period YYYY-MM --number N --amount A [--tax T] [--currency C] [--date YYYY-MM-DD] [--rate R] [--json]", runDistributorAdd},
		{"list", "list [--period YYYY-MM] [--json]", runDistributorList},
		{"delete", "delete ID [--json]", runDistributorDelete},
		{"import", "import FILE [--number N] [--json]   (a CSV with columns " + strings.Join(distributor.Columns, ",") + ", or the distributor's detail file in a format rebill import reads)", runDistributorImport},
	}
}

func runDistributor(e *env, args []string) error {
	return dispatch(e, "distributor-invoice", distributorVerbs(), args)
}

func runDistributorAdd(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	provider := fs.String("provider", "", "the provider invoiced: aws, azure, ... (required)")
	month := fs.String("period", "", "the billing month invoiced, YYYY-MM (required)")
	number := fs.String("number", "", "the distributor's invoice number (required)")
	amount := fs.String("amount", "", "the amount before tax (required)")
	tax := fs.String("tax", "", "the tax (default 0)")
	currency := fs.String("currency", "", "the invoice's currency (default: the month's billing currency)")
	date := fs.String("date", "", "the invoice's date, YYYY-MM-DD")
	rate := fs.String("rate", "", "the exchange rate the invoice states: units of --currency per unit of the billing currency")
	if err := noPositional(fs, args, "every value is a flag"); err != nil {
		return err
	}
	if *provider == "" || *month == "" || *number == "" || *amount == "" {
		return fmt.Errorf("--provider, --period, --number and --amount are required")
	}
	d := distributor.Invoice{Provider: *provider, Period: *month, Number: *number, Currency: *currency}
	var err error
	if d.Amount, err = money.ParseTyped(*amount); err != nil {
		return fmt.Errorf("--amount: %w", err)
	}
	if *tax != "" {
		if d.Tax, err = money.ParseTyped(*tax); err != nil {
			return fmt.Errorf("--tax: %w", err)
		}
	}
	if *rate != "" {
		r, err := money.ParseTyped(*rate)
		if err != nil {
			return fmt.Errorf("--rate: %w", err)
		}
		d.Rate = &r
	}
	if *date != "" {
		if d.Date, err = invoice.ParseDate(*date); err != nil {
			return fmt.Errorf("--date: %w", err)
		}
	}
	return addDistributor(e, asJSON, func(db *store.DB) ([]distributor.Invoice, error) {
		return db.AddDistributorInvoices([]distributor.Invoice{d}, e.now(), appinfo.User())
	})
}

func addDistributor(e *env, asJSON *bool, add func(*store.DB) ([]distributor.Invoice, error)) error {
	return e.withDB(func(db *store.DB) error {
		ds, err := add(db)
		if err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(ds)
		}
		for _, d := range ds {
			fmt.Fprintf(e.stdout, "Recorded distributor invoice %s (id %d): %s %s, %s %s + tax %s = %s.\n", d.Number, d.ID, d.Provider, d.Period, d.Currency,
				view.CashFigure(d.Currency, d.Amount), view.CashFigure(d.Currency, d.Tax), view.CashFigure(d.Currency, d.Total()))
		}
		return nil
	})
}

func runDistributorList(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	month := fs.String("period", "", "only this billing month, YYYY-MM")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if err := checkMonthFlag("period", *month); err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		ds, err := db.DistributorInvoices(*month)
		if err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(ds)
		}
		if len(ds) == 0 && *month != "" {
			fmt.Fprintf(e.stdout, "No distributor invoice recorded for %s: rebill distributor-invoice add or import records one.\n", *month)
			return nil
		}
		if len(ds) == 0 {
			fmt.Fprintln(e.stdout, "No distributor invoices recorded: rebill distributor-invoice add or import records them.")
			return nil
		}
		rows := []row{{"ID", "PERIOD", "PROVIDER", "NUMBER", "DATE", "CURRENCY", "AMOUNT", "TAX", "TOTAL", "RATE", "SOURCE"}}
		for _, d := range ds {
			rate := ""
			if d.Rate != nil {
				rate = d.Rate.String()
			}
			rows = append(rows, row{strconv.FormatUint(d.ID, 10), d.Period, d.Provider, d.Number, d.Date.String(), d.Currency, view.CashFigure(d.Currency, d.Amount), view.CashFigure(d.Currency, d.Tax), view.CashFigure(d.Currency, d.Total()), rate, d.Source})
		}
		writeAligned(e.stdout, []bool{true, false, false, false, false, false, true, true, true, true, false}, rows)
		return nil
	})
}

func runDistributorDelete(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	ref, err := parseOne(fs, args, "the distributor invoice's id (rebill distributor-invoice list)")
	if err != nil {
		return err
	}
	id, err := strconv.ParseUint(ref, 10, 64)
	if err != nil {
		return fmt.Errorf("%q is not a distributor invoice id: rebill distributor-invoice list shows the ids", ref)
	}
	return e.withDB(func(db *store.DB) error {
		d, err := db.DeleteDistributorInvoice(id, e.now(), appinfo.User())
		if err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(d)
		}
		fmt.Fprintf(e.stdout, "Deleted distributor invoice %s (id %d, %s %s).\n", d.Number, d.ID, d.Provider, d.Period)
		return nil
	})
}

func runDistributorImport(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	number := fs.String("number", "", "for a detail file whose rows carry no invoice id: the distributor's invoice number")
	file, err := parseOne(fs, args, "the file to import")
	if err != nil {
		return err
	}
	isCSV, err := distributorCSV(file)
	if err != nil {
		return err
	}
	return addDistributor(e, asJSON, func(db *store.DB) ([]distributor.Invoice, error) {
		if isCSV {
			f, err := os.Open(file)
			if err != nil {
				return nil, err
			}
			defer f.Close()
			return db.ImportDistributorCSV(f, file, e.now(), appinfo.User())
		}
		ds, err := distributor.ReadDetail(context.Background(), file, *number)
		if err != nil {
			return nil, err
		}
		return db.AddDistributorInvoices(ds, e.now(), appinfo.User())
	})
}

// distributorCSV tells whether file is a distributor invoices CSV (its
// header names the required columns) rather than a provider detail file.
func distributorCSV(file string) (bool, error) {
	f, err := os.Open(file)
	if err != nil {
		return false, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		return false, err
	}
	line, err := bufio.NewReader(io.LimitReader(f, 64<<10)).ReadString('\n')
	if err != nil && line == "" {
		return false, nil
	}
	header, err := csv.NewReader(strings.NewReader(line)).Read()
	if err != nil {
		return false, nil
	}
	return distributor.IsCSV(header), nil
}

// parseMonthArg reads the month a period command takes, as its argument
// ("period close 2018-10") or, as every other command names a month,
// with --period.
func parseMonthArg(fs *flag.FlagSet, args []string) (string, error) {
	flagged := fs.String("period", "", "the month, YYYY-MM (or give it as the argument)")
	pos, err := parse(fs, args)
	if err != nil {
		return "", err
	}
	switch {
	case *flagged != "" && len(pos) > 0:
		return "", fmt.Errorf("give the month once: as the argument (%s) or with --period (%s)", strings.Join(pos, " "), *flagged)
	case *flagged != "":
		return *flagged, nil
	}
	return onePositional(pos, "month, YYYY-MM")
}
