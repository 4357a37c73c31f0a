package view

import (
	"strconv"
	"strings"

	"rebill/store"
)

// Pruned says what freeing space removed and what it kept, in the words
// the window's dialog and `rebill deliveries prune` share: the replaced
// deliveries whose rows went, the space freed inside the database file
// (which keeps its size and reuses it), and the replaced deliveries kept
// because invoices were computed from them.
func Pruned(rep store.PruneReport) string {
	var lines []string
	if len(rep.Pruned) == 0 {
		lines = append(lines, "Nothing to prune: every delivery kept is current or needed by an invoice.")
	} else {
		lines = append(lines, "Removed the rows of "+Plural(len(rep.Pruned), "replaced delivery", "replaced deliveries")+
			" ("+deliveryIDs(rep.Pruned)+"): "+ByteSize(rep.Bytes)+" freed inside the database file, which keeps its size and reuses the space for later imports.")
	}
	if len(rep.Kept) > 0 {
		lines = append(lines, "Kept "+Plural(len(rep.Kept), "replaced delivery", "replaced deliveries")+
			" that invoices were computed from ("+deliveryIDs(rep.Kept)+").")
	}
	return strings.Join(lines, "\n")
}

// deliveryIDs lists delivery ids: "1, 4".
func deliveryIDs(ids []uint64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatUint(id, 10)
	}
	return strings.Join(s, ", ")
}
