package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/shopspring/decimal"

	"rebill/engine/distributor"
	"rebill/ui/appinfo"
)

// TestReconciliationScreen: September's only account (10.005, 10.01 to
// the cent) belongs to nobody. With no distributor invoice the bridge
// starts at the file's 10.01 and the unassigned account takes it off;
// tapping the unassigned bar names the account. Once the distributor's
// 10.01 is recorded, the bridge starts there and the file adds nothing.
func TestReconciliationScreen(t *testing.T) {
	h := newHarness(t)
	s := h.imports()
	s.addPaths([]string{writeFile(t, t.TempDir(), "september.csv", september)})
	test.Tap(s.importBtn)
	r := h.shell.screens["Reconciliation"].(*reconcileScreen)
	if r.month.Selected != "2024-09" || r.bridge == nil {
		t.Fatalf("month %q, bridge %v: want September's", r.month.Selected, r.bridge)
	}
	// The provider by the name every other screen gives it.
	if r.provider.Selected != "AWS" || r.providerID() != "aws" {
		t.Errorf("provider shown %q (%q), want AWS (aws)", r.provider.Selected, r.providerID())
	}
	// September's rows carry AWS's invoice id: final, and not closed yet.
	if r.badge.Text != "Final · Open" {
		t.Errorf("badge %q, want Final · Open", r.badge.Text)
	}
	var labels []string
	for _, st := range r.chart.steps {
		labels = append(labels, st.Label+" "+st.Amount)
	}
	if got := strings.Join(labels, "|"); got != "File total 10.01|Unassigned accounts -10.01|Invoiced 0.00" {
		t.Errorf("bars %q", got)
	}
	if !strings.Contains(r.message.Text, "file total 10.01, invoiced 0.00") {
		t.Errorf("message %q", r.message.Text)
	}
	r.chart.Resize(fyne.NewSize(800, 300))
	test.TapAt(r.chart, fyne.NewPos(400, 150)) // the second of three bars
	if !strings.Contains(r.detail.Text, "account 444455556666  -10.01") {
		t.Errorf("detail after tapping the unassigned bar: %q", r.detail.Text)
	}

	if _, err := h.db.AddDistributorInvoices([]distributor.Invoice{{Provider: "aws", Period: "2024-09", Number: "D-9",
		Amount: decimal.RequireFromString("10.01"), Currency: "USD"}}, testNow, appinfo.User()); err != nil {
		t.Fatal(err)
	}
	h.state.dataChanged()
	if r.bridge.DistributorTotal != "10.01" || r.bridge.Start != "10.01" || r.bridge.Items[0].Amount != "0.00" || r.chart.steps[0].Label != "Distributor" {
		t.Errorf("after the distributor invoice: %s, distributor-only %s", r.bridge.DistributorTotal, r.bridge.Items[0].Amount)
	}
	if !strings.Contains(r.message.Text, "unexplained 0.00") {
		t.Errorf("message %q", r.message.Text)
	}
}
