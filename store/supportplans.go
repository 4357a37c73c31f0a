package store

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/billing"
	"rebill/engine/customer"
)

// KindSupportPlan is the change-log kind of a support plan version.
const KindSupportPlan = "support-plan"

func supportPlanRecord(id string) record {
	return record{bucket: bucketSupportPlans, key: []byte(strings.ToLower(id)), kind: KindSupportPlan, name: id}
}

// seedSupportPlans creates the support plan bucket and stores billing's
// presets in it, so that from then on the plans are the accountant's data:
// confirmed, edited and added to, every change in the change log.
func seedSupportPlans(tx *bolt.Tx) error {
	b, err := tx.CreateBucketIfNotExists(bucketSupportPlans)
	if err != nil {
		return err
	}
	for _, p := range billing.DefaultSupportPlans() {
		v, err := json.Marshal(p)
		if err != nil {
			return err
		}
		if err := b.Put([]byte(strings.ToLower(p.ID)), v); err != nil {
			return err
		}
	}
	return nil
}

// SupportPlans lists the stored support plan versions, by first month.
func (db *DB) SupportPlans() (billing.SupportPlans, error) {
	var out billing.SupportPlans
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		out, err = allSupportPlans(tx)
		return err
	})
	return out.Sorted(), err
}

func allSupportPlans(tx *bolt.Tx) (billing.SupportPlans, error) {
	out := billing.SupportPlans{}
	err := tx.Bucket(bucketSupportPlans).ForEach(func(k, v []byte) error {
		var p billing.SupportPlan
		if err := json.Unmarshal(v, &p); err != nil {
			return fmt.Errorf("support plan %s is damaged in the database: %w", k, err)
		}
		out = append(out, p)
		return nil
	})
	return out, err
}

// AddSupportPlan stores a new support plan version, refused when its id is
// taken or when it would price a customer setting in a month another
// version already prices.
func (db *DB) AddSupportPlan(p billing.SupportPlan, now time.Time) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		all, err := allSupportPlans(tx)
		if err != nil {
			return err
		}
		if q, ok := all.ByID(p.ID); ok {
			return fmt.Errorf("support plan %s already exists (%s, %s): change it with rebill support-plans set %s", q.ID, q.Name, q.Months(), q.ID)
		}
		return putSupportPlan(tx, append(all, p), p, now)
	})
}

// UpdateSupportPlan changes one version in one transaction: it reads it,
// lets change edit it, and stores it if the plans still hold together. The
// id cannot change. It returns the version as stored. The error wraps
// ErrNotFound for an unknown id.
func (db *DB) UpdateSupportPlan(id string, change func(*billing.SupportPlan) error, now time.Time) (billing.SupportPlan, error) {
	var p billing.SupportPlan
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		all, err := allSupportPlans(tx)
		if err != nil {
			return err
		}
		i := -1
		for j, q := range all {
			if strings.EqualFold(q.ID, id) {
				i = j
			}
		}
		if i < 0 {
			return customer.NotFound("there is no support plan %q: rebill support-plans list shows them", id)
		}
		p = all[i]
		p.Serves = append(p.Serves[:0:0], p.Serves...)
		p.Bands = append(p.Bands[:0:0], p.Bands...)
		if err := change(&p); err != nil {
			return err
		}
		if !strings.EqualFold(p.ID, all[i].ID) {
			return fmt.Errorf("a support plan's id cannot change (the change log and the traces name it): add a new plan %s instead", p.ID)
		}
		all[i] = p
		return putSupportPlan(tx, all, p, now)
	})
	return p, err
}

// putSupportPlan stores p once all, the plans with p in them, validate.
func putSupportPlan(tx *bolt.Tx, all billing.SupportPlans, p billing.SupportPlan, now time.Time) error {
	if err := all.Validate(); err != nil {
		return err
	}
	_, err := supportPlanRecord(p.ID).put(tx, p, now)
	return err
}
