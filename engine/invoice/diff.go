package invoice

import (
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
)

// Change is one figure on the issued invoice and in a fresh computation:
// By = Now - Was.
type Change struct {
	Was billing.Amount `json:"was"`
	Now billing.Amount `json:"now"`
	By  billing.Amount `json:"change"`
}

// Changed reports whether the figure differs.
func (c Change) Changed() bool { return !c.By.IsZero() }

func change(was, now billing.Amount) Change {
	return Change{Was: was, Now: now, By: now.Add(was.Neg())}
}

// LineChange is one service line on either side.
type LineChange struct {
	ProductType billing.ProductType `json:"product_type"`
	Service     string              `json:"service"`
	Name        string              `json:"name,omitempty"`
	Change
	// was and now keep the lines' unrounded values for a correction.
	was, now Line
}

// TaxChange is one tax line on either side, matched by name.
type TaxChange struct {
	Name string `json:"name"`
	Change
	was, now TaxLine
}

// Difference is how an issued invoice differs from a fresh computation of
// its month: after a month is re-imported (the provider re-delivers its
// files) the accountant sees, per invoice, what changed before deciding on
// a correction. The invoice itself never changes.
type Difference struct {
	Invoice  string `json:"invoice"` // id
	Number   string `json:"number"`
	Currency string `json:"currency"`
	// Lines are every service line on either side, in printed order
	// (section, then service); a line on one side only is zero on the
	// other.
	Lines          []LineChange `json:"lines"`
	Taxes          []TaxChange  `json:"taxes"`
	Subtotal       Change       `json:"subtotal"`
	Discount       Change       `json:"discount"`
	Support        Change       `json:"support"`
	Marketplace    Change       `json:"marketplace"`
	CreditsApplied Change       `json:"credits_applied"`
	Tax            Change       `json:"tax"`
	Total          Change       `json:"total"`
	// Unrounded is how much the full-precision total changed.
	Unrounded decimal.Decimal `json:"unrounded_change"`
}

// Changed reports whether any printed figure differs.
func (d Difference) Changed() bool {
	for _, l := range d.Lines {
		if l.Changed() {
			return true
		}
	}
	for _, t := range d.Taxes {
		if t.Changed() {
			return true
		}
	}
	for _, c := range []Change{d.Subtotal, d.Discount, d.Support, d.Marketplace, d.CreditsApplied, d.Tax, d.Total} {
		if c.Changed() {
			return true
		}
	}
	return false
}

// Diff compares an issued invoice with a fresh statement of its customer
// and month. The fresh statement should be computed with the invoice's
// options and exchange rates (see RateFunc), so that what differs is the
// data, not the day's rates. It fails when the currencies differ: amounts
// in two currencies have no difference.
func Diff(snapshot Invoice, fresh *billing.Statement) (Difference, error) {
	if fresh == nil {
		return Difference{}, fmt.Errorf("no fresh statement to compare %s with", snapshot.Label())
	}
	if fresh.Currency != snapshot.Currency {
		return Difference{}, fmt.Errorf("%s is in %s and the fresh statement in %s: compute it in %s to compare", snapshot.Label(), snapshot.Currency, fresh.Currency, snapshot.Currency)
	}
	if fresh.CustomerID != snapshot.CustomerID || fresh.Period != snapshot.Period {
		return Difference{}, fmt.Errorf("the fresh statement is %s's for %s, %s is %s's for %s", fresh.CustomerID, fresh.Period, snapshot.Label(), snapshot.CustomerID, snapshot.Period)
	}
	now := FiguresOf(fresh)
	if err := now.attach(); err != nil {
		return Difference{}, err
	}
	d := diffFigures(snapshot.Figures, now)
	d.Invoice, d.Number = snapshot.ID, snapshot.Number
	return d, nil
}

