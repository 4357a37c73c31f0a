package store

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	bolt "go.etcd.io/bbolt"

	"rebill/engine/customer"
)

var (
	t0 = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	t1 = t0.Add(time.Hour)
)

func acme() customer.Customer {
	c := customer.Defaults{Currency: "USD", TermsDays: 30}.New()
	c.ID, c.Name, c.Group = "ACME", "Acme Corp", "EMEA / Enterprise"
	return c
}

func named(id, name, group string) customer.Customer {
	c := acme()
	c.ID, c.Name, c.Group = id, name, group
	return c
}

func mustAdd(t *testing.T, db *DB, cs ...customer.Customer) {
	t.Helper()
	for _, c := range cs {
		if err := db.AddCustomer(c, t0); err != nil {
			t.Fatal(err)
		}
	}
}

func TestUpgradeFromSchemaOne(t *testing.T) {
	// The schema 4 release's database made one of the foundation release
	// (schema 1): the import buckets only, in the same format.
	path := schema4Copy(t)
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = b.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketCustomers, bucketMappings, bucketGrants, bucketUses, bucketProfile, bucketChanges,
			bucketRates, bucketProductTypes, bucketSettings,
			bucketInvoices, bucketInvoiceIndex, bucketInvoiceNumbers, bucketInvoiceSeries, bucketAudit} {
			if err := tx.DeleteBucket(name); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
		if err := tx.Bucket(bucketMeta).Delete(keyAuditHead); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchema, u32(1))
	})
	b.Close()
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.AddCustomer(acme(), t0); err != nil {
		t.Fatalf("customers after the upgrade: %v", err)
	}
	if ps, _ := db.Periods(); len(ps) != 2 {
		t.Errorf("the imported months were lost in the upgrade: %v", ps)
	}
}

func TestCustomerAddEditAndLog(t *testing.T) {
	db := openTest(t)
	mustAdd(t, db, acme())
	if err := db.AddCustomer(acme(), t0); err == nil || !strings.Contains(err.Error(), "customer ACME already exists") {
		t.Fatalf("duplicate id: %v", err)
	}
	c, err := db.Customer("ACME")
	if err != nil {
		t.Fatal(err)
	}
	c.Currency = "eur" // normalized on save
	if err := db.PutCustomer(c, t1); err != nil {
		t.Fatal(err)
	}
	if err := db.PutCustomer(c, t1); err != nil { // unchanged: no log entry
		t.Fatal(err)
	}
	bad := c
	bad.TermsDays = -5
	if err := db.PutCustomer(bad, t1); err == nil || !strings.Contains(err.Error(), "customer ACME: payment terms of -5 days are negative") {
		t.Fatalf("invalid customer saved: %v", err)
	}
	if _, err := db.Customer("acme"); !errors.Is(err, ErrNotFound) {
		t.Errorf("ids are case-sensitive: %v", err)
	}
	log, err := db.CustomerLog("ACME")
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 {
		t.Fatalf("log has %d entries, want 2 (added, currency changed): %+v", len(log), log)
	}
	if string(log[0].Old) != "null" || !strings.Contains(string(log[0].New), `"currency":"USD"`) || !log[0].At.Equal(t0) {
		t.Errorf("creation entry %+v", log[0])
	}
	if !strings.Contains(string(log[1].Old), `"currency":"USD"`) || !strings.Contains(string(log[1].New), `"currency":"EUR"`) || !log[1].At.Equal(t1) {
		t.Errorf("edit entry %s -> %s", log[1].Old, log[1].New)
	}
	if log[0].Seq >= log[1].Seq || log[0].Kind != KindCustomer || log[0].Key != "ACME" {
		t.Errorf("entries %+v", log)
	}
}

// TestCustomerListOrder: the customer list comes in the engine's order
// (customer.SortList), which the group tree is built from.
func TestCustomerListOrder(t *testing.T) {
	db := openTest(t)
	mustAdd(t, db, named("ZED", "Zed", ""), named("GLOBEX", "Globex", "Americas"), named("ACME", "Acme", "EMEA / Enterprise"),
		named("INITECH", "Initech", "Americas"), named("ALONE", "Alone", ""))
	cs, err := db.Customers()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cs {
		got = append(got, c.ID)
	}
	if want := "GLOBEX,INITECH,ACME,ALONE,ZED"; strings.Join(got, ",") != want {
		t.Errorf("order = %s, want %s", strings.Join(got, ","), want)
	}
}

