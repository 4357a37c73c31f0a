package ui

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"rebill/engine/document"
	"rebill/engine/invoice"
	"rebill/store"
)

// invoiceView shows one invoice as the customer will see it, with the
// actions its status allows (Approve and Delete for a draft; Mark paid,
// Void and Credit note once issued), a display currency for reading it in
// another currency (never stored), the downloads, and, when its month
// was re-imported after it was issued, the difference and its
// correction.
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
	title    *widget.Label
	currency *widget.Select
	problem  *widget.Label

	approve, del, markPaid, void, credit *widget.Button
	pdf, xlsx, csv, detail               *widget.Button
	actions                              *fyne.Container

	// related links the invoice's credit notes, or the credit note's
	// invoice.
	related *fyne.Container

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

// ownCurrency marks the invoice's own currency in the drop-down, and
// otherCurrency asks for a currency not listed.
const (
	ownCurrency   = " (invoice currency)"
	otherCurrency = "Other currency…"
)

// displayCurrencies are offered first in the display currency drop-down;
// any other ISO 4217 code can be typed.
var displayCurrencies = []string{"EUR", "USD", "GBP", "CHF", "JPY", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN",
	"CZK", "HUF", "INR", "SGD", "HKD", "CNY", "KRW", "BRL", "MXN", "ZAR", "AED", "ILS", "TRY"}

