package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/distributor"
	"rebill/engine/invoice"
	"rebill/engine/money"
	"rebill/engine/period"
	"rebill/store"
	"rebill/ui/appinfo"
	"rebill/ui/view"
)

// monthClose is the Periods screen's month close: Close month…, Reopen…
// and the distributor's invoices of the selected provider month.
type monthClose struct {
	state    *appState
	closeBtn *widget.Button
	reopen   *widget.Button
	confirm  *widget.Button
	invoices *widget.Button
	bar      fyne.CanvasObject

	chosen  *store.Period // the selected row; nil for none
	records map[string]period.Record
}

func newMonthClose(st *appState) *monthClose {
	m := &monthClose{state: st, records: map[string]period.Record{}}
	m.closeBtn = widget.NewButton("Close month…", m.onClose)
	m.reopen = widget.NewButton("Reopen…", m.onReopen)
	m.confirm = widget.NewButton("Confirm final…", m.onConfirmFinal)
	m.invoices = widget.NewButton("Distributor invoices…", m.onInvoices)
	m.bar = container.NewHBox(m.closeBtn, m.reopen, m.confirm, m.invoices)
	m.choose(nil)
	return m
}

// refresh reads every provider month's close record.
func (m *monthClose) refresh() {
	recs, err := m.state.db.PeriodRecords()
	if err != nil {
		recs = map[string]period.Record{}
	}
	m.records = recs
	m.choose(nil)
}

// record is a provider month's close record (Open when never closed).
func (m *monthClose) record(p store.Period) period.Record {
	if r, ok := m.records[string(p.Provider)+"/"+p.Period]; ok {
		return r
	}
	return period.New(string(p.Provider), p.Period)
}

// cell is the Status column of a row.
func (m *monthClose) cell(p store.Period) cell { return cellOf(view.CloseCell(m.record(p), p.Payer)) }

// choose enables what the selected row allows, and returns the row's
// close text for the detail line ("" for none).
func (m *monthClose) choose(p *store.Period) string {
	m.chosen = p
	if p == nil {
		m.closeBtn.Disable()
		m.reopen.Disable()
		m.confirm.Disable()
		return ""
	}
	if p.Final {
		m.confirm.Disable()
	} else {
		m.confirm.Enable()
	}
	if m.record(*p).IsClosed() {
		m.closeBtn.Disable()
		m.reopen.Enable()
	} else {
		m.closeBtn.Enable()
		m.reopen.Disable()
	}
	st, err := m.state.db.PeriodStatus(p.Period)
	if err != nil {
		return err.Error()
	}
	return view.MonthCloseText(st, p.Provider, p.Payer)
}

// onClose closes the selected provider month, with an optional reason.
func (m *monthClose) onClose() { m.change("Close", false, (*store.DB).ClosePeriod) }

// onReopen reopens it; the reason is required.
func (m *monthClose) onReopen() { m.change("Reopen", true, (*store.DB).ReopenPeriod) }

func (m *monthClose) change(verb string, needReason bool, do func(*store.DB, store.PeriodChange) ([]period.Record, error)) {
	if m.chosen == nil {
		return
	}
	p := *m.chosen
	reason := widget.NewEntry()
	reason.SetPlaceHolder("why (kept in the history and the audit log)")
	label := "Reason (optional)"
	if needReason {
		label = "Reason"
		reason.Validator = func(s string) error {
			if strings.TrimSpace(s) == "" {
				return fmt.Errorf("reopening needs a reason")
			}
			return nil
		}
	}
	title := fmt.Sprintf("%s %s %s", verb, providerName(p.Provider), p.Period)
	items := []*widget.FormItem{widget.NewFormItem(label, reason)}
	if !needReason {
		// What to know before closing, said in the dialog that closes.
		notes, err := m.state.db.CloseWarnings(p.Period, string(p.Provider))
		if err != nil {
			dialog.ShowError(err, m.state.win)
			return
		}
		if len(notes) > 0 {
			w := wrapped(widget.WarningImportance)
			w.SetText(view.Sentences(notes...))
			items = append(items, widget.NewFormItem("Before closing", w))
		}
	}
	d := dialog.NewForm(title, verb, "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		_, err := do(m.state.db, store.PeriodChange{Period: p.Period, Provider: string(p.Provider), Reason: reason.Text, By: appinfo.User(), Now: m.state.now()})
		if err != nil {
			dialog.ShowError(err, m.state.win)
			return
		}
		m.state.dataChanged()
	}, m.state.win)
	if len(items) > 1 {
		d.Resize(fyne.NewSize(600, 340)) // room for the wrapped notes
	}
	d.Show()
}

