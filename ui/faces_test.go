package ui

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/invoice"
	"rebill/store"
	"rebill/ui/cli"
)

// The same choice made in the window and on the command line must store
// the same thing: each test here copies the window's database, makes the
// choice through both faces, one on each copy, and compares what the
// store holds afterwards. The faces only parse input and call the store's
// use cases, which ask the engine's rules, so they cannot disagree.

// cliCopy copies the window's database file for the command line to work
// on: the same data in a second file, as bbolt allows one user a file.
func cliCopy(t *testing.T, h *harness) string {
	t.Helper()
	b, err := os.ReadFile(h.db.Path())
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "cli.db")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// runCLI runs a rebill command on a database file at the window's test
// clock and returns its output; it fails the test on a non-zero exit.
func runCLI(t *testing.T, db string, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Run(append([]string{"--db", db}, args...), cli.Meta{Name: "Rebill"}, func() time.Time { return testNow }, &out, &errb)
	if code != 0 {
		t.Fatalf("rebill %s: exit %d: %s", strings.Join(args, " "), code, errb.String())
	}
	return out.String()
}

// withDB opens a database file the command line wrote, for the test to
// read what it stored.
func withDB(t *testing.T, path string, fn func(db *store.DB)) {
	t.Helper()
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fn(db)
}

// onlyInvoice is the one document of a customer's month, whole.
func onlyInvoice(t *testing.T, db *store.DB, period, customerID string) invoice.Invoice {
	t.Helper()
	invs, err := db.Documents(store.InvoiceFilter{Period: period, Customer: customerID}, testNow)
	if err != nil || len(invs) != 1 {
		t.Fatalf("%s %s: %d documents, %v", customerID, period, len(invs), err)
	}
	return invs[0]
}

// setCheck ticks or clears a check box as the accountant would, by
// tapping it; a disabled box stays as it is.
func setCheck(c *widget.Check, on bool) {
	if c.Checked != on {
		test.Tap(c)
	}
}

func optionsJSON(t *testing.T, o billing.Options) string {
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestFacesStoreTheSameOptions: "may credits pay Marketplace" chosen on
// the Reports screen and carried into the Generate dialog, and the same
// flags given to `rebill invoices generate`, store the same options on
// the draft. (The CLI used to store marketplace_credits true without
// Marketplace charges, the dialog false.)
func TestFacesStoreTheSameOptions(t *testing.T) {
	tests := []struct {
		name                  string
		credits, market, mktC bool
		flags                 []string
		want                  billing.Options
	}{
		{"credits for Marketplace without Marketplace", true, false, true, []string{"--credits", "--marketplace-credits"},
			billing.Options{Basis: "rerated", Credits: true, ProviderTax: billing.ReplaceTax, Rounding: billing.HalfUp}},
		{"credits for Marketplace with Marketplace", true, true, true, []string{"--credits", "--marketplace", "--marketplace-credits"},
			billing.Options{Basis: "rerated", Credits: true, Marketplace: true, MarketplaceCredits: true, ProviderTax: billing.ReplaceTax, Rounding: billing.HalfUp}},
		{"credits without Marketplace credits", true, true, false, []string{"--credits", "--marketplace"},
			billing.Options{Basis: "rerated", Credits: true, Marketplace: true, ProviderTax: billing.ReplaceTax, Rounding: billing.HalfUp}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, s := invoiceHarness(t)
			path := cliCopy(t, h)

			// The window: the choice on the Reports screen, then Generate
			// invoices… for ACME, which starts from the report's options.
			h.state.show("Reports")
			s.month.SetSelected("2024-09  ·  Final")
			setCheck(s.credits, tc.credits)
			setCheck(s.market, tc.market)
			setCheck(s.marketCredits, tc.mktC)
			s.picker.onSelectNone()
			s.picker.check(pickCustomer+"ACME", true)
			test.Tap(s.picker.generate)
			test.Tap(s.generator.generate)
			window := onlyInvoice(t, h.db, "2024-09", "ACME").Options

			runCLI(t, path, append([]string{"invoices", "generate", "--period", "2024-09", "--customers", "ACME"}, tc.flags...)...)
			var line billing.Options
			withDB(t, path, func(db *store.DB) { line = onlyInvoice(t, db, "2024-09", "ACME").Options })

			if got, want := optionsJSON(t, line), optionsJSON(t, window); got != want {
				t.Errorf("stored options differ:\n CLI    %s\n window %s", got, want)
			}
			if got, want := optionsJSON(t, window), optionsJSON(t, tc.want); got != want {
				t.Errorf("stored options %s, want %s", got, want)
			}
		})
	}
}

