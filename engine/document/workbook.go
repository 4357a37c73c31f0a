package document

import (
	"archive/zip"
	"fmt"
	"io"
	"math"

	"github.com/xuri/excelize/v2"
)

// writeWorkbook zips f straight into w, part by part. excelize's own
// WriteTo builds the whole archive in a bytes.Buffer first and copies it
// to w after: for an invoice of 827,000 line items (a 150 MB workbook)
// the export peaked at 650 MB of memory, the buffer's doublings on top of
// the streamed Detail sheets excelize keeps in temporary files. The bytes
// written are the same: the same archive/zip writer, fed the same parts.
//
// What the buffer was for is a patch of the archive's local headers
// where a part outgrows 4 GiB (ZIP64, which Excel checks strictly), a
// patch a stream already written cannot take. A part that large fails
// instead, naming itself: Detail sheets stop at Excel's row limit, so
// it takes rows of kilobytes (hundreds of tag columns), and the line
// items' CSV holds any number.
func writeWorkbook(f *excelize.File, w io.Writer) error {
	return writeWorkbookParts(f, w, math.MaxUint32)
}

// writeWorkbookParts is writeWorkbook with parts of at most maxPart
// bytes before compression.
func writeWorkbookParts(f *excelize.File, w io.Writer, maxPart int64) error {
	zw := &boundedZip{Writer: zip.NewWriter(w), maxPart: maxPart}
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zw })
	// The buffer WriteToBuffer hands the zip writer is left empty: zw
	// writes to w.
	_, err := f.WriteToBuffer()
	return err
}

// boundedZip is a zip writer whose parts fail once past maxPart bytes.
type boundedZip struct {
	*zip.Writer
	maxPart int64
}

func (z *boundedZip) Create(name string) (io.Writer, error) {
	w, err := z.Writer.Create(name)
	if err != nil {
		return nil, err
	}
	return &boundedPart{w: w, name: name, bound: z.maxPart, left: z.maxPart}, nil
}

// boundedPart counts the bytes left of a part's bound.
type boundedPart struct {
	w     io.Writer
	name  string
	bound int64 // the part's bound, for the message
	left  int64
}

// partBound says a part's bound as the message shows it: ZIP's 4 GiB
// for the real one, bytes for others (a test's).
func partBound(n int64) string {
	if n == math.MaxUint32 {
		return "4 GiB"
	}
	return fmt.Sprintf("%d bytes", n)
}

func (p *boundedPart) Write(b []byte) (int, error) {
	if int64(len(b)) > p.left {
		return 0, fmt.Errorf("the workbook's part %s would pass %s, more than a workbook written as it is made can hold: export the line items as CSV (detail-csv) instead", p.name, partBound(p.bound))
	}
	p.left -= int64(len(b))
	return p.w.Write(b)
}