// onConfirmFinal confirms the selected payer's provisional month final
// on the accountant's word, with the reason required: what the command
// line's period confirm-final does.
func (m *monthClose) onConfirmFinal() {
	if m.chosen == nil {
		return
	}
	p := *m.chosen
	reason := widget.NewEntry()
	reason.SetPlaceHolder("e.g. distributor invoice D-2023-0917 received")
	reason.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("say what shows the data is final")
		}
		return nil
	}
	about := wrapped(widget.MediumImportance)
	about.SetText(view.ConfirmFinalText(p.Delivery))
	items := []*widget.FormItem{widget.NewFormItem("", about), widget.NewFormItem("Reason", reason)}
	title := fmt.Sprintf("Confirm %s %s final (payer %s)", providerName(p.Provider), p.Period, view.ShortID(p.Payer))
	d := dialog.NewForm(title, "Confirm final", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		_, err := m.state.db.ConfirmFinal(store.FinalConfirmation{Period: p.Period, Provider: string(p.Provider), Payer: p.Payer,
			Reason: reason.Text, By: appinfo.User(), Now: m.state.now()})
		if err != nil {
			dialog.ShowError(err, m.state.win)
			return
		}
		m.state.dataChanged()
	}, m.state.win)
	d.Resize(fyne.NewSize(600, 340))
	d.Show()
}

// onInvoices lists the distributor's invoices of the selected month (every
// month with none selected), adds and deletes them.
func (m *monthClose) onInvoices() {
	month, provider := "", "aws"
	if m.chosen != nil {
		month, provider = m.chosen.Period, string(m.chosen.Provider)
	}
	showDistributorForm(m.state, month, provider)
}

// showDistributorForm opens the distributor invoice form and list on a
// month ("" for every month) and provider; the Periods and Reconciliation
// screens both open it.
func showDistributorForm(st *appState, month, provider string) {
	if provider == "" {
		provider = "aws"
	}
	d := &distributorForm{state: st, month: month}
	d.build(provider)
	d.reload()
	dlg := dialog.NewCustom("Distributor invoices", "Close", d.content, st.win)
	dlg.Resize(fyne.NewSize(820, 560))
	dlg.Show()
}

// distributorForm is the distributor invoice form and list.
type distributorForm struct {
	state *appState
	month string

	provider, period, number, date, amount, tax, currency, rate *widget.Entry
	list                                                        *widget.List
	del                                                         *widget.Button
	message                                                     *widget.Label
	content                                                     fyne.CanvasObject

	rows   []distributor.Invoice
	chosen int
}

