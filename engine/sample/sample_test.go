package sample

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// file is a generated CUR read back with encoding/csv, the way an importer
// would see it.
type file struct {
	raw  []byte
	sum  Summary
	rows [][]string
	col  map[string]int
}

func generate(t testing.TB, opt Options) *file {
	t.Helper()
	var buf bytes.Buffer
	sum, err := WriteCSV(&buf, opt)
	if err != nil {
		t.Fatalf("WriteCSV(%+v): %v", opt, err)
	}
	r := csv.NewReader(bytes.NewReader(buf.Bytes()))
	r.ReuseRecord = false
	recs, err := r.ReadAll() // FieldsPerRecord 0: every row must have the header's column count
	if err != nil {
		t.Fatalf("reading the generated CSV back: %v", err)
	}
	f := &file{raw: buf.Bytes(), sum: sum, rows: recs[1:], col: map[string]int{}}
	if !slices.Equal(recs[0], Columns) {
		t.Fatalf("header = %v, want %v", recs[0], Columns)
	}
	for i, c := range recs[0] {
		f.col[c] = i
	}
	return f
}

func (f *file) get(row []string, col string) string {
	i, ok := f.col[col]
	if !ok {
		panic("no column " + col)
	}
	return row[i]
}

func (f *file) dec(t testing.TB, row []string, col string) decimal.Decimal {
	t.Helper()
	s := f.get(row, col)
	d, err := decimal.NewFromString(s)
	if err != nil {
		t.Fatalf("%s = %q: %v", col, s, err)
	}
	return d
}

func (f *file) where(typ string) [][]string {
	var out [][]string
	for _, r := range f.rows {
		if f.get(r, "lineItem/LineItemType") == typ {
			out = append(out, r)
		}
	}
	return out
}

func TestSameSeedSameBytes(t *testing.T) {
	hash := func(opt Options) [32]byte {
		var buf bytes.Buffer
		if _, err := WriteCSV(&buf, opt); err != nil {
			t.Fatal(err)
		}
		return sha256.Sum256(buf.Bytes())
	}
	opt := Options{Rows: 5000, Seed: 42}
	if hash(opt) != hash(opt) {
		t.Fatal("two runs with the same options wrote different bytes")
	}
	if hash(opt) == hash(Options{Rows: 5000, Seed: 43}) {
		t.Fatal("another seed wrote the same bytes")
	}
}

func TestColumns(t *testing.T) {
	if len(Columns) != 42 {
		t.Fatalf("%d columns, want 42", len(Columns))
	}
	f := generate(t, Options{Rows: 3000, Final: true})
	for i, r := range f.rows {
		if len(r) != len(Columns) {
			t.Fatalf("row %d has %d fields, want %d", i+1, len(r), len(Columns))
		}
	}
	if len(f.rows) != 3000 || f.sum.Rows != 3000 {
		t.Fatalf("%d rows read, Summary.Rows %d, want 3000", len(f.rows), f.sum.Rows)
	}
}

