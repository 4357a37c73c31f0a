package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/ingest"
	"rebill/engine/period"
	"rebill/store"
	"rebill/ui/appinfo"
	"rebill/ui/view"
)

// fileReport is the JSON shape of one file of an import: --json prints
// one per file named (a folder or manifest counts its files), each with
// the deliveries it is a part of.
type fileReport struct {
	File   string `json:"file"`
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
	Note   string `json:"note,omitempty"`
	Format string `json:"format,omitempty"`
	// CostColumn is the file's invoice cost column, which unblended_cost
	// and each delivery's total add up at full precision.
	CostColumn    string           `json:"cost_column,omitempty"`
	ImportID      uint64           `json:"import_id,omitempty"`
	Part          int              `json:"part,omitempty"` // part number, 0 for a whole file
	Periods       []string         `json:"periods"`
	Payers        []string         `json:"payers"`
	Rows          int64            `json:"rows"`
	UnblendedCost *decimal.Decimal `json:"unblended_cost,omitempty"` // the file's own rows
	Final         bool             `json:"final"`
	UsageAccounts []accountTotal   `json:"usage_accounts"` // of its deliveries
	Deliveries    []deliveryReport `json:"deliveries"`
	// KnownDeliveries are, for a file imported before, the deliveries
	// that hold its bytes.
	KnownDeliveries []uint64 `json:"known_deliveries,omitempty"`
	// LateAdjustment is true when a delivery of the file landed in a
	// month the accountant had closed (see its deliveries).
	LateAdjustment bool `json:"late_adjustment"`
}

type deliveryReport struct {
	ID            uint64          `json:"id"`
	Provider      string          `json:"provider"`
	Payer         string          `json:"payer"`
	Period        string          `json:"period"`
	Currency      string          `json:"currency"`
	Rows          int64           `json:"rows"`
	UnblendedCost decimal.Decimal `json:"unblended_cost"`
	Final         bool            `json:"final"`
	// Confirmed is set when Final is the accountant's word, not the files'.
	Confirmed   *ingest.Confirmation `json:"confirmed,omitempty"`
	LatestUsage string               `json:"latest_usage,omitempty"`
	Status      string               `json:"status"`
	Previous    uint64               `json:"previous,omitempty"` // the delivery it replaced or completed
	Deliberate  bool                 `json:"deliberate,omitempty"`
	// CostView is actual or amortized for Azure's cost exports, when the
	// rows tell; ViewChange says what replacing one with the other did.
	CostView   string       `json:"cost_view,omitempty"`
	ViewChange string       `json:"view_change,omitempty"`
	Parts      []partReport `json:"parts"`
	Missing    []string     `json:"missing,omitempty"`
	// LateAdjustment says, for a month the accountant had closed, what
	// the delivery changed per customer.
	LateAdjustment *period.Adjustment `json:"late_adjustment,omitempty"`
	// Issued names the issued invoices computed from the data the
	// delivery replaced or completed.
	Issued []string `json:"issued,omitempty"`
}

type partReport struct {
	Number        int             `json:"number,omitempty"`
	File          string          `json:"file"`
	Rows          int64           `json:"rows"`
	UnblendedCost decimal.Decimal `json:"unblended_cost"`
	Final         bool            `json:"final"`
}

type accountTotal struct {
	Account       string          `json:"account"`
	Rows          int64           `json:"rows"`
	UnblendedCost decimal.Decimal `json:"unblended_cost"`
}

func deliveryOf(d ingest.Delivery) deliveryReport {
	r := deliveryReport{ID: d.ID, Provider: string(d.Provider), Payer: d.Payer, Period: d.Period, Currency: d.Currency, Rows: d.Rows,
		UnblendedCost: d.UnblendedCost, Final: d.Final, Confirmed: d.Confirmed, Status: string(d.Status), Previous: d.Previous, Deliberate: d.Deliberate,
		CostView: d.CostView, ViewChange: d.ViewChange, Parts: []partReport{}, Missing: d.Missing, LateAdjustment: d.LateAdjustment, Issued: d.Issued}
	if !d.LatestUsage.IsZero() {
		r.LatestUsage = d.LatestUsage.UTC().Format("2006-01-02T15:04:05Z")
	}
	for _, p := range d.Parts {
		r.Parts = append(r.Parts, partReport{Number: p.Number, File: p.File, Rows: p.Rows, UnblendedCost: p.UnblendedCost, Final: p.Final})
	}
	return r
}

