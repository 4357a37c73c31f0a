package invoice_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"rebill/engine/invoice"
)

// TestJSONFields checks the fields `rebill invoices show --json` promises
// (issue 5, point 8): number null for drafts, amounts as decimal strings.
func TestJSONFields(t *testing.T) {
	d := draft(t, "17")
	for _, tc := range []struct {
		name   string
		inv    invoice.Invoice
		number any
		issue  any
	}{
		{"draft", d, nil, nil},
		{"open", issued(t, d), "INV-2026-00001", "2026-10-05"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var m map[string]any
			if err := json.Unmarshal(mustJSON(t, tc.inv), &m); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"id", "number", "customer_id", "period", "status", "currency", "sections", "subtotal",
				"discount", "support", "marketplace", "credits_applied", "tax", "total", "issue_date", "due_date"} {
				if _, ok := m[k]; !ok {
					t.Errorf("no %q", k)
				}
			}
			if m["number"] != tc.number || m["issue_date"] != tc.issue {
				t.Errorf("number %v issue_date %v", m["number"], m["issue_date"])
			}
			for _, k := range []string{"subtotal", "discount", "support", "marketplace", "credits_applied", "tax", "total"} {
				if _, ok := m[k].(string); !ok {
					t.Errorf("%s is %T, not a decimal string", k, m[k])
				}
			}
			sec := m["sections"].([]any)[0].(map[string]any)
			line := sec["lines"].([]any)[0].(map[string]any)
			if sec["product_type"] != "Compute" || sec["subtotal"] != "1234.57" || line["service"] != "AmazonEC2" || line["amount"] != "1234.57" {
				t.Errorf("section %v", sec)
			}
			if m["id"] != "17" || m["customer_id"] != "ACME" || m["period"] != "2026-09" || m["status"] != string(tc.inv.Status) || m["total"] != "1579.60" {
				t.Errorf("fields %v", m)
			}
		})
	}
}

// TestJSONRoundTrip: a stored invoice, logo included, reads back as it was
// written, with every figure in its currency again.
func TestJSONRoundTrip(t *testing.T) {
	inv := issued(t, draft(t, "17"))
	inv.Seller.Logo, inv.Seller.LogoType = []byte("\x89PNG\r\n\x1a\nnot really"), "image/png"
	b := mustJSON(t, inv)
	var back invoice.Invoice
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if again := mustJSON(t, back); !bytes.Equal(b, again) {
		t.Errorf("round trip changed the invoice:\n%s\n%s", b, again)
	}
	if back.Total.Currency() != "USD" || back.Sections[0].Lines[0].Amount.Currency() != "USD" {
		t.Errorf("figures read back without their currency")
	}
	if !bytes.Equal(back.Seller.Logo, inv.Seller.Logo) {
		t.Error("the logo was not kept")
	}
}

func TestJSONRefusesDamage(t *testing.T) {
	good := string(mustJSON(t, issued(t, draft(t, "17"))))
	for _, tc := range []struct{ name, from, to, want string }{
		{"total edited", `"total":"1579.60"`, `"total":"1479.60"`, "is not subtotal + discount + credits + tax"},
		{"line edited", `"amount":"10.01"`, `"amount":"9.01"`, "Storage subtotal 10.01 is not the sum of its lines"},
		{"sub-cent", `"discount":"-74.73"`, `"discount":"-74.731"`, "more decimals than USD allows"},
		{"newer version", `"version":1`, `"version":2`, "written by a newer Rebill"},
		{"bad currency", `"currency":"USD"`, `"currency":"US$"`, "not an ISO 4217 code"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := strings.Replace(good, tc.from, tc.to, 1)
			if bad == good {
				t.Fatalf("%s not in %s", tc.from, good)
			}
			var inv invoice.Invoice
			if err := json.Unmarshal([]byte(bad), &inv); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}

// TestJSONAt: the faces' JSON gives the status as of the day asked
// (Past Due derived from the due date) with the stored one beside it, and
// a summary leaves out the sections and the logo.
func TestJSONAt(t *testing.T) {
	inv := issued(t, draft(t, "17")) // issued 2026-10-05, due 30 days later: 2026-11-04
	inv.Seller.Logo = []byte("logo")
	cases := []struct {
		name     string
		now      time.Time
		summary  bool
		status   string
		sections bool
	}{
		{"on the due date", time.Date(2026, 11, 4, 23, 0, 0, 0, time.UTC), false, "open", true},
		{"the day after", time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC), false, "past_due", true},
		{"summary", time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC), true, "past_due", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := inv.JSONAt(tc.now, tc.summary)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(raw, &m); err != nil {
				t.Fatal(err)
			}
			_, hasSections := m["sections"]
			_, hasLogo := m["seller"].(map[string]any)["logo"]
			if m["status"] != tc.status || m["stored_status"] != "open" || hasSections != tc.sections || hasLogo == tc.summary {
				t.Errorf("status %v stored %v sections %v logo %v", m["status"], m["stored_status"], hasSections, hasLogo)
			}
		})
	}
}
