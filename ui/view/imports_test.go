package view

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/ingest"
	"rebill/engine/lineitem"
)

// twoParts is an import of October 2024 in two files, the second
// completing the month's delivery: 1.0000000001 + 2.5 in the first part,
// 0.12345678901 in the second, over two accounts; provisional.
func twoParts(status ingest.Status) *ingest.Result {
	d := ingest.Delivery{Provider: lineitem.AWS, Payer: "111122223333", Period: "2024-10", Currency: "USD", Status: status,
		Accounts:    map[string]decimal.Decimal{"444455556666": decimal.RequireFromString("3.5000000001"), "777788889999": decimal.RequireFromString("0.12345678901")},
		AccountRows: map[string]int64{"444455556666": 2, "777788889999": 1},
		Parts: []ingest.Part{
			{File: "/data/oct-1.csv", Hash: "h1", Rows: 2, UnblendedCost: decimal.RequireFromString("3.5000000001")},
			{File: "/data/oct-2.csv", Hash: "h2", Rows: 1, UnblendedCost: decimal.RequireFromString("0.12345678901")},
		}}
	return &ingest.Result{Deliveries: []ingest.Delivery{d}, Files: []ingest.FileResult{
		{File: "/data/oct-1.csv", Hash: "h1", Rows: 2, Format: "legacy-csv"},
		{File: "/data/oct-2.csv", Hash: "h2", Rows: 1, Format: "legacy-csv"},
	}}
}

func TestImportRows(t *testing.T) {
	res := twoParts(ingest.Imported)
	r := ImportRow(FileOutcome{File: "/data/oct-1.csv", Res: res, Index: 0}, "CUR CSV")
	// The file's own rows and cost, to the cent with the exact figure
	// one click away (not the provider's ten decimals); the accounts of
	// the delivery it is in.
	if got := rowTexts(r); got != "oct-1.csv|Imported|CUR CSV|2024-10|AWS 111122223333|2|USD 3.50|Provisional|2" {
		t.Errorf("row %q", got)
	}
	if got := r.Cells[ImpTotal].Full; got != "USD 3.5000000001 exactly" {
		t.Errorf("the total in full is %q, want USD 3.5000000001 exactly", got)
	}
	if r.Cells[ImpResult].Tone != Success || r.Cells[ImpData].Tone != Warning {
		t.Errorf("tones %+v", r.Cells)
	}
	for _, tc := range []struct {
		status ingest.Status
		want   string
	}{{ingest.Replaced, "Replaced earlier data"}, {ingest.Joined, "Added to its delivery"}} {
		if got := (FileOutcome{File: "/data/oct-2.csv", Res: twoParts(tc.status), Index: 1}).Outcome(); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.status, got, tc.want)
		}
	}
	// Azure's amortized export made current over the actual one, by
	// the accountant's choice: the row says which cost the month bills.
	res = twoParts(ingest.Replaced)
	res.Files[1].CostView = "amortized"
	res.Deliveries[0].CostView, res.Deliveries[0].ViewChange = "amortized", "the amortized cost export replaces the actual cost export"
	r = ImportRow(FileOutcome{File: "/data/oct-2.csv", Res: res, Index: 1}, "Azure cost details")
	if r.Cells[ImpResult].Text != "Replaced earlier data: now billed from amortized cost" || r.Cells[ImpFormat].Text != "Azure cost details (amortized cost)" {
		t.Errorf("view change: %q, %q", r.Cells[ImpResult].Text, r.Cells[ImpFormat].Text)
	}
	res = twoParts(ingest.Imported)
	res.Files[1].Status, res.Files[1].Hash = ingest.EarlierDelivery, "other"
	r = ImportRow(FileOutcome{File: "/data/oct-2.csv", Res: res, Index: 1}, "CUR CSV")
	// In no delivery of this import: no rows, total or finality.
	if got := rowTexts(r); got != "oct-2.csv|Earlier delivery: select for details|CUR CSV||||||" || r.Cells[ImpResult].Tone != Warning {
		t.Errorf("earlier delivery %q", got)
	}
	failed := ImportRow(FileOutcome{File: "/data/bad.csv", Err: errors.New("boom")}, "")
	if got := rowTexts(failed); got != "bad.csv|Failed: select for details|||||||" || failed.Cells[ImpResult].Tone != Danger {
		t.Errorf("failed %q", got)
	}

	ok := []FileOutcome{{File: "/data/oct-1.csv", Res: twoParts(ingest.Imported), Index: 0}, {File: "/data/oct-2.csv", Res: twoParts(ingest.Imported), Index: 1}}
	if text, failure, cancelled := ImportDone(ok); text != "Done. 2 files (imported: 2)." || failure != nil || cancelled {
		t.Errorf("done %q", text)
	}
	// A re-delivery names the issued invoices computed from what it
	// replaced, once each across the run's files.
	redelivered := twoParts(ingest.Replaced)
	redelivered.Deliveries[0].Issued = []string{"INV-2024-00007", "INV-2024-00009"}
	run := []FileOutcome{{File: "/data/oct-1.csv", Res: redelivered, Index: 0}, {File: "/data/oct-2.csv", Res: redelivered, Index: 1}}
	if note := ImportIssuedNote(run); note != "Issued invoices INV-2024-00007, INV-2024-00009 were computed from the data this import replaced: they stay as issued; the Invoices screen shows what changed." {
		t.Errorf("the note after a re-delivery %q", note)
	}
	if note := ImportIssuedNote(ok); note != "" {
		t.Errorf("a first delivery notes %q", note)
	}
	boom := errors.New("boom")
	if text, failure, _ := ImportDone([]FileOutcome{{File: "a", Err: boom}, {File: "b", Err: boom}}); failure != boom || !strings.HasPrefix(text, "Nothing was imported") {
		t.Errorf("failed run %q %v", text, failure)
	}
	if text, failure, cancelled := ImportDone([]FileOutcome{{File: "a", Err: boom, Cancelled: true}}); !cancelled || failure != nil || text != "Import cancelled. Nothing was imported; the list is as it was." {
		t.Errorf("cancelled run %q", text)
	}
}

