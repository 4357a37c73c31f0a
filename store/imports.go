package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/ingest"
	"rebill/engine/lineitem"
)

// deliveryRecord is the current delivery of one provider month of one
// payer, and where its rows live.
type deliveryRecord struct {
	ingest.Delivery
	ImportID uint64 `json:"import_id"`
	File     string `json:"file"`
	Slice    uint64 `json:"slice"`
}

func deliveryKey(p lineitem.Provider, payer, period string) []byte {
	return []byte(string(p) + "\x00" + payer + "\x00" + period)
}

// FindImport returns the committed import of the file with this hash.
func (db *DB) FindImport(hash string) (ingest.Result, bool, error) {
	var res ingest.Result
	found := false
	err := db.bolt.View(func(tx *bolt.Tx) error {
		id := tx.Bucket(bucketHashes).Get([]byte(hash))
		if id == nil {
			return nil
		}
		v := tx.Bucket(bucketImports).Get(id)
		if v == nil {
			return fmt.Errorf("import %x is missing from the history", id)
		}
		found = true
		return json.Unmarshal(v, &res)
	})
	return res, found, err
}

// HasImportOfSize tells whether a committed import had exactly this many
// bytes, which lets an import skip hashing up front for a file that cannot
// be a repeat.
func (db *DB) HasImportOfSize(bytes int64) (bool, error) {
	history, err := db.Imports()
	if err != nil {
		return false, err
	}
	for _, r := range history {
		if r.Bytes == bytes {
			return true, nil
		}
	}
	return false, nil
}

// Imports returns the import history, oldest first.
func (db *DB) Imports() ([]ingest.Result, error) {
	var out []ingest.Result
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketImports).ForEach(func(_, v []byte) error {
			var r ingest.Result
			if err := json.Unmarshal(v, &r); err != nil {
				return err
			}
			out = append(out, r)
			return nil
		})
	})
	return out, err
}

// rowsPerTx is how many rows a staging transaction writes: bbolt keeps a
// transaction's pages in memory, so this bounds memory whatever the file's
// size, while staying large enough that commits are rare.
const rowsPerTx = 64 * rowsPerBlock

// importWriter stages one file's rows. Rows go into fresh slice buckets
// listed under the import in bucketStaging; Commit makes them current in
// one transaction; a crash before that leaves only staging debris that the
// next Open removes.
type importWriter struct {
	db      *DB
	id      uint64
	slices  map[sliceHeader]*sliceWriter
	order   []*sliceWriter
	pending int
}

type sliceWriter struct {
	id      uint64
	head    sliceHeader
	enc     *encoder
	blocks  [][]byte
	blockNo uint32
	dictNo  uint32
	rows    int64
}

// BeginImport allocates an import id and registers it as staging.
func (db *DB) BeginImport(r *ingest.Result) (ingest.Writer, error) {
	w := &importWriter{db: db, slices: map[sliceHeader]*sliceWriter{}}
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		id, err := tx.Bucket(bucketImports).NextSequence()
		if err != nil {
			return err
		}
		w.id = id
		return tx.Bucket(bucketStaging).Put(u64(id), nil)
	})
	if err != nil {
		return nil, fmt.Errorf("starting the import: %w", err)
	}
	r.ImportID = w.id
	return w, nil
}

// Write encodes a batch and writes a transaction once enough rows wait.
func (w *importWriter) Write(items []lineitem.Item) error {
	for i := range items {
		it := &items[i]
		h := sliceHeader{Provider: it.Provider, Payer: it.PayerAccount, Period: it.BillingPeriod}
		s := w.slices[h]
		if s == nil {
			s = &sliceWriter{head: h, enc: newEncoder(h)}
			w.slices[h] = s
			w.order = append(w.order, s)
		}
		if s.head.Currency == "" && it.Currency != "" {
			s.head.Currency = it.Currency
		}
		s.rows++
		if s.enc.add(it) {
			s.blocks = append(s.blocks, s.enc.takeBlock())
		}
		w.pending++
	}
	if w.pending >= rowsPerTx {
		return w.flush(false)
	}
	return nil
}

