package invoice

import (
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/money"
)

// Figures are the printed figures of an invoice: a stable copy of what a
// billing.Statement prints, without its traces and views. An issued
// invoice keeps them as they were; copying them into this package's own
// types (rather than storing the Statement) means a later change of the
// billing engine's Statement never changes what an old invoice reads back
// as. Version covers their form.
//
// They add up as the statement's do: each section's subtotal is the sum
// of its lines, Subtotal the sum of the sections (Support and Marketplace
// are parts of it, shown apart), Tax the sum of TaxLines, and Total =
// Subtotal + Discount + CreditsApplied + Tax.
type Figures struct {
	Currency string         `json:"currency"`
	Sections []Section      `json:"sections"`
	Subtotal billing.Amount `json:"subtotal"`
	Discount billing.Amount `json:"discount"`
	// DiscountPercent is the global discount (negative) or uplift rate the
	// Discount was computed with; zero when there is none.
	DiscountPercent decimal.Decimal `json:"discount_percent"`
	// DiscountBase is the charges the discount or uplift was computed on
	// (billing.DiscountDetail.Base: the AWS charges net of provider
	// credits, without Marketplace, support and recurring charges),
	// printed beside the rate so that the reader can check it ("Discount
	// 3% of 232.21"). Zero on invoices made before it was recorded.
	DiscountBase   decimal.Decimal `json:"discount_base,omitzero"`
	Support        billing.Amount  `json:"support"`
	Marketplace    billing.Amount  `json:"marketplace"`
	CreditsApplied billing.Amount  `json:"credits_applied"` // negative
	TaxLines       []TaxLine       `json:"tax_lines"`
	Tax            billing.Amount  `json:"tax"`
	Total          billing.Amount  `json:"total"`
	// Unrounded is the total at full precision, what the detailed export
	// of the line items ties out to.
	Unrounded decimal.Decimal `json:"unrounded"`
	// Rates are the exchange rates the figures were converted at, with
	// their sources: an issued invoice keeps the rates of its day.
	Rates []Rate `json:"rates"`
}

// IsUplift tells whether the adjustment raises the charges (an uplift)
// rather than lowering them (a discount), as every document and export
// names it: by its rate's sign, or where no rate was recorded by its
// amount against the subtotal's, so that a credit note, whose figures are
// the invoice's negated, reverses a discount as a discount.
func (f Figures) IsUplift() bool {
	if !f.DiscountPercent.IsZero() {
		return f.DiscountPercent.IsPositive()
	}
	d, s := f.Discount.Decimal(), f.Subtotal.Decimal()
	if s.IsNegative() {
		return d.IsNegative()
	}
	return d.IsPositive()
}

// Section is one product type's printed lines.
type Section struct {
	ProductType billing.ProductType `json:"product_type"`
	Lines       []Line              `json:"lines"`
	Subtotal    billing.Amount      `json:"subtotal"`
}

// Line is one printed service line.
type Line struct {
	// Service is the product code, support plan or charge description;
	// Name the product's name (and Marketplace seller) when known.
	Service   string          `json:"service"`
	Name      string          `json:"name,omitempty"`
	Amount    billing.Amount  `json:"amount"`
	Unrounded decimal.Decimal `json:"unrounded"`
}

// Description is how the line reads on the document: the product's name
// when known, else the service.
func (l Line) Description() string {
	if l.Name != "" {
		return l.Name
	}
	return l.Service
}

// TaxLine is one tax: a named rate on a base, or the provider's tax
// passed through (Percent zero).
type TaxLine struct {
	Name      string          `json:"name"`
	Percent   decimal.Decimal `json:"percent"`
	Base      decimal.Decimal `json:"base"`
	Unrounded decimal.Decimal `json:"unrounded"`
	Amount    billing.Amount  `json:"amount"`
}

// Rate is an exchange rate with where it came from: one the statement
// converted provider charges at (Period set), or the display rate of a
// converted view (Date set). 1 From = Rate To.
type Rate struct {
	From   string          `json:"from"`
	To     string          `json:"to"`
	Period string          `json:"period,omitempty"`
	Date   Date            `json:"date"`
	Rate   decimal.Decimal `json:"rate"`
	Source string          `json:"source"`
}

// FiguresOf copies the printed figures of a statement: those of the
// invoice made from it, which the statement's faces word as the
// documents do (document.AdjustmentLabel).
func FiguresOf(st *billing.Statement) Figures {
	f := Figures{Currency: st.Currency, Subtotal: st.Subtotal, Discount: st.Discount, Support: st.Support,
		Marketplace: st.Marketplace, CreditsApplied: st.CreditsApplied, Tax: st.Tax, Total: st.Total,
		Unrounded: st.Unrounded, Sections: make([]Section, 0, len(st.Sections)),
		TaxLines: make([]TaxLine, 0, len(st.TaxLines)), Rates: make([]Rate, 0, len(st.Rates))}
	if st.DiscountDetail != nil {
		f.DiscountPercent, f.DiscountBase = st.DiscountDetail.Percent, st.DiscountDetail.Base
	}
	for _, s := range st.Sections {
		sec := Section{ProductType: s.ProductType, Subtotal: s.Subtotal, Lines: make([]Line, 0, len(s.Lines))}
		for _, l := range s.Lines {
			sec.Lines = append(sec.Lines, Line{Service: l.Service, Name: l.Name, Amount: l.Amount, Unrounded: l.Unrounded})
		}
		f.Sections = append(f.Sections, sec)
	}
	for _, t := range st.TaxLines {
		f.TaxLines = append(f.TaxLines, TaxLine{Name: t.Name, Percent: t.Percent, Base: t.Base, Unrounded: t.Unrounded, Amount: t.Amount})
	}
	for _, r := range st.Rates {
		f.Rates = append(f.Rates, Rate{From: r.From, To: r.To, Period: r.Period, Rate: r.Rate, Source: r.Source})
	}
	return f
}

