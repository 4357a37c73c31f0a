package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/document"
	"rebill/engine/invoice"
	"rebill/engine/money"
	"rebill/store"
	"rebill/ui/view"
)

// The invoices and audit commands: thin wrappers over the store's
// invoice workflow (store/invoicing.go), which the window and the API use
// too. Nothing here decides anything about an invoice; it parses flags,
// calls one store function and prints what it returns.

func invoiceVerbs() []subcommand {
	return []subcommand{
		{"generate", "generate --period YYYY-MM (--all | --group G | --customers A,B) [--credits] [--tax] [--marketplace] [--marketplace-credits] [--pass-partner-credit] [--json]", runInvoicesGenerate},
		{"list", "list [--period YYYY-MM] [--status draft|open|past-due|closed|void] [--customer ID] [--json]", runInvoicesList},
		{"show", "show ID|NUMBER [--json]", runInvoicesShow},
		{"approve", "approve ID... | --all --period YYYY-MM [--json]", runInvoicesApprove},
		{"delete", "delete ID [--json]", runInvoicesDelete},
		{"close", "close ID|NUMBER --paid-on YYYY-MM-DD [--ref R] [--json]", runInvoicesClose},
		{"void", "void ID|NUMBER --reason R [--json]", runInvoicesVoid},
		{"credit-note", "credit-note ID|NUMBER [--amount A] --reason R [--json]", runInvoicesCreditNote},
		{"corrections", "corrections [--period YYYY-MM] [--json]", runInvoicesCorrections},
		{"correct", "correct ID|NUMBER [--json]", runInvoicesCorrect},
		{"export", "export ID|NUMBER --format pdf|xlsx|csv|detail-csv|ubl|cii|xrechnung|facturx [--currency C [--rate R] [--rate-source S]] --out FILE [--json]", runInvoicesExport},
		{"send", "send ID|NUMBER [--eml FILE] | send --month YYYY-MM [--eml-dir DIR] [--json]   (by SMTP when configured: rebill smtp)", runInvoicesSend},
		{"next-number", "next-number [N --reason R] [--json]   (without N: the number the next invoice takes)", runInvoicesNextNumber},
	}
}

func runInvoices(e *env, args []string) error {
	return dispatch(e, "invoices", invoiceVerbs(), args)
}

func auditVerbs() []subcommand {
	return []subcommand{
		{"verify", "verify [--json]", runAuditVerify},
		{"list", "list [--invoice ID|NUMBER] [--json]", runAuditList},
		{"head", "head [--json]", runAuditHead},
	}
}

func runAudit(e *env, args []string) error {
	return dispatch(e, "audit", auditVerbs(), args)
}

// invoiceDoc is an invoice's JSON as the CLI prints it: the stored value
// with its status as of now (past_due derived; the stored one in
// stored_status). Listings leave the sections and the logo out.
func invoiceDoc(inv invoice.Invoice, at time.Time, full bool) (json.RawMessage, error) {
	return inv.JSONAt(at, !full)
}

