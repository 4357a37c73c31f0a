package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/document"
	"rebill/engine/invoice"
	"rebill/store"
	"rebill/ui/view"
)

func (h *harness) invoices() *invoicesScreen { return h.shell.screens["Invoices"].(*invoicesScreen) }

// invoiceHarness is reportHarness (ACME in EMEA and GLOBEX in Americas,
// September 2024 final and October provisional) with the reseller's
// profile, so drafts can be approved, and INITECH in Americas, which owns
// no account and so has nothing to bill.
func invoiceHarness(t *testing.T) (*harness, *reportsScreen) {
	t.Helper()
	h, s := reportHarness(t)
	p := customer.DefaultProfile()
	p.CompanyName = "Nimbus Cloud Partners Ltd"
	p.Address = []string{"7 Cloud Court", "Manchester M1 2AB"}
	p.NumberFormat = "INV-{YYYY}-{SEQ:4}"
	p.PaymentInstructions = "Bank transfer to IBAN GB29 NWBK 6016 1331 9268 19."
	if err := h.db.PutProfile(p, testNow); err != nil {
		t.Fatal(err)
	}
	c := customer.Defaults{Currency: "USD", TermsDays: 30}.New()
	c.ID, c.Name, c.Group = "INITECH", "Initech", "Americas"
	if err := h.db.AddCustomer(c, testNow); err != nil {
		t.Fatal(err)
	}
	h.state.dataChanged()
	return h, s
}

// treeCheck finds the check box of the picker's node whose label starts
// with label, among the nodes on screen.
func treeCheck(t *testing.T, p *reportPicker, label string) *widget.Check {
	t.Helper()
	for _, o := range test.LaidOutObjects(p.tree) {
		box, ok := o.(*fyne.Container)
		if !ok || len(box.Objects) != 2 {
			continue
		}
		l, ok := box.Objects[0].(*tipLabel)
		lead, ok2 := box.Objects[1].(*fyne.Container)
		if !ok || !ok2 || !strings.HasPrefix(l.Text, label) {
			continue
		}
		return lead.Objects[0].(*widget.Check)
	}
	t.Fatalf("no tree node %q on screen", label)
	return nil
}

// tapDialog taps the button with this text on the dialog on top.
func (h *harness) tapDialog(text string) {
	h.t.Helper()
	top := h.win.Canvas().Overlays().Top()
	if top == nil {
		h.t.Fatalf("no dialog open to tap %q on", text)
	}
	test.Tap(findButton(h.t, top, text))
}

// row finds the invoices screen's row of a customer.
func (s *invoicesScreen) row(t *testing.T, customerID string) view.InvoiceRow {
	t.Helper()
	for _, r := range s.model.Rows {
		if r.Invoice.CustomerID == customerID {
			return r
		}
	}
	t.Fatalf("no invoice row of %s in %d rows", customerID, len(s.model.Rows))
	return view.InvoiceRow{}
}

// generateFor checks the customers, opens the Generate dialog, sets the
// options and generates.
func generateFor(t *testing.T, h *harness, s *reportsScreen, month string, ids []string, opt billing.Options) *generateDialog {
	t.Helper()
	h.state.show("Reports")
	s.month.SetSelected(month)
	s.picker.onSelectNone()
	for _, id := range ids {
		s.picker.check(pickCustomer+id, true)
	}
	test.Tap(s.picker.generate)
	g := s.generator
	if g == nil {
		t.Fatal("Generate invoices… opened no dialog")
	}
	for _, c := range []struct {
		box *widget.Check
		on  bool
	}{{g.credits, opt.Credits}, {g.tax, opt.Tax}, {g.market, opt.Marketplace}, {g.marketCredits, opt.MarketplaceCredits}} {
		if c.box.Checked != c.on {
			test.Tap(c.box)
		}
	}
	if g.confirm != nil {
		test.Tap(g.confirm) // a provisional month, knowingly
	}
	test.Tap(g.generate)
	return g
}

