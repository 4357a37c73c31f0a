package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/ingest"
	"rebill/engine/lineitem"
)

// Period is one provider month of one payer as currently imported: its
// current delivery.
type Period struct {
	deliveryRecord
	// Format is the file format its first part was read as ("focus-csv"),
	// filled by Periods; "" when the import did not record it.
	Format string `json:"format,omitempty"`
}

// InvoiceCostColumn names the column of the delivery's files that holds
// what the provider's invoice charges (ingest.CostColumn): its total is
// UnblendedCost, since every reader reads that column into the line
// item's UnblendedCost (FOCUS's BilledCost).
func (p Period) InvoiceCostColumn() string { return ingest.CostColumn(p.Format) }

// Periods lists the current deliveries, newest month first, then by
// provider and payer, each with the format it was read as.
func (db *DB) Periods() ([]Period, error) {
	var out []Period
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		if out, err = currentDeliveries(tx, ""); err != nil {
			return err
		}
		for i := range out {
			out[i].Format = deliveryFormat(tx, &out[i].deliveryRecord)
		}
		return nil
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

// deliveryFormat is the format the delivery's first part was read as,
// from the record of the import that read it; "" when that record names
// none (imports made before formats were recorded).
func deliveryFormat(tx *bolt.Tx, d *deliveryRecord) string {
	v := tx.Bucket(bucketImports).Get(u64(d.ImportID))
	if v == nil || len(d.Parts) == 0 {
		return ""
	}
	var r ingest.Result
	if json.Unmarshal(v, &r) != nil {
		return ""
	}
	for _, f := range r.Files {
		if f.Hash == d.Parts[0].Hash && f.Format != "" {
			return f.Format
		}
	}
	if r.Hash == d.Parts[0].Hash {
		return r.Format
	}
	return ""
}

// currentDeliveries reads the current delivery of every month, or of one
// YYYY-MM month, in key order (provider, payer, month).
func currentDeliveries(tx *bolt.Tx, period string) ([]Period, error) {
	var out []Period
	err := tx.Bucket(bucketDeliveries).ForEach(func(k, v []byte) error {
		if period != "" && !bytes.HasSuffix(k, []byte("\x00"+period)) {
			return nil
		}
		if len(v) != 8 {
			return fmt.Errorf("the current delivery of %q is damaged in the database", k)
		}
		rec, err := getDelivery(tx, binary.BigEndian.Uint64(v))
		if err != nil {
			return err
		}
		out = append(out, Period{deliveryRecord: *rec})
		return nil
	})
	return out, err
}

// Months lists the imported months, newest first, each final or not as
// its current deliveries make it (ingest.Months).
func (db *DB) Months() ([]ingest.Month, error) {
	ps, err := db.Periods()
	return monthsOf(ps), err
}

// MonthOf returns one YYYY-MM month as its current deliveries make it;
// false when nothing of it is imported.
func (db *DB) MonthOf(period string) (ingest.Month, bool, error) {
	ps, err := db.PeriodsOf(period)
	if err != nil || len(ps) == 0 {
		return ingest.Month{Period: period}, false, err
	}
	return monthsOf(ps)[0], true, nil
}

func monthsOf(ps []Period) []ingest.Month {
	ds := make([]ingest.Delivery, len(ps))
	for i, p := range ps {
		ds[i] = p.Delivery
	}
	return ingest.Months(ds)
}

// PeriodsOf returns the deliveries of one YYYY-MM month.
func (db *DB) PeriodsOf(period string) ([]Period, error) {
	var out []Period
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		out, err = currentDeliveries(tx, period)
		return err
	})
	return out, err
}

// ScanItems calls fn for every current line item of a YYYY-MM month, in
// file order per delivery. The item is reused between calls: copy what you
// keep. Decoding happens inside one read transaction.
func (db *DB) ScanItems(period string, fn func(*lineitem.Item) error) error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		periods, err := currentDeliveries(tx, period)
		if err != nil {
			return err
		}
		var it lineitem.Item
		for _, p := range periods {
			if err := scanDelivery(tx, &p.deliveryRecord, &it, fn); err != nil {
				return err
			}
		}
		return nil
	})
}

// scanDelivery decodes every row of every part of a delivery, in part order.
func scanDelivery(tx *bolt.Tx, rec *deliveryRecord, it *lineitem.Item, fn func(*lineitem.Item) error) error {
	if rec.State == StatePruned {
		return fmt.Errorf("the rows of delivery %d (%s %s %s) were pruned: re-import its files", rec.ID, rec.Provider, rec.Payer, rec.Period)
	}
	for _, p := range rec.Parts {
		if err := scanSlice(tx, slicePart{rec: *rec, part: p}, it, fn); err != nil {
			return err
		}
	}
	return nil
}

// sliceDecoder loads a slice's dictionary into a decoder of its rows.
func sliceDecoder(sb *bolt.Bucket, sp slicePart) (*decoder, error) {
	rec := &sp.rec
	var chunks [][]byte
	if err := sb.Bucket(bucketDict).ForEach(func(_, v []byte) error {
		chunks = append(chunks, v)
		return nil
	}); err != nil {
		return nil, err
	}
	dict, err := loadDict(chunks)
	if err != nil {
		return nil, damaged(sp, err)
	}
	head := sliceHeader{Provider: rec.Provider, Payer: rec.Payer, Period: rec.Period, Currency: rec.Currency}
	return &decoder{head: head, base: head.timeBase(), dict: dict}, nil
}

// scanSlice decodes the rows of one part of a delivery.
func scanSlice(tx *bolt.Tx, sp slicePart, it *lineitem.Item, fn func(*lineitem.Item) error) error {
	rec := &sp.rec
	sb := tx.Bucket(bucketSlices).Bucket(u64(sp.part.Slice))
	if sb == nil {
		return fmt.Errorf("the rows of delivery %d (%s %s %s) are missing from the database: re-import its files", rec.ID, rec.Provider, rec.Payer, rec.Period)
	}
	d, err := sliceDecoder(sb, sp)
	if err != nil {
		return err
	}
	return damaged(sp, sb.Bucket(bucketRows).ForEach(func(k, v []byte) error {
		return rowBlockError(k, d.block(v, it, fn))
	}))
}
