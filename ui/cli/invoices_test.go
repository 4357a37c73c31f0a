package cli

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"rebill/engine/billing"
	"rebill/engine/invoice"
	"rebill/engine/sample"
	"rebill/store"
	"rebill/ui/view"
)

// invoicesDB is a database with the sample reseller, its six customers
// and UMBRELLA's credit, and the sample's September 2026 imported through
// the CLI.
func invoicesDB(t *testing.T) string {
	t.Helper()
	db := tempDB(t)
	s, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ApplySetup(sample.CustomerSetup("2026-09"), time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	var res []any
	ok(t, db, &res, "import", sampleCUR(t, 1))
	return db
}

// sampleCUR writes a final sample CUR of September 2026 for a seed.
func sampleCUR(t *testing.T, seed int64) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "sample-2026-09.csv")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	if _, err := sample.WriteCSV(w, sample.Options{Seed: seed, Final: true}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return p
}

// invoiceJSON is what show --json must print at least.
type invoiceJSON struct {
	ID         string  `json:"id"`
	Number     *string `json:"number"`
	Kind       string  `json:"kind"`
	CustomerID string  `json:"customer_id"`
	Period     string  `json:"period"`
	Status     string  `json:"status"`
	Currency   string  `json:"currency"`
	Sections   []struct {
		ProductType string `json:"product_type"`
		Lines       []struct {
			Service string `json:"service"`
			Amount  string `json:"amount"`
		} `json:"lines"`
		Subtotal string `json:"subtotal"`
	} `json:"sections"`
	Subtotal       string  `json:"subtotal"`
	Discount       string  `json:"discount"`
	Support        string  `json:"support"`
	Marketplace    string  `json:"marketplace"`
	CreditsApplied string  `json:"credits_applied"`
	Tax            string  `json:"tax"`
	Total          string  `json:"total"`
	IssueDate      *string `json:"issue_date"`
	DueDate        *string `json:"due_date"`
}

// requiredFields are the keys show --json and list --json promise.
var requiredFields = []string{"id", "number", "customer_id", "period", "status", "currency", "subtotal", "discount",
	"support", "marketplace", "credits_applied", "tax", "total", "issue_date", "due_date"}

func hasFields(t *testing.T, what string, raw json.RawMessage, fields ...string) {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	for _, f := range fields {
		if _, ok := m[f]; !ok {
			t.Errorf("%s has no %q", what, f)
		}
	}
}

// isDecimal: amounts are decimal strings, never JSON numbers.
var isDecimal = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// TestInvoicesWorkflow runs the whole invoice workflow on three days: the
// invoice numbers, issue and due dates follow the CLI's clock, whatever
// day the test runs (a new year, a leap day).
func TestInvoicesWorkflow(t *testing.T) {
	for _, day := range []time.Time{
		time.Date(2026, 10, 5, 9, 30, 0, 0, time.UTC),
		time.Date(2027, 1, 4, 8, 0, 0, 0, time.UTC),
		time.Date(2028, 2, 29, 17, 45, 0, 0, time.UTC),
	} {
		t.Run(day.Format(time.DateOnly), func(t *testing.T) {
			at(t, day)
			invoicesWorkflow(t, day)
		})
	}
}

