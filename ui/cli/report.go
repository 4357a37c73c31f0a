package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/document"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
	"rebill/store"
	"rebill/ui/view"
)

// providerSuffix names a statement's provider after its month, ", Microsoft
// Azure"; AWS statements, the only ones before other providers were
// billed, keep their heading.
func providerSuffix(p lineitem.Provider) string {
	if p == lineitem.AWS || p == "" {
		return ""
	}
	return ", " + billing.ProviderName(p)
}

// providerList names the providers --provider takes.
func providerList() string {
	names := make([]string, len(billing.BilledProviders))
	for i, p := range billing.BilledProviders {
		names[i] = string(p)
	}
	return strings.Join(names, ", ")
}

// reportViews are the views of `rebill report`, the statement first.
var reportViews = []string{"bill", "usage", "console"}

// basisNames says what each cost basis means, for the human output.
var basisNames = map[customer.CostBasis]string{
	customer.BasisRerated:   "re-rated (reservations and Savings Plans stay with their buyer)",
	customer.BasisUnblended: "unblended (as the payer was billed)",
	customer.BasisPublic:    "public on-demand prices",
	customer.BasisBlended:   "blended (for comparison only)",
}

// runReport prints customers' statements, or their usage or console
// views, for a month, without creating an invoice.
func runReport(e *env, args []string) error {
	fs, asJSON := newFlags(e, "report", "report --period YYYY-MM [--customer ID | --group G] [--view bill|usage|console] [--basis rerated|unblended|public|blended] [--credits] [--tax] [--marketplace] [--marketplace-credits] [--provider P] [--pass-partner-credit] [--trace SERVICE|SECTION] [--json]")
	period := fs.String("period", "", "billing month, YYYY-MM (required)")
	id := fs.String("customer", "", "one customer's id (default: every customer)")
	group := fs.String("group", "", "the customers of a group and its sub-groups, e.g. EMEA")
	view := fs.String("view", "bill", "bill (the statement), usage (each line item rounded first) or console (what the AWS console shows, and why it differs)")
	basis := fs.String("basis", "", "cost basis: rerated, unblended, public or blended (default: each customer's own)")
	credits := fs.Bool("credits", false, "apply the customers' reseller credits")
	tax := fs.Bool("tax", false, "add tax (the customer's rates, or the provider's Tax lines as the provider-tax setting says)")
	marketplace := fs.Bool("marketplace", false, "include AWS Marketplace charges")
	marketCredits := fs.Bool("marketplace-credits", false, "let reseller credits pay Marketplace charges (with --credits)")
	provider := fs.String("provider", "", "only this provider's statements: "+providerList()+" (default: one per provider each customer has)")
	passPEC := fs.Bool("pass-partner-credit", false, "pass Microsoft's partner earned credit on to the customers (default: it is the reseller's margin)")
	trace := fs.String("trace", "", "after each statement, explain the lines of a service or section, as the window's trace does (e.g. Support, AmazonEC2)")
	if err := noPositional(fs, args, "name the customer with --customer ID"); err != nil {
		return err
	}
	if err := checkPeriod(*period); err != nil {
		return err
	}
	sel := customer.Selection{All: *id == "" && *group == "", Group: *group}
	if *id != "" {
		sel.Customers = []string{*id}
	}
	if sel.Check() != nil {
		return errors.New("--customer and --group cannot be used together: choose one customer or one group")
	}
	if !contains(reportViews, *view) {
		return fmt.Errorf("--view %q is not one of %s", *view, strings.Join(reportViews, ", "))
	}
	b := customer.CostBasis(*basis)
	if _, ok := basisNames[b]; *basis != "" && !ok {
		return fmt.Errorf("--basis %q is not one of rerated, unblended, public, blended", *basis)
	}
	opt := billing.Options{Basis: b, Credits: *credits, Tax: *tax, Marketplace: *marketplace, MarketplaceCredits: *marketCredits,
		Provider: lineitem.Provider(strings.ToLower(*provider)), PassPartnerCredit: *passPEC}
	if err := checkOptions(opt); err != nil {
		return err
	}

	return e.withDB(func(db *store.DB) error {
		// One customer's report reads the sums of its accounts alone; a
		// group's or everyone's reads the whole month, whose unassigned
		// accounts it lists.
		read := db.BillingMonth
		if *id != "" {
			read = func(period string) (*store.BillingMonth, error) { return db.BillingMonthFor(period, sel) }
		}
		bm, err := read(*period)
		if err != nil {
			return err
		}
		cs, err := bm.Select(sel)
		if err != nil {
			return err
		}
		ids := make([]string, len(cs))
		for i, c := range cs {
			ids[i] = c.ID
		}
		reps, err := bm.Reports(ids, opt)
		if err != nil {
			return err
		}

		if *asJSON {
			docs := make([]any, len(reps))
			for i, r := range reps {
				switch *view {
				case "usage":
					docs[i] = r.Usage
				case "console":
					docs[i] = r.Console
				default:
					docs[i] = r // the statement, with "invoiced" once the month is
				}
			}
			if *id != "" && len(docs) == 1 {
				return e.printJSON(docs[0]) // one customer and provider: the statement itself
			}
			return e.printJSON(docs)
		}

		w := e.stdout
		for i, r := range reps {
			st := r.Statement
			if i > 0 {
				fmt.Fprintln(w, "\n"+strings.Repeat("=", 72)+"\n")
			}
			writeHeading(w, bm, st, *view)
			writeInvoiced(w, r.Invoiced)
			switch *view {
			case "usage":
				writeUsage(w, st)
			case "console":
				writeConsole(w, st)
			default:
				writeStatement(w, st)
				if *trace != "" {
					writeTraces(w, st, *trace)
				}
			}
		}
		if *id == "" {
			writeUnassigned(w, bm)
		}
		return nil
	})
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// writeHeading names the customer, month, view and what the figures are.
func writeHeading(w io.Writer, bm *store.BillingMonth, st *billing.Statement, view string) {
	title := map[string]string{"bill": "Statement", "usage": "Usage view", "console": "Console variance"}[view]
	fmt.Fprintf(w, "%s for %s (%s), %s%s\n", title, st.Customer, st.CustomerID, st.Period, providerSuffix(st.Options.Cloud()))
	fmt.Fprintf(w, "In %s; cost basis %s; rounding %s.\n", st.Currency, basisNames[st.Basis], st.Options.Rounding)
	var opts []string
	for _, o := range []struct {
		on   bool
		name string
	}{{st.Options.Credits, "credits"}, {st.Options.Tax, "tax (" + string(st.Options.ProviderTax) + " provider tax)"},
		{st.Options.Marketplace, "marketplace"}, {st.Options.MarketplaceCredits, "credits for marketplace"}} {
		if o.on {
			opts = append(opts, o.name)
		}
	}
	if len(opts) == 0 {
		opts = []string{"none"}
	}
	fmt.Fprintf(w, "Options: %s.\n", strings.Join(opts, ", "))
	if !bm.Final() {
		fmt.Fprintf(w, "Provisional data: the provider has not closed %s yet and may re-deliver it; these figures may change.\n", st.Period)
	}
	fmt.Fprintln(w)
}

// writeInvoiced says that the month is invoiced, and prints the issued
// invoice's figures beside the month computed again (view.NewInvoicedMonth).
func writeInvoiced(w io.Writer, r *invoice.Reported) {
	v, ok := view.NewInvoicedMonth(r)
	if !ok {
		return
	}
	fmt.Fprintln(w, v.Heading+".")
	rows := []row{view.InvoicedMonthHeader}
	for _, r := range v.Rows {
		c := r.Cells()
		rows = append(rows, append(row{"  " + c[0]}, c[1:]...))
	}
	writeAligned(w, []bool{false, true, true, true}, rows)
	for _, n := range v.Notes {
		fmt.Fprintln(w, n)
	}
	fmt.Fprintln(w)
}

// row is one line of an aligned listing.
type row []string

// writeAligned prints rows in columns, right-aligning the columns marked
// in right (amounts line up on the decimal point, since each has its
// currency's decimals). A nil row prints a rule under the widest row.
func writeAligned(w io.Writer, right []bool, rows []row) {
	widths := make([]int, len(right))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	total := 0
	for _, wd := range widths {
		total += wd + 2
	}
	for _, r := range rows {
		if r == nil {
			fmt.Fprintln(w, strings.Repeat("-", total-2))
			continue
		}
		var b strings.Builder
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if right[i] {
				b.WriteString(pad + c)
			} else {
				b.WriteString(c + pad)
			}
			if i < len(r)-1 {
				b.WriteString("  ")
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// truncate shortens a product name so the amounts stay on screen.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// writeStatement prints the statement as the invoice will show it: the
// sections with their lines and subtotals, then the figures computed from
// them. Every printed figure adds up to the total; the full-precision
// column is what each line was rounded from.
func writeStatement(w io.Writer, st *billing.Statement) {
	if len(st.Sections) == 0 {
		fmt.Fprintf(w, "No charges: no account of %s has line items in %s.\n\n", st.CustomerID, st.Period)
	}
	rows := []row{{"", "", "AMOUNT", "FULL PRECISION"}}
	for _, s := range st.Sections {
		rows = append(rows, row{string(s.ProductType), "", "", ""})
		for _, l := range s.Lines {
			rows = append(rows, row{"  " + l.Service, truncate(l.Name, 44), view.Figure(l.Amount), view.GroupDigits(l.Unrounded.String())})
		}
		rows = append(rows, row{"  " + string(s.ProductType) + " subtotal", "", view.Figure(s.Subtotal), ""})
	}
	rows = append(rows, nil, row{"Subtotal", "", view.Figure(st.Subtotal), ""})
	if !st.Support.IsZero() || !st.Marketplace.IsZero() {
		rows = append(rows, row{"  of which support", "", view.Figure(st.Support), ""}, row{"  of which marketplace", "", view.Figure(st.Marketplace), ""})
	}
	rows = append(rows, row{document.AdjustmentLabel(invoice.FiguresOf(st), ""), "", view.Figure(st.Discount), ""})
	rows = append(rows, row{"Reseller credits applied", "", view.Figure(st.CreditsApplied), ""})
	if len(st.TaxLines) == 0 {
		rows = append(rows, row{"Tax", "", view.Figure(st.Tax), ""})
	}
	for _, t := range st.TaxLines {
		rows = append(rows, row{"Tax: " + document.TaxLabel(t.Name, t.Percent, t.Base, st.Currency), "", view.Figure(t.Amount), view.GroupDigits(t.Unrounded.String())})
	}
	rows = append(rows, nil, row{"Total " + st.Currency, "", view.Figure(st.Total), view.GroupDigits(st.Unrounded.String())})
	writeAligned(w, []bool{false, false, true, true}, rows)

	fmt.Fprintf(w, "\nUsage view total %s: the bill differs by %s (each line item rounded first).\n", view.Figure(st.UsageViewTotal), view.Figure(st.Usage.Difference))
	if note := view.CreditsNote(st); note != "" {
		fmt.Fprintf(w, "Reseller credits: %s.\n", note)
	}
	for _, r := range st.Rates {
		fmt.Fprintf(w, "Exchange rate %s: 1 %s = %s %s (%s).\n", r.Period, r.From, r.Rate, r.To, r.Source)
	}
	for _, n := range st.Notes {
		fmt.Fprintf(w, "Note: %s.\n", n)
	}
}

// writeUsage prints the usage view against the bill, line by line.
func writeUsage(w io.Writer, st *billing.Statement) {
	u := st.Usage
	fmt.Fprintln(w, "Each line item rounded to the cent, then added up, against the bill (each service total rounded once).")
	fmt.Fprintln(w)
	rows := []row{{"PRODUCT TYPE", "SERVICE", "USAGE VIEW", "BILL", "DIFFERENCE"}}
	for _, l := range u.Lines {
		rows = append(rows, row{string(l.ProductType), l.Service, view.Figure(l.Usage), view.Figure(l.Bill), view.Figure(l.Difference)})
	}
	rows = append(rows, nil, row{"Total " + u.Currency, "", view.Figure(u.Total), view.Figure(u.Bill), view.Figure(u.Difference)})
	writeAligned(w, []bool{false, false, true, true, true}, rows)
}

// writeConsole prints, per service, what the AWS console shows against
// the statement and the causes of the difference.
func writeConsole(w io.Writer, st *billing.Statement) {
	v := st.Console
	fmt.Fprintln(w, "What the AWS console shows for the customer's accounts, against the statement.")
	fmt.Fprintln(w)
	rows := []row{{"SERVICE", "CONSOLE UNBLENDED", "CONSOLE BLENDED", "STATEMENT", "DIFFERENCE", "CAUSE"}}
	for _, l := range v.Lines {
		rows = append(rows, row{l.Service, view.Figure(l.ConsoleUnblended), view.Figure(l.ConsoleBlended), view.Figure(l.Statement), view.Figure(l.Difference), l.Cause})
	}
	t := v.Total
	rows = append(rows, nil, row{"Total " + v.Currency, view.Figure(t.ConsoleUnblended), view.Figure(t.ConsoleBlended), view.Figure(t.Statement), view.Figure(t.Difference), t.Cause})
	writeAligned(w, []bool{false, true, true, true, true, false}, rows)
	fmt.Fprintln(w)
	var parts []string
	for _, c := range []struct {
		name string
		a    billing.Amount
	}{{"re-rating", t.Rerating}, {"markup and discount", t.Markup}, {"support", t.Support}, {"rounding", t.Rounding},
		{"excluded", t.Excluded}, {"provider discounts kept as margin", t.Kept}, {"custom charges", t.Custom}, {"tax", t.Tax}, {"credits", t.Credits}} {
		if !c.a.IsZero() {
			parts = append(parts, c.name+" "+c.a.String())
		}
	}
	if len(parts) == 0 {
		parts = []string{"none"}
	}
	fmt.Fprintf(w, "Difference %s = %s.\n", t.Difference, strings.Join(parts, " + "))
}

// writeUnassigned warns about accounts no customer owns this month: their
// charges are on no statement.
func writeUnassigned(w io.Writer, bm *store.BillingMonth) {
	un := bm.Month.Unassigned()
	if len(un) == 0 {
		return
	}
	have, they := "have", "they are"
	if len(un) == 1 {
		have, they = "has", "it is"
	}
	fmt.Fprintf(w, "\n%s %s charges in %s but no customer, so %s on no statement (map them with rebill accounts map):\n",
		view.Plural(len(un), "account", "accounts"), have, bm.Period, they)
	rows := []row{}
	for _, a := range un {
		rows = append(rows, row{"  " + a.Account, a.Currency, a.Unblended.String()})
	}
	writeAligned(w, []bool{false, false, true}, rows)
}

// writeTraces prints the trace of every line whose service or section is
// match (case-insensitive), worded as the window's trace (view.NewTrace).
func writeTraces(w io.Writer, st *billing.Statement, match string) {
	found := false
	for _, s := range st.Sections {
		for _, l := range s.Lines {
			if l.Trace == nil || !strings.EqualFold(l.Service, match) && !strings.EqualFold(string(s.ProductType), match) {
				continue
			}
			found = true
			writeTrace(w, view.NewTrace(st, s.ProductType, l))
		}
	}
	if !found {
		fmt.Fprintf(w, "\nNo line of %s's statement is %q: give a service as printed (e.g. AmazonEC2) or a section (e.g. Support).\n", st.CustomerID, match)
	}
}

func writeTrace(w io.Writer, t view.Trace) {
	fmt.Fprintf(w, "\nTrace: %s\n", t.Title)
	writeFacts(w, t.Facts)
	for _, s := range t.Sections {
		fmt.Fprintln(w)
		if s.Title != "" {
			fmt.Fprintf(w, "%s\n", s.Title)
		}
		if s.Note != "" {
			fmt.Fprintf(w, "  %s\n", strings.ReplaceAll(s.Note, "\n", "\n  "))
		}
		writeFacts(w, s.Facts)
		if len(s.Header) > 0 {
			rows := []row{append(row{" "}, s.Header...)}
			for _, r := range s.Rows {
				rows = append(rows, append(row{" "}, r...))
			}
			writeAligned(w, append([]bool{false}, s.Right...), rows)
		}
	}
}

func writeFacts(w io.Writer, facts [][2]string) {
	width := 0
	for _, f := range facts {
		width = max(width, utf8.RuneCountInString(f[0]))
	}
	for _, f := range facts {
		fmt.Fprintf(w, "  %-*s  %s\n", width+1, f[0]+":", f[1])
	}
}
