package ui

import (
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/store"
	"rebill/ui/view"
)

// invoicedMonth is ACME's September 2024: AmazonEC2 690.29 on its account
// 444455556666, final; the walkthrough's month of issue 11.
const invoicedMonth = reportHeader +
	"i1,111122223333,2024-09-01T00:00:00Z,444455556666,Usage,AmazonEC2,690.29,USD,EUINUS24-1\n"

// invoicedHarness imports invoicedMonth, gives ACME a reseller credit of
// 60.00, generates its invoice with credits and approves it: by hand
// 690.29 - 60.00 = 630.29. grant gives ACME another credit.
func invoicedHarness(t *testing.T) (h *harness, grant func(amount int64, at time.Time)) {
	t.Helper()
	h = newHarness(t)
	h.imports().addPaths([]string{writeFile(t, t.TempDir(), "sep.csv", invoicedMonth)})
	test.Tap(h.imports().importBtn)
	p := customer.DefaultProfile()
	p.CompanyName, p.NumberFormat = "Nimbus Cloud Partners Ltd", "INV-{YYYY}-{SEQ:4}"
	if err := h.db.PutProfile(p, testNow); err != nil {
		t.Fatal(err)
	}
	acme := customer.Defaults{Currency: "USD", TermsDays: 30}.New()
	acme.ID, acme.Name = "ACME", "Acme Retail"
	if err := h.db.AddCustomer(acme, testNow); err != nil {
		t.Fatal(err)
	}
	if err := h.db.Map(customer.Mapping{Account: "444455556666", Customer: "ACME", From: "2024-01"}, testNow); err != nil {
		t.Fatal(err)
	}
	grant = func(amount int64, at time.Time) {
		if _, err := h.db.Grant(customer.Grant{Customer: "ACME", Amount: decimal.NewFromInt(amount), Currency: "USD", Reason: "goodwill"}, at); err != nil {
			t.Fatal(err)
		}
	}
	grant(60, testNow)
	if _, err := h.db.GenerateInvoices(store.GenerateRequest{Period: "2024-09", Selection: customer.Selection{Customers: []string{"ACME"}},
		Options: billing.Options{Credits: true}, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	apps, err := h.db.ApproveDrafts("2024-09", testNow)
	if err != nil || len(apps) != 1 || apps[0].Refused != "" {
		t.Fatalf("approve: %+v, %v", apps, err)
	}
	if got := onlyInvoice(t, h.db, "2024-09", "ACME").Total.String(); got != "630.29" {
		t.Fatalf("the issued invoice is %s, want 690.29 - 60.00 = 630.29", got)
	}
	h.state.dataChanged()
	return h, grant
}

// TestReportOfAnInvoicedMonth reproduces issue 11's walkthrough: after
// approval the report showed ACME 690.29 while the issued invoice says
// 630.29, the 60.00 of credits the invoice used gone from the month, and
// nothing said the month was invoiced. Both faces now name the invoice,
// count its credits as this month's, and print its figures beside the
// recomputed ones.
func TestReportOfAnInvoicedMonth(t *testing.T) {
	h, grant := invoicedHarness(t)

	// The defect, as the month's plain statement still computes it: the
	// ledger has the invoice's own 60.00 debited, so nothing is left to
	// apply and the total is the charges, 690.29.
	bm, err := h.db.BillingMonth("2024-09")
	if err != nil {
		t.Fatal(err)
	}
	plain, err := bm.Statement("ACME", billing.Options{Credits: true})
	if err != nil {
		t.Fatal(err)
	}
	if plain.Total.String() != "690.29" {
		t.Fatalf("the plain statement is %s: the reproduction no longer holds", plain.Total)
	}
	// A second credit, granted after the invoice: 25.00 available, which
	// the invoiced month must not spend.
	grant(25, testNow.Add(24*time.Hour))
	h.state.dataChanged()

	path := cliCopy(t, h)
	tests := []struct {
		name    string
		credits bool
		flags   []string
		// total and credits are the report's; available is the credit
		// balance it shows: the second grant, 25.00, since the 60.00 is
		// the invoice's.
		total, applied, available string
		optionsDiffer             bool
	}{
		{"with credits, as invoiced", true, []string{"--credits"}, "630.29", "-60.00", "25.00", false},
		{"without credits", false, nil, "690.29", "0.00", "25.00", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// The window: Reports, September, ACME.
			s := h.reports()
			h.state.show("Reports")
			s.month.SetSelected("2024-09  ·  Final")
			setCheck(s.credits, tc.credits)
			// ACME is every customer: the summary names its invoice,
			// and opening its row opens the statement.
			if len(s.summaryRows) != 1 || s.summaryRows[0].Cells[view.SumInvoice].Text != "INV-2024-0001" {
				t.Errorf("summary %+v", s.summaryRows)
			}
			s.summary.table.Select(widget.TableCellID{Row: 0, Col: 0})
			if got := s.stmtAmount("Total"); got != "USD "+tc.total {
				t.Errorf("window total %q, want USD %s", got, tc.total)
			}
			if got := s.stmtAmount("Reseller credits applied"); got != tc.applied {
				t.Errorf("window credits %q, want %s", got, tc.applied)
			}
			if !strings.HasPrefix(s.stmt.Invoiced, "Invoiced: invoice INV-") || !strings.Contains(s.stmt.Invoiced, "(Open), issued 2024-11-05, USD 630.29") {
				t.Errorf("window says %q about the invoice", s.stmt.Invoiced)
			}
			if !strings.Contains(s.subheading.Text, s.stmt.Invoiced) {
				t.Errorf("the subheading %q does not say the month is invoiced", s.subheading.Text)
			}
			// The invoice's total beside the month computed again at the
			// invoice's options: 630.29 both, no difference.
			if got := s.lastAmount("Total"); got != "0.00" {
				t.Errorf("window difference of the totals %q, want 0.00", got)
			}
			if !s.stmtHas("invoice 630.29 · computed again 630.29") {
				t.Error("the window does not show the invoice's total beside the recomputed one")
			}
			if !s.stmtHas(tc.available+" available") && !s.stmtHas(tc.available+" left for later months") {
				t.Errorf("the window does not show the available credit %s", tc.available)
			}
			differs := s.stmtHas("This report's options differ from the invoice's")
			if differs != tc.optionsDiffer {
				t.Errorf("window: options differ shown %v, want %v", differs, tc.optionsDiffer)
			}

			if dir := os.Getenv("REBILL_SHOTS"); dir != "" {
				// To look at: REBILL_SHOTS=/tmp/shots go test -tags ci ./ui/ -run ReportOfAnInvoicedMonth
				s.statement.table.ScrollToBottom()
				f, err := os.Create(filepath.Join(dir, "report-invoiced-"+strings.ReplaceAll(tc.name, " ", "-")+".png"))
				if err != nil {
					t.Fatal(err)
				}
				if err := png.Encode(f, h.win.Canvas().Capture()); err != nil {
					t.Fatal(err)
				}
				f.Close()
			}

			// The command line, on a copy of the same database.
			out := runCLI(t, path, append([]string{"report", "--period", "2024-09", "--customer", "ACME"}, tc.flags...)...)
			for _, want := range []string{
				"Invoiced: invoice INV-", "(Open), issued 2024-11-05, USD 630.29.",
				"The invoice used USD 60.00 of reseller credits: they count as used by this month.",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("rebill report does not print %q:\n%s", want, out)
				}
			}
			if !regexp.MustCompile(`(?m)^  Total +630\.29 +630\.29 +0\.00$`).MatchString(out) {
				t.Errorf("rebill report does not print the invoice's total beside the recomputed one:\n%s", out)
			}
			if !regexp.MustCompile(`(?m)^Total USD +` + regexp.QuoteMeta(tc.total) + ` `).MatchString(out) {
				t.Errorf("rebill report's total is not %s:\n%s", tc.total, out)
			}
			if tc.credits && !regexp.MustCompile(`(?m)^Reseller credits applied +-60\.00$`).MatchString(out) {
				t.Errorf("rebill report does not apply the invoice's credits:\n%s", out)
			}
			if !tc.credits && !strings.Contains(out, "Reseller credits: not applied (option off); USD 25.00 available.") {
				t.Errorf("rebill report without credits does not show the balance:\n%s", out)
			}
			if got := strings.Contains(out, "This report's options differ"); got != tc.optionsDiffer {
				t.Errorf("CLI: options differ shown %v, want %v", got, tc.optionsDiffer)
			}
		})
	}
}

