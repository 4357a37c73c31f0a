package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/document"
	"rebill/engine/invoice"
	"rebill/store"
	"rebill/ui/view"
)

// invoiceView shows one invoice as the customer will see it, with the
// actions its status allows (Approve and Delete for a draft; Mark paid,
// Void and Credit note once issued), a display currency for reading it in
// another currency (never stored), the downloads, and, when its month
// was re-imported after it was issued, the difference and its
// correction. Its words are the view-model's (view.InvoiceTitle,
// view.Related, view.DifferenceText); its actions are in
// invoices_view_actions.go.
type invoiceView struct {
	state  *appState
	screen *invoicesScreen

	inv invoice.Invoice
	// rel are the documents that go with it (its credit notes, its
	// invoice, the month's other invoices), as the engine tells them.
	rel invoice.Related
	v   invoice.View
	// display is the display currency chosen, nil for the invoice's own.
	display *store.Display

	back     *widget.Button
	title    *tipLabel
	currency *widget.Select
	problem  *widget.Label

	approve, del, markPaid, void, credit *widget.Button
	// creditForm is the open Credit note dialog, for tests.
	creditForm             *formDialog
	pdf, xlsx, csv, detail *widget.Button
	// einvoice opens the e-invoice formats (onEInvoiceMenu); issued
	// documents only, as drafts have no e-invoice.
	einvoice *widget.Button
	actions  *fyne.Container

	// related links the invoice's credit notes, or the credit note's
	// invoice.
	related *fyne.Container
	// payments is the Payments section: paid, open, Record payment, Send.
	payments *invoicePayments

	diff     *widget.Label
	correct  *widget.Button
	diffBox  *fyne.Container
	paperBox *fyne.Container
	scroll   *container.Scroll
	content  *fyne.Container

	muted bool
	// dialog is the last dialog opened, for tests; exported is what the
	// last download wrote.
	dialog   dialog.Dialog
	exported store.Exported
}

func newInvoiceView(st *appState, screen *invoicesScreen) *invoiceView {
	v := &invoiceView{state: st, screen: screen}
	v.back = widget.NewButtonWithIcon("Invoices", theme.NavigateBackIcon(), screen.closeViewer)
	v.title = newTipLabel("")
	v.title.TextStyle = fyne.TextStyle{Bold: true}
	v.currency = widget.NewSelect(nil, func(string) { v.onCurrency() })
	v.problem = wrapped(widget.DangerImportance)
	v.problem.Hide()

	v.approve = widget.NewButtonWithIcon("Approve", theme.ConfirmIcon(), v.onApprove)
	v.approve.Importance = widget.HighImportance
	v.del = widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), v.onDelete)
	v.markPaid = widget.NewButtonWithIcon("Mark paid…", theme.ConfirmIcon(), v.onMarkPaid)
	v.void = widget.NewButtonWithIcon("Void…", theme.CancelIcon(), v.onVoid)
	v.credit = widget.NewButtonWithIcon("Credit note…", theme.ContentUndoIcon(), v.onCreditNote)
	v.pdf = widget.NewButtonWithIcon("PDF", theme.DownloadIcon(), func() { v.onDownload(document.FormatPDF) })
	v.xlsx = widget.NewButtonWithIcon("Excel", theme.DownloadIcon(), func() { v.onDownload(document.FormatXLSX) })
	v.csv = widget.NewButtonWithIcon("CSV", theme.DownloadIcon(), func() { v.onDownload(document.FormatCSV) })
	v.detail = widget.NewButtonWithIcon("Detail CSV", theme.DownloadIcon(), func() { v.onDownload(document.FormatDetailCSV) })
	v.einvoice = widget.NewButtonWithIcon("E-invoice", theme.MenuDropDownIcon(), v.onEInvoiceMenu)

	v.diff = wrapped(widget.WarningImportance)
	v.correct = widget.NewButtonWithIcon("Issue correction…", theme.DocumentCreateIcon(), v.onCorrect)
	v.correct.Importance = widget.WarningImportance
	v.diffBox = container.NewBorder(nil, container.NewHBox(v.correct), container.NewVBox(widget.NewIcon(theme.WarningIcon())), nil, v.diff)
	v.diffBox.Hide()

	head := container.NewBorder(nil, nil, v.back, container.NewHBox(boldLabel("Show in"), fixedWidth(v.currency, 230)), v.title)
	v.actions = container.NewHBox(v.approve, v.del, v.markPaid, v.void, v.credit)
	downloads := container.NewHBox(boldLabel("Download"), v.pdf, v.xlsx, v.csv, v.detail, v.einvoice)
	bar := container.NewBorder(nil, nil, v.actions, downloads)
	v.related = container.NewHBox()
	v.related.Hide()
	v.payments = newInvoicePayments(v)
	top := container.NewVBox(head, bar, v.related, v.payments.box, v.problem, v.diffBox, widget.NewSeparator())
	v.paperBox = container.NewStack()
	v.scroll = container.NewVScroll(container.New(&paddedLayout{top: 8, bottom: 24, left: 8, right: 8}, v.paperBox))
	v.content = container.NewBorder(top, nil, nil, nil, v.scroll)
	return v
}

