package store

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/document"
	"rebill/engine/einvoice"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
	"rebill/engine/money"
	"rebill/engine/sample"
)

// exportFile exports an invoice to a file and returns its bytes.
func exportFile(t *testing.T, db *DB, req ExportRequest) []byte {
	t.Helper()
	var b bytes.Buffer
	got, err := db.ExportInvoice(req, &b)
	if err != nil {
		t.Fatalf("export %s: %v", req.Format, err)
	}
	if got.Bytes != int64(b.Len()) || len(got.SHA256) != 64 {
		t.Errorf("export %s reported %+v for %d bytes", req.Format, got, b.Len())
	}
	p := filepath.Join(t.TempDir(), "invoice"+req.Format.Ext())
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// amountText matches a printed amount at the end of a line: "$1,234.56",
// "-€74.73", "EUR 1,234.56".
var amountText = regexp.MustCompile(`(-?)(?:[$€£¥]|[A-Z]{3} )?([0-9]{1,3}(?:,[0-9]{3})*(?:\.[0-9]+)?)\s*$`)

func parsePrinted(t *testing.T, line string) decimal.Decimal {
	t.Helper()
	m := amountText.FindStringSubmatch(strings.TrimSpace(line))
	if m == nil {
		t.Fatalf("no amount at the end of %q", line)
	}
	return decimal.RequireFromString(m[1] + strings.ReplaceAll(m[2], ",", ""))
}

// TestExportsAgreeWithTheStoredTotal exports an issued invoice in every
// format and reads each back: the total printed on the PDF, the Excel
// total cell and the CSV total row equal the stored total; the detail CSV
// lists exactly the customer's line items of the month.
func TestExportsAgreeWithTheStoredTotal(t *testing.T) {
	db := sampleDB(t)
	id := openACME(t, db)
	inv := mustInvoice(t, db, id)
	total := inv.Total.Decimal()

	t.Run("pdf", func(t *testing.T) {
		pdf := exportFile(t, db, ExportRequest{Invoice: id, Format: document.FormatPDF, Now: oct6})
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Fatalf("not a PDF: %.20q", pdf)
		}
		if _, err := exec.LookPath("pdftotext"); err != nil {
			t.Skip("pdftotext is not installed")
		}
		p := filepath.Join(t.TempDir(), "x.pdf")
		os.WriteFile(p, pdf, 0o644)
		out, err := exec.Command("pdftotext", "-layout", p, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, line := range strings.Split(string(out), "\n") {
			if strings.Contains(line, "Total due") {
				found = true
				if got := parsePrinted(t, line); !got.Equal(total) {
					t.Errorf("PDF total %s, stored %s", got, total)
				}
			}
		}
		if !found || !strings.Contains(string(out), inv.Number) {
			t.Errorf("PDF text has no total or number:\n%s", out)
		}
	})

	t.Run("xlsx", func(t *testing.T) {
		f, err := excelize.OpenReader(bytes.NewReader(exportFile(t, db, ExportRequest{Invoice: id, Format: document.FormatXLSX, Now: oct6})))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows("Summary", excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range rows {
			for i, c := range r {
				if c == "Total due" && i+1 < len(r) {
					found = true
					if got := decimal.RequireFromString(r[i+1]); !got.Equal(total) {
						t.Errorf("Excel total %s, stored %s", got, total)
					}
				}
			}
		}
		if !found {
			t.Errorf("no Total due row in %q", rows)
		}
	})

	t.Run("csv", func(t *testing.T) {
		rows, err := csv.NewReader(bytes.NewReader(exportFile(t, db, ExportRequest{Invoice: id, Format: document.FormatCSV, Now: oct6}))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range rows {
			if r[1] == "total" {
				found = true
				if got := decimal.RequireFromString(r[5]); !got.Equal(total) || r[0] != inv.Number {
					t.Errorf("CSV total row %q, stored %s", r, total)
				}
			}
		}
		if !found {
			t.Error("no total row")
		}
	})

	t.Run("detail-csv", func(t *testing.T) {
		rows, err := csv.NewReader(bytes.NewReader(exportFile(t, db, ExportRequest{Invoice: id, Format: document.FormatDetailCSV, Now: oct6}))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		col := -1
		for i, h := range rows[0] {
			if h == "unblended_cost" {
				col = i
			}
		}
		var printed, want money.Sum
		items := rows[1:]
		for len(items) > 0 && items[len(items)-1][0] == "reconciliation" {
			if note := items[len(items)-1][len(items[0])-1]; note != "matches" {
				t.Errorf("reconciliation row %q", items[len(items)-1])
			}
			items = items[:len(items)-1]
		}
		if len(items) == len(rows)-1 {
			t.Error("no reconciliation rows")
		}
		for _, r := range items {
			printed.Add(decimal.RequireFromString(r[col]))
		}
		n := 0
		if err := db.ScanCustomerItems("ACME", "2026-09", func(it *lineitem.Item) error {
			n++
			want.Add(it.UnblendedCost)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if n == 0 || len(items) != n || !printed.Total().Equal(want.Total()) {
			t.Errorf("detail: %d rows summing %s, ACME has %d items summing %s", len(items), printed.Total(), n, want.Total())
		}
	})

	t.Run("display currency", func(t *testing.T) {
		rows, err := csv.NewReader(bytes.NewReader(exportFile(t, db, ExportRequest{Invoice: id, Format: document.FormatCSV, Now: oct6,
			Display: &Display{Currency: "eur", Rate: decimal.RequireFromString("0.9"), Source: "ECB reference rate"}}))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var eur, usd string
		for _, r := range rows {
			switch r[1] {
			case "total":
				eur = r[5] + " " + r[6]
			case "payable":
				usd = r[5] + " " + r[6]
			}
		}
		if !strings.HasSuffix(eur, " EUR") || usd != inv.Total.String()+" USD" {
			t.Errorf("converted total %q payable %q", eur, usd)
		}
		if again := mustInvoice(t, db, id); again.Currency != "USD" || mustJSON(t, again) != mustJSON(t, inv) {
			t.Error("a display conversion changed the stored invoice")
		}
		var b bytes.Buffer
		if _, err := db.ExportInvoice(ExportRequest{Invoice: id, Format: document.FormatPDF, Now: oct6, Display: &Display{Currency: "EUR"}}, &b); err == nil || !strings.Contains(err.Error(), "no USD to EUR exchange rate for 2026-09: enter it (rebill rates set USD EUR 2026-09 RATE --source SOURCE, or Settings > Exchange rates), then try again; or give the display rate with the export") {
			t.Errorf("no rate: %v", err)
		}
	})

	log, _ := db.AuditLog()
	exports := 0
	for _, e := range log {
		if e.Action == invoice.ActionExport {
			exports++
			if e.Invoice != id || !strings.Contains(string(e.After), `"sha256":`) {
				t.Errorf("export entry %s", e.After)
			}
		}
	}
	if exports != 5 {
		t.Errorf("%d export entries, want 5", exports)
	}
}

// TestDetailCSVReconcilesRerated: GLOBEX (re-rated basis) uses ACME's
// web shop reservation. Its detail CSV charges those DiscountedUsage lines
// their public on-demand cost, and the billed amounts of each invoice
// line's items add up to the line's unrounded amount exactly.
func TestDetailCSVReconcilesRerated(t *testing.T) {
	db := sampleDB(t)
	id := draftIDOf(t, generate(t, db, customer.Selection{Customers: []string{"GLOBEX"}}, allOn, oct5), "GLOBEX")
	approveOK(t, db, oct5, id)
	inv := mustInvoice(t, db, id)
	rows, err := csv.NewReader(bytes.NewReader(exportFile(t, db, ExportRequest{Invoice: id, Format: document.FormatDetailCSV, Now: oct6}))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	billed := map[string]decimal.Decimal{}
	rerated, recon := 0, 0
	for _, r := range rows[1:] {
		if r[col["billing_period"]] == "reconciliation" {
			recon++
			if r[col["charge_note"]] != "matches" {
				t.Errorf("reconciliation row %q", r)
			}
			continue
		}
		note := r[col["charge_note"]]
		if strings.HasPrefix(note, "not billed: ") {
			continue
		}
		b := decimal.RequireFromString(r[col["billed"]])
		line, _, _ := strings.Cut(note, ";")
		billed[line] = billed[line].Add(b)
		if r[col["line_item_type"]] == lineitem.DiscountedUsage && strings.Contains(r[col["reservation_arn"]], ":012345678901:") {
			rerated++
			pub := decimal.RequireFromString(r[col["public_on_demand_cost"]])
			if !decimal.RequireFromString(r[col["charged_basis"]]).Equal(pub) || !b.Equal(pub) || pub.IsZero() {
				t.Errorf("ACME's reservation used by GLOBEX: charged %s, billed %s, on demand %s", r[col["charged_basis"]], b, pub)
			}
		}
	}
	if rerated == 0 {
		t.Fatal("no DiscountedUsage of ACME's reservation in GLOBEX's detail")
	}
	lines := 0
	for _, s := range inv.Sections {
		if s.ProductType == billing.Support {
			continue
		}
		for _, l := range s.Lines {
			k := string(s.ProductType) + " / " + l.Service
			got, ok := billed[k]
			if !ok {
				continue // a recurring charge: no line items
			}
			lines++
			if !got.Equal(l.Unrounded) {
				t.Errorf("%s: items billed %s, invoice line unrounded %s", k, got, l.Unrounded)
			}
			delete(billed, k)
		}
	}
	if lines == 0 || lines != recon || len(billed) != 0 {
		t.Errorf("%d lines reconciled, %d reconciliation rows, items outside the invoice's lines: %v", lines, recon, billed)
	}
}

// TestDetailExportSurvivesReimport: an issued invoice's detailed export
// is drawn from the deliveries it was computed from, so a re-delivery of
// its month, and pruning, leave it identical byte for byte.
func TestDetailExportSurvivesReimport(t *testing.T) {
	db := sampleDB(t)
	id := openACME(t, db)
	req := ExportRequest{Invoice: id, Format: document.FormatDetailCSV, Now: oct6}
	before := exportFile(t, db, req)
	if _, err := importPath(t, db, sampleFile(t, sample.Options{Seed: 7, Final: true})); err != nil {
		t.Fatal(err)
	}
	if rep, err := db.Corrections("2026-09"); err != nil || len(rep.Changed) == 0 {
		t.Fatalf("the re-delivery changed nothing for ACME, so the test proves nothing: %+v %v", rep, err)
	}
	if after := exportFile(t, db, req); !bytes.Equal(before, after) {
		t.Fatalf("the detail export changed after a re-import (%d bytes, then %d)", len(before), len(after))
	}
	rep, err := db.PruneDeliveries("tester", oct6)
	if err != nil || len(rep.Kept) != 1 || len(rep.Pruned) != 0 {
		t.Fatalf("prune kept %+v: %v", rep, err)
	}
	if after := exportFile(t, db, req); !bytes.Equal(before, after) {
		t.Fatal("the detail export changed after pruning")
	}
}

// exportEntries counts the export entries of the audit log.
func exportEntries(t *testing.T, db *DB) []string {
	t.Helper()
	log, err := db.AuditLog()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range log {
		if e.Action == invoice.ActionExport {
			out = append(out, string(e.After))
		}
	}
	return out
}

// TestExportFormatAsTyped: a format named in capitals (as a program
// calling the API may send it) exports the same document as in lower
// case and records it as that format; an unknown format, or a document
// whose writing cannot be finished, is refused and records nothing.
// ("PDF" used to write 0 bytes, return no error and record an export.)
func TestExportFormatAsTyped(t *testing.T) {
	db := sampleDB(t)
	id := draftIDOf(t, generate(t, db, customer.Selection{Customers: []string{"ACME"}}, allOn, oct5), "ACME")
	approveOK(t, db, oct5, id)
	lower := exportFile(t, db, ExportRequest{Invoice: id, Format: "pdf", Now: oct6})
	before := len(exportEntries(t, db))
	// The second PDF prints the audit log's end after the first export,
	// so it is compared with a third, exported after it the same way.
	upper := exportFile(t, db, ExportRequest{Invoice: id, Format: "PDF", Now: oct6})
	entries := exportEntries(t, db)
	if len(entries) != before+1 || !strings.Contains(entries[len(entries)-1], `"format":"pdf"`) {
		t.Fatalf("export entries after PDF: %v", entries[before:])
	}
	if !bytes.HasPrefix(upper, []byte("%PDF")) || len(upper) < len(lower)/2 {
		t.Errorf("PDF in capitals wrote %d bytes (%.8q), pdf %d", len(upper), upper, len(lower))
	}
	tests := []struct {
		name string
		req  ExportRequest
		want string
	}{
		{"unknown format", ExportRequest{Invoice: id, Format: "pdfx", Now: oct6}, `format "pdfx" is not one of pdf, xlsx, csv, detail-csv, ubl, cii, xrechnung, facturx`},
		{"the file cannot be finished", ExportRequest{Invoice: id, Format: "CSV", Now: oct6, Done: func() error { return errors.New("disk full") }}, "disk full"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := len(exportEntries(t, db))
			var b bytes.Buffer
			if _, err := db.ExportInvoice(tc.req, &b); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
			if got := len(exportEntries(t, db)); got != n {
				t.Errorf("%d export entries recorded", got-n)
			}
		})
	}
}

// TestEInvoiceOfAnIssuedDocumentKeepsItsDetails: an issued invoice's
// e-invoice is written from the details it was issued with, so a field
// missing then is still missing after the customer's record is mended;
// the refusal says so and what to do, and records nothing. A draft is
// refused as a draft.
func TestEInvoiceOfAnIssuedDocumentKeepsItsDetails(t *testing.T) {
	db := sampleDB(t)
	rep := generate(t, db, customer.Selection{Customers: []string{"GLOBEX", "INITECH"}}, allOn, oct5)
	issued, draft := draftIDOf(t, rep, "GLOBEX"), draftIDOf(t, rep, "INITECH")
	approveOK(t, db, oct5, issued)
	note, err := db.IssueCreditNote(CreditRequest{Invoice: issued, Amount: dec("1"), Reason: "goodwill", Now: oct5})
	if err != nil {
		t.Fatal(err)
	}
	// GLOBEX was issued with a DUNS number, which XRechnung does not
	// take as the buyer reference it requires; the record is mended after.
	if _, err := db.UpdateCustomer("GLOBEX", func(c *customer.Customer) error {
		c.EInvoice.Reference = "04011000-12345-67"
		return nil
	}, oct6); err != nil {
		t.Fatal(err)
	}
	n := len(exportEntries(t, db))
	var b bytes.Buffer
	_, err = db.ExportInvoice(ExportRequest{Invoice: issued, Format: "xrechnung", Now: oct6}, &b)
	if err == nil || !strings.Contains(err.Error(), "Customer GLOBEX has no buyer reference (Leitweg-ID)") ||
		!strings.Contains(err.Error(), einvoice.KeptDetails+": credit it and issue it again") {
		t.Errorf("issued: %v", err)
	}
	_, err = db.ExportInvoice(ExportRequest{Invoice: note.ID, Format: "xrechnung", Now: oct6}, &b)
	if err == nil || !strings.Contains(err.Error(), einvoice.KeptDetails+": void it and issue a new credit note") {
		t.Errorf("credit note: %v", err)
	}
	_, err = db.ExportInvoice(ExportRequest{Invoice: draft, Format: "xrechnung", Now: oct6}, &b)
	if err == nil || !strings.Contains(err.Error(), "is a draft: only an issued document has an e-invoice") || strings.Contains(err.Error(), einvoice.KeptDetails) {
		t.Errorf("draft: %v", err)
	}
	if got := len(exportEntries(t, db)); got != n {
		t.Errorf("%d export entries recorded for refused exports", got-n)
	}
}

// TestCancelledExportStops: the workbook writes nothing until its last
// line item is read, so a Cancel in the window (or an API client gone)
// is seen while the items are read; nothing is written or recorded.
func TestCancelledExportStops(t *testing.T) {
	db := sampleDB(t)
	id := draftIDOf(t, generate(t, db, customer.Selection{Customers: []string{"ACME"}}, allOn, oct5), "ACME")
	approveOK(t, db, oct5, id)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for _, f := range []document.Format{document.FormatXLSX, document.FormatDetailCSV} {
		n := len(exportEntries(t, db))
		var b bytes.Buffer
		_, err := db.ExportInvoice(ExportRequest{Invoice: id, Format: f, Now: oct6, Ctx: ctx}, &b)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: %v, want cancelled", f, err)
		}
		if f == document.FormatXLSX && b.Len() > 0 {
			t.Errorf("%s: %d bytes written after the cancel", f, b.Len())
		}
		if got := len(exportEntries(t, db)); got != n {
			t.Errorf("%s: %d export entries recorded", f, got-n)
		}
	}
	// Not cancelled, the same request writes the workbook.
	if b := exportFile(t, db, ExportRequest{Invoice: id, Format: document.FormatXLSX, Now: oct6, Ctx: t.Context()}); len(b) == 0 {
		t.Error("no workbook")
	}
}