// flush writes the encoded blocks; final also writes partial blocks.
func (w *importWriter) flush(final bool) error {
	err := w.db.bolt.Update(func(tx *bolt.Tx) error {
		slices := tx.Bucket(bucketSlices)
		for _, s := range w.order {
			if final && s.enc.blockRows > 0 {
				s.blocks = append(s.blocks, s.enc.takeBlock())
			}
			if s.id == 0 {
				id, err := slices.NextSequence()
				if err != nil {
					return err
				}
				s.id = id
				if err := w.registerSlice(tx, id); err != nil {
					return err
				}
			}
			sb, err := slices.CreateBucketIfNotExists(u64(s.id))
			if err != nil {
				return err
			}
			rows, err := sb.CreateBucketIfNotExists(bucketRows)
			if err != nil {
				return err
			}
			dict, err := sb.CreateBucketIfNotExists(bucketDict)
			if err != nil {
				return err
			}
			rows.FillPercent, dict.FillPercent = 1.0, 1.0
			if d := s.enc.takeDict(); len(d) > 0 {
				if err := dict.Put(u32(s.dictNo), d); err != nil {
					return err
				}
				s.dictNo++
			}
			for _, b := range s.blocks {
				if err := rows.Put(u32(s.blockNo), b); err != nil {
					return err
				}
				s.blockNo++
			}
			s.blocks = s.blocks[:0]
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("writing line items: %w", err)
	}
	w.pending = 0
	return nil
}

// registerSlice records a new slice under the staging import, so that it
// is found and removed if the import never commits.
func (w *importWriter) registerSlice(tx *bolt.Tx, slice uint64) error {
	st := tx.Bucket(bucketStaging)
	v := append([]byte(nil), st.Get(u64(w.id))...)
	return st.Put(u64(w.id), binary.BigEndian.AppendUint64(v, slice))
}

// Commit makes the staged rows current in one transaction.
func (w *importWriter) Commit(r *ingest.Result) error {
	if err := w.flush(true); err != nil {
		return err
	}
	return w.db.bolt.Update(func(tx *bolt.Tx) error {
		deliveries := tx.Bucket(bucketDeliveries)
		imports := tx.Bucket(bucketImports)
		for i := range r.Deliveries {
			d := &r.Deliveries[i]
			s := w.slices[sliceHeader{Provider: d.Provider, Payer: d.Payer, Period: d.Period}]
			if s == nil {
				return fmt.Errorf("delivery %s %s has no staged rows", d.Payer, d.Period)
			}
			key := deliveryKey(d.Provider, d.Payer, d.Period)
			d.Status = ingest.Imported
			if old := deliveries.Get(key); old != nil {
				var prev deliveryRecord
				if err := json.Unmarshal(old, &prev); err != nil {
					return err
				}
				if err := tx.Bucket(bucketSlices).DeleteBucket(u64(prev.Slice)); err != nil && !errors.Is(err, bolt.ErrBucketNotFound) {
					return err
				}
				d.Status = ingest.Replaced
				d.ReplacedImport = prev.ImportID
			}
			rec, err := json.Marshal(deliveryRecord{Delivery: *d, ImportID: w.id, File: r.File, Slice: s.id})
			if err != nil {
				return err
			}
			if err := deliveries.Put(key, rec); err != nil {
				return err
			}
		}
		r.ImportID = w.id
		r.Status = ingest.Imported
		for _, d := range r.Deliveries {
			if d.Status == ingest.Replaced {
				r.Status = ingest.Replaced
			}
		}
		rec, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if err := imports.Put(u64(w.id), rec); err != nil {
			return err
		}
		if err := tx.Bucket(bucketHashes).Put([]byte(r.Hash), u64(w.id)); err != nil {
			return err
		}
		return tx.Bucket(bucketStaging).Delete(u64(w.id))
	})
}

// Abort removes everything the import staged.
func (w *importWriter) Abort() error {
	return w.db.bolt.Update(func(tx *bolt.Tx) error { return dropStaged(tx, u64(w.id)) })
}

// discardStaged removes the rows of imports that never committed (the
// program was killed half-way), so the database is as before them.
func (db *DB) discardStaged() error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		var ids [][]byte
		if err := tx.Bucket(bucketStaging).ForEach(func(k, _ []byte) error {
			ids = append(ids, append([]byte(nil), k...))
			return nil
		}); err != nil {
			return err
		}
		for _, id := range ids {
			if err := dropStaged(tx, id); err != nil {
				return err
			}
		}
		return nil
	})
}

func dropStaged(tx *bolt.Tx, importID []byte) error {
	st := tx.Bucket(bucketStaging)
	v := st.Get(importID)
	for ; len(v) >= 8; v = v[8:] {
		err := tx.Bucket(bucketSlices).DeleteBucket(v[:8])
		if err != nil && !errors.Is(err, bolt.ErrBucketNotFound) {
			return err
		}
	}
	return st.Delete(importID)
}
