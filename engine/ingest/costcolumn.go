package ingest

// CostColumn names the invoice cost column of a format ("focus-csv":
// "BilledCost"), as its registry entry spells it; "" for a format the
// registry does not know. Every reader reads that column into the line
// item's UnblendedCost (FOCUS's BilledCost), so a delivery's UnblendedCost
// is the column's exact total: what `rebill periods` shows beside it, to
// compare with the provider's invoice or another tool's sum.
func CostColumn(format string) string {
	if f, _, ok := Formats.Format(format); ok {
		return f.CostColumn
	}
	return ""
}