func runInvoicesGenerate(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	period := fs.String("period", "", "billing month, YYYY-MM (required)")
	all := fs.Bool("all", false, "every customer")
	group := fs.String("group", "", "the customers of a group and its sub-groups, e.g. EMEA")
	list := fs.String("customers", "", "customer ids, comma-separated, e.g. ACME,GLOBEX")
	credits := fs.Bool("credits", false, "apply the customers' reseller credits")
	tax := fs.Bool("tax", false, "add tax (the customer's rates, or the provider's Tax lines as the provider-tax setting says)")
	marketplace := fs.Bool("marketplace", false, "include AWS Marketplace charges")
	marketCredits := fs.Bool("marketplace-credits", false, "let reseller credits pay Marketplace charges (with --credits)")
	provisional := fs.Bool("allow-provisional", false, "generate even though a provider has not closed the month yet (its data is an estimate)")
	passPEC := fs.Bool("pass-partner-credit", false, "pass Microsoft's partner earned credit on to the customers (default: it is the reseller's margin)")
	if err := noPositional(fs, args, "name customers with --customers A,B"); err != nil {
		return err
	}
	if err := checkPeriod(*period); err != nil {
		return err
	}
	opt := billing.Options{Credits: *credits, Tax: *tax, Marketplace: *marketplace, MarketplaceCredits: *marketCredits,
		PassPartnerCredit: *passPEC}
	if err := checkOptions(opt); err != nil {
		return err
	}
	sel := customer.Selection{All: *all, Group: *group}
	for _, id := range strings.Split(*list, ",") {
		if id = strings.TrimSpace(id); id != "" {
			sel.Customers = append(sel.Customers, id)
		}
	}
	if sel.Check() != nil {
		return errors.New("choose the customers with exactly one of --all, --group G or --customers A,B")
	}
	return e.withDB(func(db *store.DB) error {
		if m, ok, err := db.MonthOf(*period); err != nil {
			return err
		} else if ok && !m.Final && !*provisional {
			return fmt.Errorf("%s is provisional: %s not closed the month yet, so its data is an estimate that may be re-delivered; wait for the final data (rebill period status %s); once the distributor has billed it, rebill period confirm-final %s --reason TEXT records that it is final (for files that never say so); or generate anyway with --allow-provisional",
				*period, view.OpenProviders(m), *period, *period)
		}
		at := e.now()
		rep, err := db.GenerateInvoices(store.GenerateRequest{Period: *period, Selection: sel, Now: at,
			Options: opt})
		if err != nil {
			return err
		}
		if *asJSON {
			err = e.printJSON(rep)
		} else {
			writeGenerated(e.stdout, rep)
		}
		if err == nil && rep.Count(store.Failed) > 0 {
			fmt.Fprintf(e.stderr, "rebill invoices generate: %s could not be invoiced; see their reasons\n", view.Plural(rep.Count(store.Failed), "customer", "customers"))
			return exitError{1}
		}
		return err
	})
}

// writeGenerated prints what generating did, customer by customer and
// provider by provider (one invoice each).
func writeGenerated(w io.Writer, rep store.GenerateReport) {
	if rep.Warning != "" {
		fmt.Fprintf(w, "Warning: %s.\n\n", rep.Warning)
	}
	rows := []row{{"CUSTOMER", "PROVIDER", "OUTCOME", "ID", "TOTAL", ""}}
	for _, g := range rep.Results {
		id, total := "", ""
		if g.Invoice != nil {
			id, total = g.Invoice.ID, g.Invoice.Currency+" "+view.Figure(g.Invoice.Total)
			if g.Invoice.Number != "" {
				id = g.Invoice.Number
			}
		}
		rows = append(rows, row{g.CustomerID, string(g.Provider), strings.ReplaceAll(string(g.Outcome), "_", " "), id, total, g.Reason})
	}
	writeAligned(w, []bool{false, false, false, false, true, false}, rows)
	fmt.Fprintf(w, "\n%s created, %d regenerated, %d already issued, %d with nothing to bill, %d failed.\n",
		view.Plural(rep.Count(store.Created), "draft", "drafts"), rep.Count(store.Replaced), rep.Count(store.Issued), rep.Count(store.NothingToBill), rep.Count(store.Failed))
	for _, g := range rep.Results {
		if g.Invoice == nil || g.Outcome != store.Created && g.Outcome != store.Replaced {
			continue
		}
		for _, n := range g.Invoice.Warnings {
			fmt.Fprintf(w, "For the accountant, %s (draft %s): %s\n", g.CustomerID, g.Invoice.ID, n)
		}
	}
	if rep.Count(store.Created)+rep.Count(store.Replaced) > 0 {
		fmt.Fprintf(w, "Review them (rebill invoices list --period %s --status draft; rebill invoices show ID), then approve: rebill invoices approve --all --period %s\n", rep.Period, rep.Period)
	}
}

// noInvoices explains an empty list by what it was asked for: with a
// status, that none has it (not that nothing was ever invoiced, which
// "rebill invoices list --status past-due" said when nothing was late).
func noInvoices(f store.InvoiceFilter) string {
	which := ""
	if f.Period != "" {
		which += " for " + f.Period
	}
	if f.Customer != "" {
		which += " of customer " + f.Customer
	}
	if f.Status != "" {
		return "No " + f.Status.Label() + " invoice" + which + ": without --status the list shows every status."
	}
	month := "YYYY-MM"
	if f.Period != "" {
		month = f.Period
	}
	return "No invoices" + which + " yet. Generate drafts with rebill invoices generate --period " + month + " --all."
}

