package store

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/ingest"
	"rebill/engine/lineitem"
)

// schema4Delivery is a current delivery as schema 4 stored it in
// bucketDeliveries: one file's month, and its one slice.
type schema4Delivery struct {
	ingest.Delivery
	ImportID uint64 `json:"import_id"`
	File     string `json:"file"`
	Slice    uint64 `json:"slice"`
}

// migrateDeliveryHistory moves schema 4's deliveries into the delivery
// history. Every delivery of every import becomes a history entry with
// its file as its one part: the month's current one keeps its rows (and
// learns its latest usage hour from them); the ones schema 4 replaced
// had their rows deleted and are kept as pruned history. The months'
// current pointers then name history ids, and the file hash index, which
// the history now answers, is removed.
func migrateDeliveryHistory(tx *bolt.Tx) error {
	if err := createBuckets(tx, bucketDeliveryLog); err != nil {
		return err
	}
	current := map[string]schema4Delivery{}
	cur := tx.Bucket(bucketDeliveries)
	if err := cur.ForEach(func(k, v []byte) error {
		var d schema4Delivery
		if err := json.Unmarshal(v, &d); err != nil {
			return fmt.Errorf("delivery %q: %w", k, err)
		}
		current[string(k)] = d
		return nil
	}); err != nil {
		return err
	}
	var imports []ingest.Result
	if err := tx.Bucket(bucketImports).ForEach(func(_, v []byte) error {
		var r ingest.Result
		if err := json.Unmarshal(v, &r); err != nil {
			return err
		}
		imports = append(imports, r)
		return nil
	}); err != nil {
		return err
	}
	sort.SliceStable(imports, func(i, j int) bool { return imports[i].ImportID < imports[j].ImportID })
	pointers := map[string]uint64{}
	for _, r := range imports {
		for _, d := range r.Deliveries {
			key := string(monthKey(d.Provider, d.Payer, d.Period))
			id, err := tx.Bucket(bucketDeliveryLog).NextSequence()
			if err != nil {
				return err
			}
			rec := &deliveryRecord{Delivery: d, ImportID: r.ImportID, State: StatePruned,
				Events: []DeliveryEvent{{At: r.ImportedAt, What: fmt.Sprintf("imported by import %d", r.ImportID)}}}
			rec.ID, rec.Status = id, ingest.Imported
			rec.Parts = []ingest.Part{{File: r.File, Name: filepath.Base(r.File), Hash: r.Hash, Bytes: r.Bytes,
				Rows: d.Rows, UnblendedCost: d.UnblendedCost, Final: d.Final}}
			if c, ok := current[key]; ok && c.ImportID == r.ImportID {
				rec.State = StateCurrent
				rec.Parts[0].Slice = c.Slice
				if rec.LatestUsage, err = latestUsage(tx, rec); err != nil {
					return err
				}
				pointers[key] = id
			} else {
				rec.Events = append(rec.Events, DeliveryEvent{At: r.ImportedAt, What: "replaced before Rebill kept replaced deliveries: its rows are gone"})
			}
			if err := putDelivery(tx, rec); err != nil {
				return err
			}
		}
	}
	for key := range current {
		if _, ok := pointers[key]; !ok {
			return fmt.Errorf("the current delivery of %q has no import in the history", key)
		}
	}
	for key, id := range pointers {
		if err := cur.Put([]byte(key), u64(id)); err != nil {
			return err
		}
	}
	if tx.Bucket(bucketHashes) != nil {
		return tx.DeleteBucket(bucketHashes)
	}
	return nil
}

// latestUsage is the start of the latest usage hour among a delivery's rows.
func latestUsage(tx *bolt.Tx, rec *deliveryRecord) (t time.Time, err error) {
	var it lineitem.Item
	err = scanDelivery(tx, rec, &it, func(it *lineitem.Item) error {
		if it.UsageStart.After(t) {
			t = it.UsageStart
		}
		return nil
	})
	return t, err
}
