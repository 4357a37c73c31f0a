package document_test

import (
	"bytes"
	"compress/zlib"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/document"
	"rebill/engine/invoice"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func render(t testing.TB, v invoice.View) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := document.PDF(&b, v); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// goldens are the rendered documents kept under testdata/: a EUR draft for
// "Müller GmbH" (umlauts, €, the DRAFT watermark, two pages), a JPY
// invoice (¥, no decimals) exported with the audit log's end, and a long
// USD invoice over four pages (its managed services and the totals on the last).
var goldens = []struct {
	file string
	view func(testing.TB) invoice.View
}{
	{"mueller-eur-draft.pdf", func(t testing.TB) invoice.View { return muellerDraft(t).View() }},
	{"tanaka-jpy.pdf", func(t testing.TB) invoice.View { return withAudit(tanakaOpen(t).View()) }},
	{"bigcorp-usd.pdf", func(t testing.TB) invoice.View { return bigCorpOpen(t).View() }},
}

// TestPDFGolden compares the PDFs byte for byte with testdata/; run
// `go test ./engine/document/ -run PDFGolden -update` after an intended
// change of the layout, then look at the new files.
func TestPDFGolden(t *testing.T) {
	for _, g := range goldens {
		t.Run(g.file, func(t *testing.T) {
			got := render(t, g.view(t))
			path := filepath.Join("testdata", g.file)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				out := filepath.Join(t.TempDir(), g.file)
				_ = os.WriteFile(out, got, 0o644)
				t.Errorf("%s differs from the golden file; the new rendering is %s (run with -update if the change is intended)", path, out)
			}
		})
	}
}

// TestPDFDeterministic: the same view gives the same bytes, rendered
// again or concurrently with other documents (the parsed font is shared;
// each document's glyph subset must not leak into another's).
func TestPDFDeterministic(t *testing.T) {
	views := []invoice.View{muellerDraft(t).View(), tanakaOpen(t).View(), bigCorpOpen(t).View()}
	want := make([][]byte, len(views))
	for i, v := range views {
		want[i] = render(t, v)
		if bytes.Contains(want[i], []byte("/CreationDate")) {
			t.Error("the PDF has a creation date")
		}
	}
	var wg sync.WaitGroup
	for r := 0; r < 4; r++ {
		for i, v := range views {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var b bytes.Buffer
				if err := document.PDF(&b, v); err != nil {
					t.Error(err)
					return
				}
				if !bytes.Equal(b.Bytes(), want[i]) {
					t.Errorf("document %d rendered differently the second time", i)
				}
			}()
		}
	}
	wg.Wait()
}

// pdfText extracts a PDF's text with poppler's pdftotext, one string per
// page, keeping the layout (columns side by side, as printed) or in
// reading order (each block's lines together); the test is skipped where
// pdftotext is missing.
func pdfText(t *testing.T, pdf []byte, layout bool) []string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed: install it to check the printed text")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-enc", "UTF-8", path, "-"}
	if layout {
		args = append([]string{"-layout"}, args...)
	}
	out, err := exec.Command(bin, args...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(string(out), "\f")
	if n := len(pages); n > 0 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1]
	}
	return pages
}

// amountAtEnd finds a printed amount at the end of a line of text:
// "-$1,234.57", "€7,070.45", "¥675,412", "3,846.98".
var amountAtEnd = regexp.MustCompile(`(-?)(?:[$€£¥]|[A-Z]{3} )?([0-9]{1,3}(?:,[0-9]{3})*(?:\.[0-9]+)?)\s*$`)

// parseAmount reads an amount at the end of a line.
func parseAmount(line string) (decimal.Decimal, bool) {
	m := amountAtEnd.FindStringSubmatch(line)
	if m == nil {
		return decimal.Zero, false
	}
	return decimal.RequireFromString(m[1] + strings.ReplaceAll(m[2], ",", "")), true
}

