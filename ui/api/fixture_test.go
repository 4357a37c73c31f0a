package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	"github.com/pb33f/libopenapi/datamodel/high/base"

	"rebill/engine/access"
	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/ingest"
	"rebill/engine/sample"
	"rebill/store"
)

// testNow is the day every request of a test is served at: the sample's
// September 2026 is final and its invoices are issued in October.
var testNow = time.Date(2026, 10, 5, 9, 30, 0, 0, time.UTC)

// fixture is a database with the sample reseller, its six customers and
// September 2026 imported, every customer's draft generated and the
// first three (in numbering order) approved; a read-only and a
// read-write key; and the API served over it.
type fixture struct {
	db      *store.DB
	srv     *Server
	url     string
	read    string // a read-only key
	write   string // a read-write key
	drafts  []string
	issued  []string // ids of the Open invoices, NCP-2026-00001..3
	errLog  *syncBuffer
	checker *checker
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// sampleDB builds the fixture's database.
func sampleDB(t testing.TB) (db *store.DB, drafts, issued []string) {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "rebill.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.ApplySetup(sample.CustomerSetup("2026-09"), time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	importSample(t, db, "sample-2026-09.csv", sample.Options{Seed: 1, Final: true})
	rep, err := db.GenerateInvoices(store.GenerateRequest{Period: "2026-09", Selection: customer.Selection{All: true}, Now: testNow,
		Options: billing.Options{Credits: true, Tax: true, Marketplace: true}})
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, g := range rep.Results {
		if g.Invoice == nil {
			t.Fatalf("no draft for %s: %s %s", g.CustomerID, g.Outcome, g.Reason)
		}
		all = append(all, g.Invoice.ID)
	}
	if len(all) != 6 {
		t.Fatalf("%d drafts, want 6", len(all))
	}
	as, err := db.ApproveInvoices(all[:3], testNow)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		if a.Invoice == nil {
			t.Fatalf("approving %s: %s", a.ID, a.Refused)
		}
	}
	return db, all[3:], all[:3]
}

// importSample writes a sample CUR of opt as name and imports it.
func importSample(t testing.TB, db *store.DB, name string, opt sample.Options) {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	if _, err := sample.WriteCSV(w, opt); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := ingest.File(context.Background(), p, db, ingest.Options{Now: testNow}); err != nil {
		t.Fatal(err)
	}
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db, drafts, issued := sampleDB(t)
	_, read, err := db.CreateAPIKey("portal", access.Read, testNow)
	if err != nil {
		t.Fatal(err)
	}
	_, write, err := db.CreateAPIKey("accounting", access.ReadWrite, testNow)
	if err != nil {
		t.Fatal(err)
	}
	errLog := &syncBuffer{}
	s := New(db, func() time.Time { return testNow }, errLog)
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return &fixture{db: db, srv: s, url: hs.URL, read: read, write: write, drafts: drafts, issued: issued, errLog: errLog, checker: newChecker(t)}
}

// checker validates every response a test receives against Document,
// with libopenapi-validator, and counts which routes answered.
type checker struct {
	v validator.Validator
	// errorSchema checks the bodies of paths the document does not
	// describe (an unknown path, a method a path does not take): they
	// must still be the Error schema.
	errorSchema *base.Schema
	schemas     schema_validation.SchemaValidator
	mu          sync.Mutex
	answers     map[string]bool // "GET /api/v1/invoices/{id}" -> answered
	routes      *http.ServeMux
}

// documentModel loads Document with libopenapi.
func documentModel(t testing.TB) libopenapi.Document {
	t.Helper()
	doc, err := libopenapi.NewDocument(Document)
	if err != nil {
		t.Fatalf("openapi.json does not load: %v", err)
	}
	return doc
}

func newChecker(t testing.TB) *checker {
	doc := documentModel(t)
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("openapi.json does not build: %v", errs)
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		t.Fatal(err)
	}
	c := &checker{v: v, answers: map[string]bool{}, routes: http.NewServeMux(),
		errorSchema: model.Model.Components.Schemas.GetOrZero("Error").Schema(), schemas: schema_validation.NewSchemaValidator()}
	for _, r := range routes() {
		c.routes.Handle(r.method+" "+r.path, http.NotFoundHandler())
	}
	return c
}

// check validates one response (its status and body) against the
// document; the response's body is read and replaced.
func (c *checker) check(t testing.TB, req *http.Request, resp *http.Response) []byte {
	t.Helper()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	_, pattern := c.routes.Handler(req)
	if pattern == "" && resp.StatusCode >= 400 {
		if ok, errs := c.schemas.ValidateSchemaBytes(c.errorSchema, body); !ok {
			for _, e := range errs {
				t.Errorf("%s %s -> %d is not an Error: %s %s", req.Method, req.URL.Path, resp.StatusCode, e.Message, e.Reason)
			}
		}
		return body
	}
	if ok, errs := c.v.ValidateHttpResponse(req, resp); !ok {
		for _, e := range errs {
			t.Errorf("%s %s -> %d does not match openapi.json: %s %s %v", req.Method, req.URL.Path, resp.StatusCode, e.Message, e.Reason, e.SchemaValidationErrors)
		}
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if pattern != "" {
		c.mu.Lock()
		c.answers[pattern] = true
		c.mu.Unlock()
	}
	return body
}

// do sends a request with a key ("" for none) and a JSON body (nil for
// none), checks the response against the document and returns it with
// its body.
func (f *fixture) do(t testing.TB, key, method, path string, body any) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		if s, ok := body.(string); ok {
			rd = strings.NewReader(s)
		} else {
			b, err := json.Marshal(body)
			if err != nil {
				t.Fatal(err)
			}
			rd = bytes.NewReader(b)
		}
	}
	req, err := http.NewRequest(method, f.url+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp, f.checker.check(t, req, resp)
}

// get sends a GET that must answer 200 and decodes its JSON into v.
func (f *fixture) get(t testing.TB, key, path string, v any) {
	t.Helper()
	resp, body := f.do(t, key, http.MethodGet, path, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v\n%s", path, err, body)
	}
}

// apiErr is the error body.
type apiErr struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// fails sends a request that must be refused with status and code, in
// the one error shape, its message containing want.
func (f *fixture) fails(t testing.TB, key, method, path string, body any, status int, code, want string) {
	t.Helper()
	resp, raw := f.do(t, key, method, path, body)
	var e apiErr
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil || resp.StatusCode != status || e.Error.Code != code || !strings.Contains(e.Error.Message, want) {
		t.Errorf("%s %s: %d %s; want %d %s %q", method, path, resp.StatusCode, raw, status, code, want)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s %s: error content type %q", method, path, ct)
	}
}
