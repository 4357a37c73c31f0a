package store

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/distributor"
)

// Distributor invoices are kept one JSON distributor.Invoice per record
// in bucketDistributorInvoices; every add and delete is appended to the
// audit log in its transaction. A later reconciliation reads them per
// provider and month (DistributorInvoices).

// AddDistributorInvoices records distributor invoices, all or none: a
// record that is invalid, or whose number is recorded already (or
// repeated in ds), refuses the whole lot. A record without a currency
// takes the currency of its provider's data that month, else the
// profile's default currency. It returns the records as stored.
func (db *DB) AddDistributorInvoices(ds []distributor.Invoice, now time.Time, by string) ([]distributor.Invoice, error) {
	var out []distributor.Invoice
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		var err error
		out, err = addDistributorInvoices(tx, ds, now, by)
		return err
	})
	return out, err
}

// ImportDistributorCSV reads a distributor invoices CSV file
// (distributor.ParseCSV) and records every row, or none: a bad row
// refuses the file with its line and column.
func (db *DB) ImportDistributorCSV(r io.Reader, file string, now time.Time, by string) ([]distributor.Invoice, error) {
	var out []distributor.Invoice
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		known, err := distributorInvoices(tx, "")
		if err != nil {
			return err
		}
		ds, err := distributor.ParseCSV(r, file, func(provider, month string) string { return billingCurrency(tx, provider, month) }, known)
		if err != nil {
			return err
		}
		out, err = addDistributorInvoices(tx, ds, now, by)
		return err
	})
	return out, err
}

func addDistributorInvoices(tx *bolt.Tx, ds []distributor.Invoice, now time.Time, by string) ([]distributor.Invoice, error) {
	existing, err := distributorInvoices(tx, "")
	if err != nil {
		return nil, err
	}
	b := tx.Bucket(bucketDistributorInvoices)
	out := make([]distributor.Invoice, 0, len(ds))
	for _, d := range ds {
		d.Normalize()
		if d.Currency == "" {
			d.Currency = billingCurrency(tx, d.Provider, d.Period)
		}
		if err := d.Err(); err != nil {
			return nil, fmt.Errorf("distributor invoice %s: %w", d.Number, err)
		}
		if err := distributor.Duplicate(existing, d.Number); err != nil {
			return nil, err
		}
		if d.ID, err = b.NextSequence(); err != nil {
			return nil, err
		}
		d.AddedAt, d.AddedBy = now.UTC().Round(0), by
		if d.Source == "" {
			d.Source = "entered"
		}
		v, err := json.Marshal(d)
		if err != nil {
			return nil, err
		}
		if err := b.Put(u64(d.ID), v); err != nil {
			return nil, err
		}
		if err := appendAuditRaw(tx, now, distributor.ActionAdd, d.AuditID(), nil, v); err != nil {
			return nil, err
		}
		existing = append(existing, d)
		out = append(out, d)
	}
	return out, nil
}

// billingCurrency is the currency of a provider's data in a month, else
// the profile's default currency.
func billingCurrency(tx *bolt.Tx, provider, month string) string {
	if ps, err := currentDeliveries(tx, month); err == nil {
		for _, p := range ps {
			if string(p.Provider) == provider && p.Currency != "" {
				return p.Currency
			}
		}
	}
	if prof, err := getProfile(tx); err == nil {
		return prof.DefaultCurrency
	}
	return ""
}

// DistributorInvoices lists the distributor invoices of a YYYY-MM month
// ("" for every month), by month, provider, then number.
func (db *DB) DistributorInvoices(month string) ([]distributor.Invoice, error) {
	var out []distributor.Invoice
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		out, err = distributorInvoices(tx, month)
		return err
	})
	return out, err
}

func distributorInvoices(tx *bolt.Tx, month string) ([]distributor.Invoice, error) {
	out := []distributor.Invoice{}
	err := tx.Bucket(bucketDistributorInvoices).ForEach(func(k, v []byte) error {
		var d distributor.Invoice
		if err := json.Unmarshal(v, &d); err != nil {
			return fmt.Errorf("distributor invoice %x is damaged in the database: %w", k, err)
		}
		if month == "" || d.Period == month {
			out = append(out, d)
		}
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Period != b.Period {
			return a.Period < b.Period
		}
		if a.Provider != b.Provider {
			return a.Provider < b.Provider
		}
		return a.Number < b.Number
	})
	return out, err
}

// DeleteDistributorInvoice removes a distributor invoice (entered by
// mistake), recording it in the audit log with who deleted it, and
// returns it.
func (db *DB) DeleteDistributorInvoice(id uint64, now time.Time, by string) (distributor.Invoice, error) {
	var d distributor.Invoice
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketDistributorInvoices)
		v := b.Get(u64(id))
		if v == nil {
			return fmt.Errorf("there is no distributor invoice %d: rebill distributor-invoice list shows them", id)
		}
		before := append([]byte(nil), v...)
		if err := json.Unmarshal(before, &d); err != nil {
			return fmt.Errorf("distributor invoice %d is damaged in the database: %w", id, err)
		}
		if err := b.Delete(u64(id)); err != nil {
			return err
		}
		after, err := json.Marshal(map[string]string{"deleted_by": by})
		if err != nil {
			return err
		}
		return appendAuditRaw(tx, now, distributor.ActionDelete, d.AuditID(), before, after)
	})
	return d, err
}
