package ingest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/read"
)

// part builds a one-part delivery of payer 111111111111, October 2024.
func part(name string, number int, o Origin, cost string, final bool, latest string) Delivery {
	c := decimal.RequireFromString(cost)
	d := Delivery{Provider: "aws", Payer: "111111111111", Period: "2024-10", Currency: "USD", Rows: 1, UnblendedCost: c,
		Accounts: map[string]decimal.Decimal{"222222222222": c}, AccountRows: map[string]int64{"222222222222": 1},
		Final: final, Origin: o,
		Parts: []Part{{File: "/d/" + name, Name: name, Hash: "h-" + name + "-" + cost, Number: number, Rows: 1, UnblendedCost: c, Final: final}}}
	if final {
		d.InvoiceIDs = []string{"INV-1"}
	}
	if latest != "" {
		d.LatestUsage, _ = time.Parse("2006-01-02", latest)
	}
	return d
}

// viewed is d marked as a view of cost (Delivery.CostView).
func viewed(d Delivery, view string) Delivery { d.CostView = view; return d }

func TestResolve(t *testing.T) {
	split := Origin{Report: "report", Folder: "/d"}
	other := Origin{Report: "report", Folder: "/e"}
	listed := Origin{Report: "report", Assembly: "a-1", Manifest: "/d/report-Manifest.json", Listed: []string{"report-00001.csv", "report-00002.csv"}}
	whole := func(cost string, final bool, latest string) Delivery {
		return part("cur.csv", 0, Origin{}, cost, final, latest)
	}
	stored := func(d Delivery, id uint64) *Delivery { d.ID = id; return &d }
	series := Origin{Report: "oci cost reports", Folder: "/d", Series: true}
	seriesElsewhere := Origin{Report: "oci cost reports", Folder: "/e", Series: true}

	cases := []struct {
		name     string
		current  *Delivery
		incoming []Delivery
		replace  bool
		want     []Status // the steps' statuses
		total    string   // the last step's total
		err      string   // a substring of the refusal
	}{
		{name: "a new month", incoming: []Delivery{whole("1.5", false, "2024-10-20")}, want: []Status{Imported}, total: "1.5"},
		{name: "a fresher provisional one replaces", current: stored(whole("1", false, "2024-10-10"), 4),
			incoming: []Delivery{whole("2", false, "2024-10-20")}, want: []Status{Replaced}, total: "2"},
		{name: "as fresh replaces (a re-delivery of the same hours)", current: stored(whole("1", true, "2024-10-31"), 4),
			incoming: []Delivery{whole("1.01", true, "2024-10-31")}, want: []Status{Replaced}, total: "1.01"},
		{name: "final replaces provisional", current: stored(whole("1", false, "2024-10-31"), 4),
			incoming: []Delivery{whole("3", true, "2024-10-30")}, want: []Status{Replaced}, total: "3"},
		{name: "provisional after final is refused", current: stored(whole("3", true, "2024-10-31"), 4),
			incoming: []Delivery{whole("1", false, "2024-10-31")}, err: "it is provisional and the current delivery is final; the month keeps delivery 4"},
		{name: "older after newer is refused", current: stored(whole("3", false, "2024-10-25"), 4),
			incoming: []Delivery{whole("1", false, "2024-10-20")}, err: "its usage ends 2024-10-20 00:00 and the current delivery's ends 2024-10-25 00:00"},
		{name: "--replace takes the older one deliberately", current: stored(whole("3", true, "2024-10-31"), 4),
			incoming: []Delivery{whole("1", false, "2024-10-31")}, replace: true, want: []Status{Replaced}, total: "1"},
		{name: "two parts of one delivery", incoming: []Delivery{func() Delivery {
			d := part("report-00001.csv", 1, split, "1.25", false, "2024-10-20")
			d.merge(part("report-00002.csv", 2, split, "2.5", false, "2024-10-21"))
			return d
		}()}, want: []Status{Imported}, total: "3.75"},
		{name: "part two alone is refused", incoming: []Delivery{part("report-00002.csv", 2, split, "2.5", false, "2024-10-21")},
			err: `lacks part "report-00001.csv"`},
		{name: "part two joins part one", current: stored(part("report-00001.csv", 1, split, "1.25", false, "2024-10-20"), 7),
			incoming: []Delivery{part("report-00002.csv", 2, split, "2.5", false, "2024-10-21")}, want: []Status{Joined}, total: "3.75"},
		{name: "part two of another run does not join", current: stored(part("report-00001.csv", 1, split, "1.25", false, "2024-10-20"), 7),
			incoming: []Delivery{part("report-00002.csv", 2, other, "2.5", false, "2024-10-21")}, err: `lacks part "report-00001.csv"`},
		{name: "a manifest's part alone lacks its sibling", incoming: []Delivery{part("report-00001.csv", 1, listed, "1.25", true, "2024-10-31")},
			err: `lacks part "report-00002.csv"`},
		{name: "a part already there with other bytes", current: stored(part("report-00001.csv", 1, listed, "1.25", false, "2024-10-20"), 7),
			incoming: []Delivery{part("report-00001.csv", 1, listed, "9", false, "2024-10-20")}, err: "differs from the part of that name"},
		{name: "the same run again, whole, with other bytes replaces", current: stored(part("report-00001.csv", 1, split, "1.25", false, "2024-10-20"), 7),
			incoming: []Delivery{part("report-00001.csv", 1, split, "9", false, "2024-10-20")}, want: []Status{Replaced}, total: "9"},
		// OCI's cost reports: each file of the series adds to the month,
		// from whatever folder; 1.25 + 2.5 = 3.75.
		{name: "the next file of a series joins, from another folder", current: stored(part("reports_cost-csv_0000000030000269.csv", 30000269, series, "1.25", false, "2024-10-20"), 7),
			incoming: []Delivery{part("reports_cost-csv_0000000030000270.csv", 30000270, seriesElsewhere, "2.5", false, "2024-10-21")}, want: []Status{Joined}, total: "3.75"},
		{name: "an earlier file of a series joins too", current: stored(part("reports_cost-csv_0000000030000270.csv", 30000270, series, "2.5", false, "2024-10-21"), 7),
			incoming: []Delivery{part("reports_cost-csv_0000000030000269.csv", 30000269, series, "1.25", false, "2024-10-20")}, want: []Status{Joined}, total: "3.75"},
		{name: "the whole series again replaces what it holds", current: stored(part("reports_cost-csv_0000000030000269.csv", 30000269, series, "1.25", false, "2024-10-20"), 7),
			incoming: []Delivery{func() Delivery {
				d := part("reports_cost-csv_0000000030000269.csv", 30000269, series, "1.25", false, "2024-10-20")
				d.merge(part("reports_cost-csv_0000000030000270.csv", 30000270, series, "2.5", false, "2024-10-21"))
				return d
			}()}, want: []Status{Replaced}, total: "3.75"},
		{name: "a file of a series does not join a whole file", current: stored(whole("1", false, "2024-10-10"), 4),
			incoming: []Delivery{part("reports_cost-csv_0000000030000270.csv", 30000270, series, "2.5", false, "2024-10-21")}, want: []Status{Replaced}, total: "2.5"},
		// Azure's actual and amortized exports of one month and billing
		// account: never one for the other silently.
		{name: "amortized after actual is refused", current: stored(viewed(whole("8.54", false, "2023-09-30"), read.ViewActual), 3),
			incoming: []Delivery{viewed(whole("16.29", false, "2023-09-30"), read.ViewAmortized)},
			err:      "is the amortized cost export and the current delivery 3 (\"/d/cur.csv\") is the actual cost export of the same month"},
		{name: "actual after amortized is refused, replacing recommended", current: stored(viewed(whole("16.29", false, "2023-09-30"), read.ViewAmortized), 3),
			incoming: []Delivery{viewed(whole("8.54", false, "2023-09-30"), read.ViewActual)},
			err:      "To bill what the provider invoices, import the actual cost export again with --replace (recommended)"},
		{name: "--replace takes the other view deliberately", current: stored(viewed(whole("8.54", false, "2023-09-30"), read.ViewActual), 3),
			incoming: []Delivery{viewed(whole("16.29", false, "2023-09-30"), read.ViewAmortized)}, replace: true, want: []Status{Replaced}, total: "16.29"},
		{name: "a view that tells nothing replaces as before", current: stored(viewed(whole("8.54", false, "2023-09-30"), read.ViewActual), 3),
			incoming: []Delivery{whole("9", false, "2023-09-30")}, want: []Status{Replaced}, total: "9"},
		{name: "two deliveries of one month: the freshest ends current", incoming: []Delivery{
			part("b.csv", 0, Origin{}, "2", false, "2024-10-25"), part("a.csv", 0, Origin{}, "1", false, "2024-10-10")},
			want: []Status{Imported, Replaced}, total: "2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			steps, err := Resolve(tc.current, tc.incoming, tc.replace)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				if steps != nil {
					t.Errorf("a refusal returned steps %+v", steps)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(steps) != len(tc.want) {
				t.Fatalf("%d steps, want %d: %+v", len(steps), len(tc.want), steps)
			}
			for i, st := range steps {
				if st.Delivery.Status != tc.want[i] {
					t.Errorf("step %d: %s, want %s", i, st.Delivery.Status, tc.want[i])
				}
			}
			last := steps[len(steps)-1].Delivery
			if !last.UnblendedCost.Equal(decimal.RequireFromString(tc.total)) || !last.Accounts["222222222222"].Equal(last.UnblendedCost) {
				t.Errorf("total %s (account %s), want %s", last.UnblendedCost, last.Accounts["222222222222"], tc.total)
			}
			if tc.current != nil && last.Previous != tc.current.ID && len(steps) == 1 {
				t.Errorf("previous = %d, want %d", last.Previous, tc.current.ID)
			}
			if tc.replace != last.Deliberate {
				t.Errorf("deliberate = %v", last.Deliberate)
			}
		})
	}
}

