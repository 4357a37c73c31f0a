package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestDoneWhenOnTheWorkshopCUR is issue 3's done-when, run through the
// command line on the public AWS workshop CUR: mapping both accounts
// leaves nothing unassigned; unmapping one lists it with its exact total
// (computed outside Rebill, see store.TestRealCURFiles).
func TestDoneWhenOnTheWorkshopCUR(t *testing.T) {
	file := filepath.Join("..", "..", "..", "shared", "data", "real", "aws-wa-labs", "Oct2018-WorkshopCUR-00001.snappy.parquet")
	if _, err := os.Stat(file); err != nil {
		t.Skipf("real billing files not available (%v): they live in ../shared/data/real beside the checkout", err)
	}
	db := tempDB(t)
	var imported []json.RawMessage
	ok(t, db, &imported, "import", file)
	cli(t, db, "customers", "add", "--id", "ACME", "--name", "Acme")
	cli(t, db, "customers", "add", "--id", "GLOBEX", "--name", "Globex")
	var m json.RawMessage
	ok(t, db, &m, "accounts", "map", "011254002932", "--customer", "ACME")
	ok(t, db, &m, "accounts", "map", "836060457634", "--customer", "GLOBEX")
	var un []struct {
		Account string `json:"account"`
		Cost    string `json:"unblended_cost"`
	}
	ok(t, db, &un, "accounts", "unassigned", "--period", "2018-10")
	if len(un) != 0 {
		t.Fatalf("both mapped: %+v", un)
	}
	cases := []struct{ account, owner, total string }{
		{"011254002932", "ACME", "71.4558054277"},
		{"836060457634", "GLOBEX", "3993.0273261102"},
	}
	for _, tc := range cases {
		t.Run(tc.account, func(t *testing.T) {
			ok(t, db, &m, "accounts", "unmap", tc.account)
			ok(t, db, &un, "accounts", "unassigned", "--period", "2018-10")
			if len(un) != 1 || un[0].Account != tc.account || un[0].Cost != tc.total {
				t.Errorf("unassigned %+v, want %s at %s", un, tc.account, tc.total)
			}
			ok(t, db, &m, "accounts", "map", tc.account, "--customer", tc.owner)
		})
	}
}
