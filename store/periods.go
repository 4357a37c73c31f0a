package store

import (
	"encoding/json"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/lineitem"
)

// Period is one provider month of one payer as currently imported.
type Period struct {
	deliveryRecord
}

// Periods lists the current deliveries, newest month first, then by
// provider and payer.
func (db *DB) Periods() ([]Period, error) {
	var out []Period
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketDeliveries).ForEach(func(_, v []byte) error {
			var p Period
			if err := json.Unmarshal(v, &p.deliveryRecord); err != nil {
				return err
			}
			out = append(out, p)
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Period != b.Period {
			return a.Period > b.Period
		}
		if a.Provider != b.Provider {
			return a.Provider < b.Provider
		}
		return a.Payer < b.Payer
	})
	return out, err
}

// PeriodsOf returns the deliveries of one YYYY-MM month.
func (db *DB) PeriodsOf(period string) ([]Period, error) {
	all, err := db.Periods()
	if err != nil {
		return nil, err
	}
	var out []Period
	for _, p := range all {
		if p.Period == period {
			out = append(out, p)
		}
	}
	return out, nil
}

// ScanItems calls fn for every current line item of a YYYY-MM month, in
// file order per delivery. The item is reused between calls: copy what you
// keep. Decoding happens inside one read transaction.
func (db *DB) ScanItems(period string, fn func(*lineitem.Item) error) error {
	periods, err := db.PeriodsOf(period)
	if err != nil {
		return err
	}
	return db.bolt.View(func(tx *bolt.Tx) error {
		var it lineitem.Item
		for _, p := range periods {
			if err := scanSlice(tx, p.deliveryRecord, &it, fn); err != nil {
				return err
			}
		}
		return nil
	})
}

func scanSlice(tx *bolt.Tx, rec deliveryRecord, it *lineitem.Item, fn func(*lineitem.Item) error) error {
	sb := tx.Bucket(bucketSlices).Bucket(u64(rec.Slice))
	if sb == nil {
		return fmt.Errorf("the rows of %s %s %s are missing from the database", rec.Provider, rec.Payer, rec.Period)
	}
	var chunks [][]byte
	if err := sb.Bucket(bucketDict).ForEach(func(_, v []byte) error {
		chunks = append(chunks, v)
		return nil
	}); err != nil {
		return err
	}
	dict, err := loadDict(chunks)
	if err != nil {
		return damaged(rec, err)
	}
	head := sliceHeader{Provider: rec.Provider, Payer: rec.Payer, Period: rec.Period, Currency: rec.Currency}
	d := decoder{head: head, base: head.timeBase(), dict: dict}
	return damaged(rec, sb.Bucket(bucketRows).ForEach(func(k, v []byte) error {
		return rowBlockError(k, d.block(v, it, fn))
	}))
}