func TestMapRefusesOverlapAndUnknownCustomer(t *testing.T) {
	db := openTest(t)
	mustAdd(t, db, named("GLOBEX", "Globex", ""), named("ACME", "Acme", ""))
	if err := db.Map(customer.Mapping{Account: "011254002932", Customer: "GLOBEX", From: "2018-10"}, t0); err != nil {
		t.Fatal(err)
	}
	// From GLOBEX's first month on would replace its mapping: refused.
	err := db.Map(customer.Mapping{Account: "011254002932", Customer: "ACME", From: "2018-10"}, t0)
	var oe *customer.OverlapError
	if !errors.As(err, &oe) || !strings.HasPrefix(err.Error(), "account 011254002932 already belongs to GLOBEX from 2018-10 (open-ended), which does not start before 2018-10") {
		t.Fatalf("overlap: %v", err)
	}
	if err := db.Map(customer.Mapping{Account: "011254002932", Customer: "NOBODY", From: "2017-01", Until: "2017-12"}, t0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown customer: %v", err)
	}
	if err := db.Map(customer.Mapping{Account: "011254002932", Customer: "ACME", From: "2018-01", Until: "2018-09"}, t0); err != nil {
		t.Fatalf("the months before: %v", err)
	}
	ms, _ := db.AccountMappings("011254002932")
	if len(ms) != 2 || ms[0].Customer != "ACME" || ms[1].Customer != "GLOBEX" {
		t.Errorf("mappings in month order: %+v", ms)
	}
}

// TestMapMovesTheAccount: mapping from a day inside another customer's
// mapping ends that mapping the day before, in the same transaction, and
// each customer's log tells its part.
func TestMapMovesTheAccount(t *testing.T) {
	db := openTest(t)
	mustAdd(t, db, named("GLOBEX", "Globex", ""), named("ACME", "Acme", ""))
	if err := db.Map(customer.Mapping{Account: "011254002932", Customer: "GLOBEX", From: "2018-10"}, t0); err != nil {
		t.Fatal(err)
	}
	mv, err := db.MapMoving(customer.Mapping{Account: "011254002932", Customer: "ACME", From: "2018-11-15"}, t1)
	if err != nil {
		t.Fatal(err)
	}
	if mv == nil || mv.String() != "Account 011254002932 moves from GLOBEX to ACME on 2018-11-15: GLOBEX keeps it until 2018-11-14." {
		t.Errorf("move = %v", mv)
	}
	ms, _ := db.AccountMappings("011254002932")
	if len(ms) != 2 || ms[0] != (customer.Mapping{Account: "011254002932", Customer: "GLOBEX", From: "2018-10", Until: "2018-11-14"}) ||
		ms[1] != (customer.Mapping{Account: "011254002932", Customer: "ACME", From: "2018-11-15"}) {
		t.Errorf("mappings after the move: %+v", ms)
	}
	for id, want := range map[string]string{"GLOBEX": `"until":"2018-11-14"`, "ACME": `"from":"2018-11-15"`} {
		log, _ := db.CustomerLog(id)
		found := false
		for _, c := range log {
			found = found || c.Kind == KindMapping && c.At.Equal(t1) && strings.Contains(string(c.New), want)
		}
		if !found {
			t.Errorf("%s's log lacks the move (%s): %+v", id, want, log)
		}
	}
	// Mapping where nobody owns the account moves nothing.
	if mv, err := db.MapMoving(customer.Mapping{Account: "000000000006", Customer: "ACME", From: "2018-11"}, t1); err != nil || mv != nil {
		t.Errorf("a free account: %v, %v", mv, err)
	}
}

