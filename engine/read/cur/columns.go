// Package cur maps AWS Cost and Usage Report columns onto line items, for
// every shape AWS writes them in: the legacy CSV (lineItem/UnblendedCost),
// Athena Parquet and Hive text (line_item_unblended_cost) and CUR 2.0 Data
// Exports (snake_case with product and resource_tags maps).
//
// All shapes are reduced to one canonical snake_case naming, so one mapping
// serves every format; the caller supplies the header and text fields.
package cur

import (
	"sort"
	"strings"

	"rebill/engine/read"
)

// Format names a CUR file shape; it is reported to the accountant and can be
// forced on the command line.
type Format string

// The CUR shapes Rebill reads.
const (
	LegacyCSV   Format = "cur-csv"         // legacy CUR CSV, slash headers
	AthenaText  Format = "cur-athena-text" // Hive text as the Athena integration writes it
	Parquet     Format = "cur-parquet"     // legacy CUR in Parquet (Athena)
	CUR2CSV     Format = "cur2-csv"        // CUR 2.0 Data Exports, CSV
	CUR2Parquet Format = "cur2-parquet"    // CUR 2.0 Data Exports, Parquet
)

// Columns Rebill keeps, by canonical (snake_case) name.
const (
	colPeriodStart = iota
	colPeriodEnd
	colPayer
	colInvoiceID
	colBillingEntity
	colUsageAccount
	colType
	colUsageStart
	colProductCode
	colUsageType
	colOperation
	colAZ
	colResourceID
	colUsageAmount
	colCurrency
	colUnblendedRate
	colUnblendedCost
	colBlendedRate
	colBlendedCost
	colDescription
	colLegalEntity
	colProductName
	colRegionCode
	colRegion
	colPublicOnDemand
	colReservationARN
	colReservationCost
	colSavingsPlanARN
	colSavingsPlanCost
	colProductMap
	colTagsMap
	numColumns
)

// columnNames are the canonical names, as AWS's Athena integration writes them.
var columnNames = [numColumns]string{
	colPeriodStart:     "bill_billing_period_start_date",
	colPeriodEnd:       "bill_billing_period_end_date",
	colPayer:           "bill_payer_account_id",
	colInvoiceID:       "bill_invoice_id",
	colBillingEntity:   "bill_billing_entity",
	colUsageAccount:    "line_item_usage_account_id",
	colType:            "line_item_line_item_type",
	colUsageStart:      "line_item_usage_start_date",
	colProductCode:     "line_item_product_code",
	colUsageType:       "line_item_usage_type",
	colOperation:       "line_item_operation",
	colAZ:              "line_item_availability_zone",
	colResourceID:      "line_item_resource_id",
	colUsageAmount:     "line_item_usage_amount",
	colCurrency:        "line_item_currency_code",
	colUnblendedRate:   "line_item_unblended_rate",
	colUnblendedCost:   "line_item_unblended_cost",
	colBlendedRate:     "line_item_blended_rate",
	colBlendedCost:     "line_item_blended_cost",
	colDescription:     "line_item_line_item_description",
	colLegalEntity:     "line_item_legal_entity",
	colProductName:     "product_product_name",
	colRegionCode:      "product_region_code",
	colRegion:          "product_region",
	colPublicOnDemand:  "pricing_public_on_demand_cost",
	colReservationARN:  "reservation_reservation_a_r_n",
	colReservationCost: "reservation_effective_cost",
	colSavingsPlanARN:  "savings_plan_savings_plan_a_r_n",
	colSavingsPlanCost: "savings_plan_savings_plan_effective_cost",
	colProductMap:      "product",       // CUR 2.0 map column
	colTagsMap:         "resource_tags", // CUR 2.0 map column
}

// requiredColumns are what a file must have to be billed at all.
var requiredColumns = []int{colPeriodStart, colPayer, colUsageAccount, colType, colUnblendedCost, colCurrency}

// cur2Markers exist only in CUR 2.0 Data Exports.
var cur2Markers = []string{"bill_payer_account_name", "line_item_usage_account_name", columnNames[colProductMap], columnNames[colTagsMap]}

// Canonical turns any CUR column name into AWS's Athena snake_case form:
// "lineItem/UnblendedCost" and "line_item_unblended_cost" both give
// "line_item_unblended_cost", "reservation/ReservationARN" gives
// "reservation_reservation_a_r_n" as AWS itself writes it.
func Canonical(name string) string {
	var b strings.Builder
	b.Grow(len(name) + 8)
	prevUnderscore := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '/' || c == ':' || c == ' ' || c == '-' || c == '.':
			if !prevUnderscore {
				b.WriteByte('_')
			}
			prevUnderscore = true
		case c >= 'A' && c <= 'Z':
			if !prevUnderscore {
				b.WriteByte('_')
			}
			b.WriteByte(c + 'a' - 'A')
			prevUnderscore = false
		default:
			b.WriteByte(c)
			prevUnderscore = c == '_'
		}
	}
	return b.String()
}

