package billing

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
	"rebill/engine/lineitem"
	"rebill/engine/parquetrows"
	"rebill/engine/read/cur"
)

// sharedReal holds the public provider files shared beside the repository
// (see its README.md); the test skips when they are absent.
const sharedReal = "../../../shared/data/real"

// readRealMonth adds every line item of a real CUR Parquet file to m the
// way the store would, without the store: parquetrows gives text fields,
// cur maps them onto one reused item.
func readRealMonth(t *testing.T, name string, m *Month) {
	t.Helper()
	scanReal(t, name, m.Add)
}

// scanReal calls add for every line item of a real CUR Parquet file,
// through one reused item.
func scanReal(t *testing.T, name string, add func(*lineitem.Item) error) {
	t.Helper()
	if _, err := os.Stat(sharedReal); err != nil {
		t.Skipf("skipping: real data directory %s (relative to the package) is absent: %v", sharedReal, err)
	}
	f, err := os.Open(filepath.Join(sharedReal, name))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			t.Skipf("skipping: real CUR sample %s is absent", name)
		}
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	r, err := parquetrows.Open(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	mp, err := cur.NewMapper(r.Header())
	if err != nil {
		t.Fatal(err)
	}
	var it lineitem.Item
	for {
		fields, err := r.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := mp.Map(fields, &it); err != nil {
			t.Fatalf("%s: %v", r.Where(), err)
		}
		if err := add(&it); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRealWorkshopCUR bills the two accounts of AWS's October 2018
// workshop CUR as two customers. The second (the payer) owns the RIs; 915
// DiscountedUsage lines of the first used them.
func TestRealWorkshopCUR(t *testing.T) {
	const first, second = "011254002932", "836060457634"
	m, err := NewMonth(Config{Period: "2018-10", Owners: map[string]string{first: "FIRST", second: "SECOND"}})
	if err != nil {
		t.Fatal(err)
	}
	readRealMonth(t, "aws-wa-labs/Oct2018-WorkshopCUR-00001.snappy.parquet", m)
	if m.Items() != 119307 {
		t.Fatalf("read %d line items, the README says 119307", m.Items())
	}
	c1 := customer.Customer{ID: "FIRST", Currency: "USD"}
	c2 := customer.Customer{ID: "SECOND", Currency: "USD"}

	st, err := m.Statement(c1, Ledger{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkAddsUp(t, st)
	// Its own usage, 71.4558054277, plus the on-demand cost of the 915
	// DiscountedUsage lines that used the second customer's RIs, 9.5564.
	if want := dec("71.4558054277").Add(dec("9.5564")); !st.Unrounded.Equal(want) {
		t.Errorf("first customer, re-rated: unrounded %s, want %s", st.Unrounded, want)
	}
	var rr []RerateTrace
	for _, s := range st.Sections {
		for _, l := range s.Lines {
			rr = append(rr, l.Trace.Rerated...)
		}
	}
	if len(rr) != 1 || rr[0].Items != 915 || rr[0].Owner != second || rr[0].OwnerCustomer != "SECOND" || rr[0].Kept ||
		!rr[0].OnDemand.Equal(dec("9.5564")) || !rr[0].Billed.IsZero() {
		t.Errorf("first customer's re-rated lines: %+v", rr)
	}

	unb := Options{Basis: customer.BasisUnblended}
	u1, err := m.Statement(c1, Ledger{}, unb)
	if err != nil {
		t.Fatal(err)
	}
	u2, err := m.Statement(c2, Ledger{}, unb)
	if err != nil {
		t.Fatal(err)
	}
	if !u1.Unrounded.Equal(dec("71.4558054277")) {
		t.Errorf("first customer, unblended: %s, want 71.4558054277", u1.Unrounded)
	}
	// The README's unblended total of the file: 4064.4831 (USD, 4 decimals).
	file := m.Totals()
	if len(file) != 1 || !file[0].Unblended.Round(4).Equal(dec("4064.4831")) ||
		!u1.Unrounded.Add(u2.Unrounded).Equal(file[0].Unblended) || len(m.Unassigned()) != 0 {
		t.Errorf("unblended statements %s + %s, file %+v", u1.Unrounded, u2.Unrounded, file)
	}
	// The RI owner keeps its own benefit and its RIFee: re-rated, it pays
	// what AWS billed it.
	r2, err := m.Statement(c2, Ledger{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !r2.Unrounded.Equal(u2.Unrounded) {
		t.Errorf("second customer re-rated %s, unblended %s: should be equal", r2.Unrounded, u2.Unrounded)
	}
	// Re-rating moves 9.56 of margin to the reseller: visible in the
	// first customer's console variance.
	if got := st.Console.Total.Rerating.String(); got != "9.56" {
		t.Errorf("re-rating variance %s, want 9.56", got)
	}

	// Each line item's charge, summed per service, is the statement's
	// unrounded line, for both customers under both bases.
	type check struct {
		c   customer.Customer
		opt Options
		st  *Statement
		ch  *Charger
		sum map[string]decimal.Decimal
	}
	checks := []*check{{c: c1, st: st}, {c: c2, st: r2}, {c: c1, opt: unb, st: u1}, {c: c2, opt: unb, st: u2}}
	for _, k := range checks {
		if k.ch, err = m.Charger(k.c, k.opt); err != nil {
			t.Fatal(err)
		}
		k.sum = map[string]decimal.Decimal{}
	}
	scanReal(t, "aws-wa-labs/Oct2018-WorkshopCUR-00001.snappy.parquet", func(it *lineitem.Item) error {
		for _, k := range checks {
			ic, err := k.ch.Charge(it)
			if err != nil {
				return err
			}
			if ic.Included {
				key := string(ic.Section) + "/" + ic.Service
				k.sum[key] = k.sum[key].Add(ic.Billed)
			}
		}
		return nil
	})
	for i, k := range checks {
		checkItemSums(t, fmt.Sprintf("real check %d", i), k.st, k.sum)
	}
}