func TestUnmapAndItsLog(t *testing.T) {
	db := openTest(t)
	mustAdd(t, db, named("GLOBEX", "Globex", ""))
	if err := db.Map(customer.Mapping{Account: "011254002932", Customer: "GLOBEX", From: "2018-10"}, t0); err != nil {
		t.Fatal(err)
	}
	ms, err := db.Unmap("011254002932", "2019-01", t1)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || ms[0].Until != "2018-12" {
		t.Fatalf("after unmap --from 2019-01: %+v", ms)
	}
	if _, err := db.Unmap("011254002932", "2019-02", t1); err == nil {
		t.Error("unmapping months nobody owns should say so")
	}
	if _, err := db.Unmap("011254002932", "", t1); err != nil {
		t.Fatal(err)
	}
	if all, _ := db.Mappings(); len(all) != 0 {
		t.Errorf("left: %+v", all)
	}
	log, _ := db.CustomerLog("GLOBEX")
	var kinds []string
	for _, c := range log {
		if c.Kind == KindMapping {
			kinds = append(kinds, string(c.Old)+">"+string(c.New))
		}
	}
	if len(kinds) != 3 || !strings.HasPrefix(kinds[0], "null>") || !strings.Contains(kinds[1], `"until":"2018-12"`) || !strings.HasSuffix(kinds[2], ">null") {
		t.Errorf("mapping log: %v", kinds)
	}
}

// TestUnassignedNeverDropsAnAccount imports 20 rows whose cost is row/10000
// spread over accounts 000000000000..000000000006 (row i in account i mod 7),
// so each account's cost is the sum of its rows, computed by hand below.
func TestUnassignedNeverDropsAnAccount(t *testing.T) {
	db := openTest(t)
	p, _ := csvFile(t, "111111111111", "2026-09", 20, false)
	if _, err := importPath(t, db, p); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{ // account: rows i with i%7 == k, summed, /10000
		"000000000000": "0.0021", // 7+14
		"000000000001": "0.0024", // 1+8+15
		"000000000002": "0.0027",
		"000000000003": "0.003",
		"000000000004": "0.0033",
		"000000000005": "0.0036",
		"000000000006": "0.0039", // 6+13+20
	}
	check := func(name string, unassigned []string) {
		t.Run(name, func(t *testing.T) {
			got, err := db.Unassigned("2026-09")
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(unassigned) {
				t.Fatalf("unassigned = %+v, want %v", got, unassigned)
			}
			for i, a := range got {
				if a.Account != unassigned[i] || !a.UnblendedCost.Equal(decimal.RequireFromString(want[a.Account])) || a.Payer != "111111111111" || a.Customer != "" {
					t.Errorf("unassigned[%d] = %+v, want %s at %s", i, a, unassigned[i], want[a.Account])
				}
			}
		})
	}
	check("nothing mapped", []string{"000000000000", "000000000001", "000000000002", "000000000003", "000000000004", "000000000005", "000000000006"})
	mustAdd(t, db, named("ACME", "Acme", ""), named("GLOBEX", "Globex", ""))
	for i, c := range []string{"ACME", "ACME", "GLOBEX", "GLOBEX", "GLOBEX", "ACME"} {
		m := customer.Mapping{Account: "00000000000" + string(rune('0'+i)), Customer: c, From: "2026-09"}
		if err := db.Map(m, t0); err != nil {
			t.Fatal(err)
		}
	}
	check("all but one mapped", []string{"000000000006"})
	if err := db.Map(customer.Mapping{Account: "000000000006", Customer: "ACME", From: "2026-10"}, t0); err != nil {
		t.Fatal(err)
	}
	check("mapped from a later month only", []string{"000000000006"})
	costs, _ := db.AccountCosts("2026-09")
	total := decimal.Zero
	for _, a := range costs {
		total = total.Add(a.UnblendedCost)
	}
	if !total.Equal(decimal.RequireFromString("0.021")) || costs[2].Customer != "GLOBEX" {
		t.Errorf("account costs %+v total %s, want 0.021", costs, total)
	}
}

func TestCustomersCSVImportIsAtomic(t *testing.T) {
	db := openTest(t)
	mustAdd(t, db, acme())
	before := dump(t, db)
	file := "id,name,currency\nNEW,New Co,USD\nACME,Acme Renamed,USD\nBAD,Bad Co,EUX\n"
	_, err := db.ImportCustomersCSV(strings.NewReader(file), t1)
	var rows customer.RowErrors
	if !errors.As(err, &rows) || len(rows) != 1 || rows[0].Line != 4 || rows[0].Column != "currency" {
		t.Fatalf("import error: %v", err)
	}
	if dump(t, db) != before {
		t.Error("a file with a bad row changed the database")
	}
}

