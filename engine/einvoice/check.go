package einvoice

import (
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/customer"
	"rebill/engine/invoice"
)

// mandate is a country's obligation to issue e-invoices between
// businesses established in it, from a day on, and the format used when
// the customer named none.
type mandate struct {
	from   string // YYYY-MM-DD
	format Format
}

// mandates are the domestic B2B obligations to issue e-invoices Rebill
// knows: Belgium (Peppol, since 1 January 2026), France (all businesses
// issue from 1 September 2027; Factur-X is one of the accepted formats)
// and Germany (all businesses issue from 1 January 2028; larger ones from
// 2027, which the accountant opts into by choosing a format).
var mandates = map[string]mandate{
	"BE": {"2026-01-01", FormatUBL},
	"FR": {"2027-09-01", FormatFacturX},
	"DE": {"2028-01-01", FormatXRechnung},
}

// Required is the e-invoice format an issued document is held to: the
// customer's choice, else the one its country mandates between a seller
// and a buyer both established there on the issue day; "" when none.
// Approval refuses a document that is held to a format and would not
// validate in it (see Check); customers that want none and that no
// mandate covers are never refused for e-invoice data they do not need.
func Required(inv invoice.Invoice) Format {
	if f := inv.Customer.EInvoice.Format; f != customer.EInvoiceNone {
		return f
	}
	seller := countryOf(inv.Seller.Country, inv.Seller.EInvoice.VATID)
	buyer := countryOf(inv.Customer.Contact.Country, inv.Customer.EInvoice.VATID)
	m, ok := mandates[seller]
	if !ok || seller != buyer || inv.IssueDate.IsZero() || inv.IssueDate.String() < m.from {
		return customer.EInvoiceNone
	}
	return m.format
}

// Where the accountant sets what an e-invoice needs, as the refusals
// name them.
const (
	profilePlace = "Settings > E-invoicing"
)

func customerPlace(id string) string { return "Customers > " + id + " > E-invoicing" }