func newInvoiceView(st *appState, screen *invoicesScreen) *invoiceView {
	v := &invoiceView{state: st, screen: screen}
	v.back = widget.NewButtonWithIcon("Invoices", theme.NavigateBackIcon(), screen.closeViewer)
	v.title = widget.NewLabel("")
	v.title.TextStyle = fyne.TextStyle{Bold: true}
	v.title.Truncation = fyne.TextTruncateEllipsis
	v.currency = widget.NewSelect(nil, func(string) { v.onCurrency() })
	v.problem = widget.NewLabel("")
	v.problem.Wrapping = fyne.TextWrapWord
	v.problem.Importance = widget.DangerImportance
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

	v.diff = widget.NewLabel("")
	v.diff.Wrapping = fyne.TextWrapWord
	v.diff.Importance = widget.WarningImportance
	v.correct = widget.NewButtonWithIcon("Issue correction…", theme.DocumentCreateIcon(), v.onCorrect)
	v.correct.Importance = widget.WarningImportance
	v.diffBox = container.NewBorder(nil, container.NewHBox(v.correct), container.NewVBox(widget.NewIcon(theme.WarningIcon())), nil, v.diff)
	v.diffBox.Hide()

	bold := func(text string) *widget.Label {
		return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	cur := container.New(layout.NewGridWrapLayout(fyne.NewSize(230, v.currency.MinSize().Height)), v.currency)
	head := container.NewBorder(nil, nil, v.back, container.NewHBox(bold("Show in"), cur), v.title)
	v.actions = container.NewHBox(v.approve, v.del, v.markPaid, v.void, v.credit)
	downloads := container.NewHBox(bold("Download"), v.pdf, v.xlsx, v.csv, v.detail)
	bar := container.NewBorder(nil, nil, v.actions, downloads)
	v.related = container.NewHBox()
	v.related.Hide()
	top := container.NewVBox(head, bar, v.related, v.problem, v.diffBox, widget.NewSeparator())
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
	opts := []string{inv.Currency + ownCurrency}
	for _, c := range displayCurrencies {
		if c != inv.Currency {
			opts = append(opts, c)
		}
	}
	if d := v.display; d != nil && !containsString(opts, d.Currency) {
		opts = append(opts, d.Currency)
	}
	v.currency.SetOptions(append(opts, otherCurrency))
	if v.display != nil {
		v.currency.SetSelected(v.display.Currency)
	} else {
		v.currency.SetSelectedIndex(0)
	}
	v.muted = false
	v.showTitle()
	v.showActions()
	v.showRelated()
	v.showDifference()
	v.showPaper()
}

// showRelated links the documents that go with this one: an invoice's
// credit notes and the draft replacing it, a credit note's invoice.
func (v *invoiceView) showRelated() {
	inv := v.inv
	v.related.RemoveAll()
	open := func(d invoice.Invoice) *widget.Button {
		text := d.Number
		if text == "" {
			text = "Draft"
		}
		b := widget.NewButton(text+" ("+amountText(d.Total)+")", func() { v.screen.openViewer(d.ID) })
		b.Importance = widget.LowImportance
		return b
	}
	var notes, others []fyne.CanvasObject
	for _, d := range v.rel.CreditNotes {
		notes = append(notes, open(d))
	}
	if c := v.rel.Credited; c != nil {
		others = append(others, open(*c))
	}
	for _, d := range v.rel.Others {
		others = append(others, open(d))
	}
	if v.rel.CreditedInFull {
		v.credit.Hide() // nothing left to credit
	}
	if len(notes) > 0 {
		label := widget.NewLabel("Credited in full by:")
		if !v.rel.CreditedInFull {
			label.SetText("Credited by (" + amountText(v.rel.Left) + " left to credit):")
		}
		v.related.Add(label)
		for _, n := range notes {
			v.related.Add(n)
		}
	}
	if len(others) > 0 {
		text := "Also for " + inv.Period + ":"
		if inv.Kind == invoice.KindCreditNote {
			text = "Credits:"
		}
		v.related.Add(widget.NewLabel(text))
		for _, o := range others {
			v.related.Add(o)
		}
	}
	v.related.Hidden = len(v.related.Objects) == 0
	v.related.Refresh()
}

// showTitle names the document, its customer and its status as of now.
func (v *invoiceView) showTitle() {
	inv := v.inv
	name := inv.Number
	if name == "" {
		name = "Draft " + inv.Kind.Label()
	} else {
		name = document.Title(inv) + " " + name
	}
	st := inv.Effective(v.state.now())
	v.title.SetText(name + "  ·  " + inv.Customer.Name + "  ·  " + inv.Period + "  ·  " + st.Label())
	v.title.Importance = widget.MediumImportance
	if st == invoice.PastDue {
		v.title.Importance = widget.DangerImportance
	}
	v.title.Refresh()
}

// showActions shows the status actions the invoice's status allows.
func (v *invoiceView) showActions() {
	for _, b := range []struct {
		btn *widget.Button
		a   invoice.Action
	}{{v.approve, invoice.ActionApprove}, {v.del, invoice.ActionDelete}, {v.markPaid, invoice.ActionClose},
		{v.void, invoice.ActionVoid}, {v.credit, invoice.ActionCredit}} {
		if v.inv.Can(b.a) == nil {
			b.btn.Show()
		} else {
			b.btn.Hide()
		}
	}
	if v.inv.Kind == invoice.KindCreditNote {
		v.markPaid.SetText("Mark refunded…")
	} else {
		v.markPaid.SetText("Mark paid…")
	}
	v.actions.Refresh()
}

// showPaper draws the document.
func (v *invoiceView) showPaper() {
	v.paperBox.Objects = []fyne.CanvasObject{newInvoicePaper(v.v, v.state.now())}
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
	v.diff.SetText(differenceText(v.inv, d))
	v.diffBox.Show()
}

// differenceText says how the issued invoice differs from its month as
// imported now, line by line.
func differenceText(inv invoice.Invoice, d invoice.Difference) string {
	signed := func(c invoice.Change) string {
		s := groupDigits(c.By.String())
		if c.By.Decimal().IsPositive() {
			s = "+" + s
		}
		return s
	}
	var b strings.Builder
	fmt.Fprintf(&b, "The billing data for %s changed after %s was issued: its total was %s %s and now computes %s %s (%s). "+
		"The invoice itself never changes; a correction issues a credit note and, when the total went up, a new draft for the month.",
		inv.Period, inv.Number, d.Currency, groupDigits(d.Total.Was.String()), d.Currency, groupDigits(d.Total.Now.String()), signed(d.Total))
	const most = 8
	rows, lines := d.Rows(), 0
	for i, r := range rows {
		if !r.IsLine() {
			fmt.Fprintf(&b, "\n• %s: %s → %s (%s)", r.Name, groupDigits(r.Was.String()), groupDigits(r.Now.String()), signed(r.Change))
			continue
		}
		if lines++; lines <= most {
			fmt.Fprintf(&b, "\n• %s · %s: %s → %s (%s)", r.Section, r.Name, groupDigits(r.Was.String()), groupDigits(r.Now.String()), signed(r.Change))
		}
		if last := i+1 == len(rows) || !rows[i+1].IsLine(); last && lines > most {
			fmt.Fprintf(&b, "\n• and %d more lines", lines-most)
		}
	}
	return b.String()
}

// onCurrency shows the invoice in the currency chosen: its own, or
// another at a rate the accountant states (never stored).
func (v *invoiceView) onCurrency() {
	if v.muted {
		return
	}
	to := v.currency.Selected
	if to == "" || strings.HasSuffix(to, ownCurrency) {
		v.display = nil
		v.v = v.inv.View()
		v.showPaper()
		return
	}
	if to == otherCurrency {
		to = ""
	}
	v.askRate(to)
}

// askRate asks for the display rate, its source and date (and the
// currency, when to is ""), offering the rate entered for the pair and
// the invoice's month when there is one.
func (v *invoiceView) askRate(to string) {
	inv := v.inv
	code := widget.NewEntry()
	code.SetPlaceHolder("ISO 4217 code, e.g. SEK")
	rate := widget.NewEntry()
	rate.SetPlaceHolder("e.g. 0.9137")
	source := widget.NewEntry()
	source.SetPlaceHolder("e.g. ECB reference rate")
	date := widget.NewEntry()
	date.SetText(invoice.DateOf(v.state.now()).String())
	unit := widget.NewLabel(to)
	if to != "" {
		if r, src, err := v.state.db.RateFunc()(inv.Currency, to, inv.Period); err == nil {
			rate.SetText(r.String())
			source.SetText(src)
		}
	}
	items := []*widget.FormItem{
		widget.NewFormItem("1 "+inv.Currency+" =", container.NewBorder(nil, nil, nil, unit, rate)),
		widget.NewFormItem("Source", source),
		widget.NewFormItem("Rate date", date),
	}
	items[0].HintText = "Shown only: the invoice stays in " + inv.Currency + " and nothing is stored"
	items[1].HintText = "Printed with the rate on the converted document"
	items[2].HintText = "YYYY-MM-DD, printed with the rate"
	title := "Show " + v.docName() + " in " + to
	if to == "" {
		code.OnChanged = func(s string) { unit.SetText(strings.ToUpper(strings.TrimSpace(s))) }
		items = append([]*widget.FormItem{widget.NewFormItem("Currency", code)}, items...)
		title = "Show " + v.docName() + " in another currency"
	}
	d := dialog.NewForm(title, "Show", "Cancel", items, func(ok bool) {
		if !ok {
			v.revertCurrency()
			return
		}
		if to == "" {
			to = strings.ToUpper(strings.TrimSpace(code.Text))
		}
		r, err := parseRate(rate.Text)
		var on invoice.Date
		if err == nil {
			on, err = invoice.ParseDate(strings.TrimSpace(date.Text))
		}
		var cv invoice.View
		if err == nil {
			cv, err = inv.Convert(to, r, source.Text, on)
		}
		if err != nil {
			v.revertCurrency()
			v.showError("Not converted", err)
			return
		}
		v.display = &store.Display{Currency: to, Rate: r, Source: strings.TrimSpace(source.Text), Date: on}
		v.v = cv
		v.load(inv.ID) // lists the currency typed and shows it converted
	}, v.state.win)
	d.Resize(fyne.NewSize(520, 320))
	v.dialog = d
	d.Show()
}

// revertCurrency goes back to the currency shown before.
func (v *invoiceView) revertCurrency() {
	v.muted = true
	if v.display != nil {
		v.currency.SetSelected(v.display.Currency)
	} else {
		v.currency.SetSelectedIndex(0)
	}
	v.muted = false
}

// docName names the invoice in titles.
func (v *invoiceView) docName() string {
	if v.inv.Number == "" {
		return "the draft of " + v.inv.Customer.Name
	}
	return v.inv.Number
}

func (v *invoiceView) onApprove() { v.screen.approveOne(v.inv) }

func (v *invoiceView) onDelete() { v.screen.deleteDraft(v.inv, v.screen.closeViewer) }

// onMarkPaid records the payment of an Open invoice: its date and
// reference.
func (v *invoiceView) onMarkPaid() {
	inv := v.inv
	paid := widget.NewEntry()
	paid.SetText(invoice.DateOf(v.state.now()).String())
	ref := widget.NewEntry()
	ref.SetPlaceHolder("e.g. the bank transfer's reference")
	items := []*widget.FormItem{widget.NewFormItem("Paid on", paid), widget.NewFormItem("Reference", ref)}
	items[0].HintText = "YYYY-MM-DD, not before the issue date " + inv.IssueDate.String()
	items[1].HintText = "Optional; printed on the document as paid"
	d := dialog.NewForm("Mark "+inv.Number+" paid ("+amountText(inv.Total)+")", "Mark paid", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		on, err := invoice.ParseDate(strings.TrimSpace(paid.Text))
		if err == nil {
			_, err = v.state.db.CloseInvoice(inv.ID, on, ref.Text, v.state.now())
		}
		if err != nil {
			v.showError("Not marked paid", err)
			return
		}
		v.state.dataChanged()
	}, v.state.win)
	d.Resize(fyne.NewSize(520, 280))
	v.dialog = d
	d.Show()
}