func TestImportWords(t *testing.T) {
	if got := ImportProgress(1, 3, "/data/oct-2.csv", 12345, false); got != "File 2 of 3. Importing oct-2.csv: 12,345 rows" {
		t.Errorf("progress %q", got)
	}
	if got := ImportProgress(0, 1, "/data/oct-1.csv", 1, true); got != "Cancelling… Importing oct-1.csv: 1 row" {
		t.Errorf("cancelling %q", got)
	}
	for n, want := range map[int64]string{1: "1 byte", 999: "999 bytes", 1000: "1.0 kB", 1500000: "1.5 MB", 5_092_980: "5.1 MB", 2_000_000_000: "2.0 GB"} {
		if got := ByteSize(n); got != want {
			t.Errorf("ByteSize(%d) = %q, want %q", n, got, want)
		}
	}
	err := fmt.Errorf("import: %w", &ingest.Error{File: "/data/oct.csv", Where: "line 12, column lineItem/UnblendedCost", Err: errors.New(`"abc" is not a number`)})
	if got := ImportProblem(err); got != `Line 12, column lineItem/UnblendedCost: "abc" is not a number` {
		t.Errorf("problem %q", got)
	}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{ingest.ErrOlder, "The month keeps the delivery it has."},
		{ingest.ErrIncomplete, "AWS split this month into several parts."},
		{ingest.ErrNotBilling, "Check that this is a provider's detailed billing file as it was delivered: an AWS Cost and Usage Report"},
		{ingest.ErrDamaged, "The download was probably interrupted"},
		{errors.New("other"), "Check that this is the provider's billing file as it was delivered, complete and unchanged"},
	} {
		if got := ImportAdvice(tc.err); !strings.HasPrefix(got, tc.want) || !strings.HasSuffix(got, " Nothing of this import was stored.") {
			t.Errorf("advice for %v: %q", tc.err, got)
		}
	}
}
