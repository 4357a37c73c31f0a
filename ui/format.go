package ui

import (
	"path/filepath"

	"github.com/shopspring/decimal"

	"rebill/engine/ingest"
	"rebill/engine/lineitem"
	"rebill/ui/view"
)

// Display helpers, the view package's (rebill/ui/view) under the short
// names the screens use: every screen writes numbers alike, and none
// rounds, converts or adds up an amount.

func groupDigits(s string) string           { return view.GroupDigits(s) }
func count(n int64) string                  { return view.Count(n) }
func plural(n int, one, many string) string { return view.Plural(n, one, many) }
func amount(currency string, d decimal.Decimal, places int32) string {
	return view.Amount(currency, d, places)
}
func finality(final bool) string              { return view.Finality(final) }
func providerName(p lineitem.Provider) string { return view.ProviderName(p) }

// baseName is a file's name without its folder; archive members keep the
// member name ("report.zip:part-1.csv").
func baseName(path string) string { return filepath.Base(path) }

// formatName names a file format by the registry's short name; unknown
// codes are shown as they are.
func formatName(code string) string {
	if f, _, ok := ingest.Formats.Format(code); ok {
		return f.Short
	}
	return code
}