func TestPickerChecksAndOptionsMenu(t *testing.T) {
	h, s := invoiceHarness(t)
	h.state.show("Reports")
	p := s.picker
	if len(p.checkedIDs()) != 0 || !p.generate.Disabled() || !p.menu.Items[3].Disabled {
		t.Fatal("with nothing checked, Generate invoices should be disabled")
	}
	// A group's box checks its customers; the parent shows a partial mark.
	test.Tap(treeCheck(t, p, "Americas"))
	if got := p.checkedIDs(); !equalStrings(got, []string{"GLOBEX", "INITECH"}) {
		t.Fatalf("Americas checked %v", got)
	}
	all := treeCheck(t, p, "All customers")
	if all.Checked || !all.Partial {
		t.Errorf("All customers: checked %v partial %v, want a partial mark", all.Checked, all.Partial)
	}
	if p.generate.Disabled() || p.chosen.Text != "2 of 3 customers checked" {
		t.Errorf("Generate disabled %v, count %q", p.generate.Disabled(), p.chosen.Text)
	}
	// One customer's box.
	test.Tap(treeCheck(t, p, "Initech"))
	if got := p.checkedIDs(); !equalStrings(got, []string{"GLOBEX"}) {
		t.Errorf("after unchecking Initech: %v", got)
	}
	// Options: All, None. Items: All, None, separator, Generate invoices….
	if p.menu.Items[0].Label != "All" || p.menu.Items[1].Label != "None" || p.menu.Items[3].Label != "Generate invoices…" {
		t.Fatalf("Options menu %v", p.menu.Items)
	}
	p.menu.Items[0].Action()
	if got := p.checkedIDs(); len(got) != 3 || !treeCheck(t, p, "All customers").Checked {
		t.Errorf("All checked %v", got)
	}
	// Checks survive a refresh of the data.
	h.state.dataChanged()
	if got := p.checkedIDs(); len(got) != 3 {
		t.Errorf("after a refresh %v", got)
	}
	p.menu.Items[1].Action()
	if got := p.checkedIDs(); len(got) != 0 || !p.generate.Disabled() {
		t.Errorf("None left %v", got)
	}
	// Checking boxes does not change the report's selection.
	test.Tap(treeCheck(t, p, "Globex"))
	if p.selected != pickAll {
		t.Errorf("checking a box picked %q for the report", p.selected)
	}
}

