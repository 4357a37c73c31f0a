package invoice

import (
	"strings"

	"rebill/engine/customer"
)

// PaymentDetails is how to pay the reseller, as every printed document
// says it: the payment instructions, line by line, then the bank account
// entered for e-invoices, unless the instructions already quote its
// IBAN. An accountant enters the IBAN once, in the e-invoicing settings,
// and the PDF a customer reads names the same account as the e-invoice
// its software reads. The account is printed only for the payment means
// where the customer pays into it (a credit transfer, or means left to
// the default): under a direct debit it is the reseller who collects.
// The IBAN's groups are joined by no-break spaces, which a face wraps
// around and writes as plain spaces (see groupsOfFour).
func (s Seller) PaymentDetails() []string {
	var out []string
	for _, l := range strings.Split(s.PaymentInstructions, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	e := s.EInvoice
	switch e.PaymentMeans {
	case "", "30", "31", "42", "58":
	default:
		return out
	}
	if e.IBAN == "" || strings.Contains(customer.CompactID(s.PaymentInstructions), e.IBAN) {
		return out
	}
	bank := "Bank transfer to IBAN " + groupsOfFour(e.IBAN)
	if e.BIC != "" {
		bank += ", BIC " + e.BIC
	}
	return append(out, bank+".")
}

// groupsOfFour writes an IBAN as it is printed on paper (ISO 13616):
// in groups of four characters, "DE89 3704 0044 0532 0130 00". The
// groups are joined by no-break spaces, so that a paragraph wrapped to a
// narrow column never splits the number.
func groupsOfFour(iban string) string {
	var b strings.Builder
	for i, r := range iban {
		if i > 0 && i%4 == 0 {
			b.WriteString("\u00a0")
		}
		b.WriteRune(r)
	}
	return b.String()
}
