package billing

import (
	"strings"

	"rebill/engine/lineitem"
)

// BilledProviders are the providers Rebill bills, in the order a
// customer's statements of one month are listed and numbered. Each is
// billed by the same options, rounding, pricing rules, credits, tax and
// documents; what differs is in the line items themselves (Marketplace
// charges, commitments, partner earned credit) and in the AWS-only
// support plans.
var BilledProviders = []lineitem.Provider{lineitem.AWS, lineitem.Azure, lineitem.GCP, lineitem.OCI}

// Billed tells whether Rebill bills a provider's line items.
func Billed(p lineitem.Provider) bool { return providerOrder(p) >= 0 }

// providerOrder is p's place in BilledProviders, -1 when not billed.
func providerOrder(p lineitem.Provider) int {
	for i, q := range BilledProviders {
		if q == p {
			return i
		}
	}
	return -1
}

func providerNames() string {
	names := make([]string, len(BilledProviders))
	for i, p := range BilledProviders {
		names[i] = string(p)
	}
	return strings.Join(names, ", ")
}

// ProviderName is how documents and screens name a provider's cloud
// program: "AWS", "Microsoft Azure", ...; an unknown one as written.
func ProviderName(p lineitem.Provider) string {
	switch p {
	case lineitem.AWS, "":
		return "AWS"
	case lineitem.Azure:
		return "Microsoft Azure"
	case lineitem.GCP:
		return "Google Cloud"
	case lineitem.OCI:
		return "Oracle Cloud"
	}
	return string(p)
}

// marketplace reports whether a billing entity is a cloud marketplace's
// (lineitem.Marketplace): its charges are pass-through, outside the tax,
// support and discount bases, and only a pricing rule that names that
// entity touches them.
func marketplace(entity string) bool { return lineitem.Marketplace(entity) }