// TestGenerateApproveAllExport walks the accountant's month: check
// customers, generate with tax, preview, approve all, view, download.
func TestGenerateApproveAllExport(t *testing.T) {
	h, s := invoiceHarness(t)
	g := generateFor(t, h, s, "2024-09  ·  Final", []string{"ACME", "GLOBEX", "INITECH"}, billing.Options{Tax: true})
	if g.warningBox.Visible() {
		t.Errorf("a final month warns: %q", g.warning.Text)
	}
	if g.shown != 3 || g.total != 3 || g.progress.Value != 1 || g.progress.Visible() {
		t.Errorf("progress %d of %d (bar at %v, shown %v) after generating", g.shown, g.total, g.progress.Value, g.progress.Visible())
	}
	// In the customer list's order (Americas, EMEA): GLOBEX 10.00 without
	// tax rates; INITECH owns no account; ACME 3.63 + VAT 20% 0.73 = 4.36
	// (see reportSeptember).
	want := [][]string{
		{"Globex", "Draft created", "USD 10.00"},
		{"Initech", "Nothing to bill", ""},
		{"Acme Retail", "Draft created", "USD 4.36"},
	}
	if len(g.rows) != len(want) {
		t.Fatalf("outcome rows %d, want %d", len(g.rows), len(want))
	}
	for i, w := range want {
		for j, text := range w {
			if got := g.rows[i].Cells[j].Text; got != text {
				t.Errorf("outcome row %d col %d = %q, want %q", i, j, got, text)
			}
		}
	}
	if !strings.Contains(g.outcome.Text, "2024-09: 2 drafts created, 1 customer with nothing to bill.") || !g.preview.Visible() {
		t.Errorf("summary %q, preview shown %v", g.outcome.Text, g.preview.Visible())
	}

	test.Tap(g.preview)
	inv := h.invoices()
	if got := h.shell.nav.Selected().Text; got != "Invoices" {
		t.Fatalf("Preview invoices showed %q", got)
	}
	if inv.month.Selected != "2024-09" || inv.heading.Text != "Preview: invoices of 2024-09" || len(inv.model.Rows) != 2 {
		t.Fatalf("preview: month %q, heading %q, %d rows", inv.month.Selected, inv.heading.Text, len(inv.model.Rows))
	}
	acme := inv.row(t, "ACME")
	if acme.Cells[view.ColNumber].Text != "Draft" || acme.Cells[view.ColStatus].Text != "Draft" || acme.Cells[view.ColTotal].Text != "USD 4.36" || acme.Cells[view.ColChange].Text != "" { // the first month invoiced: nothing to compare
		t.Errorf("ACME draft row %+v", acme.Cells)
	}
	if inv.approveAll.Disabled() || inv.approveAll.Text != "Approve all 2 drafts" {
		t.Errorf("Approve all: %q disabled %v", inv.approveAll.Text, inv.approveAll.Disabled())
	}

	test.Tap(inv.approveAll)
	for _, want := range []string{"Approve the 2 drafts of 2024-09, totalling USD 14.36?", "INV-2024-0001 to INV-2024-0002", "issue date 2024-11-05"} {
		if !h.shows(want) {
			t.Errorf("the confirmation does not say %q", want)
		}
	}
	h.tapDialog("Approve 2 drafts")
	if !h.shows("2 invoices were approved, INV-2024-0001 to INV-2024-0002") {
		t.Error("no approval notice")
	}
	inv.dialog.Hide()
	// Numbered gaplessly in customer name order, dated, due after 30 days.
	for id, num := range map[string]string{"ACME": "INV-2024-0001", "GLOBEX": "INV-2024-0002"} {
		r := inv.row(t, id)
		if r.Cells[view.ColNumber].Text != num || r.Cells[view.ColStatus].Text != "Open" || r.Cells[view.ColIssued].Text != "2024-11-05" || r.Cells[view.ColDue].Text != "2024-12-05" {
			t.Errorf("%s row after approval %+v", id, r.Cells)
		}
	}
	if !inv.approveAll.Disabled() {
		t.Error("Approve all stays enabled with no draft left")
	}

	// A deleted draft loses no number: October's draft of ACME is
	// deleted, generated again and approved as INV-2024-0003.
	h.shell.nav.Select(h.shell.items["Reports"])
	g = generateFor(t, h, s, "2024-10  ·  Provisional", []string{"ACME"}, billing.Options{})
	test.Tap(g.preview)
	inv.selectInvoice(inv.row(t, "ACME").Invoice.ID)
	test.Tap(inv.del)
	h.tapDialog("Delete")
	if len(inv.model.Rows) != 0 {
		t.Fatalf("the deleted draft is still listed: %d rows", len(inv.model.Rows))
	}
	g = generateFor(t, h, s, "2024-10  ·  Provisional", []string{"ACME"}, billing.Options{})
	test.Tap(g.preview)
	oct := inv.row(t, "ACME")
	// October 1.00 against September's 4.36: -3.36, -77.1%.
	if oct.Cells[view.ColChange].Text != "-3.36" || oct.Cells[view.ColPercent].Text != "-77.1%" || oct.Cells[view.ColPercent].Tone != view.Warning {
		t.Errorf("change vs September %q %q", oct.Cells[view.ColChange].Text, oct.Cells[view.ColPercent].Text)
	}
	inv.selectInvoice(oct.Invoice.ID)
	test.Tap(inv.approve)
	h.tapDialog("Approve")
	inv.dialog.Hide()
	if got := inv.row(t, "ACME").Cells[view.ColNumber].Text; got != "INV-2024-0003" {
		t.Errorf("October's invoice is %q, want INV-2024-0003 (no gap for the deleted draft)", got)
	}

	// View and download: the PDF and the workbook of INV-2024-0001.
	inv.muted = true
	inv.month.SetSelected("2024-09")
	inv.muted = false
	inv.load()
	inv.selectInvoice(inv.row(t, "ACME").Invoice.ID)
	test.Tap(inv.viewBtn)
	v := inv.viewer
	if !v.content.Visible() || !strings.Contains(v.title.Text, "Invoice INV-2024-0001") {
		t.Fatalf("viewer %v title %q", v.content.Visible(), v.title.Text)
	}
	for _, want := range []string{"Nimbus Cloud Partners Ltd", "BILL TO", "Acme Retail", "Compute", "Total due", "$4.36", "VAT 20% on 3.63", "Please pay $4.36 by 5 Dec 2024, quoting INV-2024-0001."} {
		if !h.shows(want) {
			t.Errorf("the invoice view does not show %q", want)
		}
	}
	if v.approve.Visible() || v.del.Visible() || !v.markPaid.Visible() || !v.void.Visible() || !v.credit.Visible() {
		t.Error("an Open invoice offers the wrong status actions")
	}
	test.Tap(v.pdf)
	if _, ok := v.dialog.(*dialog.FileDialog); !ok {
		t.Fatalf("Download PDF opened %T, want the save dialog", v.dialog)
	}
	v.dialog.Hide()
	dir := t.TempDir()
	pdf := exportFile(t, v, document.FormatPDF, filepath.Join(dir, "INV-2024-0001.pdf"))
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Errorf("the PDF starts %q", pdf[:min(8, len(pdf))])
	}
	xlsx := exportFile(t, v, document.FormatXLSX, filepath.Join(dir, "INV-2024-0001.xlsx"))
	f, err := excelize.OpenReader(bytes.NewReader(xlsx))
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	if sheets := f.GetSheetList(); !equalStrings(sheets, []string{"Summary", "Detail"}) {
		t.Errorf("sheets %v", sheets)
	}
	if csv := string(exportFile(t, v, document.FormatCSV, filepath.Join(dir, "INV-2024-0001.csv"))); !strings.Contains(csv, "4.36") {
		t.Errorf("the CSV does not have the total: %s", csv)
	}
	if got := v.fileName(document.FormatDetailCSV); got != "INV-2024-0001-detail.csv" {
		t.Errorf("detail file name %q", got)
	}
}