func runInvoicesList(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	period := fs.String("period", "", "billing month, YYYY-MM (default: every month)")
	status := fs.String("status", "", "only this status: draft, open, past-due, closed or void")
	cust := fs.String("customer", "", "only this customer's")
	if err := noPositional(fs, args, ""); err != nil {
		return err
	}
	if err := checkMonthFlag("period", *period); err != nil {
		return err
	}
	f := store.InvoiceFilter{Period: *period, Customer: *cust}
	if *status != "" {
		var err error
		if f.Status, err = invoice.ParseStatus(*status); err != nil {
			return err
		}
	}
	return e.withDB(func(db *store.DB) error {
		at := e.now()
		// The table shows what lists show; --json prints every field.
		list, err := db.InvoiceList(f, at, *asJSON)
		if err != nil {
			return err
		}
		if *asJSON {
			docs := make([]json.RawMessage, 0, len(list.Invoices))
			for _, inv := range list.Invoices {
				d, err := inv.ListedJSONAt(at, list.Balances)
				if err != nil {
					return err
				}
				docs = append(docs, d)
			}
			return e.printJSON(docs)
		}
		if len(list.Invoices) == 0 {
			fmt.Fprintln(e.stdout, noInvoices(f))
			return nil
		}
		rows := []row{{"ID", "NUMBER", "KIND", "CUSTOMER", "PERIOD", "PROVIDER", "STATUS", "TOTAL", "BALANCE", "ISSUED", "DUE"}}
		for _, inv := range list.Invoices {
			balance := "-" // nothing is owed on it: a draft, a credit note, a settled or void invoice
			if b, ok := list.Balances[inv.ID]; ok {
				balance = view.Figure(b)
			}
			rows = append(rows, row{inv.ID, orNone(inv.Number), inv.Kind.Label(), inv.CustomerID, inv.Period, string(inv.Provider()), inv.StatusLabel(inv.Effective(at)),
				inv.Currency + " " + view.Figure(inv.Total), balance, inv.IssueDate.String(), inv.DueDate.String()})
		}
		writeAligned(e.stdout, []bool{true, false, false, false, false, false, false, true, true, false, false}, rows)
		return nil
	})
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// shownInvoice is a document with the documents that go with it.
type shownInvoice struct {
	inv invoice.Invoice
	rel invoice.Related
}

var runInvoicesShow = showing[shownInvoice]{
	what: "invoice id or number",
	load: func(db *store.DB, ref string) (shownInvoice, error) {
		inv, rel, err := db.InvoiceRelated(ref)
		return shownInvoice{inv, rel}, err
	},
	print: func(e *env, s shownInvoice, asJSON bool) error {
		if asJSON {
			d, err := s.inv.SettledJSONAt(e.now(), s.rel.Settlement)
			if err != nil {
				return err
			}
			return e.printJSON(d)
		}
		if err := e.printInvoice(s.inv, false); err != nil {
			return err
		}
		printRelated(e.stdout, s.inv, s.rel)
		printSettlement(e.stdout, s.inv, s.rel.Settlement)
		return nil
	},
}.run

// printSettlement lists what was credited and paid on an Open invoice and
// the balance, in the words of its documents' totals block.
func printSettlement(w io.Writer, inv invoice.Invoice, s *invoice.Settlement) {
	if s == nil {
		return
	}
	v := inv.View()
	v.Settlement = s
	var labels, amounts []string
	width := 0
	for _, r := range document.SummaryRows(v) {
		if r.Settlement {
			labels, amounts = append(labels, r.Label), append(amounts, r.Amount.Currency()+" "+view.Figure(r.Amount))
			width = max(width, len(labels[len(labels)-1])+len(amounts[len(amounts)-1]))
		}
	}
	fmt.Fprintln(w, "Since it was issued:")
	for i := range labels {
		fmt.Fprintf(w, "  %s  %*s\n", labels[i], width-len(labels[i]), amounts[i])
	}
}

// printRelated names an invoice's credit notes (those that count, as the
// engine tells them) and what is left to credit.
func printRelated(w io.Writer, inv invoice.Invoice, rel invoice.Related) {
	if len(rel.CreditNotes) == 0 {
		return
	}
	var notes []string
	for _, n := range rel.CreditNotes {
		notes = append(notes, orNone(n.Number)+" ("+n.Currency+" "+view.Figure(n.Total)+")")
	}
	if rel.CreditedInFull {
		fmt.Fprintf(w, "Credited in full by: %s.\n", strings.Join(notes, ", "))
		return
	}
	fmt.Fprintf(w, "Credited by: %s; %s %s left to credit.\n", strings.Join(notes, ", "), inv.Currency, view.Figure(rel.Left))
}

// printInvoice prints one invoice: its full JSON, or as the customer
// will read it.
func (e *env) printInvoice(inv invoice.Invoice, asJSON bool) error {
	at := e.now()
	if asJSON {
		d, err := invoiceDoc(inv, at, true)
		if err != nil {
			return err
		}
		return e.printJSON(d)
	}
	w := e.stdout
	title := strings.ToUpper(inv.Kind.Label()[:1]) + inv.Kind.Label()[1:]
	fmt.Fprintf(w, "%s %s (id %s), %s\n", title, orNone(inv.Number), inv.ID, inv.StatusLabel(inv.Effective(at)))
	fmt.Fprintf(w, "%s (%s), billing period %s%s, in %s\n", inv.Customer.Name, inv.CustomerID, inv.Period, providerSuffix(inv.Provider()), inv.Currency)
	if !inv.IssueDate.IsZero() {
		fmt.Fprintf(w, "Issued %s", inv.IssueDate)
		if !inv.DueDate.IsZero() {
			fmt.Fprintf(w, ", due %s", inv.DueDate)
		}
		fmt.Fprintln(w, ".")
	}
	if inv.CorrectsNumber != "" {
		fmt.Fprintf(w, "Credits invoice %s: %s\n", inv.CorrectsNumber, inv.Reason)
	}
	switch inv.Status {
	case invoice.Closed:
		fmt.Fprintf(w, "%s on %s%s.\n", inv.Settled(), inv.PaidDate, prefixed(", reference ", inv.PaymentRef))
	case invoice.Void:
		fmt.Fprintf(w, "Voided on %s: %s.\n", inv.VoidDate, inv.VoidReason)
	}
	fmt.Fprintln(w)
	rows := []row{}
	for _, s := range inv.Sections {
		rows = append(rows, row{string(s.ProductType), "", ""})
		for _, l := range s.Lines {
			rows = append(rows, row{"  " + l.Service, truncate(l.Name, 44), view.Figure(l.Amount)})
		}
		rows = append(rows, row{"  " + string(s.ProductType) + " subtotal", "", view.Figure(s.Subtotal)})
	}
	rows = append(rows, nil, row{"Subtotal", "", view.Figure(inv.Subtotal)})
	if !inv.Support.IsZero() || !inv.Marketplace.IsZero() {
		rows = append(rows, row{"  of which support", "", view.Figure(inv.Support)}, row{"  of which marketplace", "", view.Figure(inv.Marketplace)})
	}
	disc := document.AdjustmentLabel(inv.Figures, inv.Seller.UpliftWording)
	rows = append(rows, row{disc, "", view.Figure(inv.Discount)}, row{"Reseller credits applied", "", view.Figure(inv.CreditsApplied)})
	if len(inv.TaxLines) == 0 {
		rows = append(rows, row{"Tax", "", view.Figure(inv.Tax)})
	}
	for _, t := range inv.TaxLines {
		rows = append(rows, row{"Tax: " + document.TaxLabel(t.Name, t.Percent, t.Base, inv.Currency), "", view.Figure(t.Amount)})
	}
	rows = append(rows, nil, row{"Total " + inv.Currency, "", view.Figure(inv.Total)})
	writeAligned(w, []bool{false, false, true}, rows)
	for _, n := range inv.Notes {
		fmt.Fprintf(w, "Note: %s\n", n)
	}
	for _, n := range inv.Warnings {
		fmt.Fprintf(w, "For the accountant: %s\n", n)
	}
	return nil
}

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

// approvalDoc is one approval as approve --json prints it.
type approvalDoc struct {
	ID      string          `json:"id"`
	Invoice json.RawMessage `json:"invoice,omitempty"`
	Refused string          `json:"refused,omitempty"`
}

func runInvoicesApprove(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	all := fs.Bool("all", false, "every draft of --period")
	period := fs.String("period", "", "billing month of --all, YYYY-MM")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case *all && len(pos) > 0:
		return errors.New("give either draft ids or --all --period YYYY-MM, not both")
	case *all:
		if err := checkPeriod(*period); err != nil {
			return fmt.Errorf("--all approves a month's drafts: %w", err)
		}
	case len(pos) == 0:
		return errors.New("name the drafts to approve (rebill invoices list --status draft shows them), or use --all --period YYYY-MM")
	case *period != "":
		return errors.New("--period goes with --all; approving named drafts needs no month")
	}
	return e.withDB(func(db *store.DB) error {
		at := e.now()
		var as []store.Approval
		if *all {
			as, err = db.ApproveDrafts(*period, at)
		} else {
			as, err = db.ApproveInvoices(pos, at)
		}
		if err != nil {
			return err
		}
		refused := 0
		docs := make([]approvalDoc, 0, len(as))
		for _, a := range as {
			d := approvalDoc{ID: a.ID, Refused: a.Refused}
			if a.Invoice != nil {
				if d.Invoice, err = invoiceDoc(*a.Invoice, at, false); err != nil {
					return err
				}
			} else {
				refused++
			}
			docs = append(docs, d)
		}
		// Issued on a month a provider has not closed: said as the window
		// says it before approving (generate asked for --allow-provisional).
		warned := map[string]bool{}
		for _, a := range as {
			if a.Invoice == nil || warned[a.Invoice.Period] {
				continue
			}
			warned[a.Invoice.Period] = true
			if m, ok, err := db.MonthOf(a.Invoice.Period); err == nil && ok && !m.Final {
				fmt.Fprintf(e.stderr, "Warning: %s not closed %s yet: its invoices were approved on estimated data and may need a correction once it is final (rebill invoices corrections --period %s).\n",
					view.OpenProviders(m), m.Period, m.Period)
			}
		}
		if *asJSON {
			if err := e.printJSON(docs); err != nil {
				return err
			}
		} else {
			for _, a := range as {
				if a.Invoice != nil {
					inv := a.Invoice
					fmt.Fprintf(e.stdout, "Approved %s: %s %s, %s %s, due %s.\n", inv.Number, inv.CustomerID, inv.Period, inv.Currency, view.Figure(inv.Total), inv.DueDate)
				}
			}
		}
		for _, a := range as {
			if a.Err != nil {
				fmt.Fprintf(e.stderr, "rebill invoices approve: %s refused: %s\n", a.ID, cliMessage(a.Err))
			}
		}
		if refused > 0 {
			return exitError{1}
		}
		return nil
	})
}

