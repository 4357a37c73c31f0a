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
	OCI   Provider = "oci"   // Oracle Cloud Infrastructure: accounts are tenancies and compartments
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