func TestResolveErrorsHaveKinds(t *testing.T) {
	cur := part("cur.csv", 0, Origin{}, "3", true, "2024-10-31")
	cur.ID = 2
	_, err := Resolve(&cur, []Delivery{part("x.csv", 0, Origin{}, "1", false, "2024-10-31")}, false)
	var older *OlderError
	if !errors.As(err, &older) || !errors.Is(err, ErrOlder) || errors.Is(err, ErrIncomplete) {
		t.Errorf("older: %v", err)
	}
	_, err = Resolve(nil, []Delivery{part("r-00002.csv", 2, Origin{Report: "r", Folder: "/d"}, "1", false, "")}, false)
	if !errors.Is(err, ErrIncomplete) || errors.Is(err, ErrOlder) {
		t.Errorf("incomplete: %v", err)
	}
}

func TestPartNames(t *testing.T) {
	for _, tc := range []struct {
		name   string
		report string
		number int
		ok     bool
	}{
		{"report-00002.csv.gz", "report", 2, true},
		{"Oct2018-WorkshopCUR-00001.snappy.parquet", "Oct2018-WorkshopCUR", 1, true},
		{"my-report-12.csv.zip", "my-report", 12, true},
		{"BeforeCUR.gz", "", 0, false},
		{"report-00000.csv", "", 0, false},
		{"sample-2026-09.csv", "sample-2026", 9, true},
	} {
		pn, ok := splitPartName(tc.name)
		if ok != tc.ok || pn.report != tc.report || pn.number != tc.number {
			t.Errorf("%s: %+v %v", tc.name, pn, ok)
		}
	}
	// Only AWS's layouts make a name a part: five digits, or an assembly
	// folder. A month named in a file name is not a part number.
	dir := t.TempDir()
	for _, tc := range []struct {
		path   string
		report string
		number int
	}{
		{filepath.Join(dir, "report-00002.csv"), "report", 2},
		{filepath.Join(dir, "sample-2026-09.csv"), "", 0},
		{filepath.Join(dir, "1d5b6a6d-0000-4000-8000-00000000abcd", "report-3.csv.gz"), "report", 3},
		// OCI's cost reports, numbered in one series per tenancy.
		{filepath.Join(dir, "reports_cost-csv_0000000030000269.csv"), "oci cost reports", 30000269},
		{filepath.Join(dir, "cost-csv", "0001000000013449.csv.gz"), "oci cost reports", 1000000013449},
	} {
		o, n := originOfFile(tc.path)
		if o.Report != tc.report || n != tc.number {
			t.Errorf("%s: %+v part %d", tc.path, o, n)
		}
	}
	if got := missingParts(Origin{Report: "report"}, []string{"report-00001.csv", "report-00004.csv"}); strings.Join(got, " ") != "report-00002.csv report-00003.csv" {
		t.Errorf("missing = %v", got)
	}
}

