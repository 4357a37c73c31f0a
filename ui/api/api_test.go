package api

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/invoice"
	"rebill/store"
)

// invoiceDoc is what the tests read of an invoice.
type invoiceDoc struct {
	ID           string  `json:"id"`
	Kind         string  `json:"kind"`
	Number       *string `json:"number"`
	Status       string  `json:"status"`
	StoredStatus string  `json:"stored_status"`
	CustomerID   string  `json:"customer_id"`
	Period       string  `json:"period"`
	Currency     string  `json:"currency"`
	Total        string  `json:"total"`
	PaidDate     *string `json:"paid_date"`
	Corrects     string  `json:"corrects"`
	Sections     []any   `json:"sections"`
}

type invoiceList struct {
	Items    []invoiceDoc `json:"items"`
	NextPage *int         `json:"next_page"`
	Total    int          `json:"total"`
}

// TestAPI drives every route over the sample database, validating every
// response against openapi.json; it ends by checking that every route
// answered at least once.
func TestAPI(t *testing.T) {
	f := newFixture(t)
	v1 := Base

	t.Run("no key, a wrong key, a revoked key: 401 and no data", func(t *testing.T) {
		for _, r := range routes() {
			if r.need == public {
				continue
			}
			path := strings.NewReplacer("{id}", "ACME", "{month}", "2026-09").Replace(r.path)
			f.fails(t, "", r.method, path, nil, http.StatusUnauthorized, "unauthorized", "Authorization: Bearer KEY")
		}
		f.fails(t, "rbk_"+strings.Repeat("A", 43), http.MethodGet, v1+"/invoices", nil, http.StatusUnauthorized, "unauthorized", "unknown or revoked")
		resp, _ := f.do(t, "", http.MethodGet, v1+"/customers", nil)
		if resp.Header.Get("WWW-Authenticate") == "" {
			t.Error("a 401 without WWW-Authenticate")
		}
		req, _ := http.NewRequest(http.MethodGet, f.url+v1+"/customers", nil)
		req.Header.Set("Authorization", "Basic "+f.read)
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("a Basic header: %v %v", resp.StatusCode, err)
		}
		k, secret, err := f.db.CreateAPIKey("old", "read", testNow)
		if err != nil {
			t.Fatal(err)
		}
		var list struct{ Total int }
		f.get(t, secret, v1+"/customers", &list)
		if _, err := f.db.RevokeAPIKey(k.ID, testNow); err != nil {
			t.Fatal(err)
		}
		f.fails(t, secret, http.MethodGet, v1+"/customers", nil, http.StatusUnauthorized, "unauthorized", "unknown or revoked")
	})

	t.Run("a read-only key gets 403 on writes", func(t *testing.T) {
		for _, action := range []string{"approve", "close", "void", "credit-notes"} {
			f.fails(t, f.read, http.MethodPost, v1+"/invoices/"+f.drafts[0]+"/"+action, map[string]string{"reason": "x"},
				http.StatusForbidden, "forbidden", "is read-only")
		}
		var d invoiceDoc
		f.get(t, f.write, v1+"/invoices/"+f.drafts[0], &d)
		if d.Status != "draft" {
			t.Errorf("a refused write changed the draft: %s", d.Status)
		}
	})

	t.Run("customers", func(t *testing.T) {
		var list struct {
			Items []struct {
				ID, Name, Currency string
			}
			Total int
		}
		f.get(t, f.read, v1+"/customers", &list)
		// The sample's six, in the list's order: group (Americas before
		// EMEA / Enterprise), then name (Globex Corporation, Initech LLC,
		// Umbrella Research Inc.; Acme Retail, Contoso Europe, Fabrikam).
		var ids []string
		for _, c := range list.Items {
			ids = append(ids, c.ID)
		}
		if got := strings.Join(ids, ","); list.Total != 6 || got != "GLOBEX,INITECH,UMBRELLA,ACME,CONTOSO,FABRIKAM" {
			t.Errorf("customers %s (%d)", got, list.Total)
		}
		var c struct{ ID, Name, Currency string }
		f.get(t, f.read, v1+"/customers/ACME", &c)
		if c.Name != "Acme Retail Ltd" || c.Currency != "USD" {
			t.Errorf("ACME %+v", c)
		}
		f.fails(t, f.read, http.MethodGet, v1+"/customers/NOPE", nil, http.StatusNotFound, "not_found", `no customer "NOPE"`)
	})

	t.Run("mappings", func(t *testing.T) {
		var all, acme struct {
			Items []struct{ Account, Customer, From, Until string }
			Total int
		}
		f.get(t, f.read, v1+"/mappings", &all)
		f.get(t, f.read, v1+"/mappings?customer=ACME", &acme)
		if all.Total < 6 || acme.Total == 0 || acme.Total >= all.Total {
			t.Errorf("mappings: %d in all, %d of ACME", all.Total, acme.Total)
		}
		for _, m := range acme.Items {
			if m.Customer != "ACME" || m.From != "2026-09" {
				t.Errorf("ACME's mapping %+v", m)
			}
		}
	})

	t.Run("periods", func(t *testing.T) {
		var list struct {
			Items []struct {
				Period, Provider string
				Final            bool
				Delivery         struct {
					ID    uint64
					Parts []struct{ File string }
				}
			}
			Total int
		}
		f.get(t, f.read, v1+"/periods", &list)
		if list.Total != 1 || list.Items[0].Period != "2026-09" || list.Items[0].Provider != "aws" || !list.Items[0].Final ||
			len(list.Items[0].Delivery.Parts) != 1 || list.Items[0].Delivery.Parts[0].File != "sample-2026-09.csv" {
			t.Errorf("periods %+v", list)
		}
	})

	t.Run("statement", func(t *testing.T) {
		var st struct {
			CustomerID string `json:"customer_id"`
			Period     string
			Currency   string
			Total      string
			Final      bool
			Options    struct{ Credits, Tax, Marketplace bool }
		}
		// The same options as the month's invoices: the same total as
		// ACME's issued invoice.
		f.get(t, f.read, v1+"/customers/ACME/statements/2026-09?credits=true&tax=1&marketplace=true", &st)
		inv, err := f.db.Invoices(storeFilter("2026-09", "ACME"), testNow)
		if err != nil || len(inv) != 1 {
			t.Fatal(inv, err)
		}
		if st.CustomerID != "ACME" || !st.Final || st.Currency != "USD" || st.Total != inv[0].Total.String() || !st.Options.Tax {
			t.Errorf("statement %+v, invoice total %s", st, inv[0].Total)
		}
		var bare struct{ Total string }
		f.get(t, f.read, v1+"/customers/ACME/statements/2026-09", &bare)
		if bare.Total == st.Total {
			t.Error("the statement without tax has the same total as with it")
		}
		f.fails(t, f.read, http.MethodGet, v1+"/customers/ACME/statements/2026-13", nil, http.StatusBadRequest, "bad_request", "is not a month")
		f.fails(t, f.read, http.MethodGet, v1+"/customers/ACME/statements/2026-08", nil, http.StatusNotFound, "not_found", "no billing data for 2026-08")
		f.fails(t, f.read, http.MethodGet, v1+"/customers/NOPE/statements/2026-09", nil, http.StatusNotFound, "not_found", `no customer "NOPE"`)
		f.fails(t, f.read, http.MethodGet, v1+"/customers/ACME/statements/2026-09?tax=maybe", nil, http.StatusBadRequest, "bad_request", `tax="maybe"`)
		f.fails(t, f.read, http.MethodGet, v1+"/customers/ACME/statements/2026-09?basis=cheap", nil, http.StatusBadRequest, "bad_request", `basis "cheap"`)
		// A month is read once and reused while nothing changes; a change
		// shows at once.
		acme, err := f.db.Customer("ACME")
		if err != nil {
			t.Fatal(err)
		}
		acme.Adjustment = acme.Adjustment.Sub(decimal.NewFromInt(10))
		if err := f.db.PutCustomer(acme, testNow); err != nil {
			t.Fatal(err)
		}
		var after struct{ Total string }
		f.get(t, f.read, v1+"/customers/ACME/statements/2026-09", &after)
		if after.Total == bare.Total {
			t.Errorf("the statement after a 10%% discount more is still %s", after.Total)
		}
		if n := len(mustInvoices(t, f)); n != 6 {
			t.Errorf("a statement created an invoice: %d documents", n)
		}
	})

	t.Run("reconciliation and margin", func(t *testing.T) { testReconcileAndMargin(t, f) })

	t.Run("drafts are never returned to a read-only key", func(t *testing.T) {
		var ro, rw invoiceList
		f.get(t, f.read, v1+"/invoices", &ro)
		f.get(t, f.write, v1+"/invoices", &rw)
		if ro.Total != 3 || len(ro.Items) != 3 || rw.Total != 6 {
			t.Fatalf("read-only sees %d (total %d), read-write %d", len(ro.Items), ro.Total, rw.Total)
		}
		for _, d := range ro.Items {
			if d.Status == "draft" || d.Number == nil {
				t.Errorf("read-only key sees %+v", d)
			}
			if d.Sections != nil {
				t.Errorf("a list item carries its sections")
			}
		}
		f.get(t, f.read, v1+"/invoices?status=draft", &ro)
		if ro.Total != 0 || len(ro.Items) != 0 || ro.NextPage != nil {
			t.Errorf("read-only key's drafts: %+v", ro)
		}
		for _, path := range []string{"/invoices/" + f.drafts[0], "/invoices/" + f.drafts[0] + "/document?format=pdf"} {
			f.fails(t, f.read, http.MethodGet, v1+path, nil, http.StatusNotFound, "not_found", "there is no invoice")
		}
		var d invoiceDoc
		f.get(t, f.write, v1+"/invoices/"+f.drafts[0], &d)
		if d.Status != "draft" || d.Number != nil || len(d.Sections) == 0 {
			t.Errorf("read-write key's draft %+v", d)
		}
	})

	t.Run("a list item is the document without its sections", func(t *testing.T) {
		// Every field a list item prints is the document's, as GET of the
		// one invoice prints it: a list built from the stored listings
		// printed zeros for what they do not hold (the tax lines, the
		// discount percentage, the generation time).
		var raw struct {
			Items []map[string]json.RawMessage `json:"items"`
		}
		f.get(t, f.write, v1+"/invoices", &raw)
		if len(raw.Items) == 0 {
			t.Fatal("no invoices listed")
		}
		for _, item := range raw.Items {
			var id string
			json.Unmarshal(item["id"], &id)
			var doc map[string]json.RawMessage
			f.get(t, f.write, v1+"/invoices/"+id, &doc)
			delete(doc, "sections")
			for k, want := range doc {
				if k == "seller" {
					continue // printed without its logo in a list
				}
				if got := item[k]; string(got) != string(want) {
					t.Errorf("invoice %s: list item's %s is %s, the document's %s", id, k, got, want)
				}
			}
		}
	})

	t.Run("invoice filters", func(t *testing.T) {
		cases := []struct {
			name, query string
			want        int
		}{
			{"month", "?period=2026-09", 6},
			{"another month", "?period=2026-08", 0},
			{"customer", "?customer=ACME", 1},
			{"open", "?status=open", 3},
			{"past-due spelt with a hyphen", "?status=past-due", 0},
			{"credit notes", "?kind=credit_note&period=2026-09", 0},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				var l invoiceList
				f.get(t, f.write, v1+"/invoices"+tc.query, &l)
				if l.Total != tc.want || len(l.Items) != tc.want {
					t.Errorf("%s: %d items, total %d; want %d", tc.query, len(l.Items), l.Total, tc.want)
				}
			})
		}
		for _, q := range []string{"?period=2026-13", "?status=paid", "?kind=receipt", "?page=0", "?page=x", "?per_page=0", "?per_page=501"} {
			f.fails(t, f.write, http.MethodGet, v1+"/invoices"+q, nil, http.StatusBadRequest, "bad_request", "")
		}
		// A misspelt filter is refused, naming what the route takes: it
		// was ignored, and every invoice came back as if filtered.
		f.fails(t, f.write, http.MethodGet, v1+"/invoices?stauts=open", nil, http.StatusBadRequest, "bad_request",
			`unknown query parameter "stauts": GET /api/v1/invoices takes period, status, customer, kind, page, per_page`)
		f.fails(t, f.read, http.MethodGet, v1+"/invoices/INV-1?format=pdf", nil, http.StatusBadRequest, "bad_request",
			`unknown query parameter "format": GET /api/v1/invoices/{id} takes none`)
	})

	t.Run("pagination", func(t *testing.T) {
		var p1, p2, p3 invoiceList
		f.get(t, f.write, v1+"/invoices?per_page=4", &p1)
		f.get(t, f.write, v1+"/invoices?per_page=4&page=2", &p2)
		f.get(t, f.write, v1+"/invoices?per_page=4&page=3", &p3)
		if len(p1.Items) != 4 || p1.NextPage == nil || *p1.NextPage != 2 || p1.Total != 6 {
			t.Errorf("page 1: %d items, next %v, total %d", len(p1.Items), p1.NextPage, p1.Total)
		}
		if len(p2.Items) != 2 || p2.NextPage != nil || len(p3.Items) != 0 || p3.NextPage != nil {
			t.Errorf("page 2: %d items next %v; page 3: %d items", len(p2.Items), p2.NextPage, len(p3.Items))
		}
		seen := map[string]bool{}
		for _, d := range append(p1.Items, p2.Items...) {
			seen[d.ID] = true
		}
		if len(seen) != 6 {
			t.Errorf("the pages hold %d different invoices, want 6", len(seen))
		}
	})

	t.Run("documents", func(t *testing.T) {
		id := f.issued[0]
		before := auditExports(t, f)
		for _, tc := range []struct {
			format, contentType, file string
			check                     func([]byte) error
		}{
			{"pdf", "application/pdf", "NCP-2026-00001.pdf", func(b []byte) error { return prefixed(b, "%PDF-") }},
			{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "NCP-2026-00001.xlsx", isZip},
			{"csv", "text/csv; charset=utf-8", "NCP-2026-00001.csv", isCSV},
			{"detail-csv", "text/csv; charset=utf-8", "NCP-2026-00001-detail.csv", isCSV},
			{"PDF", "application/pdf", "NCP-2026-00001.pdf", func(b []byte) error { return prefixed(b, "%PDF-") }},
		} {
			t.Run(tc.format, func(t *testing.T) {
				resp, body := f.do(t, f.read, http.MethodGet, v1+"/invoices/"+id+"/document?format="+tc.format, nil)
				if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != tc.contentType {
					t.Fatalf("%d %s %.200s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
				}
				if err := tc.check(body); err != nil {
					t.Error(err)
				}
				if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="`+tc.file+`"` {
					t.Errorf("Content-Disposition %q", cd)
				}
				sum := sha256.Sum256(body)
				if resp.Header.Get("X-Content-SHA256") != hex.EncodeToString(sum[:]) {
					t.Error("X-Content-SHA256 is not the body's hash")
				}
			})
		}
		if got := auditExports(t, f) - before; got != 5 {
			t.Errorf("%d exports recorded in the audit log, want 5", got)
		}
		f.fails(t, f.read, http.MethodGet, v1+"/invoices/"+id+"/document?format=doc", nil, http.StatusBadRequest, "bad_request", `format "doc"`)
		f.fails(t, f.read, http.MethodGet, v1+"/invoices/"+id+"/document", nil, http.StatusBadRequest, "bad_request", "is not one of pdf")
		f.fails(t, f.read, http.MethodGet, v1+"/invoices/999/document?format=pdf", nil, http.StatusNotFound, "not_found", "no invoice")
	})

	t.Run("approve turns a draft Open with the next number", func(t *testing.T) {
		resp, body := f.do(t, f.write, http.MethodPost, v1+"/invoices/"+f.drafts[0]+"/approve", nil)
		var d invoiceDoc
		if err := json.Unmarshal(body, &d); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		// Three invoices were issued before (NCP-2026-00001..3).
		if d.Status != "open" || d.Number == nil || *d.Number != "NCP-2026-00004" || d.ID != f.drafts[0] {
			t.Errorf("approved %+v", d)
		}
		var ro invoiceDoc
		f.get(t, f.read, v1+"/invoices/"+f.drafts[0], &ro) // now visible to the read-only key
		f.fails(t, f.write, http.MethodPost, v1+"/invoices/"+f.drafts[0]+"/approve", nil, http.StatusConflict, "refused", "")
		f.fails(t, f.write, http.MethodPost, v1+"/invoices/999/approve", nil, http.StatusNotFound, "not_found", `no invoice "999"`)
		f.fails(t, f.write, http.MethodPost, v1+"/invoices/"+f.drafts[1]+"/approve", `{"force": true}`, http.StatusBadRequest, "bad_request", "unknown field")
	})

	t.Run("close", func(t *testing.T) {
		path := v1 + "/invoices/" + f.issued[0] + "/close"
		f.fails(t, f.write, http.MethodPost, path, map[string]string{}, http.StatusBadRequest, "bad_request", "paid_on is required")
		f.fails(t, f.write, http.MethodPost, path, map[string]string{"paid_on": "2026-10-32"}, http.StatusBadRequest, "bad_request", "paid_on")
		f.fails(t, f.write, http.MethodPost, path, `{"paid_on": `, http.StatusBadRequest, "bad_request", "not the JSON object expected")
		f.fails(t, f.write, http.MethodPost, path, map[string]string{"paid_on": "2026-10-06"}, http.StatusConflict, "refused", "cannot have been received on 2026-10-06, after today (2026-10-05)")
		resp, body := f.do(t, f.write, http.MethodPost, path, map[string]string{"paid_on": "2026-10-05", "reference": "WIRE-1"})
		var d invoiceDoc
		if err := json.Unmarshal(body, &d); err != nil || resp.StatusCode != http.StatusOK || d.Status != "closed" || d.PaidDate == nil || *d.PaidDate != "2026-10-05" {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		f.fails(t, f.write, http.MethodPost, path, map[string]string{"paid_on": "2026-10-21"}, http.StatusConflict, "conflict", "")
		f.fails(t, f.write, http.MethodPost, v1+"/invoices/"+f.drafts[1]+"/close", map[string]string{"paid_on": "2026-10-21"}, http.StatusConflict, "conflict", "")
	})

	t.Run("void", func(t *testing.T) {
		path := v1 + "/invoices/" + f.issued[1] + "/void"
		f.fails(t, f.write, http.MethodPost, path, map[string]string{"reason": " "}, http.StatusBadRequest, "bad_request", "reason is required")
		resp, body := f.do(t, f.write, http.MethodPost, path, map[string]string{"reason": "billed to the wrong entity"})
		var d invoiceDoc
		if err := json.Unmarshal(body, &d); err != nil || resp.StatusCode != http.StatusOK || d.Status != "void" || d.Number == nil || *d.Number != "NCP-2026-00002" {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		f.fails(t, f.write, http.MethodPost, path, map[string]string{"reason": "again"}, http.StatusConflict, "conflict", "")
	})

	t.Run("credit note", func(t *testing.T) {
		// UMBRELLA's invoice (NCP-2026-00003) is paid by its credit:
		// nothing to credit. GLOBEX's (NCP-2026-00001) is closed by now,
		// and a closed invoice may still be credited.
		f.fails(t, f.write, http.MethodPost, v1+"/invoices/"+f.issued[2]+"/credit-notes", map[string]string{"reason": "x"}, http.StatusConflict, "refused", "nothing left to credit")
		path := v1 + "/invoices/" + f.issued[0] + "/credit-notes"
		f.fails(t, f.write, http.MethodPost, path, map[string]string{"amount": "10"}, http.StatusBadRequest, "bad_request", "reason is required")
		f.fails(t, f.write, http.MethodPost, path, map[string]string{"amount": "-5", "reason": "x"}, http.StatusBadRequest, "bad_request", "not a positive amount")
		f.fails(t, f.write, http.MethodPost, path, map[string]string{"amount": "1000000000", "reason": "x"}, http.StatusConflict, "refused", "")
		resp, body := f.do(t, f.write, http.MethodPost, path, map[string]string{"amount": "10.00", "reason": "goodwill"})
		var n invoiceDoc
		if err := json.Unmarshal(body, &n); err != nil || resp.StatusCode != http.StatusCreated {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		if n.Kind != "credit_note" || n.Number == nil || *n.Number != "CN-2026-00001" || n.Total != "-10.00" || n.Corrects != f.issued[0] || n.Status != "open" {
			t.Errorf("credit note %+v", n)
		}
		f.fails(t, f.write, http.MethodPost, v1+"/invoices/"+f.drafts[1]+"/credit-notes", map[string]string{"reason": "x"}, http.StatusConflict, "conflict", "")
	})

	t.Run("errors share one shape", func(t *testing.T) {
		f.fails(t, f.read, http.MethodGet, "/api/v2/invoices", nil, http.StatusNotFound, "not_found", "listed at /docs")
		if _, body := f.do(t, "", http.MethodGet, v1+"/customers", nil); !bytes.Contains(body, []byte("Settings > Billing API")) {
			t.Errorf("messages are HTML-escaped: %s", body)
		}
		f.fails(t, f.read, http.MethodGet, v1+"/invoice", nil, http.StatusNotFound, "not_found", "")
		f.fails(t, f.write, http.MethodDelete, v1+"/invoices/"+f.drafts[1], nil, http.StatusMethodNotAllowed, "method_not_allowed", "use GET")
		f.fails(t, f.write, http.MethodGet, v1+"/invoices/"+f.drafts[1]+"/approve", nil, http.StatusMethodNotAllowed, "method_not_allowed", "use POST")
		big := `{"reason": "` + strings.Repeat("x", MaxBodyBytes) + `"}`
		f.fails(t, f.write, http.MethodPost, v1+"/invoices/"+f.issued[2]+"/void", big, http.StatusRequestEntityTooLarge, "too_large", "larger than 65536 bytes")
		var d invoiceDoc
		f.get(t, f.write, v1+"/invoices/"+f.issued[2], &d)
		if d.Status != "open" {
			t.Errorf("a refused oversized request changed the invoice: %s", d.Status)
		}
	})

	t.Run("the description needs no key", func(t *testing.T) {
		resp, body := f.do(t, "", http.MethodGet, "/openapi.json", nil)
		if resp.StatusCode != http.StatusOK || !bytes.Equal(body, Document) {
			t.Errorf("/openapi.json: %d", resp.StatusCode)
		}
		resp, body = f.do(t, "", http.MethodGet, "/docs", nil)
		page := string(body)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("/docs: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		// Offline: nothing is fetched from elsewhere.
		for _, external := range []string{"://", "<script", "<link", "@import", "src="} {
			if strings.Contains(page, external) {
				t.Errorf("/docs holds %q", external)
			}
		}
		for _, r := range routes() {
			if !strings.Contains(page, ">"+r.method+"</span><span class=\"path\">"+r.path+"</span>") {
				t.Errorf("/docs does not show %s %s", r.method, r.path)
			}
		}
	})

	if t.Failed() {
		return
	}
	for _, r := range routes() {
		if !f.checker.answers[r.method+" "+r.path] {
			t.Errorf("no response of %s %s was validated against openapi.json", r.method, r.path)
		}
	}
	if log := f.errLog.String(); log != "" {
		t.Errorf("the server logged:\n%s", log)
	}
}

func prefixed(b []byte, p string) error {
	if !bytes.HasPrefix(b, []byte(p)) {
		return errorf(0, "", "the document starts with %q, not %q", b[:min(len(b), 8)], p)
	}
	return nil
}

func isZip(b []byte) error {
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return err
	}
	for _, f := range z.File {
		if f.Name == "xl/workbook.xml" {
			return nil
		}
	}
	return errorf(0, "", "the zip holds no xl/workbook.xml")
}

func isCSV(b []byte) error {
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err == nil && len(rows) < 2 {
		return errorf(0, "", "the CSV has %d rows", len(rows))
	}
	return err
}

func auditExports(t *testing.T, f *fixture) int {
	t.Helper()
	log, err := f.db.AuditLog()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range log {
		if e.Action == invoice.ActionExport {
			n++
		}
	}
	return n
}

func mustInvoices(t *testing.T, f *fixture) []invoice.Invoice {
	t.Helper()
	invs, err := f.db.Invoices(storeFilter("", ""), testNow)
	if err != nil {
		t.Fatal(err)
	}
	return invs
}

func storeFilter(period, customer string) store.InvoiceFilter {
	return store.InvoiceFilter{Period: period, Customer: customer}
}

// TestInvoiceSettlement: an Open invoice read in full says what was
// credited and paid on it and the balance, as its documents print them
// (and the schema describes it); a list gives the balance only, and an
// invoice on which nothing was says nothing.
func TestInvoiceSettlement(t *testing.T) {
	f, v1 := newFixture(t), Base
	path := v1 + "/invoices/" + f.issued[0]
	var before struct {
		Total      string          `json:"total"`
		Settlement json.RawMessage `json:"settlement"`
	}
	f.get(t, f.read, path, &before)
	if before.Settlement != nil {
		t.Errorf("nothing credited or paid yet, but %s", before.Settlement)
	}
	if resp, body := f.do(t, f.write, http.MethodPost, path+"/credit-notes", map[string]string{"amount": "10.00", "reason": "goodwill"}); resp.StatusCode != http.StatusCreated {
		t.Fatalf("credit note: %d %s", resp.StatusCode, body)
	}
	pay := store.PaymentRequest{Invoice: f.issued[0], PaymentRequest: invoice.PaymentRequest{Date: invoice.NewDate(2026, 10, 5), Amount: decimal.RequireFromString("5"), Reference: "BANK-9", Now: testNow}}
	if _, err := f.db.RecordPayment(pay); err != nil {
		t.Fatal(err)
	}
	var after struct {
		Total      string `json:"total"`
		Settlement struct {
			Entries []struct {
				Date      string `json:"date"`
				Document  string `json:"document"`
				Reference string `json:"reference"`
				Amount    string `json:"amount"`
			} `json:"entries"`
			Balance string `json:"balance"`
		} `json:"settlement"`
	}
	f.get(t, f.read, path, &after)
	e := after.Settlement.Entries
	want := decimal.RequireFromString(before.Total).Sub(decimal.RequireFromString("15")).StringFixed(2)
	if len(e) != 2 || e[0].Document != "CN-2026-00001" || e[0].Amount != "-10.00" || e[0].Date != "2026-10-05" ||
		e[1].Document != "" || e[1].Reference != "BANK-9" || e[1].Amount != "-5.00" || after.Settlement.Balance != want {
		t.Errorf("settlement %+v, want the credit note of -10.00, the payment of -5.00 and a balance of %s - 15 = %s", after.Settlement, before.Total, want)
	}
	_, body := f.do(t, f.read, http.MethodGet, v1+"/invoices?period=2026-09", nil)
	if bytes.Contains(body, []byte(`"settlement"`)) {
		t.Errorf("a list carries settlements: %s", body)
	}
	// A list says what is still owed on each Open invoice: the same
	// balance, and the whole total where nothing was credited or paid.
	var list struct {
		Items []struct {
			ID      string  `json:"id"`
			Kind    string  `json:"kind"`
			Status  string  `json:"status"`
			Total   string  `json:"total"`
			Balance *string `json:"balance"`
		} `json:"items"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, it := range list.Items {
		switch {
		case it.ID == f.issued[0]:
			seen++
			if it.Balance == nil || *it.Balance != want {
				t.Errorf("the list's balance of %s is %v, want %s", it.ID, it.Balance, want)
			}
		case it.Kind == "invoice" && (it.Status == "open" || it.Status == "past_due"):
			if it.Balance == nil || *it.Balance != it.Total {
				t.Errorf("the list's balance of %s is %v, want its total %s", it.ID, it.Balance, it.Total)
			}
		case it.Balance != nil:
			t.Errorf("%s %s %s has a balance %s in the list", it.Status, it.Kind, it.ID, *it.Balance)
		}
	}
	if seen != 1 {
		t.Errorf("the list of 2026-09 has %d of invoice %s: %s", seen, f.issued[0], body)
	}
}
