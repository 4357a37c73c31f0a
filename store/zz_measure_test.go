package store

import (
	"encoding/json"
	"testing"
	"time"

	"rebill/engine/customer"
	"rebill/engine/invoice"
)

func TestZZMeasure(t *testing.T) {
	db := sampleDB(t)
	generate(t, db, customer.Selection{All: true}, allOn, oct5)
	as, _ := db.ApproveDrafts("2026-09", oct5)
	inv := *as[0].Invoice
	full, _ := json.Marshal(inv)
	l := inv
	l.Sections = nil
	l.Seller.Logo = nil
	lb, _ := json.Marshal(l)
	type summary struct {
		ID, Number, CustomerID, Period string
		Kind                           invoice.Kind
		Status                         invoice.Status
		Name                           string
		Currency                       string
		Total                          string
		IssueDate, DueDate             invoice.Date
	}
	sb, _ := json.Marshal(summary{ID: inv.ID, Number: inv.Number, CustomerID: inv.CustomerID, Period: inv.Period, Kind: inv.Kind, Status: inv.Status, Name: inv.Customer.Name, Currency: inv.Currency, Total: inv.Total.String(), IssueDate: inv.IssueDate, DueDate: inv.DueDate})
	t.Logf("full %d, listing %d, summary %d", len(full), len(lb), len(sb))
	for _, c := range []struct {
		name string
		b    []byte
		v    func() any
	}{{"full", full, func() any { return &invoice.Invoice{} }}, {"listing", lb, func() any { return &invoice.Invoice{} }}, {"summary", sb, func() any { return &summary{} }}} {
		start := time.Now()
		for range 10000 {
			v := c.v()
			if err := json.Unmarshal(c.b, v); err != nil && c.name != "listing" {
				t.Fatal(err)
			}
		}
		t.Logf("%s: 10000 decodes in %v", c.name, time.Since(start))
	}
	t.Logf("%s", lb)
}
