package store

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/invoice"
)

// BenchmarkMappingChecks200 measures what refusing moves of invoiced
// months costs the mapping use cases once the 200 customers of
// invoicingDB are invoiced for September: unmapping one account (refused),
// importing the whole mappings file unchanged (no owner changes: no
// invoice is read) and importing it with every account moved to its
// neighbour (every month changes owner: the month's 200 invoices are read
// and all 200 moves refused).
func BenchmarkMappingChecks200(b *testing.B) {
	db, err := Open(invoicingDB(b))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.GenerateInvoices(GenerateRequest{Period: "2026-09", Selection: customer.Selection{All: true},
		Options: billing.Options{Tax: true}, Now: oct5}); err != nil {
		b.Fatal(err)
	}
	if _, err := db.ApproveDrafts("2026-09", oct5); err != nil {
		b.Fatal(err)
	}
	ms, err := db.Mappings()
	if err != nil {
		b.Fatal(err)
	}
	var same bytes.Buffer
	if err := db.ExportMappingsCSV(&same); err != nil {
		b.Fatal(err)
	}
	moved := make(map[string]string)
	for i, m := range ms {
		moved[m.Account] = ms[(i+1)%len(ms)].Customer
	}
	var all strings.Builder
	all.WriteString("account,customer,from,until\n")
	for _, m := range ms {
		all.WriteString(m.Account + "," + moved[m.Account] + ",2026-09,\n")
	}
	for _, tc := range []struct {
		name string
		do   func() error
		ok   bool
	}{
		{"unmap one (refused)", func() error { _, err := db.Unmap(ms[0].Account, "", oct6); return err }, false},
		{"import unchanged", func() error { _, err := db.ImportMappingsCSV(bytes.NewReader(same.Bytes()), oct6); return err }, true},
		{"import all moved (refused)", func() error { _, err := db.ImportMappingsCSV(strings.NewReader(all.String()), oct6); return err }, false},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				err := tc.do()
				var me *invoice.MoveError
				if tc.ok != (err == nil) || (err != nil && !errors.As(err, &me)) {
					b.Fatal(err)
				}
			}
		})
	}
}
