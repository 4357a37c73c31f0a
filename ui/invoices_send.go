package ui

import (
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/invoice"
	"rebill/store"
	"rebill/store/mailer"
)

// The Invoices screen's "Send all": every issued document of the month
// shown that was not sent yet goes to its customer, by the SMTP server of
// Settings, or as one .eml file each in a folder chosen when there is no
// server (store.SendMonth, as `rebill invoices send --month`).

// sendAllButton makes the button; the screen places it beside its actions.
func (s *invoicesScreen) sendAllButton() *widget.Button {
	return widget.NewButtonWithIcon("Send all…", theme.MailSendIcon(), s.onSendAll)
}

func (s *invoicesScreen) onSendAll() {
	st, month := s.state, s.period()
	if month == "" {
		dialog.ShowInformation("Send all", "Choose a month first: Send all sends that month's issued documents not sent yet.", st.win)
		return
	}
	srv, err := st.db.SMTPServer()
	if err != nil {
		dialog.ShowError(err, st.win)
		return
	}
	if !srv.Configured() {
		d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
			if err != nil || dir == nil {
				return
			}
			s.sendMonth(month, func(inv invoice.Invoice) store.Deliver {
				return mailer.EML{Path: filepath.Join(dir.Path(), inv.Number+".eml")}.Deliver
			})
		}, st.win)
		d.Resize(dialogSize(st.win))
		d.Show()
		return
	}
	pw, ok := mailer.StoredPassword(srv)
	if !ok {
		pw = sessionSMTPPassword
	}
	if srv.User != "" && pw == "" {
		dialog.ShowInformation("Send all", "Give the SMTP password first: Settings > Sending invoices (it is kept in the keyring, or for this session).", st.win)
		return
	}
	d := dialog.NewConfirm("Send all of "+month, "Send every issued document of "+month+" not sent yet to its customer's billing address through "+srv.Host+"?",
		func(yes bool) {
			if yes {
				deliver := mailer.SMTP{Server: srv, Password: pw}.Deliver
				s.sendMonth(month, func(invoice.Invoice) store.Deliver { return deliver })
			}
		}, st.win)
	d.Show()
}

// sendMonth sends in the background and reports each document's outcome.
func (s *invoicesScreen) sendMonth(month string, deliver func(invoice.Invoice) store.Deliver) {
	st := s.state
	st.run(func() {
		out, err := st.db.SendMonth(month, deliver, st.now())
		fyne.Do(func() {
			if err != nil {
				dialog.ShowError(err, st.win)
				return
			}
			var lines []string
			for _, r := range out {
				switch {
				case r.Sent != nil:
					lines = append(lines, fmt.Sprintf("%s: sent to %s", r.Number, r.Sent.To))
				case r.Skipped != "":
					lines = append(lines, fmt.Sprintf("%s: skipped, %s", r.Number, r.Skipped))
				default:
					lines = append(lines, fmt.Sprintf("%s: NOT SENT, %s", r.Number, r.Error))
				}
			}
			if len(lines) == 0 {
				lines = []string{"No issued documents in " + month + "."}
			}
			st.dataChanged()
			dialog.ShowInformation("Send all of "+month, strings.Join(lines, "\n"), st.win)
		})
	})
}
