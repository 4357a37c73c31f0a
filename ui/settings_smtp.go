package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/email"
	"rebill/store/mailer"
)

// smtpPanel is Settings > Sending invoices: the SMTP server Send uses
// (host, port, TLS mode, login, sender), the password kept in the
// operating system's keyring (never in the database), and Test. Without a
// host, Send saves an .eml file for the mail program.
type smtpPanel struct {
	state *appState

	host, port, user, from, password *widget.Entry
	tls                              *widget.Select
	save, test                       *widget.Button
	status                           *widget.Label
	content                          fyne.CanvasObject
}

func newSMTPPanel(st *appState) *smtpPanel {
	p := &smtpPanel{state: st}
	p.host, p.port, p.user, p.from = widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	p.host.SetPlaceHolder("smtp.example.com (empty: save .eml files instead)")
	p.port.SetPlaceHolder("587")
	p.from.SetPlaceHolder("the profile's e-mail")
	p.password = widget.NewPasswordEntry()
	p.password.SetPlaceHolder("kept in the keyring, never in the database")
	p.tls = widget.NewSelect([]string{email.TLSStartTLS, email.TLSImplicit, email.TLSNone}, nil)
	p.save = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), p.onSave)
	p.test = widget.NewButtonWithIcon("Test", theme.MailSendIcon(), p.onTest)
	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(widget.NewFormItem("Host", p.host), widget.NewFormItem("Port", p.port), widget.NewFormItem("TLS", p.tls),
		widget.NewFormItem("User", p.user), widget.NewFormItem("Password", p.password), widget.NewFormItem("Sender", p.from))
	p.content = container.NewVBox(lowNote("Send e-mails invoices through this server. starttls: port 587; tls: port 465; none only for a relay on this computer."),
		form, container.NewHBox(p.save, p.test), p.status)
	p.load()
	return p
}

func (p *smtpPanel) view() fyne.CanvasObject { return p.content }

func (p *smtpPanel) load() {
	s, err := p.state.db.SMTPServer()
	if err != nil {
		p.status.SetText(err.Error())
		return
	}
	s = s.Normalize()
	p.host.SetText(s.Host)
	p.port.SetText("")
	if s.Configured() {
		p.port.SetText(strconv.Itoa(s.Port))
	}
	p.tls.SetSelected(s.TLS)
	p.user.SetText(s.User)
	p.from.SetText(s.From)
}

// server reads the form.
func (p *smtpPanel) server() (email.Server, error) {
	port := 0
	if t := strings.TrimSpace(p.port.Text); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil {
			return email.Server{}, err
		}
		port = n
	}
	return email.Server{Host: p.host.Text, Port: port, TLS: p.tls.Selected, User: p.user.Text, From: p.from.Text}, nil
}

// onSave saves the server and, when typed, the password: into the
// keyring, or for this session only where there is none.
func (p *smtpPanel) onSave() {
	s, err := p.server()
	if err == nil {
		s, err = p.state.db.PutSMTPServer(s, p.state.now())
	}
	if err != nil {
		p.status.Importance = widget.DangerImportance
		p.status.SetText("Not saved: " + err.Error())
		return
	}
	msg := "Saved."
	if pw := p.password.Text; pw != "" && s.User != "" {
		if err := mailer.SavePassword(s, pw); err != nil {
			sessionSMTPPassword = pw
			msg += " This computer has no keyring: the password is kept until Rebill closes and asked again next time."
		} else {
			msg += " The password is in the keyring."
		}
		p.password.SetText("")
	}
	p.status.Importance = widget.SuccessImportance
	p.status.SetText(msg)
	p.load()
}

// onTest connects and logs in without sending anything.
func (p *smtpPanel) onTest() {
	s, err := p.state.db.SMTPServer()
	if err != nil || !s.Configured() {
		p.status.Importance = widget.WarningImportance
		p.status.SetText("Save a host first.")
		return
	}
	pw, ok := mailer.StoredPassword(s)
	if !ok {
		pw = sessionSMTPPassword
	}
	p.status.Importance = widget.MediumImportance
	p.status.SetText("Connecting to " + s.Host + "…")
	p.state.run(func() {
		err := mailer.SMTP{Server: s, Password: pw}.Check()
		fyne.Do(func() {
			if err != nil {
				p.status.Importance = widget.DangerImportance
				p.status.SetText(err.Error())
				return
			}
			p.status.Importance = widget.SuccessImportance
			p.status.SetText("Connected and logged in: ready to send.")
		})
	})
}
