package ingest

import "testing"

// TestCostColumn: the invoice cost column comes from each format's
// registry entry, spelled as the provider's file spells it.
func TestCostColumn(t *testing.T) {
	for _, tc := range []struct{ format, want string }{
		{"cur-csv", "lineItem/UnblendedCost"},
		{"cur2-parquet", "line_item_unblended_cost"},
		{"dbr-csv", "UnBlendedCost"},
		{"focus-csv", "BilledCost"},
		{"focus-parquet", "BilledCost"},
		{"azure-usage-csv", "PreTaxCost"},
		{"partnercenter-recon-csv", "Subtotal"},
		{"oci-csv", "cost/myCost"},
		{"", ""},
		{"unknown-csv", ""},
	} {
		t.Run(tc.format, func(t *testing.T) {
			if got := CostColumn(tc.format); got != tc.want {
				t.Errorf("CostColumn(%q) = %q, want %q", tc.format, got, tc.want)
			}
		})
	}
}
