package view

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
	"rebill/engine/invoice"
	"rebill/store"
)

func TestCustomerTree(t *testing.T) {
	cs := []customer.Customer{
		{ID: "GLOBEX", Name: "Globex", Group: "Americas"},
		{ID: "NEWCO", Name: "Newco Ltd", Group: "EMEA / Enterprise"},
		{ID: "ACME", Name: "Acme Retail", Group: "emea"},
		{ID: "SOLO", Name: "Solo"},
	}
	customer.SortList(cs)
	v := NewCustomerTree(cs, "")
	want := map[string]string{
		"":                    "g:americas g:emea g:\x00none",
		"g:americas":          "c:GLOBEX",
		"g:emea":              "g:emea / enterprise c:ACME",
		"g:emea / enterprise": "c:NEWCO",
		NoGroup:               "c:SOLO",
	}
	for node, children := range want {
		if got := strings.Join(v.Children[node], " "); got != children {
			t.Errorf("children of %q = %q, want %q", node, got, children)
		}
	}
	// Groups compare case-insensitively; a group counts its sub-groups'.
	if g := v.Groups["g:emea"]; g.Count != 2 || v.Groups[NoGroup] != (TreeGroup{Name: "No group", Count: 1}) || v.Matches != 4 || v.Empty != "" {
		t.Errorf("groups %+v, matches %d", v.Groups, v.Matches)
	}
	v = NewCustomerTree(cs, "globex")
	if got := strings.Join(v.Children[""], " "); got != "g:americas" || v.Matches != 1 || v.Children["g:emea"] != nil {
		t.Errorf("search globex: %v", v.Children)
	}
	if v := NewCustomerTree(cs, "  zzz "); v.Matches != 0 || v.Empty != `No customer matches "zzz".` {
		t.Errorf("no match: %q", v.Empty)
	}
	if v := NewCustomerTree(nil, ""); !strings.HasPrefix(v.Empty, "No customers yet.") {
		t.Errorf("no customers: %q", v.Empty)
	}
	if got := CustomerSubheading(customer.Customer{ID: "ACME", Group: "EMEA", Currency: "EUR"}); got != "ACME  ·  EMEA  ·  invoiced in EUR" {
		t.Errorf("subheading %q", got)
	}
	if got := CustomerSubheading(customer.Customer{ID: "SOLO", Currency: "USD"}); got != "SOLO  ·  invoiced in USD" {
		t.Errorf("subheading without group %q", got)
	}
	if got := DiscardQuestion(false, customer.Customer{ID: "ACME", Name: "Acme"}); got != "Your changes to Acme (ACME) are not saved. Discard them?" {
		t.Errorf("discard %q", got)
	}
	if got := DiscardQuestion(true, customer.Customer{}); got != "Your changes to the new customer are not saved. Discard them?" {
		t.Errorf("discard new %q", got)
	}
}

func TestCustomerFiles(t *testing.T) {
	if got := Imported("customers", store.ImportReport{Added: 2}); got != "Customers: 2 added, 0 updated, 0 unchanged." {
		t.Errorf("imported %q", got)
	}
	if got := Imported("account mappings", store.ImportReport{Updated: 1, Unchanged: 3, Removed: 2}); got != "Account mappings: 0 added, 1 updated, 3 unchanged, 2 replaced." {
		t.Errorf("imported mappings %q", got)
	}
	rows := customer.RowErrors{{Line: 3, Column: "currency", Reason: `currency "XXX" is not an ISO 4217 currency code`}, {Line: 5, Reason: "too few columns"}}
	intro, ps := Refused("customers.csv", "customers", rows)
	if intro != "Nothing was imported: customers.csv has 2 problems. Correct them in your spreadsheet and import the file again; the customers stay as they were." {
		t.Errorf("intro %q", intro)
	}
	if len(ps) != 2 || ps[0] != (FileProblem{"Line 3, column currency", `Currency "XXX" is not an ISO 4217 currency code`}) || ps[1].Where != "Line 5" {
		t.Errorf("problems %+v", ps)
	}
	intro, ps = Refused("maps.csv", "account mappings", errors.New("the file is empty"))
	if intro != "Nothing was imported: the account mappings stay as they were. Correct maps.csv and import it again." ||
		len(ps) != 1 || ps[0] != (FileProblem{Reason: "The file is empty"}) {
		t.Errorf("refused %q %+v", intro, ps)
	}
}