// onVoid cancels an Open invoice, with its reason.
func (v *invoiceView) onVoid() {
	inv := v.inv
	reason := multiLineEntry(2)
	reason.SetPlaceHolder("e.g. sent to the wrong customer")
	item := widget.NewFormItem("Reason", reason)
	item.HintText = "Printed on the voided invoice. Its number stays used; nothing is due on it. Credits it used go back to the customer."
	d := dialog.NewForm("Void "+inv.Number+" ("+amountText(inv.Total)+")", "Void invoice", "Cancel", []*widget.FormItem{item}, func(ok bool) {
		if !ok {
			return
		}
		if _, err := v.state.db.VoidInvoice(inv.ID, reason.Text, v.state.now()); err != nil {
			v.showError("Not voided", err)
			return
		}
		v.state.dataChanged()
	}, v.state.win)
	d.Resize(fyne.NewSize(560, 300))
	v.dialog = d
	d.Show()
}

// onCreditNote issues a credit note for all that is left or an amount.
func (v *invoiceView) onCreditNote() {
	inv := v.inv
	left := v.rel.Left
	all := "Everything left to credit, " + amountText(left)
	amountEntry := widget.NewEntry()
	amountEntry.SetPlaceHolder("e.g. 25.00")
	amountEntry.Disable()
	choice := widget.NewRadioGroup([]string{all, "An amount (tax included)"}, func(s string) {
		if s == all {
			amountEntry.Disable()
		} else {
			amountEntry.Enable()
		}
	})
	choice.SetSelected(all)
	choice.Required = true
	reason := multiLineEntry(2)
	reason.SetPlaceHolder("e.g. goodwill for the outage of 12 October")
	items := []*widget.FormItem{widget.NewFormItem("Credit", choice), widget.NewFormItem("Amount ("+inv.Currency+")", amountEntry),
		widget.NewFormItem("Reason", reason)}
	items[1].HintText = "At most " + amountText(left) + "; the taxes are credited in proportion"
	items[2].HintText = "Printed on the credit note"
	d := dialog.NewForm("Credit note for "+inv.Number, "Issue credit note", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		var amt decimal.Decimal
		var err error
		if choice.Selected != all {
			amt, err = invoice.ParseCreditAmount(amountEntry.Text)
		}
		var note invoice.Invoice
		if err == nil {
			note, err = v.state.db.IssueCreditNote(store.CreditRequest{Invoice: inv.ID, Amount: amt, Reason: reason.Text, Now: v.state.now()})
		}
		if err != nil {
			v.showError("No credit note issued", err)
			return
		}
		v.state.dataChanged()
		v.notice("Credit note issued", fmt.Sprintf("Credit note %s (%s) credits %s. It is Open: download it to send it to %s.",
			note.Number, amountText(note.Total), inv.Number, inv.Customer.Name))
	}, v.state.win)
	d.Resize(fyne.NewSize(580, 400))
	v.dialog = d
	d.Show()
}

