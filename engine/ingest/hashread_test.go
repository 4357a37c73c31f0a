package ingest

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"rebill/engine/sample"
)

// TestImportHashIsTheFileSHA256: the hash an import records is the
// SHA-256 of the file's bytes, whether it was taken while the file was
// read (text, gzip; a file of many of the scanner's reads and one smaller
// than one) or by a read of its own (zip, Parquet), and however the rows
// were stored.
func TestImportHashIsTheFileSHA256(t *testing.T) {
	big := generatedCUR(t, sample.Options{Rows: 8000, Seed: 2})
	if len(big) < 4<<20 {
		t.Fatalf("the generated file (%d bytes) should take the scanner many reads", len(big))
	}
	small := []byte(legacyHeader + legacyRows)
	cases := []struct {
		name string
		path string
	}{
		{"CSV smaller than a read", write(t, "small.csv", small)},
		{"CSV of many reads", write(t, "big.csv", big)},
		{"gzip", write(t, "small.csv.gz", gzipped(t, small))},
		{"zip", write(t, "small.zip", zipped(t, []string{"report.csv"}, small))},
		{"Parquet", filepath.Join("..", "..", "..", "shared", "data", "real", "aws-wa-labs", "Oct2018-WorkshopCUR-00001.snappy.parquet")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data, err := os.ReadFile(tc.path)
			if err != nil {
				t.Skipf("%v (the public billing files are in ../shared/data/real)", err)
			}
			sum := sha256.Sum256(data)
			res, err := importFile(t, tc.path, newMemDest())
			if err != nil {
				t.Fatal(err)
			}
			if want := hex.EncodeToString(sum[:]); res.Hash != want || res.Files[0].Hash != want {
				t.Errorf("hash %s, want %s", res.Hash, want)
			}
		})
	}
}

// TestHashedRowsAreTheDirectRows: the rows of a CSV of many reads, read
// through the hashing reader, are the rows of the same CSV read from a
// zip member, which is read directly: same items, same order, every
// field.
func TestHashedRowsAreTheDirectRows(t *testing.T) {
	csv := generatedCUR(t, sample.Options{Rows: 12000, Seed: 4, Final: true})
	hashed, direct := newMemDest(), newMemDest()
	if _, err := importFile(t, write(t, "report.csv", csv), hashed); err != nil {
		t.Fatal(err)
	}
	if _, err := importFile(t, write(t, "report.zip", zipped(t, []string{"report.csv"}, csv)), direct); err != nil {
		t.Fatal(err)
	}
	if len(hashed.committed) != 12000 || len(direct.committed) != 12000 {
		t.Fatalf("%d and %d items, want 12000", len(hashed.committed), len(direct.committed))
	}
	for i := range direct.committed {
		if !reflect.DeepEqual(hashed.committed[i], direct.committed[i]) {
			t.Fatalf("item %d:\n%+v\nread directly:\n%+v", i, hashed.committed[i], direct.committed[i])
		}
	}
}

// TestErrorsDeepInAFile: a bad value or an open quote far into a file of
// many read-ahead batches is reported at its own line (the rows are
// scanned ahead of the mapping), and nothing of the file is kept.
func TestErrorsDeepInAFile(t *testing.T) {
	lines := strings.SplitAfter(string(generatedCUR(t, sample.Options{Rows: 12000, Seed: 5, Final: true})), "\n")
	header, err := csv.NewReader(strings.NewReader(lines[0])).Read()
	if err != nil {
		t.Fatal(err)
	}
	cost := slices.Index(header, "lineItem/UnblendedCost")
	// withLine is the file with line n (from 1) replaced.
	withLine := func(n int, line string) []byte {
		out := slices.Clone(lines)
		out[n-1] = line
		return []byte(strings.Join(out, ""))
	}
	fields, err := csv.NewReader(strings.NewReader(lines[9000])).Read()
	if err != nil {
		t.Fatal(err)
	}
	fields[cost] = "12.5USD"
	var bad bytes.Buffer
	cw := csv.NewWriter(&bad)
	cw.Write(fields)
	cw.Flush()
	cases := []struct {
		name string
		data []byte
		want []string
	}{
		{"a cost that is no number on line 9001", withLine(9001, bad.String()), []string{"line 9001, column lineItem/UnblendedCost", `"12.5USD"`}},
		// The quote opened in column 2 is closed by the first quote of
		// line 10501 (before "Amazon Web Services, Inc."), followed by A.
		{"a quote left open on line 10500", withLine(10500, "x,\"open\n"), []string{"line 10501, column identity/TimeInterval: unexpected character after closing quote"}},
		{"a quote never closed on the last line", withLine(12001, "x,\"open\n"), []string{"line 12001, column identity/TimeInterval: unterminated quoted field (opened on line 12001)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { refused(t, "deep.csv", tc.data, tc.want...) })
	}
}

// generatedCUR is the generated CUR CSV of opt, for September 2026.
func generatedCUR(t *testing.T, opt sample.Options) []byte {
	var b bytes.Buffer
	opt.Month = time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	if _, err := sample.WriteCSV(&b, opt); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