func TestEveryLineTypeWithFewRows(t *testing.T) {
	for _, tc := range []struct {
		rows int
		seed int64
	}{{MinRows, 0}, {MinRows, 1}, {MinRows, 2}, {200, 0}, {200, 1}, {200, 2}, {200, -7}} {
		t.Run(fmt.Sprintf("rows=%d,seed=%d", tc.rows, tc.seed), func(t *testing.T) {
			f := generate(t, Options{Rows: tc.rows, Seed: tc.seed})
			types := map[string]int{}
			for _, r := range f.rows {
				types[f.get(r, "lineItem/LineItemType")]++
			}
			for _, want := range []string{"Usage", "DiscountedUsage", "RIFee", "SavingsPlanCoveredUsage",
				"SavingsPlanNegation", "SavingsPlanRecurringFee", "Tax", "Credit", "Refund", "Fee"} {
				if types[want] == 0 {
					t.Errorf("no %s line (types: %v)", want, types)
				}
			}
			if types["RIFee"] != 3 {
				t.Errorf("%d RIFee lines, want 3", types["RIFee"])
			}

			var freeTrial, paidMarket, support, vat, tagged, crossRI, payerRI bool
			for _, r := range f.rows {
				acct, typ := f.get(r, "lineItem/UsageAccountId"), f.get(r, "lineItem/LineItemType")
				cost := f.dec(t, r, "lineItem/UnblendedCost")
				if f.get(r, "bill/BillingEntity") == "AWS Marketplace" {
					if f.get(r, "lineItem/LegalEntity") == "Amazon Web Services, Inc." {
						t.Errorf("Marketplace line sold by AWS itself: %v", r)
					}
					if strings.Contains(f.get(r, "lineItem/LineItemDescription"), "Free Trial") && cost.IsZero() {
						freeTrial = true
					}
					if cost.IsPositive() {
						paidMarket = true
					}
				}
				if typ == "Fee" && acct == PayerAccount && f.get(r, "lineItem/ProductCode") == "AWSSupportBusiness" {
					support = true
				}
				if typ == "Tax" && f.get(r, "lineItem/TaxType") == "VAT" {
					vat = true
				}
				if f.get(r, "resourceTags/user:Name") != "" && f.get(r, "resourceTags/user:CostCenter") != "" {
					tagged = true
				}
				if typ == "DiscountedUsage" {
					owner := strings.Split(f.get(r, "reservation/ReservationARN"), ":")[4]
					crossRI = crossRI || owner != acct && owner != PayerAccount
					payerRI = payerRI || owner == PayerAccount
				}
			}
			for name, ok := range map[string]bool{"$0 Marketplace Free Trial": freeTrial, "paid Marketplace": paidMarket,
				"payer's Business support Fee": support, "VAT Tax": vat, "tagged resource": tagged,
				"RI benefit crossing accounts": crossRI, "payer-owned RI used by a linked account": payerRI} {
				if !ok {
					t.Errorf("no %s line", name)
				}
			}
			if !bytes.Contains(f.raw, []byte(`,"$0.005 per 1,000 PUT, COPY, POST, or LIST requests",`)) {
				t.Error("no quoted description with a thousands comma")
			}
			if !regexp.MustCompile(`,[0-9]\.[0-9]+E-[0-9]+,`).Match(f.raw) {
				t.Error("no value in E notation")
			}
			if !bytes.Contains(f.raw, []byte(`"Amazon Web Services, Inc."`)) {
				t.Error("invoicing entity with a comma is not quoted")
			}
		})
	}
}

func TestNumbersLookLikeAWS(t *testing.T) {
	f := generate(t, Options{Rows: 5000})
	var sci, quoted bool
	for _, r := range f.rows {
		for _, c := range []string{"lineItem/UsageAmount", "lineItem/UnblendedRate", "lineItem/UnblendedCost",
			"pricing/publicOnDemandCost", "reservation/EffectiveCost", "savingsPlan/SavingsPlanEffectiveCost"} {
			s := f.get(r, c)
			if s == "" {
				continue
			}
			sci = sci || strings.Contains(s, "E-")
			d := f.dec(t, r, c)
			if !d.Round(10).Equal(d) {
				t.Fatalf("%s = %s has more than 10 decimals", c, s)
			}
		}
		if strings.Contains(f.get(r, "lineItem/LineItemDescription"), ",") {
			quoted = true
		}
		if f.get(r, "lineItem/CurrencyCode") != "USD" {
			t.Fatalf("currency %q", f.get(r, "lineItem/CurrencyCode"))
		}
		if _, err := time.Parse(time.RFC3339, f.get(r, "lineItem/UsageStartDate")); err != nil {
			t.Fatal(err)
		}
	}
	if !sci {
		t.Error("no value in E notation")
	}
	if !quoted {
		t.Error("no description containing a comma")
	}
	if !bytes.Contains(f.raw, []byte(`,"$0.005 per 1,000 PUT, COPY, POST, or LIST requests",`)) &&
		!bytes.Contains(f.raw, []byte(`,"$0.004 per 10,000 GET and all other requests",`)) {
		t.Error("S3 request descriptions are not quoted as AWS writes them")
	}
}

