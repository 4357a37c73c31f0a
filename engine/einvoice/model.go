package einvoice

import (
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/invoice"
)

// Format is an e-invoice syntax (or CIUS) Rebill writes.
type Format = customer.EInvoiceFormat

// Formats, as customer.EInvoiceFormat names them.
const (
	FormatUBL       = customer.EInvoicePeppol
	FormatCII       = customer.EInvoiceCII
	FormatXRechnung = customer.EInvoiceXRechnung
	FormatFacturX   = customer.EInvoiceFacturX
)

// Specification identifiers (BT-24) and the business process (BT-23).
const (
	PeppolCustomization    = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
	PeppolProfile          = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
	XRechnungCustomization = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
	CIIGuideline           = "urn:cen.eu:en16931:2017"
)

// Document is the EN 16931 semantic model of one invoice or credit note,
// as much of it as Rebill fills. Amounts are in the invoice currency with
// at most two decimals; a credit note's are positive (its type code says
// it credits).
type Document struct {
	CreditNote   bool            // type code 381, else 380
	Number       string          // BT-1
	IssueDate    string          // BT-2, YYYY-MM-DD
	DueDate      string          // BT-9; "" for credit notes
	Currency     string          // BT-5
	TaxCurrency  string          // BT-6, only when VAT is also stated in another currency
	TaxInTaxCurr decimal.Decimal // BT-111, the VAT total in TaxCurrency
	Notes        []string        // BT-22
	BuyerRef     string          // BT-10
	OrderRef     string          // BT-13
	Preceding    string          // BT-25: the invoice a credit note credits
	PeriodStart  string          // BG-14
	PeriodEnd    string
	Seller       Party
	Buyer        Party
	Payment      Payment
	Lines        []Line
	Adjustments  []Adjustment // BG-20 allowances and BG-21 charges
	VAT          []Breakdown  // BG-23
	Totals       Totals       // BG-22
}

// Party is a seller (BG-4) or buyer (BG-7).
type Party struct {
	Name           string
	VATID          string // BT-31 / BT-48
	LegalID        string // BT-30 / BT-47
	LegalScheme    string
	Endpoint       string // BT-34 / BT-49
	EndpointScheme string
	Address        Address
	ContactName    string
	Phone          string
	Email          string
}

// Address is a postal address (BG-5, BG-8).
type Address struct {
	Street, Additional, Line3 string
	City, Postcode            string
	Country                   string // ISO 3166-1 alpha-2
}

// Payment is the payment instructions (BG-16, BT-20, BT-83).
type Payment struct {
	MeansCode string // UNTDID 4461; "" writes no payment means
	Reference string // BT-83
	IBAN, BIC string
	Terms     string // BT-20
}

// Line is an invoice line (BG-25). Net = Quantity x Price: a negative
// line (a provider credit) has quantity -1, since the price may not be
// negative (BR-27).
type Line struct {
	ID          string
	Name        string // BT-153
	Description string // BT-154: the product type the line is printed under
	Quantity    decimal.Decimal
	Price       decimal.Decimal
	Net         decimal.Decimal // BT-131
	Category    string          // BT-151
	Percent     decimal.Decimal // BT-152
}

// Adjustment is a document level allowance (Charge false: BT-92) or
// charge (BT-99).
type Adjustment struct {
	Charge   bool
	Amount   decimal.Decimal
	Reason   string
	Category string
	Percent  decimal.Decimal
}

// Breakdown is the VAT of one category and rate (BG-23).
type Breakdown struct {
	Category   string
	Percent    decimal.Decimal
	Base       decimal.Decimal // BT-116
	Tax        decimal.Decimal // BT-117
	Reason     string          // BT-120
	ReasonCode string          // BT-121
}

// Totals are the document totals (BG-22).
type Totals struct {
	LineNet    decimal.Decimal // BT-106
	Allowances decimal.Decimal // BT-107
	Charges    decimal.Decimal // BT-108
	WithoutVAT decimal.Decimal // BT-109
	VAT        decimal.Decimal // BT-110
	WithVAT    decimal.Decimal // BT-112
	Due        decimal.Decimal // BT-115
	HasAllow   bool            // BT-107 and BT-108 are written only when there are some
	HasCharge  bool
}

// Display states the VAT in another currency (BT-6, BT-111): the
// invoice's figures stay in its own, legal currency; the VAT total is
// also given at the display rate, as converted for the PDF.
type Display struct {
	Currency string
	Tax      decimal.Decimal
}

// ErrIncomplete marks a refusal because of missing customer or reseller
// data, which the accountant can fill in.
var ErrIncomplete = errors.New("the e-invoice cannot be written")

