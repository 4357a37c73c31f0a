package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
	"rebill/engine/document"
	"rebill/engine/invoice"
	"rebill/engine/money"
	"rebill/store"
	"rebill/ui/view"
)

// The payments, receivables, statement-of-account and reminder commands:
// each parses its flags, calls one store use case (store/payments.go)
// and prints or writes what it returns.

func paymentVerbs() []subcommand {
	return []subcommand{
		{"add", "add INVOICE --date YYYY-MM-DD --amount X [--reference R] [--keep-excess-as-credit] [--json]", runPaymentsAdd},
		{"list", "list [--invoice ID|NUMBER] [--customer C] [--json]", runPaymentsList},
		{"delete", "delete ID [--json]   (recorded in the audit log)", runPaymentsDelete},
	}
}

func runPayments(e *env, args []string) error {
	return dispatch(e, "payments", paymentVerbs(), args)
}

func runPaymentsAdd(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	dateText := fs.String("date", "", "the day the money was received, YYYY-MM-DD (required)")
	amountText := fs.String("amount", "", "the amount received, in the invoice's currency (required)")
	ref := fs.String("reference", "", "the payment's reference (bank transaction, cheque number)")
	keep := fs.Bool("keep-excess-as-credit", false, "accept more than is open: the excess becomes the customer's credit")
	inv, err := parseOne(fs, args, "invoice id or number")
	if err != nil {
		return err
	}
	if *dateText == "" || *amountText == "" {
		return errors.New("--date YYYY-MM-DD and --amount X are required: the day and amount received")
	}
	on, err := invoice.ParseDate(*dateText)
	if err != nil {
		return fmt.Errorf("--date: %w", err)
	}
	amount, err := invoice.ParsePaymentAmount(*amountText)
	if err != nil {
		return fmt.Errorf("--amount: %w", err)
	}
	return e.withDB(func(db *store.DB) error {
		res, err := db.RecordPayment(store.PaymentRequest{Invoice: inv, PaymentRequest: invoice.PaymentRequest{
			Date: on, Amount: amount, Reference: *ref, KeepExcess: *keep, Now: e.now()}})
		if err != nil {
			return err
		}
		if *asJSON {
			// The open amount plain at the currency's minor unit, as
			// every JSON answer gives money ("42.10", JPY "3185").
			return e.printJSON(struct {
				Payment invoice.Payment `json:"payment"`
				Open    string          `json:"open_amount"`
				Grant   *customer.Grant `json:"credit_grant,omitempty"`
				Status  invoice.Status  `json:"invoice_status"`
			}{res.Payment, money.Plain(res.Open, res.Invoice.Currency), res.Grant, res.Invoice.Effective(e.now())})
		}
		p := res.Payment
		fmt.Fprintf(e.stdout, "Payment %d of %s recorded against %s on %s.\n", p.ID, view.Cash(p.Currency, p.Amount), res.Invoice.Label(), p.Date)
		if res.Grant != nil {
			fmt.Fprintf(e.stdout, "The excess of %s is %s's credit %d.\n", view.Cash(p.Currency, p.Excess), p.Customer, res.Grant.ID)
		}
		fmt.Fprintf(e.stdout, "Open amount: %s; the invoice is %s.\n", view.Cash(p.Currency, res.Open), res.Invoice.Effective(e.now()).Label())
		return nil
	})
}

func runPaymentsList(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	inv := fs.String("invoice", "", "only this invoice's payments (id or number)")
	cust := fs.String("customer", "", "only this customer's payments")
	if err := noPositional(fs, args, ""); err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		pays, err := db.Payments(store.PaymentFilter{Invoice: *inv, Customer: *cust})
		if err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(pays)
		}
		if len(pays) == 0 {
			fmt.Fprintln(e.stdout, "No payments.")
			return nil
		}
		var rows [][]string
		for _, p := range pays {
			excess := ""
			if p.Excess.IsPositive() {
				excess = fmt.Sprintf("%s (credit %d)", view.CashFigure(p.Currency, p.Excess), p.CreditGrant)
			}
			rows = append(rows, []string{fmt.Sprint(p.ID), p.Date.String(), p.Customer, p.Number, p.Currency, view.CashFigure(p.Currency, p.Amount), excess, p.Reference})
		}
		e.table("ID\tDATE\tCUSTOMER\tINVOICE\tCUR\tAMOUNT\tKEPT AS CREDIT\tREFERENCE", rows)
		return nil
	})
}