// show opens an invoice in its own currency.
func (v *invoiceView) show(id string) {
	v.display = nil
	v.load(id)
	v.scroll.ScrollToTop()
}

// reload reads the invoice again after a change, keeping the display
// currency; a deleted draft goes back to the list.
func (v *invoiceView) reload() {
	if v.inv.ID == "" {
		return
	}
	v.load(v.inv.ID)
}

func (v *invoiceView) load(id string) {
	inv, rel, err := v.state.db.InvoiceRelated(id)
	if errors.Is(err, store.ErrNotFound) && v.inv.ID == id {
		v.screen.closeViewer() // a deleted draft
		return
	}
	if err != nil {
		v.problem.SetText("Could not read the invoice: " + err.Error())
		v.problem.Show()
		return
	}
	v.problem.Hide()
	v.inv, v.rel = inv, rel
	v.v = inv.View()
	if d := v.display; d != nil {
		if cv, err := inv.Convert(d.Currency, d.Rate, d.Source, d.Date); err == nil {
			v.v = cv
		} else {
			v.display = nil
		}
	}
	v.muted = true
	v.currency.SetOptions(view.CurrencyOptions(inv.Currency, v.displayCurrency()))
	if v.display != nil {
		v.currency.SetSelected(v.display.Currency)
	} else {
		v.currency.SetSelectedIndex(0)
	}
	v.muted = false
	v.showTitle()
	v.showActions()
	v.showRelated()
	v.payments.show()
	v.showDifference()
	v.showPaper()
}

// displayCurrency is the display currency chosen, "" for the invoice's
// own.
func (v *invoiceView) displayCurrency() string {
	if v.display == nil {
		return ""
	}
	return v.display.Currency
}

// showRelated links the documents that go with this one: an invoice's
// credit notes and the draft replacing it, a credit note's invoice.
func (v *invoiceView) showRelated() {
	r := view.Related(v.inv, v.rel)
	v.related.RemoveAll()
	add := func(label string, links []view.Link) {
		if len(links) == 0 {
			return
		}
		v.related.Add(widget.NewLabel(label))
		for _, l := range links {
			b := widget.NewButton(l.Text, func() { v.screen.openViewer(l.ID) })
			b.Importance = widget.LowImportance
			v.related.Add(b)
		}
	}
	add(r.NotesLabel, r.Notes)
	add(r.OthersLabel, r.Others)
	if v.rel.CreditedInFull {
		v.credit.Hide() // nothing left to credit
	}
	v.related.Hidden = len(v.related.Objects) == 0
	v.related.Refresh()
}

// showTitle names the document, its customer and its status as of now.
func (v *invoiceView) showTitle() {
	text, tone := view.InvoiceTitle(v.inv, v.state.now())
	v.title.SetText(text)
	v.title.Importance = importanceOf(tone)
	v.title.Refresh()
}

// showActions shows the status actions the invoice's status allows.
func (v *invoiceView) showActions() {
	for _, b := range []struct {
		btn *widget.Button
		a   invoice.Action
	}{{v.approve, invoice.ActionApprove}, {v.del, invoice.ActionDelete}, {v.markPaid, invoice.ActionClose},
		{v.void, invoice.ActionVoid}, {v.credit, invoice.ActionCredit}} {
		showWhen(b.btn, v.inv.Can(b.a) == nil)
	}
	v.markPaid.SetText(view.MarkPaidLabel(v.inv))
	showWhen(v.einvoice, v.inv.Number != "")
	v.actions.Refresh()
}

// showPaper draws the document, with what was credited and paid on it
// as its PDF prints them.
func (v *invoiceView) showPaper() {
	pv := v.v
	pv.Settlement = v.rel.Settlement
	v.paperBox.Objects = []fyne.CanvasObject{newInvoicePaper(pv, v.state.now())}
	v.paperBox.Refresh()
}

// showDifference says, when the invoice's month now computes otherwise,
// what changed, and offers the correction.
func (v *invoiceView) showDifference() {
	d, ok := v.screen.diffs[v.inv.ID]
	if !ok || v.inv.Can(invoice.ActionCredit) != nil {
		v.diffBox.Hide()
		return
	}
	v.diff.SetText(view.DifferenceText(v.inv, d))
	v.diffBox.Show()
}
