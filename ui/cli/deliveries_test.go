package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// splitMonth writes October 2024 of payer 836060457634 as AWS splits it:
// report-00001.csv (1.25 + 2.5 = 3.75) and report-00002.csv (10 - 0.5 =
// 9.5) in one folder, with the Data Exports manifest that lists them.
// invoice is bill/InvoiceId ("" while provisional); day is the last
// usage day.
func splitMonth(t *testing.T, invoice string, day int) (dir string, parts []string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "report", "data", "BILLING_PERIOD=2024-10")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	head := "bill/PayerAccountId,bill/BillingPeriodStartDate,bill/InvoiceId,lineItem/UsageAccountId,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/ProductCode,lineItem/CurrencyCode,lineItem/UnblendedCost\n"
	row := func(acct, cost string, d int) string {
		return fmt.Sprintf("836060457634,2024-10-01T00:00:00Z,%s,%s,Usage,2024-10-%02dT00:00:00Z,AmazonEC2,USD,%s\n", invoice, acct, d, cost)
	}
	bodies := []string{
		head + row("011254002932", "1.25", 1) + row("011254002932", "2.5", 2),
		head + row("836060457634", "10", 3) + row("836060457634", "-0.5", day),
	}
	for i, b := range bodies {
		p := filepath.Join(dir, fmt.Sprintf("report-%05d.csv", i+1))
		if err := os.WriteFile(p, []byte(b), 0o644); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, p)
	}
	manifest := `{"executionId":"run-` + invoice + `","exportArn":"arn:aws:bcm-data-exports:us-east-1:836060457634:export/report",` +
		`"dataFiles":["s3://b/p/report/data/BILLING_PERIOD=2024-10/report-00001.csv","s3://b/p/report/data/BILLING_PERIOD=2024-10/report-00002.csv"]}`
	if err := os.WriteFile(filepath.Join(dir, "report-Manifest.json"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, parts
}

type importJSON struct {
	File       string `json:"file"`
	Status     string `json:"status"`
	Rows       int64  `json:"rows"`
	Note       string `json:"note"`
	Deliveries []struct {
		ID            uint64 `json:"id"`
		Period        string `json:"period"`
		Rows          int64  `json:"rows"`
		UnblendedCost string `json:"unblended_cost"`
		Status        string `json:"status"`
		Previous      uint64 `json:"previous"`
		Parts         []struct {
			Number        int    `json:"number"`
			Rows          int64  `json:"rows"`
			UnblendedCost string `json:"unblended_cost"`
		} `json:"parts"`
	} `json:"deliveries"`
}

func TestImportSplitMonthAndDeliveries(t *testing.T) {
	for _, how := range []string{"parts", "folder", "manifest"} {
		t.Run(how, func(t *testing.T) {
			db := tempDB(t)
			dir, parts := splitMonth(t, "", 20)
			args := map[string][]string{"parts": parts, "folder": {dir}, "manifest": {filepath.Join(dir, "report-Manifest.json")}}[how]
			var got []importJSON
			ok(t, db, &got, append([]string{"import"}, args...)...)
			if len(got) != 2 || got[0].Status != "imported" || got[1].Status != "imported" {
				t.Fatalf("import: %+v", got)
			}
			d := got[0].Deliveries[0]
			// 3.75 + 9.5 = 13.25 over 4 rows; each part its own share.
			if len(got[0].Deliveries) != 1 || d.Rows != 4 || d.UnblendedCost != "13.25" || len(d.Parts) != 2 ||
				d.Parts[0].UnblendedCost != "3.75" || d.Parts[1].UnblendedCost != "9.5" || d.Parts[1].Number != 2 {
				t.Fatalf("delivery: %+v", d)
			}
			out, _, _ := cli(t, db, "periods")
			if !strings.Contains(out, "USD 13.25") {
				t.Errorf("periods: %s", out)
			}
		})
	}
}

func TestDeliveriesCommands(t *testing.T) {
	db := tempDB(t)
	_, final := splitMonth(t, "INV-1", 31)
	var got []importJSON
	ok(t, db, &got, append([]string{"import"}, final...)...)
	finalID := got[0].Deliveries[0].ID

	// The provisional re-delivery after the final one is refused, whole.
	_, estimate := splitMonth(t, "", 20)
	fails(t, db, 1, fmt.Sprintf("it is provisional and the current delivery is final; the month keeps delivery %d. To make the new one current anyway, import it again with --replace", finalID),
		append([]string{"import"}, estimate...)...)
	ok(t, db, &got, append([]string{"import", "--replace"}, estimate...)...)
	if got[0].Deliveries[0].Status != "replaced an earlier delivery" || got[0].Deliveries[0].Previous != finalID {
		t.Fatalf("--replace: %+v", got[0].Deliveries)
	}

	var history []struct {
		ID     uint64 `json:"id"`
		State  string `json:"state"`
		Events []struct {
			What string `json:"what"`
		} `json:"events"`
	}
	ok(t, db, &history, "deliveries", "list", "--period", "2024-10")
	if len(history) != 2 || history[0].State != "current" || history[1].State != "replaced" || history[1].ID != finalID ||
		!strings.Contains(history[0].Events[0].What, "--replace") {
		t.Fatalf("history: %+v", history)
	}
	// The final bytes again say where they are.
	ok(t, db, &got, append([]string{"import"}, final...)...)
	if got[0].Status != "earlier delivery" || !strings.Contains(got[0].Note, fmt.Sprintf("rebill deliveries restore %d", finalID)) {
		t.Fatalf("final again: %+v", got[0])
	}
	out, _, code := cli(t, db, "deliveries", "restore", fmt.Sprint(finalID))
	if code != 0 || !strings.Contains(out, fmt.Sprintf("Delivery %d is current again for aws 2024-10 (payer 836060457634): 4 rows, USD 13.25, final.", finalID)) {
		t.Fatalf("restore: %d %s", code, out)
	}
	var pruned struct {
		Pruned []uint64 `json:"pruned"`
		Bytes  int64    `json:"bytes"`
	}
	ok(t, db, &pruned, "deliveries", "prune")
	if len(pruned.Pruned) != 1 || pruned.Pruned[0] == finalID || pruned.Bytes == 0 {
		t.Fatalf("prune: %+v", pruned)
	}
	fails(t, db, 1, "was pruned: its rows are gone", "deliveries", "restore", fmt.Sprint(pruned.Pruned[0]))
	fails(t, db, 1, `"x" is not a delivery id`, "deliveries", "restore", "x")
	fails(t, db, 1, "there is no delivery 99", "deliveries", "restore", "99")
	// Part 2 of another run, alone, is refused: its manifest lists part 1.
	_, other := splitMonth(t, "INV-2", 31)
	fails(t, db, 1, `lacks part "report-00001.csv": import all its parts together`, "import", other[1])
	fails(t, db, 1, "there is no such file or folder", "import", filepath.Join(t.TempDir(), "none.csv"))
}

// TestMonthTotalsPrintAsMoney: the second part alone costs 10 - 0.5 =
// 9.5, and its account 836060457634 the same: the periods list, the
// deliveries list and the unassigned accounts write 9.50, as money reads,
// not 9.5.
func TestMonthTotalsPrintAsMoney(t *testing.T) {
	db := tempDB(t)
	_, parts := splitMonth(t, "", 20)
	alone := filepath.Join(t.TempDir(), "part.csv") // away from its manifest
	data, err := os.ReadFile(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(alone, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var got []importJSON
	ok(t, db, &got, "import", alone)
	for _, args := range [][]string{{"periods"}, {"deliveries", "list"}, {"accounts", "unassigned", "--period", "2024-10"}} {
		out, errs, code := cli(t, db, args...)
		if code != 0 || !strings.Contains(out, "USD 9.50") || strings.Contains(out, "USD 9.5 ") {
			t.Errorf("rebill %s: exit %d %s\n%s", strings.Join(args, " "), code, errs, out)
		}
	}
}

// TestEventTimesAreLocal: the deliveries list says when its last event
// happened in the computer's time zone, as the window's Periods screen
// and period status do, not in the UTC it is stored in. Imported at
// 09:30 UTC on 5 October, it reads 11:30 on a computer two hours ahead.
func TestEventTimesAreLocal(t *testing.T) {
	before := time.Local
	time.Local = time.FixedZone("UTC+2", 2*60*60)
	t.Cleanup(func() { time.Local = before })
	db := tempDB(t)
	_, final := splitMonth(t, "INV-1", 31)
	var got []importJSON
	ok(t, db, &got, append([]string{"import"}, final...)...)
	out, errs, code := cli(t, db, "deliveries", "list")
	if code != 0 || !strings.Contains(out, "2026-10-05 11:30 imported") {
		t.Errorf("deliveries list: %d %q %q, want the import at 2026-10-05 11:30", code, out, errs)
	}
	// The backup taken before it says the same time; its file name keeps
	// UTC, which sorts.
	out, errs, code = cli(t, db, "backups")
	if code != 0 || !strings.Contains(out, "2026-10-05 11:30  before import") || !strings.Contains(out, "-2026-10-05-093000Z-before-import.db") {
		t.Errorf("backups: %d %q %q, want the backup at 2026-10-05 11:30", code, out, errs)
	}
}
