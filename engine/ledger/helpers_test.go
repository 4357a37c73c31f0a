package ledger

import (
	"encoding/json"
	"testing"

	"rebill/engine/billing"
	"rebill/engine/invoice"
)

// sec is one section of a hand-built document: its product type and its
// lines' services and amounts.
type sec struct {
	typ   billing.ProductType
	lines [][2]string // service, amount
}

// tx is one tax line: name, percent, base, amount.
type tx [4]string

// spec is a hand-built issued document. Its figures are written as an
// accountant would add them up; doc reads them through the stored
// invoice's JSON, which refuses figures that do not add up, so a typo in
// a test's document fails loudly instead of testing nonsense.
type spec struct {
	id, kind, number, customer, name string
	status, issue, due, void         string
	sections                         []sec
	subtotal, discount, credits, mkt string
	taxes                            []tx
	tax, total                       string
}

func doc(t *testing.T, s spec) invoice.Invoice {
	t.Helper()
	secs := []map[string]any{}
	for _, x := range s.sections {
		var lines []map[string]any
		sub := "0"
		for _, l := range x.lines {
			lines = append(lines, map[string]any{"service": l[0], "amount": l[1], "unrounded": l[1]})
		}
		if len(x.lines) > 0 {
			sub = sumOf(t, x.lines)
		}
		secs = append(secs, map[string]any{"product_type": x.typ, "lines": lines, "subtotal": sub})
	}
	var taxes []map[string]any
	for _, x := range s.taxes {
		taxes = append(taxes, map[string]any{"name": x[0], "percent": x[1], "base": x[2], "unrounded": x[3], "amount": x[3]})
	}
	or0 := func(v string) string {
		if v == "" {
			return "0"
		}
		return v
	}
	kind := s.kind
	if kind == "" {
		kind = "invoice"
	}
	m := map[string]any{"version": 1, "id": s.id, "kind": kind, "number": s.number, "customer_id": s.customer, "period": "2026-10",
		"status": s.status, "currency": "EUR", "sections": secs, "subtotal": s.subtotal, "discount": or0(s.discount),
		"discount_percent": "0", "support": "0", "marketplace": or0(s.mkt), "credits_applied": or0(s.credits),
		"tax_lines": taxes, "tax": or0(s.tax), "total": s.total, "unrounded": s.total, "rates": []any{}, "options": map[string]any{},
		"customer": map[string]any{"name": s.name, "contact": map[string]any{"name": "", "email": "ap@" + s.customer + ".example",
			"phone": "", "address": []string{"Hauptstr. 1", "10115 Berlin"}, "country": "DE"}, "tax_number": "", "payment_terms_days": 30},
		"seller": map[string]any{"company_name": "Reseller GmbH", "address": []string{}}, "generated": "2026-11-01T00:00:00Z",
		"issue_date": nullIfEmpty(s.issue), "due_date": nullIfEmpty(s.due), "paid_date": nil, "void_date": nullIfEmpty(s.void)}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var inv invoice.Invoice
	if err := json.Unmarshal(b, &inv); err != nil {
		t.Fatalf("document %s: %v", s.number, err)
	}
	return inv
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func sumOf(t *testing.T, lines [][2]string) string {
	t.Helper()
	total := dec(t, "0")
	for _, l := range lines {
		total = total.Add(dec(t, l[1]))
	}
	return total.StringFixed(2)
}
