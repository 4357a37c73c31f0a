package customer

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// ledger: three grants of ACME in USD.
//
//	1: 100, expires 2024-06, 30 already used  -> 70 left
//	2:  50, never expires                      -> 50 left
//	3:  20, expires 2024-03                    -> 20 left
var (
	grants = []Grant{
		{ID: 1, Customer: "ACME", Amount: dec("100"), Currency: "USD", Reason: "goodwill", Expires: "2024-06"},
		{ID: 2, Customer: "ACME", Amount: dec("50"), Currency: "USD", Reason: "migration"},
		{ID: 3, Customer: "ACME", Amount: dec("20"), Currency: "USD", Reason: "outage", Expires: "2024-03"},
	}
	used = []Use{{Grant: 1, Customer: "ACME", Invoice: "INV-2024-00001", Period: "2024-01", Amount: dec("30")}}
)

func TestBalance(t *testing.T) {
	cases := []struct{ month, want string }{
		{"2024-01", "140"}, // 70 + 50 + 20
		{"2024-03", "140"}, // grant 3's last month
		{"2024-04", "120"}, // grant 3 expired
		{"2024-06", "120"}, // grant 1's last month
		{"2024-07", "50"},  // only the grant that never expires
	}
	for _, tc := range cases {
		t.Run(tc.month, func(t *testing.T) {
			if got := Balance(grants, used, tc.month); !got.Equal(dec(tc.want)) {
				t.Errorf("Balance at %s = %s, want %s", tc.month, got, tc.want)
			}
		})
	}
	over := []Use{{Grant: 2, Amount: dec("80")}}
	if got := Balance(grants[1:2], over, "2024-01"); !got.IsZero() {
		t.Errorf("an overspent grant counts %s, want 0", got)
	}
}

func TestAllocate(t *testing.T) {
	cases := []struct {
		name, month, amount string
		want                string // grant:amount ...
	}{
		{"soonest expiry first", "2024-01", "15", "[3:15]"},
		{"spills into the next expiry", "2024-01", "25", "[3:20 1:5]"},
		{"no-expiry grant last", "2024-01", "100", "[3:20 1:70 2:10]"},
		{"never more than the balance", "2024-01", "1000", "[3:20 1:70 2:50]"},
		{"expired grants are skipped", "2024-04", "80", "[1:70 2:10]"},
		{"only the open grant after both expiries", "2025-01", "80", "[2:50]"},
		{"zero spends nothing", "2024-01", "0", "[]"},
		{"negative spends nothing", "2024-01", "-5", "[]"},
		{"cents are kept exact", "2024-01", "20.01", "[3:20 1:0.01]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			uses := Allocate(grants, used, tc.month, dec(tc.amount))
			var parts []string
			total := decimal.Zero
			for _, u := range uses {
				parts = append(parts, fmt.Sprintf("%d:%s", u.Grant, u.Amount))
				total = total.Add(u.Amount)
				if u.Period != tc.month || u.Customer != "ACME" {
					t.Errorf("use %+v: want period %s and customer ACME", u, tc.month)
				}
			}
			if got := "[" + strings.Join(parts, " ") + "]"; got != tc.want {
				t.Errorf("Allocate(%s) = %s, want %s", tc.amount, got, tc.want)
			}
			if bal := Balance(grants, append(append([]Use(nil), used...), uses...), tc.month); bal.IsNegative() {
				t.Errorf("balance after allocating went negative: %s", bal)
			}
			if err := CheckUses(grants, used, withInvoice(uses)); err != nil {
				t.Errorf("CheckUses refuses Allocate's own uses: %v", err)
			}
		})
	}
}

func TestAllocateTiesByGrantID(t *testing.T) {
	gs := []Grant{
		{ID: 9, Customer: "ACME", Amount: dec("5"), Currency: "USD", Expires: "2024-06"},
		{ID: 4, Customer: "ACME", Amount: dec("5"), Currency: "USD", Expires: "2024-06"},
		{ID: 7, Customer: "ACME", Amount: dec("5"), Currency: "USD"},
		{ID: 2, Customer: "ACME", Amount: dec("5"), Currency: "USD"},
	}
	uses := Allocate(gs, nil, "2024-01", dec("20"))
	var ids []uint64
	for _, u := range uses {
		ids = append(ids, u.Grant)
	}
	if fmt.Sprint(ids) != "[4 9 2 7]" {
		t.Errorf("order = %v, want [4 9 2 7]", ids)
	}
}

func withInvoice(uses []Use) []Use {
	out := append([]Use(nil), uses...)
	for i := range out {
		out[i].Invoice = "INV-2024-00002"
	}
	return out
}

