package ui

import (
	"context"
	"fmt"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"rebill/engine/document"
	"rebill/engine/invoice"
	"rebill/store"
	"rebill/ui/view"
)

// The invoice view's actions: the display currency, Mark paid, Void,
// Credit note, the correction of a changed month and the downloads. Each
// asks what it needs, calls one use case of the store and tells the
// outcome in the view-model's words.

// onCurrency shows the invoice in the currency chosen: its own, or
// another at a rate the accountant states (never stored).
func (v *invoiceView) onCurrency() {
	if v.muted {
		return
	}
	to := v.currency.Selected
	if to == "" || strings.HasSuffix(to, view.OwnCurrency) {
		v.display = nil
		v.v = v.inv.View()
		v.showPaper()
		return
	}
	if to == view.OtherCurrency {
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
	d := dialog.NewForm("Mark "+inv.Number+" paid ("+view.Money(inv.Total)+")", "Mark paid", "Cancel", items, func(ok bool) {
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
	d := dialog.NewForm("Void "+inv.Number+" ("+view.Money(inv.Total)+")", "Void invoice", "Cancel", []*widget.FormItem{item}, func(ok bool) {
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
// The engine checks what is typed (the same rule the store applies); a
// refusal is shown beside its field and the dialog stays open with what
// was typed.
func (v *invoiceView) onCreditNote() {
	inv, rel := v.inv, v.rel
	all := "Everything left to credit, " + view.Money(rel.Left)
	amountEntry := widget.NewEntry()
	amountEntry.SetPlaceHolder("e.g. 25.00")
	amountEntry.Disable()
	reason := multiLineEntry(2)
	reason.SetPlaceHolder("e.g. goodwill for the outage of 12 October")
	var fd *formDialog
	choice := widget.NewRadioGroup([]string{all, "An amount (tax included)"}, func(s string) {
		if s == all {
			amountEntry.Disable()
		} else {
			amountEntry.Enable()
		}
		if fd != nil {
			fd.changed()
		}
	})
	choice.SetSelected(all)
	choice.Required = true
	amount := func() (decimal.Decimal, error) {
		if choice.Selected == all {
			return decimal.Zero, nil
		}
		return invoice.ParseCreditAmount(amountEntry.Text)
	}
	check := func() error {
		amt, err := amount()
		if err != nil {
			return err
		}
		_, err = inv.CreditNote(invoice.CreditRequest{ID: "check", Amount: amt, Reason: reason.Text, Earlier: rel.CreditNotes, Now: v.state.now()})
		return err
	}
	submit := func() (func(), error) {
		amt, _ := amount()
		note, err := v.state.db.IssueCreditNote(store.CreditRequest{Invoice: inv.ID, Amount: amt, Reason: reason.Text, Now: v.state.now()})
		if err != nil {
			return nil, err
		}
		return func() {
			v.state.dataChanged()
			v.notice("Credit note issued", view.CreditNoteIssued(inv, note))
		}, nil
	}
	fields := []*formField{
		newFormField("Credit", choice, ""),
		newFormField("Amount ("+inv.Currency+")", amountEntry, "At most "+view.Money(rel.Left)+"; the taxes are credited in proportion."),
		newFormField("Reason", reason, "Printed on the credit note."),
	}
	fd = newFormDialog("Credit note for "+inv.Number, "Issue credit note", v.state.win,
		[]string{"choice", invoice.CreditFieldAmount, invoice.CreditFieldReason}, fields, check, submit)
	amountEntry.OnChanged = func(string) { fd.changed() }
	reason.OnChanged = func(string) { fd.changed() }
	fd.d.Resize(fyne.NewSize(600, 480))
	v.creditForm = fd
	v.dialog = fd.d
	fd.d.Show()
}

// onCorrect issues the correction of an invoice whose month changed.
func (v *invoiceView) onCorrect() {
	inv := v.inv
	d, ok := v.screen.diffs[inv.ID]
	if !ok {
		return
	}
	v.screen.confirm("Issue correction of "+inv.Number, view.CorrectQuestion(inv, d), "Issue correction", func() {
		c, err := v.state.db.Correct(inv.ID, v.state.now())
		if err != nil {
			v.showError("No correction issued", err)
			return
		}
		v.state.dataChanged()
		v.notice("Correction issued", view.Corrected(inv, c))
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

// eInvoiceFormats are the e-invoice entries of the Download menu.
var eInvoiceFormats = []struct {
	label  string
	format document.Format
}{
	{"Peppol UBL (BIS Billing 3.0)", document.FormatUBL},
	{"CII (EN 16931)", document.FormatCII},
	{"XRechnung", document.FormatXRechnung},
	{"Factur-X / ZUGFeRD PDF", document.FormatFacturX},
}

// onEInvoiceMenu offers the e-invoice formats under the E-invoice
// button; each downloads like the other documents.
func (v *invoiceView) onEInvoiceMenu() {
	items := make([]*fyne.MenuItem, len(eInvoiceFormats))
	for i, e := range eInvoiceFormats {
		items[i] = fyne.NewMenuItem(e.label, func() { v.onDownload(e.format) })
	}
	widget.ShowPopUpMenuAtRelativePosition(fyne.NewMenu("", items...), v.state.win.Canvas(), fyne.NewPos(0, v.einvoice.Size().Height), v.einvoice)
}

// fileName proposes the downloaded document's file name.
func (v *invoiceView) fileName(f document.Format) string {
	return view.FileName(v.inv, v.displayCurrency(), f)
}

// export writes the document in the background, behind a progress
// dialog with Cancel, and says where it went. The document goes to a
// temporary file beside path, moved in place once whole: a cancel or a
// failure leaves no half-written file and records no export. w is what
// the save dialog opened at path; it is closed at once. The detail CSV
// lists the provider's line items in their own currency, so it never
// takes the display currency.
func (v *invoiceView) export(f document.Format, w io.WriteCloser, path string) {
	req := store.ExportRequest{Invoice: v.inv.ID, Format: f, Display: v.display, Now: v.state.now()}
	if !f.Converts() {
		req.Display = nil
	}
	w.Close()
	name := v.fileName(f)
	var out store.Exported
	p := runWithProgress(v.state, &v.screen.running, "Save "+name, "Writing "+name+"…",
		func(ctx context.Context, _ progressFunc) (string, error) {
			var err error
			out, err = saveFile(ctx, path, func(w io.Writer, done func() error) (store.Exported, error) {
				req.Done, req.Ctx = done, ctx
				return v.state.db.ExportInvoice(req, w)
			})
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("%s is saved in %s (%s).", name, path, view.ByteSize(out.Bytes)), nil
		},
		func(_ string, err error) {
			if err == nil {
				v.exported = out
			}
		})
	v.dialog = p.dlg
	v.screen.dialog = p.dlg
}

func (v *invoiceView) notice(title, msg string) {
	v.screen.notice(title, msg)
	v.dialog = v.screen.dialog
}

func (v *invoiceView) showError(title string, err error) {
	v.screen.showError(title, err)
	v.dialog = v.screen.dialog
}
