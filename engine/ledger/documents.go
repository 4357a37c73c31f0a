package ledger

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"rebill/engine/invoice"
)

// XeroColumns are the columns of Xero's sales invoice import template
// (Business > Invoices > Import); those marked * are required.
var XeroColumns = []string{"*ContactName", "EmailAddress", "POAddressLine1", "POAddressLine2", "POAddressLine3", "POAddressLine4",
	"POCity", "PORegion", "POPostalCode", "POCountry", "*InvoiceNumber", "Reference", "*InvoiceDate", "*DueDate",
	"InventoryItemCode", "*Description", "*Quantity", "*UnitAmount", "Discount", "*AccountCode", "*TaxType",
	"TrackingName1", "TrackingOption1", "TrackingName2", "TrackingOption2", "Currency", "BrandingTheme"}

// QuickBooksColumns are the column headings QuickBooks Online maps by
// itself when importing invoices (Settings > Import data > Invoices).
var QuickBooksColumns = []string{"InvoiceNo", "Customer", "InvoiceDate", "DueDate", "Terms", "Memo",
	"Item(Product/Service)", "ItemDescription", "ItemQuantity", "ItemRate", "ItemAmount", "ItemTaxCode", "Currency"}

// QuickBooksNumberMax is the longest DocNumber QuickBooks Online keeps.
const QuickBooksNumberMax = 21

// writeXero writes one row per printed line (and the discount and
// credits), amounts exclusive of tax: Xero computes the tax from each
// line's tax type. A credit note goes in with negative amounts, which
// Xero imports as a credit note. A void cannot be imported: it is listed
// to be voided in Xero by hand.
func writeXero(w io.Writer, ps []Posting, s *Summary) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(XeroColumns); err != nil {
		return err
	}
	s.note("import into Xero with amounts tax exclusive; Xero computes each line's tax from its tax type, which may differ from the invoice's by a cent of rounding")
	for _, p := range ps {
		if p.Reversal {
			s.Skipped = append(s.Skipped, fmt.Sprintf("%s was voided on %s: void it in Xero", p.Number, p.Date))
			continue
		}
		s.count(p)
		addr := append(p.Customer.Contact.Address[:len(p.Customer.Contact.Address):len(p.Customer.Contact.Address)], "", "", "", "")
		for _, l := range p.Lines {
			row := []string{p.Customer.Name, p.Customer.Contact.Email, addr[0], addr[1], addr[2], addr[3], "", "", "", p.Customer.Contact.Country,
				p.Number, "Billing period " + p.Period, p.Date.Time().Format("02/01/2006"), p.DueDate.Time().Format("02/01/2006"),
				"", l.Description, "1", fixed(l.Amount, p.Currency), "", l.Account, l.TaxCode, "", "", "", "", p.Currency, ""}
			if err := cw.Write(row); err != nil {
				return err
			}
			s.Bookings++
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeQuickBooks writes one row per printed line (and the discount and
// credits). QuickBooks Online keeps at most 21 characters of an invoice
// number: a longer one is refused, naming it, unless the accountant asked
// to keep the last 21 characters, each such number then listed. Its
// invoice import takes invoices only: credit notes and voids are listed
// to be entered as credit memos or voided by hand.
func writeQuickBooks(w io.Writer, ps []Posting, o Options, s *Summary) error {
	numbers := map[string]string{}
	for _, p := range ps {
		if p.Kind != invoice.KindInvoice || p.Reversal || len(p.Number) <= QuickBooksNumberMax {
			continue
		}
		if !o.ShortenNumbers {
			return fmt.Errorf("invoice number %s has %d characters and QuickBooks Online keeps at most %d: choose a shorter number format in Settings > Invoice numbers > Number format, or export with the last %d characters kept (--shorten-numbers)",
				p.Number, len(p.Number), QuickBooksNumberMax, QuickBooksNumberMax)
		}
		short := p.Number[len(p.Number)-QuickBooksNumberMax:]
		if other, ok := numbers[short]; ok && other != p.Number {
			return fmt.Errorf("invoice numbers %s and %s both end in %s, so their last %d characters cannot tell them apart in QuickBooks Online: choose a shorter number format in Settings > Invoice numbers > Number format",
				other, p.Number, short, QuickBooksNumberMax)
		}
		numbers[short] = p.Number
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(QuickBooksColumns); err != nil {
		return err
	}
	for _, p := range ps {
		switch {
		case p.Reversal:
			s.Skipped = append(s.Skipped, fmt.Sprintf("%s was voided on %s: void it in QuickBooks", p.Number, p.Date))
			continue
		case p.Kind == invoice.KindCreditNote:
			s.Skipped = append(s.Skipped, fmt.Sprintf("credit note %s (%s %s) is not an invoice: enter it in QuickBooks as a credit memo", p.Number, p.Currency, fixed(p.Total, p.Currency)))
			continue
		}
		num := p.Number
		if len(num) > QuickBooksNumberMax {
			num = num[len(num)-QuickBooksNumberMax:]
			s.Notes = append(s.Notes, fmt.Sprintf("invoice %s is %s in QuickBooks (its last %d characters)", p.Number, num, QuickBooksNumberMax))
		}
		s.count(p)
		terms := ""
		if p.Customer.TermsDays > 0 {
			terms = fmt.Sprintf("Net %d", p.Customer.TermsDays)
		}
		for _, l := range p.Lines {
			item := string(l.Section)
			if item == "" {
				item = l.Description
			}
			amt := fixed(l.Amount, p.Currency)
			row := []string{num, p.Customer.Name, p.Date.Time().Format("01/02/2006"), p.DueDate.Time().Format("01/02/2006"), terms,
				strings.TrimSpace("Rebill " + p.Number), item, l.Description, "1", amt, amt, l.TaxCode, p.Currency}
			if err := cw.Write(row); err != nil {
				return err
			}
			s.Bookings++
		}
	}
	cw.Flush()
	return cw.Error()
}
