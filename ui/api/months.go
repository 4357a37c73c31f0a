package api

import (
	"sync"

	"rebill/store"
)

// maxMonths bounds the months kept read: a year of them.
const maxMonths = 12

// months keeps the months statements were computed from, so that a
// client asking for every customer's statement of a month reads the
// month's line items once, not once per customer. A month is reused
// only while the database is at the version it was read at (the window's
// Reports screen does the same), so a statement never misses a write.
type months struct {
	mu  sync.Mutex
	got map[string]*store.BillingMonth
}

// of returns the month read for billing: the kept one while the
// database is unchanged, else read again.
func (m *months) of(db *store.DB, period string) (*store.BillingMonth, error) {
	v, err := db.Version()
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	bm, ok := m.got[period]
	m.mu.Unlock()
	if ok && bm.Version == v {
		return bm, nil
	}
	bm, err = db.BillingMonth(period)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.got == nil || len(m.got) >= maxMonths {
		m.got = map[string]*store.BillingMonth{} // forget them all: simpler than an LRU, and rare
	}
	m.got[period] = bm
	return bm, nil
}