func invoicesWorkflow(t *testing.T, day time.Time) {
	db := invoicesDB(t)
	num := func(seq int) string { return fmt.Sprintf("NCP-%d-%05d", day.Year(), seq) }

	var gen struct {
		Period  string `json:"period"`
		Final   bool   `json:"final"`
		Results []struct {
			CustomerID string      `json:"customer_id"`
			Outcome    string      `json:"outcome"`
			Invoice    invoiceJSON `json:"invoice"`
		} `json:"results"`
	}
	ok(t, db, &gen, "invoices", "generate", "--period", "2026-09", "--all", "--credits", "--tax", "--marketplace")
	if !gen.Final || len(gen.Results) != 6 {
		t.Fatalf("generate %+v", gen)
	}
	drafts := map[string]string{} // customer -> draft id
	for _, r := range gen.Results {
		if r.Outcome != "created" || r.Invoice.Number != nil || r.Invoice.Status != "draft" {
			t.Errorf("%s: %s %+v", r.CustomerID, r.Outcome, r.Invoice)
		}
		drafts[r.CustomerID] = r.Invoice.ID
	}

	// list --json: objects with show's fields; numbers null for drafts.
	var list []json.RawMessage
	ok(t, db, &list, "invoices", "list", "--period", "2026-09", "--status", "draft")
	if len(list) != 6 {
		t.Fatalf("%d drafts listed", len(list))
	}
	hasFields(t, "list entry", list[0], requiredFields...)

	// show --json of a draft.
	var raw json.RawMessage
	ok(t, db, &raw, "invoices", "show", drafts["ACME"])
	hasFields(t, "show", raw, append(requiredFields, "sections")...)
	var d invoiceJSON
	json.Unmarshal(raw, &d)
	if d.Number != nil || d.IssueDate != nil || d.DueDate != nil || d.CustomerID != "ACME" || d.Currency != "USD" || len(d.Sections) == 0 {
		t.Errorf("draft %+v", d)
	}
	for _, a := range []string{d.Subtotal, d.Discount, d.Support, d.Marketplace, d.CreditsApplied, d.Tax, d.Total, d.Sections[0].Subtotal, d.Sections[0].Lines[0].Amount} {
		if !isDecimal.MatchString(a) {
			t.Errorf("amount %q is not a decimal string", a)
		}
	}
	var decoded map[string]any
	json.Unmarshal(raw, &decoded)
	if _, isString := decoded["total"].(string); !isString {
		t.Errorf("total is %T in JSON, want a string", decoded["total"])
	}

	// Deleting a draft is allowed; it is regenerated by generate.
	var del invoiceJSON
	ok(t, db, &del, "invoices", "delete", drafts["CONTOSO"])
	fails(t, db, 1, `there is no invoice "`+drafts["CONTOSO"]+`"`, "invoices", "show", drafts["CONTOSO"])
	ok(t, db, &gen, "invoices", "generate", "--period", "2026-09", "--customers", "CONTOSO,ACME", "--credits", "--tax", "--marketplace")
	if gen.Results[0].Outcome != "replaced" || gen.Results[1].Outcome != "created" {
		t.Errorf("regenerate %+v", gen.Results)
	}

	// Approve all: numbered in customer name order, dated, due.
	var approved []struct {
		ID      string      `json:"id"`
		Invoice invoiceJSON `json:"invoice"`
		Refused string      `json:"refused"`
	}
	ok(t, db, &approved, "invoices", "approve", "--all", "--period", "2026-09")
	if len(approved) != 6 || approved[0].Invoice.CustomerID != "ACME" || *approved[0].Invoice.Number != num(1) || *approved[5].Invoice.Number != num(6) {
		t.Fatalf("approved %+v", approved)
	}
	today := day.Format(time.DateOnly)
	ok(t, db, &d, "invoices", "show", num(1))
	due := day.AddDate(0, 0, 30).Format(time.DateOnly) // ACME pays at 30 days
	if d.Status != "open" || *d.IssueDate != today || d.DueDate == nil || *d.DueDate != due {
		t.Errorf("open invoice %+v, want issued %s and due %s", d, today, due)
	}
	fails(t, db, 1, "invoice "+num(1)+" is Open and cannot be deleted (its number must stay in the sequence); void it or issue a credit note instead",
		"invoices", "delete", num(1))
	fails(t, db, 1, "refused: invoice "+num(1)+" is already Open", "invoices", "approve", d.ID)
	fails(t, db, 1, "--paid-on YYYY-MM-DD is required", "invoices", "close", num(1))

	// Close, void, credit note.
	ok(t, db, &d, "invoices", "close", num(2), "--paid-on", today, "--ref", "BANK-1")
	if d.Status != "closed" {
		t.Errorf("closed: %+v", d)
	}
	ok(t, db, &d, "invoices", "void", num(3), "--reason", "wrong customer")
	if d.Status != "void" {
		t.Errorf("voided: %+v", d)
	}
	fails(t, db, 1, "is Void (wrong customer) and cannot be changed", "invoices", "close", num(3), "--paid-on", today)
	var note invoiceJSON
	ok(t, db, &note, "invoices", "credit-note", num(1), "--amount", "10.00", "--reason", "Goodwill")
	if *note.Number != fmt.Sprintf("CN-%d-00001", day.Year()) || note.Total != "-10.00" || note.Kind != "credit_note" {
		t.Errorf("credit note %+v", note)
	}
	fails(t, db, 1, "is more than is left to credit", "invoices", "credit-note", num(1), "--amount", "999999", "--reason", "x")

	// Exports agree with the stored total.
	ok(t, db, &d, "invoices", "show", num(1))
	dir := t.TempDir()
	for _, f := range []string{"pdf", "xlsx", "csv", "detail-csv"} {
		var ex struct {
			File   string `json:"file"`
			Bytes  int64  `json:"bytes"`
			SHA256 string `json:"sha256"`
		}
		out := filepath.Join(dir, num(1)+"-"+f)
		ok(t, db, &ex, "invoices", "export", num(1), "--format", f, "--out", out)
		if st, err := os.Stat(out); err != nil || st.Size() != ex.Bytes || ex.Bytes == 0 {
			t.Errorf("%s: %+v %v", f, ex, err)
		}
	}
	// The copy made after the credit note shows it under the total and
	// asks for the balance: the total less the 10.00 credited.
	balance := decimal.RequireFromString(d.Total).Sub(decimal.RequireFromString("10.00")).StringFixed(2)
	checkExports(t, dir, num(1), d.Total, balance)
	if show, _, _ := cli(t, db, "invoices", "show", num(1)); !regexp.MustCompile(`Credit note CN-\d{4}-00001 of .* +USD -10\.00\n +Balance due +USD ` + regexp.QuoteMeta(view.GroupDigits(balance)) + `\n`).MatchString(show) {
		t.Errorf("invoices show does not list the credit note and the balance of %s:\n%s", balance, show)
	}
	var shown struct {
		Settlement struct {
			Balance string `json:"balance"`
		} `json:"settlement"`
	}
	if ok(t, db, &shown, "invoices", "show", num(1), "--json"); shown.Settlement.Balance != balance {
		t.Errorf("invoices show --json has a balance of %q, want %s", shown.Settlement.Balance, balance)
	}
	fails(t, db, 1, `format "doc" is not one of pdf, xlsx, csv, detail-csv, ubl, cii, xrechnung, facturx`, "invoices", "export", num(1), "--format", "doc", "--out", filepath.Join(dir, "x"))
	var ex struct {
		Conversion struct {
			To     string `json:"to"`
			Rate   string `json:"rate"`
			Source string `json:"source"`
		} `json:"conversion"`
	}
	ok(t, db, &ex, "invoices", "export", num(1), "--format", "csv", "--currency", "EUR", "--rate", "0.9137", "--rate-source", "ECB reference rate", "--out", filepath.Join(dir, "eur.csv"))
	if ex.Conversion.To != "EUR" || ex.Conversion.Rate != "0.9137" || ex.Conversion.Source != "ECB reference rate" {
		t.Errorf("conversion %+v", ex.Conversion)
	}

	// The audit log holds every step and verifies.
	var verify struct {
		Intact  bool   `json:"intact"`
		Entries uint64 `json:"entries"`
	}
	ok(t, db, &verify, "audit", "verify")
	// 6 generated, 1 deleted, 2 (re)generated, 6 approved, the payment
	// closing records and the close, void, credit note, 5 exports.
	if !verify.Intact || verify.Entries != 6+1+2+6+2+1+1+5 {
		t.Errorf("verify %+v", verify)
	}
	var entries []struct {
		Action  string `json:"action"`
		Invoice string `json:"invoice"`
	}
	ok(t, db, &entries, "audit", "list", "--invoice", num(2))
	if len(entries) != 4 || entries[0].Action != "generate" || entries[1].Action != "approve" || entries[2].Action != "payment" || entries[3].Action != "close" {
		t.Errorf("entries of %s: %+v", num(2), entries)
	}
	out, _, code := cli(t, db, "audit", "verify")
	if code != 0 || !strings.Contains(out, "The invoice audit log is intact") {
		t.Errorf("audit verify: %d %q", code, out)
	}
}