func TestAccountsTab(t *testing.T) {
	head, none, rows := Unassigned("", nil)
	if head != "Unassigned accounts" || !strings.HasPrefix(none, "No billing data imported yet.") || rows != nil {
		t.Errorf("nothing imported: %q %q", head, none)
	}
	// The costs to the cent, not to the provider's ten decimals; the
	// payer is listed (its cost is billed to no one) but says how to
	// assign it instead of offering it in one click.
	head, _, rows = Unassigned("2024-10", []store.AccountCost{
		{Provider: "aws", Payer: "111122223333", Account: "444455556666", Currency: "USD", UnblendedCost: decimal.RequireFromString("3.5000000001")},
		{Provider: "aws", Payer: "111122223333", Account: "777788889999", Currency: "USD", UnblendedCost: decimal.RequireFromString("0.12545678901")},
		{Provider: "aws", Payer: "111122223333", Account: "111122223333", Currency: "USD", UnblendedCost: decimal.RequireFromString("1.005")},
	})
	if head != "Unassigned accounts in 2024-10, the newest imported month" || len(rows) != 3 ||
		rows[0] != [3]string{"444455556666", "AWS payer 111122223333", "USD 3.50"} || rows[1][2] != "USD 0.13" ||
		rows[2] != [3]string{"111122223333", "the AWS payer itself: map it below to assign it", "USD 1.01"} {
		t.Errorf("unassigned %q %q", head, rows)
	}

	m := customer.Mapping{Account: "111122223333", Customer: "BETA", From: "2024-10"}
	oe := &customer.OverlapError{Existing: customer.Mapping{Account: "111122223333", Customer: "ALPHA", From: "2024-09"}, New: m}
	if got := Overlap(m, oe, "Alpha Ltd (ALPHA)"); !strings.HasPrefix(got, "Account 111122223333 already belongs to Alpha Ltd (ALPHA) from 2024-09 (open-ended), "+
		"so it cannot also belong to BETA from 2024-10 (open-ended).\n\nOne account belongs to one customer in any month. To move it, select ALPHA,") {
		t.Errorf("overlap %q", got)
	}
	replace := customer.Mapping{Account: "111122223333", Customer: "BETA", From: "2024-09"}
	oe = &customer.OverlapError{Existing: customer.Mapping{Account: "111122223333", Customer: "ALPHA", From: "2024-09"}, New: replace}
	if got := Overlap(replace, oe, "Alpha Ltd (ALPHA)"); !strings.HasSuffix(got, "From 2024-09 on, the whole of ALPHA's mapping would be replaced: "+
		"to replace it, select ALPHA and end its mapping of this account (Accounts > End mapping…) from 2024-09, then map it here. "+
		"To move the account instead, give a first day or month after 2024-09: ALPHA then keeps it until the day before.") {
		t.Errorf("replacement %q", got)
	}
	mv := customer.Move{Before: customer.Mapping{Account: "111122223333", Customer: "ALPHA", From: "2024-09"},
		Ended: customer.Mapping{Account: "111122223333", Customer: "ALPHA", From: "2024-09", Until: "2024-10-14"},
		New:   customer.Mapping{Account: "111122223333", Customer: "BETA", From: "2024-10-15"}}
	title, msg := MoveQuestion(mv, "Alpha Ltd (ALPHA)", "Beta Inc (BETA)")
	if title != "Move account 111122223333 to Beta Inc (BETA)?" || msg != "Account 111122223333 belongs to Alpha Ltd (ALPHA) from 2024-09 (open-ended).\n\n"+
		"Mapping it to Beta Inc (BETA) on 2024-10-15 moves it: Alpha Ltd (ALPHA) keeps it until 2024-10-14, and Beta Inc (BETA) owns it from 2024-10-15 (open-ended)." {
		t.Errorf("move question %q\n%q", title, msg)
	}
	if got := Mapped(m); got != "Account 111122223333 now belongs to BETA from 2024-10 (open-ended)." {
		t.Errorf("mapped %q", got)
	}
	me := &invoice.MoveError{Change: customer.OwnerChange{Account: "444455556666", Month: "2024-09"}}
	if title, _ := Invoiced(me); title != "444455556666 is already invoiced for 2024-09" {
		t.Errorf("invoiced title %q", title)
	}

	alpha := customer.Customer{ID: "ALPHA", Name: "Alpha Ltd"}
	for _, tc := range []struct {
		name, until, month, want string
	}{
		{"this month", "", "2024-11", "2024-11"},
		{"not before the month after its first", "", "2024-09", "2024-10"},
		{"not after its last", "2024-10", "2024-12", "2024-10"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			intro, hint, got := EndMapping(alpha, customer.Mapping{Account: "111122223333", Customer: "ALPHA", From: "2024-09", Until: tc.until}, tc.month)
			if got != tc.want || !strings.HasPrefix(intro, "Account 111122223333 belongs to Alpha Ltd from 2024-09") ||
				hint != "ALPHA keeps the account until the month before. Write 2024-09 to remove this mapping entirely." {
				t.Errorf("EndMapping = %q %q %q, want month %s", intro, hint, got, tc.want)
			}
		})
	}

	ms := []customer.Mapping{
		{Account: "A00000000001", Customer: "ALPHA", From: "2024-01", Until: "2024-06"},
		{Account: "A00000000001", Customer: "BETA", From: "2024-07"},
	}
	for _, tc := range []struct {
		name, from string
		want       string
		others     bool
	}{
		{"shortens its own", "2024-03", "ALPHA owns the account from 2024-01 until 2024-02.\n" +
			"BETA's mapping from 2024-07 (open-ended) is removed as well: unmapping ends every mapping of the account from that month on.\n" +
			"From 2024-03 on, the account is unassigned until it is mapped to another customer.", true},
		{"removes its own", "2024-01", "ALPHA's mapping from 2024-01 until 2024-06 is removed.\n" +
			"BETA's mapping from 2024-07 (open-ended) is removed as well: unmapping ends every mapping of the account from that month on.\n" +
			"From 2024-01 on, the account is unassigned until it is mapped to another customer.", true},
		{"after the others", "2024-05", "ALPHA owns the account from 2024-01 until 2024-04.\n" +
			"BETA's mapping from 2024-07 (open-ended) is removed as well: unmapping ends every mapping of the account from that month on.\n" +
			"From 2024-05 on, the account is unassigned until it is mapped to another customer.", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			changes, err := customer.UnmapChanges(ms, "A00000000001", tc.from)
			if err != nil {
				t.Fatal(err)
			}
			got, others := UnmapPreview(changes, "ALPHA", tc.from)
			if got != tc.want || others != tc.others {
				t.Errorf("preview (others %v)\n%s\nwant (others %v)\n%s", others, got, tc.others, tc.want)
			}
		})
	}
	// Ending BETA's own mapping touches nobody else.
	changes, _ := customer.UnmapChanges(ms, "A00000000001", "2024-09")
	if got, others := UnmapPreview(changes, "BETA", "2024-09"); others ||
		got != "BETA owns the account from 2024-07 until 2024-08.\nFrom 2024-09 on, the account is unassigned until it is mapped to another customer." {
		t.Errorf("BETA's own: %q (others %v)", got, others)
	}
}

