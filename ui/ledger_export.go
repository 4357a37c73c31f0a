package ui

import (
	"bytes"
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/invoice"
	"rebill/engine/ledger"
	"rebill/ui/view"
)

// ledgerChoices are what the Export to ledger dialog was given, kept so
// that it opens again as the accountant left it after a refusal.
type ledgerChoices struct {
	format         int
	from, until    string
	currency       string
	shortenNumbers bool
}

// showLedgerExport asks for a format and a period, makes the export, and
// only then asks where to save it: a refused export (a number DATEV or
// QuickBooks cannot take, a period across two fiscal years, two
// currencies in one DATEV batch) is explained and leaves no file behind.
func showLedgerExport(st *appState) {
	from, until := view.LedgerPeriod(st.now())
	showLedgerExportWith(st, ledgerChoices{from: from.String(), until: until.String()})
}

// showLedgerExportWith opens the dialog on these choices. Once a refusal
// or "Nothing to export" is read, the dialog opens again with what was
// typed, so that the choice it names can be changed without typing the
// rest again.
func showLedgerExportWith(st *appState, c ledgerChoices) {
	labels := make([]string, len(ledger.Formats))
	for i, f := range ledger.Formats {
		labels[i] = f.Label()
	}
	format := widget.NewSelect(labels, nil)
	format.SetSelectedIndex(c.format)
	fromEntry, untilEntry := widget.NewEntry(), widget.NewEntry()
	fromEntry.SetText(c.from)
	untilEntry.SetText(c.until)
	shorten := widget.NewCheck("QuickBooks: keep the last 21 characters of longer numbers", nil)
	shorten.SetChecked(c.shortenNumbers)
	// A DATEV batch holds one currency: a reseller invoicing in several
	// exports each on its own.
	currency := widget.NewSelect(view.LedgerCurrencies(customerCurrencies(st)), nil)
	currency.SetSelectedIndex(0)
	if c.currency != "" {
		currency.SetSelected(c.currency)
	}
	items := []*widget.FormItem{widget.NewFormItem("Format", format), widget.NewFormItem("Issued from", fromEntry),
		widget.NewFormItem("Until", untilEntry), widget.NewFormItem("Currency", currency), widget.NewFormItem("", shorten)}
	dialog.ShowForm("Export to ledger", "Export…", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		typed := ledgerChoices{format: format.SelectedIndex(), from: fromEntry.Text, until: untilEntry.Text,
			currency: currency.Selected, shortenNumbers: shorten.Checked}
		f := ledger.Formats[typed.format]
		o := ledger.Options{Now: st.now(), Currency: view.LedgerCurrency(typed.currency), ShortenNumbers: typed.shortenNumbers}
		var err error
		if o.From, err = invoice.ParseDate(typed.from); err == nil {
			o.Until, err = invoice.ParseDate(typed.until)
		}
		var buf bytes.Buffer
		var s ledger.Summary
		if err == nil {
			s, err = st.db.LedgerExport(&buf, f, o)
		}
		if err != nil {
			refusal := dialog.NewError(errors.New(view.Sentences("nothing was exported", err.Error())), st.win)
			refusal.SetOnClosed(func() { showLedgerExportWith(st, typed) })
			refusal.Show()
			return
		}
		if s.Documents == 0 && len(s.Skipped) == 0 {
			nothing := dialog.NewInformation("Nothing to export", view.LedgerNothing(s), st.win)
			nothing.SetOnClosed(func() { showLedgerExportWith(st, typed) })
			nothing.Show()
			return
		}
		d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
			if err != nil || w == nil {
				return
			}
			_, err = w.Write(buf.Bytes())
			if cerr := w.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				dialog.ShowError(fmt.Errorf("cannot write %s: %w", w.URI().Name(), err), st.win)
				return
			}
			dialog.ShowInformation("Exported", view.LedgerExported(s, w.URI().Path()), st.win)
		}, st.win)
		d.SetFileName(view.LedgerFileName(f, o))
		d.SetFilter(storage.NewExtensionFileFilter([]string{f.Ext()}))
		d.Resize(dialogSize(st.win))
		d.Show()
	}, st.win)
}

// customerCurrencies are the customers' invoice currencies, the export's
// choices; none when they cannot be read (the export then says why).
func customerCurrencies(st *appState) []string {
	cs, err := st.db.Customers()
	if err != nil {
		return nil
	}
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Currency
	}
	return out
}
