package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"rebill/engine/billing"
)

// TestLedgerPanel: the form shows the defaults, saves a mapping the store
// accepts, and refuses one it does not, saying why and keeping the saved
// mapping.
func TestLedgerPanel(t *testing.T) {
	h := newHarness(t)
	h.state.show("Settings")
	if findButton(t, h.settings().content, "Save ledger accounts") == nil {
		t.Fatal("Settings has no ledger accounts")
	}
	p := newLedgerPanel(h.state)
	if p.defaultRevenue.Text != "8400" || p.defaultReceivable.Text != "10000" || p.consultant.Text != "1001" {
		t.Fatalf("defaults shown: %q %q %q", p.defaultRevenue.Text, p.defaultReceivable.Text, p.consultant.Text)
	}
	p.revenue.SetText("Marketplace = 8195")
	p.taxes.SetText("19 = 1776 : 3")
	test.Tap(p.save)
	m, err := h.db.LedgerMapping()
	if err != nil || m.RevenueFor(billing.Marketplace) != "8195" || len(m.Taxes) != 1 || m.Taxes[0].Code != "3" {
		t.Fatalf("saved %+v, %v; status %q", m, err, p.status.Text)
	}

	p.receivables.SetText("NOPE = 10009")
	test.Tap(p.save)
	if !strings.Contains(p.status.Text, `Customer "NOPE" of the receivable accounts does not exist`) || !strings.Contains(p.status.Text, "Nothing was saved") {
		t.Errorf("status %q", p.status.Text)
	}
	p.revenue.SetText("Lambda = 8400")
	test.Tap(p.save)
	if !strings.Contains(p.status.Text, `Revenue accounts, line 1: "Lambda" is not a product type`) {
		t.Errorf("status %q", p.status.Text)
	}
	if m, _ := h.db.LedgerMapping(); m.RevenueFor(billing.Marketplace) != "8195" || len(m.Receivables) != 0 {
		t.Errorf("a refused form changed the saved mapping: %+v", m)
	}
}
