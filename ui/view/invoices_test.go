package view

import (
	"strings"
	"testing"
	"time"

	"rebill/engine/billing"
	"rebill/engine/document"
	"rebill/engine/ingest"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
	"rebill/store"
)

// testNow is early November 2024: September's invoices, issued on
// 2024-10-05 with 30 days' terms, are due 2024-11-04 and so past due.
var testNow = time.Date(2024, time.November, 5, 10, 0, 0, 0, time.UTC)

// doc is a document of a customer and month with a total in USD.
func doc(id, cust, period string, kind invoice.Kind, st invoice.Status, total string) invoice.Invoice {
	inv := invoice.Invoice{ID: id, CustomerID: cust, Period: period, Kind: kind, Status: st}
	inv.Customer.Name = map[string]string{"ACME": "Acme Retail", "GLOBEX": "Globex", "INITECH": "Initech"}[cust]
	inv.Currency = "USD"
	inv.Total = printed(total, "USD")
	return inv
}

// issued numbers a document and dates it as approved on 2024-10-05.
func issued(inv invoice.Invoice, number string) invoice.Invoice {
	inv.Number = number
	inv.IssueDate = invoice.NewDate(2024, time.October, 5)
	if inv.Kind == invoice.KindInvoice {
		inv.DueDate = invoice.NewDate(2024, time.November, 4)
	}
	return inv
}

// cellTexts are a row's cells' texts.
func cellTexts(r InvoiceRow) []string {
	var out []string
	for _, c := range r.Cells {
		out = append(out, c.Text)
	}
	return out
}

func rowOf(t *testing.T, v Invoices, id string) InvoiceRow {
	t.Helper()
	r, ok := v.Row(id)
	if !ok {
		t.Fatalf("no row %s in %d rows", id, len(v.Rows))
	}
	return r
}

// TestInvoicesChangeColumn: each October draft against the customer's
// September invoice, as the preview shows it.
func TestInvoicesChangeColumn(t *testing.T) {
	sep := []invoice.Invoice{
		// ACME: the approved invoice, not its later draft, is compared.
		issued(doc("a9", "ACME", "2024-09", invoice.KindInvoice, invoice.Open, "4.36"), "INV-1"),
		doc("a9d", "ACME", "2024-09", invoice.KindInvoice, invoice.Draft, "999.00"),
		// GLOBEX: 100.00 in September.
		issued(doc("g9", "GLOBEX", "2024-09", invoice.KindInvoice, invoice.Closed, "100.00"), "INV-2"),
		// INITECH: a zero invoice, no percentage from it.
		issued(doc("i9", "INITECH", "2024-09", invoice.KindInvoice, invoice.Open, "0"), "INV-3"),
	}
	eur := doc("g10", "GLOBEX", "2024-10", invoice.KindInvoice, invoice.Draft, "90.00")
	eur.Currency, eur.Total = "EUR", printed("90.00", "EUR")
	cases := []struct {
		name              string
		earlier           []invoice.Invoice
		draft             invoice.Invoice
		change, pct       string
		changeTone, pctTn Tone
	}{
		// 1.00 - 4.36 = -3.36; -3.36 / 4.36 = -77.06% -> -77.1%, notable.
		{"a notable fall", sep, doc("a10", "ACME", "2024-10", invoice.KindInvoice, invoice.Draft, "1.00"), "-3.36", "-77.1%", Warning, Warning},
		// 110.00 - 100.00 = +10.00, +10.0%: not notable.
		{"a small rise", sep, doc("g10", "GLOBEX", "2024-10", invoice.KindInvoice, invoice.Draft, "110.00"), "+10.00", "+10.0%", Normal, Normal},
		// 125.00 - 100.00 = +25.0%: notable from a quarter on.
		{"a quarter up", sep, doc("g10", "GLOBEX", "2024-10", invoice.KindInvoice, invoice.Draft, "125.00"), "+25.00", "+25.0%", Warning, Warning},
		// From 0.00: the change alone.
		{"from a zero invoice", sep, doc("i10", "INITECH", "2024-10", invoice.KindInvoice, invoice.Draft, "1234.50"), "+1,234.50", "", Normal, Normal},
		{"a new customer", sep, doc("u10", "UMBRELLA", "2024-10", invoice.KindInvoice, invoice.Draft, "1.00"), "new", "", Low, Normal},
		// Nobody invoiced the month before (the first month invoiced):
		// every row would be new, so none says so.
		{"the first month invoiced", nil, doc("a10", "ACME", "2024-10", invoice.KindInvoice, invoice.Draft, "1.00"), "", "", Normal, Normal},
		{"another currency", sep, eur, "was in USD", "", Low, Normal},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := NewInvoices(InvoicesInput{Period: "2024-10", Docs: []invoice.Invoice{tc.draft}, Earlier: tc.earlier, Now: testNow})
			r := rowOf(t, v, tc.draft.ID)
			ch, pct := r.Cells[ColChange], r.Cells[ColPercent]
			if ch.Text != tc.change || pct.Text != tc.pct || ch.Tone != tc.changeTone || pct.Tone != tc.pctTn {
				t.Errorf("change %q (%v) %q (%v), want %q (%v) %q (%v)", ch.Text, ch.Tone, pct.Text, pct.Tone, tc.change, tc.changeTone, tc.pct, tc.pctTn)
			}
		})
	}
	// Over every month there is no month before: no change at all.
	v := NewInvoices(InvoicesInput{Docs: []invoice.Invoice{cases[0].draft}, Earlier: sep, Now: testNow})
	if r := v.Rows[0]; r.Cells[ColChange].Text != "" || r.Cells[ColPercent].Text != "" {
		t.Errorf("every month: change %q %q", r.Cells[ColChange].Text, r.Cells[ColPercent].Text)
	}
}

