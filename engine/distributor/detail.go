package distributor

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"rebill/engine/lineitem"
	"rebill/engine/money"
	"rebill/engine/words"
)

// Detail sums a distributor's detail file (one of the provider formats
// Rebill reads) into distributor invoices, one per provider, month and
// invoice id: the file's invoice cost column (what Rebill reads as the
// line's billed cost) is the amount, its tax lines (line item type or
// FOCUS charge category Tax) the tax, and its invoice id the number. The
// zero value is ready to use.
type Detail struct {
	sums  map[detailKey]*detailSum
	order []detailKey
}

type detailKey struct {
	provider lineitem.Provider
	period   string
	number   string // the rows' invoice id; "" for rows without one
}

type detailSum struct {
	amount, tax money.Sum
	currency    string
	rows        int64
}

// Add counts one line item.
func (d *Detail) Add(it *lineitem.Item) {
	if d.sums == nil {
		d.sums = map[detailKey]*detailSum{}
	}
	k := detailKey{it.Provider, it.BillingPeriod, strings.TrimSpace(it.InvoiceID)}
	s := d.sums[k]
	if s == nil {
		s = &detailSum{}
		d.sums[k] = s
		d.order = append(d.order, k)
	}
	s.rows++
	if s.currency == "" {
		s.currency = it.Currency
	}
	if it.Type == lineitem.Tax || it.ChargeCategory == lineitem.CategoryTax {
		s.tax.Add(it.UnblendedCost)
	} else {
		s.amount.Add(it.UnblendedCost)
	}
}

// Invoices returns the invoices the file holds, by provider, month and
// number. Rows without an invoice id take number (the accountant's); with
// no number given they are refused, since a distributor invoice is known
// by its number. file names the source on each record.
func (d *Detail) Invoices(file, number string) ([]Invoice, error) {
	if len(d.order) == 0 {
		return nil, fmt.Errorf("%s holds no line items: nothing to record", file)
	}
	merged := map[detailKey]*detailSum{}
	var keys []detailKey
	for _, k := range d.order {
		s := d.sums[k]
		if k.number == "" {
			if number == "" {
				return nil, fmt.Errorf("%s has %s of %s %s without an invoice id (the month is not final, or the format has none): give the distributor's invoice number with --number", file, words.Plural(int(s.rows), "line", "lines"), k.provider, k.period)
			}
			k.number = number
		}
		m := merged[k]
		if m == nil {
			m = &detailSum{currency: s.currency}
			merged[k] = m
			keys = append(keys, k)
		}
		m.amount.Add(s.amount.Total())
		m.tax.Add(s.tax.Total())
		m.rows += s.rows
	}
	slices.SortFunc(keys, func(a, b detailKey) int {
		return cmp.Or(cmp.Compare(a.period, b.period), cmp.Compare(a.provider, b.provider), cmp.Compare(a.number, b.number))
	})
	out := make([]Invoice, 0, len(keys))
	for _, k := range keys {
		m := merged[k]
		inv := Invoice{Provider: string(k.provider), Period: k.period, Number: k.number, Amount: m.amount.Total(), Tax: m.tax.Total(),
			Currency: m.currency, Source: "detail file " + file}
		inv.Normalize()
		if err := inv.Err(); err != nil {
			return nil, fmt.Errorf("%s, invoice %s: %w", file, k.number, err)
		}
		out = append(out, inv)
	}
	return out, nil
}
