package view

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/ingest"
	"rebill/engine/invoice"
	"rebill/engine/lineitem"
	"rebill/store"
)

// acme is invoiced in USD with VAT 20%.
var acme = customer.Customer{ID: "ACME", Name: "Acme Retail", Currency: "USD", TermsDays: 30, Basis: customer.BasisRerated,
	TaxRates: []customer.TaxRate{{Name: "VAT 20%", Percent: decimal.NewFromInt(20)}}}

// septemberOf computes ACME's September 2024 statement with the engine.
// By hand: AmazonEC2 1.0000000001 + 2.5 = 3.5000000001, printed 3.50;
// AmazonS3 0.125, printed 0.13 (half-up); subtotal 3.63; with tax, VAT
// 20% of 3.63 = 0.726, printed 0.73; total 4.36.
func septemberOf(t *testing.T, opt billing.Options) *billing.Statement {
	t.Helper()
	return statementFor(t, acme, opt)
}

// statementFor is c's statement of septemberOf's month, c owning its
// account.
func statementFor(t *testing.T, c customer.Customer, opt billing.Options) *billing.Statement {
	t.Helper()
	return statementOf(t, c, opt, []struct{ code, cost string }{{"AmazonEC2", "1.0000000001"}, {"AmazonEC2", "2.5"}, {"AmazonS3", "0.125"}})
}

