//go:build unix

package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// duckDBVersion is the @duckdb/node-api release the tests and the bench
// install: DuckDB itself, driven from Node, the yardstick of issue 15.
const duckDBVersion = "1.5.6-r.1"

// duckDBScript runs the SQL statements given as a JSON array on stdin in
// one in-memory DuckDB and prints each one's wall time in seconds, so
// that Node's start is not counted, and its own resident high-water mark
// in bytes where /proc tells it (0 elsewhere).
const duckDBScript = `import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
let input = '';
for await (const chunk of process.stdin) input += chunk;
const inst = await DuckDBInstance.create(':memory:');
const c = await inst.connect();
const times = [];
for (const sql of JSON.parse(input)) {
  const t = process.hrtime.bigint();
  await c.run(sql);
  times.push(Number(process.hrtime.bigint() - t) / 1e9);
}
let hwm = 0;
try {
  const m = /VmHWM:\s*(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  if (m) hwm = Number(m[1]) * 1024;
} catch {}
console.log(JSON.stringify({ times, hwm }));
`

// duckRun is one run of duckDBScript: each statement's wall time, the
// Node process's peak resident memory and CPU time (user and system, Node's
// start included).
type duckRun struct {
	Times   []time.Duration
	PeakRSS int64 // bytes
	CPU     time.Duration
}

// duckDB returns a function running SQL statements in DuckDB through
// Node, installing @duckdb/node-api into a cache folder
// (REBILL_DUCKDB_DIR, else the user cache's rebill/duckdb-node) the first
// time. It skips the test when Node or npm is missing or the package
// cannot be installed (no network): DuckDB is a yardstick and a second
// SQL engine, not a dependency of Rebill.
func duckDB(tb testing.TB) func(stmts ...string) duckRun {
	tb.Helper()
	run, why := duckDBRunner(tb)
	if run == nil {
		tb.Skip(why)
	}
	return run
}

// duckDBRunner is duckDB without the skip: nil and the reason when DuckDB
// cannot be run, for a benchmark that has other figures to give.
func duckDBRunner(tb testing.TB) (func(stmts ...string) duckRun, string) {
	tb.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, "node is not installed: the DuckDB comparison needs Node and npm (@duckdb/node-api)"
	}
	dir := os.Getenv("REBILL_DUCKDB_DIR")
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Sprintf("no cache folder for @duckdb/node-api (%v): set REBILL_DUCKDB_DIR", err)
		}
		dir = filepath.Join(cache, "rebill", "duckdb-node")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@duckdb", "node-api", "package.json")); err != nil {
		npm, err := exec.LookPath("npm")
		if err != nil {
			return nil, "npm is not installed: the DuckDB comparison needs @duckdb/node-api"
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			tb.Fatal(err)
		}
		// Offline, npm retries for minutes: the test waits 3 at most.
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		out, err := exec.CommandContext(ctx, npm, "install", "--prefix", dir, "--no-audit", "--no-fund", "@duckdb/node-api@"+duckDBVersion).CombinedOutput()
		if err != nil {
			return nil, fmt.Sprintf("cannot install @duckdb/node-api@%s into %s (offline?): %v\n%s", duckDBVersion, dir, err, out)
		}
	}
	script := filepath.Join(dir, "rebill-run.mjs")
	if err := os.WriteFile(script, []byte(duckDBScript), 0o644); err != nil {
		tb.Fatal(err)
	}
	return func(stmts ...string) duckRun {
		tb.Helper()
		in, err := json.Marshal(stmts)
		if err != nil {
			tb.Fatal(err)
		}
		cmd := exec.Command(node, script)
		cmd.Stdin = bytes.NewReader(in)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			tb.Fatalf("duckdb: %v\n%s", err, stderr.String())
		}
		var printed struct {
			Times []float64
			HWM   int64
		}
		if err := json.Unmarshal(stdout.Bytes(), &printed); err != nil {
			tb.Fatalf("duckdb printed %q: %v", stdout.String(), err)
		}
		run := duckRun{CPU: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), PeakRSS: printed.HWM}
		for _, s := range printed.Times {
			run.Times = append(run.Times, time.Duration(s*float64(time.Second)))
		}
		if run.PeakRSS == 0 {
			run.PeakRSS = childMaxRSS(cmd.ProcessState)
		}
		return run
	}, ""
}
