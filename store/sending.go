package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/mail"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"rebill/engine/customer"
	"rebill/engine/document"
	"rebill/engine/einvoice"
	"rebill/engine/email"
	"rebill/engine/invoice"
)

// Sending invoices by e-mail: the SMTP server's settings, and the use case
// that composes a document's message, hands it to a deliverer (SMTP, or
// an .eml file) and records the sending on the document and in the audit
// log. Delivering happens outside any transaction: a slow mail server
// never holds the database.

var smtpRecord = record{bucket: bucketSettings, key: keySMTP, kind: KindSettings, name: "smtp"}

// SMTPServer returns the SMTP settings; the zero Server (not configured)
// when none were saved.
func (db *DB) SMTPServer() (email.Server, error) {
	var s email.Server
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		s, err = getSMTPServer(tx)
		return err
	})
	return s, err
}

func getSMTPServer(tx *bolt.Tx) (email.Server, error) {
	var s email.Server
	v := tx.Bucket(bucketSettings).Get(keySMTP)
	if v == nil {
		return s, nil
	}
	if err := json.Unmarshal(v, &s); err != nil {
		return s, fmt.Errorf("the SMTP settings are damaged in the database: %w; set them again (rebill smtp set)", err)
	}
	return s, nil
}

// PutSMTPServer saves the SMTP settings (normalized and validated), in
// the settings change log. The password is never among them.
func (db *DB) PutSMTPServer(s email.Server, now time.Time) (email.Server, error) {
	var out email.Server
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		var err error
		out, err = putSMTPServer(tx, s, now)
		return err
	})
	return out, err
}

// ChangeSMTPServer changes the saved SMTP settings in one transaction:
// change edits them as they are, so that changing the sender keeps the
// server. Settings damaged in the database read as none, so that setting
// them again mends them. The result is saved as PutSMTPServer saves.
func (db *DB) ChangeSMTPServer(change func(*email.Server) error, now time.Time) (email.Server, error) {
	var out email.Server
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		cur, err := getSMTPServer(tx)
		if err != nil {
			cur = email.Server{}
		}
		if err := change(&cur); err != nil {
			return err
		}
		out, err = putSMTPServer(tx, cur, now)
		return err
	})
	return out, err
}

// putSMTPServer normalizes, validates and saves the settings: a server
// without a host is SMTP switched off, and keeps nothing.
func putSMTPServer(tx *bolt.Tx, s email.Server, now time.Time) (email.Server, error) {
	s = s.Normalize()
	if !s.Configured() {
		s = email.Server{}
	}
	if err := s.Validate(); err != nil {
		return s, err
	}
	_, err := smtpRecord.put(tx, s, now)
	return s, err
}

// Deliver sends a composed message and says how it went out
// (invoice.SentBySMTP or invoice.SentAsFile); it is the mailer's.
type Deliver func(email.Message) (via string, err error)

// SendRequest asks to send one issued document.
type SendRequest struct {
	Invoice string // id or number
	Deliver Deliver
	Now     time.Time
}

// SendResult is a document sent.
type SendResult struct {
	Invoice invoice.Invoice `json:"-"`
	Number  string          `json:"number"`
	Sending invoice.Sending `json:"sent"`
}

