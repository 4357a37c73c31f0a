package cli

import (
	"os"
	"path/filepath"
	"regexp"
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

// TestReconcileWorkshopCUR is issue 12's done-when: each month of the
// workshop CUR, both accounts mapped and invoiced, against a distributor
// invoice equal to the file's unblended total to the cent, reconciles with
// nothing unexplained, and the bridge names re-rating (LAB's EC2 usage
// covered by the payer's reservations is billed at on-demand) and
// rounding. The totals are the files' (see TestDoneWhenOnTheWorkshopCUR
// and store.TestRealCURFiles): display rounding is the two accounts
// rounded apart against the file rounded once.
func TestReconcileWorkshopCUR(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "data", "real", "aws-wa-labs")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("real billing files not available (%v): they live in ../shared/data/real beside the checkout", err)
	}
	cases := []struct {
		month, file, fileTotal, distributor, display string
		printed                                      string // the distributor's amount as the text prints it
		payCost                                      string // PAY's cost as the margin text prints it
	}{
		// 71.4558054277 -> 71.46, 3993.0273261102 -> 3993.03: 4064.49
		// against 4064.4831315379 -> 4064.48.
		{"2018-10", "Oct2018-WorkshopCUR-00001.snappy.parquet", "4064.4831315379", "4064.48", "0.01", "4,064.48", "3,993.03"},
		// 60.4857473337 -> 60.49, 3444.8412207931 -> 3444.84: 3505.33
		// against 3505.3269681268 -> 3505.33.
		{"2018-11", "Nov2018-WorkshopCUR-00001.snappy.parquet", "3505.3269681268", "3505.33", "0.00", "3,505.33", "3,444.84"},
	}
	for _, tc := range cases {
		t.Run(tc.month, func(t *testing.T) {
			db := tempDB(t)
			cli(t, db, "import", filepath.Join(dir, tc.file))
			cli(t, db, "profile", "set", "company_name", "Reseller")
			cli(t, db, "customers", "add", "--id", "LAB", "--name", "Lab", "--currency", "USD")
			cli(t, db, "customers", "add", "--id", "PAY", "--name", "Payer", "--currency", "USD")
			cli(t, db, "accounts", "map", "011254002932", "--customer", "LAB")
			cli(t, db, "accounts", "map", "836060457634", "--customer", "PAY")
			if _, errs, code := cli(t, db, "invoices", "generate", "--period", tc.month, "--all"); code != 0 {
				t.Fatalf("generate: %s", errs)
			}
			if _, errs, code := cli(t, db, "invoices", "approve", "--all", "--period", tc.month); code != 0 {
				t.Fatalf("approve: %s", errs)
			}
			cli(t, db, "distributor-invoice", "add", "--provider", "aws", "--period", tc.month, "--number", "D-"+tc.month, "--amount", tc.distributor)

			var b bridgeJSON
			ok(t, db, &b, "reconcile", "--period", tc.month)
			// The text groups thousands, as the command line's other figures.
			if text, _, _ := cli(t, db, "reconcile", "--period", tc.month); !regexp.MustCompile(`\nDistributor invoice D-` + tc.month + ` +` + regexp.QuoteMeta(tc.printed) + `\n`).MatchString(text) {
				t.Errorf("no %q in:\n%s", tc.printed, text)
			}
			if text, _, _ := cli(t, db, "margin", "--period", tc.month); !regexp.MustCompile(`\nPAY +AWS +Total +USD +` + regexp.QuoteMeta(tc.payCost) + ` `).MatchString(text) {
				t.Errorf("no PAY total costing %s in the margin:\n%s", tc.payCost, text)
			}
			if b.Unexplained != "0.00" || b.DistributorTotal != tc.distributor || b.FileTotal != tc.fileTotal {
				t.Errorf("unexplained %s, distributor %s, file %s; want 0.00, %s, %s", b.Unexplained, b.DistributorTotal, b.FileTotal, tc.distributor, tc.fileTotal)
			}
			// The invoiced total is the issued invoices' totals, read from the list.
			var invs []struct {
				Total string `json:"total"`
			}
			ok(t, db, &invs, "invoices", "list", "--period", tc.month)
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
				if it.Cause == "rounding_display" && it.Amount != tc.display {
					t.Errorf("display rounding %s, want %s", it.Amount, tc.display)
				}
			}
			if !sum.Equal(invoiced) {
				t.Errorf("distributor + items + unexplained = %s, invoiced %s", sum, invoiced)
			}
			if !named["rerating"] || !named["rounding_lines"] && !named["rounding_display"] {
				t.Errorf("re-rating and rounding not both named: %+v", b.Items)
			}
		})
	}
}
