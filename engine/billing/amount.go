package billing

import (
	"encoding/json"
	"fmt"
	"rebill/engine/money"

	"github.com/shopspring/decimal"
)

// Amount is a figure as printed on a statement: a decimal already brought to
// its currency's minor unit by one of the named rounding points, with its
// currency. Keeping printed figures in their own type means only a rounding
// point can make one, and sums of them stay printable without rounding again.
type Amount struct {
	value    decimal.Decimal
	currency string
}

// Decimal returns the figure's value.
func (a Amount) Decimal() decimal.Decimal { return a.value }

// Currency returns the ISO 4217 code of the figure.
func (a Amount) Currency() string { return a.currency }

// IsZero reports whether the figure is zero.
func (a Amount) IsZero() bool { return a.value.IsZero() }

// String prints the figure with exactly its currency's decimals ("12.30",
// JPY "1235"), as on the invoice. A figure read back from JSON, which does
// not carry the currency, prints the decimals it was written with.
func (a Amount) String() string {
	if a.currency == "" {
		return exact(a.value)
	}
	return money.Plain(a.value, a.currency)
}

// MarshalJSON writes the figure as a decimal string, so no JSON reader turns
// money into a float.
func (a Amount) MarshalJSON() ([]byte, error) {
	return []byte(`"` + a.String() + `"`), nil
}

// UnmarshalJSON reads a figure written by MarshalJSON, so a stored
// statement reads back as it was printed. The currency is the enclosing
// document's; the figure keeps the decimals it was written with.
func (a *Amount) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("amount %s is not a decimal string", b)
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return fmt.Errorf("amount %q is not a decimal: %w", s, err)
	}
	*a = Amount{value: d}
	return nil
}

// Add sums two printed figures; the sum is printable as is, which is what
// makes a statement's total the sum of its printed figures.
func (a Amount) Add(b Amount) Amount {
	if a.currency == "" {
		a.currency = b.currency
	}
	if b.currency != "" && b.currency != a.currency {
		panic(fmt.Sprintf("billing: adding %s to %s", b.currency, a.currency))
	}
	return Amount{value: a.value.Add(b.value), currency: a.currency}
}

// Neg returns the figure with the opposite sign.
func (a Amount) Neg() Amount { return Amount{value: a.value.Neg(), currency: a.currency} }

// zero is a printed 0 in the given currency.
func zero(currency string) Amount { return Amount{currency: currency} }

// sumAmounts adds printed figures of one currency.
func sumAmounts(currency string, as ...Amount) Amount {
	s := zero(currency)
	for _, a := range as {
		s = s.Add(a)
	}
	return s
}

// exact is the JSON and text form of an unrounded value: every digit, never
// scientific notation, whatever shopspring/decimal's package settings say.
func exact(d decimal.Decimal) string {
	places := -d.Exponent()
	if places < 0 {
		places = 0
	}
	return d.StringFixed(places)
}
