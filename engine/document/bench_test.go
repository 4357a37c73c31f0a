package document_test

import (
	"io"
	"testing"

	"rebill/engine/document"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
)

// BenchmarkPDF200 renders 200 invoices, one after the other: a mix of the
// fixtures (one and two pages, the three-page 63-line invoice). Issue 5's
// target is 10 s for 200.
func BenchmarkPDF200(b *testing.B) {
	views := []invoice.View{muellerDraft(b).View(), tanakaOpen(b).View(), bigCorpOpen(b).View()}
	for b.Loop() {
		for i := 0; i < 200; i++ {
			if err := document.PDF(io.Discard, views[i%len(views)]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkXLSX renders the long invoice's workbook with 10,000 line items
// in its Detail sheet.
func BenchmarkXLSX(b *testing.B) {
	v := bigCorpOpen(b).View()
	src := sourceItems()
	all := make([]lineitem.Item, 0, 10_000)
	for i := 0; i < 10_000; i++ {
		all = append(all, src[i%len(src)])
	}
	for b.Loop() {
		if err := document.XLSX(io.Discard, v, itemsOf(all)); err != nil {
			b.Fatal(err)
		}
	}
}
