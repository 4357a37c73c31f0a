package billing

import "rebill/engine/lineitem"

// Billed tells whether Rebill bills a provider's line items. Statements
// follow AWS's rules (its Marketplace, reservations and Savings Plans,
// support plans); another provider's files (FOCUS from Azure or Oracle
// Cloud) are imported and their months listed with their totals, but their
// line items are left out of statements until that provider's own rules
// are in: billed by AWS's, they would give wrong invoices.
func Billed(p lineitem.Provider) bool { return p == lineitem.AWS }