// checkExports reads back the files of TestInvoicesWorkflow: the PDF's
// printed total (through pdftotext, when installed), the Excel total
// cell and the CSV total row all equal the stored total.
// checkExports checks the CSV, the workbook and the PDF of an Open
// invoice against its stored total and, once something was credited or
// paid on it, the balance its copies ask for ("" when nothing was).
func checkExports(t *testing.T, dir, number, total, balance string) {
	t.Helper()
	totalLabel, due := "Total due", total
	if balance != "" {
		totalLabel, due = "Total", balance
	}
	rows := readCSV(t, filepath.Join(dir, number+"-csv"))
	got := map[string]string{}
	for _, r := range rows {
		got[r[1]] = r[5]
	}
	if got["total"] != total {
		t.Errorf("CSV has no total row of %s: %q", total, rows)
	}
	if balance != "" && (got["balance"] != balance || got["credit_note"] != "-10.00") {
		t.Errorf("CSV has no credit note of -10.00 and balance of %s: %q", balance, rows)
	}
	detail := readCSV(t, filepath.Join(dir, number+"-detail-csv"))
	if len(detail) < 2 || detail[0][0] != "billing_period" {
		t.Errorf("detail CSV %d rows, header %q", len(detail), detail[0])
	}

	f, err := excelize.OpenFile(filepath.Join(dir, number+"-xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cells, _ := f.GetRows("Summary", excelize.Options{RawCellValue: true})
	summary := map[string]string{}
	for _, r := range cells {
		for i, c := range r {
			if i+1 < len(r) {
				summary[c] = r[i+1]
			}
		}
	}
	for label, want := range map[string]string{totalLabel: total, "Balance due": balance} {
		if want == "" {
			continue
		}
		if v, ok := summary[label]; !ok || !decimal.RequireFromString(v).Equal(decimal.RequireFromString(want)) {
			t.Errorf("Excel has no %s of %s", label, want)
		}
	}

	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Log("pdftotext is not installed: the PDF's text is not checked")
		return
	}
	text, err := exec.Command("pdftotext", "-layout", filepath.Join(dir, number+"-pdf"), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for label, want := range map[string]string{totalLabel: total, "Balance due": balance} {
		if want == "" {
			continue
		}
		m := regexp.MustCompile(`\b` + label + `\s+\$([0-9,]+\.[0-9]{2})`).FindStringSubmatch(string(text))
		if m == nil || strings.ReplaceAll(m[1], ",", "") != want {
			t.Errorf("PDF %s %q, want %s", label, m, want)
		}
	}
	if pay := "Please pay " + map[bool]string{true: "the balance of ", false: ""}[balance != ""] + "$" + view.GroupDigits(due); !strings.Contains(strings.Join(strings.Fields(string(text)), " "), pay) {
		t.Errorf("the PDF does not say %q:\n%s", pay, text)
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestInvoicesAfterReimport: a second delivery of September imported
// through the CLI leaves the issued invoice's JSON identical, corrections
// show the difference, and correct issues it in one step.
func TestInvoicesAfterReimport(t *testing.T) {
	db := invoicesDB(t)
	var v any
	ok(t, db, &v, "invoices", "generate", "--period", "2026-09", "--customers", "ACME,FABRIKAM", "--tax")
	ok(t, db, &v, "invoices", "approve", "--all", "--period", "2026-09")
	before, _, _ := cli(t, db, "invoices", "show", "NCP-2026-00001", "--json")

	ok(t, db, &v, "import", sampleCUR(t, 7))
	after, _, _ := cli(t, db, "invoices", "show", "NCP-2026-00001", "--json")
	if before != after || !strings.Contains(after, `"number": "NCP-2026-00001"`) {
		t.Fatalf("the issued invoice changed after the re-import:\n%s\n%s", before, after)
	}
	var rep struct {
		Checked int `json:"checked"`
		Changed []struct {
			Invoice struct {
				Number string `json:"number"`
			} `json:"invoice"`
			Difference struct {
				Total struct{ Was, Now, Change string } `json:"total"`
			} `json:"difference"`
			Correctable bool `json:"correctable"`
		} `json:"changed"`
	}
	ok(t, db, &rep, "invoices", "corrections", "--period", "2026-09")
	if rep.Checked != 2 || len(rep.Changed) == 0 || rep.Changed[0].Difference.Total.Change == "0.00" {
		t.Fatalf("corrections %+v", rep)
	}
	c := rep.Changed[0]
	var corr struct {
		CreditNote  invoiceJSON  `json:"credit_note"`
		Replacement *invoiceJSON `json:"replacement"`
	}
	ok(t, db, &corr, "invoices", "correct", c.Invoice.Number)
	if corr.CreditNote.Status != "open" || *corr.CreditNote.Number != "CN-2026-00001" {
		t.Errorf("correction %+v", corr)
	}
	if corr.Replacement != nil && (corr.Replacement.Total != c.Difference.Total.Now || corr.Replacement.Status != "draft") {
		t.Errorf("replacement %+v, want a draft of %s", corr.Replacement, c.Difference.Total.Now)
	}
	fails(t, db, 1, "already", "invoices", "correct", c.Invoice.Number)
	// A correction with a replacement credits the invoice in full, which
	// closes it (nothing is owed on it); nothing else of it changes.
	again, _, _ := cli(t, db, "invoices", "show", "NCP-2026-00001", "--json")
	if corr.Replacement != nil {
		var was, is map[string]any
		json.Unmarshal([]byte(before), &was)
		json.Unmarshal([]byte(again), &is)
		if is["status"] != "closed" || is["closed_by"] != "credit notes" {
			t.Errorf("credited in full: status %v closed by %v", is["status"], is["closed_by"])
		}
		for _, k := range []string{"status", "stored_status", "paid_date", "payment_reference", "closed_by"} {
			delete(was, k)
			delete(is, k)
		}
		b1, _ := json.Marshal(was)
		b2, _ := json.Marshal(is)
		before, again = string(b1), string(b2)
	}
	if again != before {
		t.Error("correcting changed the invoice")
	}
}

func TestInvoicesArgumentErrors(t *testing.T) {
	db := invoicesDB(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"invoices", "generate", "--period", "2026-09"}, "exactly one of --all, --group G or --customers A,B"},
		{[]string{"invoices", "generate", "--period", "2026-09", "--all", "--group", "Americas"}, "exactly one of"},
		{[]string{"invoices", "generate", "--all"}, "--period YYYY-MM is required"},
		{[]string{"invoices", "generate", "--period", "2026-09", "--customers", "NOPE"}, `there is no customer "NOPE"`},
		{[]string{"invoices", "generate", "--period", "2026-09", "--all", "--marketplace-credits"}, "add --credits too"},
		{[]string{"invoices", "approve"}, "name the drafts to approve"},
		{[]string{"invoices", "approve", "1", "--all", "--period", "2026-09"}, "not both"},
		{[]string{"invoices", "approve", "--all"}, "--period YYYY-MM is required"},
		{[]string{"invoices", "list", "--status", "late"}, `status "late" is not one of`},
		{[]string{"invoices", "void", "1"}, "--reason is required"},
		{[]string{"invoices", "credit-note", "1", "--reason", "x", "--amount", "-5"}, "credit amount -5 is not positive"},
		{[]string{"invoices", "export", "1", "--format", "pdf"}, "--out FILE is required"},
		{[]string{"invoices", "export", "1", "--format", "pdf", "--rate", "2", "--out", "x.pdf"}, "go with --currency"},
		{[]string{"invoices", "show", "NCP-2099-00001"}, `there is no invoice "NCP-2099-00001"`},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			fails(t, db, 1, tc.want, tc.args...)
		})
	}
	fails(t, db, 2, "Usage:", "invoices")
}

