package invoice_test

import (
	"fmt"
	"time"

	"rebill/engine/invoice"
)

// Each series numbers its documents 1, 2, 3, ... by approval; the value
// returned is the series' next state, which the store writes with the
// approved document.
func ExampleNumbering_Assign() {
	inv := invoice.Numbering{Series: invoice.KindInvoice, Format: "INV-{YYYY}-{SEQ:5}", Next: 12}
	cn := invoice.CreditNoteNumbering("", 1)
	issue := invoice.NewDate(2026, 10, 5)
	a, inv, _ := inv.Assign(issue)
	b, inv, _ := inv.Assign(issue)
	c, _, _ := cn.Assign(issue)
	fmt.Println(a, b, c, "next invoice", inv.Next)
	// Output: INV-2026-00012 INV-2026-00013 CN-2026-00001 next invoice 14
}

// Entries chain by hash; Verify names the first entry that was altered,
// removed or moved.
func ExampleVerify() {
	at := time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC)
	first, _ := invoice.NewEntry(invoice.Head{}, at, invoice.ActionGenerate, "17", nil, []byte(`{"status":"draft"}`))
	second, _ := invoice.NewEntry(first.Head(), at.Add(time.Minute), invoice.ActionApprove, "17",
		[]byte(`{"status":"draft"}`), []byte(`{"status":"open"}`))
	fmt.Println(invoice.Verify([]invoice.Entry{first, second}))

	first.After = []byte(`{"status":"open"}`)
	fmt.Println(invoice.Verify([]invoice.Entry{first, second}))
	// Output:
	// <nil>
	// audit log entry 1 was altered: its content does not match its hash
}
