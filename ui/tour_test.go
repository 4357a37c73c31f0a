package ui

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"rebill/engine/billing"
	"rebill/engine/document"
	"rebill/engine/sample"
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

// TestTour walks the whole path in the window at 1024x700, from an empty
// database to the sample data, a statement, generated and approved
// invoices, a credit note, a void and the exports, checking at each step
// what the accountant reads. With REBILL_TOUR=DIR it also writes each
// step's picture into DIR: make tour writes docs/tour/ for the README.
func TestTour(t *testing.T) {
	tr := &tour{harness: newHarness(t), dir: os.Getenv("REBILL_TOUR")}
	if tr.dir != "" {
		if err := os.MkdirAll(tr.dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	fyne.CurrentApp().Settings().SetTheme(theme.DefaultTheme())
	tr.win.Resize(tourSize)

	// 1. An empty database opens on the welcome of the Import screen.
	tr.state.show("Import")
	tr.expect("empty database", "Load sample data")
	tr.picture("welcome")

	// 2. The sample data: two months of a synthetic CUR, customers and
	// their accounts.
	imp := tr.imports()
	test.Tap(findButton(t, imp.welcome, "Load sample data"))
	if imp.failure != nil {
		t.Fatal("loading the sample data failed")
	}
	tr.picture("import")

	tr.state.show("Periods")
	tr.expect("periods", "2024-09", "2024-10", "Final", "Provisional")
	tr.picture("periods")

	// 3. Who the reseller is, printed on every invoice.
	tr.state.show("Settings")
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

	// 6. Draft invoices for every customer of September.
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
	if drafts == 0 {
		t.Fatal("no draft to preview")
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

	// 8. The invoice as the customer will read it, and its files.
	inv.selectInvoice(acme.Invoice.ID)
	test.Tap(inv.viewBtn)
	v := inv.viewer
	tr.expect("invoice view", "Acme Retail Ltd", "BILL TO", "Total due")
	tr.picture("invoice")
	pdf := exportFile(t, v, document.FormatPDF, filepath.Join(t.TempDir(), "acme.pdf"))
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Errorf("the PDF starts %q", pdf[:min(8, len(pdf))])
	}

	// 9. A credit note of 10.00 for ACME's invoice.
	test.Tap(v.credit)
	tr.picture("credit-note")
	v.dialog.Hide()
	tr.picture("invoice-credited")
	inv.closeViewer()

	// 10. The reconciliation of the month with the distributor.
	tr.state.show("Reconciliation")
	tr.picture("reconciliation")
}