// TestGenerateSaysWhatTheEngineNoted: a draft the engine noted something
// on for the reviewer (here: tax asked for, no rates and no VAT category)
// says so in generate's output, naming the customer and the draft; the
// same customer with its category set generates without the note.
func TestGenerateSaysWhatTheEngineNoted(t *testing.T) {
	db := invoicesDB(t)
	var v any
	ok(t, db, &v, "customers", "edit", "INITECH", "--vat-category", "")
	out, errs, code := cli(t, db, "invoices", "generate", "--period", "2026-09", "--customers", "INITECH", "--tax")
	want := "For the accountant, INITECH (draft "
	if code != 0 || !strings.Contains(out, want) || !strings.Contains(out, billing.NoteNoTaxRates) {
		t.Fatalf("generate: exit %d\n%s%s\nwant %q and the note", code, out, errs, want)
	}
	ok(t, db, &v, "customers", "edit", "INITECH", "--vat-category", "O")
	out, errs, code = cli(t, db, "invoices", "generate", "--period", "2026-09", "--customers", "INITECH", "--tax")
	if code != 0 || strings.Contains(out, "For the accountant") {
		t.Fatalf("generate with the category set: exit %d\n%s%s", code, out, errs)
	}
}

// TestApproveOnProvisionalDataWarns: approving invoices of a month AWS
// has not closed says so, as the window does before approving, and
// where a correction would come from; generating asked for
// --allow-provisional already, so approving does not refuse.
func TestApproveOnProvisionalDataWarns(t *testing.T) {
	db := tempDB(t)
	cli(t, db, "import", curFile(t, "2024-09"))
	cli(t, db, "profile", "set", "company_name", "Reseller")
	cli(t, db, "customers", "add", "--id", "ACME", "--name", "Acme", "--currency", "USD")
	cli(t, db, "accounts", "map", "011254002932", "--customer", "ACME")
	cli(t, db, "invoices", "generate", "--period", "2024-09", "--all", "--allow-provisional")
	out, errs, code := cli(t, db, "invoices", "approve", "--all", "--period", "2024-09")
	want := "Warning: AWS has not closed 2024-09 yet: its invoices were approved on estimated data and may need a correction once it is final (rebill invoices corrections --period 2024-09).\n"
	if code != 0 || !strings.HasPrefix(out, "Approved ") || errs != want {
		t.Errorf("exit %d, stdout %q, stderr %q; want the approval and %q", code, out, errs, want)
	}
}