// TestSummaryMatchesFile re-sums the written file with decimal, independently
// of the generator's integer arithmetic.
func TestSummaryMatchesFile(t *testing.T) {
	for _, opt := range []Options{{Rows: 200}, {Rows: 20000, Seed: 9, Final: true}} {
		f := generate(t, opt)
		total := decimal.Zero
		by := map[string]decimal.Decimal{}
		for _, r := range f.rows {
			c := f.dec(t, r, "lineItem/UnblendedCost")
			total = total.Add(c)
			a := f.get(r, "lineItem/UsageAccountId")
			by[a] = by[a].Add(c)
		}
		if !total.Equal(f.sum.UnblendedTotal) {
			t.Errorf("Rows %d: file total %s, Summary %s", opt.Rows, total, f.sum.UnblendedTotal)
		}
		if len(by) != len(f.sum.ByAccount) {
			t.Errorf("file has %d accounts, Summary %d", len(by), len(f.sum.ByAccount))
		}
		for a, v := range by {
			if !v.Equal(f.sum.ByAccount[a]) {
				t.Errorf("account %s: file %s, Summary %s", a, v, f.sum.ByAccount[a])
			}
		}
		if f.sum.Bytes != int64(len(f.raw)) {
			t.Errorf("Summary.Bytes %d, wrote %d", f.sum.Bytes, len(f.raw))
		}
		want := append([]string{PayerAccount}, UsageAccounts...)
		for _, a := range want {
			if _, ok := f.sum.ByAccount[a]; !ok {
				t.Errorf("account %s missing from the Summary", a)
			}
		}
	}
}

func TestCostIsAmountTimesRate(t *testing.T) {
	f := generate(t, Options{Rows: 20000, Seed: 3})
	n := 0
	for _, r := range f.rows {
		if f.get(r, "lineItem/UnblendedRate") == "" {
			continue
		}
		amount, rate := f.dec(t, r, "lineItem/UsageAmount"), f.dec(t, r, "lineItem/UnblendedRate")
		want := amount.Mul(rate).Round(10)
		if got := f.dec(t, r, "lineItem/UnblendedCost"); !got.Equal(want) {
			t.Fatalf("%s: cost %s, want %s x %s = %s", f.get(r, "lineItem/UsageType"), got, amount, rate, want)
		}
		if got := f.dec(t, r, "lineItem/BlendedCost"); !got.Equal(want) {
			t.Fatalf("blended cost %s, want %s", got, want)
		}
		if f.get(r, "lineItem/LineItemType") == "Usage" && f.get(r, "bill/BillingEntity") == "AWS" {
			if pub := f.dec(t, r, "pricing/publicOnDemandCost"); !pub.Equal(want) {
				t.Fatalf("on-demand Usage with publicOnDemandCost %s, cost %s", pub, want)
			}
		}
		n++
	}
	if n < 19000 {
		t.Fatalf("only %d priced lines", n)
	}
}

func TestReservedInstances(t *testing.T) {
	f := generate(t, Options{Rows: 5000, Seed: 1})
	members := map[string]bool{PayerAccount: true}
	for _, a := range UsageAccounts {
		members[a] = true
	}
	users := map[string]map[string]bool{}
	for _, r := range f.where("DiscountedUsage") {
		arn := f.get(r, "reservation/ReservationARN")
		parts := strings.Split(arn, ":")
		if len(parts) != 6 || !members[parts[4]] {
			t.Fatalf("ARN %q: owner is not a family account", arn)
		}
		cost, pub := f.dec(t, r, "lineItem/UnblendedCost"), f.dec(t, r, "pricing/publicOnDemandCost")
		eff := f.dec(t, r, "reservation/EffectiveCost")
		if cost.GreaterThan(pub) || !eff.LessThan(pub) || !eff.IsPositive() {
			t.Fatalf("DiscountedUsage cost %s, effective %s, on-demand %s", cost, eff, pub)
		}
		if users[arn] == nil {
			users[arn] = map[string]bool{}
		}
		users[arn][f.get(r, "lineItem/UsageAccountId")] = true
	}
	fees := map[string]string{}
	for _, r := range f.where("RIFee") {
		fees[f.get(r, "reservation/ReservationARN")] = f.get(r, "lineItem/UsageAccountId")
	}
	for _, c := range Commitments {
		if !strings.Contains(c.ARN, ":reserved-instances/") {
			continue
		}
		if owner := strings.Split(c.ARN, ":")[4]; owner != c.Owner {
			t.Errorf("%s: Owner %s, ARN says %s", c.ARN, c.Owner, owner)
		}
		if fees[c.ARN] != c.Owner {
			t.Errorf("%s: RIFee in account %q, want the owner %s", c.ARN, fees[c.ARN], c.Owner)
		}
		var got []string
		for a := range users[c.ARN] {
			got = append(got, a)
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(c.UsedBy))
		if !slices.Equal(got, want) {
			t.Errorf("%s used by %v, Commitments says %v", c.ARN, got, want)
		}
	}
}

