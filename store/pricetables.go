package store

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/billing"
	"rebill/engine/customer"
)

// KindPriceTable is the change-log kind of a volume price table.
const KindPriceTable = "price-table"

func priceTableRecord(name string) record {
	return record{bucket: bucketPriceTables, key: []byte(strings.ToLower(name)), kind: KindPriceTable, name: name}
}

// seedPriceTables creates the price table bucket and stores billing's
// presets in it: from then on the tables are the accountant's data, to be
// checked against the provider's price list, every change in the change
// log.
func seedPriceTables(tx *bolt.Tx) error {
	b, err := tx.CreateBucketIfNotExists(bucketPriceTables)
	if err != nil {
		return err
	}
	for _, t := range billing.PresetPriceTables() {
		v, err := json.Marshal(t)
		if err != nil {
			return err
		}
		if err := b.Put([]byte(strings.ToLower(t.Name)), v); err != nil {
			return err
		}
	}
	return nil
}

// PriceTables lists the stored volume price tables by name.
func (db *DB) PriceTables() ([]billing.PriceTable, error) {
	var all map[string]billing.PriceTable
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		all, err = allPriceTables(tx)
		return err
	})
	out := make([]billing.PriceTable, 0, len(all))
	for _, t := range all {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// PriceTable is one stored table; the error wraps ErrNotFound for an
// unknown name.
func (db *DB) PriceTable(name string) (billing.PriceTable, error) {
	var t billing.PriceTable
	err := db.bolt.View(func(tx *bolt.Tx) error {
		all, err := allPriceTables(tx)
		if err != nil {
			return err
		}
		var ok bool
		if t, ok = all[name]; !ok {
			return customer.NotFound("there is no price table %q: rebill price-tables list shows them", name)
		}
		return nil
	})
	return t, err
}

// allPriceTables are the stored tables by name, as billing.Config takes
// them.
func allPriceTables(tx *bolt.Tx) (map[string]billing.PriceTable, error) {
	out := map[string]billing.PriceTable{}
	b := tx.Bucket(bucketPriceTables)
	if b == nil {
		return out, nil
	}
	err := b.ForEach(func(k, v []byte) error {
		var t billing.PriceTable
		if err := json.Unmarshal(v, &t); err != nil {
			return fmt.Errorf("price table %s is damaged in the database: %w", k, err)
		}
		out[t.Name] = t
		return nil
	})
	return out, err
}

// SetPriceTable adds or replaces a table, refused unless its tiers follow
// each other from zero (billing.PriceTable.Validate). Every statement
// computed after uses it, as every stored setting does; an issued invoice
// keeps its figures.
func (db *DB) SetPriceTable(t billing.PriceTable, now time.Time) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		_, err := priceTableRecord(t.Name).put(tx, t, now)
		return err
	})
}
