package access

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"rebill/engine/invoice"
)

var day = time.Date(2026, 10, 5, 9, 30, 0, 0, time.UTC)

// zeros is 32 zero bytes of "randomness": the key is then known by hand,
// "rbk_" and 43 'A's (32 zero bytes in unpadded base64url).
func zeros() *bytes.Reader { return bytes.NewReader(make([]byte, 32)) }

func TestNewKey(t *testing.T) {
	k, secret, err := NewKey(zeros(), "  PSA sync ", ReadWrite, day)
	if err != nil {
		t.Fatal(err)
	}
	want := "rbk_" + strings.Repeat("A", 43)
	if secret != want {
		t.Errorf("secret = %q, want %q", secret, want)
	}
	// The key's SHA-256, computed apart: printf 'rbk_AAA…' | sha256sum.
	if k.Hash != "a0ab5ebddc89a6d584499fcc9f0937b1040aa7a727cc8d3c97abf89a3498a800" {
		t.Errorf("hash %q", k.Hash)
	}
	if k.Name != "PSA sync" || k.Scope != ReadWrite || k.Hint != "rbk_AAAA" || !k.Created.Equal(day) || !k.Active() {
		t.Errorf("key %+v", k)
	}
	if !k.Matches(secret) || k.Matches(secret+"x") || k.Matches("") {
		t.Error("Matches accepts the wrong key or refuses the right one")
	}
}

func TestNewKeyRefuses(t *testing.T) {
	cases := []struct {
		name, keyName string
		scope         Scope
		random        *bytes.Reader
		want          string
	}{
		{"no name", " ", Read, zeros(), "needs a name"},
		{"long name", strings.Repeat("é", 65), Read, zeros(), "longer than 64"},
		{"unknown scope", "x", "admin", zeros(), `scope "admin"`},
		{"short randomness", "x", Read, bytes.NewReader(make([]byte, 31)), "random part"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := NewKey(tc.random, tc.keyName, tc.scope, day)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestFind(t *testing.T) {
	a, sa, _ := NewKey(bytes.NewReader(bytes.Repeat([]byte{1}, 32)), "a", Read, day)
	b, sb, _ := NewKey(bytes.NewReader(bytes.Repeat([]byte{2}, 32)), "b", ReadWrite, day)
	a.ID, b.ID = 1, 2
	revoked, err := b.Revoke(day.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		keys   []Key
		secret string
		want   uint64 // 0: not found
	}{
		{"first", []Key{a, b}, sa, 1},
		{"second", []Key{a, b}, sb, 2},
		{"unknown", []Key{a, b}, "rbk_nope", 0},
		{"empty", []Key{a, b}, "", 0},
		{"revoked", []Key{a, revoked}, sb, 0},
		{"no keys", nil, sa, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			k, ok := Find(tc.keys, tc.secret)
			if ok != (tc.want != 0) || k.ID != tc.want {
				t.Errorf("Find = %d, %v; want %d", k.ID, ok, tc.want)
			}
		})
	}
	if _, err := revoked.Revoke(day.Add(2 * time.Hour)); err == nil || !strings.Contains(err.Error(), "revoked on 2026-10-05 already") {
		t.Errorf("revoking twice: %v", err)
	}
}

func TestTouchDue(t *testing.T) {
	cases := []struct {
		name     string
		lastUsed time.Time
		want     bool
	}{
		{"never used", time.Time{}, true},
		{"a minute ago", day.Add(-time.Minute), false},
		{"59 minutes ago", day.Add(-59 * time.Minute), false},
		{"an hour ago", day.Add(-time.Hour), true},
		{"yesterday", day.AddDate(0, 0, -1), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := (Key{LastUsed: tc.lastUsed}).TouchDue(day); got != tc.want {
				t.Errorf("TouchDue = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestScope(t *testing.T) {
	draft := invoice.Invoice{Status: invoice.Draft}
	open := invoice.Invoice{Status: invoice.Open, Number: "INV-1"}
	cases := []struct {
		name      string
		scope     Scope
		inv       invoice.Invoice
		see, edit bool
	}{
		{"read sees open", Read, open, true, false},
		{"read never sees a draft", Read, draft, false, false},
		{"read-write sees open", ReadWrite, open, true, true},
		{"read-write sees a draft", ReadWrite, draft, true, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.scope.MaySee(tc.inv); got != tc.see {
				t.Errorf("MaySee = %v", got)
			}
			if got := tc.scope.MayWrite(); got != tc.edit {
				t.Errorf("MayWrite = %v", got)
			}
		})
	}
	for in, want := range map[string]Scope{"read": Read, "Read-Write": ReadWrite, "write": ReadWrite} {
		if got, err := ParseScope(in); err != nil || got != want {
			t.Errorf("ParseScope(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseScope("admin"); err == nil {
		t.Error("ParseScope accepts admin")
	}
}

func TestSettings(t *testing.T) {
	cases := []struct {
		name     string
		in       Settings
		addr     string
		loopback bool
		problem  string
	}{
		{"default", Settings{}, "127.0.0.1:8787", true, ""},
		{"localhost", Settings{Address: "localhost", Port: 9000}, "127.0.0.1:9000", true, ""},
		{"ipv6 loopback", Settings{Address: "::1", Port: 9000}, "[::1]:9000", true, ""},
		{"every network", Settings{Address: "0.0.0.0", Port: 80}, "0.0.0.0:80", false, ""},
		{"a LAN address", Settings{Address: " 192.168.1.20 ", Port: 8787}, "192.168.1.20:8787", false, ""},
		{"a name", Settings{Address: "billing.local", Port: 8787}, "", false, "is not an IP address"},
		{"port too high", Settings{Address: "127.0.0.1", Port: 70000}, "", false, "not between 1 and 65535"},
		{"negative port", Settings{Address: "127.0.0.1", Port: -1}, "", false, "not between 1 and 65535"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.in.Normalize()
			err := s.Validate()
			if tc.problem != "" {
				if err == nil || !strings.Contains(err.Error(), tc.problem) {
					t.Errorf("Validate = %v, want %q", err, tc.problem)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.Addr() != tc.addr || Loopback(s.Addr()) != tc.loopback {
				t.Errorf("Addr = %q loopback %v", s.Addr(), Loopback(s.Addr()))
			}
		})
	}
	for addr, want := range map[string]bool{"localhost:8787": true, "127.0.0.5:1": true, ":8787": false, "[::]:8787": false, "[::1]:1": true, "example.com:80": false} {
		if got := Loopback(addr); got != want {
			t.Errorf("Loopback(%q) = %v, want %v", addr, got, want)
		}
	}
}
