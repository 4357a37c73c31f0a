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

// ProductTypeOverride puts a product code's service lines in another
// section of the statement than the built-in table does.
type ProductTypeOverride struct {
	Code string              `json:"code"` // as the accountant typed it, e.g. AmazonEC2
	Type billing.ProductType `json:"type"`
	// Default is the section the built-in table gives the code (filled
	// when read, not stored).
	Default billing.ProductType `json:"default"`
}

// ParseProductType reads a section name case-insensitively ("compute",
// "Machine Learning") and refuses a name that is not a section.
func ParseProductType(s string) (billing.ProductType, error) {
	s = strings.TrimSpace(s)
	for _, t := range billing.ProductTypes {
		if strings.EqualFold(s, string(t)) {
			return t, nil
		}
	}
	names := make([]string, len(billing.ProductTypes))
	for i, t := range billing.ProductTypes {
		names[i] = string(t)
	}
	return "", fmt.Errorf("%q is not a product type: use one of %s", s, strings.Join(names, ", "))
}

// checkOverride asks the engine whether a code may go in a section, so the
// rule (Marketplace and Credits follow from the line, not from its code)
// lives in one place: a month configured with the override is refused
// exactly when the override is invalid.
func checkOverride(code string, t billing.ProductType) error {
	if code == "" {
		return fmt.Errorf("the product code is empty: write it as in the billing file, e.g. AmazonEC2")
	}
	_, err := billing.NewMonth(billing.Config{Period: "2000-01", ProductTypes: map[string]billing.ProductType{code: t}})
	return err
}

func productTypeRecord(code string) record {
	return record{bucket: bucketProductTypes, key: []byte(strings.ToLower(code)), kind: KindProductType, name: code}
}

// SetProductType records that a product code's lines belong in section t
// (names as ParseProductType reads them). Setting a code to its built-in
// section removes the override, so the table only holds real changes.
func (db *DB) SetProductType(code string, t billing.ProductType, now time.Time) (ProductTypeOverride, error) {
	code = strings.TrimSpace(code)
	o := ProductTypeOverride{Code: code, Type: t, Default: billing.DefaultProductType(code)}
	if err := checkOverride(code, t); err != nil {
		return o, err
	}
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		r := productTypeRecord(code)
		if t == o.Default {
			_, err := r.del(tx, now)
			return err
		}
		_, err := r.put(tx, ProductTypeOverride{Code: code, Type: t}, now)
		return err
	})
	return o, err
}

// DeleteProductType removes a code's override: its lines go back to the
// built-in section. The error wraps ErrNotFound when there was none.
func (db *DB) DeleteProductType(code string, now time.Time) error {
	code = strings.TrimSpace(code)
	return db.bolt.Update(func(tx *bolt.Tx) error {
		ok, err := productTypeRecord(code).del(tx, now)
		if err == nil && !ok {
			err = fmt.Errorf("%w: product code %s has no override (it is in %s, the built-in section)", ErrNotFound, code, billing.DefaultProductType(code))
		}
		return err
	})
}

// ProductTypes lists the overrides by product code (case-insensitively).
func (db *DB) ProductTypes() ([]ProductTypeOverride, error) {
	var out []ProductTypeOverride
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		out, err = allProductTypes(tx)
		return err
	})
	return out, err
}

func allProductTypes(tx *bolt.Tx) ([]ProductTypeOverride, error) {
	out := []ProductTypeOverride{}
	err := tx.Bucket(bucketProductTypes).ForEach(func(k, v []byte) error {
		var o ProductTypeOverride
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

// overrideMap is the overrides as billing.Config takes them.
func overrideMap(list []ProductTypeOverride) map[string]billing.ProductType {
	m := make(map[string]billing.ProductType, len(list))
	for _, o := range list {
		m[o.Code] = o.Type
	}
	return m
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

// SettingsLog returns every change of the billing settings and product
// type overrides, oldest first.
func (db *DB) SettingsLog() ([]Change, error) {
	return db.Changes(func(c *Change) bool { return c.Kind == KindSettings || c.Kind == KindProductType })
}
