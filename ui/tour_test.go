package ui

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/document"
	"rebill/engine/invoice"
	"rebill/engine/sample"
	"rebill/store"
	"rebill/ui/view"
)

// tourSize is the smallest screen Rebill is made for: the tour's pictures
// show what an accountant on a 1024x768 laptop sees.
var tourSize = fyne.NewSize(1024, 700)

// tour is the whole path an accountant takes, driven through the window
// as a person would; each step can be photographed for the README.
type tour struct {
	*harness
	dir  string // where the pictures go; "" takes none
	shot int
}

// picture writes the window, dialogs included, as DIR/NN-name.png when
// the tour takes pictures.
func (tr *tour) picture(name string) {
	tr.t.Helper()
	tr.shot++
	if tr.dir == "" {
		return
	}
	f, err := os.Create(filepath.Join(tr.dir, twoDigits(tr.shot)+"-"+name+".png"))
	if err != nil {
		tr.t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, tr.win.Canvas().Capture()); err != nil {
		tr.t.Fatal(err)
	}
}

func twoDigits(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }

// expect fails the test, naming the step, when the window does not show
// every text.
func (tr *tour) expect(step string, texts ...string) {
	tr.t.Helper()
	for _, s := range texts {
		if !tr.shows(s) {
			tr.t.Errorf("%s: the window does not show %q", step, s)
		}
	}
}

