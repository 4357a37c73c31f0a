package view

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/distributor"
	"rebill/engine/reconcile"
)

// viewBridge is a month of 105.00 from the distributor: ACME's 100.00 not
// invoiced yet, an unassigned account's 5.00, and BETA's invoice of 20.00
// that could not be computed again (its customer is gone): 20.00
// unexplained. 105 - 5 - 100 + 20 = 20.00 invoiced.
func viewBridge(t *testing.T) reconcile.Bridge {
	t.Helper()
	b, err := reconcile.Build(reconcile.Input{Period: "2024-09", Provider: "aws", Currency: "USD",
		Distributor: []distributor.Invoice{{Number: "D-9", Amount: decimal.NewFromInt(105), Currency: "USD"}},
		Accounts: []billing.AccountTotal{
			{Account: "111111111111", Customer: "ACME", Currency: "USD", Unblended: decimal.NewFromInt(100)},
			{Account: "333333333333", Currency: "USD", Unblended: decimal.NewFromInt(5)},
		},
		Invoices: []reconcile.Invoiced{{CustomerID: "BETA", Number: "INV-7", Currency: "USD",
			Total: billing.HalfUp.Round(decimal.NewFromInt(20), "USD"), Problem: "customer BETA no longer exists"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWaterfall(t *testing.T) {
	steps := Waterfall(viewBridge(t))
	// The scale runs from 0 to 105 (the totals and the causes' ends, room
	// below clamped at zero): 100 is 100/105 of the height.
	f := func(n int64) float64 { v, _ := decimal.NewFromInt(n).Div(decimal.NewFromInt(105)).Float64(); return v }
	want := []struct {
		label     string
		kind      StepKind
		tone      Tone
		low, high float64
	}{
		{"Distributor", Total, Normal, 0, 1},
		{reconcile.Unassigned.Label(), Down, Warning, f(100), 1},
		{reconcile.NotInvoiced.Label(), Down, Warning, 0, f(100)},
		{"Unexplained", Residual, Danger, 0, f(20)},
		{"Invoiced", Total, Normal, 0, f(20)},
	}
	if len(steps) != len(want) {
		t.Fatalf("%d steps %+v, want %d", len(steps), steps, len(want))
	}
	for i, w := range want {
		s := steps[i]
		if s.Label != w.label || s.Kind != w.kind || s.Tone != w.tone || s.Low != w.low || s.High != w.high {
			t.Errorf("step %d = %+v, want %+v", i, s, w)
		}
	}
}

func TestBridgeRowsAndDetail(t *testing.T) {
	b := viewBridge(t)
	rows := BridgeRows(b)
	// Distributor, the 15 causes, unexplained, invoiced.
	if len(rows) != 2+len(reconcile.Causes)+1 {
		t.Fatalf("%d rows", len(rows))
	}
	u := rows[len(rows)-2]
	if u[0].Text != "Unexplained" || u[1].Text != "20.00" || u[1].Tone != Danger || !u[1].Bold {
		t.Errorf("unexplained row %+v: want 20.00 in bold red", u)
	}
	if got := CauseDetail(b, len(rows)-2); !strings.Contains(got, "BETA, invoice INV-7: 20.00") || !strings.Contains(got, "customer BETA no longer exists") {
		t.Errorf("residual detail %q: want BETA's invoice and why", got)
	}
	if got := CauseDetail(b, 2); got != reconcile.Unassigned.Label()+":\n  account 333333333333  -5.00" {
		t.Errorf("unassigned detail %q", got)
	}
	if got := CauseDetail(b, 0); !strings.Contains(got, "D-9") || !strings.Contains(got, "105.00") {
		t.Errorf("distributor detail %q", got)
	}
}