// Build maps an issued invoice or credit note to the EN 16931 model for
// a format, or says in words what it lacks (wrapping ErrIncomplete) or
// why its figures cannot be written as EN 16931 VAT. The figures are the
// printed ones (invoice.Figures.Printed, as the PDF prints them), and
// Build checks that EN 16931's totals computed from the lines (BR-CO-10
// to BR-CO-16) give back the stored total to the cent.
func Build(inv invoice.Invoice, format Format, display *Display) (Document, error) {
	if problems := Check(inv, format); len(problems) > 0 {
		return Document{}, fmt.Errorf("%w: %s", ErrIncomplete, strings.Join(problems, "; "))
	}
	f := inv.Figures.Printed(inv.Seller.UpliftWording)
	sign := decimal.NewFromInt(1)
	credit := inv.Kind == invoice.KindCreditNote
	if credit {
		sign = sign.Neg()
	}
	amt := func(a billing.Amount) decimal.Decimal { return a.Decimal().Mul(sign) }
	tax, err := taxOf(inv, f, sign)
	if err != nil {
		return Document{}, err
	}
	d := Document{CreditNote: credit, Number: inv.Number, IssueDate: inv.IssueDate.String(),
		Currency: inv.Currency, BuyerRef: inv.Customer.EInvoice.Reference, OrderRef: inv.Customer.EInvoice.Order,
		Preceding: inv.CorrectsNumber}
	if !credit && !inv.DueDate.IsZero() {
		d.DueDate = inv.DueDate.String()
	}
	if d.BuyerRef == "" && d.OrderRef == "" {
		// Peppol asks for one of the two (PEPPOL-EN16931-R003); the
		// customer's id is what the buyer's ledger knows Rebill by.
		d.BuyerRef = inv.CustomerID
	}
	d.PeriodStart, d.PeriodEnd = monthBounds(inv.Period)
	if inv.Reason != "" {
		d.Notes = append(d.Notes, inv.Reason)
	}
	d.Notes = append(d.Notes, inv.Notes...)
	d.Seller, d.Buyer = sellerOf(inv.Seller, tax.vatIDs), buyerOf(inv.Customer, tax.vatIDs)
	d.Payment = paymentOf(inv)

	// Lines: every printed line, under its section's VAT category.
	n := 0
	for _, s := range f.Sections {
		for _, l := range s.Lines {
			cat := tax.taxed
			if s.ProductType == billing.Marketplace || l.Untaxed() {
				cat = tax.market
			}
			n++
			net := amt(l.Amount)
			q := decimal.NewFromInt(1)
			if net.IsNegative() {
				q = q.Neg()
			}
			d.Lines = append(d.Lines, Line{ID: fmt.Sprint(n), Name: l.Description(), Description: string(s.ProductType),
				Quantity: q, Price: net.Abs(), Net: net, Category: cat.code, Percent: cat.percent})
		}
	}
	// Document level: the discount or printed uplift, then the reseller
	// credits, split between the taxed charges they paid first and the
	// Marketplace charges they paid with the rest (as billing computes
	// the tax base).
	if disc := amt(f.Discount); !disc.IsZero() {
		d.Adjustments = append(d.Adjustments, adjustment(disc, discountReason(f, inv.Seller.UpliftWording), tax.taxed))
	}
	if cr := amt(f.CreditsApplied); !cr.IsZero() {
		taxedBase := decimal.Zero
		for _, l := range d.Lines {
			if l.Category == tax.taxed.code {
				taxedBase = taxedBase.Add(l.Net)
			}
		}
		taxedBase = taxedBase.Add(amt(f.Discount))
		onTaxed := cr
		if cr.IsNegative() && tax.market.code != tax.taxed.code {
			onTaxed = decimal.Max(cr, decimal.Min(taxedBase.Neg(), decimal.Zero))
		}
		if !onTaxed.IsZero() {
			d.Adjustments = append(d.Adjustments, adjustment(onTaxed, "Credits applied", tax.taxed))
		}
		if rest := cr.Sub(onTaxed); !rest.IsZero() {
			d.Adjustments = append(d.Adjustments, adjustment(rest, "Credits applied to Marketplace charges", tax.market))
		}
	}
	if err := d.breakdown(tax); err != nil {
		return Document{}, fmt.Errorf("%s: %w", inv.Label(), err)
	}
	d.totals()
	if want := amt(inv.Total); !d.Totals.WithVAT.Equal(want) {
		return Document{}, fmt.Errorf("%s: the e-invoice's total %s (lines %s, allowances %s, charges %s, VAT %s) is not the invoice's %s",
			inv.Label(), d.Totals.WithVAT, d.Totals.LineNet, d.Totals.Allowances, d.Totals.Charges, d.Totals.VAT, want)
	}
	if display != nil && display.Currency != "" && display.Currency != inv.Currency {
		d.TaxCurrency, d.TaxInTaxCurr = display.Currency, display.Tax.Mul(sign)
	}
	for _, a := range append(append([]decimal.Decimal{}, d.Totals.LineNet, d.Totals.VAT), linesNets(d)...) {
		if !a.Equal(a.Round(2)) {
			return Document{}, fmt.Errorf("%s is in %s, whose amounts have more than the two decimals EN 16931 allows", inv.Label(), inv.Currency)
		}
	}
	return d, nil
}