// TestPDFPrintedFiguresMatchStored reads the rendered text back: every
// line amount, every section subtotal and every figure of the totals
// block is printed as stored, the lines add up to the stored subtotal,
// and each page has its table header and its "Page i of n".
func TestPDFPrintedFiguresMatchStored(t *testing.T) {
	for _, g := range goldens {
		t.Run(g.file, func(t *testing.T) {
			v := g.view(t)
			pages := pdfText(t, render(t, v), true)
			f := v.Figures
			var lines, subtotals []decimal.Decimal
			totals := map[string]decimal.Decimal{}
			for i, page := range pages {
				if !strings.Contains(page, "Page "+itoa(i+1)+" of "+itoa(len(pages))) {
					t.Errorf("page %d has no page number of %d", i+1, len(pages))
				}
				inTable, inTotals := false, false
				for _, l := range strings.Split(page, "\n") {
					switch {
					case strings.Contains(l, "DESCRIPTION") && strings.Contains(l, "AMOUNT ("+f.Currency+")"):
						inTable = true
						continue
					case strings.Contains(l, "PAYMENT"):
						inTable, inTotals = false, true
					case strings.Contains(l, "Page ") || strings.HasPrefix(strings.TrimSpace(l), "EXCHANGE RATES"):
						inTable, inTotals = false, false
					}
					a, ok := parseAmount(l)
					switch {
					case !ok:
					case inTable && strings.Contains(l, "Subtotal"):
						subtotals = append(subtotals, a)
					case inTable:
						lines = append(lines, a)
					case inTotals:
						label := strings.TrimSpace(amountAtEnd.ReplaceAllString(l, ""))
						label = label[strings.LastIndex(label, "  ")+1:] // the payment text may share the line
						totals[strings.TrimSpace(label)] = a
					}
				}
				if i < len(pages)-1 || len(lines) < f.LineCount() {
					if !strings.Contains(page, "AMOUNT ("+f.Currency+")") {
						t.Errorf("page %d has no table header", i+1)
					}
				}
			}
			if len(lines) != f.LineCount() {
				t.Fatalf("read %d line amounts, the invoice has %d lines", len(lines), f.LineCount())
			}
			sum := decimal.Zero
			i := 0
			for _, s := range f.Sections {
				for _, l := range s.Lines {
					if !lines[i].Equal(l.Amount.Decimal()) {
						t.Errorf("line %s printed %s, stored %s", l.Service, lines[i], l.Amount)
					}
					sum = sum.Add(lines[i])
					i++
				}
			}
			if !sum.Equal(f.Subtotal.Decimal()) {
				t.Errorf("printed lines add up to %s, stored subtotal %s", sum, f.Subtotal)
			}
			if len(subtotals) != len(f.Sections) {
				t.Errorf("read %d section subtotals, the invoice has %d sections", len(subtotals), len(f.Sections))
			}
			for i, s := range f.Sections {
				if i < len(subtotals) && !subtotals[i].Equal(s.Subtotal.Decimal()) {
					t.Errorf("%s subtotal printed %s, stored %s", s.ProductType, subtotals[i], s.Subtotal)
				}
			}
			total, ok := totals[totalLabelOf(v)]
			if !ok || !total.Equal(f.Total.Decimal()) {
				t.Errorf("printed total %q = %s, stored %s (totals read: %v)", totalLabelOf(v), total, f.Total, totals)
			}
			if st, ok := totals["Subtotal"]; !ok || !st.Equal(f.Subtotal.Decimal()) {
				t.Errorf("printed subtotal %s, stored %s", st, f.Subtotal)
			}
			taxes := decimal.Zero
			for _, tl := range f.TaxLines {
				for label, a := range totals {
					if strings.HasPrefix(label, tl.Name) {
						taxes = taxes.Add(a)
					}
				}
			}
			if !taxes.Equal(f.Tax.Decimal()) {
				t.Errorf("printed tax %s, stored %s", taxes, f.Tax)
			}
		})
	}
}

func totalLabelOf(v invoice.View) string {
	switch {
	case v.Conversion != nil:
		return "Total in " + v.Conversion.To
	case v.Invoice.Kind == invoice.KindCreditNote:
		return "Total credited"
	case v.Invoice.Status == invoice.Open:
		return "Total due"
	}
	return "Total"
}

func itoa(i int) string { return decimal.NewFromInt(int64(i)).String() }