// oneInvoiceCommand runs a verb that takes one invoice and changes it:
// it parses the flags, calls do with the open database and prints the
// invoice do returns.
func oneInvoiceCommand(e *env, fs *flag.FlagSet, asJSON *bool, args []string, check func() error,
	do func(db *store.DB, ref string) (invoice.Invoice, error), done string) error {
	ref, err := parseOne(fs, args, "invoice id or number")
	if err != nil {
		return err
	}
	if check != nil {
		if err := check(); err != nil {
			return err
		}
	}
	return e.withDB(func(db *store.DB) error {
		inv, err := do(db, ref)
		if err != nil {
			return err
		}
		if *asJSON {
			return e.printInvoice(inv, true)
		}
		fmt.Fprintf(e.stdout, "%s %s.\n", strings.ToUpper(inv.Label()[:1])+inv.Label()[1:], done)
		return nil
	})
}

func runInvoicesDelete(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	return oneInvoiceCommand(e, fs, asJSON, args, nil, func(db *store.DB, ref string) (invoice.Invoice, error) {
		return db.DeleteInvoice(ref, e.now())
	}, "deleted (it had no number, so none is lost)")
}

func runInvoicesClose(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	paidOn := fs.String("paid-on", "", "the day it was paid, YYYY-MM-DD (required)")
	ref := fs.String("ref", "", "the payment's reference")
	var paid invoice.Date
	check := func() error {
		if *paidOn == "" {
			return errors.New("--paid-on YYYY-MM-DD is required: the day the payment was received")
		}
		var err error
		paid, err = invoice.ParseDate(*paidOn)
		return err
	}
	return oneInvoiceCommand(e, fs, asJSON, args, check, func(db *store.DB, r string) (invoice.Invoice, error) {
		return db.CloseInvoice(r, paid, *ref, e.now())
	}, "closed: what was open on it is recorded as paid (rebill payments list)")
}