// onCorrect issues the correction of an invoice whose month changed.
func (v *invoiceView) onCorrect() {
	inv := v.inv
	d, ok := v.screen.diffs[inv.ID]
	if !ok {
		return
	}
	msg := differenceText(inv, d) + "\n\nIssue the correction now? The credit note is numbered and Open at once; a replacement draft, when needed, waits for your approval with the other drafts."
	v.screen.confirm("Issue correction of "+inv.Number, msg, "Issue correction", func() {
		c, err := v.state.db.Correct(inv.ID, v.state.now())
		if err != nil {
			v.showError("No correction issued", err)
			return
		}
		text := fmt.Sprintf("Credit note %s (%s) corrects %s.", c.CreditNote.Number, amountText(c.CreditNote.Total), inv.Number)
		if r := c.Replacement; r != nil {
			text += fmt.Sprintf(" A new draft invoice for %s (%s) replaces it: review and approve it with the drafts of %s.", inv.Period, amountText(r.Total), inv.Period)
		}
		v.state.dataChanged()
		v.notice("Correction issued", text)
	})
}

// onDownload asks where to save the document, then writes it.
func (v *invoiceView) onDownload(f document.Format) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			v.showError("Not saved", err)
			return
		}
		if w == nil {
			return
		}
		v.export(f, w, w.URI().Path())
	}, v.state.win)
	d.SetFileName(v.fileName(f))
	d.SetFilter(storage.NewExtensionFileFilter([]string{f.Ext()}))
	d.Resize(dialogSize(v.state.win))
	v.dialog = d
	d.Show()
}

