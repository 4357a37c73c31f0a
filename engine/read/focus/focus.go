// Package focus reads FOCUS, the FinOps Foundation's open billing format
// (versions 1.0 to 1.3), as CSV or Parquet, from any cloud: each row names
// its provider, so one file may hold several.
//
// A row's account is its SubAccountId (an AWS account, an Azure
// subscription, an Oracle Cloud tenancy or compartment), its payer the
// BillingAccountId; what the line item costs is its BilledCost, the basis
// of the provider's invoice. Columns are matched without regard to case;
// the literal NULL is a null, and Tags is a JSON object.
package focus

import (
	"strings"

	"rebill/engine/lineitem"
	"rebill/engine/read"
)

// The formats' codes.
const (
	CSV     = "focus-csv"
	Parquet = "focus-parquet"
)

// The columns Rebill reads.
const (
	colBilledCost = iota
	colBillingAccount
	colCurrency
	colPeriodStart
	colPeriodEnd
	colChargeCategory
	colChargeClass
	colChargeDescription
	colChargePeriodStart
	colCommitmentID
	colCommitmentStatus
	colConsumedQuantity
	colContractedUnitPrice
	colContractedCost
	colEffectiveCost
	colListCost
	colInvoiceID     // 1.2
	colInvoiceIssuer // 1.0: InvoiceIssuerName
	colProviderName  // 1.0 to 1.2; deprecated in 1.3
	colPublisherName // 1.0 to 1.2; deprecated in 1.3
	colServiceProvider
	colHostProvider
	colRegionID
	colResourceID
	colServiceName
	colSubAccount
	colTags
	// AWS's own FOCUS export ("FOCUS with AWS columns") adds the CUR's
	// product code, usage type and operation, which pricing rules and
	// price tables match.
	colAWSServiceCode
	colAWSUsageType
	colAWSOperation
)

// columns are the FOCUS column ids, then other spellings: the ids the
// FOCUS working drafts give 1.3's entity columns.
var columns = read.NewColumns([][]string{
	colBilledCost:          {"BilledCost"},
	colBillingAccount:      {"BillingAccountId"},
	colCurrency:            {"BillingCurrency"},
	colPeriodStart:         {"BillingPeriodStart"},
	colPeriodEnd:           {"BillingPeriodEnd"},
	colChargeCategory:      {"ChargeCategory"},
	colChargeClass:         {"ChargeClass"},
	colChargeDescription:   {"ChargeDescription"},
	colChargePeriodStart:   {"ChargePeriodStart"},
	colCommitmentID:        {"CommitmentDiscountId"},
	colCommitmentStatus:    {"CommitmentDiscountStatus"},
	colConsumedQuantity:    {"ConsumedQuantity"},
	colContractedUnitPrice: {"ContractedUnitPrice"},
	colContractedCost:      {"ContractedCost"},
	colEffectiveCost:       {"EffectiveCost"},
	colListCost:            {"ListCost"},
	colInvoiceID:           {"InvoiceId"},
	colInvoiceIssuer:       {"InvoiceIssuerName", "InvoiceIssuer"},
	colProviderName:        {"ProviderName"},
	colPublisherName:       {"PublisherName"},
	colServiceProvider:     {"ServiceProviderName", "ServiceProvider"},
	colHostProvider:        {"HostProviderName", "HostProvider"},
	colRegionID:            {"RegionId"},
	colResourceID:          {"ResourceId"},
	colServiceName:         {"ServiceName"},
	colSubAccount:          {"SubAccountId"},
	colTags:                {"Tags"},
	colAWSServiceCode:      {"x_ServiceCode"},
	colAWSUsageType:        {"x_UsageType"},
	colAWSOperation:        {"x_Operation"},
})

// required are what every FOCUS file has and billing needs; the provider
// is ProviderName up to 1.2, ServiceProviderName from 1.3.
var required = [][]int{{colBilledCost}, {colBillingAccount}, {colCurrency}, {colPeriodStart}, {colChargeCategory}, {colProviderName, colServiceProvider}}

// Family registers FOCUS with the format registry.
var Family = &read.Family{
	Name: "focus",
	Formats: []read.Format{
		{Name: CSV, Title: "FOCUS (FinOps Open Cost and Usage Specification) 1.0 to 1.3, CSV", Short: "FOCUS CSV",
			Container: read.CSV, Extensions: []string{".csv", ".csv.gz"}, Required: columns.RequiredNames(required), OpaqueIDs: true, CostColumn: "BilledCost"},
		{Name: Parquet, Title: "FOCUS (FinOps Open Cost and Usage Specification) 1.0 to 1.3, Parquet", Short: "FOCUS Parquet",
			Container: read.Parquet, Extensions: []string{".parquet"}, Required: columns.RequiredNames(required), OpaqueIDs: true, CostColumn: "BilledCost"},
	},
	Detect:  detect,
	Closest: closest,
	NewMapper: func(_ read.Format, header []string, _ func() string) (read.Mapper, error) {
		m, err := NewMapper(header)
		if err != nil {
			return nil, err
		}
		return m, nil
	},
}

// index is the position of each column in a header, -1 when absent.
func index(header []string) []int { return columns.Find(header) }

// detect knows FOCUS by its cost, currency, charge category and billing
// account columns, names no other format uses together.
func detect(header []string, c read.Container) (string, bool) {
	idx := index(header)
	if idx[colBilledCost] < 0 || idx[colCurrency] < 0 || idx[colChargeCategory] < 0 || idx[colBillingAccount] < 0 {
		return "", false
	}
	if c.Parquet {
		return Parquet, true
	}
	return CSV, true
}

func closest(header []string, c read.Container) (string, int, []string) {
	m := columns.Missing(index(header), required)
	name := CSV
	if c.Parquet {
		name = Parquet
	}
	return name, len(required) - len(m), m
}

// clouds are the names FOCUS files give the providers Rebill reads, in
// lower case: ProviderName's short names and the companies' names, as
// InvoiceIssuerName and PublisherName write them.
var clouds = map[string]lineitem.Provider{
	"aws":                         lineitem.AWS,
	"amazon web services":         lineitem.AWS,
	"amazon":                      lineitem.AWS,
	"microsoft":                   lineitem.Azure,
	"microsoft azure":             lineitem.Azure,
	"azure":                       lineitem.Azure,
	"microsoft corporation":       lineitem.Azure,
	"oracle":                      lineitem.OCI,
	"oracle cloud infrastructure": lineitem.OCI,
	"oci":                         lineitem.OCI,
	"oracle corporation":          lineitem.OCI,
}

// cloudOf is the provider a name stands for: one of clouds, or an Amazon
// Web Services company ("Amazon Web Services EMEA SARL"); "" for any other.
func cloudOf(name string) lineitem.Provider {
	n := strings.ToLower(strings.TrimSpace(name))
	if p, ok := clouds[n]; ok {
		return p
	}
	if strings.HasPrefix(n, "amazon web services") {
		return lineitem.AWS
	}
	return ""
}
