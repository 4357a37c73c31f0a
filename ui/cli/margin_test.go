package cli

import (
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestMarginCommand: on the small CUR of curFile, both accounts mapped to
// ACME and invoiced, the margin report bills what it costs (the unblended
// basis has nothing to re-rate), as JSON and as a workbook whose cells
// read back as numbers.
func TestMarginCommand(t *testing.T) {
	db := tempDB(t)
	month := "2024-09"
	file := curFile(t, month)
	cli(t, db, "import", file)
	cli(t, db, "profile", "set", "company_name", "Reseller")
	cli(t, db, "customers", "add", "--id", "ACME", "--name", "Acme", "--currency", "USD")
	cli(t, db, "accounts", "map", "011254002932", "--customer", "ACME")
	cli(t, db, "accounts", "map", "836060457634", "--customer", "ACME")
	cli(t, db, "invoices", "generate", "--period", month, "--all", "--allow-provisional")
	if _, errs, code := cli(t, db, "invoices", "approve", "--all", "--period", month); code != 0 {
		t.Fatalf("approve: %s", errs)
	}
	var rep struct {
		Rows []struct {
			Customer, Service, Cost, Billed, Margin string
		} `json:"rows"`
	}
	xlsx := filepath.Join(t.TempDir(), "margin.xlsx")
	ok(t, db, &rep, "margin", "--period", month, "--xlsx", xlsx)
	last := rep.Rows[len(rep.Rows)-1]
	// 1.25 + 0.0000000001 + 10 - 2.5 = 8.7500000001: 8.75 at cost, billed.
	if last.Customer != "ACME" || last.Service != "Total" || last.Cost != "8.75" || last.Billed != "8.75" || last.Margin != "0.00" {
		t.Errorf("total row %+v, want ACME Total 8.75 / 8.75 / 0.00", last)
	}
	missing := filepath.Join(t.TempDir(), "no such folder")
	fails(t, db, 1, "cannot write "+filepath.Join(missing, "m.xlsx")+": the folder "+missing+" does not exist (choose another --xlsx path)",
		"margin", "--period", month, "--xlsx", filepath.Join(missing, "m.xlsx"))
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Margin")
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "Margin 2024-09, before tax" {
		t.Errorf("workbook title %q, want the month and that it is before tax", rows[0][0])
	}
	if got := rows[len(rows)-1]; len(got) < 9 || got[0] != "ACME" || got[2] != "Total" || got[7] != "8.75" {
		t.Errorf("last workbook row %q, want ACME's Total billed 8.75", got)
	}
}