func runInvoicesVoid(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	reason := fs.String("reason", "", "why it is cancelled (printed on the voided document; required)")
	check := func() error {
		if strings.TrimSpace(*reason) == "" {
			return errors.New("--reason is required: it is printed on the voided document")
		}
		return nil
	}
	return oneInvoiceCommand(e, fs, asJSON, args, check, func(db *store.DB, ref string) (invoice.Invoice, error) {
		return db.VoidInvoice(ref, *reason, e.now())
	}, "voided; its number stays used")
}

func runInvoicesCreditNote(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	amountText := fs.String("amount", "", "how much to credit, tax included (default: all that is left)")
	reason := fs.String("reason", "", "why (printed on the credit note; required)")
	var amount decimal.Decimal
	check := func() error {
		if strings.TrimSpace(*reason) == "" {
			return errors.New("--reason is required: it is printed on the credit note")
		}
		if *amountText == "" {
			return nil
		}
		var err error
		if amount, err = invoice.ParseCreditAmount(*amountText); err != nil {
			return fmt.Errorf("--amount: %w", err)
		}
		return nil
	}
	return oneInvoiceCommand(e, fs, asJSON, args, check, func(db *store.DB, ref string) (invoice.Invoice, error) {
		return db.IssueCreditNote(store.CreditRequest{Invoice: ref, Amount: amount, Reason: *reason, Now: e.now()})
	}, "issued")
}

