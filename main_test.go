package main

import (
	"bufio"
	"bytes"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/lineitem"
	"rebill/engine/money"
	"rebill/engine/sample"
	"rebill/store"
)

// rebillBin is the rebill binary the tests of this file run as a user
// does: built once by TestMain from this module.
var rebillBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "rebill-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	rebillBin = filepath.Join(dir, "rebill")
	if runtime.GOOS == "windows" {
		rebillBin += ".exe"
	}
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	args := append([]string{"build", "-o", rebillBin}, buildFlags...)
	cmd := exec.Command(goTool, append(args, ".")...)
	if out, err := cmd.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building rebill: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// rebill runs the built binary with env added to the test's environment.
func rebill(t *testing.T, env []string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := exec.Command(rebillBin, args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	return out.String(), errb.String(), err
}

// TestCLIPrintsNoLocaleErrors: a command never opens a window, so it must
// not print Fyne's complaints about a locale it cannot parse, whatever the
// environment says.
func TestCLIPrintsNoLocaleErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "rebill.db")
	// The database exists before the runs below: a command that creates
	// one says so on standard error, which is not a locale complaint.
	if _, _, err := rebill(t, nil, "--db", db, "periods"); err != nil {
		t.Fatal(err)
	}
	for _, env := range [][]string{
		{"LANG=C", "LC_ALL=", "LC_MESSAGES=", "LANGUAGE="},
		{"LANG=C.UTF-8", "LC_ALL=", "LC_MESSAGES=", "LANGUAGE="},
		{"LANG=POSIX", "LC_ALL=", "LC_MESSAGES=", "LANGUAGE="},
		{"LANG=en_US.UTF-8", "LC_ALL=C", "LC_MESSAGES=", "LANGUAGE="},
		{"LANG=xx_YY", "LC_ALL=", "LC_MESSAGES=", "LANGUAGE="},
		{"LANG=de_DE.UTF-8", "LC_ALL=", "LC_MESSAGES=", "LANGUAGE=zz:fr"},
		{"LANG=", "LC_ALL=", "LC_MESSAGES=", "LANGUAGE="},
	} {
		t.Run(fmt.Sprint(env), func(t *testing.T) {
			for _, args := range [][]string{{"version"}, {"--db", db, "periods", "--json"}} {
				_, stderr, err := rebill(t, env, args...)
				if err != nil || stderr != "" {
					t.Errorf("rebill %v: %v, stderr:\n%s", args, err, stderr)
				}
			}
		})
	}
}

// writeSample writes a sample CUR of a month and returns its path and the
// generator's own total of lineItem/UnblendedCost.
func writeSample(t *testing.T, name string, opt sample.Options) (string, decimal.Decimal) {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	sum, err := sample.WriteCSV(w, opt)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	return p, sum.UnblendedTotal
}

// monthsOf reads the months stored in a database and their totals.
func monthsOf(t *testing.T, path string) map[string]string {
	t.Helper()
	db, err := store.Open(path)
	if err != nil {
		t.Fatalf("the database does not open after a kill: %v", err)
	}
	defer db.Close()
	ps, err := db.Periods()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, p := range ps {
		var s money.Sum
		rows := 0
		if err := db.ScanItems(p.Period, func(it *lineitem.Item) error {
			s.Add(it.UnblendedCost)
			rows++
			return nil
		}); err != nil {
			t.Fatalf("reading %s after a kill: %v", p.Period, err)
		}
		if !s.Total().Equal(p.UnblendedCost) || int64(rows) != p.Rows {
			t.Fatalf("%s holds %d rows summing %s, its delivery says %d rows, %s", p.Period, rows, s.Total(), p.Rows, p.UnblendedCost)
		}
		out[p.Period] = p.UnblendedCost.String()
	}
	return out
}

// TestKilledImportLeavesOldOrNewState kills a running `rebill import`
// (SIGKILL: no cleanup of any kind) at several moments and checks each
// time that the database holds either what it held before or the whole
// new month, never part of it.
func TestKilledImportLeavesOldOrNewState(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes; skipped with -short")
	}
	db := filepath.Join(t.TempDir(), "rebill.db")
	small, smallTotal := writeSample(t, "august.csv", sample.Options{Rows: 500, Seed: 1, Month: time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC), Final: true})
	if _, stderr, err := rebill(t, nil, "--db", db, "import", small); err != nil {
		t.Fatalf("%v: %s", err, stderr)
	}
	before := map[string]string{"2026-08": smallTotal.String()}
	if got := monthsOf(t, db); !maps.Equal(got, before) {
		t.Fatalf("before: %v, want %v", got, before)
	}
	big, bigTotal := writeSample(t, "september.csv", sample.Options{Rows: 200_000, Seed: 2, Month: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), Final: true})
	after := map[string]string{"2026-08": smallTotal.String(), "2026-09": bigTotal.String()}

	// How long a whole import takes here, on a scratch copy.
	scratch := filepath.Join(t.TempDir(), "scratch.db")
	start := time.Now()
	if _, stderr, err := rebill(t, nil, "--db", scratch, "import", big); err != nil {
		t.Fatalf("%v: %s", err, stderr)
	}
	whole := time.Since(start)

	outcomes := map[string]int{}
	for _, share := range []float64{0.15, 0.3, 0.5, 0.7, 0.85, 0.95} {
		cmd := exec.Command(rebillBin, "--db", db, "import", big)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(share * float64(whole)))
		cmd.Process.Kill()
		cmd.Wait()
		switch got := monthsOf(t, db); {
		case maps.Equal(got, before):
			outcomes["old"]++
		case maps.Equal(got, after):
			outcomes["new"]++
			return // the import completed before the kill: nothing left to interrupt
		default:
			t.Fatalf("killed at %.0f%% of the import, the database holds %v: neither %v nor %v", share*100, got, before, after)
		}
	}
	t.Logf("kills that left the old state: %d, the new: %d (whole import %s)", outcomes["old"], outcomes["new"], whole)
	if outcomes["old"] == 0 {
		t.Error("no kill landed during the import: the test proved nothing")
	}
	if _, stderr, err := rebill(t, nil, "--db", db, "import", big); err != nil {
		t.Fatalf("the import after the kills: %v: %s", err, stderr)
	}
	if got := monthsOf(t, db); !maps.Equal(got, after) {
		t.Fatalf("after a whole import: %v, want %v", got, after)
	}
}
