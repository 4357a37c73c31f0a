package store

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/customer"
)

var profileRecord = record{bucket: bucketProfile, key: keyProfile, kind: KindProfile, name: "profile"}

// Profile returns the reseller profile with its logo, or
// customer.DefaultProfile when none was saved yet.
func (db *DB) Profile() (customer.Profile, error) {
	var p customer.Profile
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		p, err = getProfile(tx)
		return err
	})
	return p, err
}

func getProfile(tx *bolt.Tx) (customer.Profile, error) {
	b := tx.Bucket(bucketProfile)
	v := b.Get(keyProfile)
	if v == nil {
		return customer.DefaultProfile(), nil
	}
	var p customer.Profile
	if err := json.Unmarshal(v, &p); err != nil {
		return p, fmt.Errorf("the reseller profile is damaged in the database: %w", err)
	}
	if logo := b.Get(keyLogo); logo != nil {
		p.Logo = append([]byte(nil), logo...)
	}
	return p, nil
}

// PutProfile saves the reseller profile, normalized and validated, with
// its logo and its change-log entry (which records the logo's size and
// SHA-256, not its bytes).
func (db *DB) PutProfile(p customer.Profile, now time.Time) error {
	return db.bolt.Update(func(tx *bolt.Tx) error { return putProfile(tx, p, now) })
}

// UpdateProfile changes the reseller profile in one transaction: it
// reads it, lets change edit it, and saves it as PutProfile does, so that
// a change made meanwhile is never overwritten. It returns the profile as
// saved.
func (db *DB) UpdateProfile(change func(*customer.Profile) error, now time.Time) (customer.Profile, error) {
	var p customer.Profile
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		var err error
		if p, err = getProfile(tx); err != nil {
			return err
		}
		if err := change(&p); err != nil {
			return err
		}
		if err := putProfile(tx, p, now); err != nil {
			return err
		}
		p, err = getProfile(tx)
		return err
	})
	return p, err
}

func putProfile(tx *bolt.Tx, p customer.Profile, now time.Time) error {
	p.Normalize()
	if err := p.Validate(); err != nil {
		return fmt.Errorf("reseller profile: %w", err)
	}
	if _, err := profileRecord.put(tx, p, now); err != nil {
		return err
	}
	b := tx.Bucket(bucketProfile)
	if len(p.Logo) == 0 {
		return b.Delete(keyLogo)
	}
	return b.Put(keyLogo, p.Logo)
}