func runInvoicesCorrections(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	period := fs.String("period", "", "billing month, YYYY-MM (default: every month)")
	if err := noPositional(fs, args, ""); err != nil {
		return err
	}
	if err := checkMonthFlag("period", *period); err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		rep, err := db.Corrections(*period)
		if err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(rep)
		}
		w := e.stdout
		for _, u := range rep.Unchecked {
			fmt.Fprintf(w, "Not checked: %s: %s.\n", u.Invoice, u.Reason)
		}
		if len(rep.Changed) == 0 {
			fmt.Fprintf(w, "%s checked: every one matches its month's data.\n", view.Plural(rep.Checked, "issued invoice", "issued invoices"))
			return nil
		}
		differ := "differ"
		if len(rep.Changed) == 1 {
			differ = "differs"
		}
		fmt.Fprintf(w, "%d of %s %s from the month's data now:\n", len(rep.Changed), view.Plural(rep.Checked, "issued invoice", "issued invoices"), differ)
		for _, c := range rep.Changed {
			d := c.Difference
			fmt.Fprintf(w, "\n%s (%s, %s): total %s %s, now %s, change %s\n", c.Invoice.Label(), c.Invoice.CustomerID, c.Invoice.Period,
				d.Currency, d.Total.Was, d.Total.Now, d.Total.By)
			rows := []row{}
			for _, r := range d.Rows() {
				first, second := r.Name, ""
				if r.IsLine() {
					first, second = string(r.Section), r.Service
				}
				rows = append(rows, row{"  " + first, second, r.Was.String(), r.Now.String(), r.By.String()})
			}
			if len(rows) > 0 {
				writeAligned(w, []bool{false, false, true, true, true}, append([]row{{"", "", "WAS", "NOW", "CHANGE"}}, rows...))
			}
			if c.Correctable {
				fmt.Fprintf(w, "Correct it with: rebill invoices correct %s\n", c.Invoice.Number)
			} else {
				fmt.Fprintf(w, "Not correctable by a credit note: %s.\n", c.Advice)
			}
		}
		return nil
	})
}

// correctionDoc is the JSON of correct: the difference, the credit note
// issued and the replacement draft, if one was needed.
type correctionDoc struct {
	Difference  invoice.Difference `json:"difference"`
	CreditNote  json.RawMessage    `json:"credit_note"`
	Replacement json.RawMessage    `json:"replacement,omitempty"`
}

func runInvoicesCorrect(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	ref, err := parseOne(fs, args, "invoice id or number")
	if err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		at := e.now()
		corr, err := db.Correct(ref, at)
		if err != nil {
			return err
		}
		if *asJSON {
			doc := correctionDoc{Difference: corr.Difference}
			if doc.CreditNote, err = invoiceDoc(corr.CreditNote, at, true); err != nil {
				return err
			}
			if corr.Replacement != nil {
				if doc.Replacement, err = invoiceDoc(*corr.Replacement, at, true); err != nil {
					return err
				}
			}
			return e.printJSON(doc)
		}
		n := corr.CreditNote
		fmt.Fprintf(e.stdout, "Issued %s of %s %s against %s.\n", n.Label(), n.Currency, n.Total, n.CorrectsNumber)
		if r := corr.Replacement; r != nil {
			fmt.Fprintf(e.stdout, "Drafted the replacement invoice (id %s) of %s %s: review it, then rebill invoices approve %s\n", r.ID, r.Currency, r.Total, r.ID)
		}
		return nil
	})
}