// Check lists, in words, what the document lacks to be a valid e-invoice
// in format: EN 16931's mandatory data for its VAT categories, plus what
// Peppol BIS and XRechnung add. Each problem names the field and where to
// set it. Empty means Build can write it.
func Check(inv invoice.Invoice, format Format) []string {
	var ps []string
	add := func(format string, args ...any) { ps = append(ps, fmt.Sprintf(format, args...)) }
	name := formatName(format)
	s, c := inv.Seller, inv.Customer
	se, ce := s.EInvoice, c.EInvoice
	id := inv.CustomerID
	if inv.Number == "" {
		add("%s is a draft: only an issued document has an e-invoice", inv.Label())
	}
	if s.CompanyName == "" {
		add("your company name is missing, which every e-invoice requires: set it in Settings > Account information")
	}
	if countryOf(s.Country, se.VATID) == "" {
		add("your country is not set, which every e-invoice requires: set it (or your VAT identifier, whose prefix names it) in Settings > Account information")
	}
	if countryOf(c.Contact.Country, ce.VATID) == "" {
		add("Customer %s has no country, which every e-invoice requires: set it in Customers > %s > Billing contact", id, id)
	}
	t, err := taxOf(inv, inv.Figures, decimal.NewFromInt(1))
	if err != nil {
		add("%s", err)
	}
	switch {
	case err != nil:
	case !t.vatIDs && se.LegalID == "":
		add("your legal registration id is missing, which identifies you on an invoice not subject to VAT (BR-CO-26): set it in %s", profilePlace)
	case t.vatIDs && se.VATID == "":
		add("your VAT identifier is missing, which an invoice with VAT category %s requires: set it in %s", t.taxed.code, profilePlace)
	}
	if err == nil && t.taxed.code == customer.VATReverseCharge && ce.VATID == "" {
		add("Customer %s has no VAT identifier, which a reverse-charge invoice requires: set it in %s", id, customerPlace(id))
	}
	if err := customer.CheckScheme(se.AddressScheme); err != nil {
		add("your electronic address %v: set it in %s", err, profilePlace)
	}
	if err := customer.CheckScheme(ce.AddressScheme); err != nil {
		add("Customer %s's electronic address %v: set it in %s", id, err, customerPlace(id))
	}
	if se.LegalID != "" && se.LegalScheme == "" && format != FormatCII && format != FormatFacturX {
		add("your legal registration id has no scheme (e.g. 0002 SIRENE, 0088 GLN): set it in %s", profilePlace)
	}
	if (se.PaymentMeans == "58" || se.PaymentMeans == "30") && se.IBAN == "" {
		add("your payment means %s is a credit transfer but you have no IBAN: set it in %s", se.PaymentMeans, profilePlace)
	}
	if format == FormatUBL || format == FormatXRechnung {
		if se.Address == "" {
			add("your electronic address (Peppol participant id) is missing, which %s requires: set it and its scheme in %s", name, profilePlace)
		}
		if ce.Address == "" {
			add("Customer %s has no electronic address (Peppol participant id), which %s requires: set it and its scheme in %s", id, name, customerPlace(id))
		}
	}
	if format == FormatXRechnung {
		if ce.Reference == "" {
			add("Customer %s has no buyer reference (Leitweg-ID), which XRechnung requires: set it in %s", id, customerPlace(id))
		}
		if s.Phone == "" || s.Email == "" {
			add("your phone and e-mail address are both required by XRechnung as the seller's contact: set them in Settings > Account information")
		}
		if se.IBAN == "" {
			add("your IBAN is missing, which XRechnung requires as the payment means: set it in %s", profilePlace)
		}
		if a := addressOf(s.Address, ""); a.City == "" || a.Postcode == "" {
			add("your address has no line with postcode and city, which XRechnung requires: add one in Settings > Account information")
		}
		if a := addressOf(c.Contact.Address, ""); a.City == "" || a.Postcode == "" {
			add("Customer %s's address has no line with postcode and city, which XRechnung requires: add one in Customers > %s > Billing contact", id, id)
		}
	}
	return ps
}

// formatName is how refusals name a format.
func formatName(f Format) string {
	switch f {
	case FormatUBL:
		return "Peppol BIS Billing"
	case FormatCII:
		return "CII"
	case FormatXRechnung:
		return "XRechnung"
	case FormatFacturX:
		return "Factur-X"
	}
	return "EN 16931"
}

// Ready is approval's rule: a document held to an e-invoice (Required)
// is issued only when its e-invoice can be written and would validate,
// so that the accountant fixes a missing field before the number is
// given, not when the customer's system rejects the file. Documents of
// customers held to none are always ready.
func Ready(inv invoice.Invoice) error {
	f := Required(inv)
	if f == customer.EInvoiceNone {
		return nil
	}
	return Valid(inv, f)
}

// Valid says why the document's e-invoice in format f could not be
// written or would not validate, naming the missing field; nil when it
// can be. Approval (Ready) and sending ask it.
func Valid(inv invoice.Invoice, f Format) error {
	if _, err := Build(inv, f, nil); err != nil {
		return fmt.Errorf("customer %s receives %s e-invoices, and this one would not validate: %w", inv.CustomerID, formatName(f), unwrapIncomplete(err))
	}
	return nil
}

// KeptDetails is why settings changed after issue do not mend an issued
// document's e-invoice: the document keeps the customer's and the
// reseller's details of its issue day, so only a new document carries
// the details set since.
const KeptDetails = "the document keeps the details it was issued with, so what was set since does not apply to it"

// unwrapIncomplete drops the ErrIncomplete prefix from a refusal that
// already says in words what is missing.
func unwrapIncomplete(err error) error {
	if errors.Is(err, ErrIncomplete) {
		return errors.New(strings.TrimPrefix(err.Error(), ErrIncomplete.Error()+": "))
	}
	return err
}
