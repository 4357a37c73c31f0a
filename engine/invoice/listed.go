package invoice

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/lineitem"
	"rebill/engine/money"
)

// Lists (the Invoices screen, `rebill invoices list`, the API's invoice
// list) show a few fields of many documents. Decoding whole documents
// (their sections, taxes, rates, customer and seller, the logo) for a
// list of thousands takes seconds, so the store keeps each document's
// listing beside it, written with it, and lists read only that.
//
// A listing is a compact binary record, not JSON: decoding JSON costs
// about 10 µs a document, which ten thousand documents turn into a
// tenth of a second before a screen can show them. The record is
// listingMagic, then each field in MarshalListing's order as a uvarint
// length and its bytes (text, a decimal string, a YYYY-MM-DD day or
// empty for no day), then the notes and the warnings, each a uvarint
// count and its strings. A field added later goes at the end, and is
// read as absent from records written before it.

// listingMagic starts every listing: its format and version.
var listingMagic = []byte("L1")

// MarshalListing encodes the document as lists show it (see Listed).
func (inv Invoice) MarshalListing() []byte {
	b := append([]byte(nil), listingMagic...)
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	list := func(ss []string) {
		b = binary.AppendUvarint(b, uint64(len(ss)))
		for _, s := range ss {
			str(s)
		}
	}
	str(strconv.Itoa(inv.Version))
	for _, s := range []string{inv.ID, string(inv.Kind), inv.Number, inv.CustomerID, inv.Customer.Name, inv.Period, string(inv.Status), inv.Currency} {
		str(s)
	}
	for _, a := range []billing.Amount{inv.Subtotal, inv.Discount, inv.Support, inv.Marketplace, inv.CreditsApplied, inv.Tax, inv.Total} {
		str(a.Decimal().String())
	}
	for _, d := range []Date{inv.IssueDate, inv.DueDate, inv.PaidDate, inv.VoidDate} {
		str(d.String())
	}
	for _, s := range []string{inv.PaymentRef, inv.VoidReason, inv.Corrects, inv.CorrectsNumber, inv.Reason} {
		str(s)
	}
	list(inv.Notes)
	list(inv.Warnings)
	str(string(inv.Options.Provider)) // added with per-provider lists: absent before
	return b
}

// listingReader reads a listing's fields in order; the first problem
// sticks. The fields are substrings of one copy of the record, so a
// listing costs one allocation for its text, not one per field.
type listingReader struct {
	s   string
	err error
}

func (r *listingReader) uvarint() (uint64, bool) {
	var x uint64
	for i := 0; i < len(r.s) && i < binary.MaxVarintLen64; i++ {
		c := r.s[i]
		x |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			r.s = r.s[i+1:]
			return x, true
		}
	}
	r.err = errors.New("the listing is cut short")
	return 0, false
}

func (r *listingReader) str() string {
	if r.err != nil {
		return ""
	}
	n, ok := r.uvarint()
	if !ok || n > uint64(len(r.s)) {
		r.err = errors.New("the listing is cut short")
		return ""
	}
	s := r.s[:n]
	r.s = r.s[n:]
	return s
}

func (r *listingReader) list() []string {
	if r.err != nil {
		return nil
	}
	n, ok := r.uvarint()
	if !ok || n > uint64(len(r.s)) {
		r.err = errors.New("the listing is cut short")
		return nil
	}
	var out []string
	for range n {
		out = append(out, r.str())
	}
	return out
}

func (r *listingReader) amount(currency string) billing.Amount {
	s := r.str()
	if r.err != nil {
		return billing.Amount{}
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		r.err = fmt.Errorf("amount %q is not a decimal", s)
		return billing.Amount{}
	}
	a := printed(d, currency)
	if !a.Decimal().Equal(d) {
		r.err = fmt.Errorf("amount %s has more decimals than %s allows", d, currency)
	}
	return a
}

func (r *listingReader) date() Date {
	s := r.str()
	if r.err != nil || s == "" {
		return Date{}
	}
	d, err := ParseDate(s)
	if err != nil {
		r.err = err
	}
	return d
}

// ParseListing decodes what MarshalListing wrote: a document with only
// the fields lists show (Listed); the rest is empty. Like a stored
// document, it is refused when written by a newer Rebill or when its
// figures do not add up.
func ParseListing(b []byte) (Invoice, error) {
	if len(b) < len(listingMagic) || string(b[:len(listingMagic)]) != string(listingMagic) {
		return Invoice{}, errors.New("not a document listing")
	}
	r := &listingReader{s: string(b[len(listingMagic):])}
	var inv Invoice
	v, err := strconv.Atoi(r.str())
	if err != nil && r.err == nil {
		r.err = errors.New("the listing's version is not a number")
	}
	inv.Version = v
	var kind, status string
	for _, s := range []*string{&inv.ID, &kind, &inv.Number, &inv.CustomerID, &inv.Customer.Name, &inv.Period, &status, &inv.Currency} {
		*s = r.str()
	}
	inv.Kind, inv.Status = Kind(kind), Status(status)
	if r.err == nil && inv.Version > Version {
		return Invoice{}, fmt.Errorf("invoice %s was written by a newer Rebill (invoice version %d, this one reads %d): update Rebill", inv.ID, inv.Version, Version)
	}
	cur := inv.Currency
	if _, ok := money.MinorUnits(cur); !ok && r.err == nil {
		r.err = fmt.Errorf("currency %q is not an ISO 4217 code", cur)
	}
	f := &inv.Figures
	for _, a := range []*billing.Amount{&f.Subtotal, &f.Discount, &f.Support, &f.Marketplace, &f.CreditsApplied, &f.Tax, &f.Total} {
		*a = r.amount(cur)
	}
	for _, d := range []*Date{&inv.IssueDate, &inv.DueDate, &inv.PaidDate, &inv.VoidDate} {
		*d = r.date()
	}
	for _, s := range []*string{&inv.PaymentRef, &inv.VoidReason, &inv.Corrects, &inv.CorrectsNumber, &inv.Reason} {
		*s = r.str()
	}
	inv.Notes, inv.Warnings = r.list(), r.list()
	if r.err == nil && r.s != "" {
		// The provider the lists show (Provider); a listing written
		// before it was kept has none, and reads as AWS.
		inv.Options.Provider = lineitem.Provider(r.str())
	}
	if r.err != nil {
		return Invoice{}, fmt.Errorf("invoice %s is damaged: %w", inv.ID, r.err)
	}
	if tot := f.Subtotal.Add(f.Discount).Add(f.CreditsApplied).Add(f.Tax); !tot.Decimal().Equal(f.Total.Decimal()) {
		return Invoice{}, fmt.Errorf("invoice %s is damaged: its total %s is not the sum of its figures, %s", inv.ID, f.Total, tot)
	}
	return inv, nil
}

// Listed returns the document as lists show it: its identity, status and
// dates, the customer's name, the figures' totals (not the sections, tax
// lines or rates), payment and void details, the credit note's link and
// reason, its notes and warnings, and its provider. It is what ParseListing gives back
// from MarshalListing.
func (inv Invoice) Listed() Invoice {
	out, _ := ParseListing(inv.MarshalListing())
	return out
}
