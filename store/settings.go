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
	"rebill/engine/invoice"
)

// Kinds of change-log entry for the billing settings.
const (
	KindProductType = "product-type"
	KindSettings    = "settings"
)

func productTypeRecord(code string) record {
	return record{bucket: bucketProductTypes, key: []byte(strings.ToLower(code)), kind: KindProductType, name: code}
}

// SetProductType records that a product code's lines belong in section t
// (names as billing.ParseProductType reads them). Setting a code to its
// built-in section removes the override, so the table only holds real
// changes.
func (db *DB) SetProductType(code string, t billing.ProductType, now time.Time) (billing.ProductTypeOverride, error) {
	return db.SetProductTypeFrom(code, t, "", now)
}

// SetProductTypeFrom is SetProductType from a YYYY-MM month on: the months
// before keep the section they were invoiced with. "" is the month after
// the latest issued invoice of any customer (customer.FirstUninvoiced),
// read in the same transaction; with none, every month.
func (db *DB) SetProductTypeFrom(code string, t billing.ProductType, from string, now time.Time) (billing.ProductTypeOverride, error) {
	o, err := billing.NewOverride(code, t)
	if err != nil {
		return o, err
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		o, _, err = setProductType(tx, o.Code, t, from, now)
		return err
	})
	return o, err
}

// setProductType dates a code's section t from a month (see
// SetProductTypeFrom) and says whether the code had an override.
func setProductType(tx *bolt.Tx, code string, t billing.ProductType, from string, now time.Time) (billing.ProductTypeOverride, bool, error) {
	r := productTypeRecord(code)
	def := billing.DefaultProductType(code)
	prev := billing.ProductTypeOverride{Code: code, Type: def}
	v := tx.Bucket(bucketProductTypes).Get(r.key)
	if v != nil {
		if err := json.Unmarshal(v, &prev); err != nil {
			return prev, true, fmt.Errorf("product type override %s is damaged in the database: %w", code, err)
		}
	}
	prev.Default = def
	if from == "" {
		var err error
		if from, err = firstUninvoicedMonth(tx); err != nil {
			return prev, v != nil, err
		}
	}
	o := prev.SetFrom(from, t)
	if !o.Needed() {
		_, err := r.del(tx, now)
		return o, v != nil, err
	}
	_, err := r.put(tx, billing.ProductTypeOverride{Code: o.Code, Type: o.Type, History: o.History}, now)
	return o, v != nil, err
}

// firstUninvoicedMonth is the month after the latest issued invoice of
// any customer: where a reseller-wide change applies from by default.
func firstUninvoicedMonth(tx *bolt.Tx) (string, error) {
	var issued []string
	for _, m := range documentMonths(tx) {
		docs, err := indexed(tx, indexPrefix(m, ""))
		if err != nil {
			return "", err
		}
		for _, d := range docs {
			if d.Status != invoice.Draft {
				issued = append(issued, m)
				break
			}
		}
	}
	return customer.FirstUninvoiced(issued), nil
}

// DeleteProductType puts a code's lines back in the built-in section, which
// the override returned says, from the month after the latest issued
// invoice (the months before keep their section: the override then stays,
// dated). The error wraps ErrNotFound when there was no override.
func (db *DB) DeleteProductType(code string, now time.Time) (billing.ProductTypeOverride, error) {
	code = strings.TrimSpace(code)
	var back billing.ProductTypeOverride
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		def := billing.DefaultProductType(code)
		var had bool
		var err error
		back, had, err = setProductType(tx, code, def, "", now)
		if err == nil && !had {
			err = customer.NotFound("product code %s has no override (it is in %s, the built-in section)", code, def)
		}
		return err
	})
	return back, err
}

// ProductTypes lists the overrides by product code (case-insensitively).
func (db *DB) ProductTypes() ([]billing.ProductTypeOverride, error) {
	var out []billing.ProductTypeOverride
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		out, err = allProductTypes(tx)
		return err
	})
	return out, err
}

func allProductTypes(tx *bolt.Tx) ([]billing.ProductTypeOverride, error) {
	out := []billing.ProductTypeOverride{}
	err := tx.Bucket(bucketProductTypes).ForEach(func(k, v []byte) error {
		var o billing.ProductTypeOverride
		if err := json.Unmarshal(v, &o); err != nil {
			return fmt.Errorf("product type override %s is damaged in the database: %w", k, err)
		}
		o.Default = billing.DefaultProductType(o.Code)
		out = append(out, o)
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Code) < strings.ToLower(out[j].Code) })
	return out, err
}

var settingsRecord = record{bucket: bucketSettings, key: keyBilling, kind: KindSettings, name: "billing"}

// BillingSettings returns the billing settings, billing.DefaultSettings
// until some are saved.
func (db *DB) BillingSettings() (billing.Settings, error) {
	var s billing.Settings
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		s, err = getBillingSettings(tx)
		return err
	})
	return s, err
}

func getBillingSettings(tx *bolt.Tx) (billing.Settings, error) {
	s := billing.DefaultSettings()
	v := tx.Bucket(bucketSettings).Get(keyBilling)
	if v == nil {
		return s, nil
	}
	if err := json.Unmarshal(v, &s); err != nil {
		return s, fmt.Errorf("the billing settings are damaged in the database: %w", err)
	}
	return s.Normalize(), nil
}

// PutBillingSettings saves the billing settings, validated, with their
// change-log entry; empty fields take the defaults.
func (db *DB) PutBillingSettings(s billing.Settings, now time.Time) error {
	s = s.Normalize()
	if err := s.Validate(); err != nil {
		return err
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		_, err := settingsRecord.put(tx, s, now)
		return err
	})
}

// SetBillingSetting changes one billing setting, named by its key as
// billing.Settings.Set reads it ("rounding", "provider-tax"), reading and
// writing in one transaction so that two changes of different keys never
// undo each other. It returns the settings saved.
func (db *DB) SetBillingSetting(key, value string, now time.Time) (billing.Settings, error) {
	var s billing.Settings
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		var err error
		if s, err = getBillingSettings(tx); err != nil {
			return err
		}
		if err := s.Set(key, value); err != nil {
			return err
		}
		_, err = settingsRecord.put(tx, s, now)
		return err
	})
	return s, err
}

// SettingsLog returns every change of the billing settings, product
// type overrides and support plans, oldest first.
func (db *DB) SettingsLog() ([]Change, error) {
	return db.Changes(func(c *Change) bool {
		return c.Kind == KindSettings || c.Kind == KindProductType || c.Kind == KindSupportPlan || c.Kind == KindPriceTable
	})
}
