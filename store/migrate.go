package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// migration moves the database one schema version up.
type migration struct {
	name string
	up   func(tx *bolt.Tx) error
}

// migrations are applied in order; the schema version is how many have run.
// Never edit or reorder a released migration: append a new one.
var migrations = []migration{
	{"create import buckets", func(tx *bolt.Tx) error {
		return createBuckets(tx, bucketImports, bucketHashes, bucketDeliveries, bucketSlices, bucketStaging)
	}},
	{"create customer, mapping, credit, profile and change-log buckets", func(tx *bolt.Tx) error {
		return createBuckets(tx, bucketCustomers, bucketMappings, bucketGrants, bucketUses, bucketProfile, bucketChanges)
	}},
	{"create exchange rate, product type and settings buckets", func(tx *bolt.Tx) error {
		return createBuckets(tx, bucketRates, bucketProductTypes, bucketSettings)
	}},
	{"create invoice, invoice index, number, series and audit log buckets", func(tx *bolt.Tx) error {
		return createBuckets(tx, bucketInvoices, bucketInvoiceIndex, bucketInvoiceNumbers, bucketInvoiceSeries, bucketAudit)
	}},
	{"add a checksum to every stored row block and dictionary chunk", sealStoredRows},
	{"keep every delivery with its parts in a delivery history", migrateDeliveryHistory},
	{"move the invoice counter from the profile to the invoice series", moveInvoiceCounter},
	{"create the billing API key bucket", func(tx *bolt.Tx) error {
		return createBuckets(tx, bucketAPIKeys)
	}},
	{"keep each document's listing in the invoice index", indexListings},
	{"create the month close, holiday and distributor invoice buckets", func(tx *bolt.Tx) error {
		return createBuckets(tx, bucketPeriodStatus, bucketHolidays, bucketDistributorInvoices)
	}},
	{"create the support plan bucket with AWS's plans as presets", seedSupportPlans},
	{"keep each document's provider in its listing", relistProviders},
	{"create the price table bucket with the S3 Standard us-east-1 preset", seedPriceTables},
	{"create the ledger account mapping bucket", func(tx *bolt.Tx) error {
		return createBuckets(tx, bucketLedger)
	}},
	{"create the payment bucket and close the invoices credited in full", closeCreditedInFull},
	{"store each slice's sums by billing key and its account index", buildGroups},
	{"store each slice's sums of the month beside those of each day, each preceded by its length", sizeGroups},
}

// SchemaVersion is the schema this build writes.
func SchemaVersion() int { return len(migrations) }

func createBuckets(tx *bolt.Tx, names ...[]byte) error {
	for _, n := range names {
		if _, err := tx.CreateBucketIfNotExists(n); err != nil {
			return fmt.Errorf("creating bucket %s: %w", n, err)
		}
	}
	return nil
}

// migrate runs the pending migrations in one transaction, and refuses a
// database written by a newer Rebill rather than damage it.
func (db *DB) migrate() error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		version := 0
		if v := meta.Get(keySchema); len(v) == 4 {
			version = int(binary.BigEndian.Uint32(v))
		}
		if version > len(migrations) {
			return fmt.Errorf("the database %s was written by a newer Rebill (schema %d; this Rebill knows up to %d): install the newer Rebill to open it", db.path, version, len(migrations))
		}
		for i := version; i < len(migrations); i++ {
			if err := migrations[i].up(tx); err != nil {
				return fmt.Errorf("upgrading the database %s (%s): %w", db.path, migrations[i].name, err)
			}
		}
		return meta.Put(keySchema, u32(uint32(len(migrations))))
	})
}

// moveInvoiceCounter takes the profile's next_invoice_number, where the
// invoice counter was kept until the profile form could no longer move
// it, into the invoice series (keyInvoiceSeries). A database without a
// saved profile keeps the default, 1. The profile's stored JSON is left
// as it was (the field is no longer read): its next save drops it, and
// the change log shows that save. A counter below 1 was never valid and
// leaves the default; a counter behind the numbers issued is caught when
// approving (numberFree), whose refusal says how to move it forward.
func moveInvoiceCounter(tx *bolt.Tx) error {
	v := tx.Bucket(bucketProfile).Get(keyProfile)
	if v == nil || tx.Bucket(bucketInvoiceSeries).Get(keyInvoiceSeries) != nil {
		return nil
	}
	var old struct {
		Next *int `json:"next_invoice_number"`
	}
	if err := json.Unmarshal(v, &old); err != nil {
		return fmt.Errorf("the reseller profile is damaged in the database: %w", err)
	}
	if old.Next == nil || *old.Next < 1 { // never valid: the default stands
		return nil
	}
	return putInvoiceCounter(tx, *old.Next)
}
