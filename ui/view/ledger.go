package view

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"rebill/engine/customer"
	"rebill/store"
)

// The Credits and History tabs of a customer: its credit ledger with the
// balance, and its change log.

// Ledger is a customer's credit grants and the invoices that used them,
// as the Credits tab lists them; amounts to the cent, the exact figure
// one click away.
type Ledger struct {
	Grants, Uses []Row
	// numbers are the grants' numbers in the customer's ledger.
	numbers map[uint64]int
}

// Number is a grant's number in the customer's ledger, 1 for its first
// (customer.GrantNumbers).
func (l Ledger) Number(id uint64) int { return l.numbers[id] }

// Columns of the grants.
const (
	GrantID = iota
	GrantDate
	GrantAmount
	GrantReason
	GrantUntil
	GrantLeft
)

// Columns of the uses.
const (
	UseInvoice = iota
	UseMonth
	UseGrant
	UseAmount
	UseDate
)

// NewLedger lists grants and uses, each grant with what remains of it
// (customer.Remaining) and whether it can still be used in month.
func NewLedger(gs []customer.Grant, us []customer.Use, month string) Ledger {
	number := customer.GrantNumbers(gs)
	v := Ledger{numbers: number}
	currency := map[uint64]string{}
	for _, g := range gs {
		currency[g.ID] = g.Currency
		until := Cell{Text: g.Expires}
		switch {
		case g.Expires == "":
			until.Text = "never expires"
		case !g.UsableIn(month):
			until = Cell{Text: g.Expires + " (expired)", Tone: Warning}
		}
		left := AmountCell(g.Currency, customer.Remaining(g, us))
		left.Bold = true
		v.Grants = append(v.Grants, Row{ID: strconv.FormatUint(g.ID, 10), Cells: []Cell{
			GrantID:     {Text: "#" + strconv.Itoa(number[g.ID])},
			GrantDate:   {Text: g.Granted.Local().Format("2006-01-02")},
			GrantAmount: AmountCell(g.Currency, g.Amount),
			GrantReason: {Text: g.Reason},
			GrantUntil:  until,
			GrantLeft:   left,
		}})
	}
	for _, u := range us {
		v.Uses = append(v.Uses, Row{Cells: []Cell{
			UseInvoice: {Text: u.Invoice},
			UseMonth:   {Text: u.Period},
			UseGrant:   {Text: "#" + strconv.Itoa(number[u.Grant])},
			UseAmount:  AmountCell(currency[u.Grant], u.Amount),
			UseDate:    {Text: u.At.Local().Format("2006-01-02")},
		}})
	}
	return v
}

// Balance says what a customer can spend on the invoices of month.
func Balance(bs []store.Balance, month string) string {
	if len(bs) == 0 {
		return "No credit balance."
	}
	parts := make([]string, len(bs))
	for i, b := range bs {
		parts[i] = Cash(b.Currency, b.Amount)
	}
	return fmt.Sprintf("Balance for invoices of %s: %s", month, strings.Join(parts, ", "))
}

// Granted confirms a credit granted, numbered as the customer's ledger
// numbers it (customer.GrantNumbers).
func Granted(g customer.Grant, number int) string {
	return fmt.Sprintf("Granted %s to %s (credit #%d).", Cash(g.Currency, g.Amount), g.Customer, number)
}

// fieldLabels name the customer settings in the change history as the
// Profile tab labels them.
var fieldLabels = map[string]string{
	"id": "Customer id", "name": "Name", "group": "Group", "contact_name": "Contact name",
	"email": "Email", "phone": "Phone", "address": "Address", "country": "Country",
	"tax_number": "Tax number", "currency": "Invoice currency", "payment_terms_days": "Payment terms (days)",
	"tax_rates": "Tax rates", "support_plan": "Support plan", "support_flat_percent": "Flat support %",
	"adjustment_percent": "Discount or uplift %", "pricing_rules": "Pricing rules", "recurring": "Recurring charges",
	"cost_basis": "Cost basis", "notes": "Notes",
	"support_changes": "Support plan changes (from a month)", "provider_discounts": "Provider discounts",
}

// HistoryRow is one line of a customer's history: one changed setting,
// or one mapping or credit event.
type HistoryRow struct {
	When, What, Field, Old, New string
}

// History turns a customer's change log into rows, newest first.
func History(changes []store.Change) []HistoryRow {
	// Credits are numbered as the customer's ledger numbers them.
	var grants []customer.Grant
	for _, c := range changes {
		if c.Kind == store.KindGrant {
			var g customer.Grant
			_ = json.Unmarshal(c.New, &g)
			grants = append(grants, g)
		}
	}
	number := customer.GrantNumbers(grants)
	var rows []HistoryRow
	for i := len(changes) - 1; i >= 0; i-- {
		rows = append(rows, describeChange(changes[i], number)...)
	}
	return rows
}

