// Package partnercenter reads Microsoft Partner Center's new-commerce
// files, as a Cloud Solution Provider (CSP) partner downloads them: the
// daily rated usage file and the invoice reconciliation file, with the
// columns Microsoft documents for them ("Fields in daily rated usage
// reconciliation file", "new commerce invoice reconciliation file").
//
// A row's payer is the partner (PartnerId, the partner's Microsoft Entra
// tenant) and its account the Azure subscription the customer used
// (EntitlementId in the daily rated usage) or the new-commerce
// subscription billed (SubscriptionId). What a line costs is its pre-tax
// amount in the billing currency: BillingPreTaxTotal in the daily rated
// usage, Subtotal in the reconciliation file. Each reconciliation line must
// tie out with Microsoft's rounding rule (Subtotal) to the cent, else the
// file is refused naming the line. Partner earned credit (the percentage
// Microsoft takes off the price for a partner that manages the customer)
// is kept in PartnerCredit: the reseller's margin unless passed on.
package partnercenter

import (
	"rebill/engine/lineitem"
	"rebill/engine/read"
)

// The formats' codes.
const (
	Usage = "partnercenter-usage-csv" // new-commerce daily rated usage
	Recon = "partnercenter-recon-csv" // new-commerce invoice reconciliation
)

// The columns the reader uses, of either file.
const (
	colPartner = iota
	colCustomer
	colCustomerName
	colInvoice
	colProductID
	colSKUName
	colProductName
	colPublisher
	colSubscription
	colSubscriptionDescription
	colChargeStart
	colUsageDate
	colMeterCategory
	colMeterName
	colLocation
	colResourceURI
	colChargeType
	colUnitPrice
	colEffectiveUnitPrice
	colQuantity
	colBillableQuantity
	colBillingPreTaxTotal
	colBillingCurrency
	colPricingPreTaxTotal
	colPricingCurrency
	colSubtotal
	colCurrency
	colExchangeRate
	colEntitlement
	colPECPercentage
	colTags
	colReservationOrder
	colBenefitID
	colBenefitType
	numColumns
)

var columns = read.NewColumns([][]string{
	colPartner:                 {"PartnerId"},
	colCustomer:                {"CustomerId"},
	colCustomerName:            {"CustomerName"},
	colInvoice:                 {"InvoiceNumber"},
	colProductID:               {"ProductId"},
	colSKUName:                 {"SkuName"},
	colProductName:             {"ProductName"},
	colPublisher:               {"PublisherName"},
	colSubscription:            {"SubscriptionId"},
	colSubscriptionDescription: {"SubscriptionDescription"},
	colChargeStart:             {"ChargeStartDate"},
	colUsageDate:               {"UsageDate"},
	colMeterCategory:           {"MeterCategory"},
	colMeterName:               {"MeterName"},
	colLocation:                {"ResourceLocation"},
	colResourceURI:             {"ResourceURI"},
	colChargeType:              {"ChargeType"},
	colUnitPrice:               {"UnitPrice"},
	colEffectiveUnitPrice:      {"EffectiveUnitPrice"},
	colQuantity:                {"Quantity"},
	colBillableQuantity:        {"BillableQuantity"},
	colBillingPreTaxTotal:      {"BillingPreTaxTotal"},
	colBillingCurrency:         {"BillingCurrency"},
	colPricingPreTaxTotal:      {"PricingPreTaxTotal"},
	colPricingCurrency:         {"PricingCurrency"},
	colSubtotal:                {"Subtotal"},
	colCurrency:                {"Currency"},
	colExchangeRate:            {"PCToBCExchangeRate"},
	colEntitlement:             {"EntitlementId"},
	colPECPercentage:           {"PartnerEarnedCreditPercentage"},
	colTags:                    {"Tags"},
	colReservationOrder:        {"ReservationOrderId"},
	colBenefitID:               {"BenefitId"},
	colBenefitType:             {"BenefitType"},
})

// required are the columns each format needs.
var required = map[string][][]int{
	Usage: {{colPartner}, {colCustomer}, {colEntitlement}, {colUsageDate}, {colChargeStart}, {colUnitPrice},
		{colEffectiveUnitPrice}, {colQuantity}, {colBillingPreTaxTotal}, {colBillingCurrency}, {colExchangeRate}},
	Recon: {{colPartner}, {colCustomer}, {colInvoice}, {colSubscription}, {colChargeStart}, {colChargeType},
		{colUnitPrice}, {colEffectiveUnitPrice}, {colBillableQuantity}, {colSubtotal}, {colCurrency}, {colExchangeRate}},
}

// marks tell the two files apart: the daily rated usage's pre-tax total in
// the billing currency, the reconciliation file's subtotal.
var marks = map[string]int{Usage: colBillingPreTaxTotal, Recon: colSubtotal}

var order = []string{Usage, Recon}

// Family registers Partner Center's new-commerce files with the format
// registry.
var Family = &read.Family{
	Name: "partnercenter",
	Formats: []read.Format{
		{Name: Usage, Title: "Microsoft Partner Center new-commerce daily rated usage, CSV", Short: "Partner Center daily usage",
			Provider: lineitem.Azure, Container: read.CSV, Extensions: []string{".csv", ".csv.gz"},
			Required: columns.RequiredNames(required[Usage]), Marks: []string{"BillingPreTaxTotal"}, CostColumn: "BillingPreTaxTotal"},
		{Name: Recon, Title: "Microsoft Partner Center new-commerce invoice reconciliation, CSV", Short: "Partner Center reconciliation",
			Provider: lineitem.Azure, Container: read.CSV, Extensions: []string{".csv", ".csv.gz"},
			Required: columns.RequiredNames(required[Recon]), Marks: []string{"Subtotal"}, CostColumn: "Subtotal"},
	},
	Detect: func(header []string, c read.Container) (string, bool) {
		idx := columns.Find(header)
		if c.Parquet || idx[colPartner] < 0 || idx[colCustomer] < 0 || idx[colEffectiveUnitPrice] < 0 {
			return "", false
		}
		for _, name := range order {
			if idx[marks[name]] >= 0 {
				return name, true
			}
		}
		return "", false
	},
	Closest: func(header []string, _ read.Container) (string, int, []string) {
		idx := columns.Find(header)
		best, bestFound, bestMissing := "", -1, []string(nil)
		for _, name := range order {
			m := columns.Missing(idx, required[name])
			if found := len(required[name]) - len(m); found > bestFound {
				best, bestFound, bestMissing = name, found, m
			}
		}
		return best, bestFound, bestMissing
	},
	NewMapper: func(f read.Format, header []string, _ func() string) (read.Mapper, error) {
		return NewMapper(f.Name, header)
	},
}