func TestInvoicesRowsAndNotes(t *testing.T) {
	inv := issued(doc("a1", "ACME", "2024-09", invoice.KindInvoice, invoice.Open, "3.63"), "INV-2024-0001")
	note1 := issued(doc("n1", "ACME", "2024-09", invoice.KindCreditNote, invoice.Open, "-1.00"), "CN-1")
	note1.Corrects, note1.CorrectsNumber, note1.Reason = "a1", "INV-2024-0001", "goodwill"
	voided := issued(doc("n2", "ACME", "2024-09", invoice.KindCreditNote, invoice.Void, "-2.63"), "CN-2")
	voided.Corrects, voided.CorrectsNumber = "a1", "INV-2024-0001"
	paid := issued(doc("g1", "GLOBEX", "2024-09", invoice.KindInvoice, invoice.Closed, "10.00"), "INV-2024-0002")
	paid.PaidDate, paid.PaymentRef = invoice.NewDate(2024, time.October, 20), "BANK-77"
	void := issued(doc("i1", "INITECH", "2024-09", invoice.KindInvoice, invoice.Void, "5.00"), "INV-2024-0003")
	void.VoidReason = "sent to the wrong customer"
	draft := doc("d1", "INITECH", "2024-09", invoice.KindInvoice, invoice.Draft, "5.00")
	draft.Warnings = []string{"Credit grant #3 is in EUR."}

	// The store gives the balance of the Open invoice only: 3.63 less
	// CN-1's 1.00.
	balances := map[string]billing.Amount{"a1": printed("2.63", "USD")}
	v := NewInvoices(InvoicesInput{Period: "2024-09", Docs: []invoice.Invoice{inv, note1, voided, paid, void, draft}, Balances: balances, Now: testNow})
	want := map[string][]string{
		// Due 2024-11-04, a day before now: Past Due. One credit note
		// counts; the voided one credits nothing. Without August's
		// invoices there is no change to show. The credit note reads
		// Issued, as its PDF: nothing is awaited on it. Only the Open
		// invoice has something open.
		"a1": {"Acme Retail", "INV-2024-0001", "2024-09", "AWS", "Past Due", "USD 3.63", "2.63", "", "", "2024-10-05", "2024-11-04", "Partly credited by CN-1"},
		"n1": {"Acme Retail", "CN-1", "2024-09", "AWS", "Issued", "USD -1.00", "", "", "", "2024-10-05", "", "Credit note for INV-2024-0001: goodwill"},
		"g1": {"Globex", "INV-2024-0002", "2024-09", "AWS", "Closed", "USD 10.00", "", "", "", "2024-10-05", "2024-11-04", "Paid 2024-10-20 (BANK-77)"},
		"i1": {"Initech", "INV-2024-0003", "2024-09", "AWS", "Void", "USD 5.00", "", "", "", "2024-10-05", "2024-11-04", "Void: sent to the wrong customer"},
		"d1": {"Initech", "Draft", "2024-09", "AWS", "Draft", "USD 5.00", "", "", "", "", "", "Credit grant #3 is in EUR."},
	}
	if c := rowOf(t, v, "a1").Cells[ColBalance]; c.Tone != Danger {
		t.Errorf("the balance of a Past Due invoice is in %v, want red as its due date", c.Tone)
	}
	for id, w := range want {
		if got := cellTexts(rowOf(t, v, id)); strings.Join(got, "|") != strings.Join(w, "|") {
			t.Errorf("row %s\n got %q\nwant %q", id, got, w)
		}
	}
	// The change column compares invoices only: a credit note has none.
	if c := rowOf(t, v, "n1").Cells[ColChange]; c.Text != "" {
		t.Errorf("credit note change %q", c.Text)
	}
	a1 := rowOf(t, v, "a1")
	if a1.Cells[ColStatus].Tone != Danger || !a1.Cells[ColStatus].Bold || a1.Cells[ColDue].Tone != Danger {
		t.Errorf("Past Due not in red: %+v", a1.Cells)
	}
	for id, tone := range map[string]Tone{"g1": Success, "i1": Low, "d1": Warning, "n1": Normal} {
		if got := rowOf(t, v, id).Cells[ColStatus].Tone; got != tone {
			t.Errorf("%s status tone %v, want %v", id, got, tone)
		}
	}
	// What the engine noted on a draft asks to look twice; an issued
	// document's facts are plain.
	for id, tone := range map[string]Tone{"d1": Warning, "g1": Normal, "n1": Normal} {
		if got := rowOf(t, v, id).Cells[ColNote].Tone; got != tone {
			t.Errorf("%s note tone %v, want %v", id, got, tone)
		}
	}
	// Credited in full once the notes that count reach the total:
	// 3.63 - 1.00 - 2.63 = 0.
	full := voided
	full.Status = invoice.Open
	v = NewInvoices(InvoicesInput{Period: "2024-09", Docs: []invoice.Invoice{inv, note1, full}, Now: testNow})
	if got := rowOf(t, v, "a1").Cells[ColNote].Text; got != "Credited in full by CN-1, CN-2" {
		t.Errorf("note %q", got)
	}
	// A changed month's note wins, in orange.
	d := invoice.Difference{Currency: "USD", Total: invoice.Change{By: printed("2.00", "USD")}}
	v = NewInvoices(InvoicesInput{Period: "2024-09", Docs: []invoice.Invoice{inv}, Diffs: map[string]invoice.Difference{"a1": d}, Now: testNow})
	if c := rowOf(t, v, "a1").Cells[ColNote]; c.Text != "Data changed since issue: +2.00" || c.Tone != Warning {
		t.Errorf("changed note %q (%v)", c.Text, c.Tone)
	}
	if v.Changed != "The billing data changed after 1 invoice was issued: INV-2024-0001 (Acme Retail, +2.00 USD). "+
		"The issued invoices stay as they are; open one to see the difference and issue its correction." {
		t.Errorf("changed banner %q", v.Changed)
	}
	v = NewInvoices(InvoicesInput{Period: "2024-09", Docs: []invoice.Invoice{inv},
		Unchecked: []store.Unchecked{{Invoice: "invoice INV-2024-0001", Reason: "its month is no longer imported"}}, Now: testNow})
	if v.Changed != "Invoice INV-2024-0001 could not be checked against the data: its month is no longer imported." {
		t.Errorf("unchecked banner %q", v.Changed)
	}
}