// TestTour walks the whole path in the window, from an empty database to
// the sample data, a statement, generated and approved invoices, one shown
// in another currency and exported, a credit note, a payment, a void, the
// receivables and the ledger export, checking at each step what the
// accountant reads and, for the files, the stored invoice's figures.
// It runs at 1024x700, the smallest screen Rebill is made for. With
// REBILL_TOUR=DIR it also writes each step's picture into DIR, at
// REBILL_TOUR_SIZE (WxH, default 1024x700): make tour writes docs/tour/.
func TestTour(t *testing.T) {
	tr := &tour{harness: newHarness(t), dir: os.Getenv("REBILL_TOUR")}
	size := tourSize
	if tr.dir != "" {
		if err := os.MkdirAll(tr.dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if s := os.Getenv("REBILL_TOUR_SIZE"); s != "" {
			var w, h float32
			if _, err := fmt.Sscanf(s, "%gx%g", &w, &h); err != nil {
				t.Fatalf("REBILL_TOUR_SIZE %q: want WxH, e.g. 1280x800", s)
			}
			size = fyne.NewSize(w, h)
		}
	}
	fyne.CurrentApp().Settings().SetTheme(themeFor("light"))
	tr.win.Resize(size)

	// 1. An empty database opens on the welcome, which offers the sample.
	if !tr.shell.welcomeAtStart() || tr.shown() != welcomeTitle {
		t.Fatalf("an empty database opens on %q", tr.shown())
	}
	tr.expect("welcome", "0 of 4 steps done")
	tr.picture("welcome")

	// 2. The sample data: two months of a synthetic CUR, customers and
	// their accounts.
	test.Tap(findButton(t, tr.shell.welcome.content, "Try with sample data"))
	tr.expect("welcome after the sample", "3 of 4 steps done")
	tr.picture("welcome-sample")
	tr.state.show("Import")
	tr.picture("import")

	tr.state.show("Periods")
	tr.expect("periods", "2024-09", "2024-10", "Final", "Provisional")
	tr.picture("periods")

	// 3. Who the reseller is, printed on every invoice.
	tr.state.show("Settings")
	tr.expect("settings", "Nimbus Cloud Partners Ltd")
	tr.picture("settings")

	// 4. The customers and the accounts they own.
	tr.state.show("Customers")
	tr.expect("customers", "Acme Retail Ltd", "Contoso Europe SARL")
	tr.picture("customers")

	// 5. One customer's statement of September, before any invoice.
	rep := tr.reports()
	tr.state.show("Reports")
	rep.month.SetSelected("2024-09  ·  Final")
	rep.picker.selectCustomer(sample.CustomerAcme)
	if len(rep.stmt.Rows) == 0 {
		t.Fatal("no statement of ACME for 2024-09")
	}
	tr.expect("statement", "Acme Retail Ltd")
	tr.picture("statement")

	// 6. Draft invoices for every customer of September, with tax.
	all := []string{sample.CustomerAcme, sample.CustomerContoso, sample.CustomerFabrikam, sample.CustomerGlobex, sample.CustomerInitech, sample.CustomerUmbrella}
	g := generateFor(t, tr.harness, rep, "2024-09  ·  Final", all, billing.Options{Tax: true, Credits: true})
	if !strings.Contains(g.outcome.Text, "2024-09:") || !strings.Contains(g.outcome.Text, "drafts created") {
		t.Fatalf("generation outcome %q", g.outcome.Text)
	}
	tr.picture("generate")

	// 7. The drafts, reviewed, then approved together.
	test.Tap(g.preview)
	inv := tr.invoices()
	drafts := len(inv.model.Rows)
	if drafts != len(all) {
		t.Fatalf("%d drafts to preview, want one per customer (%d)", drafts, len(all))
	}
	tr.picture("drafts")
	test.Tap(inv.approveAll)
	tr.expect("approve all", "Approve the "+count(int64(drafts))+" drafts of 2024-09")
	tr.picture("approve")
	tr.tapDialog("Approve " + count(int64(drafts)) + " drafts")
	inv.dialog.Hide()
	acme := inv.row(t, sample.CustomerAcme)
	if acme.Cells[view.ColStatus].Text != "Open" {
		t.Fatalf("ACME after approval: %+v", acme.Cells)
	}
	tr.picture("invoices")

	// 8. The invoice as the customer will read it, and its files, whose
	// total is the stored invoice's.
	stored, err := tr.db.Invoice(acme.Invoice.ID)
	if err != nil {
		t.Fatal(err)
	}
	total := stored.Total.Decimal()
	inv.selectInvoice(acme.Invoice.ID)
	test.Tap(inv.viewBtn)
	v := inv.viewer
	tr.expect("invoice view", "Acme Retail Ltd", "BILL TO", "Total due", view.Money(stored.Total))
	tr.picture("invoice")
	pdf := exportFile(t, v, document.FormatPDF, filepath.Join(t.TempDir(), "acme.pdf"))
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Errorf("the PDF starts %q", pdf[:min(8, len(pdf))])
	}
	xlsx := filepath.Join(t.TempDir(), "acme.xlsx")
	exportFile(t, v, document.FormatXLSX, xlsx)
	if !workbookHolds(t, xlsx, total) {
		t.Errorf("the workbook holds no cell with the invoice's total %s", stored.Total)
	}

	// 9. Shown in euros at a stated rate: the view converts, the invoice
	// stays in dollars.
	v.currency.SetSelected("EUR")
	for _, e := range tr.dialogEntries() {
		switch e.PlaceHolder {
		case "e.g. 0.9137":
			e.SetText("0.9")
		case "e.g. ECB reference rate":
			e.SetText("ECB reference rate")
		}
	}
	tr.picture("currency")
	tr.tapDialog("Show")
	// Each printed amount is converted and rounded to the cent, so the
	// converted total is 0.9 times the invoice's within half a cent per
	// amount.
	inEUR := v.v.Figures.Total.Decimal()
	amounts := len(v.v.Figures.TaxLines) + 3 // tax lines, discount, credits, tax
	for _, sec := range v.v.Figures.Sections {
		amounts += len(sec.Lines)
	}
	slack := decimal.New(5, -3).Mul(decimal.NewFromInt(int64(amounts)))
	if diff := inEUR.Sub(total.Mul(decimal.RequireFromString("0.9"))).Abs(); v.v.Figures.Currency != "EUR" || diff.GreaterThan(slack) {
		t.Errorf("shown as %s %s, 0.9 x %s is off by %s (at most %s)", v.v.Figures.Currency, inEUR, total, diff, slack)
	}
	tr.expect("invoice in EUR", "Total in EUR", "€"+inEUR.StringFixed(2), "Payable in USD", "$"+total.StringFixed(2))
	tr.picture("invoice-eur")
	eur := exportFile(t, v, document.FormatPDF, filepath.Join(t.TempDir(), "acme-eur.pdf"))
	if c := v.exported.Conversion; c == nil || c.To != "EUR" || !bytes.HasPrefix(eur, []byte("%PDF")) {
		t.Errorf("the converted PDF records %+v", c)
	}
	v.currency.SetSelectedIndex(0)
	if again, _ := tr.db.Invoice(stored.ID); again.Currency != stored.Currency || !again.Total.Decimal().Equal(total) {
		t.Errorf("showing it in EUR changed the stored invoice: %s %s", again.Currency, again.Total)
	}

	// 10. A credit note of 10.00 (tax included), with its reason.
	test.Tap(v.credit)
	for _, o := range test.LaidOutObjects(tr.win.Canvas().Overlays().Top()) {
		switch w := o.(type) {
		case *widget.RadioGroup:
			w.SetSelected("An amount (tax included)")
		case *widget.Entry:
			switch {
			case w.PlaceHolder == "e.g. 25.00":
				test.Type(w, "10.00")
			case strings.HasPrefix(w.PlaceHolder, "e.g. goodwill"):
				test.Type(w, "Goodwill for the outage of 12 September")
			}
		}
	}
	tr.picture("credit-note")
	tr.tapDialog("Issue credit note")
	v.dialog.Hide()
	notes, err := tr.db.Invoices(store.InvoiceFilter{Kind: invoice.KindCreditNote}, testNow)
	if err != nil || len(notes) != 1 || !notes[0].Total.Decimal().Abs().Equal(decimal.RequireFromString("10.00")) {
		t.Fatalf("credit notes after issuing 10.00: %+v (%v)", notes, err)
	}

	// 11. The rest paid: the payment form offers the open amount, which
	// is the total less the credit note; the invoice is then Closed.
	open := total.Sub(decimal.RequireFromString("10.00"))
	test.Tap(v.payments.record)
	e := tr.dialogEntries()
	if len(e) != 3 || e[1].Text != open.StringFixed(2) {
		t.Fatalf("the payment form offers %d entries, amount %q, want %s", len(e), e[1].Text, open.StringFixed(2))
	}
	e[2].SetText("WIRE 2024-1107")
	tr.picture("payment")
	tr.tapDialog("Record payment")
	if got, _ := tr.db.Invoice(stored.ID); got.Effective(testNow) != invoice.Closed {
		t.Errorf("paid and credited in full, the invoice is %s", got.Effective(testNow))
	}
	tr.picture("invoice-closed")
	inv.closeViewer()

	// 12. GLOBEX's invoice voided, with its reason.
	globex := inv.row(t, sample.CustomerGlobex)
	inv.openViewer(globex.Invoice.ID)
	test.Tap(inv.viewer.void)
	for _, e := range tr.dialogEntries() {
		test.Type(e, "Sent to the wrong customer")
	}
	tr.picture("void")
	tr.tapDialog("Void invoice")
	if got, _ := tr.db.Invoice(globex.Invoice.ID); got.Effective(testNow) != invoice.Void {
		t.Errorf("GLOBEX after the void: %s", got.Effective(testNow))
	}
	inv.closeViewer()

	// 13. What customers owe, and the month booked for the ledger.
	tr.state.show("Receivables")
	tr.picture("receivables")
	tr.state.show("Invoices")
	showLedgerExport(tr.state)
	tr.picture("ledger-export")
	tr.closeOverlays()

	// 14. The reconciliation of the month with the distributor.
	tr.state.show("Reconciliation")
	tr.picture("reconciliation")

	// The database the tour leaves, for make tour's pictures of the real
	// window.
	// October's drafts too, so that the Invoices screen, which opens on
	// the latest month, shows drafts awaiting review.
	if path := os.Getenv("REBILL_TOUR_DB"); path != "" {
		if _, err := tr.db.GenerateInvoices(store.GenerateRequest{Period: "2024-10", Selection: customer.Selection{Customers: all},
			Options: billing.Options{Tax: true, Credits: true}, Now: testNow}); err != nil {
			t.Fatal(err)
		}
		if _, err := tr.db.Backup(path, true); err != nil {
			t.Fatal(err)
		}
	}
}

// workbookHolds says whether a workbook has a cell, on any sheet, whose
// number is want.
func workbookHolds(t *testing.T, path string, want decimal.Decimal) bool {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			for _, cell := range row {
				if d, err := decimal.NewFromString(cell); err == nil && d.Equal(want) {
					return true
				}
			}
		}
	}
	return false
}