// TestRedeliveryNamesTheIssuedInvoices: ACME's September was invoiced
// on the provisional CUR; the final one replaces it, and the import
// names the issued invoice in its text and its JSON.
func TestRedeliveryNamesTheIssuedInvoices(t *testing.T) {
	db := tempDB(t)
	prov := curFile(t, "2024-09")
	cli(t, db, "import", prov)
	cli(t, db, "profile", "set", "company_name", "Reseller")
	cli(t, db, "customers", "add", "--id", "ACME", "--name", "Acme", "--currency", "USD")
	cli(t, db, "accounts", "map", "011254002932", "--customer", "ACME")
	cli(t, db, "invoices", "generate", "--period", "2024-09", "--all", "--allow-provisional")
	var approved []struct {
		Invoice struct {
			Number string `json:"number"`
		} `json:"invoice"`
	}
	ok(t, db, &approved, "invoices", "approve", "--all", "--period", "2024-09")
	body, err := os.ReadFile(prov)
	if err != nil {
		t.Fatal(err)
	}
	final := filepath.Join(t.TempDir(), "cur-2024-09-final.csv")
	if err := os.WriteFile(final, []byte(strings.ReplaceAll(string(body), "T00:00:00Z,,", "T00:00:00Z,EUINUS24-1,")), 0o644); err != nil {
		t.Fatal(err)
	}
	var files []struct {
		Deliveries []struct {
			Status string   `json:"status"`
			Issued []string `json:"issued"`
		} `json:"deliveries"`
	}
	ok(t, db, &files, "import", final)
	if len(approved) != 1 || len(files) != 1 || len(files[0].Deliveries) != 1 ||
		files[0].Deliveries[0].Status != "replaced an earlier delivery" || !slices.Equal(files[0].Deliveries[0].Issued, []string{approved[0].Invoice.Number}) {
		t.Errorf("the final delivery %+v, want it to name %+v", files, approved)
	}
}