func TestInvoicesSummaryHeadingAndEmpty(t *testing.T) {
	docs := []invoice.Invoice{
		doc("d1", "ACME", "2024-10", invoice.KindInvoice, invoice.Draft, "4.36"),
		doc("d2", "GLOBEX", "2024-10", invoice.KindInvoice, invoice.Draft, "10.00"),
		issued(doc("o1", "INITECH", "2024-10", invoice.KindInvoice, invoice.Open, "1000.00"), "INV-9"),
		issued(doc("n1", "INITECH", "2024-10", invoice.KindCreditNote, invoice.Open, "-1.50"), "CN-9"),
	}
	docs[2].DueDate = invoice.NewDate(2024, time.December, 5) // not yet due
	provisional := &ingest.Month{Period: "2024-10", Open: []lineitem.Provider{lineitem.AWS}}
	v := NewInvoices(InvoicesInput{Period: "2024-10", Docs: docs, Month: provisional, Now: testNow})
	// 4.36 + 10.00 = 14.36.
	if want := "2 drafts totalling USD 14.36  ·  1 open  ·  1 credit note totalling USD -1.50"; v.Summary != want {
		t.Errorf("summary %q, want %q", v.Summary, want)
	}
	if v.Heading != "Invoices of 2024-10" || !strings.HasPrefix(v.Intro, "Generate a month's drafts on the Reports screen") {
		t.Errorf("heading %q, intro %q", v.Heading, v.Intro)
	}
	if !strings.HasPrefix(v.Warning, "AWS has not closed 2024-10 yet") || !strings.Contains(v.Warning, "between the 5th and 15th of November 2024") {
		t.Errorf("warning %q", v.Warning)
	}
	// The filter: Past Due lists nothing here, and says why.
	v = NewInvoices(InvoicesInput{Period: "2024-10", Status: invoice.PastDue, Docs: docs, Now: testNow})
	if len(v.Rows) != 0 || v.Empty != "No Past Due invoice here. Choose All statuses to see the others." {
		t.Errorf("%d rows, empty %q", len(v.Rows), v.Empty)
	}
	// No warning without drafts, nor for a final month.
	if v := NewInvoices(InvoicesInput{Period: "2024-10", Docs: docs[2:], Month: provisional, Now: testNow}); v.Warning != "" {
		t.Errorf("warning without drafts %q", v.Warning)
	}
	if v := NewInvoices(InvoicesInput{Period: "2024-10", Docs: docs, Month: &ingest.Month{Period: "2024-10", Final: true}, Now: testNow}); v.Warning != "" {
		t.Errorf("warning for a final month %q", v.Warning)
	}
	for _, tc := range []struct {
		name, period, preview, heading, empty string
	}{
		{"a preview", "2024-10", "2024-10", "Preview: invoices of 2024-10",
			"No invoices for 2024-10 yet. On the Reports screen, choose 2024-10, check the customers to invoice and choose Generate invoices."},
		{"another month than the preview", "2024-09", "2024-10", "Invoices of 2024-09",
			"No invoices for 2024-09 yet. On the Reports screen, choose 2024-09, check the customers to invoice and choose Generate invoices."},
		{"every month", "", "", "Invoices of every month",
			"No invoices yet. On the Reports screen, check the customers to invoice and choose Generate invoices."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := NewInvoices(InvoicesInput{Period: tc.period, Preview: tc.preview, Now: testNow})
			if v.Heading != tc.heading || v.Empty != tc.empty || v.Summary != "" {
				t.Errorf("heading %q, empty %q, summary %q", v.Heading, v.Empty, v.Summary)
			}
		})
	}
}

