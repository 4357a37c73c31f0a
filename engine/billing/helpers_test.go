package billing

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
	"rebill/engine/lineitem"
	"rebill/engine/money"
)

const (
	period = "2026-09"
	acctA  = "111111111111" // ACME's account, buys the RI and the Savings Plan
	acctB  = "222222222222" // BETA's account
	payer  = "333333333333" // the distributor's shared payer: no customer

	riOfA    = "arn:aws:ec2:us-east-1:111111111111:reserved-instances/ri-a"
	riOfPyr  = "arn:aws:ec2:us-east-1:333333333333:reserved-instances/ri-p"
	spOfA    = "arn:aws:savingsplans::111111111111:savingsplan/sp-a"
	market   = lineitem.MarketplaceEntity
	firewall = "prodfirewall"
)

// li describes a line item compactly; empty fields get defaults (USD, AWS,
// Usage, blended = unblended).
type li struct {
	acct, typ, code, cost string
	pub, blended, arn     string
	entity, ut, currency  string
	seller                string
	day                   string // usage start, YYYY-MM-DD; "" for none
	qty                   string // lineItem/UsageAmount; "" for zero
}

func (l li) item() lineitem.Item {
	d := func(s string) decimal.Decimal {
		if s == "" {
			return decimal.Zero
		}
		return decimal.RequireFromString(s)
	}
	it := lineitem.Item{Provider: lineitem.AWS, BillingPeriod: period, PayerAccount: payer, UsageAccount: l.acct,
		Type: l.typ, BillingEntity: l.entity, LegalEntity: l.seller, ProductCode: l.code, UsageType: l.ut,
		UnblendedCost: d(l.cost), BlendedCost: d(l.blended), PublicOnDemandCost: d(l.pub), Currency: l.currency,
		UsageAmount: d(l.qty)}
	if it.Type == "" {
		it.Type = lineitem.Usage
	}
	if l.day != "" {
		it.UsageStart, _ = time.Parse(time.DateOnly, l.day)
	}
	if it.BillingEntity == "" {
		it.BillingEntity = "AWS"
	}
	if it.Currency == "" {
		it.Currency = "USD"
	}
	if l.blended == "" {
		it.BlendedCost = it.UnblendedCost
	}
	switch it.Type {
	case lineitem.DiscountedUsage, lineitem.RIFee:
		it.ReservationARN = l.arn
	default:
		it.SavingsPlanARN = l.arn
	}
	return it
}

// times repeats a line item n times.
func times(n int, l li) []li {
	out := make([]li, n)
	for i := range out {
		out[i] = l
	}
	return out
}

func flat(groups ...[]li) []li {
	var out []li
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// newMonth adds the items through one reused Item, as the store does.
func newMonth(t testing.TB, cfg Config, items []li) *Month {
	t.Helper()
	if cfg.Period == "" {
		cfg.Period = period
	}
	m, err := NewMonth(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var it lineitem.Item
	for _, l := range items {
		it = l.item()
		if err := m.Add(&it); err != nil {
			t.Fatal(err)
		}
		it = lineitem.Item{UsageAccount: "reused", ProductCode: "reused"} // scribble: the month must have copied
	}
	return m
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// lineAmounts maps "Section/Service" to each printed amount.
func lineAmounts(st *Statement) map[string]string {
	out := map[string]string{}
	for _, s := range st.Sections {
		for _, l := range s.Lines {
			out[string(s.ProductType)+"/"+l.Service] = l.Amount.String()
		}
	}
	return out
}

// checkAddsUp checks what every statement must satisfy: each section
// subtotal is the sum of its lines, the subtotal the sum of the sections,
// the total the sum of the printed figures.
func checkAddsUp(t *testing.T, st *Statement) {
	t.Helper()
	sub := decimal.Zero
	for _, s := range st.Sections {
		ls := decimal.Zero
		for _, l := range s.Lines {
			ls = ls.Add(l.Amount.Decimal())
			if !l.Amount.Decimal().Equal(l.Amount.Decimal().Round(money.Places(st.Currency))) {
				t.Errorf("line %s %s is not at the minor unit", l.Service, l.Amount.Decimal())
			}
		}
		if !ls.Equal(s.Subtotal.Decimal()) {
			t.Errorf("section %s: subtotal %s, lines add up to %s", s.ProductType, s.Subtotal, ls)
		}
		sub = sub.Add(ls)
	}
	if !sub.Equal(st.Subtotal.Decimal()) {
		t.Errorf("subtotal %s, sections add up to %s", st.Subtotal, sub)
	}
	total := sub.Add(st.Discount.Decimal()).Add(st.CreditsApplied.Decimal()).Add(st.Tax.Decimal())
	if !total.Equal(st.Total.Decimal()) {
		t.Errorf("total %s, printed figures add up to %s", st.Total, total)
	}
	taxes := decimal.Zero
	for _, tl := range st.TaxLines {
		taxes = taxes.Add(tl.Amount.Decimal())
	}
	if len(st.TaxLines) > 0 && !taxes.Equal(st.Tax.Decimal()) {
		t.Errorf("tax %s, tax lines add up to %s", st.Tax, taxes)
	}
	if st.CreditsApplied.Decimal().IsPositive() {
		t.Errorf("credits applied %s should not be positive", st.CreditsApplied)
	}
}

var (
	acme = customer.Customer{ID: "ACME", Name: "Acme Corp", Currency: "USD"}
	beta = customer.Customer{ID: "BETA", Name: "Beta Ltd", Currency: "USD"}
	// owners maps acctA to ACME and acctB to BETA; the payer is unassigned.
	owners = map[string]string{acctA: "ACME", acctB: "BETA"}
)

// checkItemCharges decides every line item's charge on its own (ItemCharge)
// and checks that their sums per service are the statement's unrounded
// lines, exactly.
func checkItemCharges(t *testing.T, m *Month, items []li, c customer.Customer, opt Options, st *Statement) {
	t.Helper()
	sum := map[string]decimal.Decimal{}
	for _, l := range items {
		it := l.item()
		ic, err := m.ItemCharge(&it, c, opt)
		if err != nil {
			t.Fatal(err)
		}
		if !ic.Included {
			if ic.Reason == "" || !ic.Billed.IsZero() || !ic.Basis.IsZero() {
				t.Errorf("excluded item %+v: %+v", l, ic)
			}
			continue
		}
		key := string(ic.Section) + "/" + ic.Service
		sum[key] = sum[key].Add(ic.Billed)
	}
	checkItemSums(t, "item charges", st, sum)
}

// checkItemSums compares the item charges' sums per section/service (and
// "/"+tax line) with the statement's unrounded lines from line items
// (recurring and support lines have none).
func checkItemSums(t *testing.T, what string, st *Statement, sum map[string]decimal.Decimal) {
	t.Helper()
	want := map[string]decimal.Decimal{}
	for _, s := range st.Sections {
		if s.ProductType == Support {
			continue
		}
		for _, l := range s.Lines {
			if l.Trace != nil && len(l.Trace.Recurring) > 0 {
				continue
			}
			want[string(s.ProductType)+"/"+l.Service] = l.Unrounded
		}
	}
	for _, tl := range st.TaxLines {
		if tl.Name == ProviderTaxLine {
			want["/"+tl.Name] = tl.Unrounded
		}
	}
	for k, w := range want {
		if g := sum[k]; !g.Equal(w) {
			t.Errorf("%s: %s items sum to %s, the line's unrounded is %s", what, k, g, w)
		}
	}
	for k, g := range sum {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: items of %s (sum %s) have no line on the statement", what, k, g)
		}
	}
}
