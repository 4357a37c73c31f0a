package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// Stored rows are checked on every read (codec.go's checksums); this file
// names what a damaged block belongs to, so the error says which delivery
// to import again, and holds the migration that adds checksums to the
// blocks written before them.

// DamagedError is stored line items that fail their checksum or cannot
// be decoded. Every reader (billing, ScanItems, exports) fails with it
// rather than bill from damaged rows.
type DamagedError struct {
	// Delivery names the delivery the rows belong to (describeDelivery).
	Delivery string
	// Part is the damaged block or dictionary chunk and what is wrong.
	Part string
}

// Error names the delivery and says what to do.
func (e *DamagedError) Error() string {
	return fmt.Sprintf("the stored line items of %s are damaged (%s): import that file again to replace them, or restore the database from a backup", e.Delivery, e.Part)
}

// Unwrap lets errors.Is(err, errCorrupt) recognise it.
func (e *DamagedError) Unwrap() error { return errCorrupt }

// damaged turns a decoding error of a slice's rows into a DamagedError
// naming rec; any other error (the caller's own) passes unchanged.
func damaged(rec deliveryRecord, err error) error {
	var de *DamagedError
	if err == nil || !errors.Is(err, errCorrupt) || errors.As(err, &de) {
		return err
	}
	return &DamagedError{Delivery: describeDelivery(rec), Part: err.Error()}
}

// rowBlockError names the block a decoding error happened in.
func rowBlockError(key []byte, err error) error {
	if err == nil || !errors.Is(err, errCorrupt) {
		return err
	}
	n := uint64(0)
	if len(key) == 4 {
		n = uint64(binary.BigEndian.Uint32(key))
	}
	return fmt.Errorf("row block %d %w", n, err)
}

// describeDelivery names a delivery the way the accountant finds it
// again: provider, payer, month, and the import and file it came from.
func describeDelivery(rec deliveryRecord) string {
	if rec.Payer == "" && rec.Period == "" {
		return fmt.Sprintf("stored rows %d (no current delivery uses them)", rec.Slice)
	}
	return fmt.Sprintf("%s payer %s for %s (import %d, file %s)", strings.ToUpper(string(rec.Provider)), rec.Payer, rec.Period, rec.ImportID, rec.File)
}

// deliveriesBySlice maps each stored slice to the current delivery whose
// rows it holds, to name the slice in a message; a slice no current
// delivery uses is absent.
func deliveriesBySlice(tx *bolt.Tx) (map[uint64]deliveryRecord, error) {
	out := map[uint64]deliveryRecord{}
	err := tx.Bucket(bucketDeliveries).ForEach(func(k, v []byte) error {
		var r deliveryRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("delivery %q is damaged in the database: %w", k, err)
		}
		out[r.Slice] = r
		return nil
	})
	return out, err
}

// sealStoredRows is the migration that adds a checksum to every row
// block and dictionary chunk written before checksums existed. It skips
// a value that already ends with its checksum, so it never seals twice.
func sealStoredRows(tx *bolt.Tx) error {
	slices := tx.Bucket(bucketSlices)
	var ids [][]byte
	if err := slices.ForEach(func(k, v []byte) error {
		if v == nil {
			ids = append(ids, append([]byte(nil), k...))
		}
		return nil
	}); err != nil {
		return err
	}
	for _, id := range ids {
		sb := slices.Bucket(id)
		for _, name := range [][]byte{bucketRows, bucketDict} {
			b := sb.Bucket(name)
			if b == nil {
				continue
			}
			b.FillPercent = 1.0
			// Keys first: a bucket is not changed while it is iterated.
			var keys [][]byte
			if err := b.ForEach(func(k, _ []byte) error {
				keys = append(keys, append([]byte(nil), k...))
				return nil
			}); err != nil {
				return err
			}
			for _, k := range keys {
				v := b.Get(k)
				if v == nil || sealed(v) {
					continue
				}
				if err := b.Put(k, seal(append(make([]byte, 0, len(v)+checksumSize), v...))); err != nil {
					return fmt.Errorf("stored rows %x: %w", id, err)
				}
			}
		}
	}
	return nil
}
