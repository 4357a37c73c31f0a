package document

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// streamedBook is a workbook of a cell sheet and a streamed sheet of n
// rows of about a kilobyte, as an invoice's Summary and Detail are made.
func streamedBook(t *testing.T, n int) *excelize.File {
	t.Helper()
	f := excelize.NewFile()
	if err := f.SetCellValue("Sheet1", "A1", "Summary"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet("Detail"); err != nil {
		t.Fatal(err)
	}
	tags := strings.Repeat("team=data; env=prod; ", 45)
	sw, err := f.NewStreamWriter("Detail")
	if err != nil {
		t.Fatal(err)
	}
	for r := 1; r <= n; r++ {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := sw.SetRow(cell, []any{fmt.Sprintf("line item %d", r), r, "0.0000001234567890123456789012", tags}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestWorkbookStreamsExcelizesBytes: the workbook zipped straight into
// the writer is, byte for byte, the one excelize builds in memory, for a
// streamed sheet past excelize's in-memory chunk (16 MiB) too, which it
// keeps in a temporary file.
func TestWorkbookStreamsExcelizesBytes(t *testing.T) {
	for _, rows := range []int{3, 20_000} {
		t.Run(fmt.Sprint(rows), func(t *testing.T) {
			want, got := streamedBook(t, rows), streamedBook(t, rows)
			defer want.Close()
			defer got.Close()
			var inMemory, streamed bytes.Buffer
			if _, err := want.WriteTo(&inMemory); err != nil {
				t.Fatal(err)
			}
			if err := writeWorkbook(got, &streamed); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(streamed.Bytes(), inMemory.Bytes()) {
				t.Fatalf("streamed %d bytes, excelize's WriteTo %d, and they differ", streamed.Len(), inMemory.Len())
			}
			if rows > 100 {
				return // reading 20 MB of XML back takes long under the race detector
			}
			back, err := excelize.OpenReader(&streamed)
			if err != nil {
				t.Fatal(err)
			}
			defer back.Close()
			if v, _ := back.GetCellValue("Detail", fmt.Sprintf("A%d", rows)); v != fmt.Sprintf("line item %d", rows) {
				t.Errorf("last row reads %q", v)
			}
		})
	}
}

// TestWorkbookPartTooLarge: a part past the bound fails, naming the part
// and the way out, instead of writing an archive Excel refuses.
func TestWorkbookPartTooLarge(t *testing.T) {
	f := streamedBook(t, 1000)
	defer f.Close()
	err := writeWorkbookParts(f, &bytes.Buffer{}, 10_000)
	if err == nil || !strings.Contains(err.Error(), "xl/worksheets/sheet2.xml") || !strings.Contains(err.Error(), "detail-csv") || !strings.Contains(err.Error(), "pass 10000 bytes") {
		t.Fatalf("error %v, want one naming the Detail sheet's part, its bound and detail-csv", err)
	}
	if got := partBound(math.MaxUint32); got != "4 GiB" {
		t.Errorf("the real bound reads %q, want 4 GiB", got)
	}
	// Under the bound, the same workbook is written.
	g := streamedBook(t, 1000)
	defer g.Close()
	if err := writeWorkbookParts(g, &bytes.Buffer{}, 1<<30); err != nil {
		t.Fatal(err)
	}
}