func TestCheckUses(t *testing.T) {
	use := func(grant uint64, period, amount string) Use {
		return Use{Grant: grant, Customer: "ACME", Invoice: "INV-2024-00002", Period: period, Amount: dec(amount)}
	}
	cases := []struct {
		name string
		uses []Use
		want string
	}{
		{"within the balance", []Use{use(1, "2024-02", "70"), use(3, "2024-02", "20")}, ""},
		{"beyond what is left", []Use{use(1, "2024-02", "70.01")}, "credit grant 1 has 70 USD left, not 70.01"},
		{"two uses adding up beyond", []Use{use(2, "2024-02", "30"), use(2, "2024-02", "30")}, "credit grant 2 has 20 USD left, not 30"},
		{"expired", []Use{use(3, "2024-04", "1")}, "credit grant 3 expired after 2024-03 and cannot pay for 2024-04"},
		{"unknown grant", []Use{use(42, "2024-02", "1")}, "credit grant 42 does not exist"},
		{"another customer's grant", []Use{{Grant: 1, Customer: "GLOBEX", Invoice: "X", Period: "2024-02", Amount: dec("1")}}, "belongs to ACME, not GLOBEX"},
		{"no invoice", []Use{{Grant: 1, Customer: "ACME", Period: "2024-02", Amount: dec("1")}}, "names no invoice"},
		{"zero", []Use{use(1, "2024-02", "0")}, "uses are positive amounts"},
		{"bad period", []Use{use(1, "2024-2", "1")}, `period "2024-2" is not a month`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckUses(grants, used, tc.uses)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("CheckUses = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestGrantValidate(t *testing.T) {
	ok := Grant{Customer: "ACME", Amount: dec("100"), Currency: "USD", Reason: "goodwill", Expires: "2024-06"}
	cases := []struct {
		name   string
		break_ func(g *Grant)
		field  string
		want   string
	}{
		{"valid", func(g *Grant) {}, "", ""},
		{"zero amount", func(g *Grant) { g.Amount = decimal.Zero }, "amount", "credit amount 0 is not positive"},
		{"negative amount", func(g *Grant) { g.Amount = dec("-5") }, "amount", "is not positive"},
		{"cents of a yen", func(g *Grant) { g.Currency = "JPY"; g.Amount = dec("100.5") }, "amount", "more decimals than JPY allows (0)"},
		{"unknown currency", func(g *Grant) { g.Currency = "XYZ" }, "currency", `"XYZ" is not an ISO 4217`},
		{"no reason", func(g *Grant) { g.Reason = " " }, "reason", "has no reason"},
		{"malformed expiry", func(g *Grant) { g.Expires = "2024-6" }, "expires", `expires "2024-6" is not a month`},
		{"bad customer", func(g *Grant) { g.Customer = "" }, "customer", "customer id is empty"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := ok
			tc.break_(&g)
			err := g.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ps Problems
			if !errors.As(err, &ps) || !strings.Contains(strings.Join(ps.Of(tc.field), "\n"), tc.want) {
				t.Fatalf("Validate = %v, want on %s: %q", err, tc.field, tc.want)
			}
		})
	}
}

// TestRelease: credit given back latest use first, the last use reached
// reduced by what is left to give back.
func TestRelease(t *testing.T) {
	uses := []Use{{ID: 1, Amount: dec("30")}, {ID: 2, Amount: dec("50")}, {ID: 3, Amount: dec("20")}}
	tests := []struct {
		name    string
		amount  string
		all     bool
		removed []uint64
		reduced string // "id:amount", "" for none
	}{
		{"all of them (void)", "0", true, []uint64{3, 2, 1}, ""},
		{"the latest exactly", "20", false, []uint64{3}, ""},
		{"the latest and part of the one before", "45", false, []uint64{3}, "2:25"},
		{"more than was used", "500", false, []uint64{3, 2, 1}, ""},
		{"nothing", "0", false, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			removed, reduced := Release(uses, dec(tc.amount), tc.all)
			var ids []uint64
			for _, u := range removed {
				ids = append(ids, u.ID)
			}
			if fmt.Sprint(ids) != fmt.Sprint(tc.removed) {
				t.Errorf("removed %v, want %v", ids, tc.removed)
			}
			got := ""
			if reduced != nil {
				got = fmt.Sprintf("%d:%s", reduced.ID, reduced.Amount)
			}
			if got != tc.reduced {
				t.Errorf("reduced %q, want %q", got, tc.reduced)
			}
		})
	}
	if !uses[1].Amount.Equal(dec("50")) {
		t.Error("Release changed its input")
	}
}
