// Package email composes the e-mail that carries an invoice to its
// customer: an RFC 5322 message, MIME multipart with the documents
// attached, written to an io.Writer. It only composes; delivering it (SMTP,
// or an .eml file the mail program opens) is the mailer's. Standard
// library only (net/mail, mime, mime/multipart), no clock: the date is
// passed in, so a message is the same bytes for the same input.
package email

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"

	"rebill/engine/invoice"
	"rebill/engine/money"
)

// Attachment is one file attached to a message.
type Attachment struct {
	Name        string // file name, e.g. "NCP-2026-00001.pdf"
	ContentType string // e.g. "application/pdf"
	Data        []byte
}

// Message is an e-mail ready to be written or sent.
type Message struct {
	From        mail.Address
	To          mail.Address
	Subject     string
	Body        string // plain text
	Date        time.Time
	MessageID   string // without angle brackets: "id@host"
	Attachments []Attachment
}

// ParseAddress reads one e-mail address as typed ("ap@acme.example" or
// "Acme AP <ap@acme.example>"), saying what is wrong with a bad one.
func ParseAddress(what, s string) (mail.Address, error) {
	a, err := mail.ParseAddress(strings.TrimSpace(s))
	if err != nil {
		return mail.Address{}, fmt.Errorf("%s %q is not an e-mail address (%v): write it as name@example.com", what, s, err)
	}
	return *a, nil
}

// Compose writes the message of a document to its customer: the subject
// names the document and the reseller, the body says what is attached,
// the total (with its currency's decimals), what was credited and paid on
// it since it was issued and the balance (settled, as its attached copy
// prints them; nil when nothing was), the due date, and how to pay (the
// seller's payment instructions, as printed on the invoice). The Message-ID is made of
// the store's invoice id and now, so each sending has its own.
func Compose(inv invoice.Invoice, settled *invoice.Settlement, from, to mail.Address, attachments []Attachment, now time.Time) Message {
	seller := inv.Seller.CompanyName
	kind := "Invoice"
	if inv.Kind == invoice.KindCreditNote {
		kind = "Credit note"
	}
	subject := fmt.Sprintf("%s %s from %s", kind, inv.Number, seller)
	var b strings.Builder
	greeting := "Hello"
	if n := strings.TrimSpace(inv.Customer.Contact.Name); n != "" {
		greeting += " " + n
	}
	fmt.Fprintf(&b, "%s,\n\n", greeting)
	names := make([]string, len(attachments))
	for i, a := range attachments {
		names[i] = a.Name
	}
	fmt.Fprintf(&b, "Please find attached %s %s for %s (%s).\n\n", strings.ToLower(kind), inv.Number, inv.Customer.Name, strings.Join(names, ", "))
	fmt.Fprintf(&b, "Total: %s %s\n", inv.Currency, money.Text(inv.Total.Decimal(), inv.Currency))
	if settled != nil {
		for _, e := range settled.Entries {
			fmt.Fprintf(&b, "%s: %s %s\n", e.Label(invoice.Date.String), inv.Currency, money.Text(e.Amount.Decimal(), inv.Currency))
		}
		fmt.Fprintf(&b, "%s: %s %s\n", settled.BalanceLabel(), inv.Currency, money.Text(settled.Balance.Decimal(), inv.Currency))
	}
	if inv.Kind == invoice.KindInvoice && !inv.DueDate.IsZero() {
		fmt.Fprintf(&b, "Due date: %s\n", inv.DueDate)
	}
	if p := inv.Seller.PaymentDetails(); len(p) > 0 && inv.Kind == invoice.KindInvoice {
		// A mail program wraps as it likes: the IBAN's no-break spaces
		// are written as the plain spaces a bank's form expects.
		fmt.Fprintf(&b, "\nPayment: %s\n", strings.ReplaceAll(strings.Join(p, "\n"), "\u00a0", " "))
	}
	fmt.Fprintf(&b, "\nKind regards,\n%s\n", seller)
	for _, l := range []string{inv.Seller.Email, inv.Seller.Phone} {
		if l != "" {
			fmt.Fprintln(&b, l)
		}
	}
	host := "rebill.invalid"
	if at := strings.LastIndexByte(from.Address, '@'); at >= 0 {
		host = from.Address[at+1:]
	}
	return Message{From: from, To: to, Subject: subject, Body: b.String(), Date: now,
		MessageID: fmt.Sprintf("rebill.%s.%d@%s", inv.ID, now.UnixNano(), host), Attachments: attachments}
}

// WriteTo writes the message in RFC 5322 form with CRLF line ends: the
// headers (non-ASCII words encoded as RFC 2047), a multipart/mixed body
// of the text (quoted-printable) and each attachment (base64, lines of 76).
func (m Message) WriteTo(w io.Writer) (int64, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	// A boundary from the Message-ID, not a random one: the same message
	// writes the same bytes.
	sum := sha256.Sum256([]byte(m.MessageID))
	if err := mw.SetBoundary("rebill-" + hex.EncodeToString(sum[:12])); err != nil {
		return 0, err
	}
	h := func(k, v string) { fmt.Fprintf(&buf, "%s: %s\r\n", k, v) }
	h("From", m.From.String())
	h("To", m.To.String())
	h("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	h("Date", m.Date.Format(time.RFC1123Z))
	h("Message-ID", "<"+m.MessageID+">")
	h("MIME-Version", "1.0")
	h("Content-Type", `multipart/mixed; boundary="`+mw.Boundary()+`"`)
	buf.WriteString("\r\n")

	text, err := mw.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {"text/plain; charset=utf-8"},
		"Content-Transfer-Encoding": {"quoted-printable"}})
	if err != nil {
		return 0, err
	}
	qp := quotedprintable.NewWriter(text)
	if _, err := qp.Write([]byte(strings.ReplaceAll(m.Body, "\n", "\r\n"))); err != nil {
		return 0, err
	}
	if err := qp.Close(); err != nil {
		return 0, err
	}
	for _, a := range m.Attachments {
		part, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {mime.FormatMediaType(a.ContentType, map[string]string{"name": a.Name})},
			"Content-Disposition":       {mime.FormatMediaType("attachment", map[string]string{"filename": a.Name})},
			"Content-Transfer-Encoding": {"base64"}})
		if err != nil {
			return 0, err
		}
		enc := base64.StdEncoding.EncodeToString(a.Data)
		for len(enc) > 76 {
			if _, err := io.WriteString(part, enc[:76]+"\r\n"); err != nil {
				return 0, err
			}
			enc = enc[76:]
		}
		if _, err := io.WriteString(part, enc+"\r\n"); err != nil {
			return 0, err
		}
	}
	if err := mw.Close(); err != nil {
		return 0, err
	}
	n, err := w.Write(buf.Bytes())
	return int64(n), err
}

// Bytes is the message as WriteTo writes it.
func (m Message) Bytes() ([]byte, error) {
	var b bytes.Buffer
	_, err := m.WriteTo(&b)
	return b.Bytes(), err
}
