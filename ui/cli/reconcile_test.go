package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/shopspring/decimal"
)

// bridgeJSON is what `reconcile --json` prints for one provider.
type bridgeJSON struct {
	DistributorTotal string `json:"distributor_total"`
	FileTotal        string `json:"file_total"`
	InvoicedTotal    string `json:"invoiced_total"`
	Unexplained      string `json:"unexplained"`
	Items            []struct {
		Cause     string `json:"cause"`
		Amount    string `json:"amount"`
		Customers []struct {
			Customer string `json:"customer"`
			Amount   string `json:"amount"`
		} `json:"customers"`
	} `json:"items"`
}

// TestReconcileWorkshopCUR is issue 12's done-when: the October 2018
// workshop CUR, both accounts mapped and invoiced, against a distributor
// invoice equal to the file's unblended total (4064.4831315379, see
// TestDoneWhenOnTheWorkshopCUR), reconciles with nothing unexplained, and
// the bridge names re-rating (LAB's EC2 usage covered by the payer's
// reservations is billed at on-demand) and rounding.
func TestReconcileWorkshopCUR(t *testing.T) {
	file := filepath.Join("..", "..", "..", "shared", "data", "real", "aws-wa-labs", "Oct2018-WorkshopCUR-00001.snappy.parquet")
	if _, err := os.Stat(file); err != nil {
		t.Skipf("real billing files not available (%v): they live in ../shared/data/real beside the checkout", err)
	}
	db := tempDB(t)
	cli(t, db, "import", file)
	cli(t, db, "profile", "set", "company_name", "Reseller")
	cli(t, db, "customers", "add", "--id", "LAB", "--name", "Lab", "--currency", "USD")
	cli(t, db, "customers", "add", "--id", "PAY", "--name", "Payer", "--currency", "USD")
	cli(t, db, "accounts", "map", "011254002932", "--customer", "LAB")
	cli(t, db, "accounts", "map", "836060457634", "--customer", "PAY")
	if _, errs, code := cli(t, db, "invoices", "generate", "--period", "2018-10", "--all"); code != 0 {
		t.Fatalf("generate: %s", errs)
	}
	if _, errs, code := cli(t, db, "invoices", "approve", "--all", "--period", "2018-10"); code != 0 {
		t.Fatalf("approve: %s", errs)
	}
	cli(t, db, "distributor-invoice", "add", "--provider", "aws", "--period", "2018-10", "--number", "D-2018-10", "--amount", "4064.48")

	var b bridgeJSON
	ok(t, db, &b, "reconcile", "--period", "2018-10")
	if b.Unexplained != "0.00" || b.DistributorTotal != "4064.48" || b.FileTotal != "4064.4831315379" {
		t.Errorf("unexplained %s, distributor %s, file %s; want 0.00, 4064.48, 4064.4831315379", b.Unexplained, b.DistributorTotal, b.FileTotal)
	}
	// The invoiced total is the issued invoices' totals, read from the list.
	var invs []struct {
		Total string `json:"total"`
	}
	ok(t, db, &invs, "invoices", "list", "--period", "2018-10")
	var invoiced decimal.Decimal
	for _, inv := range invs {
		invoiced = invoiced.Add(decimal.RequireFromString(inv.Total))
	}
	if len(invs) != 2 || b.InvoicedTotal != invoiced.StringFixed(2) {
		t.Errorf("invoiced total %s, the %d invoices add up to %s", b.InvoicedTotal, len(invs), invoiced.StringFixed(2))
	}
	// Distributor + items + unexplained = invoiced, and the causes named.
	sum := decimal.RequireFromString(b.DistributorTotal).Add(decimal.RequireFromString(b.Unexplained))
	named := map[string]bool{}
	for _, it := range b.Items {
		sum = sum.Add(decimal.RequireFromString(it.Amount))
		if !decimal.RequireFromString(it.Amount).IsZero() || len(it.Customers) > 0 {
			named[it.Cause] = true
		}
	}
	if !sum.Equal(invoiced) {
		t.Errorf("distributor + items + unexplained = %s, invoiced %s", sum, invoiced)
	}
	// The file's total is 4064.48 to the cent, the two accounts' 71.46 and
	// 3993.03: rounding each apart adds 0.01.
	for _, c := range []string{"rerating", "rounding_lines", "rounding_display"} {
		if !named[c] {
			t.Errorf("cause %s not named: %+v", c, b.Items)
		}
	}
	for _, it := range b.Items {
		if it.Cause == "rounding_display" && it.Amount != "0.01" {
			t.Errorf("display rounding %s, want 71.46 + 3993.03 - 4064.48 = 0.01", it.Amount)
		}
	}
}