// statementOf is c's statement of a month of these charges of its
// account.
func statementOf(t *testing.T, c customer.Customer, opt billing.Options, charges []struct{ code, cost string }) *billing.Statement {
	t.Helper()
	m, err := billing.NewMonth(billing.Config{Period: "2024-09", Owners: map[string]string{"444455556666": "ACME"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range charges {
		item := lineitem.Item{Provider: lineitem.AWS, BillingPeriod: "2024-09", UsageAccount: "444455556666", Type: lineitem.Usage,
			BillingEntity: "AWS", ProductCode: it.code, Currency: "USD",
			UnblendedCost: decimal.RequireFromString(it.cost), BlendedCost: decimal.RequireFromString(it.cost)}
		if err := m.Add(&item); err != nil {
			t.Fatal(err)
		}
	}
	st, err := m.Statement(c, billing.Ledger{}, opt)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// rowTexts is a table row's texts, "|"-joined.
func rowTexts(r Row) string {
	var s []string
	for _, c := range r.Cells {
		s = append(s, c.Text)
	}
	return strings.Join(s, "|")
}

// TestStatementNamesTheAdjustmentAsTheInvoice: the discount or uplift row
// reads as the invoice prints it, its base at the currency's cents (the
// base 2.50 + 0.60 was written "3.1" before).
func TestStatementNamesTheAdjustmentAsTheInvoice(t *testing.T) {
	charges := []struct{ code, cost string }{{"AmazonEC2", "2.5"}, {"AmazonS3", "0.6"}}
	for _, tc := range []struct {
		adjustment, want string
	}{
		// 3.10 x 10 / 100 = 0.31, full precision with the product's
		// four decimals as for the tax below: 0.3100.
		{"10", "Uplift 10% of 3.10||0.31|0.3100"},
		// 3.10 x -5 / 100 = -0.1550, half away from zero: -0.16.
		{"-5", "Discount 5% of 3.10||-0.16|-0.1550"},
	} {
		c := acme
		c.Adjustment = decimal.RequireFromString(tc.adjustment)
		v := NewStatement(statementOf(t, c, billing.Options{}, charges))
		i := slices.IndexFunc(v.Rows, func(r StatementRow) bool { return r.Label() == "Subtotal" })
		if i < 0 || i+1 >= len(v.Rows) {
			t.Fatalf("adjustment %s: no row after the subtotal", tc.adjustment)
		}
		if got := rowTexts(v.Rows[i+1].Row); got != tc.want {
			t.Errorf("adjustment %s: row %q, want %q", tc.adjustment, got, tc.want)
		}
	}
}

func TestNewStatement(t *testing.T) {
	v := NewStatement(septemberOf(t, billing.Options{Tax: true}))
	want := []string{
		"Compute|||",
		"    AmazonEC2||3.50|3.5000000001",
		"    Compute subtotal||3.50|",
		"Storage|||",
		"    AmazonS3||0.13|0.125",
		"    Storage subtotal||0.13|",
		"|||",
		"Subtotal||3.63|",
		"Discount||0.00|",
		"Reseller credits applied|not applied (option off)|0.00|",
		// 3.63 x 20 / 100 keeps the digits of the product: 0.7260. The
		// name states the rate, so only the base follows it.
		"Tax: VAT 20% on 3.63||0.73|0.7260",
	}
	if len(v.Rows) < len(want)+1 {
		t.Fatalf("%d rows, want at least %d", len(v.Rows), len(want)+1)
	}
	for i, w := range want {
		if got := rowTexts(v.Rows[i].Row); got != w {
			t.Errorf("row %d = %q, want %q", i, got, w)
		}
	}
	total := v.Rows[len(want)]
	if total.Label() != "Total" || total.Cells[2].Text != "USD 4.36" || !total.Cells[0].Bold {
		t.Errorf("total row %+v", total.Cells)
	}
	ec2 := v.Rows[1]
	if ec2.Line == nil || ec2.Section != "Compute" || ec2.Cells[3].Tone != Low || ec2.Cells[2].Tone != Normal {
		t.Errorf("a service line opens its trace and greys its full precision: %+v", ec2)
	}
	if !v.Rows[0].Cells[0].Bold || v.Rows[2].Cells[0].Tone != Low {
		t.Errorf("section heading bold, subtotal grey: %+v %+v", v.Rows[0].Cells[0], v.Rows[2].Cells[0])
	}
	if v.AmountTitle != "Amount (USD)" || strings.Join(v.Totals, " ") != "3.63 0.00 0.00 0.73 USD 4.36" {
		t.Errorf("title %q, totals %q", v.AmountTitle, v.Totals)
	}
	// The usage view: each line item to the cent first, 1.00 + 2.50 = 3.50
	// and 0.13; the same 3.63 as the bill.
	if n := len(v.Usage); n != 3 || rowTexts(v.Usage[n-1]) != "Total||USD 3.63|USD 3.63|0.00" || !v.Usage[n-1].Cells[0].Bold {
		t.Errorf("usage %+v", v.Usage)
	}
	if !strings.HasPrefix(v.UsageNote, "The bill's lines come to USD 3.63; rounding each line item first gives USD 3.63: a difference of 0.00.") {
		t.Errorf("usage note %q", v.UsageNote)
	}
	// The console shows 3.63; the statement 4.36 with the tax.
	last := v.Console[len(v.Console)-1]
	if last.Cells[0].Text != "Total USD" || last.Cells[3].Text != "4.36" || last.Cells[4].Tone != Warning || !strings.Contains(last.Cells[5].Text, "tax") {
		t.Errorf("console total %+v", last.Cells)
	}
	if !strings.Contains(v.ConsoleNote, "tax 0.73") {
		t.Errorf("console note %q", v.ConsoleNote)
	}

	// Without tax: no tax rate line, and why.
	v = NewStatement(septemberOf(t, billing.Options{}))
	found := false
	for _, r := range v.Rows {
		if r.Label() == "Tax" {
			found = rowTexts(r.Row) == "Tax|not added (option off)|0.00|"
		}
	}
	if !found {
		t.Error("no Tax row saying the option is off")
	}
}

func TestNewTrace(t *testing.T) {
	st := septemberOf(t, billing.Options{})
	sec := st.Sections[0]
	tr := NewTrace(st, sec.ProductType, sec.Lines[0])
	facts := map[string]string{}
	for _, f := range tr.Facts {
		facts[f[0]] = f[1]
	}
	// 3.5000000001 printed 3.50: the rounding took 0.0000000001 off.
	for k, want := range map[string]string{
		"Statement line": "AmazonEC2, in the Compute section of ACME's 2024-09 statement",
		"Printed amount": "USD 3.50",
		"Full precision": "USD 3.5000000001",
		"Rounding":       "half-up to the USD minor unit: adjustment -0.0000000001",
		"Cost basis":     "re-rated (reservations and Savings Plans stay with the customer that bought them)",
	} {
		if facts[k] != want {
			t.Errorf("%s = %q, want %q", k, facts[k], want)
		}
	}
	if len(tr.Sections) < 2 || tr.Sections[0].Title != "Line items by type (2 line items in all)" ||
		strings.Join(tr.Sections[0].Rows[0], "|") != "Usage|USD|2|3.5000000001|3.5000000001" {
		t.Fatalf("sections %+v", tr.Sections)
	}
	if s := tr.Sections[1]; s.Title != "Pricing rules applied" || s.Note != "None: the line is charged at its cost basis." {
		t.Errorf("rules section %+v", s)
	}
	rules := ruleText(customer.PricingRule{ProductCode: "AmazonEC2", UsageType: "BoxUsage"})
	if rules != "product code AmazonEC2, usage type BoxUsage" || ruleText(customer.PricingRule{}) != "every charge" {
		t.Errorf("rule text %q", rules)
	}
}

func TestSummaryRow(t *testing.T) {
	r := SummaryRow(acme, septemberOf(t, billing.Options{Tax: true}), nil)
	// Credits are off: their cell is blank, the tax's 0.73 shown.
	if got := rowTexts(r); got != "Acme Retail (ACME)|3.63|0.00||0.73|USD 4.36||" || r.ID != "ACME" || !r.Cells[SumTotal].Bold || r.Cells[SumNote].Tone != Low {
		t.Errorf("row %q %+v", got, r)
	}
	if got := rowTexts(SummaryRow(acme, septemberOf(t, billing.Options{Credits: true}), nil)); got != "Acme Retail (ACME)|3.63|0.00|0.00||USD 3.63||" {
		t.Errorf("with credits, without tax: %q", got)
	}
	// The engine's notes ask to look twice: ACME without its tax rates.
	noRates := acme
	noRates.TaxRates = nil
	r = SummaryRow(noRates, statementFor(t, noRates, billing.Options{Tax: true}), nil)
	if c := r.Cells[SumNote]; c.Text != billing.NoteNoTaxRates+"." || c.Tone != Warning {
		t.Errorf("a noted statement's note %q (%v)", c.Text, c.Tone)
	}
	rate := &billing.RateError{From: "USD", To: "EUR", Period: "2024-09", Err: billing.ErrNoRate}
	r = SummaryRow(acme, nil, rate)
	if r.Cells[SumNote].Text != "needs the USD → EUR rate for 2024-09" || r.Cells[SumNote].Tone != Danger || r.Cells[SumTotal].Text != "" {
		t.Errorf("a missing rate %+v", r.Cells)
	}
	// Other problems are cut at 70 characters: 69 and an ellipsis.
	long := errors.New(strings.Repeat("x", 80))
	if got := SummaryRow(acme, nil, long).Cells[SumNote].Text; got != "no statement: "+strings.Repeat("x", 69)+"…" {
		t.Errorf("long problem %q", got)
	}
	text, re := NoStatement(acme, rate)
	if re != rate || text != "No statement yet: Acme Retail is invoiced in EUR and its charges are in USD, so it needs the USD → EUR exchange rate for 2024-09." {
		t.Errorf("missing rate %q", text)
	}
	if EnterRate(rate) != "Enter the USD → EUR rate for 2024-09…" {
		t.Errorf("button %q", EnterRate(rate))
	}
	bad := &billing.RateError{From: "USD", To: "EUR", Period: "2024-09", Err: errors.New("the rate is not positive")}
	if text, _ := NoStatement(acme, bad); !strings.HasSuffix(text, "for 2024-09. (the rate is not positive)") {
		t.Errorf("bad rate %q", text)
	}
	if text, re := NoStatement(acme, errors.New("boom")); text != "No statement: boom" || re != nil {
		t.Errorf("other problem %q %v", text, re)
	}
}

func TestReportWarningAndEmpty(t *testing.T) {
	un := []billing.AccountTotal{{Account: "111122223333", Currency: "USD", Unblended: decimal.RequireFromString("3.5000000001")},
		{Account: "777788889999", Currency: "USD", Unblended: decimal.RequireFromString("0.5")}}
	cases := []struct {
		name          string
		final, single bool
		un            []billing.AccountTotal
		want          string
	}{
		{"final, all assigned", true, false, nil, ""},
		{"provisional", false, true, un,
			"Provisional data: the provider has not closed 2024-10 yet and may re-deliver it, so these figures may still change."},
		{"one account nobody owns", true, false, un[1:],
			"1 account with charges this month belongs to no customer and is on no statement: 777788889999 (USD 0.50). Map it on the Customers screen."},
		{"two", true, false, un,
			"2 accounts with charges this month belong to no customer and are on no statement: 111122223333 (USD 3.50), 777788889999 (USD 0.50). Map them on the Customers screen."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := ReportWarning("2024-10", tc.final, tc.single, tc.un); got != tc.want {
				t.Errorf("warning\n got %q\nwant %q", got, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		period            string
		picked, customers int
		button, screen    string
		ok                bool
	}{
		{"", 0, 0, "Go to Import", "Import", false},
		{"2024-10", 0, 0, "Go to Customers", "Customers", false},
		{"2024-10", 0, 3, "", "", false},
		{"2024-10", 2, 3, "", "", true},
	} {
		text, button, screen, ok := ReportEmpty(tc.period, tc.picked, tc.customers)
		if button != tc.button || screen != tc.screen || ok != tc.ok || (text == "") != ok {
			t.Errorf("ReportEmpty(%q, %d, %d) = %q %q %q %v", tc.period, tc.picked, tc.customers, text, button, screen, ok)
		}
	}
}

func TestOptionsText(t *testing.T) {
	for _, tc := range []struct {
		o    billing.Options
		want string
	}{
		{billing.Options{}, "without credits, tax or Marketplace"},
		{billing.Options{Tax: true}, "with tax"},
		{billing.Options{Credits: true, Tax: true, Marketplace: true, MarketplaceCredits: true}, "with reseller credits, tax, Marketplace, credits for Marketplace"},
	} {
		if got := OptionsText(tc.o); got != tc.want {
			t.Errorf("OptionsText(%+v) = %q, want %q", tc.o, got, tc.want)
		}
	}
	if got := StatementSubheading(septemberOf(t, billing.Options{Tax: true})); got != "AWS · In USD · re-rated basis · half-up rounding · with tax" {
		t.Errorf("subheading %q", got)
	}
	if got := ReportHeading("Group EMEA", "2024-10", false); got != "Group EMEA — 2024-10 · Provisional" {
		t.Errorf("heading %q", got)
	}
	if MonthLabel("2024-09", true) != "2024-09  ·  Final" || Computing("2024-10", 1234) != "Computing 2024-10 (1,234 line items)…" {
		t.Error("month label or computing text")
	}
}

func TestMonthProviders(t *testing.T) {
	period := func(month string, p lineitem.Provider) store.Period {
		var sp store.Period
		sp.Period, sp.Provider = month, p
		return sp
	}
	got := MonthProviders([]store.Period{period("2024-09", lineitem.Azure), period("2024-09", lineitem.AWS),
		period("2024-09", lineitem.Azure), period("2024-10", lineitem.OCI)})
	if !slices.Equal(got["2024-09"], []lineitem.Provider{lineitem.AWS, lineitem.Azure}) || !slices.Equal(got["2024-10"], []lineitem.Provider{lineitem.OCI}) {
		t.Errorf("MonthProviders = %v", got)
	}
}

func TestProviderPayers(t *testing.T) {
	ds := []ingest.Delivery{{Provider: lineitem.AWS, Payer: "836060457634"}, {Provider: lineitem.Azure, Payer: "8611537"},
		{Provider: lineitem.Azure, Payer: "8611537"}}
	if got := ProviderPayers(ds); got != "AWS 836060457634, Microsoft Azure 8611537" {
		t.Errorf("ProviderPayers = %q", got)
	}
}

// TestInvoicedSummary: once the month is invoiced, the summary row names
// the invoice by its number in a column of its own; while the month
// computes as invoiced the note stays as it was, and once it differs the
// note says by how much first. ACME's invoice is the month with tax
// (total 4.36); computed again without tax it totals 3.63: by hand, a
// change of -0.73.
func TestInvoicedSummary(t *testing.T) {
	issued, err := invoice.NewDraft("7", septemberOf(t, billing.Options{Tax: true}), acme, customer.Profile{CompanyName: "Reseller"}, testNow)
	if err != nil {
		t.Fatal(err)
	}
	issued.Number = "INV-2024-0007"
	same := SummaryRow(acme, septemberOf(t, billing.Options{Tax: true}), nil)
	r := InvoicedSummary(same, &invoice.Reported{Invoice: issued})
	if r.Cells[SumInvoice].Text != "INV-2024-0007" || r.Cells[SumNote] != same.Cells[SumNote] {
		t.Errorf("invoiced, unchanged: invoice %q, note %+v (was %+v)", r.Cells[SumInvoice].Text, r.Cells[SumNote], same.Cells[SumNote])
	}
	fresh := septemberOf(t, billing.Options{})
	diff, err := invoice.Diff(issued, fresh)
	if err != nil {
		t.Fatal(err)
	}
	noted := SummaryRow(acme, fresh, nil)
	noted.Cells[SumNote].Text = "check the rates"
	r = InvoicedSummary(noted, &invoice.Reported{Invoice: issued, Difference: diff})
	if got := r.Cells[SumNote]; got.Text != "now differs from the invoice by -0.73; check the rates" || got.Tone != Warning {
		t.Errorf("changed: note %+v", got)
	}
	// A row that has no statement keeps its problem alone.
	failed := SummaryRow(acme, nil, errors.New("no rate"))
	if r := InvoicedSummary(failed, &invoice.Reported{Invoice: issued, Difference: diff}); r.Cells[SumInvoice].Text != "" || r.Cells[SumNote] != failed.Cells[SumNote] {
		t.Errorf("problem row: %+v", r)
	}
}
