package document

import (
	"io"

	"rebill/engine/invoice"
)

// XLSXRowsPerSheet is XLSX with Detail sheets of rows rows, so that a
// test spills a handful of items onto continuation sheets as a month of
// millions spills past Excel's 1,048,576.
func XLSXRowsPerSheet(w io.Writer, v invoice.View, items Items, rows int) error {
	return writeXLSX(w, v, items, rows)
}
