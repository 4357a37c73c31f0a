//go:build unix

package store

import (
	"fmt"
	"io"
	"strings"
	"sync"
)

// sideBySide collects, while the benchmarks run, the figures issue 15
// asks `make bench` to print side by side: BenchmarkImportSideBySide's
// imports beside DuckDB's GROUP BY of the same CSV, and
// BenchmarkStatements' statements read from the import-time groups.
// TestMain prints them as one table once every benchmark is done.
var sideBySide struct {
	sync.Mutex
	imports    []importFigures
	statements []statementFigures
}

// importFigures are one file's import figures; the DuckDB ones are zero
// when DuckDB could not be run.
// importFigures are one file's import beside DuckDB's GROUP BY: the
// medians of pairs turns (see BenchmarkImportSideBySide), the wall-time
// ratio's spread over them, and the peaks.
type importFigures struct {
	rows, accounts, pairs                 int // accounts 0: the generator's own
	seconds, cpu, csvMB, dbMB             float64
	rssMB                                 float64
	duckSeconds, duckCPU, duckRSS         float64
	wallRatio, wallRatioMin, wallRatioMax float64
	cpuRatio                              float64
	aggKB, aggPercent, aggSeconds         float64
}

// statementFigures are one statement run: which month, whose statements,
// read from the rows or the groups, how long it took and the peak RSS.
type statementFigures struct {
	month, source, who string
	seconds, rssMB     float64
}

// noteImport keeps f, in place of an earlier run's figures of the same
// size: the testing package runs a benchmark again as it raises b.N.
func noteImport(f importFigures) {
	sideBySide.Lock()
	defer sideBySide.Unlock()
	for i, g := range sideBySide.imports {
		if g.rows == f.rows && g.accounts == f.accounts {
			sideBySide.imports[i] = f
			return
		}
	}
	sideBySide.imports = append(sideBySide.imports, f)
}

// monthName names a generated month: its rows, and its accounts when
// spread over more than the generator's own (generatedCSV).
func monthName(rows, accounts int) string {
	name := fmt.Sprintf("%dM", rows/1_000_000)
	if accounts > 0 {
		name += fmt.Sprintf("-%d-accounts", accounts)
	}
	return name
}

// noteStatements keeps f, in place of an earlier run's of the same
// month, source and customers.
func noteStatements(f statementFigures) {
	sideBySide.Lock()
	defer sideBySide.Unlock()
	for i, g := range sideBySide.statements {
		if g.month == f.month && g.source == f.source && g.who == f.who {
			sideBySide.statements[i] = f
			return
		}
	}
	sideBySide.statements = append(sideBySide.statements, f)
}

// printSideBySide writes the collected figures, with issue 15's targets,
// or nothing when no benchmark of the issue ran.
func printSideBySide(w io.Writer) {
	sideBySide.Lock()
	defer sideBySide.Unlock()
	if len(sideBySide.imports) == 0 && len(sideBySide.statements) == 0 {
		return
	}
	var b strings.Builder
	b.WriteString("\nIssue 15, side by side on the same generated CUR CSVs\n")
	if len(sideBySide.imports) > 0 {
		b.WriteString("\nImport (target: Rebill/DuckDB wall <= 1.0, peak RSS <= 150 MB; aggregate < 1% of the CSV, imported < 1 s)\n")
		b.WriteString("Medians of the pairs run in turn; wall-x and cpu-x are the medians of the pairs' ratios, range the wall ratios' spread.\n")
		fmt.Fprintf(&b, "%-17s %5s %8s %8s %9s %7s %8s %7s | %8s %8s %8s | %6s %11s %6s | %8s %7s %8s\n",
			"rows", "pairs", "wall-s", "cpu-s", "rows/s", "MB/s", "RSS-MB", "db-MB",
			"duck-s", "duck-cpu", "duck-RSS", "wall-x", "range", "cpu-x", "agg-kB", "agg-%", "agg-imp-s")
		for _, f := range sideBySide.imports {
			fmt.Fprintf(&b, "%-17s %5d %8.2f %8.2f %9.0f %7.1f %8.1f %7.1f | ",
				monthName(f.rows, f.accounts), f.pairs, f.seconds, f.cpu, float64(f.rows)/f.seconds, f.csvMB/f.seconds, f.rssMB, f.dbMB)
			if f.duckSeconds == 0 {
				b.WriteString("DuckDB not run (Node or npm missing)\n")
				continue
			}
			fmt.Fprintf(&b, "%8.2f %8.2f %8.1f | %6.2f %11s %6.2f | %8.0f %7.3f %8.3f\n",
				f.duckSeconds, f.duckCPU, f.duckRSS, f.wallRatio, fmt.Sprintf("%.2f-%.2f", f.wallRatioMin, f.wallRatioMax), f.cpuRatio,
				f.aggKB, f.aggPercent, f.aggSeconds)
		}
	}
	if len(sideBySide.statements) > 0 {
		b.WriteString("\nStatements, 50 customers mapped (target at 5M rows from the groups: one < 100 ms, all 50 < 0.5 s, RSS < 200 MB)\n")
		fmt.Fprintf(&b, "%-18s %-7s %-7s %10s %8s\n", "month", "from", "who", "ms", "RSS-MB")
		for _, f := range sideBySide.statements {
			fmt.Fprintf(&b, "%-18s %-7s %-7s %10.1f %8.1f\n", f.month, f.source, f.who, f.seconds*1000, f.rssMB)
		}
	}
	io.WriteString(w, b.String())
}