// TestShowCreditedInFull: an invoice a credit note cancels in full is
// Closed, but nothing was paid: show says it was credited, not paid.
func TestShowCreditedInFull(t *testing.T) {
	db := invoicesDB(t)
	var gen any
	ok(t, db, &gen, "invoices", "generate", "--period", "2026-09", "--customers", "ACME")
	var approved []struct {
		Invoice invoiceJSON `json:"invoice"`
	}
	ok(t, db, &approved, "invoices", "approve", "--all", "--period", "2026-09")
	number := *approved[0].Invoice.Number
	var note invoiceJSON
	ok(t, db, &note, "invoices", "credit-note", number, "--reason", "order cancelled")
	out, errs, code := cli(t, db, "invoices", "show", number)
	if code != 0 || !strings.Contains(out, "Credited on "+testNow.Format(time.DateOnly)+".") || strings.Contains(out, "Paid on") {
		t.Errorf("exit %d %s\n%s", code, errs, out)
	}
}

// TestNoInvoicesSaysWhichWereAskedFor: an empty list names the filter it
// was asked for; with a status, none has it, which is not the same as
// nothing invoiced yet.
func TestNoInvoicesSaysWhichWereAskedFor(t *testing.T) {
	for _, c := range []struct {
		f    store.InvoiceFilter
		want string
	}{
		{store.InvoiceFilter{}, "No invoices yet. Generate drafts with rebill invoices generate --period YYYY-MM --all."},
		{store.InvoiceFilter{Period: "2018-11"}, "No invoices for 2018-11 yet. Generate drafts with rebill invoices generate --period 2018-11 --all."},
		{store.InvoiceFilter{Period: "2018-11", Status: invoice.PastDue, Customer: "ACME"},
			"No Past Due invoice for 2018-11 of customer ACME: without --status the list shows every status."},
	} {
		if got := noInvoices(c.f); got != c.want {
			t.Errorf("%+v: %q, want %q", c.f, got, c.want)
		}
	}
}