func TestInvoicesActions(t *testing.T) {
	open := issued(doc("o1", "ACME", "2024-10", invoice.KindInvoice, invoice.Open, "3.63"), "INV-2024-0001")
	open.DueDate = invoice.NewDate(2024, time.December, 5)
	d1 := doc("d1", "GLOBEX", "2024-10", invoice.KindInvoice, invoice.Draft, "10.00")
	d2 := doc("d2", "INITECH", "2024-10", invoice.KindInvoice, invoice.Draft, "1.00")
	cases := []struct {
		name, period     string
		docs             []invoice.Invoice
		selected         string
		all              string
		allOn            bool
		approve, del, vw bool
		hint             string
	}{
		{"two drafts, nothing selected", "2024-10", []invoice.Invoice{open, d1, d2}, "", "Approve all 2 drafts", true, false, false, false,
			"Select an invoice to approve, view or delete it."},
		{"one draft", "2024-10", []invoice.Invoice{open, d1}, "", "Approve the draft", true, false, false, false,
			"Select an invoice to approve, view or delete it."},
		{"every month", "", []invoice.Invoice{open, d1}, "", "Approve all", false, false, false, false,
			"Select an invoice to approve, view or delete it. Choose a month to approve all its drafts at once."},
		{"nothing listed", "2024-10", nil, "", "Approve all", false, false, false, false, ""},
		{"a draft selected", "2024-10", []invoice.Invoice{open, d1}, "d1", "Approve the draft", true, true, true, true,
			"Selected: the draft of Globex for 2024-10, USD 10.00."},
		{"an open invoice selected", "2024-10", []invoice.Invoice{open}, "o1", "Approve all", false, false, false, true,
			"Selected: INV-2024-0001 of Acme Retail, Open, USD 3.63. Delete is for drafts only: invoice INV-2024-0001 is Open and cannot be deleted " +
				"(its number must stay in the sequence); void it or issue a credit note instead."},
		{"a selection no longer listed", "2024-10", []invoice.Invoice{open}, "gone", "Approve all", false, false, false, false,
			"Select an invoice to approve, view or delete it."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := NewInvoices(InvoicesInput{Period: tc.period, Docs: tc.docs, Now: testNow}).Actions(tc.selected)
			if a.ApproveAll != tc.all || a.AllOn != tc.allOn || a.Approve != tc.approve || a.Delete != tc.del || a.View != tc.vw || a.Hint != tc.hint {
				t.Errorf("actions %+v\nwant %q %v approve %v delete %v view %v hint %q", a, tc.all, tc.allOn, tc.approve, tc.del, tc.vw, tc.hint)
			}
		})
	}
	// The selected row stands out: bold, its plain cells in the accent.
	v := NewInvoices(InvoicesInput{Period: "2024-10", Docs: []invoice.Invoice{open, d1}, Now: testNow})
	if c := v.Cell(0, ColTotal, "o1"); !c.Bold || c.Tone != High {
		t.Errorf("selected total %+v", c)
	}
	if c := v.Cell(1, ColStatus, "o1"); c.Bold || c.Tone != Warning {
		t.Errorf("unselected draft status %+v", c)
	}
	if c := v.Cell(1, ColStatus, "d1"); !c.Bold || c.Tone != Warning {
		t.Errorf("selected draft keeps its colour: %+v", c)
	}
}