// Title says what changed: "Name edited", "Account 012345678901 mapped".
func (r HistoryRow) Title() string {
	switch {
	case r.Field == "":
		return r.What
	case r.What == "Profile edited":
		return r.Field + " edited"
	}
	return r.Field + " " + r.What
}

// Change writes a row's values as "old → new", or the value alone when
// something was added.
func (r HistoryRow) Change() string {
	switch {
	case r.Old == "" && r.New == "":
		return ""
	case r.What == "Profile edited":
		return orNone(r.Old) + " → " + orNone(r.New)
	case r.Old == "":
		return r.New
	case r.New == "":
		return "was " + r.Old
	}
	return r.Old + " → " + r.New
}

// Cells are the row as the history table shows it, each on one line.
func (r HistoryRow) Cells() []Cell {
	return []Cell{{Text: r.When}, {Text: r.Title()}, {Text: strings.ReplaceAll(r.Change(), "\n", " · ")}}
}

// Detail is the row in full, for reading long values.
func (r HistoryRow) Detail() string {
	return r.When + ": " + r.Title() + "\n\nOld value:\n" + orNone(r.Old) + "\n\nNew value:\n" + orNone(r.New)
}

func orNone(s string) string {
	if s == "" {
		return "(empty)"
	}
	return s
}

// grantNumber is a grant's number in the customer's ledger; its store
// id when the history does not hold its grant.
func grantNumber(number map[uint64]int, id uint64) uint64 {
	if n, ok := number[id]; ok {
		return uint64(n)
	}
	return id
}

// describeChange turns one change-log entry into history rows.
func describeChange(c store.Change, number map[uint64]int) []HistoryRow {
	when := Moment(c.At)
	created, deleted := isNull(c.Old), isNull(c.New)
	switch c.Kind {
	case store.KindCustomer:
		var o, n customer.Customer
		_ = json.Unmarshal(c.Old, &o)
		_ = json.Unmarshal(c.New, &n)
		switch {
		case created:
			return []HistoryRow{{when, "Customer added", "", "", n.Name + " (" + n.ID + ")"}}
		case deleted:
			return []HistoryRow{{when, "Customer deleted", "", o.Name + " (" + o.ID + ")", ""}}
		}
		var rows []HistoryRow
		from := n.EditedFrom(o)
		for _, f := range customer.Fields {
			if a, b := f.Get(&o), f.Get(&n); a != b {
				label := fieldLabels[f.Name]
				if label == "" {
					label = f.Name
				}
				if from != "" && customer.IsTermsField(f.Name) {
					b += " (from " + from + ")" // the months before keep the old value
				}
				rows = append(rows, HistoryRow{when, "Profile edited", label, a, b})
			}
		}
		if len(rows) == 0 {
			rows = append(rows, HistoryRow{When: when, What: "Profile saved"})
		}
		return rows
	case store.KindMapping:
		var o, n customer.Mapping
		_ = json.Unmarshal(c.Old, &o)
		_ = json.Unmarshal(c.New, &n)
		switch {
		case created:
			return []HistoryRow{{when, "mapped", "Account " + n.Account, "", monthSpan(n)}}
		case deleted:
			return []HistoryRow{{when, "unmapped", "Account " + o.Account, monthSpan(o), ""}}
		}
		return []HistoryRow{{when, "mapping changed", "Account " + n.Account, monthSpan(o), monthSpan(n)}}
	case store.KindGrant:
		var g customer.Grant
		_ = json.Unmarshal(c.New, &g)
		text := Cash(g.Currency, g.Amount) + ": " + g.Reason
		if g.Expires != "" {
			text += ", usable until " + g.Expires
		}
		return []HistoryRow{{when, "granted", fmt.Sprintf("Credit #%d", grantNumber(number, g.ID)), "", text}}
	case store.KindUse:
		var u customer.Use
		_ = json.Unmarshal(c.New, &u)
		return []HistoryRow{{when, "used", fmt.Sprintf("Credit #%d", grantNumber(number, u.Grant)), "", fmt.Sprintf("%s on invoice %s (%s)", u.Amount, u.Invoice, u.Period)}}
	}
	return []HistoryRow{{when, c.Kind + " changed", c.Key, string(c.Old), string(c.New)}}
}

// monthSpan writes a mapping's months compactly: "2024-09 onwards",
// "2024-09 – 2024-10".
func monthSpan(m customer.Mapping) string {
	if m.Until == "" {
		return m.From + " onwards"
	}
	return m.From + " – " + m.Until
}

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(raw) == "null"
}
