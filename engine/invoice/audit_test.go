package invoice_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"rebill/engine/invoice"
)

// chain builds a log of n entries as the store would: generate, approve,
// export, close of one invoice, then more exports.
func chain(t *testing.T, n int) []invoice.Entry {
	t.Helper()
	d := draft(t, "17")
	o := issued(t, d)
	states := [][2][]byte{{nil, mustJSON(t, d)}, {mustJSON(t, d), mustJSON(t, o)}}
	actions := []invoice.Action{invoice.ActionGenerate, invoice.ActionApprove}
	var out []invoice.Entry
	head := invoice.Head{}
	for i := 0; i < n; i++ {
		a, st := invoice.ActionExport, [2][]byte{mustJSON(t, o), mustJSON(t, o)}
		if i < len(actions) {
			a, st = actions[i], states[i]
		}
		e, err := invoice.NewEntry(head, now.Add(time.Duration(i)*time.Minute), a, "17", st[0], st[1])
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
		head = e.Head()
	}
	return out
}

func TestAuditChain(t *testing.T) {
	log := chain(t, 6)
	if err := invoice.Verify(log); err != nil {
		t.Fatal(err)
	}
	if log[0].Seq != 1 || log[0].Prev != "" || log[1].Prev != log[0].Hash || string(log[0].Before) != "null" {
		t.Errorf("chain start: %+v", log[0])
	}
	// The store encodes and decodes entries; they still verify, with the
	// time in another zone and the JSON re-indented on the way.
	b, err := json.MarshalIndent(log, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	var back []invoice.Entry
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	back[2].Time = back[2].Time.In(time.FixedZone("CEST", 2*3600))
	if err := invoice.Verify(back); err != nil {
		t.Errorf("after a JSON round trip: %v", err)
	}
	if err := invoice.VerifyHead(back, log[5].Head()); err != nil {
		t.Errorf("head: %v", err)
	}

	for _, tc := range []struct {
		name   string
		change func([]invoice.Entry) []invoice.Entry
		head   bool
		seq    uint64
		want   string
	}{
		{"after edited", func(l []invoice.Entry) []invoice.Entry {
			l[3].After = json.RawMessage(strings.Replace(string(l[3].After), `"total":"1579.60"`, `"total":"1.00"`, 1))
			return l
		}, false, 4, "was altered"},
		{"action edited", func(l []invoice.Entry) []invoice.Entry { l[1].Action = invoice.ActionDelete; return l }, false, 2, "was altered"},
		{"time edited", func(l []invoice.Entry) []invoice.Entry { l[4].Time = l[4].Time.Add(time.Second); return l }, false, 5, "was altered"},
		{"edited and re-hashed", func(l []invoice.Entry) []invoice.Entry {
			e, _ := invoice.NewEntry(invoice.Head{Seq: 2, Hash: l[1].Hash}, l[2].Time, invoice.ActionVoid, "17", l[2].Before, l[2].After)
			l[2] = e
			return l
		}, false, 4, "does not link to entry 3"},
		{"removed", func(l []invoice.Entry) []invoice.Entry { return slices.Delete(l, 2, 3) }, false, 3, "is missing: entry 4 follows entry 2"},
		{"first removed", func(l []invoice.Entry) []invoice.Entry { return l[1:] }, false, 1, "is missing"},
		{"reordered", func(l []invoice.Entry) []invoice.Entry { l[2], l[3] = l[3], l[2]; return l }, false, 3, "is missing: entry 4 follows entry 2"},
		{"renumbered after a removal", func(l []invoice.Entry) []invoice.Entry {
			l = slices.Delete(l, 2, 3)
			for i := 2; i < len(l); i++ {
				l[i].Seq--
			}
			return l
		}, false, 3, "was altered"},
		{"last removed", func(l []invoice.Entry) []invoice.Entry { return l[:5] }, true, 6, "is missing: the log ends at entry 5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := tc.change(chain(t, 6))
			var err error
			if tc.head {
				if err = invoice.Verify(l); err != nil {
					t.Fatalf("a shorter chain is valid on its own: %v", err)
				}
				err = invoice.VerifyHead(l, log[5].Head())
			} else {
				err = invoice.Verify(l)
			}
			var ce *invoice.ChainError
			if !errors.As(err, &ce) || ce.Seq != tc.seq || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want entry %d %q", err, tc.seq, tc.want)
			}
		})
	}
}

func TestNewEntryRefusesBadJSON(t *testing.T) {
	if _, err := invoice.NewEntry(invoice.Head{}, now, invoice.ActionApprove, "17", []byte("{"), nil); err == nil {
		t.Error("accepted broken JSON")
	}
}

// TestVerifierStreams: entries added one at a time give the verdict of
// VerifyHead over the whole log, and the first problem sticks.
func TestVerifierStreams(t *testing.T) {
	log := chain(t, 4)
	altered := slices.Clone(log)
	altered[1].Action = invoice.ActionVoid
	tests := []struct {
		name    string
		entries []invoice.Entry
		head    invoice.Head
		want    string
	}{
		{"intact", log, log[3].Head(), ""},
		{"cut short", log[:3], log[3].Head(), "audit log entry 4 is missing"},
		{"altered, and later entries still added", altered, log[3].Head(), "audit log entry 2 was altered"},
		{"empty", nil, invoice.Head{}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var v invoice.Verifier
			for _, e := range tc.entries {
				v.Add(e)
			}
			got, whole := "", ""
			if err := v.End(tc.head); err != nil {
				got = err.Error()
			}
			if err := invoice.VerifyHead(tc.entries, tc.head); err != nil {
				whole = err.Error()
			}
			if !strings.HasPrefix(got, tc.want) || (tc.want == "") != (got == "") || got != whole {
				t.Errorf("streamed %q, whole log %q, want %q", got, whole, tc.want)
			}
		})
	}
}
