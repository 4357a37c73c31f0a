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

// cutBridge is a month of 4,064.48 from the distributor, of which an
// unassigned account's 9.56 is not invoiced and ACME's 4,054.92 is: three
// bars, the distributor, -9.56 and the invoices.
func cutBridge(t *testing.T) reconcile.Bridge {
	t.Helper()
	b, err := reconcile.Build(reconcile.Input{Period: "2024-09", Provider: "aws", Currency: "USD",
		Distributor: []distributor.Invoice{{Number: "D-9", Amount: decimal.RequireFromString("4064.48"), Currency: "USD"}},
		Accounts: []billing.AccountTotal{
			{Account: "111111111111", Customer: "ACME", Currency: "USD", Unblended: decimal.RequireFromString("4054.92")},
			{Account: "333333333333", Currency: "USD", Unblended: decimal.RequireFromString("9.56")},
		},
		Invoices: []reconcile.Invoiced{{CustomerID: "ACME", Number: "INV-7", Currency: "USD",
			Total: billing.HalfUp.Round(decimal.RequireFromString("4054.92"), "USD"), Problem: "customer ACME no longer exists"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWaterfall(t *testing.T) {
	frac := func(a, b string) float64 {
		v, _ := decimal.RequireFromString(a).Div(decimal.RequireFromString(b)).Float64()
		return v
	}
	type bar struct {
		label     string
		kind      StepKind
		tone      Tone
		low, high float64
		cut       bool
	}
	cases := []struct {
		name    string
		bridge  func(*testing.T) reconcile.Bridge
		want    []bar
		caption string
	}{
		// The scale runs from 0 to 105: the lowest end is 0, the quarter
		// of room below would go under zero, so the axis is not cut.
		{"differences as large as the totals: from zero", viewBridge, []bar{
			{"Distributor", Total, Normal, 0, 1, false},
			{reconcile.Unassigned.Label(), Down, Warning, frac("100", "105"), 1, false},
			{reconcile.NotInvoiced.Label(), Down, Warning, 0, frac("100", "105"), false},
			{"Unexplained", Residual, Danger, 0, frac("20", "105"), false},
			{"Invoiced", Total, Normal, 0, frac("20", "105"), false},
		}, ""},
		// The ends run from 4,054.92 to 4,064.48 (span 9.56); a quarter
		// below is 4,052.53, rounded down to a whole unit (the largest
		// power of ten under 9.56): the scale is 4,052.00 to 4,064.48,
		// 12.48 tall. From zero the 9.56 would be 0.24% of the chart.
		{"small differences on large totals: cut and said", cutBridge, []bar{
			{"Distributor", Total, Normal, 0, 1, true},
			{reconcile.Unassigned.Label(), Down, Warning, frac("2.92", "12.48"), 1, false},
			{"Invoiced", Total, Normal, 0, frac("2.92", "12.48"), true},
		}, "The scale starts at 4,052.00, not at zero: the totals' bars are cut."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			steps, caption := Waterfall(tc.bridge(t))
			if caption != tc.caption {
				t.Errorf("caption %q, want %q", caption, tc.caption)
			}
			if len(steps) != len(tc.want) {
				t.Fatalf("%d steps %+v, want %d", len(steps), steps, len(tc.want))
			}
			for i, w := range tc.want {
				s := steps[i]
				if s.Label != w.label || s.Kind != w.kind || s.Tone != w.tone || s.Low != w.low || s.High != w.high || s.Cut != w.cut {
					t.Errorf("step %d = %+v, want %+v", i, s, w)
				}
			}
		})
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

// TestMarginByCause: the margin's causes read as the reconciliation names
// them, in its order, with grouped digits; the window and `rebill margin`
// both print them so (the command printed "rerating 1166.00,
// rounding_lines -0.01").
func TestMarginByCause(t *testing.T) {
	r := reconcile.MarginRow{Causes: map[reconcile.Cause]string{reconcile.LineRounding: "-0.01", reconcile.Rerating: "1166.00"}}
	if got, want := MarginByCause(r), "RI and Savings Plan re-rating 1,166.00; Rounding: service lines -0.01"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := MarginByCause(reconcile.MarginRow{}); got != "" {
		t.Errorf("no cause: got %q, want nothing", got)
	}
}