func TestApprovalWording(t *testing.T) {
	issue := invoice.NewDate(2024, time.November, 5)
	d1 := doc("d1", "ACME", "2024-10", invoice.KindInvoice, invoice.Draft, "4.36")
	d2 := doc("d2", "GLOBEX", "2024-10", invoice.KindInvoice, invoice.Draft, "10.00")
	tail := " and a due date after the customer's payment terms. Approved invoices cannot be edited or deleted; they can be voided or credited."
	if got, want := Numbering(2, "INV-2024-0001", "INV-2024-0002", issue),
		"Each takes the next invoice number (INV-2024-0001 to INV-2024-0002), today's issue date 2024-11-05"+tail; got != want {
		t.Errorf("numbering\n got %q\nwant %q", got, want)
	}
	if got, want := Numbering(1, "INV-2024-0003", "INV-2024-0003", issue), "It takes the next invoice number (INV-2024-0003), today's issue date 2024-11-05"+tail; got != want {
		t.Errorf("numbering of one\n got %q\nwant %q", got, want)
	}
	if got, want := Numbering(1, "", "", issue), "It takes the next invoice number, today's issue date 2024-11-05"+tail; got != want {
		t.Errorf("numbering unknown\n got %q\nwant %q", got, want)
	}
	// 4.36 + 10.00 = 14.36.
	if got := ApproveAllQuestion("2024-10", []invoice.Invoice{d1, d2}, "N."); got != "Approve the 2 drafts of 2024-10, totalling USD 14.36?\n\nN." {
		t.Errorf("approve all %q", got)
	}
	if got := ApproveAllQuestion("2024-10", []invoice.Invoice{d1}, "N."); got != "Approve the draft of Acme Retail for 2024-10, USD 4.36?\n\nN." {
		t.Errorf("approve the draft %q", got)
	}
	if got := DeleteQuestion(d1); !strings.HasPrefix(got, "Delete the draft invoice of Acme Retail for 2024-10 (USD 4.36)?") {
		t.Errorf("delete %q", got)
	}
	taken := &store.NumberTakenError{Number: "INV-3", Holder: "invoice INV-3 of Globex", Kind: invoice.KindInvoice}
	a := func(number string) store.Approval {
		inv := issued(d1, number)
		return store.Approval{Invoice: &inv}
	}
	for _, tc := range []struct {
		name string
		as   []store.Approval
		want string
	}{
		{"none", nil, "No invoice was approved."},
		{"one", []store.Approval{a("INV-1")}, "Invoice INV-1 was approved: it is Open and can be downloaded and sent."},
		{"several and a refusal", []store.Approval{a("INV-1"), a("INV-2"), {Refused: "draft invoice of GLOBEX for 2024-10: the profile has no company name"}},
			"2 invoices were approved, INV-1 to INV-2: they are Open and can be downloaded and sent.\n\nNot approved:\n• Draft invoice of GLOBEX for 2024-10: the profile has no company name"},
		{"number taken", []store.Approval{{ID: "7", Err: taken, Refused: taken.Error()}},
			"No invoice was approved.\n\nNot approved:\n• Number INV-3 is already used by invoice INV-3 of Globex: the invoice numbers are behind the ones issued. " +
				"In Settings > Invoice numbers, choose Move forward… and move past the last number issued, then approve again. The draft is unchanged."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Approved(tc.as); got != tc.want {
				t.Errorf("Approved\n got %q\nwant %q", got, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		name string
		as   []store.Approval
		want string
	}{
		{"all approved", []store.Approval{a("INV-1")}, "Approved"},
		{"all refused", []store.Approval{{ID: "7", Err: taken, Refused: taken.Error()}}, "Not approved"},
		{"some refused", []store.Approval{a("INV-1"), {ID: "7", Err: taken, Refused: taken.Error()}}, "Approved in part"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ApprovedTitle(tc.as); got != tc.want {
				t.Errorf("title %q, want %q", got, tc.want)
			}
		})
	}
	if got, want := DraftDeleted(d1), "The draft invoice of Acme Retail for 2024-10 (USD 4.36) is deleted. Generating 2024-10 again for Acme Retail makes a new draft."; got != want {
		t.Errorf("deleted\n got %q\nwant %q", got, want)
	}
}

func TestInvoiceWording(t *testing.T) {
	inv := issued(doc("a1", "ACME", "2024-09", invoice.KindInvoice, invoice.Open, "3.63"), "INV-2024-0001")
	if text, tone := InvoiceTitle(inv, testNow); text != "Invoice INV-2024-0001  ·  Acme Retail  ·  2024-09  ·  Past Due" || tone != Danger {
		t.Errorf("title %q (%v)", text, tone)
	}
	draft := doc("d1", "ACME", "2024-10", invoice.KindCreditNote, invoice.Draft, "-1.00")
	if text, tone := InvoiceTitle(draft, testNow); text != "Draft credit note  ·  Acme Retail  ·  2024-10  ·  Draft" || tone != Normal {
		t.Errorf("draft title %q (%v)", text, tone)
	}

	note := issued(doc("n1", "ACME", "2024-09", invoice.KindCreditNote, invoice.Open, "-1.00"), "CN-1")
	if MarkPaidLabel(inv) != "Mark paid…" || MarkPaidLabel(note) != "Mark refunded…" {
		t.Errorf("mark paid labels %q %q", MarkPaidLabel(inv), MarkPaidLabel(note))
	}
	repl := doc("r1", "ACME", "2024-09", invoice.KindInvoice, invoice.Draft, "5.63")
	// 3.63 - 1.00 = 2.63 left.
	r := Related(inv, invoice.Related{CreditNotes: []invoice.Invoice{note}, Left: printed("2.63", "USD"), Others: []invoice.Invoice{repl}})
	if r.NotesLabel != "Credited by (USD 2.63 left to credit):" || len(r.Notes) != 1 || r.Notes[0] != (Link{ID: "n1", Text: "CN-1 (USD -1.00)"}) ||
		r.OthersLabel != "Also for 2024-09:" || r.Others[0] != (Link{ID: "r1", Text: "Draft (USD 5.63)"}) {
		t.Errorf("related %+v", r)
	}
	r = Related(note, invoice.Related{Credited: &inv})
	if r.NotesLabel != "" || r.OthersLabel != "Credits:" || r.Others[0].Text != "INV-2024-0001 (USD 3.63)" {
		t.Errorf("a credit note's related %+v", r)
	}
	r = Related(inv, invoice.Related{CreditNotes: []invoice.Invoice{note}, CreditedInFull: true})
	if r.NotesLabel != "Credited in full by:" {
		t.Errorf("credited in full %q", r.NotesLabel)
	}

	for _, tc := range []struct {
		inv     invoice.Invoice
		display string
		f       document.Format
		want    string
	}{
		{inv, "", document.FormatPDF, "INV-2024-0001.pdf"},
		{inv, "EUR", document.FormatXLSX, "INV-2024-0001-EUR.xlsx"},
		// The detail lists line items in their own currency.
		{inv, "EUR", document.FormatDetailCSV, "INV-2024-0001-detail.csv"},
		{doc("d", "ACME", "2024-10", invoice.KindInvoice, invoice.Draft, "1"), "", document.FormatCSV, "Draft-ACME-2024-10.csv"},
	} {
		if got := FileName(tc.inv, tc.display, tc.f); got != tc.want {
			t.Errorf("FileName(%s, %q) = %q, want %q", tc.f, tc.display, got, tc.want)
		}
	}
	opts := CurrencyOptions("USD", "")
	if opts[0] != "USD (invoice currency)" || opts[1] != "EUR" || opts[len(opts)-1] != OtherCurrency || containsText(opts, "USD") {
		t.Errorf("options %q", opts)
	}
	if opts := CurrencyOptions("USD", "THB"); opts[len(opts)-2] != "THB" {
		t.Errorf("a typed currency is not offered again: %q", opts)
	}
	if opts := CurrencyOptions("USD", "EUR"); len(opts) != len(CurrencyOptions("USD", "")) {
		t.Errorf("a listed currency is offered twice: %q", opts)
	}
}

func containsText(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestDifferenceText(t *testing.T) {
	inv := issued(doc("a1", "ACME", "2024-09", invoice.KindInvoice, invoice.Open, "3.63"), "INV-2024-0001")
	change := func(was, now string) invoice.Change {
		w, n := printed(was, "USD"), printed(now, "USD")
		return invoice.Change{Was: w, Now: n, By: n.Add(w.Neg())}
	}
	d := invoice.Difference{Currency: "USD", Total: change("3.63", "5.63"), Tax: change("0.73", "1.13")}
	// Ten changed lines: eight are listed, then how many more.
	for i := range 10 {
		d.Lines = append(d.Lines, invoice.LineChange{ProductType: billing.ProductType("Compute"), Service: "Svc" + string(rune('A'+i)), Change: change("1.00", "1.20")})
	}
	got := DifferenceText(inv, d)
	for _, want := range []string{
		"The billing data for 2024-09 changed after INV-2024-0001 was issued: its total was USD 3.63 and now computes USD 5.63 (+2.00).",
		"\n• Compute · SvcA: 1.00 → 1.20 (+0.20)",
		"\n• Compute · SvcH: 1.00 → 1.20 (+0.20)\n• and 2 more lines\n• Tax: 0.73 → 1.13 (+0.40)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("difference text lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "SvcI") {
		t.Errorf("more than eight lines listed:\n%s", got)
	}
}

func TestProvisionalWarning(t *testing.T) {
	if got := ProvisionalWarning(ingest.Month{Period: "2024-09", Final: true}); got != "" {
		t.Errorf("a final month warns %q", got)
	}
	got := ProvisionalWarning(ingest.Month{Period: "2024-12", Open: []lineitem.Provider{lineitem.AWS, lineitem.Provider("azure")}})
	if !strings.HasPrefix(got, "AWS and Microsoft Azure have not closed 2024-12 yet: these numbers may change;") {
		t.Errorf("warning %q", got)
	}
	// The close of December is announced in January of the next year.
	if !strings.Contains(got, "between the 5th and 15th of January 2025.") {
		t.Errorf("warning %q", got)
	}
	// Azure's exports never show the close, AWS's CUR does: only the
	// former is pointed to Confirm final….
	if !strings.Contains(got, "record it with Confirm final… on the Periods screen") {
		t.Errorf("an Azure month's warning %q", got)
	}
	if aws := ProvisionalWarning(ingest.Month{Period: "2024-12", Open: []lineitem.Provider{lineitem.AWS}}); strings.Contains(aws, "Confirm final") {
		t.Errorf("an AWS month's warning %q", aws)
	}
}
