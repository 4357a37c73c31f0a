package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	validator "github.com/pb33f/libopenapi-validator"
)

// TestDocumentIsOpenAPI31: openapi.json is a valid OpenAPI 3.1 document,
// by libopenapi-validator's check against the 3.1 specification's schema.
func TestDocumentIsOpenAPI31(t *testing.T) {
	doc := documentModel(t)
	if v := doc.GetVersion(); v != "3.1.0" {
		t.Errorf("openapi %q, want 3.1.0", v)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, e := range verrs {
			t.Errorf("%s: %s %v", e.Message, e.Reason, e.SchemaValidationErrors)
		}
	}
}

// TestDocumentCoversRoutes: every route has its path and method in the
// document, and the document describes no route the API lacks.
func TestDocumentCoversRoutes(t *testing.T) {
	var d struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(Document, &d); err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for path, ops := range d.Paths {
		for m := range ops {
			documented[strings.ToUpper(m)+" "+path] = true
		}
	}
	served := map[string]bool{}
	for _, r := range routes() {
		served[r.method+" "+r.path] = true
		if !documented[r.method+" "+r.path] {
			t.Errorf("route %s %s is not in openapi.json", r.method, r.path)
		}
	}
	var extra []string
	for op := range documented {
		if !served[op] {
			extra = append(extra, op)
		}
	}
	sort.Strings(extra)
	for _, op := range extra {
		t.Errorf("openapi.json describes %s, which the API does not serve", op)
	}
	if len(served) != 16 {
		t.Errorf("%d routes, want 16 (the 14 of the issue: 12 under /api/v1, /openapi.json and /docs; then reconciliation and margin)", len(served))
	}
}

// TestPanicIsA500: a handler that panics answers 500 in the error shape,
// logs the panic with its stack, and the server goes on serving.
func TestPanicIsA500(t *testing.T) {
	f := newFixture(t)
	f.srv.mux = f.srv.newMux(append(routes(), route{http.MethodGet, "/boom", public, func(*Server, *call) error { panic("boom") }}))
	f.fails(t, "", http.MethodGet, "/boom", nil, http.StatusInternalServerError, "internal", "failed to answer GET /boom")
	if log := f.errLog.String(); !strings.Contains(log, "panic serving GET /boom: boom") || !strings.Contains(log, "goroutine") {
		t.Errorf("the panic was not logged with its stack:\n%s", log)
	}
	var l invoiceList
	f.get(t, f.read, Base+"/invoices", &l)
}

// TestReadsWhileWriting: reads are answered while invoices are being
// approved, closed and credited, each read seeing a whole state (every
// list is complete, never a half-written invoice).
func TestReadsWhileWriting(t *testing.T) {
	f := newFixture(t)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				var l invoiceList
				f.get(t, f.write, Base+"/invoices", &l)
				if l.Total < 6 {
					t.Errorf("a read during writes saw %d invoices", l.Total)
					return
				}
			}
		}()
	}
	for _, id := range f.drafts {
		if resp, body := f.do(t, f.write, http.MethodPost, Base+"/invoices/"+id+"/approve", nil); resp.StatusCode != http.StatusOK {
			t.Errorf("approve %s: %d %s", id, resp.StatusCode, body)
		}
		if resp, body := f.do(t, f.write, http.MethodPost, Base+"/invoices/"+id+"/credit-notes", map[string]string{"amount": "1", "reason": "test"}); resp.StatusCode != http.StatusCreated {
			t.Errorf("credit %s: %d %s", id, resp.StatusCode, body)
		}
	}
	close(stop)
	wg.Wait()
}

// TestListen: the API on a real loopback port answers, says it is on
// loopback, and stops on Close; a port already taken is an error naming
// it.
func TestListen(t *testing.T) {
	db, _, _ := sampleDB(t)
	r, err := Listen("127.0.0.1:0", New(db, func() time.Time { return testNow }, &bytes.Buffer{}))
	if err != nil {
		t.Fatal(err)
	}
	if !r.Loopback() || !strings.HasPrefix(r.URL(), "http://127.0.0.1:") {
		t.Errorf("listening on %s", r.URL())
	}
	resp, err := http.Get(r.URL() + "/openapi.json")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("%v %v", resp, err)
	}
	resp.Body.Close()
	_, err = Listen(r.Addr(), New(db, time.Now, &bytes.Buffer{}))
	if err == nil || !strings.Contains(err.Error(), "cannot listen on "+r.Addr()) {
		t.Errorf("a second server on the same port: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-r.Done(); err != nil {
		t.Errorf("serving ended with %v", err)
	}
	if _, err := net.DialTimeout("tcp", r.Addr(), time.Second); err == nil {
		t.Error("the port still accepts connections after Close")
	} else if !errors.Is(err, err) {
		t.Fatal(err)
	}
}

// TestChangedAfterWrites: the window hears of every write a request
// made (to refresh its screens), and of nothing else.
func TestChangedAfterWrites(t *testing.T) {
	f := newFixture(t)
	var n atomic.Int32
	f.srv.Changed = func() { n.Add(1) }
	var l invoiceList
	f.get(t, f.write, Base+"/invoices", &l)
	f.fails(t, f.read, http.MethodPost, Base+"/invoices/"+f.drafts[0]+"/approve", nil, http.StatusForbidden, "forbidden", "")
	f.fails(t, f.write, http.MethodPost, Base+"/invoices/"+f.issued[0]+"/approve", nil, http.StatusConflict, "refused", "")
	if got := n.Load(); got != 0 {
		t.Errorf("%d changes before any write", got)
	}
	if resp, body := f.do(t, f.write, http.MethodPost, Base+"/invoices/"+f.drafts[0]+"/approve", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if got := n.Load(); got != 1 {
		t.Errorf("%d changes after one approval", got)
	}
}