func TestCSVRoundTripThroughTheStore(t *testing.T) {
	db := openTest(t)
	full := acme()
	full.Contact = customer.Contact{Name: "Ann", Email: "ann@acme.example", Address: []string{"1 Main St", "London; UK"}, Country: "GB"}
	full.TaxRates = []customer.TaxRate{{Name: "VAT 20%", Percent: decimal.NewFromInt(20)}}
	full.PricingRules = []customer.PricingRule{{Provider: "aws", UsageType: "BoxUsage:m5.large", Percent: decimal.RequireFromString("-12.5")}}
	full.Recurring = []customer.RecurringCharge{{Description: "Managed | service", Amount: decimal.NewFromInt(250), From: "2024-01", Until: "2024-12"}}
	full.Notes = "line one\nline two, with \"quotes\""
	mustAdd(t, db, full, named("GLOBEX", "Globex", "Americas"))
	for _, m := range []customer.Mapping{
		{Account: "011254002932", Customer: "ACME", From: "2018-01", Until: "2018-09"},
		{Account: "011254002932", Customer: "GLOBEX", From: "2018-10"},
		{Account: "836060457634", Customer: "GLOBEX", From: "2018-10"},
	} {
		if err := db.Map(m, t0); err != nil {
			t.Fatal(err)
		}
	}
	var customers, mappings bytes.Buffer
	if err := db.ExportCustomersCSV(&customers); err != nil {
		t.Fatal(err)
	}
	if err := db.ExportMappingsCSV(&mappings); err != nil {
		t.Fatal(err)
	}

	// Into the same database: nothing changes, nothing is logged.
	logBefore, _ := db.Changes(nil)
	rep, err := db.ImportCustomersCSV(bytes.NewReader(customers.Bytes()), t1)
	if err != nil || rep != (ImportReport{Unchanged: 2}) {
		t.Fatalf("re-import customers: %+v %v", rep, err)
	}
	rep, err = db.ImportMappingsCSV(bytes.NewReader(mappings.Bytes()), t1)
	if err != nil || rep != (ImportReport{Unchanged: 3}) {
		t.Fatalf("re-import mappings: %+v %v", rep, err)
	}
	if logAfter, _ := db.Changes(nil); len(logAfter) != len(logBefore) {
		t.Errorf("an unchanged import logged %d changes", len(logAfter)-len(logBefore))
	}

	// Into a fresh database: the same bytes come out.
	fresh := openTest(t)
	if rep, err := fresh.ImportCustomersCSV(bytes.NewReader(customers.Bytes()), t1); err != nil || rep.Added != 2 {
		t.Fatalf("import customers: %+v %v", rep, err)
	}
	if rep, err := fresh.ImportMappingsCSV(bytes.NewReader(mappings.Bytes()), t1); err != nil || rep.Added != 3 {
		t.Fatalf("import mappings: %+v %v", rep, err)
	}
	var c2, m2 bytes.Buffer
	fresh.ExportCustomersCSV(&c2)
	fresh.ExportMappingsCSV(&m2)
	if c2.String() != customers.String() {
		t.Errorf("customers changed:\n%s\nvs\n%s", c2.String(), customers.String())
	}
	if m2.String() != mappings.String() {
		t.Errorf("mappings changed:\n%s\nvs\n%s", m2.String(), mappings.String())
	}
}

