package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/invoice"
	"rebill/engine/money"
	"rebill/store"
	"rebill/store/mailer"
	"rebill/ui/view"
)

// invoicePayments is the invoice view's Payments section: what was paid,
// what is open, Record payment; and Send, which e-mails the document
// through the SMTP server of Settings or saves it as an .eml file for the
// mail program. Its words are the view-model's (view.PaymentsSummary,
// view.PaymentLines, view.SentText); each action calls one store use case.
type invoicePayments struct {
	v *invoiceView

	summary *widget.Label
	lines   *widget.Label
	sent    *widget.Label
	record  *widget.Button
	send    *widget.Button
	box     *fyne.Container
}

// sessionSMTPPassword is the SMTP password given in this session when the
// computer has no keyring: kept in memory only, asked again next time
// Rebill starts.
var sessionSMTPPassword string

func newInvoicePayments(v *invoiceView) *invoicePayments {
	p := &invoicePayments{v: v}
	p.summary = widget.NewLabel("")
	p.summary.Wrapping = fyne.TextWrapWord
	p.lines = widget.NewLabel("")
	p.lines.Importance = widget.LowImportance
	p.sent = widget.NewLabel("")
	p.sent.Importance = widget.LowImportance
	p.record = widget.NewButtonWithIcon("Record payment…", theme.ContentAddIcon(), p.onRecord)
	p.send = widget.NewButtonWithIcon("Send…", theme.MailSendIcon(), p.onSend)
	p.box = container.NewVBox(container.NewBorder(nil, nil, boldLabel("Payments"), container.NewHBox(p.record, p.send), p.summary), p.lines, p.sent)
	return p
}

// show binds the section to the invoice the view shows.
func (p *invoicePayments) show() {
	inv := p.v.inv
	if inv.Status == invoice.Draft || inv.Status == invoice.Void {
		p.box.Hide()
		return
	}
	p.box.Show()
	_, pays, open, err := p.v.state.db.OpenAmount(inv.ID)
	if err != nil {
		p.summary.SetText("Could not read the payments: " + err.Error())
		return
	}
	text := view.PaymentsSummary(inv, pays, open)
	p.summary.SetText(text)
	showWhen(p.record, text != "")
	p.lines.SetText(strings.Join(view.PaymentLines(pays), "\n"))
	showWhen(p.lines, len(pays) > 0)
	p.sent.SetText(view.SentText(inv))
	showWhen(p.sent, p.sent.Text != "")
}

// onRecord asks for a payment (day, amount, reference, whether an excess
// becomes credit) and records it.
func (p *invoicePayments) onRecord() {
	inv, st := p.v.inv, p.v.state
	_, _, open, _ := st.db.OpenAmount(inv.ID)
	date := widget.NewEntry()
	date.SetText(invoice.DateOf(st.now()).String())
	amount := widget.NewEntry()
	amount.SetText(money.Plain(open, inv.Currency))
	ref := widget.NewEntry()
	ref.SetPlaceHolder("e.g. the bank transfer's reference")
	keep := widget.NewCheck("Keep an excess as the customer's credit", nil)
	items := []*widget.FormItem{widget.NewFormItem("Received on", date), widget.NewFormItem("Amount ("+inv.Currency+")", amount),
		widget.NewFormItem("Reference", ref), widget.NewFormItem("", keep)}
	items[0].HintText = "YYYY-MM-DD"
	items[1].HintText = "Open amount " + view.Cash(inv.Currency, open) + "; a payment in full closes the invoice"
	d := dialog.NewForm("Record a payment of "+inv.Number, "Record payment", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		on, err := invoice.ParseDate(strings.TrimSpace(date.Text))
		if err == nil {
			var a = amount.Text
			amt, perr := invoice.ParsePaymentAmount(a)
			if perr != nil {
				err = perr
			} else {
				_, err = st.db.RecordPayment(store.PaymentRequest{Invoice: inv.ID, PaymentRequest: invoice.PaymentRequest{
					Date: on, Amount: amt, Reference: ref.Text, KeepExcess: keep.Checked, Now: st.now()}})
			}
		}
		if err != nil {
			p.v.showError("Payment not recorded", err)
			return
		}
		st.dataChanged()
	}, st.win)
	d.Resize(fyne.NewSize(540, 340))
	p.v.dialog = d
	d.Show()
}

// onSend e-mails the document by SMTP when Settings configure a server
// (asking the password once a session where there is no keyring), or
// saves it as an .eml file otherwise.
func (p *invoicePayments) onSend() {
	st := p.v.state
	srv, err := st.db.SMTPServer()
	if err != nil {
		p.v.showError("Not sent", err)
		return
	}
	if !srv.Configured() {
		d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
			if err != nil || w == nil {
				return
			}
			path := w.URI().Path()
			w.Close()
			p.deliver(mailer.EML{Path: path}.Deliver)
		}, st.win)
		d.SetFileName(p.v.inv.Number + ".eml")
		d.SetFilter(storage.NewExtensionFileFilter([]string{".eml"}))
		d.Resize(dialogSize(st.win))
		p.v.dialog = d
		d.Show()
		return
	}
	pw, stored := mailer.StoredPassword(srv)
	if !stored {
		pw = sessionSMTPPassword
	}
	if srv.User == "" || pw != "" {
		p.deliver(mailer.SMTP{Server: srv, Password: pw}.Deliver)
		return
	}
	entry := widget.NewPasswordEntry()
	item := widget.NewFormItem("Password", entry)
	item.HintText = "For " + srv.User + "@" + srv.Host + ". This computer has no keyring, so it is kept until Rebill closes, never in the database."
	d := dialog.NewForm("SMTP password", "Send", "Cancel", []*widget.FormItem{item}, func(ok bool) {
		if !ok {
			return
		}
		sessionSMTPPassword = entry.Text
		p.deliver(mailer.SMTP{Server: srv, Password: entry.Text}.Deliver)
	}, st.win)
	d.Resize(fyne.NewSize(480, 220))
	p.v.dialog = d
	d.Show()
}

// deliver sends in the background and says where it went.
func (p *invoicePayments) deliver(d store.Deliver) {
	st, id := p.v.state, p.v.inv.ID
	p.send.Disable()
	st.run(func() {
		res, err := st.db.SendInvoice(store.SendRequest{Invoice: id, Deliver: d, Now: st.now()})
		fyne.Do(func() {
			p.send.Enable()
			if err != nil {
				p.v.showError("Not sent", err)
				return
			}
			st.dataChanged()
			info := dialog.NewInformation("Sent", view.SentText(res.Invoice)+".", st.win)
			p.v.dialog = info
			info.Show()
		})
	})
}