// lastAmount is the printed amount of the last statement row labelled
// label: below the total, the invoice's figures repeat the labels.
func (s *reportsScreen) lastAmount(label string) string {
	for i := len(s.stmt.Rows) - 1; i >= 0; i-- {
		if s.stmt.Rows[i].Label() == label {
			return s.stmt.Rows[i].Cells[2].Text
		}
	}
	return "(no row " + label + ")"
}

// stmtHas reports whether a cell of the statement's rows holds text,
// scrolled into view or not.
func (s *reportsScreen) stmtHas(text string) bool {
	for _, r := range s.stmt.Rows {
		for _, c := range r.Cells {
			if strings.Contains(c.Text, text) {
				return true
			}
		}
	}
	return false
}

// TestCustomerFormSaysWhenTermsApply: ACME's September is invoiced, so a
// currency changed in the form applies from October; the status says so,
// and an edit of the e-mail address alone dates nothing.
func TestCustomerFormSaysWhenTermsApply(t *testing.T) {
	h, _ := invoicedHarness(t)
	h.state.show("Customers")
	s := h.customers()
	s.selectCustomer("ACME")
	f := s.form
	f.currency.SetText("EUR")
	test.Tap(f.save)
	if want := "Saved. Its changed terms (currency, discount or uplift, pricing rules, recurring charges) apply from 2024-10"; !strings.HasPrefix(f.status.Text, want) {
		t.Errorf("status %q, want %q", f.status.Text, want)
	}
	f.email.SetText("ap@acme.example")
	test.Tap(f.save)
	if f.status.Text != "Saved." {
		t.Errorf("status after an e-mail edit %q, want Saved.", f.status.Text)
	}
}