// TestPDFText checks what each kind of document says, from its text.
func TestPDFText(t *testing.T) {
	open := bigCorpOpen(t)
	closed, err := tanakaOpen(t).Close(invoice.NewDate(2026, 10, 20), "SWIFT 4471")
	if err != nil {
		t.Fatal(err)
	}
	void, err := open.Void("issued to the wrong legal entity", time.Date(2026, 10, 7, 10, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	note, err := open.CreditNote(invoice.CreditRequest{ID: "60", Amount: dec("1200"), Reason: "SLA credit for the 14 Sep outage", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	note, _, err = note.Approve(invoice.CreditNoteNumbering("", 5), invoice.NewDate(2026, 10, 9), now)
	if err != nil {
		t.Fatal(err)
	}
	// Credited in full by a credit note: Closed, but nothing was paid.
	owed := tanakaOpen(t)
	full, err := owed.CreditNote(invoice.CreditRequest{ID: "61", Reason: "cancelled order", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if full, _, err = full.Approve(invoice.CreditNoteNumbering("", 6), invoice.NewDate(2026, 10, 12), now); err != nil {
		t.Fatal(err)
	}
	credited, _ := owed.Settle([]invoice.Invoice{full}, nil, invoice.NewDate(2026, 10, 12), "")
	if credited.Status != invoice.Closed || credited.ClosedBy != invoice.ClosedByCreditNotes {
		t.Fatalf("credited in full: %s by %q", credited.Status, credited.ClosedBy)
	}
	jpy, err := muellerDraft(t).Convert("JPY", dec("163.4567"), "ECB reference rate", invoice.NewDate(2026, 10, 5))
	if err != nil {
		t.Fatal(err)
	}
	noLogo := tanakaOpen(t)
	noLogo.Seller.Logo = nil
	// The account entered only for e-invoices is printed too.
	ibanOnly := open
	ibanOnly.Seller.PaymentInstructions = ""
	ibanOnly.Seller.EInvoice.IBAN, ibanOnly.Seller.EInvoice.BIC = "DE89370400440532013000", "COBADEFFXXX"
	badLogo := tanakaOpen(t)
	badLogo.Seller.Logo = []byte("\x89PNG\r\n\x1a\nbroken")
	for _, tc := range []struct {
		name    string
		v       invoice.View
		want    []string
		notWant []string
	}{
		{"draft", muellerDraft(t).View(), []string{"Müller GmbH", "Jürgen Weiß", "Königstraße 12", "Draft, not yet numbered",
			"€7,070.45", "USt. 19% on", "1 USD = 0.9137 EUR (ECB reference rate 2026-09-30)", "not a request for payment", "14 days after issue"}, nil},
		{"open", open.View(), []string{"INVOICE", "INV-2026-00088", "5 Oct 2026", "19 Nov 2026", "September 2026",
			"Please pay $129,829.51 by 19 Nov 2026", "IBAN IE29", "Credits applied", "Free Trial: Log Analytics", "Networking (continued)"}, []string{"DRAFT", "VOID"}},
		{"closed", closed.View(), []string{"Paid 20 Oct 2026", "Paid on 20 Oct 2026 (reference SWIFT 4471). Thank you.", "¥675,412"}, []string{"Please pay"}},
		{"credited in full", credited.View(), []string{"Credited 12 Oct 2026", "Credited in full on 12 Oct 2026: nothing is due on this invoice."}, []string{"Paid", "Thank you", "Please pay"}},
		{"void", void.View(), []string{"Void since 7 Oct 2026", "issued to the wrong legal entity", "Nothing is due"}, []string{"Please pay"}},
		{"credit note", note.View(), []string{"CREDIT NOTE", "CN-2026-00005", "Credits invoice", "INV-2026-00088", "Total credited",
			"-$1,200.00", "Reason: SLA credit for the 14 Sep outage", "Credit on invoice INV-2026-00088", "Issued"}, []string{"Due date", "Please pay", "Open"}},
		{"display currency", jpy, []string{"AMOUNT (JPY)", "Shown in", "JPY (invoiced in EUR)", "Total in JPY", "Payable in EUR",
			"€7,070.45", "1 EUR = 163.4567 JPY (ECB reference rate, 5 Oct 2026)", "rounded to the JPY minor unit"}, nil},
		{"IBAN from the e-invoicing settings", ibanOnly.View(), []string{"Please pay $129,829.51 by 19 Nov 2026",
			"Bank transfer to IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX."}, nil},
		{"no logo", noLogo.View(), []string{"Nimbus Cloud Partners Ltd"}, nil},
		{"unreadable logo", badLogo.View(), []string{"Nimbus Cloud Partners Ltd"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := strings.Join(pdfText(t, render(t, tc.v), false), "\f")
			flat := strings.Join(strings.Fields(text), " ")
			for _, w := range tc.want {
				if !strings.Contains(flat, w) {
					t.Errorf("no %q in:\n%s", w, text)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(flat, w) {
					t.Errorf("%q printed", w)
				}
			}
		})
	}
}

// TestPDFWatermark: every page of a draft carries the diagonal DRAFT
// mark, of a void invoice the VOID mark, of an issued one neither. Text
// extraction scatters rotated letters, so this reads the page content
// streams: a rotation, then the mark's colour (draft 232,234,237, void
// 250,219,222, as gopdf writes a fill colour).
func TestPDFWatermark(t *testing.T) {
	open := bigCorpOpen(t)
	void, err := open.Void("duplicate", time.Date(2026, 10, 7, 10, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	const draftColour, voidColour = "0.910 0.918 0.929 rg", "0.980 0.859 0.871 rg"
	for _, tc := range []struct {
		name         string
		v            invoice.View
		pages        int
		draft, voids int
	}{
		{"draft", muellerDraft(t).View(), 2, 2, 0},
		{"open", open.View(), 4, 0, 0},
		{"void", void.View(), 4, 0, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pages, draft, voids := 0, 0, 0
			for _, s := range contentStreams(t, render(t, tc.v)) {
				if !strings.Contains(s, " Tf") {
					continue
				}
				pages++
				rotated := strings.Contains(s, " cm")
				if rotated && strings.Contains(s, draftColour) {
					draft++
				}
				if rotated && strings.Contains(s, voidColour) {
					voids++
				}
			}
			if pages != tc.pages || draft != tc.draft || voids != tc.voids {
				t.Errorf("%d pages, %d with DRAFT, %d with VOID; want %d, %d, %d", pages, draft, voids, tc.pages, tc.draft, tc.voids)
			}
		})
	}
}

// contentStreams inflates every Flate stream of a PDF.
func contentStreams(t *testing.T, pdf []byte) []string {
	t.Helper()
	var out []string
	for rest := pdf; ; {
		i := bytes.Index(rest, []byte("stream\n"))
		if i < 0 {
			return out
		}
		rest = rest[i+len("stream\n"):]
		j := bytes.Index(rest, []byte("endstream"))
		if j < 0 {
			return out
		}
		if r, err := zlib.NewReader(bytes.NewReader(rest[:j])); err == nil {
			if b, err := io.ReadAll(r); err == nil {
				out = append(out, string(b))
			}
		}
		rest = rest[j+len("endstream"):]
	}
}

// TestPDFEmbedsFonts: the text is in the embedded DejaVu fonts, so it
// prints the same on any machine, and only the glyphs used are embedded
// (gopdf subsets without the "ABCDEF+" name prefix, so pdffonts reports
// sub "no"; the file size shows the subsetting: DejaVu Sans alone is
// 740 KB).
func TestPDFEmbedsFonts(t *testing.T) {
	bin, err := exec.LookPath("pdffonts")
	if err != nil {
		t.Skip("pdffonts (poppler-utils) is not installed")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, render(t, muellerDraft(t).View()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, path).Output()
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSpace(string(out)), "\n")[2:]
	if len(rows) != 2 {
		t.Fatalf("fonts:\n%s", out)
	}
	for _, r := range rows {
		f := strings.Fields(r)
		if !strings.HasPrefix(r, "DejaVuSans") || !strings.Contains(r, "CID TrueType") || len(f) < 6 || f[len(f)-5] != "yes" {
			t.Errorf("font not embedded: %s", r)
		}
	}
	if n := len(render(t, muellerDraft(t).View())); n > 120_000 {
		t.Errorf("the PDF is %d bytes: are the fonts embedded whole?", n)
	}
}

// testHead is an audit log's end as an export passes it.
var testHead = invoice.Head{Seq: 42, Hash: strings.Repeat("3f2a", 16)}

const testHeadText = "Audit log entry 42, SHA-256 3f2a3f2a3f2a3f2a3f2a3f2a3f2a3f2a3f2a3f2a3f2a3f2a3f2a3f2a3f2a3f2a"

func withAudit(v invoice.View) invoice.View {
	h := testHead
	v.Audit = &h
	return v
}

// TestPDFPrintsTheAuditHead: every page's small print carries the audit
// log's end the view was exported with, whole, and a view without one
// prints none.
func TestPDFPrintsTheAuditHead(t *testing.T) {
	if got := document.AuditText(&testHead); got != testHeadText {
		t.Errorf("AuditText %q", got)
	}
	if got := document.AuditText(&invoice.Head{}); got != "" {
		t.Errorf("AuditText of an empty log %q", got)
	}
	pages := pdfText(t, render(t, withAudit(bigCorpOpen(t).View())), false)
	if len(pages) < 2 {
		t.Fatalf("%d pages", len(pages))
	}
	for i, p := range pages {
		if !strings.Contains(p, testHeadText) {
			t.Errorf("page %d does not print %q:\n%s", i+1, testHeadText, p)
		}
	}
	for i, p := range pdfText(t, render(t, bigCorpOpen(t).View()), false) {
		if strings.Contains(p, "Audit log") {
			t.Errorf("page %d of a view without an audit head prints one", i+1)
		}
	}
}

// TestPDFKeepsTheIBANOnOneLine: the payment paragraph is wrapped to a
// narrow column beside the totals, and a long IBAN (Malta's 31
// characters) stays whole on one line rather than being split where one
// of its groups ends.
func TestPDFKeepsTheIBANOnOneLine(t *testing.T) {
	inv := bigCorpOpen(t)
	inv.Seller.PaymentInstructions = ""
	inv.Seller.EInvoice.IBAN = "MT84MALT011000012345MTLCAST001S"
	want := "MT84 MALT 0110 0001 2345 MTLC AST0 01S"
	text := strings.Join(pdfText(t, render(t, inv.View()), false), "\n")
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(strings.Join(strings.Fields(line), " "), want) {
			return
		}
	}
	t.Errorf("no line prints %q whole:\n%s", want, text)
}

// TestPDFPrintsLongServiceNamesWhole: a service named as Azure and Google
// Cloud name theirs, longer than the column, wraps under itself as the
// description does, where it was cut to "Azure Database for …".
func TestPDFPrintsLongServiceNamesWhole(t *testing.T) {
	inv := tanakaOpen(t)
	l := &inv.Sections[0].Lines[0]
	l.Service, l.Name = "Azure Database for PostgreSQL Flexible Server", "Azure Database for PostgreSQL Flexible Server General Purpose - Dsv5 Series Compute - 2 vCore - West Europe"
	text := strings.Join(pdfText(t, render(t, inv.View()), false), "\f")
	if flat := strings.Join(strings.Fields(text), " "); !strings.Contains(flat, "Azure Database for PostgreSQL Flexible Server") || strings.Contains(flat, "…") {
		t.Errorf("the service is not printed whole:\n%s", text)
	}
}

// TestPDFSaysWhyNoVAT: an invoice charged no tax prints why, in its
// e-invoice's words, when the accountant chose the customer's VAT
// category: "Reverse charge" for an EU business customer, or the
// reason written; a customer left at the default prints nothing, and
// an invoice with tax prints its rate, not a reason.
func TestPDFSaysWhyNoVAT(t *testing.T) {
	untaxed := func(e customer.BuyerEInvoice, tax bool) string {
		c := tanaka
		c.EInvoice = e
		inv := approve(t, draftOf(t, "44", c, billing.Options{Tax: tax}, billing.Ledger{}, tanakaItems), 89)
		return strings.Join(strings.Fields(strings.Join(pdfText(t, render(t, inv.View()), false), " ")), " ")
	}
	for _, c := range []struct {
		name    string
		e       customer.BuyerEInvoice
		tax     bool
		want    string
		notWant string
	}{
		{"reverse charge", customer.BuyerEInvoice{VATCategory: customer.VATReverseCharge}, false, "VAT Reverse charge", ""},
		{"the reason written", customer.BuyerEInvoice{VATCategory: customer.VATReverseCharge, ExemptionReason: "Reverse charge: Article 196 of Council Directive 2006/112/EC"},
			false, "VAT Reverse charge: Article 196 of Council Directive 2006/112/EC", ""},
		{"export", customer.BuyerEInvoice{VATCategory: customer.VATExport}, false, "VAT Export outside the EU", ""},
		{"left at the default", customer.BuyerEInvoice{}, false, "", "Not subject to VAT"},
		{"charged tax", customer.BuyerEInvoice{VATCategory: customer.VATReverseCharge}, true, "Consumption tax 10%", "Reverse charge"},
	} {
		text := untaxed(c.e, c.tax)
		if c.want != "" && !strings.Contains(text, c.want) {
			t.Errorf("%s: no %q in\n%s", c.name, c.want, text)
		}
		if c.notWant != "" && strings.Contains(text, c.notWant) {
			t.Errorf("%s: %q printed", c.name, c.notWant)
		}
	}
}
