package store

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"rebill/engine/access"
)

func TestAPIKeys(t *testing.T) {
	db := openTest(t)
	day := time.Date(2026, 10, 5, 9, 30, 0, 0, time.UTC)
	k, secret, err := db.CreateAPIKey("PSA sync", access.Read, day)
	if err != nil {
		t.Fatal(err)
	}
	if k.ID != 1 || !strings.HasPrefix(secret, "rbk_") || len(secret) != 47 || k.Hash != access.HashOf(secret) {
		t.Fatalf("created %+v, %q", k, secret)
	}
	w, wsecret, err := db.CreateAPIKey("Accounting", access.ReadWrite, day)
	if err != nil || w.ID != 2 || wsecret == secret {
		t.Fatalf("second key %+v %v", w, err)
	}
	if _, _, err := db.CreateAPIKey(" ", access.Read, day); err == nil {
		t.Error("a key without a name was created")
	}

	// The key itself is nowhere in the database: not in the key, not in
	// the change log.
	if strings.Contains(dump(t, db), hex.EncodeToString([]byte(secret))) {
		t.Error("the database holds the key itself")
	}
	log, err := db.Changes(func(c *Change) bool { return c.Kind == KindAPIKey })
	if err != nil || len(log) != 2 || strings.Contains(string(log[0].New), secret) {
		t.Fatalf("change log %v %v", log, err)
	}

	// The first use records the hour; uses within the hour write nothing.
	got, err := db.Authenticate(secret, day)
	if err != nil || got.ID != 1 || !got.LastUsed.Equal(day.Truncate(time.Hour)) {
		t.Fatalf("Authenticate = %+v, %v", got, err)
	}
	v1, _ := db.Version()
	if _, err := db.Authenticate(secret, day.Add(20*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if v2, _ := db.Version(); v2 != v1 {
		t.Errorf("a use within the hour wrote to the database (version %d -> %d)", v1, v2)
	}
	if got, _ := db.Authenticate(secret, day.Add(2*time.Hour)); !got.LastUsed.Equal(day.Add(2 * time.Hour).Truncate(time.Hour)) {
		t.Errorf("last used %v two hours later", got.LastUsed)
	}
	for _, bad := range []string{"", "rbk_", secret + "A", strings.ToUpper(secret)} {
		if _, err := db.Authenticate(bad, day); !errors.Is(err, ErrUnauthorized) {
			t.Errorf("Authenticate(%q) = %v", bad, err)
		}
	}

	r, err := db.RevokeAPIKey(1, day.Add(3*time.Hour))
	if err != nil || r.Active() {
		t.Fatalf("revoke %+v %v", r, err)
	}
	if _, err := db.Authenticate(secret, day.Add(4*time.Hour)); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("a revoked key still authenticates: %v", err)
	}
	if _, err := db.RevokeAPIKey(1, day.Add(5*time.Hour)); err == nil || !strings.Contains(err.Error(), "revoked on 2026-10-05 already") {
		t.Errorf("revoking twice: %v", err)
	}
	if _, err := db.RevokeAPIKey(9, day); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoking a missing key: %v", err)
	}
	if got, err := db.Authenticate(wsecret, day); err != nil || got.Scope != access.ReadWrite {
		t.Errorf("the other key: %+v %v", got, err)
	}
	keys, err := db.APIKeys()
	if err != nil || len(keys) != 2 || keys[0].Active() || !keys[1].Active() {
		t.Errorf("keys %+v %v", keys, err)
	}
}

func TestAPISettings(t *testing.T) {
	db := openTest(t)
	day := time.Date(2026, 10, 5, 9, 30, 0, 0, time.UTC)
	s, err := db.APISettings()
	if err != nil || s.Enabled || s.Address != "127.0.0.1" || s.Port != 8787 {
		t.Fatalf("defaults %+v %v", s, err)
	}
	if _, err := db.PutAPISettings(access.Settings{Enabled: true, Address: "nas.local", Port: 80}, day); err == nil {
		t.Error("a host name was saved")
	}
	saved, err := db.PutAPISettings(access.Settings{Enabled: true, Address: "0.0.0.0", Port: 9000}, day)
	if err != nil || saved.Addr() != "0.0.0.0:9000" {
		t.Fatalf("saved %+v %v", saved, err)
	}
	if s, _ := db.APISettings(); s != saved {
		t.Errorf("read back %+v, want %+v", s, saved)
	}
	if log, _ := db.Changes(func(c *Change) bool { return c.Kind == KindAPISettings }); len(log) != 1 {
		t.Errorf("%d change-log entries, want 1", len(log))
	}
}