// clone copies the figures' slices.
func (f Figures) clone() Figures {
	out := f
	out.Sections = make([]Section, len(f.Sections))
	for i, s := range f.Sections {
		s.Lines = slices.Clone(s.Lines)
		out.Sections[i] = s
	}
	out.TaxLines = slices.Clone(f.TaxLines)
	out.Rates = slices.Clone(f.Rates)
	return out
}

// amounts calls fn with every printed figure.
func (f *Figures) amounts(fn func(*billing.Amount)) {
	for i := range f.Sections {
		s := &f.Sections[i]
		for j := range s.Lines {
			fn(&s.Lines[j].Amount)
		}
		fn(&s.Subtotal)
	}
	for i := range f.TaxLines {
		fn(&f.TaxLines[i].Amount)
	}
	for _, a := range []*billing.Amount{&f.Subtotal, &f.Discount, &f.Support, &f.Marketplace, &f.CreditsApplied, &f.Tax, &f.Total} {
		fn(a)
	}
}

// attach gives every figure the figures' currency (JSON amounts carry
// none) and refuses one that is not at the currency's minor unit: a
// printed figure always is, so another value means the stored invoice was
// altered or damaged.
func (f *Figures) attach() error {
	if _, ok := money.MinorUnits(f.Currency); !ok {
		return fmt.Errorf("currency %q is not an ISO 4217 code", f.Currency)
	}
	var err error
	f.amounts(func(a *billing.Amount) {
		r := printed(a.Decimal(), f.Currency)
		if err == nil && !r.Decimal().Equal(a.Decimal()) {
			err = fmt.Errorf("amount %s has more decimals than %s allows", a.Decimal(), f.Currency)
		}
		*a = r
	})
	return err
}

// check verifies that the figures add up as printed figures must.
func (f Figures) check() error {
	sub := zero(f.Currency)
	for _, s := range f.Sections {
		ls := zero(f.Currency)
		for _, l := range s.Lines {
			ls = ls.Add(l.Amount)
		}
		if !ls.Decimal().Equal(s.Subtotal.Decimal()) {
			return fmt.Errorf("the %s subtotal %s is not the sum of its lines, %s", s.ProductType, s.Subtotal, ls)
		}
		sub = sub.Add(s.Subtotal)
	}
	if !sub.Decimal().Equal(f.Subtotal.Decimal()) {
		return fmt.Errorf("the subtotal %s is not the sum of the sections, %s", f.Subtotal, sub)
	}
	if len(f.TaxLines) > 0 {
		tax := zero(f.Currency)
		for _, t := range f.TaxLines {
			tax = tax.Add(t.Amount)
		}
		if !tax.Decimal().Equal(f.Tax.Decimal()) {
			return fmt.Errorf("the tax %s is not the sum of the tax lines, %s", f.Tax, tax)
		}
	}
	if tot := f.Subtotal.Add(f.Discount).Add(f.CreditsApplied).Add(f.Tax); !tot.Decimal().Equal(f.Total.Decimal()) {
		return fmt.Errorf("the total %s is not subtotal + discount + credits + tax, %s", f.Total, tot)
	}
	return nil
}

// Services is the part of Subtotal that is neither Support, Marketplace
// nor the reseller's recurring charges: the cloud charges the discount
// and tax bases start from, shown as its own line above the others.
func (f Figures) Services() billing.Amount {
	return f.Subtotal.Add(f.Support.Neg()).Add(f.Marketplace.Neg()).Add(f.Recurring().Neg())
}

// Recurring is the sum of the Recurring section: the reseller's own
// recurring and managed-service charges, never cloud services. Invoices
// made before that section existed printed them under Other, and count
// them as services.
func (f Figures) Recurring() billing.Amount {
	sum := zero(f.Currency)
	for _, s := range f.Sections {
		if s.ProductType == billing.Recurring {
			sum = sum.Add(s.Subtotal)
		}
	}
	return sum
}

// LineCount is the number of printed service lines.
func (f Figures) LineCount() int {
	n := 0
	for _, s := range f.Sections {
		n += len(s.Lines)
	}
	return n
}

// negate returns the figures with every amount's sign reversed: what a
// credit note for all of an invoice prints.
func (f Figures) negate() Figures {
	out := f.clone()
	out.amounts(func(a *billing.Amount) { *a = a.Neg() })
	out.Unrounded = f.Unrounded.Neg()
	out.DiscountBase = f.DiscountBase.Neg()
	for i := range out.Sections {
		for j := range out.Sections[i].Lines {
			l := &out.Sections[i].Lines[j]
			l.Unrounded = l.Unrounded.Neg()
		}
	}
	for i := range out.TaxLines {
		t := &out.TaxLines[i]
		t.Base, t.Unrounded = t.Base.Neg(), t.Unrounded.Neg()
	}
	return out
}

// printed makes a printed figure from a value already at the currency's
// minor unit (HalfUp leaves such a value as it is); a value with more
// decimals is rounded half-up, which callers only allow at a documented
// rounding point.
func printed(d decimal.Decimal, currency string) billing.Amount {
	return billing.HalfUp.Round(d, currency)
}

// zero is a printed 0 in the currency.
func zero(currency string) billing.Amount { return printed(decimal.Zero, currency) }

// atMinorUnit reports whether d needs no rounding in the currency.
func atMinorUnit(d decimal.Decimal, currency string) bool {
	return printed(d, currency).Decimal().Equal(d)
}