// exportFile downloads a document to path and returns its bytes.
func exportFile(t *testing.T, v *invoiceView, f document.Format, path string) []byte {
	t.Helper()
	w, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	v.exported = store.Exported{}
	v.export(f, w, path)
	if v.exported.Format != f || v.exported.Bytes == 0 {
		t.Errorf("export %s recorded %+v", f, v.exported)
	}
	if v.dialog == nil {
		t.Fatalf("no notice after saving %s", path)
	}
	v.dialog.Hide()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// approvedSeptember generates and approves September's invoices of ACME
// and GLOBEX through the store, as of testNow.
func approvedSeptember(t *testing.T, h *harness) {
	t.Helper()
	if _, err := h.db.GenerateInvoices(store.GenerateRequest{Period: "2024-09", Selection: customer.Selection{Customers: []string{"ACME", "GLOBEX"}}, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.db.ApproveDrafts("2024-09", testNow); err != nil {
		t.Fatal(err)
	}
	h.state.dataChanged()
}

func TestPastDueAndDeleteDisabled(t *testing.T) {
	h, _ := invoiceHarness(t)
	approvedSeptember(t, h)
	// Two months later both are past their due date of 2024-12-05.
	later := time.Date(2025, time.January, 6, 9, 0, 0, 0, time.UTC)
	h.state.now = func() time.Time { return later }
	h.state.dataChanged()
	inv := h.invoices()
	h.state.show("Invoices")
	inv.month.SetSelected("2024-09")
	acme := inv.row(t, "ACME")
	if acme.Cells[view.ColStatus].Text != "Past Due" || acme.Cells[view.ColStatus].Tone != view.Danger || acme.Cells[view.ColDue].Tone != view.Danger {
		t.Errorf("ACME's status %q (%v), due %q (%v)", acme.Cells[view.ColStatus].Text, acme.Cells[view.ColStatus].Tone, acme.Cells[view.ColDue].Text, acme.Cells[view.ColDue].Tone)
	}
	if !strings.Contains(inv.summary.Text, "2 past due") {
		t.Errorf("summary %q", inv.summary.Text)
	}
	// The status filter: Past Due lists them, Open does not.
	inv.status.SetSelected("Open")
	if len(inv.model.Rows) != 0 || !inv.empty.Visible() {
		t.Errorf("Open lists %d past-due invoices", len(inv.model.Rows))
	}
	inv.status.SetSelected("Past Due")
	if len(inv.model.Rows) != 2 {
		t.Errorf("Past Due lists %d", len(inv.model.Rows))
	}
	// Delete is disabled for an Open invoice, and the hint says why.
	inv.selectInvoice(acme.Invoice.ID)
	if !inv.del.Disabled() || !inv.approve.Disabled() || inv.viewBtn.Disabled() {
		t.Errorf("Delete disabled %v, Approve disabled %v, View disabled %v", inv.del.Disabled(), inv.approve.Disabled(), inv.viewBtn.Disabled())
	}
	if !strings.Contains(inv.hint.Text, "Delete is for drafts only: invoice INV-2024-0001 is Open and cannot be deleted (its number must stay in the sequence); void it or issue a credit note instead") {
		t.Errorf("hint %q", inv.hint.Text)
	}
	// A refusal from the store is shown with its reason.
	inv.deleteDraft(acme.Invoice, nil)
	if !h.shows("Invoice INV-2024-0001 is Open and cannot be deleted") {
		t.Error("deleting an Open invoice shows no reason")
	}
	inv.dialog.Hide()

	// The view: Past Due in red, then marked paid.
	test.Tap(inv.viewBtn)
	v := inv.viewer
	if !strings.HasSuffix(v.title.Text, "Past Due") || v.title.Importance != widget.DangerImportance || !h.shows("Past Due") {
		t.Errorf("view title %q (%v)", v.title.Text, v.title.Importance)
	}
	test.Tap(v.markPaid)
	h.tapDialog("Mark paid")
	if got, _ := h.db.Invoice(acme.Invoice.ID); got.Status != invoice.Closed || got.PaidDate.String() != "2025-01-06" {
		t.Errorf("after Mark paid: %s paid %s", got.Status, got.PaidDate)
	}
	if !strings.HasSuffix(v.title.Text, "Closed") || v.markPaid.Visible() || v.void.Visible() || !v.credit.Visible() || !h.shows("Paid 6 Jan 2025") {
		t.Errorf("closed view: title %q", v.title.Text)
	}
}

func TestGenerateWarnsOnProvisionalMonth(t *testing.T) {
	h, s := invoiceHarness(t)
	h.state.show("Reports")
	s.month.SetSelected("2024-10  ·  Provisional")
	s.picker.onSelectAll()
	test.Tap(s.picker.generate)
	g := s.generator
	want := "AWS has not closed 2024-10 yet: these numbers may change; the distributor announces the close between the 5th and 15th of November 2024."
	if !g.warningBox.Visible() || !strings.Contains(g.warning.Text, want) {
		t.Errorf("warning %q", g.warning.Text)
	}
	if !h.shows("3 customers: Globex, Initech, Acme Retail") {
		t.Error("the dialog does not name the customers checked")
	}
	// Credits for Marketplace need both credits and Marketplace.
	if !g.marketCredits.Disabled() {
		t.Error("credits for Marketplace enabled without credits")
	}
	test.Tap(g.credits)
	if !g.marketCredits.Disabled() {
		t.Error("credits for Marketplace enabled without Marketplace")
	}
	test.Tap(g.market)
	test.Tap(g.marketCredits)
	if g.marketCredits.Disabled() || !g.chosen().MarketplaceCredits {
		t.Error("credits for Marketplace not available with both")
	}
	test.Tap(g.credits)
	if !g.marketCredits.Disabled() || g.marketCredits.Checked || g.chosen().MarketplaceCredits {
		t.Error("credits for Marketplace stays on without credits")
	}
	// A provisional month is drafted only once the accountant confirms.
	if !g.generate.Disabled() || g.confirm == nil {
		t.Fatal("Generate is enabled on a provisional month before confirming")
	}
	test.Tap(g.confirm)
	test.Tap(g.generate)
	// An invoice already approved is left alone.
	if _, err := h.db.ApproveDrafts("2024-10", testNow); err != nil {
		t.Fatal(err)
	}
	h.state.show("Reports")
	test.Tap(s.picker.generate)
	g = s.generator
	test.Tap(g.confirm)
	test.Tap(g.generate)
	if r := g.rows[2].Cells; r[1].Text != "Left alone: Open" || r[3].Text != "Already approved as INV-2024-0001; it never changes" {
		t.Errorf("ACME's outcome %+v", r)
	}
	g.dlg.Hide()
	inv := h.invoices()
	showInvoicePreview(h.state, "2024-10")
	if inv.warningBox.Visible() {
		t.Error("the preview warns with no draft left to approve")
	}
	// Finish ends the preview and goes back to the Reports screen.
	if inv.heading.Text != "Preview: invoices of 2024-10" {
		t.Errorf("heading %q", inv.heading.Text)
	}
	test.Tap(inv.finish)
	if got := h.shell.nav.Selected().Text; got != "Reports" || inv.heading.Text != "Invoices of 2024-10" {
		t.Errorf("Finish showed %q, heading %q", got, inv.heading.Text)
	}
}

func TestInvoiceViewDisplayCurrency(t *testing.T) {
	h, _ := invoiceHarness(t)
	approvedSeptember(t, h)
	inv := h.invoices()
	h.state.show("Invoices")
	inv.month.SetSelected("2024-09")
	inv.openViewer(inv.row(t, "GLOBEX").Invoice.ID)
	v := inv.viewer
	if v.currency.Selected != "USD (invoice currency)" {
		t.Fatalf("currency %q", v.currency.Selected)
	}
	v.currency.SetSelected("EUR")
	if _, ok := v.dialog.(*dialog.FormDialog); !ok {
		t.Fatalf("choosing EUR opened %T, want the rate form", v.dialog)
	}
	for _, o := range test.LaidOutObjects(h.win.Canvas().Overlays().Top()) {
		if e, ok := o.(*widget.Entry); ok {
			switch e.PlaceHolder {
			case "e.g. 0.9137":
				test.Type(e, "0.9")
			case "e.g. ECB reference rate":
				test.Type(e, "ECB")
			}
		}
	}
	h.tapDialog("Show")
	// 10.00 x 0.9 = 9.00.
	for _, want := range []string{"Total in EUR", "€9.00", "Payable in USD", "$10.00", "DISPLAY CURRENCY"} {
		if !h.shows(want) {
			t.Errorf("the converted view does not show %q", want)
		}
	}
	if got, _ := h.db.Invoice(v.inv.ID); got.Currency != "USD" || got.Total.String() != "10.00" {
		t.Errorf("the stored invoice changed: %s %s", got.Currency, got.Total)
	}
	if got := v.fileName(document.FormatPDF); got != "INV-2024-0002-EUR.pdf" {
		t.Errorf("file name %q", got)
	}
	pdf := exportFile(t, v, document.FormatPDF, filepath.Join(t.TempDir(), "eur.pdf"))
	if c := v.exported.Conversion; c == nil || c.To != "EUR" || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Errorf("exported conversion %+v", c)
	}
	// Back to the invoice's own currency.
	v.currency.SetSelectedIndex(0)
	if v.display != nil || h.shows("Total in EUR") {
		t.Error("the view stays converted")
	}
}

func TestCorrectionAfterReimport(t *testing.T) {
	h, _ := invoiceHarness(t)
	approvedSeptember(t, h)
	// AWS re-delivers September with 2.00 more EC2 for ACME.
	dir := t.TempDir()
	h.imports().addPaths([]string{writeFile(t, dir, "sep2.csv", reportSeptember+
		"s5,111122223333,2024-09-01T00:00:00Z,444455556666,Usage,AmazonEC2,2,USD,EUINUS24-1\n")})
	test.Tap(h.imports().importBtn)
	inv := h.invoices()
	h.state.show("Invoices")
	inv.month.SetSelected("2024-09")
	acme := inv.row(t, "ACME")
	if !strings.Contains(acme.Cells[view.ColNote].Text, "Data changed since issue: +2.00") || !inv.changedBox.Visible() ||
		!strings.Contains(inv.changed.Text, "INV-2024-0001 (Acme Retail, +2.00 USD)") {
		t.Fatalf("note %q, banner %q", acme.Cells[view.ColNote].Text, inv.changed.Text)
	}
	if strings.Contains(inv.row(t, "GLOBEX").Cells[view.ColNote].Text, "changed") {
		t.Error("GLOBEX's unchanged invoice is marked")
	}
	inv.openViewer(acme.Invoice.ID)
	v := inv.viewer
	if !v.diffBox.Visible() || !strings.Contains(v.diff.Text, "its total was USD 3.63 and now computes USD 5.63 (+2.00)") ||
		!strings.Contains(v.diff.Text, "Compute · AmazonEC2: 3.50 → 5.50 (+2.00)") {
		t.Fatalf("difference %q", v.diff.Text)
	}
	test.Tap(v.correct)
	h.tapDialog("Issue correction")
	if !h.shows("Credit note CN-2024-00001 (USD -3.63) corrects INV-2024-0001. A new draft invoice for 2024-09 (USD 5.63) replaces it") {
		t.Errorf("correction notice: %q", h.texts())
	}
	inv.dialog.Hide()
	if v.diffBox.Visible() || inv.changedBox.Visible() {
		t.Error("the difference is still offered after the correction")
	}
	notes, _ := h.db.Invoices(store.InvoiceFilter{Period: "2024-09", Customer: "ACME", Kind: invoice.KindCreditNote}, testNow)
	if len(notes) != 1 || notes[0].Corrects != acme.Invoice.ID {
		t.Errorf("credit notes %+v", notes)
	}
}

// TestEmptyInvoicesHideTheTable: a month without invoices says so in
// place of the table, not drawn over its header row.
func TestEmptyInvoicesHideTheTable(t *testing.T) {
	h := newHarness(t)
	h.imports().addPaths([]string{writeFile(t, t.TempDir(), "october.csv", october)})
	test.Tap(h.imports().importBtn)
	h.state.show("Invoices")
	s := h.shell.screens["Invoices"].(*invoicesScreen)
	if s.empty.Text == "" || !s.empty.Visible() {
		t.Fatalf("no empty-state message for a month without invoices: %q", s.empty.Text)
	}
	if s.table.view.Visible() {
		t.Error("the empty table's header shows under the message")
	}
}