func TestLedgerAndHistory(t *testing.T) {
	noon := func(d int) time.Time { return time.Date(2024, time.October, d, 12, 0, 0, 0, time.Local) }
	gs := []customer.Grant{
		{ID: 5, Customer: "ACME", Amount: decimal.RequireFromString("150.5"), Currency: "USD", Reason: "Goodwill", Expires: "2024-09", Granted: noon(1)},
		{ID: 8, Customer: "ACME", Amount: decimal.RequireFromString("20"), Currency: "USD", Reason: "Migration", Granted: noon(2)},
	}
	us := []customer.Use{{ID: 7, Grant: 8, Customer: "ACME", Invoice: "INV-2024-0001", Period: "2024-10", Amount: decimal.RequireFromString("4.125"), At: noon(5)}}
	v := NewLedger(gs, us, "2024-11")
	// Grants 5 and 8 of the store are ACME's credits #1 and #2. Amounts
	// to the cent: 20 - 4.125 = 15.875 left of #2 reads 15.88, the exact
	// figure one click away.
	if got := rowTexts(v.Grants[0]); got != "#1|2024-10-01|USD 150.50|Goodwill|2024-09 (expired)|USD 150.50" || v.Grants[0].Cells[GrantUntil].Tone != Warning {
		t.Errorf("grant 1 %q", got)
	}
	if got := rowTexts(v.Grants[1]); got != "#2|2024-10-02|USD 20.00|Migration|never expires|USD 15.88" || !v.Grants[1].Cells[GrantLeft].Bold {
		t.Errorf("grant 2 %q", got)
	}
	if got := v.Grants[1].Cells[GrantLeft].Full; got != "USD 15.875 exactly" {
		t.Errorf("grant 2 left in full %q, want USD 15.875 exactly", got)
	}
	if got := v.Grants[0].Cells[GrantAmount].Full; got != "" {
		t.Errorf("150.50 has nothing more to show, got %q", got)
	}
	if got := rowTexts(v.Uses[0]); got != "INV-2024-0001|2024-10|#2|USD 4.13|2024-10-05" {
		t.Errorf("use %q", got)
	}
	if got := v.Number(5); got != 1 {
		t.Errorf("grant 5 is ACME's credit %d, want 1", got)
	}
	if got := Balance(nil, "2024-11"); got != "No credit balance." {
		t.Errorf("no balance %q", got)
	}
	if got := Balance([]store.Balance{{Currency: "EUR", Amount: decimal.RequireFromString("5")}, {Currency: "USD", Amount: decimal.RequireFromString("15.875")}}, "2024-11"); got != "Balance for invoices of 2024-11: EUR 5.00, USD 15.875" {
		t.Errorf("balance %q", got)
	}
	if got := Granted(gs[0], v.Number(gs[0].ID)); got != "Granted USD 150.50 to ACME (credit #1)." {
		t.Errorf("granted %q", got)
	}

	raw := func(v any) json.RawMessage {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	before := customer.Customer{ID: "NEWCO", Name: "Newco Ltd", Currency: "USD"}
	after := before
	after.Name, after.Notes = "Newco Limited", "pays late"
	changes := []store.Change{
		{At: noon(1), Kind: store.KindCustomer, Old: nil, New: raw(before)},
		{At: noon(2), Kind: store.KindCustomer, Old: raw(before), New: raw(after)},
		{At: noon(3), Kind: store.KindMapping, Old: nil, New: raw(customer.Mapping{Account: "111122223333", Customer: "NEWCO", From: "2024-09"})},
		{At: noon(4), Kind: store.KindMapping, Old: raw(customer.Mapping{Account: "111122223333", Customer: "NEWCO", From: "2024-09"}),
			New: raw(customer.Mapping{Account: "111122223333", Customer: "NEWCO", From: "2024-09", Until: "2024-10"})},
		{At: noon(5), Kind: store.KindGrant, New: raw(gs[0])},
	}
	var got []string
	for _, r := range History(changes) {
		got = append(got, r.Title()+" = "+r.Change())
	}
	want := []string{
		"Credit #1 granted = USD 150.50: Goodwill, usable until 2024-09",
		"Account 111122223333 mapping changed = 2024-09 onwards → 2024-09 – 2024-10",
		"Account 111122223333 mapped = 2024-09 onwards",
		"Name edited = Newco Ltd → Newco Limited",
		"Notes edited = (empty) → pays late",
		"Customer added = Newco Ltd (NEWCO)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("history, newest first\n got %q\nwant %q", got, want)
	}
	r := HistoryRow{When: "2024-10-02 12:00", What: "Profile edited", Field: "Address", Old: "1 Main St\nSpringfield", New: ""}
	if c := r.Cells(); c[2].Text != "1 Main St · Springfield → (empty)" {
		t.Errorf("one line %q", c[2].Text)
	}
	if r.Detail() != "2024-10-02 12:00: Address edited\n\nOld value:\n1 Main St\nSpringfield\n\nNew value:\n(empty)" {
		t.Errorf("detail %q", r.Detail())
	}
}

func TestProfileNames(t *testing.T) {
	for _, p := range customer.SupportPlans {
		if name := PlanName(p); name == "" || PlanNamed(name) != p {
			t.Errorf("support plan %q reads back as %q", p, PlanNamed(name))
		}
	}
	for _, b := range customer.CostBases {
		if name := BasisChoice(b); name == "" || BasisNamed(name) != b {
			t.Errorf("basis %q reads back as %q", b, BasisNamed(name))
		}
	}
	if len(PlanOptions()) != len(customer.SupportPlans) || PlanNamed("no such plan") != "" {
		t.Error("plan options")
	}
	if ZeroEmpty(decimal.Zero) != "" || ZeroEmpty(decimal.RequireFromString("-5")) != "-5" {
		t.Error("ZeroEmpty")
	}
}
