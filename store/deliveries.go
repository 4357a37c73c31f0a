package store

import (
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/customer"
)

// Delivery is one delivery of the history, as the faces list it.
type Delivery struct {
	deliveryRecord
}

// Deliveries lists the delivery history, newest first: every month, or
// one YYYY-MM month.
func (db *DB) Deliveries(period string) ([]Delivery, error) {
	if period != "" {
		if err := customer.CheckMonth("month", period); err != nil {
			return nil, err
		}
	}
	var out []Delivery
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return eachDelivery(tx, func(rec *deliveryRecord) error {
			if period == "" || rec.Period == period {
				out = append(out, Delivery{*rec})
			}
			return nil
		})
	})
	slices.Reverse(out)
	return out, err
}

// RestoreDelivery makes an earlier delivery its month's current one
// again, the accountant's choice: the current delivery is kept as
// replaced, both histories say who restored what and when. A pruned
// delivery cannot come back (its rows are gone): import its files again.
func (db *DB) RestoreDelivery(id uint64, by string, now time.Time) (Delivery, error) {
	var out Delivery
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		rec, err := getDelivery(tx, id)
		if err != nil {
			return err
		}
		switch rec.State {
		case StateCurrent:
			return fmt.Errorf("delivery %d is current already for %s %s (payer %s)", id, rec.Provider, rec.Period, rec.Payer)
		case StatePruned:
			return fmt.Errorf("delivery %d was pruned: its rows are gone; import its files again (%s)", id, rec.Files())
		}
		key := monthKey(rec.Provider, rec.Payer, rec.Period)
		cur, err := currentDelivery(tx, key)
		if err != nil {
			return err
		}
		at := now.UTC()
		what := "restored as the current delivery"
		if cur != nil {
			cur.State, cur.ReplacedBy = StateReplaced, id
			cur.Events = append(cur.Events, DeliveryEvent{At: at, By: by, What: fmt.Sprintf("replaced by restoring delivery %d", id)})
			if err := putDelivery(tx, cur); err != nil {
				return err
			}
			what = fmt.Sprintf("restored in place of delivery %d", cur.ID)
		}
		rec.State, rec.ReplacedBy = StateCurrent, 0
		rec.Events = append(rec.Events, DeliveryEvent{At: at, By: by, What: what})
		if err := putDelivery(tx, rec); err != nil {
			return err
		}
		out = Delivery{*rec}
		return tx.Bucket(bucketDeliveries).Put(key, u64(id))
	})
	return out, err
}

// PruneReport says what PruneDeliveries removed.
type PruneReport struct {
	Pruned []uint64 `json:"pruned"` // deliveries whose rows were removed
	Kept   []uint64 `json:"kept"`   // replaced deliveries kept for an invoice
	Slices int      `json:"slices"` // row stores removed
	Bytes  int64    `json:"bytes"`  // bytes of rows removed
}

// PruneDeliveries removes the rows of replaced deliveries that neither the
// current data nor any invoice (draft or issued) was computed from, and
// marks them pruned; their summaries stay in the history. The database
// file does not shrink: the space is reused by later imports.
func (db *DB) PruneDeliveries(by string, now time.Time) (PruneReport, error) {
	rep := PruneReport{Pruned: []uint64{}, Kept: []uint64{}}
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		needed, err := invoiceDeliveries(tx)
		if err != nil {
			return err
		}
		var all []*deliveryRecord
		if err := eachDelivery(tx, func(rec *deliveryRecord) error {
			r := *rec
			all = append(all, &r)
			return nil
		}); err != nil {
			return err
		}
		inUse := map[uint64]bool{}
		for _, rec := range all {
			if rec.State == StateCurrent || rec.State == StateReplaced && needed[rec.ID] {
				for _, p := range rec.Parts {
					inUse[p.Slice] = true
				}
			}
		}
		slicesBucket := tx.Bucket(bucketSlices)
		for _, rec := range all {
			if rec.State != StateReplaced {
				continue
			}
			if needed[rec.ID] {
				rep.Kept = append(rep.Kept, rec.ID)
				continue
			}
			for _, p := range rec.Parts {
				if inUse[p.Slice] || p.Slice == 0 {
					continue
				}
				inUse[p.Slice] = true // shared by two pruned versions: remove once
				if sb := slicesBucket.Bucket(u64(p.Slice)); sb != nil {
					rep.Bytes += bucketBytes(sb)
					if err := slicesBucket.DeleteBucket(u64(p.Slice)); err != nil {
						return err
					}
					rep.Slices++
				}
			}
			rec.State = StatePruned
			rec.Events = append(rec.Events, DeliveryEvent{At: now.UTC(), By: by, What: "rows pruned: no invoice needs them"})
			if err := putDelivery(tx, rec); err != nil {
				return err
			}
			rep.Pruned = append(rep.Pruned, rec.ID)
		}
		return nil
	})
	return rep, err
}

// bucketBytes is the size of a bucket's keys and values, nested ones included.
func bucketBytes(b *bolt.Bucket) int64 {
	var n int64
	b.ForEach(func(k, v []byte) error {
		n += int64(len(k) + len(v))
		if v == nil {
			if nb := b.Bucket(k); nb != nil {
				n += bucketBytes(nb)
			}
		}
		return nil
	})
	return n
}

// invoiceDeliveries are the deliveries any stored invoice was computed from.
func invoiceDeliveries(tx *bolt.Tx) (map[uint64]bool, error) {
	docs, err := indexed(tx, nil)
	if err != nil {
		return nil, err
	}
	out := map[uint64]bool{}
	for _, d := range docs {
		for _, id := range d.Deliveries {
			out[id] = true
		}
	}
	return out, nil
}
