package invoice

import (
	"slices"

	"rebill/engine/billing"
	"rebill/engine/lineitem"
)

// Provider is the cloud program the document bills (its options'
// billing.Options.Cloud): AWS for every document made before other
// providers were billed. A customer's month has one invoice per provider,
// because the distributor invoices each cloud program apart; a credit
// note carries the options, and so the provider, of the invoice it
// credits.
func (inv Invoice) Provider() lineitem.Provider { return inv.Options.Cloud() }

// ForProvider returns the documents among docs (one customer's month)
// that bill provider p: the set Standing, DraftOf and the correction
// rules read, so that an invoice of one provider never stands in for, or
// replaces, another provider's.
func ForProvider(docs []Invoice, p lineitem.Provider) []Invoice {
	var out []Invoice
	for _, d := range docs {
		if d.Provider() == p {
			out = append(out, d)
		}
	}
	return out
}

// providerRank orders providers as billing.BilledProviders lists them.
func providerRank(p lineitem.Provider) int {
	if i := slices.Index(billing.BilledProviders, p); i >= 0 {
		return i
	}
	return len(billing.BilledProviders)
}
