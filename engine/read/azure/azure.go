// Package azure reads Microsoft Azure's cost details: the Enterprise
// Agreement (EA) and Microsoft Customer Agreement (MCA) exports, actual or
// amortized, and the legacy pay-as-you-go usage details export.
//
// Microsoft writes these under several spellings: PascalCase
// (CostInBillingCurrency), camelCase (costInBillingCurrency), older EA
// names (Cost, BillingCurrencyCode) and headers localized by the portal,
// which keep the English name in brackets ("Abonnement-GUID
// (SubscriptionGuid)"). Files start with a UTF-8 byte order mark and end
// lines in CRLF (the delimited-text scanner takes both), write dates as
// M/D/YYYY or ISO 8601, and amounts with up to 28 decimals, all kept.
//
// Subscription ids are checked as one word, not as GUIDs
// (read.Format.OpaqueIDs): the exports FinOps tools pass around, the
// public samples among them, rewrite them by hand.
//
// A row's account is its subscription; its payer is the billing account
// (the EA enrollment or the MCA billing account), or the subscription
// itself when the file names none (pay-as-you-go). What the line costs is
// its cost in the billing currency: the actual cost in an actual-cost
// file, the amortized cost in an amortized one (both are the figure the
// export's own totals add up).
package azure

import (
	"strings"

	"rebill/engine/lineitem"
	"rebill/engine/read"
)

// The formats' codes.
const (
	// CostDetails is the EA and MCA cost details export, actual or
	// amortized, in any of its header spellings.
	CostDetails = "azure-csv"
	// UsageDetails is the legacy pay-as-you-go usage details export
	// (SubscriptionGuid, UsageDateTime, PreTaxCost).
	UsageDetails = "azure-usage-csv"
)

// MarketplaceEntity is the BillingEntity of an Azure Marketplace charge
// (PublisherType Marketplace): a third party's product Microsoft invoices,
// passed through like AWS Marketplace's.
const MarketplaceEntity = lineitem.AzureMarketplaceEntity

// The columns the reader uses.
const (
	colSubscription = iota
	colSubscriptionGUID
	colBillingAccount
	colPeriodStart
	colDate
	colUsageDateTime
	colCost
	colPreTaxCost
	colCurrency
	colLegacyCurrency
	colQuantity
	colEffectivePrice
	colUnitPrice
	colPayGPrice
	colChargeType
	colPricingModel
	colBenefitID
	colReservationID
	colProductOrderID
	colProduct
	colMeterCategory
	colServiceName
	colMeterName
	colMeterSubCategory
	colLocation
	colResourceID
	colInvoiceID
	colPublisherType
	colPublisherName
	colTags
	colFrequency
	numColumns
)

// columns are each column's names: the message spelling first, then the
// spellings of the other schemas (matched without regard to case).
var columns = func() *read.Columns {
	c := read.NewColumns([][]string{
		colSubscription:     {"SubscriptionId"},
		colSubscriptionGUID: {"SubscriptionGuid"},
		colBillingAccount:   {"BillingAccountId", "EnrollmentNumber"},
		colPeriodStart:      {"BillingPeriodStartDate"},
		colDate:             {"Date", "UsageDate"},
		colUsageDateTime:    {"UsageDateTime"},
		colCost:             {"CostInBillingCurrency", "Cost"},
		colPreTaxCost:       {"PreTaxCost"},
		colCurrency:         {"BillingCurrency", "BillingCurrencyCode"},
		colLegacyCurrency:   {"Currency"},
		colQuantity:         {"Quantity", "UsageQuantity"},
		colEffectivePrice:   {"EffectivePrice", "ResourceRate"},
		colUnitPrice:        {"UnitPrice"},
		colPayGPrice:        {"PayGPrice"},
		colChargeType:       {"ChargeType"},
		colPricingModel:     {"PricingModel"},
		colBenefitID:        {"BenefitId"},
		colReservationID:    {"ReservationId"},
		colProductOrderID:   {"ProductOrderId"},
		colProduct:          {"ProductName", "Product"},
		colMeterCategory:    {"MeterCategory"},
		colServiceName:      {"ServiceName"},
		colMeterName:        {"MeterName"},
		colMeterSubCategory: {"MeterSubCategory"},
		colLocation:         {"ResourceLocation"},
		colResourceID:       {"ResourceId", "InstanceId"},
		colInvoiceID:        {"InvoiceId"},
		colPublisherType:    {"PublisherType"},
		colPublisherName:    {"PublisherName"},
		colTags:             {"Tags"},
		colFrequency:        {"Frequency"},
	})
	c.Key = key
	return c
}()

// key is the name a header's column is looked up by: the English name a
// localized header keeps in brackets ("Maßeinheit (UnitOfMeasure)"), in
// lower case.
func key(h string) string {
	h = strings.TrimSpace(h)
	if strings.HasSuffix(h, ")") {
		if i := strings.LastIndex(h, "("); i >= 0 {
			h = h[i+1 : len(h)-1]
		}
	}
	return strings.ToLower(strings.TrimSpace(h))
}

// required are the columns each format needs, each entry any one of its
// columns.
var required = map[string][][]int{
	CostDetails:  {{colSubscription}, {colDate}, {colCost}, {colCurrency}},
	UsageDetails: {{colSubscriptionGUID}, {colUsageDateTime}, {colPreTaxCost}, {colLegacyCurrency}},
}

// Family registers Azure's cost exports with the format registry.
var Family = &read.Family{
	Name: "azure",
	Formats: []read.Format{
		{Name: CostDetails, Title: "Azure cost details (EA or MCA, actual or amortized), CSV", Short: "Azure cost details",
			Provider: lineitem.Azure, Container: read.CSV, Extensions: []string{".csv", ".csv.gz"},
			Required: columns.RequiredNames(required[CostDetails]), OpaqueIDs: true, CostColumn: "CostInBillingCurrency (Cost in older EA files)"},
		{Name: UsageDetails, Title: "Azure pay-as-you-go usage details, CSV", Short: "Azure usage details",
			Provider: lineitem.Azure, Container: read.CSV, Extensions: []string{".csv", ".csv.gz"},
			Required: columns.RequiredNames(required[UsageDetails]), OpaqueIDs: true, CostColumn: "PreTaxCost"},
	},
	Detect:  detect,
	Closest: closest,
	NewMapper: func(f read.Format, header []string, _ func() string) (read.Mapper, error) {
		return NewMapper(f.Name, header)
	},
}

// detect knows the cost details by a subscription, a date and a cost in
// the billing currency, the usage details by a subscription GUID and a
// pre-tax cost: no other format has them together.
func detect(header []string, c read.Container) (string, bool) {
	if c.Parquet {
		return "", false
	}
	idx := columns.Find(header)
	for _, name := range []string{CostDetails, UsageDetails} {
		if len(columns.Missing(idx, required[name])) == 0 {
			return name, true
		}
	}
	return "", false
}

func closest(header []string, _ read.Container) (string, int, []string) {
	idx := columns.Find(header)
	best, bestFound, bestMissing := "", -1, []string(nil)
	for _, name := range []string{CostDetails, UsageDetails} {
		m := columns.Missing(idx, required[name])
		if found := len(required[name]) - len(m); found > bestFound {
			best, bestFound, bestMissing = name, found, m
		}
	}
	return best, bestFound, bestMissing
}
