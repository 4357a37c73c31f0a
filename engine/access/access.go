// Package access decides who may use the billing API and where it
// listens: API keys (their format, their stored hash, their scope) and the
// API's settings (on or off, address, port). Like the rest of the engine
// it is pure: randomness comes in as an io.Reader and time as a value, so
// the store can write a key in one transaction and a test can check every
// rule with plain values.
package access

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"rebill/engine/invoice"
)

// Scope is what a key may do.
type Scope string

// Scopes.
const (
	// Read reads customers, mappings, periods, statements and issued
	// documents; it never sees a draft.
	Read Scope = "read"
	// ReadWrite also sees drafts and may approve, close, void and credit.
	ReadWrite Scope = "read-write"
)

// ParseScope reads a scope as typed: "read", "read-write" (or "write").
func ParseScope(s string) (Scope, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "read":
		return Read, nil
	case "read-write", "write", "readwrite":
		return ReadWrite, nil
	}
	return "", fmt.Errorf("scope %q is not read or read-write", s)
}

// MayWrite reports whether the scope may change invoices.
func (s Scope) MayWrite() bool { return s == ReadWrite }

// MaySee reports whether a key of this scope may see a document: drafts
// are never visible to customers, so a read-only key, which feeds the
// customers' side (a PSA, a portal), never sees one, in a list, a count, a
// lookup or a download. A read-write key approves drafts, so it sees them.
func (s Scope) MaySee(inv invoice.Invoice) bool {
	return inv.Status != invoice.Draft || s.MayWrite()
}

// Prefix starts every key, so that a key pasted in the wrong place (a
// log, a ticket) is recognisable, and secret scanners can find it.
const Prefix = "rbk_"

// secretBytes is the key's randomness: 256 bits, beyond any guessing.
const secretBytes = 32

// MaxNameLength bounds a key's name.
const MaxNameLength = 64

// Key is an API key as stored: never the key itself, only its SHA-256, so
// that a copy of the database does not give access to the API. A key is
// shown once, when it is created.
type Key struct {
	ID      uint64    `json:"id"`
	Name    string    `json:"name"`
	Scope   Scope     `json:"scope"`
	Hash    string    `json:"sha256"` // hex SHA-256 of the whole key
	Hint    string    `json:"hint"`   // the key's first characters, to recognise it
	Created time.Time `json:"created"`
	// LastUsed is when the key last opened a request, to the hour (see
	// TouchDue); zero when never used.
	LastUsed time.Time `json:"last_used"`
	// Revoked is when the key was revoked; zero while it is valid.
	Revoked time.Time `json:"revoked"`
}

// Active reports whether the key still opens requests.
func (k Key) Active() bool { return k.Revoked.IsZero() }

// NewKey makes a key named name with a scope, created at now: the stored
// value and the key to show once. random supplies the key's 32 bytes
// (crypto/rand.Reader in the store). The id is left for the store.
func NewKey(random io.Reader, name string, scope Scope, now time.Time) (Key, string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return Key{}, "", errors.New("the key needs a name saying who uses it, e.g. \"PSA sync\"")
	case utf8.RuneCountInString(name) > MaxNameLength:
		return Key{}, "", fmt.Errorf("the key's name is longer than %d characters", MaxNameLength)
	case scope != Read && scope != ReadWrite:
		return Key{}, "", fmt.Errorf("scope %q is not read or read-write", scope)
	}
	b := make([]byte, secretBytes)
	if _, err := io.ReadFull(random, b); err != nil {
		return Key{}, "", fmt.Errorf("making the key's random part: %w", err)
	}
	secret := Prefix + base64.RawURLEncoding.EncodeToString(b)
	return Key{Name: name, Scope: scope, Hash: HashOf(secret), Hint: secret[:len(Prefix)+4], Created: now.UTC()}, secret, nil
}

// HashOf is the stored form of a key: its hex SHA-256. A key has 256
// random bits, so a fast hash is enough: there is nothing to brute-force.
func HashOf(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// Matches reports whether secret is this key, comparing the hashes in
// constant time so that the time a refusal takes tells nothing about how
// close a guess came.
func (k Key) Matches(secret string) bool {
	return subtle.ConstantTimeCompare([]byte(HashOf(secret)), []byte(k.Hash)) == 1
}

// Find returns the active key secret is, among keys. Every key is
// compared, each in constant time.
func Find(keys []Key, secret string) (Key, bool) {
	var found Key
	ok := false
	for _, k := range keys {
		if k.Matches(secret) && k.Active() {
			found, ok = k, true
		}
	}
	return found, ok
}

// TouchDue reports whether a request at now should record the key's use:
// at most once an hour, so that reads stay reads (a write per request
// would queue every request behind the database's single writer) while
// the accountant still sees which keys are in use.
func (k Key) TouchDue(now time.Time) bool {
	return k.LastUsed.IsZero() || now.Sub(k.LastUsed) >= time.Hour
}

// Revoke returns the key revoked at now; revoking it again is refused,
// so the first revocation's time stands.
func (k Key) Revoke(now time.Time) (Key, error) {
	if !k.Active() {
		return k, fmt.Errorf("key %d (%s) was revoked on %s already", k.ID, k.Name, k.Revoked.Format(time.DateOnly))
	}
	k.Revoked = now.UTC()
	return k, nil
}