func TestSavingsPlan(t *testing.T) {
	f := generate(t, Options{Rows: 20000, Seed: 5})
	key := func(r []string) string {
		return f.get(r, "lineItem/UsageAccountId") + "|" + f.get(r, "identity/TimeInterval") + "|" + f.get(r, "lineItem/ResourceId")
	}
	covered := map[string]decimal.Decimal{}
	perHour := map[string]decimal.Decimal{}
	users := map[string]bool{}
	for _, r := range f.where("SavingsPlanCoveredUsage") {
		if f.get(r, "savingsPlan/SavingsPlanARN") != APISavingsPlan {
			t.Fatalf("covered usage under %q", f.get(r, "savingsPlan/SavingsPlanARN"))
		}
		c, eff := f.dec(t, r, "lineItem/UnblendedCost"), f.dec(t, r, "savingsPlan/SavingsPlanEffectiveCost")
		if !c.IsPositive() || !eff.LessThan(c) || !c.Equal(f.dec(t, r, "pricing/publicOnDemandCost")) {
			t.Fatalf("covered cost %s, effective %s", c, eff)
		}
		if _, dup := covered[key(r)]; dup {
			t.Fatalf("two covered lines for %s", key(r))
		}
		covered[key(r)] = c
		h := f.get(r, "identity/TimeInterval")
		perHour[h] = perHour[h].Add(eff)
		users[f.get(r, "lineItem/UsageAccountId")] = true
	}
	negs := f.where("SavingsPlanNegation")
	if len(negs) != len(covered) || len(negs) == 0 {
		t.Fatalf("%d negations for %d covered lines", len(negs), len(covered))
	}
	for _, r := range negs {
		c, ok := covered[key(r)]
		if !ok {
			t.Fatalf("negation without its covered line: %s", key(r))
		}
		if !f.dec(t, r, "lineItem/UnblendedCost").Add(c).IsZero() {
			t.Fatalf("negation %s does not cancel %s", f.get(r, "lineItem/UnblendedCost"), c)
		}
		if f.get(r, "savingsPlan/SavingsPlanARN") != APISavingsPlan {
			t.Fatal("negation without the Savings Plan ARN")
		}
		delete(covered, key(r))
	}
	commitment := decimal.New(spCommitment, -10)
	for h, e := range perHour {
		if e.GreaterThan(commitment) {
			t.Fatalf("hour %s uses %s of a %s commitment", h, e, commitment)
		}
	}
	if !users["305417826390"] || !users["690254183927"] || len(users) != 2 {
		t.Errorf("Savings Plan used by %v", users)
	}
	hours := decimal.Zero
	for _, r := range f.where("SavingsPlanRecurringFee") {
		if f.get(r, "lineItem/UsageAccountId") != "305417826390" {
			t.Fatal("recurring fee outside the owner account")
		}
		hours = hours.Add(f.dec(t, r, "lineItem/UsageAmount"))
	}
	if !hours.Equal(decimal.NewFromInt(720)) {
		t.Errorf("recurring fee lines cover %s hours, September has 720", hours)
	}
}

