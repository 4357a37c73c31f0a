package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/ui/view"
)

// ledgerPanel is Settings > Ledger accounts: which account every part of
// a document is booked to in a ledger export (revenue per product type,
// taxes per rate, receivables per customer, with defaults) and DATEV's
// batch header. The lists are edited one entry a line; the form reads
// them (view.LedgerForm) and the store validates and saves the mapping
// with its change-log entry, or refuses it and keeps the saved one.
type ledgerPanel struct {
	state *appState

	revenue, taxes, receivables                                *widget.Entry
	defaultRevenue, discount, credits                          *widget.Entry
	defaultTax, defaultTaxCode, untaxedCode, defaultReceivable *widget.Entry
	consultant, client, fiscalStart, accountLength, chart      *widget.Entry

	save, export *widget.Button
	status       *widget.Label
	content      fyne.CanvasObject
}

func newLedgerPanel(st *appState) *ledgerPanel {
	p := &ledgerPanel{state: st}
	entry := func(placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(placeholder)
		return e
	}
	lines := func(placeholder string) *widget.Entry {
		e := widget.NewMultiLineEntry()
		e.SetPlaceHolder(placeholder)
		e.SetMinRowsVisible(3)
		return e
	}
	p.revenue, p.taxes, p.receivables = lines("Marketplace = 8195"), lines("19 = 1776 : 3"), lines("ACME = 10001")
	p.defaultRevenue, p.discount, p.credits = entry("8400"), entry("8700"), entry("8700")
	p.defaultTax, p.defaultTaxCode, p.untaxedCode, p.defaultReceivable = entry("1776"), entry("e.g. 3"), entry(""), entry("10000")
	p.consultant, p.client, p.fiscalStart, p.accountLength, p.chart = entry("1001"), entry("1"), entry("1"), entry("4"), entry("03")
	p.save = widget.NewButtonWithIcon("Save ledger accounts", theme.DocumentSaveIcon(), p.onSave)
	p.export = widget.NewButtonWithIcon("Export to ledger…", theme.UploadIcon(), func() { showLedgerExport(st) })
	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	form := newForm(
		newFormField("Revenue accounts", p.revenue, "One product type a line, TYPE = ACCOUNT (Compute, Storage, ..., Marketplace, Support, Recurring and managed services). Types not listed go to the default."),
		newFormField("Default revenue", p.defaultRevenue, ""),
		newFormField("Discount or uplift", p.discount, "The global discount or uplift of an invoice."),
		newFormField("Credits applied", p.credits, "The reseller credits an invoice spends."),
		newFormField("Tax rates", p.taxes, "One rate a line, PERCENT = ACCOUNT : CODE. The code is what your program calls the rate: DATEV's BU-Schlüssel, Xero's tax type, QuickBooks' tax code."),
		newFormField("Other tax account", p.defaultTax, "Where the tax of rates not listed, and the provider's tax passed through, is booked."),
		newFormField("Other tax code", p.defaultTaxCode, "The tax code of those bookings."),
		newFormField("Untaxed lines' code", p.untaxedCode, "The tax code of lines no tax applies to, such as Marketplace; Xero and QuickBooks need one."),
		newFormField("Receivable accounts", p.receivables, "One customer a line, CUSTOMER ID = DEBTOR (DATEV debtors: 10000-69999)."),
		newFormField("Default receivable", p.defaultReceivable, ""),
		newFormField("DATEV consultant", p.consultant, "Beraternummer of the batch header: 1001 or more."),
		newFormField("DATEV client", p.client, "Mandantennummer of the batch header."),
		newFormField("Fiscal year starts", p.fiscalStart, "The month the fiscal year begins with, 1-12."),
		newFormField("Account length", p.accountLength, "Digits of a general ledger account, 4-8; debtors have one more."),
		newFormField("Chart of accounts", p.chart, "03 for SKR03, 04 for SKR04, or empty."),
	)
	p.content = container.NewVBox(
		lowNote("A ledger export books each issued invoice and credit note on its issue date, and reverses a voided one on its void date."),
		form, container.NewBorder(nil, nil, nil, container.NewHBox(p.export, p.save), p.status))
	st.onDataChanged(p.load)
	p.load()
	return p
}

func (p *ledgerPanel) view() fyne.CanvasObject { return p.content }

// load shows the saved mapping.
func (p *ledgerPanel) load() {
	m, err := p.state.db.LedgerMapping()
	if err != nil {
		p.status.SetText(err.Error())
		return
	}
	f := view.LedgerFormOf(m)
	for e, v := range p.bind(&f) {
		e.SetText(*v)
	}
}

// bind pairs each entry with its field of the form.
func (p *ledgerPanel) bind(f *view.LedgerForm) map[*widget.Entry]*string {
	return map[*widget.Entry]*string{p.revenue: &f.Revenue, p.taxes: &f.Taxes, p.receivables: &f.Receivables,
		p.defaultRevenue: &f.DefaultRevenue, p.discount: &f.Discount, p.credits: &f.Credits, p.defaultTax: &f.DefaultTax,
		p.defaultTaxCode: &f.DefaultTaxCode, p.untaxedCode: &f.UntaxedCode, p.defaultReceivable: &f.DefaultReceivable,
		p.consultant: &f.Consultant, p.client: &f.Client, p.fiscalStart: &f.FiscalStart, p.accountLength: &f.AccountLength, p.chart: &f.Chart}
}

// onSave reads the form and saves the mapping, or says what to correct.
func (p *ledgerPanel) onSave() {
	var f view.LedgerForm
	for e, v := range p.bind(&f) {
		*v = e.Text
	}
	m, err := f.Mapping()
	if err == nil {
		_, err = p.state.db.PutLedgerMapping(m, p.state.now())
	}
	if err != nil {
		p.status.SetText(view.Sentence(err.Error()) + ". Nothing was saved.")
		return
	}
	p.load()
	p.status.SetText("Ledger accounts saved. The next export books with them.")
}
