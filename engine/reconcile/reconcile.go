// Package reconcile ties a month's customer invoices back to the
// distributor's invoice: a bridge from the distributor's total to the sum
// of the issued invoices in which every difference has a named cause
// (DOMAIN.md, "Reconciliation"), and the margin report that splits what
// the reseller earns per customer and service by the same causes.
//
// It re-derives no billing rule: a customer's causes are the figures of
// its statement's console variance (billing.Variance), which already
// splits statement minus console cost into re-rating, pricing rules,
// support, kept discounts, Marketplace, recurring charges, tax, reseller
// credits and service-line rounding. This package only adds up those
// figures across customers, adds what lies outside any customer
// (unassigned accounts, customers not invoiced yet, the distributor's own
// charges, rounding each customer's cost to the cent, currency
// conversion) and says what is left unexplained. It is pure.
package reconcile

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"rebill/engine/billing"
	"rebill/engine/distributor"
	"rebill/engine/money"
)

// Cause names one kind of difference between the distributor's invoice
// and the customers' invoices.
type Cause string

// The causes, in the order the bridge lists them: from the distributor's
// invoice to the file, from the file to the customers, then what each
// customer's statement changes.
const (
	DistributorOnly Cause = "distributor_only"    // the distributor invoice against the file's total
	Unassigned      Cause = "unassigned_accounts" // accounts no customer owns: billed to nobody
	NotInvoiced     Cause = "not_invoiced"        // customers with charges and no issued invoice yet
	Rerating        Cause = "rerating"            // RI and Savings Plan re-rating, cost basis
	PricingRules    Cause = "pricing_rules"       // markups, discounts, the global discount or uplift
	Support         Cause = "support"             // the customer's plan against the provider's support lines
	KeptDiscounts   Cause = "kept_discounts"      // provider discounts the reseller keeps as margin
	Marketplace     Cause = "marketplace"         // Marketplace left out of (or included on) invoices
	ProviderCredits Cause = "provider_credits"    // provider credits and refunds not passed on as they are
	ResellerCredits Cause = "reseller_credits"    // the reseller's own credits spent
	Tax             Cause = "tax"                 // the customers' tax against the provider's Tax lines
	Recurring       Cause = "recurring"           // recurring and managed-service charges
	LineRounding    Cause = "rounding_lines"      // rounding per service line instead of per total
	DisplayRounding Cause = "rounding_display"    // rounding each customer's cost to the cent
	ExchangeRates   Cause = "exchange_rates"      // invoices in another currency, converted back
	CreditNotes     Cause = "credit_notes"        // credit notes issued against the invoices
)

// Causes lists every cause in bridge order.
var Causes = []Cause{DistributorOnly, Unassigned, NotInvoiced, Rerating, PricingRules, Support, KeptDiscounts,
	Marketplace, ProviderCredits, ResellerCredits, Tax, Recurring, LineRounding, DisplayRounding, ExchangeRates, CreditNotes}

var labels = map[Cause]string{
	DistributorOnly: "Distributor-only charges (file total vs distributor invoice)",
	Unassigned:      "Unassigned accounts",
	NotInvoiced:     "Customers not yet invoiced",
	Rerating:        "RI and Savings Plan re-rating",
	PricingRules:    "Pricing rules (markups and discounts)",
	Support:         "Support recomputation",
	KeptDiscounts:   "Provider discounts kept as margin",
	Marketplace:     "Marketplace excluded or included",
	ProviderCredits: "Provider credits and refunds",
	ResellerCredits: "Reseller credits",
	Tax:             "Tax",
	Recurring:       "Recurring charges",
	LineRounding:    "Rounding: service lines",
	DisplayRounding: "Rounding: display (cost to the cent)",
	ExchangeRates:   "Exchange rates",
	CreditNotes:     "Credit notes issued",
}

// Label is the cause as the accountant reads it.
func (c Cause) Label() string { return labels[c] }

// Input is one provider's month as the store read it.
type Input struct {
	Period   string
	Provider string
	// Currency is the file's billing currency, the bridge's.
	Currency string
	// Rounding is the reseller's rounding mode.
	Rounding billing.Rounding
	// Distributor are the distributor's invoices recorded for the
	// provider and month (usually one).
	Distributor []distributor.Invoice
	// Accounts are the provider's accounts of the month, with their
	// owners (billing.Month.ProviderAccounts).
	Accounts []billing.AccountTotal
	// Invoices are the customers' standing issued invoices of the
	// provider and month.
	Invoices []Invoiced
}