// TestPlanFitsCommitments checks, for the 1,000,000-row benchmark size, that
// no hour uses more RI instances or Savings Plan commitment than was bought,
// and that the streams add up to the rows asked for.
func TestPlanFitsCommitments(t *testing.T) {
	for _, rows := range []int{MinRows, 200, DefaultRows, 1_000_000, 10_000_000} {
		g, err := newGen(io.Discard, Options{Rows: rows})
		if err != nil {
			t.Fatal(err)
		}
		lines := monthLines
		perRI := map[*riSpec]int{}
		covering := 0
		for _, s := range g.streams {
			if s.n > s.inst*g.hours || s.n < 1 {
				t.Errorf("Rows %d: stream %+v does not fit its slots", rows, s)
			}
			lines += s.n
			switch s.kind {
			case stDiscounted:
				perRI[s.ri] += s.inst
			case stCovered:
				covering += s.inst
				lines += s.n
			case stOrdinary:
				if s.n < 16 {
					t.Errorf("Rows %d: only %d ordinary lines", rows, s.n)
				}
			}
		}
		if lines != rows {
			t.Errorf("Rows %d: planned %d lines", rows, lines)
		}
		for ri, n := range perRI {
			if n > ri.count {
				t.Errorf("%s: %d instances at once for %d reserved", ri.arn, n, ri.count)
			}
		}
		if int64(covering)*spRate > spCommitment {
			t.Errorf("%d covered instances exceed the Savings Plan commitment", covering)
		}
	}
}

func TestInvoiceIDOnlyWhenFinal(t *testing.T) {
	for _, final := range []bool{false, true} {
		f := generate(t, Options{Rows: 500, Final: final})
		ids := map[string]bool{}
		for _, r := range f.rows {
			id := f.get(r, "bill/InvoiceId")
			if (id != "") != final {
				t.Fatalf("Final %v: bill/InvoiceId %q", final, id)
			}
			ids[id] = true
		}
		if final && len(ids) != 3 {
			t.Errorf("%d invoices, want 3 (AWS Inc., AWS EMEA, Marketplace)", len(ids))
		}
	}
}

func TestTaxAndSupport(t *testing.T) {
	f := generate(t, Options{Rows: 30000, Seed: 11})
	base := map[string]decimal.Decimal{}
	supportBase := decimal.Zero
	var taxes, supports [][]string
	for _, r := range f.rows {
		typ, code := f.get(r, "lineItem/LineItemType"), f.get(r, "lineItem/ProductCode")
		switch {
		case typ == "Tax":
			taxes = append(taxes, r)
		case code == "AWSSupportBusiness":
			supports = append(supports, r)
		case f.get(r, "bill/BillingEntity") == "AWS" && typ != "Credit" && typ != "Refund":
			c := f.dec(t, r, "lineItem/UnblendedCost")
			supportBase = supportBase.Add(c)
			if f.get(r, "lineItem/UsageAccountId") == "778903316452" {
				base[code] = base[code].Add(c)
			}
		}
	}
	if len(taxes) != len(taxCodes) || len(supports) != 1 {
		t.Fatalf("%d Tax lines, %d support lines", len(taxes), len(supports))
	}
	for _, r := range taxes {
		code := f.get(r, "lineItem/ProductCode")
		want := base[code].Mul(decimal.RequireFromString("0.2")).Round(2)
		if got := f.dec(t, r, "lineItem/UnblendedCost"); !got.Equal(want) {
			t.Errorf("VAT on %s: %s, want 20%% of %s = %s", code, got, base[code], want)
		}
		if f.get(r, "bill/InvoicingEntity") != "Amazon Web Services EMEA SARL" {
			t.Errorf("VAT invoiced by %q", f.get(r, "bill/InvoicingEntity"))
		}
	}
	if got, want := f.dec(t, supports[0], "lineItem/UnblendedCost"), businessSupport(supportBase); !got.Equal(want) {
		t.Errorf("support %s, want %s on %s", got, want, supportBase)
	}
}

func TestBusinessSupport(t *testing.T) {
	for _, tc := range []struct{ charges, want string }{
		{"0", "100"},
		{"-5", "100"},
		{"999.99", "100"},
		{"5000", "500"},
		{"20000", "1700"},       // 1000 + 7% of 10000
		{"100000", "6900"},      // 1000 + 4900 + 5% of 20000
		{"300000", "15900"},     // 1000 + 4900 + 8500 + 3% of 50000
		{"12345.678", "1164.2"}, // 1000 + 7% of 2345.678 = 164.19746
	} {
		t.Run(tc.charges, func(t *testing.T) {
			got := businessSupport(decimal.RequireFromString(tc.charges))
			if !got.Equal(decimal.RequireFromString(tc.want)) {
				t.Errorf("businessSupport(%s) = %s, want %s", tc.charges, got, tc.want)
			}
		})
	}
}

