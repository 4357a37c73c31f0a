package store

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/billing"
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
	o, err := billing.NewOverride(code, t)
	if err != nil {
		return o, err
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		r := productTypeRecord(o.Code)
		if o.IsDefault() {
			_, err := r.del(tx, now)
			return err
		}
		_, err := r.put(tx, billing.ProductTypeOverride{Code: o.Code, Type: o.Type}, now)
		return err
	})
	return o, err
}

// DeleteProductType removes a code's override: its lines go back to the
// built-in section, which the override returned says. The error wraps
// ErrNotFound when there was none.
func (db *DB) DeleteProductType(code string, now time.Time) (billing.ProductTypeOverride, error) {
	code = strings.TrimSpace(code)
	back := billing.ProductTypeOverride{Code: code, Type: billing.DefaultProductType(code), Default: billing.DefaultProductType(code)}
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		ok, err := productTypeRecord(code).del(tx, now)
		if err == nil && !ok {
			err = fmt.Errorf("%w: product code %s has no override (it is in %s, the built-in section)", ErrNotFound, code, back.Default)
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
		return c.Kind == KindSettings || c.Kind == KindProductType || c.Kind == KindSupportPlan
	})
}
