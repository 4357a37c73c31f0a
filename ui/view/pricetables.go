package view

import (
	"fmt"

	"rebill/engine/billing"
)

// The Settings screen's volume price tables, as `rebill price-tables`
// lists and sets them.

// PriceTableLines words a table: its name, currency and note, then one
// line per usage type with its tiers.
func PriceTableLines(t billing.PriceTable) (title string, rates []string) {
	title = fmt.Sprintf("%s (%s)", t.Name, t.Currency)
	if t.Note != "" {
		title += ": " + t.Note
	}
	for _, r := range t.Rates {
		what := r.UsageType
		if r.ProductCode != "" {
			what = r.ProductCode + " " + what
		}
		rates = append(rates, fmt.Sprintf("%s, per %s: %s", what, r.Unit, billing.FormatTiers(r.Tiers)))
	}
	return title, rates
}

// PriceTableSaved says what saving a usage type's tiers did.
func PriceTableSaved(t billing.PriceTable, usageType string, added bool) string {
	if added {
		return fmt.Sprintf("Price table %s now prices %s too. Statements computed from now on use it; issued invoices keep their figures.", t.Name, usageType)
	}
	return fmt.Sprintf("Price table %s: the tiers of %s are replaced. Statements computed from now on use them; issued invoices keep their figures.", t.Name, usageType)
}