// Invoiced is one issued invoice with its month computed again as it was
// (its options, rates and credits).
type Invoiced struct {
	CustomerID string
	Number     string
	// Total is the issued invoice's total, in its Currency.
	Total billing.Amount
	// Currency is the invoice's; Rate converts the bridge currency into
	// it (1 bridge unit = Rate invoice units), zero when they are the same.
	Currency string
	Rate     decimal.Decimal
	// Console is the fresh statement's console variance; nil when the
	// month could not be computed again (Problem says why).
	Console *billing.Variance
	// FreshTotal is the fresh statement's total.
	FreshTotal billing.Amount
	// Rounding is the invoice's rounding mode, which its statement's
	// figures were rounded with.
	Rounding billing.Rounding
	// Credited is what the invoice's issued credit notes take off it
	// (negative): money the customer no longer owes, which no statement
	// explains but the credit notes do, a cause of its own.
	Credited decimal.Decimal
	// CreditedBeforeTax is the same without the notes' tax, what the
	// margin, which is before tax, takes off what the invoice bills.
	CreditedBeforeTax decimal.Decimal
	// Changes describe how the issued invoice differs from the fresh
	// statement: the lines a non-zero residual comes from.
	Changes []string
	Problem string
}

// Share is one customer's (or unassigned account's) part of an item.
type Share struct {
	Customer string `json:"customer,omitempty"`
	Account  string `json:"account,omitempty"`
	Amount   string `json:"amount"`

	amount decimal.Decimal
}

// Value is the share's amount as a number.
func (s Share) Value() decimal.Decimal { return s.amount }

// Item is one step of the bridge.
type Item struct {
	Cause     Cause   `json:"cause"`
	Label     string  `json:"label"`
	Amount    string  `json:"amount"`
	Customers []Share `json:"customers"`

	amount decimal.Decimal
}

// Value is the item's amount as a number.
func (it Item) Value() decimal.Decimal { return it.amount }

// Residual is what one invoice leaves unexplained, with the lines that
// cause it.
type Residual struct {
	Customer string   `json:"customer"`
	Invoice  string   `json:"invoice"`
	Amount   string   `json:"amount"`
	Lines    []string `json:"lines"`
}

// CustomerRow is one customer's place in the bridge.
type CustomerRow struct {
	Customer string `json:"customer"`
	Invoice  string `json:"invoice,omitempty"` // "" when not invoiced yet
	// Cost is the customer's accounts' file total, Invoiced what its
	// invoice bills, both in the bridge currency; InvoiceTotal is the
	// invoice's own total in its currency.
	Cost         string `json:"cost"`
	Invoiced     string `json:"invoiced"`
	InvoiceTotal string `json:"invoice_total,omitempty"`
	Currency     string `json:"invoice_currency,omitempty"`
}

// StartFileTotal is the start of a bridge with no distributor invoice.
const StartFileTotal = "Provider file total (no distributor invoice recorded)"

// Bridge goes from the distributor's invoice to the customers' invoices:
// Start + the items' amounts + Unexplained = InvoicedTotal, Start being
// the distributor's invoices' total (DistributorTotal) once one is
// recorded.
type Bridge struct {
	Period   string `json:"period"`
	Provider string `json:"provider"`
	Currency string `json:"currency"`
	// DistributorTotal is the distributor invoices' amount before tax in
	// the bridge currency; DistributorTax their tax, apart.
	DistributorTotal    string   `json:"distributor_total"`
	DistributorTax      string   `json:"distributor_tax"`
	DistributorInvoices []string `json:"distributor_invoices"`
	// Start is where the bridge starts, StartLabel what it is: the
	// distributor's invoices; or, while none is recorded for the month
	// (the distributor's invoice often comes after the customers' are
	// made), the provider file's total, so that the causes still explain
	// the customers' invoices and the first of them is not the whole file.
	Start      string `json:"start"`
	StartLabel string `json:"start_label"`
	// FileTotal is the file's unblended total at full precision.
	FileTotal     string        `json:"file_total"`
	InvoicedTotal string        `json:"invoiced_total"`
	Items         []Item        `json:"items"`
	Unexplained   string        `json:"unexplained"`
	Residuals     []Residual    `json:"residuals"`
	Customers     []CustomerRow `json:"customer_rows"`
	Notes         []string      `json:"notes,omitempty"`

	unexplained decimal.Decimal
}

// UnexplainedValue is the residual as a number.
func (b Bridge) UnexplainedValue() decimal.Decimal { return b.unexplained }