func TestOtherMonth(t *testing.T) {
	loc := time.FixedZone("UTC+9", 9*3600)
	f := generate(t, Options{Rows: 3000, Month: time.Date(2027, time.February, 20, 23, 0, 0, 0, loc)})
	start, end := time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	days := map[int]bool{}
	for _, r := range f.rows {
		if f.get(r, "bill/BillingPeriodStartDate") != "2027-02-01T00:00:00Z" || f.get(r, "bill/BillingPeriodEndDate") != "2027-03-01T00:00:00Z" {
			t.Fatalf("billing period %s..%s", f.get(r, "bill/BillingPeriodStartDate"), f.get(r, "bill/BillingPeriodEndDate"))
		}
		s, _ := time.Parse(time.RFC3339, f.get(r, "lineItem/UsageStartDate"))
		e, _ := time.Parse(time.RFC3339, f.get(r, "lineItem/UsageEndDate"))
		if s.Before(start) || !e.After(s) || e.After(end) {
			t.Fatalf("usage %s..%s outside February 2027", s, e)
		}
		if f.get(r, "identity/TimeInterval") != f.get(r, "lineItem/UsageStartDate")+"/"+f.get(r, "lineItem/UsageEndDate") {
			t.Fatal("identity/TimeInterval differs from the usage dates")
		}
		days[s.Day()] = true
	}
	if len(days) != 28 {
		t.Errorf("usage starts on %d days of February, want all 28", len(days))
	}
	var hours decimal.Decimal
	for _, r := range f.where("RIFee") {
		if strings.Contains(f.get(r, "lineItem/UsageType"), "m5.large") {
			hours = f.dec(t, r, "lineItem/UsageAmount")
		}
	}
	if !hours.Equal(decimal.NewFromInt(3 * 672)) {
		t.Errorf("m5.large RIFee for %s hours, want 3 x 672", hours)
	}
}

func TestDefaults(t *testing.T) {
	f := generate(t, Options{})
	if len(f.rows) != DefaultRows {
		t.Errorf("%d rows, want %d", len(f.rows), DefaultRows)
	}
	if got := f.get(f.rows[0], "bill/BillingPeriodStartDate"); got != "2026-09-01T00:00:00Z" {
		t.Errorf("default month starts %s", got)
	}
}

func TestNoResourceTwiceInAnHour(t *testing.T) {
	f := generate(t, Options{Rows: 50000, Seed: 2})
	seenID := map[string]bool{}
	seen := map[string]bool{}
	for _, r := range f.rows {
		id := f.get(r, "identity/LineItemId")
		if len(id) != 52 || seenID[id] {
			t.Fatalf("line item id %q is malformed or repeated", id)
		}
		seenID[id] = true
		res := f.get(r, "lineItem/ResourceId")
		if res == "" {
			continue
		}
		k := strings.Join([]string{f.get(r, "lineItem/LineItemType"), f.get(r, "lineItem/UsageAccountId"),
			res, f.get(r, "lineItem/UsageType"), f.get(r, "identity/TimeInterval")}, "|")
		if seen[k] {
			t.Fatalf("resource billed twice for the same hour: %s", k)
		}
		seen[k] = true
	}
}

func TestTooFewRows(t *testing.T) {
	for _, rows := range []int{-1, 1, MinRows - 1} {
		if _, err := WriteCSV(io.Discard, Options{Rows: rows}); err == nil {
			t.Errorf("Rows %d: no error", rows)
		}
	}
}

type failWriter struct{ left int }

var errDiskFull = errors.New("disk full")

func (w *failWriter) Write(p []byte) (int, error) {
	if len(p) > w.left {
		n := w.left
		w.left = 0
		return n, errDiskFull
	}
	w.left -= len(p)
	return len(p), nil
}

