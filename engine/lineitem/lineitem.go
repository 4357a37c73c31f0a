// Package lineitem defines the provider-neutral billing line item that every
// provider file reader produces, the store keeps and the billing engine rates.
//
// Keeping one record for all providers means the store, the engine and the
// documents never need to know which file format a charge came from.
package lineitem

import (
	"time"

	"github.com/shopspring/decimal"
)

// Provider names the cloud a line item was billed by.
type Provider string

// Providers Rebill reads. Rebill bills AWS; the others' files (FOCUS) are
// imported and listed, and billed once their rules are in.
const (
	AWS   Provider = "aws"
	Azure Provider = "azure" // Microsoft Azure: accounts are subscriptions
	GCP   Provider = "gcp"   // Google Cloud: accounts are projects, payers billing accounts
	OCI   Provider = "oci"   // Oracle Cloud Infrastructure: accounts are tenancies and compartments
)

// FOCUS charge categories (ChargeCategory) and the one charge class
// (ChargeClass) a provider-neutral rule needs to tell apart.
const (
	CategoryUsage      = "Usage"
	CategoryPurchase   = "Purchase"
	CategoryTax        = "Tax"
	CategoryCredit     = "Credit"
	CategoryAdjustment = "Adjustment"
	ClassCorrection    = "Correction" // the line corrects an earlier billing period
)

// Line item types as AWS writes them in lineItem/LineItemType. Any other value
// a provider writes is kept as-is: the engine treats unknown types as charges.
const (
	Usage                   = "Usage"
	DiscountedUsage         = "DiscountedUsage"
	RIFee                   = "RIFee"
	SavingsPlanCoveredUsage = "SavingsPlanCoveredUsage"
	SavingsPlanNegation     = "SavingsPlanNegation"
	SavingsPlanRecurringFee = "SavingsPlanRecurringFee"
	SavingsPlanUpfrontFee   = "SavingsPlanUpfrontFee"
	Tax                     = "Tax"
	Credit                  = "Credit"
	Refund                  = "Refund"
	Fee                     = "Fee"
	BundledDiscount         = "BundledDiscount"
	EdpDiscount             = "EdpDiscount"
)

// MarketplaceEntity is the bill/BillingEntity of AWS Marketplace charges,
// which are passed through and kept out of tax, support and discount bases.
const MarketplaceEntity = "AWS Marketplace"

// Tag is one user cost-allocation tag on a line item.
type Tag struct {
	Key, Value string
}

// Item is one line item of a provider's detail file, at the file's full
// precision. Amounts are never rounded here: rounding happens only at the
// points the billing engine names.
type Item struct {
	Provider      Provider
	BillingPeriod string // YYYY-MM of the bill the line belongs to
	PayerAccount  string
	UsageAccount  string // always a string: "011254002932" keeps its zero
	Type          string // Usage, DiscountedUsage, RIFee, ... (see constants)
	BillingEntity string // "AWS" or "AWS Marketplace"
	LegalEntity   string // seller of record
	ProductCode   string
	ProductName   string
	UsageType     string
	Operation     string
	Region        string
	ResourceID    string
	UsageStart    time.Time // UTC; zero when the file has none
	UsageAmount   decimal.Decimal
	UnblendedRate decimal.Decimal
	UnblendedCost decimal.Decimal
	BlendedRate   decimal.Decimal
	BlendedCost   decimal.Decimal
	// PublicOnDemandCost is the list price of the usage, what a customer pays
	// when the reservation that covered it belongs to somebody else.
	PublicOnDemandCost       decimal.Decimal
	ReservationARN           string
	ReservationEffectiveCost decimal.Decimal
	SavingsPlanARN           string
	SavingsPlanEffectiveCost decimal.Decimal
	Currency                 string // ISO 4217
	InvoiceID                string // filled by AWS only once the month is final
	Description              string
	Tags                     []Tag

	// Provider-neutral fields, in FOCUS's vocabulary. UnblendedCost is
	// FOCUS's BilledCost for every provider (what the provider's invoice
	// asks to pay for the line), PublicOnDemandCost its ListCost,
	// UsageAccount its SubAccountId, PayerAccount its BillingAccountId.
	ChargeCategory string          // Usage, Purchase, Tax, Credit, Adjustment; "" when the file has none
	ChargeClass    string          // ClassCorrection, or ""
	EffectiveCost  decimal.Decimal // amortized cost: commitments spread over the usage they cover
	ContractedCost decimal.Decimal // the cost at the reseller's negotiated (contracted) prices
	// CommitmentDiscountID names the reservation or savings plan that
	// covered or is paid by the line, for any provider (AWS: the ARN, also
	// kept in ReservationARN or SavingsPlanARN).
	CommitmentDiscountID string
	// CommitmentOwner is the account (AWS account, Azure subscription) that
	// bought that commitment when the file says so; for AWS it is the ARN's
	// account. Benefits stay with the customer who owns it.
	CommitmentOwner string
	InvoiceIssuer   string // InvoiceIssuerName: who invoices the reseller (provider or distributor)
	Publisher       string // PublisherName: the seller of a marketplace product
	// PartnerCredit is Microsoft Partner Center's partner earned credit on
	// the line, as a positive amount already taken off UnblendedCost: the
	// reseller's margin unless the accountant passes it on.
	PartnerCredit decimal.Decimal
}

// ARNAccount returns the account id in an ARN (its 5th ':' field), which for
// a reservation or Savings Plan is the account that bought it; "" if the ARN
// has no such field.
func ARNAccount(arn string) string {
	field := 0
	start := 0
	for i := 0; i < len(arn); i++ {
		if arn[i] != ':' {
			continue
		}
		if field == 4 {
			return arn[start:i]
		}
		field++
		start = i + 1
	}
	if field == 4 {
		return arn[start:]
	}
	return ""
}

// AzureMarketplaceEntity is the BillingEntity of Azure Marketplace charges
// (PublisherType Marketplace), a third party's product Microsoft invoices:
// the Azure counterpart of MarketplaceEntity, its seller in Publisher.
const AzureMarketplaceEntity = "Azure Marketplace"

// GCPMarketplaceEntity is the BillingEntity of Google Cloud Marketplace
// charges (a partner's product on Google's invoice, its seller in
// Publisher), passed through like AWS Marketplace's.
const GCPMarketplaceEntity = "Google Cloud Marketplace"

// Marketplace reports whether a billing entity is a cloud marketplace's
// (AWS, Azure or Google Cloud Marketplace): a third party's product the
// provider invoices, which Rebill passes through.
func Marketplace(entity string) bool {
	return entity == MarketplaceEntity || entity == AzureMarketplaceEntity || entity == GCPMarketplaceEntity
}