// Build computes the bridge. It fails when an account is in another
// currency than the bridge's, or a distributor invoice in another
// currency states no exchange rate.
func Build(in Input) (Bridge, error) {
	cur := in.Currency
	round := func(d decimal.Decimal) decimal.Decimal { return in.Rounding.Round(d, cur).Decimal() }
	// str is an amount in the bridge's data (plain, "1282.79"); text is
	// one in a sentence ("1,282.79").
	str := func(d decimal.Decimal) string { return in.Rounding.Round(d, cur).String() }
	text := func(d decimal.Decimal) string { return money.Text(in.Rounding.Round(d, cur).Decimal(), cur) }
	b := Bridge{Period: in.Period, Provider: in.Provider, Currency: cur, DistributorInvoices: []string{}, Residuals: []Residual{}, Customers: []CustomerRow{}}

	var dist, distTax decimal.Decimal
	for _, d := range in.Distributor {
		amt, tax := d.Amount, d.Tax
		if d.Currency != "" && d.Currency != cur {
			if d.Rate == nil || !d.Rate.IsPositive() {
				return b, fmt.Errorf("distributor invoice %s is in %s and the file in %s: record the exchange rate it states (distributor-invoice add --rate)", d.Number, d.Currency, cur)
			}
			amt, tax = round(amt.Div(*d.Rate)), round(tax.Div(*d.Rate))
			b.Notes = append(b.Notes, fmt.Sprintf("distributor invoice %s converted from %s at %s %s per %s", d.Number, d.Currency, d.Rate, d.Currency, cur))
		}
		dist, distTax = dist.Add(amt), distTax.Add(tax)
		b.DistributorInvoices = append(b.DistributorInvoices, d.Number)
	}

	items := map[Cause]*Item{}
	for _, c := range Causes {
		items[c] = &Item{Cause: c, Label: c.Label(), Customers: []Share{}}
	}
	add := func(c Cause, customer, account string, d decimal.Decimal) {
		if d.IsZero() {
			return
		}
		it := items[c]
		it.amount = it.amount.Add(d)
		for i := range it.Customers {
			if it.Customers[i].Customer == customer && it.Customers[i].Account == account {
				it.Customers[i].amount = it.Customers[i].amount.Add(d)
				return
			}
		}
		it.Customers = append(it.Customers, Share{Customer: customer, Account: account, amount: d})
	}

	invoiced := map[string]*Invoiced{}
	for i := range in.Invoices {
		invoiced[in.Invoices[i].CustomerID] = &in.Invoices[i]
	}
	var file decimal.Decimal
	cost := map[string]decimal.Decimal{} // per customer, full precision
	var owners []string
	for _, a := range in.Accounts {
		if a.Currency != cur {
			return b, fmt.Errorf("account %s is billed in %s and the month's file in %s: reconcile each currency's provider apart", a.Account, a.Currency, cur)
		}
		file = file.Add(a.Unblended)
		if a.Customer == "" {
			// Each unassigned account is rounded on its own, as the
			// accounts list shows it; display rounding takes the rest.
			add(Unassigned, "", a.Account, round(a.Unblended).Neg())
			continue
		}
		if _, seen := cost[a.Customer]; !seen {
			owners = append(owners, a.Customer)
		}
		cost[a.Customer] = cost[a.Customer].Add(a.Unblended)
	}
	for _, inv := range in.Invoices {
		if _, seen := cost[inv.CustomerID]; !seen {
			owners = append(owners, inv.CustomerID)
			cost[inv.CustomerID] = decimal.Zero
		}
	}
	sort.Strings(owners)

	// From the distributor's invoice to the file; without one, the
	// bridge starts at the file.
	start := dist
	b.StartLabel = "Distributor invoice " + strings.Join(b.DistributorInvoices, ", ")
	if len(in.Distributor) == 0 {
		start = round(file)
		b.StartLabel = StartFileTotal
		b.Notes = append(b.Notes, fmt.Sprintf("No distributor invoice is recorded for this month: the bridge starts at the provider file's total, %s, so it explains the customers' invoices but does not yet tie them to what the distributor bills. Record it (distributor-invoice add, or Distributor invoices… in the window).", text(start)))
	} else {
		add(DistributorOnly, "", "", round(file).Sub(dist))
	}
	// Every cost rounded to the cent on its own, against the file's total
	// rounded once.
	display := round(file).Neg()
	for _, it := range items[Unassigned].Customers {
		display = display.Sub(it.amount)
	}

	var total decimal.Decimal
	for _, id := range owners {
		u := cost[id]
		row := CustomerRow{Customer: id, Cost: str(u)}
		inv := invoiced[id]
		if inv == nil {
			display = display.Add(round(u))
			add(NotInvoiced, id, "", round(u).Neg())
			row.Invoiced = str(decimal.Zero)
			b.Customers = append(b.Customers, row)
			continue
		}
		// The customer's own figures are rounded as its invoice was.
		round := func(d decimal.Decimal) decimal.Decimal { return inv.Rounding.Round(d, cur).Decimal() }
		row.Invoice, row.InvoiceTotal, row.Currency = inv.Number, inv.Total.String(), inv.Currency
		converts := inv.Currency != cur && inv.Rate.IsPositive()
		back := func(d decimal.Decimal) decimal.Decimal {
			if converts {
				return round(d.Div(inv.Rate))
			}
			return d
		}
		display = display.Add(round(u))
		billed := back(inv.Total.Decimal().Add(inv.Credited))
		// Measured against the invoice converted back alone, so that the
		// conversion's cent goes with the credit notes that cause it.
		credited := billed.Sub(back(inv.Total.Decimal()))
		add(CreditNotes, id, "", credited)
		row.Invoiced = str(billed)
		b.Customers = append(b.Customers, row)
		total = total.Add(billed)
		// What the invoice adds to its customer's cost: its causes, then
		// whatever the conversion and the residual leave.
		explained := decimal.Zero
		if inv.Console != nil {
			for c, d := range causesOf(inv.Console) {
				d = back(d)
				add(c, id, "", d)
				explained = explained.Add(d)
			}
		}
		fresh := back(inv.FreshTotal.Decimal())
		if inv.Console == nil {
			fresh = round(u)
		}
		if converts {
			add(ExchangeRates, id, "", fresh.Sub(round(u)).Sub(explained))
			explained = fresh.Sub(round(u))
		}
		if gap := billed.Sub(round(u)).Sub(explained).Sub(credited); !gap.IsZero() {
			lines := append([]string(nil), inv.Changes...)
			if inv.Problem != "" {
				lines = append(lines, inv.Problem)
			}
			if len(lines) == 0 {
				lines = append(lines, fmt.Sprintf("the statement's console variance does not add up to its total by %s", text(gap)))
			}
			b.unexplained = b.unexplained.Add(gap)
			b.Residuals = append(b.Residuals, Residual{Customer: id, Invoice: inv.Number, Amount: str(gap), Lines: lines})
		}
	}
	add(DisplayRounding, "", "", display)

	b.DistributorTotal, b.DistributorTax, b.Start = str(dist), str(distTax), str(start)
	b.FileTotal = exactString(file)
	b.InvoicedTotal = str(total)
	b.Unexplained = str(b.unexplained)
	for _, c := range Causes {
		it := items[c]
		it.Amount = str(it.amount)
		sort.SliceStable(it.Customers, func(i, j int) bool {
			return it.Customers[i].amount.Abs().GreaterThan(it.Customers[j].amount.Abs())
		})
		for i := range it.Customers {
			it.Customers[i].Amount = str(it.Customers[i].amount)
		}
		b.Items = append(b.Items, *it)
	}
	return b, nil
}

// causesOf maps a statement's console variance onto the bridge's causes:
// the variance's re-rating is re-rating except on provider credit lines,
// its excluded amounts are Marketplace (the only lines a statement leaves
// out), and the total row's rounding is the service-line rounding.
func causesOf(v *billing.Variance) map[Cause]decimal.Decimal {
	out := map[Cause]decimal.Decimal{}
	put := func(c Cause, a billing.Amount) { out[c] = out[c].Add(a.Decimal()) }
	for _, l := range v.Lines {
		if l.ProductType == billing.Credits {
			put(ProviderCredits, l.Rerating)
			put(ProviderCredits, l.Markup)
		} else {
			put(Rerating, l.Rerating)
			put(PricingRules, l.Markup)
		}
		put(Support, l.Support)
		put(Marketplace, l.Excluded)
		put(KeptDiscounts, l.Kept)
		put(Recurring, l.Custom)
		put(Tax, l.Tax)
		put(ResellerCredits, l.Credits)
	}
	put(LineRounding, v.Total.Rounding)
	return out
}

// exactString prints every digit of an unrounded value.
func exactString(d decimal.Decimal) string {
	places := -d.Exponent()
	if places < 2 {
		places = 2
	}
	return d.StringFixed(places)
}