// creditedBy lists the documents the invoice view links under "Credited
// by", as the accountant reads them.
func (v *invoiceView) creditedBy() []string {
	var out []string
	in := false
	for _, o := range v.related.Objects {
		switch w := o.(type) {
		case *widget.Label:
			in = strings.HasPrefix(w.Text, "Credited")
		case *widget.Button:
			if in {
				out = append(out, strings.Fields(w.Text)[0])
			}
		}
	}
	return out
}

// TestFacesListTheSameCreditNotes: voiding a credit note in the window
// (Void… on the note) and with `rebill invoices void`, then reading the
// invoice (the invoice view, `rebill invoices show`), names the same
// credit notes under "Credited by": the ones that count, never the voided
// one. (The invoice view used to list a voided credit note.)
func TestFacesListTheSameCreditNotes(t *testing.T) {
	h, _ := invoiceHarness(t)
	approvedSeptember(t, h)
	// INV-2024-0001 is ACME's USD 3.63; two credit notes of 1.00 and 2.00.
	for _, amount := range []string{"1", "2"} {
		if _, err := h.db.IssueCreditNote(store.CreditRequest{Invoice: "INV-2024-0001", Amount: decimalOf(t, amount), Reason: "goodwill", Now: testNow}); err != nil {
			t.Fatal(err)
		}
	}
	h.state.dataChanged()
	path := cliCopy(t, h)

	// The window: open CN-2024-00001, Void…, then the invoice.
	inv := h.invoices()
	h.state.show("Invoices")
	inv.month.SetSelected("2024-09")
	note, err := h.db.Invoice("CN-2024-00001")
	if err != nil {
		t.Fatal(err)
	}
	inv.openViewer(note.ID)
	v := inv.viewer
	test.Tap(v.void)
	for _, o := range test.LaidOutObjects(h.win.Canvas().Overlays().Top()) {
		if e, ok := o.(*widget.Entry); ok && strings.HasPrefix(e.PlaceHolder, "e.g. sent to") {
			test.Type(e, "issued twice")
		}
	}
	h.tapDialog("Void invoice")
	if got, _ := h.db.Invoice("CN-2024-00001"); got.Status != invoice.Void {
		t.Fatalf("the window left the credit note %s", got.Status)
	}
	inv.openViewer(onlyOf(t, h.db, "INV-2024-0001").ID)
	window := v.creditedBy()

	// The command line, on its copy.
	runCLI(t, path, "invoices", "void", "CN-2024-00001", "--reason", "issued twice")
	var line []string
	shown := runCLI(t, path, "invoices", "show", "INV-2024-0001")
	for _, l := range strings.Split(shown, "\n") {
		if rest, ok := strings.CutPrefix(l, "Credited by: "); ok {
			for _, n := range strings.Split(rest, ", ") {
				line = append(line, strings.Fields(n)[0])
			}
		}
	}
	withDB(t, path, func(db *store.DB) {
		if got, _ := db.Invoice("CN-2024-00001"); got.Status != invoice.Void {
			t.Errorf("the CLI left the credit note %s", got.Status)
		}
	})

	want := []string{"CN-2024-00002"}
	if !equalStrings(window, want) || !equalStrings(line, want) {
		t.Errorf("credited by: window %v, CLI %v; want %v", window, line, want)
	}
	// 3.63 less the 2.00 note that counts; the voided 1.00 credits nothing.
	if left := v.rel.Left.String(); left != "1.63" || !strings.Contains(shown, "USD 1.63 left to credit") {
		t.Errorf("left to credit: window %s, CLI %q; want 1.63", left, shown)
	}
}