func (d *distributorForm) build(provider string) {
	entry := func(text, hint string) *widget.Entry {
		e := widget.NewEntry()
		e.SetText(text)
		e.SetPlaceHolder(hint)
		return e
	}
	d.provider = entry(provider, "aws, azure, …")
	d.period = entry(d.month, "YYYY-MM")
	d.number = entry("", "the distributor's invoice number")
	d.date = entry("", "YYYY-MM-DD (optional)")
	d.amount = entry("", "before tax, e.g. 1,234.50")
	d.tax = entry("", "0")
	d.currency = entry("", "default: the month's billing currency")
	d.rate = entry("", "optional: units of this currency per billing currency unit")
	form := widget.NewForm(
		widget.NewFormItem("Provider", d.provider), widget.NewFormItem("Month", d.period),
		widget.NewFormItem("Number", d.number), widget.NewFormItem("Date", d.date),
		widget.NewFormItem("Amount", d.amount), widget.NewFormItem("Tax", d.tax),
		widget.NewFormItem("Currency", d.currency), widget.NewFormItem("Exchange rate", d.rate))
	add := widget.NewButton("Add", d.onAdd)
	add.Importance = widget.HighImportance
	d.del = widget.NewButton("Delete", d.onDelete)
	d.del.Disable()
	d.message = widget.NewLabel("")
	d.message.Wrapping = fyne.TextWrapWord
	d.list = widget.NewList(func() int { return len(d.rows) }, func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(view.DistributorLine(d.rows[i]))
		})
	d.list.OnSelected = func(i widget.ListItemID) { d.chosen = i; d.del.Enable() }
	d.chosen = -1
	left := container.NewVBox(form, container.NewHBox(add), d.message)
	right := container.NewBorder(nil, container.NewHBox(d.del), nil, nil, d.list)
	d.content = container.NewHSplit(left, right)
}

// reload lists the month's distributor invoices.
func (d *distributorForm) reload() {
	rows, err := d.state.db.DistributorInvoices(d.month)
	if err != nil {
		d.message.SetText(err.Error())
	}
	d.rows, d.chosen = rows, -1
	d.list.UnselectAll()
	d.del.Disable()
	d.list.Refresh()
}

func (d *distributorForm) onAdd() {
	inv, err := d.invoice()
	if err == nil {
		_, err = d.state.db.AddDistributorInvoices([]distributor.Invoice{inv}, d.state.now(), appinfo.User())
	}
	if err != nil {
		d.message.Importance = widget.DangerImportance
		d.message.SetText(err.Error())
		return
	}
	d.message.Importance = widget.SuccessImportance
	d.message.SetText("Recorded distributor invoice " + inv.Number + ".")
	d.number.SetText("")
	d.amount.SetText("")
	d.tax.SetText("")
	d.reload()
}

// invoice reads the form.
func (d *distributorForm) invoice() (distributor.Invoice, error) {
	inv := distributor.Invoice{Provider: d.provider.Text, Period: d.period.Text, Number: d.number.Text, Currency: d.currency.Text}
	var err error
	if inv.Amount, err = money.ParseTyped(strings.TrimSpace(d.amount.Text)); err != nil {
		return inv, fmt.Errorf("amount: %w", err)
	}
	if s := strings.TrimSpace(d.tax.Text); s != "" {
		if inv.Tax, err = money.ParseTyped(s); err != nil {
			return inv, fmt.Errorf("tax: %w", err)
		}
	}
	if s := strings.TrimSpace(d.date.Text); s != "" {
		if inv.Date, err = invoice.ParseDate(s); err != nil {
			return inv, err
		}
	}
	if s := strings.TrimSpace(d.rate.Text); s != "" {
		r, err := money.ParseTyped(s)
		if err != nil {
			return inv, fmt.Errorf("exchange rate: %w", err)
		}
		inv.Rate = &r
	}
	return inv, nil
}

func (d *distributorForm) onDelete() {
	if d.chosen < 0 || d.chosen >= len(d.rows) {
		return
	}
	inv := d.rows[d.chosen]
	dialog.ShowConfirm("Delete distributor invoice", "Delete distributor invoice "+inv.Number+" (id "+strconv.FormatUint(inv.ID, 10)+")? The audit log keeps it.", func(ok bool) {
		if !ok {
			return
		}
		if _, err := d.state.db.DeleteDistributorInvoice(inv.ID, d.state.now(), appinfo.User()); err != nil {
			d.message.SetText(err.Error())
			return
		}
		d.reload()
	}, d.state.win)
}