func linesNets(d Document) []decimal.Decimal {
	out := make([]decimal.Decimal, 0, len(d.Lines))
	for _, l := range d.Lines {
		out = append(out, l.Net)
	}
	return out
}

// adjustment is an allowance for a negative amount, a charge for a
// positive one.
func adjustment(a decimal.Decimal, reason string, c category) Adjustment {
	return Adjustment{Charge: a.IsPositive(), Amount: a.Abs(), Reason: reason, Category: c.code, Percent: c.percent}
}

// discountReason names the adjustment as the PDF does: "Discount 5%",
// "Uplift 12%" or the reseller's wording for an uplift.
func discountReason(f invoice.Figures, wording string) string {
	name := "Discount"
	if f.IsUplift() {
		name = "Uplift"
		if wording != "" {
			name = wording
		}
	}
	if f.DiscountPercent.IsZero() {
		return name
	}
	return fmt.Sprintf("%s %s%%", name, f.DiscountPercent.Abs())
}

// breakdown sums the base of every VAT category and rate from the lines
// and adjustments (BR-S-08, BR-E-08, ...), and takes the VAT of the taxed
// category from the stored tax, which must be its base times its rate
// (BR-S-09: the validators allow one cent either way; Rebill asks for the
// cent its own rounding gives).
func (d *Document) breakdown(t taxes) error {
	type key struct{ code, pct string }
	idx := map[key]int{}
	add := func(c category, a decimal.Decimal) {
		k := key{c.code, c.percent.String()}
		i, ok := idx[k]
		if !ok {
			i = len(d.VAT)
			idx[k] = i
			d.VAT = append(d.VAT, Breakdown{Category: c.code, Percent: c.percent, Reason: c.reason, ReasonCode: c.reasonCode})
		}
		d.VAT[i].Base = d.VAT[i].Base.Add(a)
	}
	cats := map[string]category{t.taxed.code: t.taxed, t.market.code: t.market}
	for _, l := range d.Lines {
		add(cats[l.Category], l.Net)
	}
	for _, a := range d.Adjustments {
		v := a.Amount
		if !a.Charge {
			v = v.Neg()
		}
		add(cats[a.Category], v)
	}
	if len(d.VAT) == 0 {
		add(t.taxed, decimal.Zero)
	}
	for i := range d.VAT {
		b := &d.VAT[i]
		if b.Category != t.taxed.code || !t.charged {
			continue
		}
		if !t.base.IsZero() && !b.Base.Equal(t.base) {
			return fmt.Errorf("its VAT base %s is not the base %s its tax was computed on (credits or refunds larger than the charges?): issue it without an e-invoice or correct it with a credit note", t.base, b.Base)
		}
		want := b.Base.Mul(b.Percent).Div(decimal.NewFromInt(100))
		if diff := want.Sub(t.amount).Abs(); diff.GreaterThan(decimal.New(1, -2)) {
			return fmt.Errorf("its VAT %s is not %s%% of %s", t.amount, b.Percent, b.Base)
		}
		b.Tax = t.amount
	}
	return nil
}

// totals sums BG-22 from the lines, adjustments and breakdown (BR-CO-10
// to BR-CO-16); nothing is prepaid, so the amount due is the total.
func (d *Document) totals() {
	t := &d.Totals
	for _, l := range d.Lines {
		t.LineNet = t.LineNet.Add(l.Net)
	}
	for _, a := range d.Adjustments {
		if a.Charge {
			t.Charges, t.HasCharge = t.Charges.Add(a.Amount), true
		} else {
			t.Allowances, t.HasAllow = t.Allowances.Add(a.Amount), true
		}
	}
	for _, b := range d.VAT {
		t.VAT = t.VAT.Add(b.Tax)
	}
	t.WithoutVAT = t.LineNet.Sub(t.Allowances).Add(t.Charges)
	t.WithVAT = t.WithoutVAT.Add(t.VAT)
	t.Due = t.WithVAT
}

// monthBounds is the first and last day of a YYYY-MM month, the invoicing
// period (BG-14); "" for a malformed month.
func monthBounds(period string) (string, string) {
	var y, m int
	if _, err := fmt.Sscanf(period, "%4d-%2d", &y, &m); err != nil || m < 1 || m > 12 {
		return "", ""
	}
	days := [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
	if m == 2 && (y%4 == 0 && y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return fmt.Sprintf("%04d-%02d-01", y, m), fmt.Sprintf("%04d-%02d-%02d", y, m, days)
}
