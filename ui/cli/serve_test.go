package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a buffer a command running in another goroutine writes
// to while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestAPIKeyCommands(t *testing.T) {
	db := tempDB(t)
	var k struct {
		Key   string `json:"key"`
		ID    uint64 `json:"id"`
		Name  string `json:"name"`
		Scope string `json:"scope"`
	}
	ok(t, db, &k, "api-key", "create", "--name", "PSA sync")
	if !strings.HasPrefix(k.Key, "rbk_") || len(k.Key) != 47 || k.ID != 1 || k.Name != "PSA sync" || k.Scope != "read" {
		t.Errorf("created %+v", k)
	}
	ok(t, db, &k, "api-key", "create", "--name", "Accounting", "--write")
	if k.ID != 2 || k.Scope != "read-write" {
		t.Errorf("created %+v", k)
	}
	out, _, code := cli(t, db, "api-key", "create", "--name", "Portal")
	if code != 0 || !strings.Contains(out, "shown only this once:\n\n  rbk_") {
		t.Errorf("create prints %q", out)
	}
	fails(t, db, 1, "--name is required", "api-key", "create")
	ok(t, db, &k, "api-key", "revoke", "1")
	fails(t, db, 1, "was revoked on 2026-10-05 already", "api-key", "revoke", "1")
	fails(t, db, 1, "there is no API key 9", "api-key", "revoke", "9")
	fails(t, db, 1, `"x" is not a key id`, "api-key", "revoke", "x")

	var list []map[string]any
	ok(t, db, &list, "api-key", "list")
	if len(list) != 3 || list[0]["revoked"] == nil || list[1]["revoked"] != nil {
		t.Errorf("list %v", list)
	}
	for _, l := range list {
		if _, has := l["sha256"]; has {
			t.Error("the list prints the keys' hashes")
		}
		if _, has := l["key"]; has {
			t.Error("the list prints a key")
		}
	}
	out, _, _ = cli(t, db, "api-key", "list")
	if !strings.Contains(out, "revoked 2026-10-05") || !strings.Contains(out, "read-write") || strings.Contains(out, k.Key) {
		t.Errorf("list prints\n%s", out)
	}
}

// serving runs `rebill serve` with args in the background until the
// test ends, and returns the URL it listens on.
func serving(t *testing.T, db string, args ...string) (url string, stderr *lockedBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	before := interrupted
	interrupted = func() (context.Context, context.CancelFunc) { return ctx, cancel }
	var out lockedBuffer
	stderr = &lockedBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- Run(append([]string{"--db", db, "serve", "--json"}, args...), Meta{Name: "Rebill"}, func() time.Time { return testNow }, &out, stderr)
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("rebill serve ended with exit %d: %s", code, stderr)
		}
		interrupted = before
	})
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var doc serveDoc
		if err := json.Unmarshal([]byte(out.String()), &doc); err == nil {
			return doc.URL, stderr
		}
		select {
		case code := <-done:
			t.Fatalf("rebill serve stopped at once with exit %d: %s", code, stderr)
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatalf("rebill serve printed no address: %q %q", out.String(), stderr)
	return "", nil
}

func get(t *testing.T, url, key string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestServe: rebill serve binds, answers with a key and refuses without
// one, holds the database so that a second Rebill on it stops with the
// usual message, and stops cleanly.
func TestServe(t *testing.T) {
	db := invoicesDB(t)
	var gen any
	ok(t, db, &gen, "invoices", "generate", "--period", "2026-09", "--all")
	var k struct{ Key string }
	ok(t, db, &k, "api-key", "create", "--name", "portal")

	url, stderr := serving(t, db, "--addr", "127.0.0.1:0")
	if !strings.HasPrefix(url, "http://127.0.0.1:") || strings.Contains(stderr.String(), "other computers") {
		t.Errorf("serving at %s; stderr %q", url, stderr)
	}
	if code, body := get(t, url+"/api/v1/invoices", ""); code != http.StatusUnauthorized || !strings.Contains(body, `"unauthorized"`) {
		t.Errorf("without a key: %d %s", code, body)
	}
	code, body := get(t, url+"/api/v1/invoices", k.Key)
	var l struct{ Total int }
	if err := json.Unmarshal([]byte(body), &l); err != nil || code != http.StatusOK || l.Total != 0 {
		t.Errorf("with a read-only key, 6 drafts and nothing issued: %d %s", code, body)
	}
	// The second-instance rule: the API's Rebill holds the database.
	fails(t, db, 1, "is open in another Rebill window or command", "invoices", "list")
}

func TestServeRefusals(t *testing.T) {
	db := tempDB(t)
	fails(t, db, 1, "cannot listen on 256.0.0.1:1", "serve", "--addr", "256.0.0.1:1")
	fails(t, db, 1, "unexpected argument", "serve", "8787")
	url, stderr := serving(t, db, "--addr", "127.0.0.1:0")
	if !strings.Contains(stderr.String(), "there is no API key yet") {
		t.Errorf("no warning about the missing key: %q", stderr)
	}
	if code, _ := get(t, url+"/openapi.json", ""); code != http.StatusOK {
		t.Errorf("/openapi.json: %d", code)
	}
}
