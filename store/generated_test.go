package store

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"rebill/engine/sample"
)

// benchSample is the generated month the benchmarks import, at any size:
// September 2026, final, the same seed for every size.
func benchSample(rows int) sample.Options {
	return sample.Options{Rows: rows, Seed: 1, Month: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), Final: true}
}

// generatedCSV writes a generated month of rows line items (the import
// benchmark's generator and seed) under the benchmark's temporary folder.
// With accounts, the usage account of every line but the payer's is
// spread over that many accounts, as a reseller with many customers has:
// the month's groups grow with its accounts, not its rows.
func generatedCSV(b *testing.B, rows, accounts int) string {
	path := filepath.Join(b.TempDir(), fmt.Sprintf("cur-%d-%d.csv", rows, accounts))
	if err := writeSample(path, benchSample(rows), accounts); err != nil {
		b.Fatal(err)
	}
	return path
}

// writeSample writes the CUR CSV that opt generates at path, its lines
// spread over accounts usage accounts when accounts > 0 (spreadAccounts).
// The file is on disk when it returns (fsync): otherwise the kernel
// writes it back while a benchmark times what reads it, and a 3 GB
// file's write-back made the import run beside it a quarter slower.
func writeSample(path string, opt sample.Options, accounts int) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	w := bufio.NewWriterSize(f, 1<<20)
	if accounts == 0 {
		_, err = sample.WriteCSV(w, opt)
	} else {
		pr, pw := io.Pipe()
		go func() { _, err := sample.WriteCSV(pw, opt); pw.CloseWithError(err) }()
		err = spreadAccounts(pr, w, accounts)
		pr.Close()
	}
	if err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// spreadAccounts copies a generated CUR CSV, giving each line that is not
// the payer's one of n usage accounts, in turn.
func spreadAccounts(r io.Reader, w io.Writer, n int) error {
	cr, cw := csv.NewReader(r), csv.NewWriter(w)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return err
	}
	col := slices.Index(head, "lineItem/UsageAccountId")
	if col < 0 {
		return fmt.Errorf("no lineItem/UsageAccountId column")
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for i := 0; ; i++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if rec[col] != sample.PayerAccount {
			rec[col] = fmt.Sprintf("%012d", 500000000000+i%n)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
