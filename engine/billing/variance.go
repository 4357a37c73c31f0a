package billing

import (
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
)

// Variance answers "why does my AWS console show another price?": per
// service, what the console shows for the customer's accounts (unblended
// and blended, each service rounded to the cent as the console does, in the
// invoice currency at the statement's rate) against the statement, with
// the difference split by cause. On every row
//
//	Statement - ConsoleUnblended = Rerating + Markup + Support + Rounding
//	                               + Excluded + Kept + Custom + Tax + Credits
//
// where Rerating is the cost basis and re-rating (round(basis) -
// round(unblended)), Markup the pricing rules and the global discount,
// Support the recomputed plan against the provider's support lines,
// Rounding what rounding per line instead of per total changes (on the
// total row), Excluded what the statement leaves out (Marketplace not
// included), Kept the provider discounts the reseller keeps as its
// margin (the customer is billed before them), Custom the recurring charges, Tax the statement's tax
// against the provider's Tax lines, Credits the reseller credits applied.
type Variance struct {
	CustomerID string             `json:"customer_id"`
	Period     string             `json:"period"`
	Currency   string             `json:"currency"`
	Basis      customer.CostBasis `json:"basis"`
	Lines      []VarianceLine     `json:"lines"`
	Total      VarianceLine       `json:"total"`
}

// TaxService is the Service of a variance's tax row: the statement's tax
// against the provider's Tax lines, which has no section.
const TaxService = "Tax"

// IsTax tells whether the line is the variance's tax row.
func (l VarianceLine) IsTax() bool { return l.Service == TaxService && l.ProductType == "" }

// VarianceLine is one service's console figures against the statement.
type VarianceLine struct {
	Service          string      `json:"service"`
	ProductType      ProductType `json:"product_type,omitempty"`
	ConsoleUnblended Amount      `json:"console_unblended"`
	ConsoleBlended   Amount      `json:"console_blended"`
	Statement        Amount      `json:"statement"`
	Difference       Amount      `json:"difference"` // Statement - ConsoleUnblended
	Rerating         Amount      `json:"rerating"`
	Markup           Amount      `json:"markup"`
	Support          Amount      `json:"support"`
	Rounding         Amount      `json:"rounding"`
	Excluded         Amount      `json:"excluded"`
	Kept             Amount      `json:"kept_discounts"`
	Custom           Amount      `json:"custom"`
	Tax              Amount      `json:"tax"`
	Credits          Amount      `json:"credits"`
	// Cause names the non-zero causes, largest first.
	Cause string `json:"cause"`
}

func (b *builder) variance(st *Statement) Variance {
	cur := b.currency
	round := func(d decimal.Decimal) Amount { return b.mode.Round(d, cur) }
	newLine := func(service string, pt ProductType, u, bl decimal.Decimal, statement Amount) VarianceLine {
		z := zero(cur)
		return VarianceLine{Service: service, ProductType: pt, ConsoleUnblended: round(u), ConsoleBlended: round(bl),
			Statement: statement, Rerating: z, Markup: z, Support: z, Rounding: z, Excluded: z, Kept: z, Custom: z, Tax: z, Credits: z}
	}
	v := Variance{CustomerID: st.CustomerID, Period: st.Period, Currency: cur, Basis: st.Basis, Lines: []VarianceLine{}}
	var allU, allBl decimal.Decimal
	var support, tax struct{ u, bl decimal.Decimal }
	var rows []*lineAcc
	for _, la := range b.order {
		allU, allBl = allU.Add(la.unblended), allBl.Add(la.blended)
		switch la.key.role {
		case roleProviderSupport:
			support.u, support.bl = support.u.Add(la.unblended), support.bl.Add(la.blended)
		case roleTax, roleMarketTax:
			tax.u, tax.bl = tax.u.Add(la.unblended), tax.bl.Add(la.blended)
		case roleCharge, roleMarketplace, roleCredit, roleRecurring, roleProviderDiscount:
			rows = append(rows, la)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		x, y := rows[i].key, rows[j].key
		if x.section != y.section {
			return sectionOrder(x.section) < sectionOrder(y.section)
		}
		return x.service < y.service
	})
	for _, la := range rows {
		l := newLine(la.key.service, la.key.section, la.unblended, la.blended, zero(cur))
		switch {
		case la.key.role == roleRecurring:
			l.Statement, l.Custom = la.amount, la.amount
		case la.key.role == roleProviderDiscount && !la.onStatement:
			l.Kept = l.ConsoleUnblended.Neg()
		case !la.onStatement:
			l.Excluded = l.ConsoleUnblended.Neg()
		default:
			basis := round(la.basis)
			l.Statement = la.amount
			l.Rerating = basis.Add(l.ConsoleUnblended.Neg())
			l.Markup = la.amount.Add(basis.Neg())
		}
		v.Lines = append(v.Lines, l)
	}
	if !st.Support.IsZero() || !support.u.IsZero() || b.support != nil {
		l := newLine("Support", Support, support.u, support.bl, st.Support)
		l.Support = st.Support.Add(l.ConsoleUnblended.Neg())
		v.Lines = append(v.Lines, l)
	}
	if !st.Discount.IsZero() {
		l := newLine("Discount", "", decimal.Zero, decimal.Zero, st.Discount)
		l.Markup = st.Discount
		v.Lines = append(v.Lines, l)
	}
	if !st.Tax.IsZero() || !tax.u.IsZero() {
		l := newLine(TaxService, "", tax.u, tax.bl, st.Tax)
		l.Tax = st.Tax.Add(l.ConsoleUnblended.Neg())
		v.Lines = append(v.Lines, l)
	}
	if !st.CreditsApplied.IsZero() {
		l := newLine("Reseller credits", "", decimal.Zero, decimal.Zero, st.CreditsApplied)
		l.Credits = st.CreditsApplied
		v.Lines = append(v.Lines, l)
	}

	t := newLine("Total", "", allU, allBl, st.Total)
	consoleSum := zero(cur)
	for i := range v.Lines {
		l := &v.Lines[i]
		l.Difference = l.Statement.Add(l.ConsoleUnblended.Neg())
		l.Cause = causeOf(l)
		consoleSum = consoleSum.Add(l.ConsoleUnblended)
		t.Rerating, t.Markup, t.Support = t.Rerating.Add(l.Rerating), t.Markup.Add(l.Markup), t.Support.Add(l.Support)
		t.Excluded, t.Custom, t.Kept = t.Excluded.Add(l.Excluded), t.Custom.Add(l.Custom), t.Kept.Add(l.Kept)
		t.Tax, t.Credits = t.Tax.Add(l.Tax), t.Credits.Add(l.Credits)
	}
	// The console rounds its total once; the rows were rounded one by one.
	t.Rounding = consoleSum.Add(t.ConsoleUnblended.Neg())
	t.Difference = t.Statement.Add(t.ConsoleUnblended.Neg())
	t.Cause = causeOf(&t)
	v.Total = t
	return v
}

// causeOf names a row's non-zero causes, the largest first.
func causeOf(l *VarianceLine) string {
	type cause struct {
		name string
		a    Amount
	}
	cs := []cause{{"re-rating", l.Rerating}, {"markup", l.Markup}, {"support", l.Support}, {"rounding", l.Rounding},
		{"excluded", l.Excluded}, {"provider discount kept", l.Kept}, {"custom charge", l.Custom}, {"tax", l.Tax}, {"credits", l.Credits}}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].a.Decimal().Abs().GreaterThan(cs[j].a.Decimal().Abs()) })
	var names []string
	for _, c := range cs {
		if !c.a.IsZero() {
			names = append(names, c.name)
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}
