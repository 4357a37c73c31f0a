package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/ui/view"
)

func (h *harness) reports() *reportsScreen { return h.shell.screens["Reports"].(*reportsScreen) }

// reportHeader is a legacy CUR CSV header with product codes.
const reportHeader = "identity/LineItemId,bill/PayerAccountId,bill/BillingPeriodStartDate,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/ProductCode,lineItem/UnblendedCost,lineItem/CurrencyCode,bill/InvoiceId\n"

// reportSeptember is final. By hand, 444455556666 (ACME): AmazonEC2
// 1.0000000001 + 2.5 = 3.5000000001, printed 3.50; AmazonS3 0.125, printed
// 0.13 (half-up); subtotal 3.63. 777788889999 (GLOBEX): AmazonEC2 10.
const reportSeptember = reportHeader +
	"s1,111122223333,2024-09-01T00:00:00Z,444455556666,Usage,AmazonEC2,1.0000000001,USD,EUINUS24-1\n" +
	"s2,111122223333,2024-09-01T00:00:00Z,444455556666,Usage,AmazonEC2,2.5,USD,EUINUS24-1\n" +
	"s3,111122223333,2024-09-01T00:00:00Z,444455556666,Usage,AmazonS3,0.125,USD,EUINUS24-1\n" +
	"s4,111122223333,2024-09-01T00:00:00Z,777788889999,Usage,AmazonEC2,10,USD,EUINUS24-1\n"

// reportOctober is provisional: ACME's AmazonEC2 1.
const reportOctober = reportHeader +
	"o1,111122223333,2024-10-01T00:00:00Z,444455556666,Usage,AmazonEC2,1,USD,\n"

