package view

import (
	"testing"

	"rebill/store"
)

// TestPruned: freeing space counts in words (the command printed "Kept 1
// replaced deliveries") and says the same in the window and the command
// line, the deliveries kept for invoices included.
func TestPruned(t *testing.T) {
	for _, c := range []struct {
		rep  store.PruneReport
		want string
	}{
		{store.PruneReport{}, "Nothing to prune: every delivery kept is current or needed by an invoice."},
		{store.PruneReport{Kept: []uint64{1}},
			"Nothing to prune: every delivery kept is current or needed by an invoice.\nKept 1 replaced delivery that invoices were computed from (1)."},
		{store.PruneReport{Pruned: []uint64{2, 5}, Kept: []uint64{1, 3}, Bytes: 2_400_000},
			"Removed the rows of 2 replaced deliveries (2, 5): 2.4 MB freed inside the database file, which keeps its size and reuses the space for later imports.\n" +
				"Kept 2 replaced deliveries that invoices were computed from (1, 3)."},
		{store.PruneReport{Pruned: []uint64{7}, Bytes: 1},
			"Removed the rows of 1 replaced delivery (7): 1 byte freed inside the database file, which keeps its size and reuses the space for later imports."},
	} {
		if got := Pruned(c.rep); got != c.want {
			t.Errorf("%+v:\n got %q\nwant %q", c.rep, got, c.want)
		}
	}
}