// reportsOf turns an import's result into one report per file.
func reportsOf(r ingest.Result) []fileReport {
	out := make([]fileReport, 0, len(r.Files))
	for i, f := range r.Files {
		fr := fileReport{File: f.File, Status: string(f.Status), Note: f.Note, Format: f.Format, Part: f.Number,
			Periods: []string{}, Payers: []string{}, Rows: f.Rows, UsageAccounts: []accountTotal{}, Deliveries: []deliveryReport{},
			KnownDeliveries: f.Deliveries}
		if format, _, ok := ingest.Formats.Format(f.Format); ok {
			fr.CostColumn = format.CostColumn
		}
		if f.Status == ingest.Imported {
			fr.ImportID = r.ImportID
		}
		share := r.FileShare(i) // the engine's reading of the file's share, as the window shows it
		for _, d := range share.Deliveries {
			fr.Deliveries = append(fr.Deliveries, deliveryOf(d))
			fr.LateAdjustment = fr.LateAdjustment || d.LateAdjustment != nil
		}
		if len(share.Deliveries) > 0 {
			fr.Periods, fr.Payers = share.Periods, share.Payers
			fr.UnblendedCost, fr.Final = &share.UnblendedCost, share.Final
		}
		for _, a := range share.Accounts {
			fr.UsageAccounts = append(fr.UsageAccounts, accountTotal(a))
		}
		out = append(out, fr)
	}
	return out
}

func runImport(e *env, args []string) error {
	fs, asJSON := newFlags(e, "import", "import [--json] [--format FORMAT] [--replace] FILE|FOLDER|MANIFEST...")
	format := fs.String("format", "", "force the file format instead of detecting it: "+strings.Join(ingest.Formats.Names(), ", "))
	replace := fs.Bool("replace", false, "make these deliveries current even where they are older or less final than the month's current one (the history records the choice)")
	paths, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		fs.Usage()
		return exitError{2}
	}
	return e.withDB(func(db *store.DB) error {
		res, err := ingest.Import(context.Background(), paths, db, ingest.Options{Format: *format, Now: e.now(), Replace: *replace, By: appinfo.User()})
		if err != nil {
			fmt.Fprintf(e.stderr, "rebill import: %v\n", err)
			if *asJSON {
				reports := []fileReport{}
				for _, p := range paths {
					reports = append(reports, fileReport{File: p, Status: "failed", Error: err.Error(), Periods: []string{}, Payers: []string{}, UsageAccounts: []accountTotal{}, Deliveries: []deliveryReport{}})
				}
				if err := e.printJSON(reports); err != nil {
					return err
				}
			}
			return exitError{1}
		}
		reports := reportsOf(res)
		if *asJSON {
			return e.printJSON(reports)
		}
		printImport(e, res, reports)
		return nil
	})
}

// printImport shows each delivery with its parts, then what the files
// that were not read are.
func printImport(e *env, res ingest.Result, reports []fileReport) {
	for _, s := range res.Skipped {
		fmt.Fprintf(e.stdout, "skipped %s\n", s)
	}
	for _, d := range res.Deliveries {
		r := deliveryOf(d)
		fmt.Fprintf(e.stdout, "%s  payer %s  delivery %d  %s  %s  %s  %s", r.Period, r.Payer, r.ID, view.Plural(int(r.Rows), "row", "rows"), view.Amount(r.Currency, r.UnblendedCost, 2), finality(r.Final, nil), r.Status)
		if r.Previous != 0 {
			fmt.Fprintf(e.stdout, " (delivery %d)", r.Previous)
		}
		if r.CostView != "" {
			fmt.Fprintf(e.stdout, "  %s cost", r.CostView)
		}
		fmt.Fprintln(e.stdout)
		if r.ViewChange != "" {
			fmt.Fprintf(e.stdout, "  Note: %s.\n", r.ViewChange)
		}
		for _, p := range r.Parts {
			fmt.Fprintf(e.stdout, "  %s  %s  %s\n", p.File, view.Plural(int(p.Rows), "row", "rows"), view.Amount("", p.UnblendedCost, 2))
		}
		for _, acct := range d.AccountIDs() {
			fmt.Fprintf(e.stdout, "    account %s  %s  %s\n", acct, view.Plural(int(d.AccountRows[acct]), "row", "rows"), view.Amount("", d.Accounts[acct], 2))
		}
		if len(r.Missing) > 0 {
			fmt.Fprintf(e.stdout, "  still missing: %s\n", strings.Join(r.Missing, ", "))
		}
		if d.LateAdjustment != nil {
			writeLate(e.stdout, *d.LateAdjustment, "  ")
		}
		if len(d.Issued) > 0 {
			fmt.Fprintf(e.stdout, "  Note: %s\n", view.IssuedNote(d.Issued, "rebill invoices corrections --period "+d.Period+" shows what changed"))
		}
	}
	for _, f := range reports {
		switch f.Status {
		case string(ingest.AlreadyImported):
			fmt.Fprintf(e.stdout, "%s: already imported (delivery %s)\n", f.File, joinIDs(f.KnownDeliveries))
		case string(ingest.EarlierDelivery):
			fmt.Fprintf(e.stdout, "%s: %s\n", f.File, f.Note)
		}
	}
}

func joinIDs(ids []uint64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatUint(id, 10)
	}
	return strings.Join(s, ", ")
}

// finality is view.DeliveryFinality as the command line writes it, in
// lower case: "final", "final (confirmed)", "provisional".
func finality(final bool, confirmed *ingest.Confirmation) string {
	return strings.ToLower(view.DeliveryFinality(final, confirmed))
}
