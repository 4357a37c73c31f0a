package document_test

import (
	"bytes"
	"testing"

	"rebill/engine/document"
)

// TestRender: a format named in any case picks its renderer, the same
// bytes as calling it directly; an unknown one is refused having written
// nothing. ("PDF" used to reach no renderer and export 0 bytes.)
func TestRender(t *testing.T) {
	v := tanakaOpen(t).View()
	direct := map[document.Format]func(*bytes.Buffer) error{
		document.FormatPDF:       func(b *bytes.Buffer) error { return document.PDF(b, v) },
		document.FormatCSV:       func(b *bytes.Buffer) error { return document.CSV(b, v) },
		document.FormatDetailCSV: func(b *bytes.Buffer) error { return document.DetailCSV(b, v, nil) },
	}
	tests := []struct {
		name string
		in   document.Format
		want document.Format
		err  string
	}{
		{"lower case", "pdf", document.FormatPDF, ""},
		{"capitals", "PDF", document.FormatPDF, ""},
		{"spaces and mixed case", " Csv ", document.FormatCSV, ""},
		{"detail", "DETAIL-CSV", document.FormatDetailCSV, ""},
		{"unknown", "pdfx", "", `format "pdfx" is not one of pdf, xlsx, csv, detail-csv, ubl, cii, xrechnung, facturx`},
		{"empty", "", "", `format "" is not one of pdf, xlsx, csv, detail-csv, ubl, cii, xrechnung, facturx`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got bytes.Buffer
			err := document.Render(&got, tc.in, v, nil)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err || got.Len() != 0 {
					t.Fatalf("Render(%q): %d bytes, %v; want nothing and %q", tc.in, got.Len(), err, tc.err)
				}
				return
			}
			var want bytes.Buffer
			if err != nil || direct[tc.want](&want) != nil {
				t.Fatalf("Render(%q): %v", tc.in, err)
			}
			if got.Len() == 0 || !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("Render(%q) wrote %d bytes, the %s renderer %d", tc.in, got.Len(), tc.want, want.Len())
			}
		})
	}
}
