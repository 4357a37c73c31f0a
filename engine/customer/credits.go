package customer

import (
	"time"

	"github.com/shopspring/decimal"
)

// Grant is a credit the reseller gives a customer: spent on invoices,
// oldest expiry first, carried over until used up or expired.
type Grant struct {
	ID       uint64          `json:"id"`
	Customer string          `json:"customer"`
	Amount   decimal.Decimal `json:"amount"` // positive
	Currency string          `json:"currency"`
	Reason   string          `json:"reason"`
	Expires  string          `json:"expires"` // YYYY-MM, last month usable; "" = never
	Granted  time.Time       `json:"granted"`
}

// Use is the part of a grant an invoice consumed.
type Use struct {
	Grant   uint64          `json:"grant"`
	Invoice string          `json:"invoice"` // the invoice that used it
	Period  string          `json:"period"`  // YYYY-MM billed
	Amount  decimal.Decimal `json:"amount"`  // positive
	At      time.Time       `json:"at"`
}