// exportDoc is the JSON of export.
type exportDoc struct {
	store.Exported
	File string `json:"file"`
}

func runInvoicesExport(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	format := fs.String("format", "", "pdf, xlsx, csv (the invoice's lines), detail-csv (its source line items), or an e-invoice: ubl (Peppol BIS Billing 3.0), cii (EN 16931), xrechnung, facturx (PDF/A-3 with the CII); required")
	currency := fs.String("currency", "", "display currency, e.g. EUR (the invoice keeps its own)")
	rateText := fs.String("rate", "", "display rate: how many --currency one unit of the invoice's currency buys (default: the rate entered for the month)")
	source := fs.String("rate-source", "", "where the rate comes from, printed on the document (e.g. \"ECB reference rate\")")
	out := fs.String("out", "", "file to write (required)")
	ref, err := parseOne(fs, args, "invoice id or number")
	if err != nil {
		return err
	}
	f, err := document.ParseFormat(*format)
	if err != nil {
		return fmt.Errorf("--format: %w", err)
	}
	if *out == "" {
		return errors.New("--out FILE is required: where to write the document")
	}
	req := store.ExportRequest{Invoice: ref, Format: f, Now: e.now()}
	switch {
	case *currency != "":
		req.Display = &store.Display{Currency: *currency, Source: *source}
		if *rateText != "" {
			r, err := money.ParseTyped(*rateText)
			if err != nil {
				return fmt.Errorf("--rate: %w", err)
			}
			if !r.IsPositive() { // zero would mean "the rate entered for the month"
				return fmt.Errorf("--rate %q is not a positive number", *rateText)
			}
			req.Display.Rate = r
		}
	case *rateText != "" || *source != "":
		return errors.New("--rate and --rate-source go with --currency: name the display currency")
	}
	return e.withDB(func(db *store.DB) error {
		// The file is moved in place before the export is recorded: an export
		// that fails leaves no file and no audit entry.
		file, commit, abort, err := createAtomic(*out)
		if err != nil {
			return err
		}
		defer abort()
		req.Done = commit
		got, err := db.ExportInvoice(req, file)
		if err != nil {
			return fmt.Errorf("writing %s: %w", *out, err)
		}
		if *asJSON {
			return e.printJSON(exportDoc{Exported: got, File: *out})
		}
		fmt.Fprintf(e.stdout, "Wrote %s (%s, %s, SHA-256 %s).\n", *out, got.Format, view.ByteSize(got.Bytes), got.SHA256[:16])
		if got.Audit != nil {
			fmt.Fprintf(e.stdout, "Printed on it: %s (keep it outside the database).\n", document.AuditText(got.Audit))
		}
		return nil
	})
}

// auditVerifyDoc is the JSON of audit verify.
type auditVerifyDoc struct {
	Intact    bool   `json:"intact"`
	Entries   uint64 `json:"entries"`
	Head      string `json:"head,omitempty"`
	Documents int    `json:"documents"`
	Problem   string `json:"problem,omitempty"`
	// Problems are every finding, the chain's and the documents'.
	Problems []store.Finding `json:"problems,omitempty"`
}

// runAuditVerify checks the chain and that every document agrees with it
// (store.CheckAudit): an emptied or cut log is not intact while issued
// documents have no entries.
func runAuditVerify(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	if err := noPositional(fs, args, ""); err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		rep, err := db.CheckAudit()
		if err != nil {
			return err
		}
		head := rep.Checked.AuditHead
		doc := auditVerifyDoc{Intact: rep.OK(), Entries: head.Seq, Head: head.Hash, Documents: rep.Checked.Documents, Problems: rep.Findings}
		if !rep.OK() {
			doc.Problem = rep.Findings[0].Subject + ": " + rep.Findings[0].Problem
		}
		if *asJSON {
			if err := e.printJSON(doc); err != nil {
				return err
			}
		} else if rep.OK() {
			fmt.Fprintf(e.stdout, "The invoice audit log is intact: %s, hash-chained, ending at %s; %s.\n",
				view.Plural(int(head.Seq), "entry", "entries"), orNone(head.Hash), view.Plural(rep.Checked.Documents, "document matches it", "documents match it"))
		} else {
			printFindings(e, db.Path(), rep.Findings)
		}
		if !rep.OK() {
			return fmt.Errorf("the invoice audit log was tampered with: %s; restore the database from a backup and compare", doc.Problem)
		}
		return nil
	})
}

