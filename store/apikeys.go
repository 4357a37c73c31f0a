package store

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/access"
	"rebill/engine/customer"
)

// The billing API's keys and settings: the use cases of the API's
// Settings section and of `rebill api-key`, and the check every API
// request makes. The rules (key format, hash, scope, address) are
// engine/access's; each function here is one transaction.

// Kinds of change-log entry for the billing API.
const (
	KindAPIKey = "api-key"
	// KindAPISettings is the API's settings; the billing settings are
	// KindSettings.
	KindAPISettings = "api-settings"
)

// ErrUnauthorized is returned by Authenticate for a key that is unknown
// or revoked.
var ErrUnauthorized = errors.New("unknown or revoked API key")

func apiKeyRecord(id uint64) record {
	return record{bucket: bucketAPIKeys, key: u64(id), kind: KindAPIKey, name: strconv.FormatUint(id, 10)}
}

// CreateAPIKey makes a key named name with a scope and stores its hash
// (with its change-log entry). It returns the stored key and the key
// itself, which is never stored and cannot be shown again.
func (db *DB) CreateAPIKey(name string, scope access.Scope, now time.Time) (access.Key, string, error) {
	k, secret, err := access.NewKey(rand.Reader, name, scope, now)
	if err != nil {
		return access.Key{}, "", err
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		id, err := tx.Bucket(bucketAPIKeys).NextSequence()
		if err != nil {
			return err
		}
		k.ID = id
		_, err = apiKeyRecord(id).put(tx, k, now)
		return err
	})
	if err != nil {
		return access.Key{}, "", err
	}
	return k, secret, nil
}

// APIKeys lists every key, revoked ones included, oldest first.
func (db *DB) APIKeys() ([]access.Key, error) {
	var out []access.Key
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		out, err = allAPIKeys(tx)
		return err
	})
	return out, err
}

func allAPIKeys(tx *bolt.Tx) ([]access.Key, error) {
	out := []access.Key{}
	err := tx.Bucket(bucketAPIKeys).ForEach(func(k, v []byte) error {
		var key access.Key
		if err := json.Unmarshal(v, &key); err != nil {
			return fmt.Errorf("API key %d is damaged in the database: %w", binary.BigEndian.Uint64(k), err)
		}
		out = append(out, key)
		return nil
	})
	return out, err
}

func getAPIKey(tx *bolt.Tx, id uint64) (access.Key, error) {
	var k access.Key
	v := tx.Bucket(bucketAPIKeys).Get(u64(id))
	if v == nil {
		return k, customer.NotFound("there is no API key %d: rebill api-key list shows the keys", id)
	}
	if err := json.Unmarshal(v, &k); err != nil {
		return k, fmt.Errorf("API key %d is damaged in the database: %w", id, err)
	}
	return k, nil
}

// RevokeAPIKey revokes a key at now: requests with it are refused from
// then on. The key stays listed, with when it was revoked.
func (db *DB) RevokeAPIKey(id uint64, now time.Time) (access.Key, error) {
	var out access.Key
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		k, err := getAPIKey(tx, id)
		if err != nil {
			return err
		}
		if out, err = k.Revoke(now); err != nil {
			return err
		}
		_, err = apiKeyRecord(id).put(tx, out, now)
		return err
	})
	return out, err
}

// Authenticate returns the active key secret is, or ErrUnauthorized. It
// is a read, so that requests are never queued behind the database's
// single writer; only when the key's recorded use is an hour old
// (access.Key.TouchDue) does a second, short transaction record it,
// re-reading the key so a revocation in between is kept. That record
// is bookkeeping, not in the change log.
func (db *DB) Authenticate(secret string, now time.Time) (access.Key, error) {
	var k access.Key
	found := false
	err := db.bolt.View(func(tx *bolt.Tx) error {
		keys, err := allAPIKeys(tx)
		k, found = access.Find(keys, secret)
		return err
	})
	switch {
	case err != nil:
		return access.Key{}, err
	case !found:
		return access.Key{}, ErrUnauthorized
	case !k.TouchDue(now):
		return k, nil
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		cur, err := getAPIKey(tx, k.ID)
		if err != nil || !cur.Active() {
			k, found = cur, false
			return err
		}
		cur.LastUsed = now.UTC().Truncate(time.Hour)
		v, err := json.Marshal(cur)
		if err != nil {
			return err
		}
		k = cur
		return tx.Bucket(bucketAPIKeys).Put(u64(cur.ID), v)
	})
	switch {
	case err != nil:
		return access.Key{}, err
	case !found:
		return access.Key{}, ErrUnauthorized
	}
	return k, nil
}

var apiSettingsRecord = record{bucket: bucketSettings, key: keyAPI, kind: KindAPISettings, name: "api"}

// APISettings returns the billing API's settings, access.DefaultSettings
// (off) until some are saved.
func (db *DB) APISettings() (access.Settings, error) {
	s := access.DefaultSettings()
	err := db.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketSettings).Get(keyAPI)
		if v == nil {
			return nil
		}
		if err := json.Unmarshal(v, &s); err != nil {
			return fmt.Errorf("the billing API settings are damaged in the database: %w", err)
		}
		return nil
	})
	return s.Normalize(), err
}

// PutAPISettings saves the billing API's settings, validated, with their
// change-log entry, and returns them as saved.
func (db *DB) PutAPISettings(s access.Settings, now time.Time) (access.Settings, error) {
	s = s.Normalize()
	if err := s.Validate(); err != nil {
		return s, err
	}
	return s, db.bolt.Update(func(tx *bolt.Tx) error {
		_, err := apiSettingsRecord.put(tx, s, now)
		return err
	})
}