func runPaymentsDelete(e *env, fs *flag.FlagSet, asJSON *bool, args []string) error {
	text, err := parseOne(fs, args, "payment id")
	if err != nil {
		return err
	}
	id, err := store.ParsePaymentID(text)
	if err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		del, err := db.DeletePayment(id, e.now())
		if err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(del)
		}
		p := del.Payment
		fmt.Fprintf(e.stdout, "Payment %d (%s of %s, %s) deleted; audit log entry %d records it (rebill audit list --invoice %s).\n",
			p.ID, view.Cash(p.Currency, p.Amount), p.Date, p.Number, del.Audit.Seq, p.Number)
		if p.CreditGrant != 0 {
			fmt.Fprintf(e.stdout, "Its excess, credit %d, is removed too.\n", p.CreditGrant)
		}
		fmt.Fprintf(e.stdout, "%s is %s.\n", capital(del.Invoice.Label()), del.Invoice.Effective(e.now()).Label())
		return nil
	})
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// asOfFlag reads --as-of, today (the clock's day) when empty.
func (e *env) asOf(s string) (invoice.Date, error) {
	if s == "" {
		return invoice.DateOf(e.now()), nil
	}
	d, err := invoice.ParseDate(s)
	if err != nil {
		return d, fmt.Errorf("--as-of: %w", err)
	}
	return d, nil
}

func runReceivables(e *env, args []string) error {
	fs, asJSON := newFlags(e, "receivables", "receivables [--as-of YYYY-MM-DD] [--json] [--xlsx FILE] [--pdf FILE]")
	asOfText := fs.String("as-of", "", "the day the report is as of (default today)")
	xlsx := fs.String("xlsx", "", "also write the report as an Excel workbook")
	pdf := fs.String("pdf", "", "also write the report as a PDF")
	if err := noPositional(fs, args, ""); err != nil {
		return err
	}
	asOf, err := e.asOf(*asOfText)
	if err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		a, err := db.Receivables(asOf)
		if err != nil {
			return err
		}
		if *xlsx != "" {
			if err := writeFileAtomic(*xlsx, func(w io.Writer) error { return document.AgeingXLSX(w, a) }); err != nil {
				return err
			}
		}
		if *pdf != "" {
			p, err := db.Profile()
			if err != nil {
				return err
			}
			if err := writeFileAtomic(*pdf, func(w io.Writer) error { return document.AgeingPDF(w, invoice.SellerOf(p), a) }); err != nil {
				return err
			}
		}
		if *asJSON {
			return e.printJSON(ageingDoc(a))
		}
		writeAgeing(e, a)
		for _, f := range []string{*xlsx, *pdf} {
			if f != "" {
				fmt.Fprintf(e.stdout, "Wrote %s.\n", f)
			}
		}
		return nil
	})
}

// ageingDoc is the JSON of the report: buckets by name.
func ageingDoc(a invoice.Ageing) any {
	named := func(ds []decimal.Decimal, cur string) map[string]string {
		m := map[string]string{}
		for i, b := range invoice.AgeBuckets {
			m[b.Key()] = money.Plain(ds[i], cur)
		}
		return m
	}
	type row struct {
		Customer string               `json:"customer"`
		Name     string               `json:"name"`
		Currency string               `json:"currency"`
		Buckets  map[string]string    `json:"buckets"`
		Total    string               `json:"total"`
		Invoices []invoice.Receivable `json:"invoices"`
	}
	type total struct {
		Currency string            `json:"currency"`
		Buckets  map[string]string `json:"buckets"`
		Total    string            `json:"total"`
	}
	out := struct {
		AsOf      invoice.Date `json:"as_of"`
		Customers []row        `json:"customers"`
		Totals    []total      `json:"totals"`
	}{AsOf: a.AsOf, Customers: []row{}, Totals: []total{}}
	for _, r := range a.Rows {
		out.Customers = append(out.Customers, row{r.Customer, r.Name, r.Currency, named(r.Buckets, r.Currency), money.Plain(r.Total, r.Currency), r.Receivables})
	}
	for _, t := range a.Totals {
		out.Totals = append(out.Totals, total{t.Currency, named(t.Buckets, t.Currency), money.Plain(t.Total, t.Currency)})
	}
	return out
}

