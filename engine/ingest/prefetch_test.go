package ingest

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"rebill/engine/sample"
)

// TestImportHashIsTheFileSHA256: the hash an import records is the
// SHA-256 of the file's bytes, whether it was taken while the file was
// read (text, gzip; a file of many prefetch blocks and one smaller than
// one) or by a read of its own (zip, Parquet), and however the rows were
// stored.
func TestImportHashIsTheFileSHA256(t *testing.T) {
	var big bytes.Buffer
	w := bufio.NewWriter(&big)
	if _, err := sample.WriteCSV(w, sample.Options{Rows: 8000, Seed: 2, Month: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	if big.Len() < 3*prefetchBlocks*prefetchBlock {
		t.Fatalf("the generated file (%d bytes) should span several rounds of prefetch blocks", big.Len())
	}
	small := []byte(legacyHeader + legacyRows)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(small)
	zw.Close()
	var zipped bytes.Buffer
	za := zip.NewWriter(&zipped)
	zf, _ := za.Create("report.csv")
	zf.Write(small)
	za.Close()
	cases := []struct {
		name string
		path string
	}{
		{"CSV smaller than a block", write(t, "small.csv", small)},
		{"CSV of many blocks", write(t, "big.csv", big.Bytes())},
		{"gzip", write(t, "small.csv.gz", gz.Bytes())},
		{"zip", write(t, "small.zip", zipped.Bytes())},
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

// TestPrefetchedRowsAreTheDirectRows: the rows of a CSV of many blocks,
// read through prefetch, are the rows of the same CSV read from a zip
// member, which is read directly: same items, same order, every field.
func TestPrefetchedRowsAreTheDirectRows(t *testing.T) {
	var csv bytes.Buffer
	w := bufio.NewWriter(&csv)
	if _, err := sample.WriteCSV(w, sample.Options{Rows: 12000, Seed: 4, Month: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), Final: true}); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	var zipped bytes.Buffer
	za := zip.NewWriter(&zipped)
	zf, _ := za.Create("report.csv")
	zf.Write(csv.Bytes())
	za.Close()
	prefetched, direct := newMemDest(), newMemDest()
	if _, err := importFile(t, write(t, "report.csv", csv.Bytes()), prefetched); err != nil {
		t.Fatal(err)
	}
	if _, err := importFile(t, write(t, "report.zip", zipped.Bytes()), direct); err != nil {
		t.Fatal(err)
	}
	if len(prefetched.committed) != 12000 || len(direct.committed) != 12000 {
		t.Fatalf("%d and %d items, want 12000", len(prefetched.committed), len(direct.committed))
	}
	for i := range direct.committed {
		if !reflect.DeepEqual(prefetched.committed[i], direct.committed[i]) {
			t.Fatalf("item %d:\n%+v\nread directly:\n%+v", i, prefetched.committed[i], direct.committed[i])
		}
	}
}

// TestPrefetchStopsEarly: a reader the caller leaves half read stops and
// lets the file be closed.
func TestPrefetchStopsEarly(t *testing.T) {
	data := strings.Repeat("x", 5*prefetchBlock)
	p := newPrefetch(strings.NewReader(data), int64(len(data)), true)
	buf := make([]byte, 1000)
	if n, err := p.Read(buf); n != len(buf) || err != nil {
		t.Fatalf("read %d, %v", n, err)
	}
	p.Close() // returns only once the goroutine is gone
}