// SendInvoice sends an issued invoice or credit note to its customer's
// billing address (the customer record's contact e-mail as it is now,
// else the one printed on the document): it renders the attachments
// (document.Attachments: the PDF and the e-invoice the customer record
// asks for now, each rendered as ExportInvoice renders it and in the
// audit log with its SHA-256),
// composes the message from the SMTP settings' sender (else the
// profile's e-mail), delivers it, then records the time, the address and
// the way on the document and in the audit log. A draft or void
// document is refused before anything is written, and so is one whose
// e-invoice would not validate (the refusal names the missing field); a
// delivery that fails records nothing.
func (db *DB) SendInvoice(req SendRequest) (SendResult, error) {
	var inv invoice.Invoice
	var c customer.Customer
	var from, to mail.Address
	var want []document.Attachment
	var settled *invoice.Settlement
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		if inv, err = resolveInvoice(tx, req.Invoice); err != nil {
			return err
		}
		if err := inv.CanSend(); err != nil {
			return err
		}
		// The body says what was credited and paid, as the copy
		// attached prints it.
		if settled, err = settlementOf(tx, inv); err != nil {
			return err
		}
		if c, err = getCustomer(tx, inv.CustomerID); err != nil {
			return err
		}
		addr := strings.TrimSpace(c.Contact.Email)
		if addr == "" {
			addr = strings.TrimSpace(inv.Customer.Contact.Email)
		}
		if addr == "" {
			return fmt.Errorf("%s has no billing e-mail address: set it (rebill customers edit %s --email ADDRESS, or the customer form), then send again", c.ID, c.ID)
		}
		if to, err = email.ParseAddress(c.ID+"'s billing e-mail", addr); err != nil {
			return err
		}
		to.Name = c.Name
		srv, err := getSMTPServer(tx)
		if err != nil {
			return err
		}
		p, err := getProfile(tx)
		if err != nil {
			return err
		}
		sender := srv.From
		if sender == "" {
			sender = p.Email
		}
		if strings.TrimSpace(sender) == "" {
			return fmt.Errorf("there is no sender address: set the reseller's e-mail in Settings > Account information (rebill profile set email ADDRESS), or the SMTP server's sender in Settings > Sending invoices (rebill smtp set --from ADDRESS)")
		}
		if from, err = email.ParseAddress("the sender", sender); err != nil {
			return err
		}
		if from.Name == "" {
			from.Name = p.CompanyName
		}
		if want, err = document.Attachments(inv.Number, c.EInvoice.Format); err != nil {
			return err
		}
		// An e-invoice is written from the stored document, with the
		// customer's details of its issue day: one that would not
		// validate is refused before anything is rendered or sent.
		for _, a := range want {
			if a.Format.IsEInvoice() {
				if err := einvoice.Valid(inv, einvoice.Format(a.Format)); err != nil {
					return fmt.Errorf("%s is not sent: %w (%s: to send it, choose another e-invoice format for %s, or credit it and issue it again)", inv.Label(), err, einvoice.KeptDetails, c.ID)
				}
			}
		}
		return nil
	})
	if err != nil {
		return SendResult{}, err
	}
	var atts []email.Attachment
	for _, a := range want {
		var b bytes.Buffer
		if _, err := db.ExportInvoice(ExportRequest{Invoice: inv.ID, Format: a.Format, Now: req.Now}, &b); err != nil {
			return SendResult{}, fmt.Errorf("attaching the %s of %s: %w", a.Format, inv.Label(), err)
		}
		atts = append(atts, email.Attachment{Name: a.Name, ContentType: a.ContentType, Data: b.Bytes()})
	}
	msg := email.Compose(inv, settled, from, to, atts, req.Now)
	via, err := req.Deliver(msg)
	if err != nil {
		return SendResult{}, fmt.Errorf("sending %s to %s: %w", inv.Label(), to.Address, err)
	}
	names := make([]string, len(atts))
	for i, a := range atts {
		names[i] = a.Name
	}
	s := invoice.Sending{At: req.Now, To: to.Address, Via: via, Attachments: names}
	var after invoice.Invoice
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		before, err := getInvoice(tx, inv.ID)
		if err != nil {
			return err
		}
		if after, err = before.RecordSending(s); err != nil {
			return err
		}
		return putInvoice(tx, req.Now, invoice.ActionSend, &before, after)
	})
	if err != nil {
		return SendResult{}, fmt.Errorf("%s went to %s but could not be recorded: %w", inv.Label(), to.Address, err)
	}
	return SendResult{Invoice: after, Number: after.Number, Sending: s}, nil
}

// MonthSending is the outcome of one document of a month's sending.
type MonthSending struct {
	Number string           `json:"number"`
	Sent   *invoice.Sending `json:"sent,omitempty"`
	Error  string           `json:"error,omitempty"`
	// Skipped says why a document was not sent (already sent).
	Skipped string `json:"skipped,omitempty"`
}

// SendMonth sends every issued document (Open or Closed invoices and
// credit notes) of a YYYY-MM month not sent yet, each as SendInvoice
// does; one that fails is reported and the others still go.
func (db *DB) SendMonth(period string, deliver func(inv invoice.Invoice) Deliver, now time.Time) ([]MonthSending, error) {
	if err := customer.CheckMonth("month", period); err != nil {
		return nil, err
	}
	docs, err := db.Documents(InvoiceFilter{Period: period}, now)
	if err != nil {
		return nil, err
	}
	out := []MonthSending{}
	for _, d := range docs {
		if d.Status != invoice.Open && d.Status != invoice.Closed {
			continue
		}
		if last, ok := d.LastSent(); ok {
			out = append(out, MonthSending{Number: d.Number, Skipped: fmt.Sprintf("sent to %s on %s", last.To, last.At.Format(time.DateOnly))})
			continue
		}
		res, err := db.SendInvoice(SendRequest{Invoice: d.ID, Deliver: deliver(d), Now: now})
		if err != nil {
			out = append(out, MonthSending{Number: d.Number, Error: err.Error()})
			continue
		}
		out = append(out, MonthSending{Number: d.Number, Sent: &res.Sending})
	}
	return out, nil
}