func writeAgeing(e *env, a invoice.Ageing) {
	fmt.Fprintf(e.stdout, "Open receivables as of %s, by days past due:\n", a.AsOf)
	if len(a.Rows) == 0 {
		fmt.Fprintln(e.stdout, "Nothing is owed.")
		return
	}
	head := "CUSTOMER\tCUR"
	for _, b := range invoice.AgeBuckets {
		head += "\t" + strings.ToUpper(b.Short())
	}
	head += "\tTOTAL"
	var rows [][]string
	line := func(who, cur string, ds []decimal.Decimal, total decimal.Decimal) {
		r := []string{who, cur}
		for _, d := range ds {
			r = append(r, view.CashFigure(cur, d))
		}
		rows = append(rows, append(r, view.CashFigure(cur, total)))
	}
	for _, r := range a.Rows {
		line(r.Customer, r.Currency, r.Buckets, r.Total)
	}
	for _, t := range a.Totals {
		line("Total", t.Currency, t.Buckets, t.Total)
	}
	e.table(head, rows)
}

func runStatementOfAccount(e *env, args []string) error {
	fs, asJSON := newFlags(e, "statement-of-account", "statement-of-account CUSTOMER --from YYYY-MM-DD --until YYYY-MM-DD --out FILE [--json]")
	fromText := fs.String("from", "", "first day of the period (required)")
	untilText := fs.String("until", "", "last day of the period (required)")
	out := fs.String("out", "", "the PDF to write (required)")
	cust, err := parseOne(fs, args, "customer id")
	if err != nil {
		return err
	}
	if *fromText == "" || *untilText == "" || *out == "" {
		return errors.New("--from, --until and --out are required: the period's first and last day, and the PDF to write")
	}
	from, err := invoice.ParseDate(*fromText)
	if err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	until, err := invoice.ParseDate(*untilText)
	if err != nil {
		return fmt.Errorf("--until: %w", err)
	}
	return e.withDB(func(db *store.DB) error {
		acc, p, err := db.StatementOfAccount(cust, from, until)
		if err != nil {
			return err
		}
		if err := writeFileAtomic(*out, func(w io.Writer) error { return document.StatementOfAccountPDF(w, invoice.SellerOf(p), acc) }); err != nil {
			return err
		}
		if *asJSON {
			return e.printJSON(struct {
				invoice.Account
				File string `json:"file"`
			}{acc, *out})
		}
		fmt.Fprintf(e.stdout, "Statement of account of %s, %s to %s (%s): opening %s, %s, closing %s.\nWrote %s.\n",
			cust, from, until, acc.Currency, view.CashFigure(acc.Currency, acc.Opening), view.Plural(len(acc.Lines), "movement", "movements"), view.CashFigure(acc.Currency, acc.Closing), *out)
		return nil
	})
}

func runReminder(e *env, args []string) error {
	fs, asJSON := newFlags(e, "reminder", "reminder INVOICE --out FILE [--as-of YYYY-MM-DD] [--json]")
	out := fs.String("out", "", "the PDF to write (required)")
	asOfText := fs.String("as-of", "", "the letter's date (default today)")
	ref, err := parseOne(fs, args, "invoice id or number")
	if err != nil {
		return err
	}
	if *out == "" {
		return errors.New("--out FILE is required: the PDF to write")
	}
	asOf, err := e.asOf(*asOfText)
	if err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		r, err := db.Reminder(ref, asOf)
		if err != nil {
			return err
		}
		if err := writeFileAtomic(*out, func(w io.Writer) error { return document.ReminderPDF(w, r) }); err != nil {
			return err
		}
		days, _ := invoice.AgeOf(r.Invoice.DueDate, asOf)
		if *asJSON {
			return e.printJSON(map[string]any{"invoice": r.Invoice.Number, "open_amount": money.Plain(r.Open, r.Invoice.Currency), "days_past_due": days, "file": *out})
		}
		fmt.Fprintf(e.stdout, "Reminder for %s: %s open, %s past due.\nWrote %s.\n", r.Invoice.Number, view.Cash(r.Invoice.Currency, r.Open), view.Plural(days, "day", "days"), *out)
		return nil
	})
}
