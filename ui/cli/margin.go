package cli

import (
	"fmt"
	"io"
	"strings"

	"rebill/engine/document"
	"rebill/engine/reconcile"
	"rebill/store"
	"rebill/ui/view"
)

// runMargin prints what the reseller earns per customer and service over a
// month range, split by cause, and writes it as a workbook with --xlsx.
func runMargin(e *env, args []string) error {
	fs, asJSON := newFlags(e, "margin", "margin --period YYYY-MM [--until YYYY-MM] [--provider P] [--xlsx FILE] [--json]")
	period := fs.String("period", "", "the first month, YYYY-MM (required)")
	until := fs.String("until", "", "the last month, YYYY-MM (default: --period alone)")
	provider := fs.String("provider", "", "only this provider: "+providerList()+" (default: every provider)")
	xlsx := fs.String("xlsx", "", "also write the report as an Excel workbook to FILE")
	if err := noPositional(fs, args, "give the months with --period and --until"); err != nil {
		return err
	}
	if err := checkPeriod(*period); err != nil {
		return err
	}
	return e.withDB(func(db *store.DB) error {
		rows, err := db.Margins(*period, *until, *provider)
		if err != nil {
			return err
		}
		if *xlsx != "" {
			// Through a temporary file, as every export: a failed write
			// leaves the file that was there, not half a workbook.
			if err := writeFileAtomic(*xlsx, func(w io.Writer) error { return document.MarginXLSX(w, *period, *until, rows) }); err != nil {
				return fmt.Errorf("%w (choose another --xlsx path)", err)
			}
		}
		if *asJSON {
			if rows == nil {
				rows = []reconcile.MarginRow{}
			}
			return e.printJSON(struct {
				From string                `json:"period"`
				To   string                `json:"until"`
				Rows []reconcile.MarginRow `json:"rows"`
			}{*period, orMonth(*until, *period), rows})
		}
		if len(rows) == 0 {
			fmt.Fprintln(e.stdout, "No issued invoices in these months: the margin report covers invoiced customers (rebill invoices generate, approve).")
			return nil
		}
		var table [][]string
		for _, r := range rows {
			table = append(table, []string{r.Customer, strings.ToUpper(r.Provider), r.Service, string(r.Section), r.Currency, view.GroupDigits(r.Cost), view.GroupDigits(r.Billed), view.GroupDigits(r.Margin), view.MarginByCause(r)})
		}
		e.table("CUSTOMER\tPROVIDER\tSERVICE\tSECTION\tCURRENCY\tCOST\tBILLED\tMARGIN\tBY CAUSE", table)
		fmt.Fprintln(e.stdout, "Before tax: the tax on invoices is owed, not earned, and the provider's Tax lines are left out with it.")
		if *xlsx != "" {
			fmt.Fprintf(e.stdout, "Written to %s.\n", *xlsx)
		}
		return nil
	})
}

func orMonth(m, def string) string {
	if m == "" {
		return def
	}
	return m
}