// fileName proposes a file name: the number, or the draft's customer and
// month, with the display currency and the kind of export.
func (v *invoiceView) fileName(f document.Format) string {
	name := v.inv.Number
	if name == "" {
		name = "Draft-" + v.inv.CustomerID + "-" + v.inv.Period
	}
	if v.display != nil && f.Converts() {
		name += "-" + v.display.Currency
	}
	if f == document.FormatDetailCSV {
		name += "-detail"
	}
	return name + f.Ext()
}

// export writes the document in the background and says where it went.
// The detail CSV lists the provider's line items in their own currency,
// so it never takes the display currency.
func (v *invoiceView) export(f document.Format, w io.WriteCloser, path string) {
	req := store.ExportRequest{Invoice: v.inv.ID, Format: f, Display: v.display, Now: v.state.now()}
	if !f.Converts() {
		req.Display = nil
	}
	closed := false
	req.Done = func() error { closed = true; return w.Close() } // recorded only once saved
	v.screen.running.Add(1)
	v.state.run(func() {
		defer v.screen.running.Done()
		out, err := v.state.db.ExportInvoice(req, w)
		if !closed {
			w.Close()
		}
		fyne.Do(func() {
			if err != nil {
				v.showError("Not saved", err)
				return
			}
			v.exported = out
			v.notice("Saved", fmt.Sprintf("%s is saved in %s (%s).", v.fileName(f), path, sizeText(out.Bytes)))
		})
	})
}

// sizeText writes a file size for a reader: "12 KB".
func sizeText(n int64) string {
	switch {
	case n < 1024:
		return plural(int(n), "byte", "bytes")
	case n < 1024*1024:
		return count((n+1023)/1024) + " KB"
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1024*1024))
}

func (v *invoiceView) notice(title, msg string) {
	v.screen.notice(title, msg)
	v.dialog = v.screen.dialog
}

func (v *invoiceView) showError(title string, err error) {
	v.screen.showError(title, err)
	v.dialog = v.screen.dialog
}
