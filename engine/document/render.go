package document

import (
	"fmt"
	"io"
	"strings"

	"rebill/engine/invoice"
)

// Format is a document format an invoice is exported in: the one place a
// format name picks its renderer (Render), whichever face asks for it.
type Format string

// Formats.
const (
	FormatPDF  Format = "pdf"
	FormatXLSX Format = "xlsx"
	// FormatCSV is the invoice's printed lines and totals.
	FormatCSV Format = "csv"
	// FormatDetailCSV is the customer's source line items of the month at
	// full precision, the export that reconciles to the penny.
	FormatDetailCSV Format = "detail-csv"
)

// Formats lists the formats in the order they are offered.
var Formats = []Format{FormatPDF, FormatXLSX, FormatCSV, FormatDetailCSV}

// ParseFormat reads a format name as people and programs write it: any
// case, surrounding spaces ignored ("PDF", " xlsx").
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	for _, k := range Formats {
		if f == k {
			return f, nil
		}
	}
	return "", fmt.Errorf("format %q is not one of pdf, xlsx, csv, detail-csv", s)
}

// Ext is the file name extension of the format.
func (f Format) Ext() string {
	if f == FormatDetailCSV {
		return ".csv"
	}
	return "." + string(f)
}

// MediaType is the format's Internet media type, for downloads.
func (f Format) MediaType() string {
	switch f {
	case FormatPDF:
		return "application/pdf"
	case FormatXLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "text/csv; charset=utf-8"
}

// ListsItems reports whether the document lists the customer's line
// items of the month (the workbook's detail sheet, the detail CSV), which
// Render then needs.
func (f Format) ListsItems() bool { return f == FormatXLSX || f == FormatDetailCSV }

// Converts reports whether a display currency applies: the detail CSV
// lists the provider's line items in their own currency.
func (f Format) Converts() bool { return f != FormatDetailCSV }

// PrintsAudit reports whether the document prints the audit log's end
// (View.Audit): the PDF and the workbook.
func (f Format) PrintsAudit() bool { return f == FormatPDF || f == FormatXLSX }

// Render writes the document of an invoice in a format named as
// ParseFormat reads it, with the line items for the formats that list
// them (ListsItems; nil otherwise). An unknown format is refused before
// anything is written.
func Render(w io.Writer, format Format, v invoice.View, items Items) error {
	f, err := ParseFormat(string(format))
	if err != nil {
		return err
	}
	switch f {
	case FormatPDF:
		return PDF(w, v)
	case FormatXLSX:
		return XLSX(w, v, items)
	case FormatCSV:
		return CSV(w, v)
	default:
		return DetailCSV(w, v, items)
	}
}