func TestMappingsCSVReplacesTheAccountsItNames(t *testing.T) {
	db := openTest(t)
	mustAdd(t, db, named("ACME", "Acme", ""), named("GLOBEX", "Globex", ""))
	for _, m := range []customer.Mapping{
		{Account: "011254002932", Customer: "ACME", From: "2018-01"},
		{Account: "836060457634", Customer: "ACME", From: "2018-01"},
	} {
		if err := db.Map(m, t0); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := db.ImportMappingsCSV(strings.NewReader("account,customer,from,until\n011254002932,ACME,2018-01,2018-09\n011254002932,GLOBEX,2018-10,\n"), t1)
	if err != nil {
		t.Fatal(err)
	}
	if rep != (ImportReport{Added: 1, Updated: 1}) {
		t.Errorf("report %+v", rep)
	}
	ms, _ := db.Mappings()
	if len(ms) != 3 || ms[0].Until != "2018-09" || ms[1].Customer != "GLOBEX" || ms[2].Account != "836060457634" {
		t.Errorf("mappings %+v", ms)
	}
	before := dump(t, db)
	_, err = db.ImportMappingsCSV(strings.NewReader("account,customer,from\n836060457634,GLOBEX,2018-01\n836060457634,NOBODY,2019-01\n"), t1)
	if err == nil || !strings.Contains(err.Error(), "line 3, column customer: customer NOBODY does not exist") {
		t.Fatalf("bad file: %v", err)
	}
	if dump(t, db) != before {
		t.Error("a file with a bad row changed the mappings")
	}
}

func TestCredits(t *testing.T) {
	db := openTest(t)
	c := acme()
	c.Currency = "EUR"
	mustAdd(t, db, c)
	g1, err := db.Grant(customer.Grant{Customer: "ACME", Amount: decimal.NewFromInt(100), Reason: "goodwill", Expires: "2026-12"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if g1.ID != 1 || g1.Currency != "EUR" || !g1.Granted.Equal(t0) {
		t.Errorf("grant %+v: want id 1, the customer's currency, granted now", g1)
	}
	g2, err := db.Grant(customer.Grant{Customer: "ACME", Amount: decimal.NewFromInt(30), Currency: "USD", Reason: "USD credit"}, t0)
	if err != nil || g2.ID != 2 {
		t.Fatal(g2, err)
	}
	if _, err := db.Grant(customer.Grant{Customer: "NOBODY", Amount: decimal.NewFromInt(1), Reason: "x"}, t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("grant to nobody: %v", err)
	}
	if _, err := db.Grant(customer.Grant{Customer: "ACME", Amount: decimal.NewFromInt(-1), Reason: "x"}, t0); err == nil {
		t.Error("negative grant accepted")
	}
	use := customer.Use{Grant: 1, Customer: "ACME", Invoice: "INV-2026-00001", Period: "2026-11", Amount: decimal.NewFromInt(60)}
	if err := db.RecordUses([]customer.Use{use}, t1); err != nil {
		t.Fatal(err)
	}
	before := dump(t, db)
	if err := db.RecordUses([]customer.Use{use}, t1); err == nil || !strings.Contains(err.Error(), "credit grant 1 has 40 EUR left, not 60") {
		t.Fatalf("overspending: %v", err)
	}
	if dump(t, db) != before {
		t.Error("a refused use changed the database")
	}
	bal, err := db.CreditBalances("ACME", "2026-12")
	if err != nil {
		t.Fatal(err)
	}
	if len(bal) != 2 || bal[0].Currency != "EUR" || !bal[0].Amount.Equal(decimal.NewFromInt(40)) || bal[1].Currency != "USD" || !bal[1].Amount.Equal(decimal.NewFromInt(30)) {
		t.Errorf("balances in 2026-12 = %+v", bal)
	}
	bal, _ = db.CreditBalances("ACME", "2027-01")
	if !bal[0].Amount.IsZero() {
		t.Errorf("expired grant still counts: %+v", bal)
	}
	gs, us, err := db.Ledger("ACME")
	if err != nil || len(gs) != 2 || len(us) != 1 || !us[0].At.Equal(t1) {
		t.Errorf("ledger %+v %+v %v", gs, us, err)
	}
	log, _ := db.CustomerLog("ACME")
	kinds := map[string]int{}
	for _, c := range log {
		kinds[c.Kind]++
	}
	if kinds[KindGrant] != 2 || kinds[KindUse] != 1 {
		t.Errorf("log kinds %v", kinds)
	}
	if err := db.DeleteCustomer("ACME", t1); err == nil || !strings.Contains(err.Error(), "credit grant") {
		t.Errorf("deleting a customer with credits: %v", err)
	}
}

func TestProfile(t *testing.T) {
	db := openTest(t)
	p, err := db.Profile()
	if err != nil {
		t.Fatal(err)
	}
	if p.NumberFormat != "INV-{YYYY}-{SEQ:5}" || p.DefaultCurrency != "USD" {
		t.Errorf("default profile %+v", p)
	}
	if n, err := db.InvoiceNumbering(); err != nil || n.Next != 1 || n.Format != "INV-{YYYY}-{SEQ:5}" {
		t.Errorf("new database's invoice series %+v %v", n, err)
	}
	var logo bytes.Buffer
	png.Encode(&logo, image.NewGray(image.Rect(0, 0, 300, 100)))
	p.CompanyName = "Nimbus Cloud Partners"
	if err := p.SetLogo(logo.Bytes()); err != nil {
		t.Fatal(err)
	}
	if err := db.PutProfile(p, t0); err != nil {
		t.Fatal(err)
	}
	back, err := db.Profile()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(back.Logo, logo.Bytes()) || back.LogoType != customer.LogoPNG || back.CompanyName != "Nimbus Cloud Partners" {
		t.Errorf("profile read back %+v", back.CompanyName)
	}
	back.NumberFormat = "INV-{YYYY}"
	if err := db.PutProfile(back, t1); err == nil || !strings.Contains(err.Error(), "no {SEQ}") {
		t.Errorf("invalid format saved: %v", err)
	}
	back.NumberFormat = "INV-{YYYY}-{SEQ:5}"
	back.SetLogo(nil)
	if err := db.PutProfile(back, t1); err != nil {
		t.Fatal(err)
	}
	if p, _ := db.Profile(); p.Logo != nil {
		t.Error("the logo was not removed")
	}
	log, _ := db.ProfileLog()
	if len(log) != 2 || !strings.Contains(string(log[0].New), `"logo_sha256":"`) || len(log[0].New) > 2000 || !strings.Contains(string(log[1].New), `"logo_bytes":0`) {
		t.Errorf("profile log: %d entries, first %s", len(log), log[0].New)
	}
}

// TestChangeLogIsAppendOnly checks that later changes never rewrite an
// earlier entry and that keys are consecutive.
func TestChangeLogIsAppendOnly(t *testing.T) {
	db := openTest(t)
	mustAdd(t, db, acme())
	first := dump(t, db)
	c := acme()
	c.Name = "Acme Renamed"
	db.PutCustomer(c, t1)
	db.Map(customer.Mapping{Account: "011254002932", Customer: "ACME", From: "2018-10"}, t1)
	db.Unmap("011254002932", "", t1)
	firstEntry := ""
	for _, l := range strings.Split(first, "\n") {
		if strings.HasPrefix(l, "changes/") {
			firstEntry = l
		}
	}
	if firstEntry == "" || !strings.Contains(dump(t, db), firstEntry) {
		t.Errorf("the first entry %q was rewritten", firstEntry)
	}
	log, _ := db.Changes(nil)
	for i, c := range log {
		if c.Seq != uint64(i+1) {
			t.Errorf("entry %d has seq %d", i, c.Seq)
		}
	}
	if len(log) != 4 {
		t.Errorf("%d entries, want 4", len(log))
	}
}

func TestFirstPeriod(t *testing.T) {
	db := openTest(t)
	if _, ok, err := db.FirstPeriod(); ok || err != nil {
		t.Fatalf("empty database: %v %v", ok, err)
	}
	for _, m := range []string{"2026-09", "2026-07", "2026-08"} {
		p, _ := csvFile(t, "111111111111", m, 3, false)
		if _, err := importPath(t, db, p); err != nil {
			t.Fatal(err)
		}
	}
	if m, ok, _ := db.FirstPeriod(); !ok || m != "2026-07" {
		t.Errorf("FirstPeriod = %s %v", m, ok)
	}
}

// TestUpdateCustomerReturnsItAsStored: the customer an edit returns is
// the stored one, with the terms the edit dated (a currency changed from
// 2026-10 keeps the months before in USD), not the value the edit was
// given.
func TestUpdateCustomerReturnsItAsStored(t *testing.T) {
	db := openTest(t)
	mustAdd(t, db, acme())
	got, err := db.UpdateCustomerFrom("ACME", "2026-10", func(c *customer.Customer) error { c.Currency = "EUR"; return nil }, t0)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := db.Customer("ACME")
	if err != nil {
		t.Fatal(err)
	}
	if latest, ok := got.TermsHistory.Latest(); !ok || latest.From != "2026-10" || len(got.TermsHistory) != len(stored.TermsHistory) {
		t.Errorf("returned terms history %+v, stored %+v", got.TermsHistory, stored.TermsHistory)
	}
}
