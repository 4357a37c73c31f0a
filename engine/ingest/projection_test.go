package ingest

import (
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"testing"
	"time"

	"rebill/engine/lineitem"
	"rebill/engine/parquetrows"
	"rebill/engine/read"
	"rebill/engine/read/cur"
	"rebill/engine/read/focus"
)

// TestParquetReadsOnlyMappedColumns: the CUR mapper names the columns it
// reads (read.ColumnReader) and the Parquet reader leaves the others
// undecoded. Mapped from a reader told so, every line item of both
// WA-labs months is the one mapped from a reader that decodes every
// column; and the import (File) tells its reader so.
func TestParquetReadsOnlyMappedColumns(t *testing.T) {
	for _, name := range []string{"Oct2018-WorkshopCUR-00001.snappy.parquet", "Nov2018-WorkshopCUR-00001.snappy.parquet"} {
		t.Run(name, func(t *testing.T) {
			path := realFile(t, "aws-wa-labs/"+name)
			all, header, reads := mapParquet(t, path, curMapper, false)
			some, _, _ := mapParquet(t, path, curMapper, true)
			if len(all) == 0 || len(all) != len(some) {
				t.Fatalf("%d items from every column, %d from the columns read", len(all), len(some))
			}
			for i := range all {
				if !reflect.DeepEqual(all[i], some[i]) {
					t.Fatalf("item %d differs:\nevery column %+v\ncolumns read %+v", i+1, all[i], some[i])
				}
			}
			if len(reads) >= len(header) {
				t.Errorf("the mapper reads %d of %d columns: nothing is skipped", len(reads), len(header))
			}
			t.Logf("%d items; the mapper reads %d of %d columns", len(all), len(reads), len(header))
		})
	}
}

// TestFOCUSParquetReadsOnlyMappedColumns: the same for a flat FOCUS file
// (its Tags a JSON string), with columns the mapper does not know.
func TestFOCUSParquetReadsOnlyMappedColumns(t *testing.T) {
	sep, oct := time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	var rows []flatFOCUSRow
	for i := range 300 {
		rows = append(rows, flatFOCUSRow{
			focusParquetColumns: focusParquetColumns{
				BilledCost: float64(i%17) * 0.25, BillingAccountID: "836060457634", BillingCurrency: "USD",
				BillingPeriodStart: sep, BillingPeriodEnd: oct, ChargeCategory: []string{"Usage", "Usage", "Credit"}[i%3],
				InvoiceID: "EUINFR25-1", ProviderName: "AWS", SubAccountID: []string{"011254002932", "123456789012"}[i%2]},
			Tags: []string{`{"team":"data"}`, "", `{"env":"prod","team":"web"}`}[i%3], Note: fmt.Sprintf("row %d", i), Weight: float64(i),
		})
	}
	path := writeParquet(t, "focus-flat.parquet", rows)
	all, header, reads := mapParquet(t, path, focusMapper, false)
	some, _, _ := mapParquet(t, path, focusMapper, true)
	if len(all) != len(rows) || !reflect.DeepEqual(all, some) {
		t.Fatalf("%d and %d items, or they differ", len(all), len(some))
	}
	if len(all[0].Tags) != 1 || len(all[2].Tags) != 2 {
		t.Fatalf("tags not read: %v, %v", all[0].Tags, all[2].Tags)
	}
	if len(reads) != len(header)-2 { // all but x_Note and x_Weight
		t.Errorf("the mapper reads %d of the %d columns %v", len(reads), len(header), header)
	}
}

// flatFOCUSRow is a FOCUS row as Parquet without nested columns, so that
// the streaming reader reads it: its tags a JSON string, and two columns
// of the exporter's own.
type flatFOCUSRow struct {
	focusParquetColumns
	Note   string  `parquet:"x_Note"`
	Tags   string  `parquet:"Tags,optional"`
	Weight float64 `parquet:"x_Weight"`
}

type columnMapper interface {
	read.Mapper
	read.ColumnReader
}

func curMapper(header []string) (columnMapper, error)   { return cur.NewMapper(header) }
func focusMapper(header []string) (columnMapper, error) { return focus.NewMapper(header) }

// mapParquet maps every row of a Parquet file, the reader told which
// columns the mapper reads when readOnly is set.
func mapParquet(t *testing.T, path string, newMapper func([]string) (columnMapper, error), readOnly bool) (items []lineitem.Item, header []string, reads []int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	pr, err := parquetrows.Open(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	header = pr.Header()
	m, err := newMapper(header)
	if err != nil {
		t.Fatal(err)
	}
	reads = m.Reads()
	if readOnly {
		pr.ReadOnly(reads)
	}
	for {
		fields, err := pr.Next()
		if err == io.EOF {
			return items, header, reads
		}
		if err != nil {
			t.Fatal(err)
		}
		var it lineitem.Item
		if err := m.Map(fields, &it); errors.Is(err, read.ErrNotLineItem) {
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		items = append(items, it)
	}
}
