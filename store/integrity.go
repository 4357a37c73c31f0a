package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/ingest"
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

// damaged turns a decoding error of a part's rows into a DamagedError
// naming it; any other error (the caller's own) passes unchanged.
func damaged(sp slicePart, err error) error {
	var de *DamagedError
	if err == nil || !errors.Is(err, errCorrupt) || errors.As(err, &de) {
		return err
	}
	return &DamagedError{Delivery: describePart(sp), Part: err.Error()}
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

// slicePart is the delivery part a stored slice holds: a delivery that
// is current or kept, and its part whose Slice it is.
type slicePart struct {
	rec  deliveryRecord
	part ingest.Part
}

// describePart names a part the way the accountant finds it again:
// provider, payer, month, the delivery and the file it came from.
func describePart(sp slicePart) string {
	rec := sp.rec
	if rec.Payer == "" && rec.Period == "" {
		return fmt.Sprintf("stored rows %d (no delivery uses them)", sp.part.Slice)
	}
	return fmt.Sprintf("%s payer %s for %s (delivery %d, import %d, file %s)", strings.ToUpper(string(rec.Provider)), rec.Payer, rec.Period, rec.ID, rec.ImportID, sp.part.File)
}

// slicesInUse maps each slice a current or kept (replaced) delivery uses
// to its part, to name the slice in a message and check its rows against
// what the import recorded.
func slicesInUse(tx *bolt.Tx) (map[uint64]slicePart, error) {
	out := map[uint64]slicePart{}
	err := eachDelivery(tx, func(rec *deliveryRecord) error {
		if rec.State == StatePruned {
			return nil
		}
		for _, p := range rec.Parts {
			out[p.Slice] = slicePart{rec: *rec, part: p}
		}
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