// tagKey returns the user tag key a column carries, or "" if it is not a
// user tag column: "resourceTags/user:CostCenter" gives "CostCenter",
// "resource_tags_user_cost_center" gives "cost_center".
func tagKey(name string) string {
	for _, prefix := range []string{"resourceTags/user:", "resource_tags_user_"} {
		if strings.HasPrefix(name, prefix) && len(name) > len(prefix) {
			return name[len(prefix):]
		}
	}
	return ""
}

// Detect decides whether a header is an AWS CUR and which shape. binary
// tells whether the table came from a Parquet file and sep is the text
// separator otherwise. ok is false when the header is not a CUR at all.
func Detect(header []string, parquet bool, sep byte) (f Format, ok bool) {
	have := canonicalSet(header)
	if !have[columnNames[colUnblendedCost]] || !have[columnNames[colUsageAccount]] {
		return "", false
	}
	return shape(have, parquet, sep), true
}

// Closest names the format a header comes nearest to, for a header Detect
// refused, and the required columns it lacks, spelled the way that format
// spells them, so that the message can say what to look for.
func Closest(header []string, parquet bool, sep byte) (f Format, missing []string) {
	have := canonicalSet(header)
	// Spell the names like the CUR columns the header does have; with none,
	// like the format itself.
	slashes := 0
	for _, h := range header {
		if _, ok := columnOf[Canonical(h)]; ok && strings.Contains(h, "/") {
			slashes++
		}
	}
	known := 0
	for _, c := range requiredColumns {
		if have[columnNames[c]] {
			known++
		}
	}
	if known == 0 {
		// Not a CUR at all: a column named "Product" is no sign of CUR
		// 2.0, only the container tells.
		have = nil
	}
	f = shape(have, parquet, sep)
	slashStyle := slashes > 0 || known == 0 && f == LegacyCSV
	for _, c := range requiredColumns {
		if !have[columnNames[c]] {
			missing = append(missing, displayName(c, slashStyle))
		}
	}
	sort.Strings(missing)
	return f, missing
}

// canonicalSet is the set of a header's canonical names.
func canonicalSet(header []string) map[string]bool {
	have := make(map[string]bool, len(header))
	for _, h := range header {
		have[Canonical(h)] = true
	}
	return have
}

// shape tells the CUR format of a header by its container and markers.
func shape(have map[string]bool, parquet bool, sep byte) Format {
	cur2 := false
	for _, m := range cur2Markers {
		cur2 = cur2 || have[m]
	}
	switch {
	case parquet && cur2:
		return CUR2Parquet
	case parquet:
		return Parquet
	case cur2:
		return CUR2CSV
	case sep == '\x01':
		return AthenaText
	default:
		return LegacyCSV
	}
}

// Describe names a format in words, for messages.
func (f Format) Describe() string {
	switch f {
	case LegacyCSV:
		return "AWS Cost and Usage Report, legacy CSV"
	case AthenaText:
		return "AWS Cost and Usage Report, Athena text"
	case Parquet:
		return "AWS Cost and Usage Report, Parquet"
	case CUR2CSV:
		return "AWS CUR 2.0 Data Export, CSV"
	case CUR2Parquet:
		return "AWS CUR 2.0 Data Export, Parquet"
	}
	return string(f)
}

// columnOf finds a kept column by canonical name.
var columnOf = func() map[string]int {
	m := make(map[string]int, numColumns)
	for c, n := range columnNames {
		m[n] = c
	}
	return m
}()

// columns finds a kept column by its canonical name, whatever the shape
// spells it as.
var columns = func() *read.Columns {
	spellings := make([][]string, numColumns)
	for c, n := range columnNames {
		spellings[c] = []string{n}
	}
	c := read.NewColumns(spellings)
	c.Key = Canonical
	return c
}()

// missingRequired names the required columns a header lacks, in the form
// the file would spell them.
func missingRequired(index []int, slashStyle bool) []string {
	var missing []string
	for _, c := range requiredColumns {
		if index[c] < 0 {
			missing = append(missing, displayName(c, slashStyle))
		}
	}
	sort.Strings(missing)
	return missing
}

// displayName spells a canonical column the way the file's family does.
func displayName(c int, slashStyle bool) string {
	if s, ok := slashNames[c]; ok && slashStyle {
		return s
	}
	return columnNames[c]
}

var slashNames = map[int]string{
	colPeriodStart:   "bill/BillingPeriodStartDate",
	colPayer:         "bill/PayerAccountId",
	colUsageAccount:  "lineItem/UsageAccountId",
	colType:          "lineItem/LineItemType",
	colUnblendedCost: "lineItem/UnblendedCost",
	colCurrency:      "lineItem/CurrencyCode",
}