func TestWriteErrorIsReported(t *testing.T) {
	_, err := WriteCSV(&failWriter{left: 3 << 20}, Options{Rows: 100000})
	if !errors.Is(err, errDiskFull) {
		t.Fatalf("err = %v, want disk full", err)
	}
}

// TestConstantMemory: allocations do not grow with the number of rows (the
// few extra ones come from the month-end decimals having more digits).
func TestConstantMemory(t *testing.T) {
	measure := func(rows int) (allocs float64, bytes uint64) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		allocs = testing.AllocsPerRun(1, func() {
			if _, err := WriteCSV(io.Discard, Options{Rows: rows}); err != nil {
				t.Fatal(err)
			}
		})
		runtime.ReadMemStats(&after)
		return allocs, (after.TotalAlloc - before.TotalAlloc) / 2 // AllocsPerRun runs the function twice
	}
	smallN, smallB := measure(1000)
	largeN, largeB := measure(200000)
	t.Logf("1000 rows: %v allocations, %d bytes; 200000 rows: %v allocations, %d bytes", smallN, smallB, largeN, largeB)
	if largeN > smallN+100 || largeB > smallB+64<<10 {
		t.Errorf("memory grows with rows: %v allocations / %d bytes for 1000 rows, %v / %d for 200000",
			smallN, smallB, largeN, largeB)
	}
}

func TestAppendNum(t *testing.T) {
	for _, tc := range []struct {
		v    int64
		want string
	}{
		{0, "0.0"},
		{scale, "1.0"},
		{2160 * scale, "2160.0"},
		{5 * scale / 10, "0.5"},
		{36_000_000, "0.0036"},
		{10_000_000, "0.001"},
		{9_999_999, "9.999999E-4"},
		{14724, "1.4724E-6"},
		{4000, "4.0E-7"},
		{-4400, "-4.4E-7"},
		{1, "1.0E-10"},
		{12_345_678_901, "1.2345678901"},
		{-1_150_000_000, "-0.115"},
		{scale * 10_000_000, "1.0E7"},
		{scale*12_345_678 + 5*scale/10, "1.23456785E7"},
	} {
		got := string(appendNum(nil, tc.v))
		if got != tc.want {
			t.Errorf("appendNum(%d) = %q, want %q", tc.v, got, tc.want)
		}
		if d := decimal.RequireFromString(got); !d.Equal(decimal.New(tc.v, -10)) {
			t.Errorf("%q reads back as %s, want %s", got, d, decimal.New(tc.v, -10))
		}
	}
}

func TestMulRate(t *testing.T) {
	for _, tc := range []struct{ amount, rate, want string }{
		{"1", "0.096", "0.096"},
		{"0.1388888889", "0.08", "0.0111111111"},            // 0.011111111112 rounds down
		{"4801.3603995091", "0.0000166667", "0.0800228334"}, // 0.08002283340...
		{"0.00000005", "0.5", "0.0000000250"},
		{"0.0000000001", "0.5", "0.0000000001"}, // half rounds up
	} {
		got := mulRate(scaledOf(tc.amount), scaledOf(tc.rate))
		if want := scaledOf(tc.want); got != want {
			t.Errorf("%s x %s = %d, want %d", tc.amount, tc.rate, got, want)
		}
	}
}

// ExampleWriteCSV writes the app's sample file and prints its summary.
func ExampleWriteCSV() {
	var buf bytes.Buffer
	sum, err := WriteCSV(&buf, Options{Rows: 200})
	if err != nil {
		panic(err)
	}
	fmt.Println(sum.Rows, "line items,", len(sum.ByAccount), "accounts")
	fmt.Println(strings.SplitN(buf.String(), ",", 4)[:3])
	// Output:
	// 200 line items, 7 accounts
	// [identity/LineItemId identity/TimeInterval bill/InvoiceId]
}

// BenchmarkWriteCSV1M generates the 1,000,000-row import benchmark file.
func BenchmarkWriteCSV1M(b *testing.B) {
	const rows = 1_000_000
	var size int64
	for b.Loop() {
		s, err := WriteCSV(io.Discard, Options{Rows: rows, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		size = s.Bytes
	}
	b.SetBytes(size)
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(size), "bytes/file")
}
