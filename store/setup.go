package store

import (
	"time"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/customer"
)

// ApplySetup saves a customer.Setup in one transaction: the profile (when
// given), the customers (added or updated), the mappings (replacing those
// of each account they name) and the grants, each with its change-log
// entry. Anything invalid refuses the whole setup. The window's "Load
// sample data" calls it with sample.CustomerSetup.
func (db *DB) ApplySetup(s customer.Setup, now time.Time) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		if s.Profile != nil {
			if err := putProfile(tx, *s.Profile, now); err != nil {
				return err
			}
		}
		for _, c := range s.Customers {
			if _, err := putCustomer(tx, c, now); err != nil {
				return err
			}
		}
		if _, err := setMappings(tx, s.Mappings, now); err != nil {
			return err
		}
		for _, g := range s.Grants {
			if _, err := addGrant(tx, g, now); err != nil {
				return err
			}
		}
		return nil
	})
}
