package invoice

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/money"
)

// View is an invoice as a document shows it: its own figures, or the same
// figures converted to a display currency at a stated rate. Documents
// render Views, so a converted invoice is only ever a view: the stored
// invoice, its currency and its figures never change, and the store takes
// an Invoice, not a View.
type View struct {
	// Invoice is the stored invoice; its figures stay in its currency.
	Invoice Invoice `json:"invoice"`
	// Figures are what is printed: Invoice.Figures, or their conversion.
	Figures Figures `json:"figures"`
	// Conversion is the display rate with its source and date, printed on
	// the document; nil when the figures are the invoice's own.
	Conversion *Rate `json:"conversion,omitempty"`
	// Audit is the audit log's end when the document was exported,
	// printed in its small print so the accountant can keep it outside
	// the database (see Head); nil prints none.
	Audit *Head `json:"audit,omitempty"`
	// Settlement is what has been credited and paid on an Open invoice
	// when the document is made (Invoice.Settlement), printed under its
	// total with the balance the payment text asks for; nil prints none.
	Settlement *Settlement `json:"settlement,omitempty"`
}

// View shows the invoice in its own currency, as printed (see
// Figures.Printed: an uplift folded into the prices unless the reseller
// prints it under its own wording).
func (inv Invoice) View() View {
	return View{Invoice: inv, Figures: inv.Figures.Printed(inv.Seller.UpliftWording)}
}

// Convert shows the invoice in another currency at rate (1 invoice
// currency = rate to), from source on the given day; all three are printed
// on the document. Converting to the invoice's own currency gives View().
//
// The rounding point: each printed line (service line, discount, credits
// applied, each tax line) is multiplied by the rate and rounded once to
// the target currency's minor unit with the invoice's rounding; section
// subtotals, Subtotal, Support, Marketplace, Tax and Total are sums of
// those converted figures, so the converted document adds up exactly as
// the original does. Its total can therefore differ from Total x rate by
// a few minor units; the invoice remains payable in its own currency.
func (inv Invoice) Convert(to string, rate decimal.Decimal, source string, on Date) (View, error) {
	to = strings.ToUpper(strings.TrimSpace(to))
	switch _, known := money.MinorUnits(to); {
	case to == inv.Currency:
		return inv.View(), nil
	case !known:
		return View{}, fmt.Errorf("display currency %q is not an ISO 4217 code", to)
	case !rate.IsPositive():
		return View{}, fmt.Errorf("display rate %s is not positive: write how many %s one %s buys", rate, to, inv.Currency)
	case strings.TrimSpace(source) == "":
		return View{}, fmt.Errorf("the display rate needs its source (e.g. \"ECB reference rate\"): it is printed on the document")
	case on.IsZero():
		return View{}, fmt.Errorf("the display rate needs its date: it is printed on the document")
	}
	mode := inv.rounding()
	conv := func(a billing.Amount) billing.Amount { return mode.Round(a.Decimal().Mul(rate), to) }
	src := inv.Figures.Printed(inv.Seller.UpliftWording)
	f := Figures{Currency: to, Discount: conv(src.Discount), CreditsApplied: conv(src.CreditsApplied),
		DiscountPercent: src.DiscountPercent, Unrounded: src.Unrounded.Mul(rate),
		Subtotal: zero(to), Support: zero(to), Marketplace: zero(to), Tax: zero(to),
		Rates: src.clone().Rates}
	// The base is printed beside the rate only when it is the sum of
	// converted lines, which the discount's base is not: it is left out.
	for _, s := range src.Sections {
		cs := Section{ProductType: s.ProductType, Subtotal: zero(to), Lines: make([]Line, 0, len(s.Lines))}
		for _, l := range s.Lines {
			a := conv(l.Amount)
			cs.Lines = append(cs.Lines, Line{Service: l.Service, Name: l.Name, Amount: a, Unrounded: l.Unrounded.Mul(rate)})
			cs.Subtotal = cs.Subtotal.Add(a)
		}
		f.Sections = append(f.Sections, cs)
		f.Subtotal = f.Subtotal.Add(cs.Subtotal)
		switch s.ProductType {
		case billing.Support:
			f.Support = f.Support.Add(cs.Subtotal)
		case billing.Marketplace:
			f.Marketplace = f.Marketplace.Add(cs.Subtotal)
		}
	}
	for _, t := range src.TaxLines {
		a := conv(t.Amount)
		f.TaxLines = append(f.TaxLines, TaxLine{Name: t.Name, Percent: t.Percent, Base: t.Base.Mul(rate), Unrounded: t.Unrounded.Mul(rate), Amount: a})
		f.Tax = f.Tax.Add(a)
	}
	if len(src.TaxLines) == 0 {
		f.Tax = conv(src.Tax)
	}
	f.Total = f.Subtotal.Add(f.Discount).Add(f.CreditsApplied).Add(f.Tax)
	return View{Invoice: inv, Figures: f,
		Conversion: &Rate{From: inv.Currency, To: to, Date: on, Rate: rate, Source: strings.TrimSpace(source)}}, nil
}

// RateFunc answers the billing engine's rate lookups with the rates the
// invoice was computed at, and asks fallback (which may be nil) for any
// other: a fresh statement of an issued month compared with the invoice
// must use the invoice's rates, or every line would differ by the day's
// rate instead of by the data.
func (inv Invoice) RateFunc(fallback billing.RateFunc) billing.RateFunc {
	rates := inv.Figures.clone().Rates
	return func(from, to, period string) (decimal.Decimal, string, error) {
		for _, r := range rates {
			if r.From == from && r.To == to && r.Period == period {
				return r.Rate, r.Source, nil
			}
		}
		if fallback == nil {
			return decimal.Zero, "", billing.ErrNoRate
		}
		return fallback(from, to, period)
	}
}
