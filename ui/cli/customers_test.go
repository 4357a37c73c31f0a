package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// TestImportCSVSaysWhatItDid: a customers file of one row reads as the
// window says it ("Customers: 1 added, …"), not "1 customers added".
func TestImportCSVSaysWhatItDid(t *testing.T) {
	db := tempDB(t)
	file := filepath.Join(t.TempDir(), "c.csv")
	if err := os.WriteFile(file, []byte("id,name,currency\nGAMMA,Gamma Ltd,GBP\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, code := cli(t, db, "customers", "import", file)
	if want := file + ": Customers: 1 added, 0 updated, 0 unchanged.\n"; code != 0 || out != want {
		t.Errorf("exit %d, stdout %q (stderr %q), want %q", code, out, errs, want)
	}
}