// reportHarness imports both months and sets up ACME (EMEA, VAT 20%) and
// GLOBEX (Americas) owning one account each.
func reportHarness(t *testing.T) (*harness, *reportsScreen) {
	t.Helper()
	h := newHarness(t)
	dir := t.TempDir()
	h.imports().addPaths([]string{writeFile(t, dir, "sep.csv", reportSeptember), writeFile(t, dir, "oct.csv", reportOctober)})
	test.Tap(h.imports().importBtn)
	d := customer.Defaults{Currency: "USD", TermsDays: 30}
	acme, globex := d.New(), d.New()
	acme.ID, acme.Name, acme.Group = "ACME", "Acme Retail", "EMEA"
	acme.TaxRates = []customer.TaxRate{{Name: "VAT 20%", Percent: decimal.NewFromInt(20)}}
	globex.ID, globex.Name, globex.Group = "GLOBEX", "Globex", "Americas"
	for _, c := range []customer.Customer{acme, globex} {
		if err := h.db.AddCustomer(c, testNow); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range []customer.Mapping{{Account: "444455556666", Customer: "ACME", From: "2024-01"}, {Account: "777788889999", Customer: "GLOBEX", From: "2024-01"}} {
		if err := h.db.Map(m, testNow); err != nil {
			t.Fatal(err)
		}
	}
	h.state.dataChanged()
	return h, h.reports()
}

// stmtAmount is the printed amount of the statement row labelled label.
func (s *reportsScreen) stmtAmount(label string) string {
	if i := s.stmtRow(label); i >= 0 {
		return s.stmt.Rows[i].Cells[2].Text
	}
	return "(no row " + label + ")"
}

func (s *reportsScreen) stmtRow(label string) int {
	for i, r := range s.stmt.Rows {
		if r.Label() == label {
			return i
		}
	}
	return -1
}

func TestReportsEmpty(t *testing.T) {
	h := newHarness(t)
	h.state.show("Reports")
	if !h.shows("No billing data yet") || h.reports().body.Visible() {
		t.Error("an empty database should lead to the Import screen")
	}
	dir := t.TempDir()
	h.imports().addPaths([]string{writeFile(t, dir, "oct.csv", reportOctober)})
	test.Tap(h.imports().importBtn)
	if !h.shows("No customers yet") {
		t.Error("data without customers should lead to the Customers screen")
	}
}

func TestReportsStatement(t *testing.T) {
	h, s := reportHarness(t)
	if got := s.month.Options; len(got) != 2 || got[0] != "2024-10  ·  Provisional" || got[1] != "2024-09  ·  Final" {
		t.Fatalf("months %q, want newest first with their finality", got)
	}
	// Every customer of the newest month, provisional, until the
	// accountant picks a month.
	h.state.show("Reports")
	if s.month.Selected != s.month.Options[0] || len(s.summaryRows) != 2 || !h.shows("Provisional data") {
		t.Fatalf("default: month %q, %d summary rows", s.month.Selected, len(s.summaryRows))
	}
	if r := s.summaryRows[1]; r.ID != "ACME" || r.Cells[5].Text != "USD 1.00" {
		t.Errorf("October ACME row %+v", r)
	}

	s.month.SetSelected("2024-09  ·  Final")
	h.state.dataChanged() // the month picked stays when data changes
	if s.month.Selected != "2024-09  ·  Final" || len(s.summaryRows) != 2 || s.summaryRows[0].Cells[5].Text != "USD 10.00" || s.summaryRows[1].Cells[5].Text != "USD 3.63" || h.shows("Provisional data") {
		t.Errorf("September summary %+v", s.summaryRows)
	}
	// Opening a row of the summary opens the customer's statement, and
	// takes away the tip a click on its cut name showed.
	c := h.win.Canvas()
	c.Overlays().Add(newTipOverlay("Acme Retail (ACME)", fyne.NewPos(10, 10), fyne.NewSize(80, 20), c, nil))
	s.summary.table.Select(widget.TableCellID{Row: 1, Col: 0})
	if _, tip := c.Overlays().Top().(*tipOverlay); tip {
		t.Error("the summary's tip stays over the statement")
	}
	if id, ok := s.picker.pick().single(); !ok || id != "ACME" {
		t.Fatalf("summary row opened %q", s.picker.selected)
	}
	if !strings.Contains(s.heading.Text, "Acme Retail (ACME) — 2024-09 · Final") {
		t.Errorf("heading %q", s.heading.Text)
	}
	for label, want := range map[string]string{"AmazonEC2": "3.50", "AmazonS3": "0.13", "Compute subtotal": "3.50", "Subtotal": "3.63", "Tax": "0.00", "Total": "USD 3.63"} {
		if got := s.stmtAmount(label); got != want {
			t.Errorf("%s = %q, want %q", label, got, want)
		}
	}
	if !h.shows("USD 3.63") || !h.shows("3.5000000001") {
		t.Error("the total and the full-precision line are not on screen")
	}

	// Tax: 20% of the rounded subtotal 3.63 = 0.726, rounded once: 0.73.
	test.Tap(s.tax)
	if got := s.stmtAmount("Tax: VAT 20% on 3.63"); got != "0.73" {
		t.Errorf("tax %q", got)
	}
	if got := s.stmtAmount("Total"); got != "USD 4.36" {
		t.Errorf("total with tax %q, want USD 4.36", got)
	}
	// The usage view: each line item to the cent first, 1.00 + 2.50 + 0.13.
	if n := len(s.stmt.Usage); n != 3 || s.stmt.Usage[n-1].Cells[2].Text != "USD 3.63" || s.stmt.Usage[n-1].Cells[4].Text != "0.00" {
		t.Errorf("usage view %+v", s.stmt.Usage)
	}
	// The console variance: the console shows 3.63; the tax is the cause.
	if n := len(s.stmt.Console); s.stmt.Console[n-1].Cells[3].Text != "4.36" || !strings.Contains(s.stmt.Console[n-1].Cells[5].Text, "tax") {
		t.Errorf("console variance %+v", s.stmt.Console)
	}

	// A line's trace.
	s.statement.table.Select(widget.TableCellID{Row: s.stmtRow("AmazonEC2"), Col: 0})
	if s.dialog == nil {
		t.Fatal("selecting a line opened no trace")
	}
	for _, want := range []string{"Where this amount comes from", "Line items by type (2 line items in all)", "3.5000000001", "half-up to the USD minor unit: adjustment -0.0000000001", "re-rated basis"} {
		if !h.shows(want) {
			t.Errorf("the trace does not show %q", want)
		}
	}
	s.dialog.Hide()
}

func TestReportsGroupAndMissingRate(t *testing.T) {
	h, s := reportHarness(t)
	s.month.SetSelected("2024-09  ·  Final")
	s.picker.tree.Select(pickGroup + "emea")
	if len(s.summaryRows) != 1 || s.summaryRows[0].ID != "ACME" || !strings.Contains(s.heading.Text, "Group EMEA") {
		t.Errorf("group EMEA: %+v, heading %q", s.summaryRows, s.heading.Text)
	}

	// GLOBEX is invoiced in EUR: no statement until the rate is entered.
	c, _ := h.db.Customer("GLOBEX")
	c.Currency = "EUR"
	if err := h.db.PutCustomer(c, testNow); err != nil {
		t.Fatal(err)
	}
	h.state.dataChanged()
	s.picker.tree.Select(pickAll)
	if n := s.summaryRows[0]; n.ID != "GLOBEX" || n.Cells[view.SumNote].Tone != view.Danger || n.Cells[view.SumNote].Text != "needs the USD → EUR rate for 2024-09" {
		t.Errorf("summary row of a customer without its rate: %+v", n)
	}
	s.picker.tree.Select(pickCustomer + "GLOBEX")
	if !s.problemBox.Visible() || !strings.Contains(s.problem.Text, "Globex is invoiced in EUR and its charges are in USD, so it needs the USD → EUR exchange rate for 2024-09") ||
		!s.enterRate.Visible() || s.enterRate.Text != "Enter the USD → EUR rate for 2024-09…" {
		t.Fatalf("missing rate: %q, button %q", s.problem.Text, s.enterRate.Text)
	}
	test.Tap(s.enterRate)
	if s.dialog == nil || !h.shows("Exchange rate USD → EUR, 2024-09") {
		t.Fatal("no rate form")
	}
	s.dialog.Hide()
	if _, err := h.db.PutRate(billing.EnteredRate{From: "USD", To: "EUR", Period: "2024-09", Rate: decimal.RequireFromString("0.9"), Source: "ECB"}, testNow); err != nil {
		t.Fatal(err)
	}
	s.compute()
	// 10 x 0.9 = 9.00.
	if s.problemBox.Visible() || s.stmtAmount("Total") != "EUR 9.00" || !strings.Contains(s.subheading.Text, "1 USD = 0.9 EUR (ECB)") {
		t.Errorf("after the rate: total %q, subheading %q", s.stmtAmount("Total"), s.subheading.Text)
	}
}

// reportTwoClouds is one FOCUS file of September 2024 with ACME's AWS
// account and its Azure subscription. By hand: AWS AmazonEC2 2.50; Azure
// Virtual Machines 10.004, printed 10.00.
const reportTwoClouds = "BilledCost,BillingAccountId,BillingCurrency,BillingPeriodStart,ChargeCategory,ProviderName,ServiceName,SubAccountId\n" +
	"2.5,111122223333,USD,2024-09-01 00:00:00,Usage,AWS,AmazonEC2,444455556666\n" +
	"10.004,/providers/Microsoft.Billing/billingAccounts/8611537,USD,2024-09-01 00:00:00,Usage,Microsoft,Virtual Machines,/subscriptions/64e355d7-997c-491d-b0c1-8414dccfcf42\n"

// TestReportsPerProvider: the month's providers are offered, AWS first;
// choosing Azure shows the customer's Azure statement, named so.
func TestReportsPerProvider(t *testing.T) {
	h := newHarness(t)
	h.imports().addPaths([]string{writeFile(t, t.TempDir(), "focus.csv", reportTwoClouds)})
	test.Tap(h.imports().importBtn)
	if got := h.imports().results.cell(0, 4).text; got != "AWS 111122223333, Microsoft Azure 8611537" {
		t.Errorf("Import screen: provider and payer %q", got)
	}
	d := customer.Defaults{Currency: "USD", TermsDays: 30}
	acme := d.New()
	acme.ID, acme.Name = "ACME", "Acme Retail"
	if err := h.db.AddCustomer(acme, testNow); err != nil {
		t.Fatal(err)
	}
	for _, acct := range []string{"444455556666", "64e355d7-997c-491d-b0c1-8414dccfcf42"} {
		if err := h.db.Map(customer.Mapping{Account: acct, Customer: "ACME", From: "2024-01"}, testNow); err != nil {
			t.Fatal(err)
		}
	}
	h.state.dataChanged()
	s := h.reports()
	h.state.show("Reports")
	if got := s.provider.Options; len(got) != 2 || got[0] != "AWS" || got[1] != "Microsoft Azure" || s.provider.Selected != "AWS" {
		t.Fatalf("providers %q, selected %q", got, s.provider.Selected)
	}
	s.picker.selectCustomer("ACME")
	if got := s.stmtAmount("AmazonEC2"); got != "2.50" || !strings.HasPrefix(s.subheading.Text, "AWS · ") {
		t.Errorf("AWS statement: AmazonEC2 %q, subheading %q", got, s.subheading.Text)
	}
	s.provider.SetSelected("Microsoft Azure")
	if got := s.stmtAmount("Virtual Machines"); got != "10.00" || s.stmtRow("AmazonEC2") >= 0 || !strings.HasPrefix(s.subheading.Text, "Microsoft Azure · ") {
		t.Errorf("Azure statement: Virtual Machines %q, subheading %q", got, s.subheading.Text)
	}
}