// diffFigures compares two sets of figures of one currency.
func diffFigures(was, now Figures) Difference {
	cur := was.Currency
	d := Difference{Currency: cur,
		Subtotal: change(was.Subtotal, now.Subtotal), Discount: change(was.Discount, now.Discount),
		Support: change(was.Support, now.Support), Marketplace: change(was.Marketplace, now.Marketplace),
		CreditsApplied: change(was.CreditsApplied, now.CreditsApplied), Tax: change(was.Tax, now.Tax),
		Total: change(was.Total, now.Total), Unrounded: now.Unrounded.Sub(was.Unrounded)}

	type key struct {
		t       billing.ProductType
		service string
	}
	idx := map[key]int{}
	line := func(t billing.ProductType, l Line, fresh bool) {
		k := key{t, l.Service}
		i, ok := idx[k]
		if !ok {
			i = len(d.Lines)
			idx[k] = i
			d.Lines = append(d.Lines, LineChange{ProductType: t, Service: l.Service, Name: l.Name,
				was: Line{Service: l.Service, Name: l.Name, Amount: zero(cur)},
				now: Line{Service: l.Service, Name: l.Name, Amount: zero(cur)}})
		}
		if fresh {
			d.Lines[i].now = l
		} else {
			d.Lines[i].was = l
		}
	}
	for _, s := range was.Sections {
		for _, l := range s.Lines {
			line(s.ProductType, l, false)
		}
	}
	for _, s := range now.Sections {
		for _, l := range s.Lines {
			line(s.ProductType, l, true)
		}
	}
	for i := range d.Lines {
		l := &d.Lines[i]
		l.Change = change(l.was.Amount, l.now.Amount)
	}
	slices.SortStableFunc(d.Lines, func(a, b LineChange) int {
		if oa, ob := sectionOrder(a.ProductType), sectionOrder(b.ProductType); oa != ob {
			return oa - ob
		}
		switch {
		case a.Service < b.Service:
			return -1
		case a.Service > b.Service:
			return 1
		}
		return 0
	})

	tax := map[string]int{}
	taxLine := func(t TaxLine, fresh bool) {
		i, ok := tax[t.Name]
		if !ok {
			i = len(d.Taxes)
			tax[t.Name] = i
			d.Taxes = append(d.Taxes, TaxChange{Name: t.Name,
				was: TaxLine{Name: t.Name, Percent: t.Percent, Amount: zero(cur)},
				now: TaxLine{Name: t.Name, Percent: t.Percent, Amount: zero(cur)}})
		}
		if fresh {
			d.Taxes[i].now = t
		} else {
			d.Taxes[i].was = t
		}
	}
	for _, t := range was.TaxLines {
		taxLine(t, false)
	}
	for _, t := range now.TaxLines {
		taxLine(t, true)
	}
	for i := range d.Taxes {
		d.Taxes[i].Change = change(d.Taxes[i].was.Amount, d.Taxes[i].now.Amount)
	}
	return d
}

// sectionOrder is a product type's place in billing.ProductTypes; unknown
// types go last.
func sectionOrder(t billing.ProductType) int {
	if i := slices.Index(billing.ProductTypes, t); i >= 0 {
		return i
	}
	return len(billing.ProductTypes)
}

// Row is one changed figure of a Difference as every face lists it: a
// service line (Section and Service set) or a figure below the lines
// (Section empty).
type Row struct {
	Section billing.ProductType `json:"section,omitempty"`
	Service string              `json:"service,omitempty"`
	// Name is the line's name (its service when it has none), or the
	// figure's: "Discount", "Support (total)", "Marketplace (total)",
	// "Credits applied", "Tax".
	Name string `json:"name"`
	Change
}

// IsLine reports whether the row is a service line.
func (r Row) IsLine() bool { return r.Section != "" }

// Rows lists what changed, in the order the window, the CLI and the API
// show it: the service lines in printed order, then the figures computed
// from them. Support and Marketplace are parts of the subtotal that the
// invoice prints apart (the discount, support and tax bases leave them
// out), so their totals are listed as the invoice prints them.
func (d Difference) Rows() []Row {
	var out []Row
	for _, l := range d.Lines {
		if !l.Changed() {
			continue
		}
		name := l.Name
		if name == "" {
			name = l.Service
		}
		out = append(out, Row{Section: l.ProductType, Service: l.Service, Name: name, Change: l.Change})
	}
	for _, f := range []struct {
		name string
		c    Change
	}{{"Discount", d.Discount}, {"Support (total)", d.Support}, {"Marketplace (total)", d.Marketplace},
		{"Credits applied", d.CreditsApplied}, {"Tax", d.Tax}} {
		if f.c.Changed() {
			out = append(out, Row{Name: f.name, Change: f.c})
		}
	}
	return out
}
