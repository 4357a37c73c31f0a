package invoice

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"rebill/engine/billing"
	"rebill/engine/customer"
)

// Version is the schema version of the stored Invoice value. A reader
// refuses a newer version rather than misread an issued invoice; a change
// of the stored form bumps it and adds a reader for the old one.
const Version = 1

// Invoice is one invoice or credit note. Once approved it is an immutable
// snapshot: its figures, exchange rates, customer and reseller data are
// those of the day it was issued, whatever changes afterwards, so it can be
// printed again identically years later. Functions that change it return a
// new value and never touch their input.
//
// Its JSON is what the store keeps and `rebill invoices show --json`
// prints: amounts are decimal strings, number and dates null until issued.
type Invoice struct {
	Version    int    `json:"version"`
	ID         string `json:"id"`
	Kind       Kind   `json:"kind"`
	Number     string `json:"number"` // "" (JSON null) for drafts
	CustomerID string `json:"customer_id"`
	Period     string `json:"period"` // YYYY-MM billed
	Status     Status `json:"status"` // stored status; see Effective
	Figures

	// Deliveries are the store's ids of the provider deliveries the
	// figures were computed from: the store keeps their rows while the
	// invoice exists, so its detailed export can be drawn again byte for
	// byte after any re-import. Empty for invoices made before it was
	// recorded.
	Deliveries []uint64 `json:"deliveries,omitempty"`
	// Options are the accountant's generation options the figures were
	// computed with (apply credits, include tax, include Marketplace,
	// credits for Marketplace, and the rounding and tax handling).
	Options billing.Options `json:"options"`
	// Accounts are the usage accounts the invoice bills in its month (the
	// statement's, see billing.Statement.Accounts): while the invoice
	// stands, those account-months stay its customer's (see Bills). Empty
	// on credit notes, on invoices of recurring charges only, and on
	// invoices stored before invoices recorded them.
	Accounts []string `json:"accounts,omitempty"`
	// AccountDays are the days of a moved account the invoice bills (the
	// statement's, see billing.Statement.AccountDays): the account's other
	// days of the month are another customer's to bill.
	AccountDays []billing.AccountDays `json:"account_days,omitempty"`
	// Customer and Seller are snapshots taken when the draft was made.
	Customer Party  `json:"customer"`
	Seller   Seller `json:"seller"`
	// CreditUses are the reseller credits the invoice spends; Approve
	// names the invoice in them and the store debits them from the ledger
	// when it stores the approved invoice, recording each use's ledger id
	// here (customer.Use.ID), so voiding or crediting the invoice gives
	// back exactly those uses.
	CreditUses []customer.Use `json:"credit_uses,omitempty"`

	Generated time.Time `json:"generated"`
	// Approved is the instant the document was issued (zero for drafts,
	// and for documents issued before it was recorded): a correction
	// computes the customer's credits as they stood then.
	Approved   time.Time `json:"approved,omitzero"`
	IssueDate  Date      `json:"issue_date"`
	DueDate    Date      `json:"due_date"` // issue date + payment terms; null for credit notes
	PaidDate   Date      `json:"paid_date"`
	PaymentRef string    `json:"payment_reference,omitempty"`
	// ClosedBy says what settled a Closed invoice (ClosedByPayments,
	// ClosedByCreditNotes, ClosedByBoth; see Settle); empty for invoices
	// closed by hand before payments were recorded.
	ClosedBy string `json:"closed_by,omitempty"`
	// Sent records each time the document was sent to the customer (or
	// written as an e-mail file), oldest first.
	Sent       []Sending `json:"sent,omitempty"`
	VoidDate   Date      `json:"void_date"`
	VoidReason string    `json:"void_reason,omitempty"`
	// Voided is the instant the document was voided (zero for documents
	// voided before it was recorded): a statement of account orders a
	// day's movements by it.
	Voided time.Time `json:"voided,omitzero"`

	// Corrects and CorrectsNumber link a credit note to the invoice it
	// credits; Reason says why (printed on the credit note).
	Corrects       string `json:"corrects,omitempty"`
	CorrectsNumber string `json:"corrects_number,omitempty"`
	Reason         string `json:"reason,omitempty"`
	// Notes are printed on the document; Warnings are the engine's notes
	// for the accountant (a credit grant in another currency, a blended
	// basis) and are never printed.
	Notes    []string `json:"notes,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
}

// Party is the customer as printed on the invoice. Its ID is the
// invoice's CustomerID; its currency the invoice's.
type Party struct {
	Name      string           `json:"name"`
	Contact   customer.Contact `json:"contact"`
	TaxNumber string           `json:"tax_number"`
	TermsDays int              `json:"payment_terms_days"`
	// EInvoice is the customer's e-invoice details on the day of issue.
	EInvoice customer.BuyerEInvoice `json:"einvoice,omitzero"`
}

// PartyOf snapshots what of a customer an invoice prints.
func PartyOf(c customer.Customer) Party {
	ct := c.Contact
	ct.Address = slices.Clone(ct.Address)
	return Party{Name: c.Name, Contact: ct, TaxNumber: c.TaxNumber, TermsDays: c.TermsDays, EInvoice: c.EInvoice}
}

// Seller is the reseller's public profile as printed on the invoice. Unlike
// customer.Profile, whose JSON leaves the logo out to keep the change log
// small, it carries the logo's bytes: an issued invoice must print the logo
// it was issued with, even after the profile's logo changes.
type Seller struct {
	CompanyName         string   `json:"company_name"`
	Logo                []byte   `json:"logo,omitempty"` // PNG or JPEG; base64 in JSON
	LogoType            string   `json:"logo_type,omitempty"`
	Address             []string `json:"address"`
	Email               string   `json:"email,omitempty"`
	Phone               string   `json:"phone,omitempty"`
	Website             string   `json:"website,omitempty"`
	TaxNumber           string   `json:"tax_number,omitempty"`
	PaymentInstructions string   `json:"payment_instructions,omitempty"`
	// UpliftWording is how an uplift is printed (customer.Profile's):
	// "" folds it into the service lines' prices.
	UpliftWording string `json:"uplift_wording,omitempty"`
	// PaperSize is the documents' paper, "A4" or "Letter" ("" is A4).
	PaperSize string `json:"paper_size,omitempty"`
	// Country is the reseller's (customer.Profile's), the seller's
	// country on e-invoices.
	Country string `json:"country,omitempty"`
	// EInvoice is the reseller's e-invoice details on the day of issue.
	EInvoice customer.SellerEInvoice `json:"einvoice,omitzero"`
}

// SellerOf snapshots the printed part of the reseller's profile (not its
// numbering or defaults, which are not the customer's business).
func SellerOf(p customer.Profile) Seller {
	return Seller{CompanyName: p.CompanyName, Logo: slices.Clone(p.Logo), LogoType: p.LogoType,
		Address: slices.Clone(p.Address), Email: p.Email, Phone: p.Phone, Website: p.Website,
		TaxNumber: p.TaxNumber, PaymentInstructions: p.PaymentInstructions,
		UpliftWording: p.UpliftWording, PaperSize: p.PaperSize, Country: p.Country, EInvoice: p.EInvoice}
}

// MarshalJSON writes the invoice with number null for drafts, so a
// program reading `show --json` cannot mistake "" for a number.
func (inv Invoice) MarshalJSON() ([]byte, error) {
	type plain Invoice
	var num *string
	if inv.Number != "" {
		num = &inv.Number
	}
	return json.Marshal(struct {
		Number *string `json:"number"`
		plain
	}{num, plain(inv)})
}

// UnmarshalJSON reads a stored invoice. It refuses a newer schema version
// and a damaged value (figures that do not add up or are not at the
// currency's minor unit), and gives every figure back its currency, which
// JSON amounts do not carry.
func (inv *Invoice) UnmarshalJSON(b []byte) error {
	type plain Invoice
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	if p.Version > Version {
		return fmt.Errorf("invoice %s was written by a newer Rebill (invoice version %d, this one reads %d): update Rebill", p.ID, p.Version, Version)
	}
	if err := p.Figures.attach(); err != nil {
		return fmt.Errorf("invoice %s is damaged: %w", p.ID, err)
	}
	if err := p.Figures.check(); err != nil {
		return fmt.Errorf("invoice %s is damaged: %w", p.ID, err)
	}
	*inv = Invoice(p)
	return nil
}

// clone returns a copy sharing no slice with inv, so a function may change
// the copy and leave its input as it was.
func (inv Invoice) clone() Invoice {
	out := inv
	out.Figures = inv.Figures.clone()
	out.Customer.Contact.Address = slices.Clone(inv.Customer.Contact.Address)
	out.Seller.Logo = slices.Clone(inv.Seller.Logo)
	out.Seller.Address = slices.Clone(inv.Seller.Address)
	out.CreditUses = slices.Clone(inv.CreditUses)
	out.Accounts = slices.Clone(inv.Accounts)
	out.AccountDays = slices.Clone(inv.AccountDays)
	out.Notes = slices.Clone(inv.Notes)
	out.Warnings = slices.Clone(inv.Warnings)
	out.Sent = slices.Clone(inv.Sent)
	return out
}
