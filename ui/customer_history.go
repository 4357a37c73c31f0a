package ui

import (
	"encoding/json"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/customer"
	"rebill/store"
)

// fieldLabels name the customer settings in the change history as the
// Profile tab labels them.
var fieldLabels = map[string]string{
	"id": "Customer id", "name": "Name", "group": "Group", "contact_name": "Contact name",
	"email": "Email", "phone": "Phone", "address": "Address", "country": "Country",
	"tax_number": "Tax number", "currency": "Invoice currency", "payment_terms_days": "Payment terms (days)",
	"tax_rates": "Tax rates", "support_plan": "Support plan", "support_flat_percent": "Flat support %",
	"adjustment_percent": "Discount or uplift %", "pricing_rules": "Pricing rules", "recurring": "Recurring charges",
	"cost_basis": "Cost basis", "notes": "Notes",
}

// historyRow is one line of the history: one changed setting, or one
// mapping or credit event.
type historyRow struct {
	when, what, field, old, new string
}

// historyTab is the History tab of a customer: its change log, newest
// first, one row per changed setting.
type historyTab struct {
	state   *appState
	cust    customer.Customer
	rows    []historyRow
	table   *dataTable
	none    *widget.Label
	content fyne.CanvasObject
}

func newHistoryTab(st *appState) *historyTab {
	t := &historyTab{state: st}
	t.table = newDataTable([]column{
		{title: "When"},
		{title: "What", max: 320},
		{title: "Change", min: 240, shrink: true},
	}, t.cell)
	t.table.table.OnSelected = t.onSelected
	t.none = lowNote("No change recorded yet.")
	note := lowNote("Every change to this customer, its accounts and its credits, newest first. The log is never edited: select a row to read long values in full.")
	t.content = container.NewBorder(container.NewVBox(note, t.none), nil, nil, nil, t.table.view)
	return t
}

// load shows a customer's history.
func (t *historyTab) load(c customer.Customer) {
	t.cust = c
	t.refresh()
}

func (t *historyTab) refresh() {
	changes, err := t.state.db.CustomerLog(t.cust.ID)
	t.rows = nil
	if err != nil {
		t.none.SetText("Could not read the change log: " + err.Error())
	}
	for i := len(changes) - 1; i >= 0; i-- {
		t.rows = append(t.rows, describeChange(changes[i])...)
	}
	t.table.setRows(len(t.rows))
	showWhen(t.none, len(t.rows) == 0 || err != nil)
	showWhen(t.table.table, len(t.rows) > 0)
}

func (t *historyTab) cell(row, col int) cell {
	r := t.rows[row]
	switch col {
	case 0:
		return cell{text: r.when}
	case 1:
		return cell{text: r.title()}
	case 2:
		return cell{text: oneLine(r.change())}
	}
	return cell{}
}

// title says what changed: "Name edited", "Account 012345678901 mapped".
func (r historyRow) title() string {
	switch {
	case r.field == "":
		return r.what
	case r.what == "Profile edited":
		return r.field + " edited"
	}
	return r.field + " " + r.what
}

// change writes a row's values as "old → new", or the value alone when
// something was added.
func (r historyRow) change() string {
	switch {
	case r.old == "" && r.new == "":
		return ""
	case r.what == "Profile edited":
		return orNone(r.old) + " → " + orNone(r.new)
	case r.old == "":
		return r.new
	case r.new == "":
		return "was " + r.old
	}
	return r.old + " → " + r.new
}

// onSelected shows a change's values in full.
func (t *historyTab) onSelected(id widget.TableCellID) {
	t.table.table.UnselectAll()
	if id.Row < 0 || id.Row >= len(t.rows) {
		return
	}
	r := t.rows[id.Row]
	text := r.when + ": " + r.title()
	text += "\n\nOld value:\n" + orNone(r.old) + "\n\nNew value:\n" + orNone(r.new)
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.Selectable = true
	d := newLongTextDialog("Change", l, t.state.win)
	d.Show()
}

func orNone(s string) string {
	if s == "" {
		return "(empty)"
	}
	return s
}

// oneLine keeps a table cell on one line.
func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " · ") }

// describeChange turns one change-log entry into history rows.
func describeChange(c store.Change) []historyRow {
	when := c.At.Local().Format("2006-01-02 15:04")
	created, deleted := isNull(c.Old), isNull(c.New)
	switch c.Kind {
	case store.KindCustomer:
		var o, n customer.Customer
		_ = json.Unmarshal(c.Old, &o)
		_ = json.Unmarshal(c.New, &n)
		switch {
		case created:
			return []historyRow{{when, "Customer added", "", "", n.Name + " (" + n.ID + ")"}}
		case deleted:
			return []historyRow{{when, "Customer deleted", "", o.Name + " (" + o.ID + ")", ""}}
		}
		var rows []historyRow
		for _, f := range customer.Fields {
			if a, b := f.Get(&o), f.Get(&n); a != b {
				label := fieldLabels[f.Name]
				if label == "" {
					label = f.Name
				}
				rows = append(rows, historyRow{when, "Profile edited", label, a, b})
			}
		}
		if len(rows) == 0 {
			rows = append(rows, historyRow{when: when, what: "Profile saved"})
		}
		return rows
	case store.KindMapping:
		var o, n customer.Mapping
		_ = json.Unmarshal(c.Old, &o)
		_ = json.Unmarshal(c.New, &n)
		switch {
		case created:
			return []historyRow{{when, "mapped", "Account " + n.Account, "", monthSpan(n)}}
		case deleted:
			return []historyRow{{when, "unmapped", "Account " + o.Account, monthSpan(o), ""}}
		}
		return []historyRow{{when, "mapping changed", "Account " + n.Account, monthSpan(o), monthSpan(n)}}
	case store.KindGrant:
		var g customer.Grant
		_ = json.Unmarshal(c.New, &g)
		text := amount(g.Currency, g.Amount, 2) + ": " + g.Reason
		if g.Expires != "" {
			text += ", usable until " + g.Expires
		}
		return []historyRow{{when, "granted", fmt.Sprintf("Credit #%d", g.ID), "", text}}
	case store.KindUse:
		var u customer.Use
		_ = json.Unmarshal(c.New, &u)
		return []historyRow{{when, "used", fmt.Sprintf("Credit #%d", u.Grant), "", fmt.Sprintf("%s on invoice %s (%s)", u.Amount, u.Invoice, u.Period)}}
	}
	return []historyRow{{when, c.Kind + " changed", c.Key, string(c.Old), string(c.New)}}
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
