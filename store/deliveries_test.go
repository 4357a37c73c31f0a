package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
	"rebill/engine/ingest"
	"rebill/engine/lineitem"
	"rebill/engine/money"
)

// schema4Copy copies the schema 4 release's database (testdata/schema4)
// into a temporary folder and returns its path.
func schema4Copy(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "schema4", "schema4.db"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "rebill.db")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// monthTotal sums the current rows of a month, and counts them.
func monthTotal(t *testing.T, db *DB, period string) (decimal.Decimal, int) {
	t.Helper()
	var s money.Sum
	n := 0
	if err := db.ScanItems(period, func(it *lineitem.Item) error {
		s.Add(it.UnblendedCost)
		n++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return s.Total(), n
}

// TestUpgradeFromSchema4Release opens a database the schema 4 release
// wrote (see testdata/schema4/README.md): its current months keep their
// rows, its history becomes the delivery history, its invoice is intact.
func TestUpgradeFromSchema4Release(t *testing.T) {
	db, err := Open(schema4Copy(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// 2.001 + 2.002 + … + 2.008 = 16.036; 0.51 + 0.52 + 0.53 = 1.56.
	for _, tc := range []struct {
		period string
		total  string
		rows   int
	}{{"2026-09", "16.036", 8}, {"2026-08", "1.56", 3}} {
		total, rows := monthTotal(t, db, tc.period)
		if rows != tc.rows || !total.Equal(dec(tc.total)) {
			t.Errorf("%s after the upgrade: %d rows, %s; want %d, %s", tc.period, rows, total, tc.rows, tc.total)
		}
	}
	history, err := db.Deliveries("")
	if err != nil {
		t.Fatal(err)
	}
	if len(history) != 3 {
		t.Fatalf("history has %d deliveries, want 3: %+v", len(history), history)
	}
	states := map[string]DeliveryState{}
	for _, d := range history {
		states[filepath.Base(d.Parts[0].File)] = d.State
	}
	if states["cur-2026-09-early.csv"] != StatePruned || states["cur-2026-09-final.csv"] != StateCurrent || states["cur-2026-08.csv"] != StateCurrent {
		t.Errorf("states after the upgrade: %v", states)
	}
	p, _ := db.PeriodsOf("2026-09")
	// The last usage hour of cur-2026-09-final.csv is 2026-09-28 00:00.
	if len(p) != 1 || p[0].LatestUsage.Format("2006-01-02 15:04") != "2026-09-28 00:00" || !p[0].Final {
		t.Errorf("current 2026-09: %+v", p)
	}
	inv, err := db.Invoice("INV-2026-00001")
	if err != nil || inv.Total.String() != "16.04" {
		t.Errorf("the issued invoice after the upgrade: %v %v", inv.Total, err)
	}
	if _, err := db.VerifyAudit(); err != nil {
		t.Errorf("audit log after the upgrade: %v", err)
	}
	// The final file again: already imported. The early one, whose rows
	// schema 4 deleted, is read again and refused as older than the final.
	res, err := importPath(t, db, filepath.Join("testdata", "schema4", "cur-2026-09-final.csv"))
	if err != nil || res.Status != ingest.AlreadyImported {
		t.Errorf("final file again: %v %s", err, res.Status)
	}
	_, err = importPath(t, db, filepath.Join("testdata", "schema4", "cur-2026-09-early.csv"))
	if !errors.Is(err, ingest.ErrOlder) {
		t.Errorf("early file after the final: %v", err)
	}
}

// parts writes a month of one payer split into n part files named as AWS
// names them (report-00001.csv …), in one folder, rows rows each; part i's
// row j costs i + j/1000. It returns the folder, the files and the exact
// total.
func parts(t *testing.T, dir, payer, month, invoice string, n, rows, lastDay int) ([]string, decimal.Decimal) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var files []string
	var sum money.Sum
	for i := 1; i <= n; i++ {
		var b strings.Builder
		b.WriteString(header)
		for j := 1; j <= rows; j++ {
			cost := decimal.New(int64(i*1000+j), -3)
			sum.Add(cost)
			day := 1 + (j*7)%lastDay
			if j == rows && i == n {
				day = lastDay
			}
			fmt.Fprintf(&b, "%s,%s-01T00:00:00Z,%s,0000000000%02d,Usage,%s-%02dT03:00:00Z,AmazonEC2,USD,%s,t\n", payer, month, invoice, j%3, month, day, cost)
		}
		p := filepath.Join(dir, fmt.Sprintf("report-%05d.csv", i))
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	return files, sum.Total()
}

func importPaths(t *testing.T, db *DB, replace bool, paths ...string) (ingest.Result, error) {
	return ingest.Import(t.Context(), paths, db, ingest.Options{Now: t0, Replace: replace, By: "tester"})
}

func TestSplitDeliveryLandsWhole(t *testing.T) {
	for _, how := range []string{"files", "folder", "manifest", "legacy manifest"} {
		t.Run(how, func(t *testing.T) {
			db := openTest(t)
			dir := filepath.Join(t.TempDir(), "report", "20241001-20241101")
			files, total := parts(t, dir, "444444444444", "2024-10", "", 2, 30, 20)
			var args []string
			switch how {
			case "files":
				args = files
			case "folder":
				args = []string{dir}
			case "manifest":
				m := filepath.Join(dir, "report-Manifest.json")
				os.WriteFile(m, []byte(`{"executionId":"e-1","exportArn":"arn:aws:bcm-data-exports:us-east-1:444444444444:export/report","dataFiles":["s3://bucket/p/report/data/BILLING_PERIOD=2024-10/report-00001.csv","s3://bucket/p/report/data/BILLING_PERIOD=2024-10/report-00002.csv"]}`), 0o644)
				args = []string{m}
			case "legacy manifest":
				// Legacy layout: the parts in the assembly folder, the
				// month's manifest above it.
				asm := filepath.Join(dir, "1d5b6a6d-0000-4000-8000-00000000abcd")
				os.MkdirAll(asm, 0o755)
				for i, f := range files {
					files[i] = filepath.Join(asm, filepath.Base(f))
					os.Rename(f, files[i])
				}
				m := filepath.Join(dir, "report-Manifest.json")
				os.WriteFile(m, []byte(`{"assemblyId":"1d5b6a6d-0000-4000-8000-00000000abcd","reportName":"report","billingPeriod":{"start":"20241001T000000.000Z","end":"20241101T000000.000Z"},"reportKeys":["cur/report/20241001-20241101/1d5b6a6d-0000-4000-8000-00000000abcd/report-00001.csv","cur/report/20241001-20241101/1d5b6a6d-0000-4000-8000-00000000abcd/report-00002.csv"]}`), 0o644)
				args = []string{m}
			}
			res, err := importPaths(t, db, false, args...)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Deliveries) != 1 || len(res.Deliveries[0].Parts) != 2 || res.Deliveries[0].Rows != 60 {
				t.Fatalf("want one delivery of two parts, 60 rows: %+v", res.Deliveries)
			}
			for i, p := range res.Deliveries[0].Parts {
				if p.Rows != 30 || p.Number != i+1 {
					t.Errorf("part %d: %+v", i+1, p)
				}
			}
			got, rows := monthTotal(t, db, "2024-10")
			// Part 1: 30 × 1 + (1+…+30)/1000 = 30.465; part 2: 60.465.
			if want := dec("90.93"); !total.Equal(want) || !got.Equal(want) || rows != 60 || !res.Deliveries[0].UnblendedCost.Equal(want) {
				t.Errorf("month total %s over %d rows, delivery %s; want 90.93 over 60", got, rows, res.Deliveries[0].UnblendedCost)
			}
		})
	}
}

func TestPartImportedAloneJoinsItsDelivery(t *testing.T) {
	db := openTest(t)
	dir := filepath.Join(t.TempDir(), "d")
	files, _ := parts(t, dir, "444444444444", "2024-10", "", 3, 10, 20)
	if _, err := importPaths(t, db, false, files[0]); err != nil {
		t.Fatal(err)
	}
	res, err := importPaths(t, db, false, files[1])
	if err != nil {
		t.Fatal(err)
	}
	d := res.Deliveries[0]
	if res.Status != ingest.Joined || len(d.Parts) != 2 || d.Rows != 20 || d.Previous == 0 {
		t.Fatalf("second part: %s %+v", res.Status, d)
	}
	// Part 1 is 10 + 0.055, part 2 is 20 + 0.055.
	if got, rows := monthTotal(t, db, "2024-10"); rows != 20 || !got.Equal(dec("30.11")) {
		t.Fatalf("after two parts: %d rows, %s", rows, got)
	}
	// Part 3 of another folder (another run) cannot join: parts 1 and 2
	// of that run are missing, and the month keeps what it has.
	other := filepath.Join(t.TempDir(), "other")
	ofiles, _ := parts(t, other, "444444444444", "2024-10", "", 3, 10, 20)
	_, err = importPaths(t, db, false, ofiles[2])
	var mp *ingest.MissingPartsError
	if !errors.As(err, &mp) || !strings.Contains(err.Error(), `"report-00001.csv", "report-00002.csv"`) || !strings.Contains(err.Error(), "rebill import FOLDER") {
		t.Fatalf("a third part of another run: %v", err)
	}
	if _, rows := monthTotal(t, db, "2024-10"); rows != 20 {
		t.Fatalf("the refused part changed the month: %d rows", rows)
	}
	history, _ := db.Deliveries("2024-10")
	if len(history) != 2 || history[0].State != StateCurrent || history[1].State != StateReplaced {
		t.Errorf("history newest first: %+v", history)
	}
}

func TestPartTwoAloneIsRefused(t *testing.T) {
	db := openTest(t)
	files, _ := parts(t, filepath.Join(t.TempDir(), "d"), "444444444444", "2024-10", "", 2, 10, 20)
	_, err := importPaths(t, db, false, files[1])
	if !errors.Is(err, ingest.ErrIncomplete) || !strings.Contains(err.Error(), `part "report-00001.csv"`) {
		t.Fatalf("part 2 alone: %v", err)
	}
	if ps, _ := db.Periods(); len(ps) != 0 {
		t.Fatalf("stored %+v", ps)
	}
}

func TestReplacementRules(t *testing.T) {
	db := openTest(t)
	dirA, dirB, dirC := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b"), filepath.Join(t.TempDir(), "c")
	final, finalTotal := parts(t, dirA, "555555555555", "2024-11", "INV-9", 1, 12, 30)
	provisional, _ := parts(t, dirB, "555555555555", "2024-11", "", 1, 20, 30)
	older, _ := parts(t, dirC, "555555555555", "2024-11", "INV-9", 1, 5, 25)
	if _, err := importPaths(t, db, false, final...); err != nil {
		t.Fatal(err)
	}
	first, _ := db.PeriodsOf("2024-11")
	for _, tc := range []struct {
		name  string
		files []string
		want  string
	}{
		{"provisional after final", provisional, "it is provisional and the current delivery is final"},
		{"older final after final", older, "its usage ends 2024-11-25 03:00 and the current delivery's ends 2024-11-30 03:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := dump(t, db)
			_, err := importPaths(t, db, false, tc.files...)
			if !errors.Is(err, ingest.ErrOlder) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "--replace") ||
				!strings.Contains(err.Error(), fmt.Sprintf("the month keeps delivery %d", first[0].ID)) {
				t.Fatalf("refusal: %v", err)
			}
			if after := dump(t, db); after != before {
				t.Fatal("a refused import changed the database")
			}
		})
	}
	// Importing the final file again is "already imported", not refused.
	if res, err := importPaths(t, db, false, final...); err != nil || res.Status != ingest.AlreadyImported {
		t.Fatalf("final again: %v %s", err, res.Status)
	}
	// --replace does it deliberately; the history says so and keeps the final.
	res, err := importPaths(t, db, true, provisional...)
	if err != nil || res.Status != ingest.Replaced || !res.Deliveries[0].Deliberate {
		t.Fatalf("--replace: %v %+v", err, res)
	}
	history, _ := db.Deliveries("2024-11")
	if len(history) != 2 || !strings.Contains(history[0].Events[0].What, "--replace") || history[0].Events[0].By != "tester" ||
		history[1].State != StateReplaced || history[1].ReplacedBy != history[0].ID {
		t.Fatalf("history: %+v", history)
	}
	// The final delivery's bytes now say where they are and how to restore.
	res, err = importPaths(t, db, false, final...)
	if err != nil || res.Status != ingest.EarlierDelivery || !strings.Contains(res.Files[0].Note, fmt.Sprintf("rebill deliveries restore %d", first[0].ID)) {
		t.Fatalf("final bytes again: %v %+v", err, res.Files)
	}
	restored, err := db.RestoreDelivery(first[0].ID, "tester", t0)
	if err != nil || restored.State != StateCurrent {
		t.Fatalf("restore: %v %+v", err, restored)
	}
	if got, rows := monthTotal(t, db, "2024-11"); rows != 12 || !got.Equal(finalTotal) {
		t.Fatalf("after restore: %d rows, %s; want 12, %s", rows, got, finalTotal)
	}
	if _, err := db.RestoreDelivery(first[0].ID, "tester", t0); err == nil || !strings.Contains(err.Error(), "is current already") {
		t.Errorf("restoring the current one: %v", err)
	}
}

func TestPruneKeepsWhatInvoicesNeed(t *testing.T) {
	db := openTest(t)
	a, _ := csvFile(t, "666666666666", "2024-05", 2000, false)
	b, _ := csvFile(t, "666666666666", "2024-05", 2100, false)
	c, _ := csvFile(t, "666666666666", "2024-05", 2200, false)
	mustAdd(t, db, acme())
	if err := db.Map(customer.Mapping{Account: "000000000001", Customer: "ACME", From: "2024-05"}, t0); err != nil {
		t.Fatal(err)
	}
	var ids []uint64
	for i, f := range []string{a, b, c} {
		res, err := importPath(t, db, f)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, res.Deliveries[0].ID)
		if i == 1 {
			// A draft computed from the second delivery keeps its rows.
			rep, err := db.GenerateInvoices(GenerateRequest{Period: "2024-05", Selection: customer.Selection{All: true}, Now: t0})
			if err != nil || rep.Results[0].Invoice == nil || !slices.Equal(rep.Results[0].Invoice.Deliveries, []uint64{ids[1]}) {
				t.Fatalf("generate: %v %+v", err, rep)
			}
		}
	}
	rep, err := db.PruneDeliveries("tester", t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Pruned) != 1 || rep.Pruned[0] != ids[0] || rep.Bytes <= 0 {
		t.Fatalf("prune: %+v", rep)
	}
	if _, err := db.RestoreDelivery(ids[0], "tester", t0); err == nil || !strings.Contains(err.Error(), "pruned") {
		t.Errorf("restoring a pruned delivery: %v", err)
	}
	if _, err := db.RestoreDelivery(ids[1], "tester", t0); err != nil {
		t.Errorf("restoring the kept delivery: %v", err)
	}
	// The restore replaced the third delivery, which no invoice needs.
	again, _ := db.PruneDeliveries("tester", t0)
	if !slices.Equal(again.Pruned, []uint64{ids[2]}) {
		t.Errorf("second prune: %+v, want delivery %d pruned", again, ids[2])
	}
}
