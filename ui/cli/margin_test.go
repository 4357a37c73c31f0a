package cli

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
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

// TestExportFileMode: an export is readable as other files are (0644),
// not private as the temporary file it is written through, and
// replacing a file keeps that file's permissions.
func TestExportFileMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows files have no Unix permissions")
	}
	dir := t.TempDir()
	fresh := filepath.Join(dir, "fresh.csv")
	if err := writeFileAtomic(fresh, func(w io.Writer) error { _, err := io.WriteString(w, "a\n"); return err }); err != nil {
		t.Fatal(err)
	}
	kept := filepath.Join(dir, "kept.csv")
	if err := os.WriteFile(kept, []byte("old\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := writeFileAtomic(kept, func(w io.Writer) error { _, err := io.WriteString(w, "new\n"); return err }); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{fresh: 0o644, kept: 0o640} {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode().Perm(); got != want {
			t.Errorf("%s has mode %o, want %o", filepath.Base(path), got, want)
		}
	}
	if b, _ := os.ReadFile(kept); string(b) != "new\n" {
		t.Errorf("the replaced file holds %q", b)
	}
}