func TestPlanFollowsTheMonthsManifest(t *testing.T) {
	// A downloaded legacy CUR folder with two runs of October: the
	// month's manifest lists the second run's parts.
	root := t.TempDir()
	month := filepath.Join(root, "cur", "report", "20241001-20241101")
	old, cur := "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"
	for _, asm := range []string{old, cur} {
		for _, n := range []string{"report-1.csv.gz", "report-2.csv.gz"} {
			writeAt(t, filepath.Join(month, asm, n), "x")
		}
		writeAt(t, filepath.Join(month, asm, "report-Manifest.json"), manifestOf(asm))
	}
	writeAt(t, filepath.Join(month, "report-Manifest.json"), manifestOf(cur))
	plan, err := NewPlan([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Files) != 2 {
		t.Fatalf("planned %d files, want the current run's 2: %+v", len(plan.Files), plan.Files)
	}
	for i, f := range plan.Files {
		if !strings.Contains(f.Path, cur) || f.Number != i+1 || f.Origin.Assembly != cur || len(f.Origin.Listed) != 2 || f.Group != plan.Files[0].Group {
			t.Errorf("file %d: %+v", i, f)
		}
	}
	if len(plan.Skipped) != 1 || !strings.Contains(plan.Skipped[0], "2 files of the earlier run "+old) {
		t.Errorf("skipped: %q", plan.Skipped)
	}
	// A part named alone finds the manifest that lists it.
	lone, err := NewPlan([]string{filepath.Join(month, cur, "report-2.csv.gz")})
	if err != nil || len(lone.Files) != 1 || len(lone.Files[0].Origin.Listed) != 2 || lone.Files[0].Origin.Assembly != cur {
		t.Errorf("lone part: %+v %v", lone.Files, err)
	}
	// A manifest whose parts were not downloaded names them.
	bare := filepath.Join(t.TempDir(), "report-Manifest.json")
	writeAt(t, bare, manifestOf(cur))
	if _, err := NewPlan([]string{bare}); err == nil || !strings.Contains(err.Error(), `lacks parts "report-1.csv.gz", "report-2.csv.gz"`) {
		t.Errorf("manifest without its files: %v", err)
	}
	if _, err := NewPlan([]string{filepath.Join(root, "nope.csv")}); err == nil || !strings.Contains(err.Error(), "no such file or folder") {
		t.Errorf("missing file: %v", err)
	}
}

func manifestOf(assembly string) string {
	return `{"assemblyId":"` + assembly + `","reportName":"report","billingPeriod":{"start":"20241001T000000.000Z","end":"20241101T000000.000Z"},` +
		`"reportKeys":["cur/report/20241001-20241101/` + assembly + `/report-1.csv.gz","cur/report/20241001-20241101/` + assembly + `/report-2.csv.gz"]}`
}

func writeAt(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestFileShare: a file's share of an import, as every face reports it.
// A file two deliveries hold is final only when both are.
func TestFileShare(t *testing.T) {
	sep, oct := part("cur.csv", 0, Origin{}, "10.5", true, ""), part("cur.csv", 0, Origin{}, "2.25", false, "")
	sep.Period = "2024-09"
	oct.Parts[0].Hash = sep.Parts[0].Hash
	other := part("other.csv", 0, Origin{}, "7", true, "")
	other.Payer = "333333333333"
	r := Result{Files: []FileResult{{File: "/d/cur.csv", Hash: sep.Parts[0].Hash}, {File: "/d/other.csv", Hash: other.Parts[0].Hash}, {File: "/d/none.csv", Hash: "x"}},
		Deliveries: []Delivery{oct, other, sep}}
	tests := []struct {
		name    string
		file    int
		periods string
		cost    string
		final   bool
		account string
	}{
		{"in two months, one provisional", 0, "2024-09 2024-10", "12.75", false, "222222222222 2 12.75"},
		{"one final delivery", 1, "2024-10", "7", true, "222222222222 1 7"},
		{"in no delivery", 2, "", "0", false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := r.FileShare(tc.file)
			acct := ""
			for _, a := range s.Accounts {
				acct = fmt.Sprintf("%s %d %s", a.Account, a.Rows, a.UnblendedCost)
			}
			if strings.Join(s.Periods, " ") != tc.periods || !s.UnblendedCost.Equal(decimal.RequireFromString(tc.cost)) || s.Final != tc.final || acct != tc.account {
				t.Errorf("share: periods %v cost %s final %v accounts %q", s.Periods, s.UnblendedCost, s.Final, acct)
			}
		})
	}
}

// TestMonths: a month is final when every payer's delivery is; the
// providers that have not closed it are named once each.
func TestMonths(t *testing.T) {
	sepA, sepB := part("a.csv", 0, Origin{}, "1", true, ""), part("b.csv", 0, Origin{}, "2", false, "")
	sepA.Period, sepB.Period, sepB.Payer = "2024-09", "2024-09", "333333333333"
	oct := part("c.csv", 0, Origin{}, "3", true, "")
	novA, novB := part("d.csv", 0, Origin{}, "4", false, ""), part("e.csv", 0, Origin{}, "5", false, "")
	novA.Period, novB.Period, novB.Payer = "2024-11", "2024-11", "333333333333"
	var got []string
	for _, m := range Months([]Delivery{sepA, oct, sepB, novA, novB}) {
		got = append(got, fmt.Sprintf("%s %v %v %d", m.Period, m.Final, m.Open, m.Rows))
	}
	want := []string{"2024-11 false [aws] 2", "2024-10 true [] 1", "2024-09 false [aws] 2"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("months %q, want %q", got, want)
	}
	if len(Months(nil)) != 0 {
		t.Error("months of nothing")
	}
}