func onlyOf(t *testing.T, db *store.DB, ref string) invoice.Invoice {
	t.Helper()
	inv, err := db.Invoice(ref)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func decimalOf(t *testing.T, s string) decimal.Decimal {
	t.Helper()
	d, err := decimal.NewFromString(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestFacesListTheSameDifference: after a re-delivery, the invoice view's
// difference and `rebill invoices corrections` list the same changed
// figures, the support total included. (The window used to leave out the
// support total the CLI listed.)
func TestFacesListTheSameDifference(t *testing.T) {
	h, _ := invoiceHarness(t)
	acme, err := h.db.Customer("ACME")
	if err != nil {
		t.Fatal(err)
	}
	acme.Support, acme.SupportFlat = customer.SupportFlat, decimalOf(t, "10")
	if err := h.db.PutCustomer(acme, testNow); err != nil {
		t.Fatal(err)
	}
	approvedSeptember(t, h)
	// AWS re-delivers September with 2.00 more EC2 for ACME: EC2 3.50 ->
	// 5.50, support 10% of 3.63 = 0.36 -> 10% of 5.63 = 0.56.
	h.imports().addPaths([]string{writeFile(t, t.TempDir(), "sep2.csv", reportSeptember+
		"s5,111122223333,2024-09-01T00:00:00Z,444455556666,Usage,AmazonEC2,2,USD,EUINUS24-1\n")})
	test.Tap(h.imports().importBtn)
	path := cliCopy(t, h)

	inv := h.invoices()
	h.state.show("Invoices")
	inv.month.SetSelected("2024-09")
	inv.openViewer(inv.row(t, "ACME").Invoice.ID)
	var window []string
	for _, l := range strings.Split(inv.viewer.diff.Text, "\n") {
		if rest, ok := strings.CutPrefix(l, "• "); ok {
			i := strings.LastIndex(rest, ": ")
			was, now, _ := strings.Cut(rest[i+2:], " → ")
			now, _, _ = strings.Cut(now, " (")
			window = append(window, was+" "+now)
		}
	}

	var line []string
	table := false
	for _, l := range strings.Split(runCLI(t, path, "invoices", "corrections", "--period", "2024-09"), "\n") {
		f := strings.Fields(l)
		switch {
		case len(f) == 3 && f[0] == "WAS":
			table = true
		case table && strings.HasPrefix(l, "  ") && len(f) >= 4:
			line = append(line, f[len(f)-3]+" "+f[len(f)-2])
		default:
			table = false
		}
	}
	want := []string{"3.50 5.50", "0.36 0.56", "0.36 0.56"} // EC2, the support line, the support total
	if !equalStrings(window, line) || !equalStrings(window, want) {
		t.Errorf("changed figures: window %v, CLI %v; want %v\n%s", window, line, want, inv.viewer.diff.Text)
	}
	if !strings.Contains(inv.viewer.diff.Text, "Support (total): 0.36 → 0.56 (+0.20)") {
		t.Errorf("the window does not list the support total:\n%s", inv.viewer.diff.Text)
	}
}

// TestFacesSelectTheSameGroup: checking the group EMEA in the report's
// picker and generating, and `rebill invoices generate --group EMEA`,
// invoice the same customers, whatever case each customer's group is
// written in. (The picker showed "EMEA" and "emea" as two groups while
// --group took both.)
func TestFacesSelectTheSameGroup(t *testing.T) {
	h, s := invoiceHarness(t)
	c := customer.Defaults{Currency: "USD", TermsDays: 30}.New()
	c.ID, c.Name, c.Group = "UMBRELLA", "Umbrella", "emea"
	c.Recurring = []customer.RecurringCharge{{Description: "Managed service", Amount: decimalOf(t, "250"), From: "2024-01"}}
	if err := h.db.AddCustomer(c, testNow); err != nil {
		t.Fatal(err)
	}
	h.state.dataChanged()
	path := cliCopy(t, h)

	h.state.show("Reports")
	s.month.SetSelected("2024-09  ·  Final")
	s.picker.onSelectNone()
	test.Tap(treeCheck(t, s.picker, "EMEA"))
	test.Tap(s.picker.generate)
	test.Tap(s.generator.generate)

	runCLI(t, path, "invoices", "generate", "--period", "2024-09", "--group", "EMEA")

	invoiced := func(db *store.DB) []string {
		invs, err := db.Invoices(store.InvoiceFilter{Period: "2024-09"}, testNow)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, inv := range invs {
			out = append(out, inv.CustomerID)
		}
		return out
	}
	window := invoiced(h.db)
	var line []string
	withDB(t, path, func(db *store.DB) { line = invoiced(db) })
	want := []string{"ACME", "UMBRELLA"}
	if !equalStrings(window, want) || !equalStrings(line, want) {
		t.Errorf("invoiced: window %v, CLI %v; want %v", window, line, want)
	}
}

// TestFacesReadTheSameAmount: an amount to credit typed in the window's
// Credit note… dialog and given to `rebill invoices credit-note
// --amount` is read by one rule (invoice.ParseCreditAmount): "1,000.00"
// credits 1,000.00 in both, "0" is refused by both. (The window read
// thousands separators the CLI refused, and took 0 as "all that is
// left" where the CLI refused it.)
func TestFacesReadTheSameAmount(t *testing.T) {
	for _, tc := range []struct {
		typed string
		note  string // the credit note's total, "" for refused
	}{{"1,000.00", "-1000.00"}, {"0", ""}} {
		t.Run(tc.typed, func(t *testing.T) {
			h, _ := invoiceHarness(t)
			acme, err := h.db.Customer("ACME")
			if err != nil {
				t.Fatal(err)
			}
			acme.Recurring = []customer.RecurringCharge{{Description: "Managed service", Amount: decimalOf(t, "2000"), From: "2024-01"}}
			if err := h.db.PutCustomer(acme, testNow); err != nil {
				t.Fatal(err)
			}
			approvedSeptember(t, h) // INV-2024-0001: ACME, 3.63 + 2,000.00
			path := cliCopy(t, h)

			inv := h.invoices()
			h.state.show("Invoices")
			inv.month.SetSelected("2024-09")
			inv.openViewer(onlyOf(t, h.db, "INV-2024-0001").ID)
			test.Tap(inv.viewer.credit)
			for _, o := range test.LaidOutObjects(h.win.Canvas().Overlays().Top()) {
				switch w := o.(type) {
				case *widget.RadioGroup:
					w.SetSelected("An amount (tax included)")
				case *widget.Entry:
					switch {
					case w.PlaceHolder == "e.g. 25.00":
						test.Type(w, tc.typed)
					case strings.HasPrefix(w.PlaceHolder, "e.g. goodwill"):
						test.Type(w, "goodwill")
					}
				}
			}
			h.tapDialog("Issue credit note")
			notes := func(db *store.DB) []string {
				list, err := db.Invoices(store.InvoiceFilter{Kind: invoice.KindCreditNote}, testNow)
				if err != nil {
					t.Fatal(err)
				}
				var out []string
				for _, n := range list {
					out = append(out, n.Total.String())
				}
				return out
			}
			window := notes(h.db)

			var out, errb bytes.Buffer
			code := cli.Run([]string{"--db", path, "invoices", "credit-note", "INV-2024-0001", "--amount", tc.typed, "--reason", "goodwill"},
				cli.Meta{Name: "Rebill"}, func() time.Time { return testNow }, &out, &errb)
			var line []string
			withDB(t, path, func(db *store.DB) { line = notes(db) })

			var want []string
			if tc.note != "" {
				want = []string{tc.note}
			}
			if !equalStrings(window, want) || !equalStrings(line, want) || (code == 0) != (tc.note != "") {
				t.Errorf("credit notes: window %v, CLI %v (exit %d: %s); want %v", window, line, code, errb.String(), want)
			}
		})
	}
}

// TestFacesReportTheSameFile: one file holding a provisional September
// and a final October is reported provisional by the Import screen and
// by `rebill import --json` alike, with the same months and cost. (The
// CLI took the finality of the file's last delivery, the window of all.)
func TestFacesReportTheSameFile(t *testing.T) {
	body := reportHeader +
		"s1,111122223333,2024-09-01T00:00:00Z,444455556666,Usage,AmazonEC2,2.5,USD,\n" +
		"o1,111122223333,2024-10-01T00:00:00Z,444455556666,Usage,AmazonEC2,1,USD,EUINUS24-2\n"
	file := writeFile(t, t.TempDir(), "two-months.csv", body)

	h := newHarness(t)
	h.imports().addPaths([]string{file})
	test.Tap(h.imports().importBtn)
	s := h.imports()
	window := []string{s.resultCell(0, 3).text, s.resultCell(0, 6).text, s.resultCell(0, 7).text}

	var files []struct {
		Periods       []string `json:"periods"`
		UnblendedCost string   `json:"unblended_cost"`
		Final         bool     `json:"final"`
	}
	out := runCLI(t, filepath.Join(t.TempDir(), "cli.db"), "import", file, "--json")
	if err := json.Unmarshal([]byte(out), &files); err != nil || len(files) != 1 {
		t.Fatalf("import --json: %v\n%s", err, out)
	}
	f := files[0]
	line := []string{strings.Join(f.Periods, ", "), "USD " + decimalOf(t, f.UnblendedCost).StringFixed(2), map[bool]string{true: "Final", false: "Provisional"}[f.Final]}
	want := []string{"2024-09, 2024-10", "USD 3.50", "Provisional"}
	if !equalStrings(window, want) || !equalStrings(line, want) {
		t.Errorf("the file: window %q, CLI %q; want %q", window, line, want)
	}
}
