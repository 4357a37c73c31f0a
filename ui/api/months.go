package api

import (
	"sync"

	"rebill/engine/customer"
	"rebill/store"
)

// maxMonths bounds the months kept read: one per month and customer
// asked for, a few dozen customers' year.
const maxMonths = 256

// months keeps the months statements were computed from, each read for
// one customer (store.DB.BillingMonthFor): a statement reads the sums of
// its customer's accounts, not the whole month's, and a client asking
// again for it while nothing changed reads nothing. A month is reused
// only while the database is at the version it was read at (the window's
// Reports screen does the same), so a statement never misses a write.
type months struct {
	mu  sync.Mutex
	got map[monthOf]*store.BillingMonth
}

// monthOf is one month read for one customer.
type monthOf struct{ period, customer string }

// of returns the month read for one customer's statements: the kept one
// while the database is unchanged, else read again.
func (m *months) of(db *store.DB, period, customerID string) (*store.BillingMonth, error) {
	v, err := db.Version()
	if err != nil {
		return nil, err
	}
	key := monthOf{period, customerID}
	m.mu.Lock()
	bm, ok := m.got[key]
	m.mu.Unlock()
	if ok && bm.Version == v {
		return bm, nil
	}
	bm, err = db.BillingMonthFor(period, customer.Selection{Customers: []string{customerID}})
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.got == nil || len(m.got) >= maxMonths {
		m.got = map[monthOf]*store.BillingMonth{} // forget them all: simpler than an LRU, and rare
	}
	m.got[key] = bm
	return bm, nil
}