func runAuditList(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	ref := fs.String("invoice", "", "only the entries of this invoice (id or number)")
	if err := noPositional(fs, args, ""); err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		out, err := db.AuditLogOf(*ref)
		if err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(out)
		}
		rows := []row{{"SEQ", "TIME (UTC)", "ACTION", "INVOICE", "HASH"}}
		for _, en := range out {
			rows = append(rows, row{fmt.Sprint(en.Seq), en.Time.UTC().Format(time.DateTime), string(en.Action), en.Invoice, en.Hash[:16]})
		}
		writeAligned(e.stdout, []bool{true, false, false, true, false}, rows)
		return nil
	})
}

// nextNumberDoc is the JSON of invoices next-number: the invoice series
// after the command, and the number an invoice approved today would take.
type nextNumberDoc struct {
	invoice.Numbering
	NextInvoice string `json:"next_invoice"`
	// Moved is true when the command moved the series; Reason is why.
	Moved  bool   `json:"moved"`
	Reason string `json:"reason,omitempty"`
}

// runInvoicesNextNumber shows the invoice counter, or moves it forward to
// N with a reason (store.MoveInvoiceNumbering, which records the move in
// the audit log). The counter is not a profile setting: approving
// invoices advances it, and only this command skips numbers.
func runInvoicesNextNumber(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	reason := fs.String("reason", "", "why numbers are skipped (kept in the audit log; required with N)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	next := 0
	switch {
	case len(pos) > 1:
		return fmt.Errorf("expected at most one number, got %s: %s", view.Plural(len(pos), "argument", "arguments"), strings.Join(pos, " "))
	case len(pos) == 1:
		if next, err = strconv.Atoi(pos[0]); err != nil {
			return fmt.Errorf("%q is not a whole number: give the sequence number the next invoice should take, e.g. rebill invoices next-number 120 --reason R", pos[0])
		}
		if strings.TrimSpace(*reason) == "" {
			return errors.New("--reason is required: numbers skipped leave a gap in the series, and the audit log keeps why")
		}
	case *reason != "":
		return errors.New("--reason goes with N, the number the next invoice should take")
	}
	return e.withDB(func(db *store.DB) error {
		before, err := db.InvoiceNumbering()
		if err != nil {
			return err
		}
		n := before
		if len(pos) == 1 {
			if n, err = db.MoveInvoiceNumbering(next, *reason, e.now()); err != nil {
				return err
			}
		}
		doc := nextNumberDoc{Numbering: n, Moved: n.Next != before.Next}
		if doc.Moved {
			doc.Reason = strings.TrimSpace(*reason)
		}
		if doc.NextInvoice, _, err = n.Peek(1, invoice.DateOf(e.now())); err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(doc)
		}
		if doc.Moved {
			fmt.Fprintf(e.stdout, "The next invoice now takes number %d (%s if approved today); %s unused, and the reason is in the audit log.\n",
				n.Next, doc.NextInvoice, skipped(before.Next, n.Next))
			return nil
		}
		fmt.Fprintf(e.stdout, "The next invoice takes number %d (%s if approved today). Move it forward with rebill invoices next-number N --reason R.\n", n.Next, doc.NextInvoice)
		return nil
	})
}

// skipped names the sequence numbers a move from one next number to
// another leaves unused.
func skipped(from, to int) string {
	if to-from == 1 {
		return fmt.Sprintf("number %d is left", from)
	}
	return fmt.Sprintf("numbers %d to %d are left", from, to-1)
}

// checkOptions refuses contradicting choices (billing.Options.Check),
// naming the flags to change.
func checkOptions(opt billing.Options) error {
	err := opt.Check()
	if errors.Is(err, billing.ErrMarketplaceCredits) {
		return fmt.Errorf("--marketplace-credits: %w: add --credits too", err)
	}
	return err
}
