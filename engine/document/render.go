package document

import (
	"fmt"
	"io"
	"strings"

	"rebill/engine/einvoice"
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
	// The e-invoices (see EInvoice): Peppol BIS Billing 3.0 UBL, CII
	// (EN 16931), XRechnung (UBL), and Factur-X / ZUGFeRD (the PDF as
	// PDF/A-3 with the CII embedded).
	FormatUBL       Format = Format(einvoice.FormatUBL)
	FormatCII       Format = Format(einvoice.FormatCII)
	FormatXRechnung Format = Format(einvoice.FormatXRechnung)
	FormatFacturX   Format = Format(einvoice.FormatFacturX)
)

// Formats lists the formats in the order they are offered.
var Formats = []Format{FormatPDF, FormatXLSX, FormatCSV, FormatDetailCSV, FormatUBL, FormatCII, FormatXRechnung, FormatFacturX}

// ParseFormat reads a format name as people and programs write it: any
// case, surrounding spaces ignored ("PDF", " xlsx").
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	for _, k := range Formats {
		if f == k {
			return f, nil
		}
	}
	names := make([]string, len(Formats))
	for i, k := range Formats {
		names[i] = string(k)
	}
	return "", fmt.Errorf("format %q is not one of %s", s, strings.Join(names, ", "))
}

// IsEInvoice reports whether the format is a structured e-invoice,
// written from the EN 16931 model of the invoice (see EInvoice).
func (f Format) IsEInvoice() bool {
	return f == FormatUBL || f == FormatCII || f == FormatXRechnung || f == FormatFacturX
}

// Ext is the file name extension of the format.
func (f Format) Ext() string {
	switch f {
	case FormatDetailCSV:
		return ".csv"
	case FormatUBL, FormatCII, FormatXRechnung:
		return ".xml"
	case FormatFacturX:
		return ".pdf"
	}
	return "." + string(f)
}

// MediaType is the format's Internet media type, for downloads.
func (f Format) MediaType() string {
	switch f {
	case FormatPDF, FormatFacturX:
		return "application/pdf"
	case FormatUBL, FormatCII, FormatXRechnung:
		return "application/xml"
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
// lists the provider's line items in their own currency. An e-invoice
// stays in the invoice's currency and states its VAT in the display
// currency too (BT-6, BT-111).
func (f Format) Converts() bool { return f != FormatDetailCSV }

// PrintsAudit reports whether the document prints the audit log's end
// (View.Audit): the PDF and the workbook.
func (f Format) PrintsAudit() bool { return f == FormatPDF || f == FormatXLSX || f == FormatFacturX }

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
	case FormatUBL, FormatCII, FormatXRechnung, FormatFacturX:
		return EInvoice(w, f, v)
	default:
		return DetailCSV(w, v, items)
	}
}
