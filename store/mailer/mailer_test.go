package mailer_test

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rebill/engine/email"
	"rebill/engine/invoice"
	"rebill/store/mailer"
	"rebill/store/mailer/mailtest"
)

var now = time.Date(2026, 10, 5, 9, 30, 0, 0, time.UTC)

// message is an invoice's message with a PDF-like attachment whose bytes
// include a line starting with a dot (SMTP's dot-stuffing) and a long
// run that base64 wraps.
func message(t *testing.T) (email.Message, []byte) {
	t.Helper()
	pdf := append([]byte("%PDF-1.7\r\n.hidden line\r\n"), bytes.Repeat([]byte{0, 1, 2, 0xff}, 300)...)
	inv := invoice.Invoice{ID: "7", Number: "NCP-2026-00001", Kind: invoice.KindInvoice, Status: invoice.Open,
		Customer: invoice.Party{Name: "Acme Corp"}, Seller: invoice.Seller{CompanyName: "Nimbus Cloud Partners Ltd"}}
	m := email.Compose(inv, nil, mail.Address{Name: "Nimbus", Address: "billing@nimbus.example"}, mail.Address{Name: "Acme Corp", Address: "ap@acme.example"},
		[]email.Attachment{{Name: "NCP-2026-00001.pdf", ContentType: "application/pdf", Data: pdf}}, now)
	return m, pdf
}

// parsed reads a received message back: subject, recipient header and
// the attachment's bytes.
func parsed(t *testing.T, data []byte) (subject, to string, attachment []byte, name string) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if p.FileName() != "" {
			name = p.FileName()
			attachment, _ = io.ReadAll(p) // base64, as sent (decode reads it)
		}
	}
	return msg.Header.Get("Subject"), msg.Header.Get("To"), attachment, name
}

func TestSMTPDelivers(t *testing.T) {
	srv := mailtest.Start(t)
	m, pdf := message(t)
	via, err := mailer.SMTP{Server: email.Server{Host: srv.Host, Port: srv.Port, TLS: email.TLSNone}}.Deliver(m)
	if err != nil || via != invoice.SentBySMTP {
		t.Fatalf("deliver: %q %v", via, err)
	}
	got := srv.Messages()
	if len(got) != 1 || got[0].From != "billing@nimbus.example" || len(got[0].To) != 1 || got[0].To[0] != "ap@acme.example" {
		t.Fatalf("received %+v", got)
	}
	subject, to, att, name := parsed(t, got[0].Data)
	if subject != "Invoice NCP-2026-00001 from Nimbus Cloud Partners Ltd" || to != `"Acme Corp" <ap@acme.example>` || name != "NCP-2026-00001.pdf" {
		t.Errorf("subject %q to %q attachment %q", subject, to, name)
	}
	if !bytes.Equal(decode(t, att), pdf) {
		t.Errorf("the attachment arrived as %d bytes, want the %d sent", len(decode(t, att)), len(pdf))
	}
}

func TestSMTPRefusesPasswordInClear(t *testing.T) {
	srv := mailtest.Start(t)
	m, _ := message(t)
	_, err := mailer.SMTP{Server: email.Server{Host: srv.Host, Port: srv.Port, TLS: email.TLSNone, User: "me"}, Password: "secret"}.Deliver(m)
	if err == nil || !strings.Contains(err.Error(), "without TLS") {
		t.Errorf("login without TLS: %v", err)
	}
	if _, err := (mailer.SMTP{Server: email.Server{Host: srv.Host, Port: srv.Port, TLS: email.TLSStartTLS}}).Deliver(m); err == nil || !strings.Contains(err.Error(), "offers no STARTTLS") {
		t.Errorf("STARTTLS on a server without it: %v", err)
	}
	if len(srv.Messages()) != 0 {
		t.Error("a refused delivery delivered")
	}
}

func TestEMLWritesTheMessage(t *testing.T) {
	m, pdf := message(t)
	path := filepath.Join(t.TempDir(), "invoice.eml")
	via, err := mailer.EML{Path: path}.Deliver(m)
	if err != nil || via != invoice.SentAsFile {
		t.Fatalf("%q %v", via, err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, to, att, _ := parsed(t, data)
	if to != `"Acme Corp" <ap@acme.example>` || !bytes.Equal(decode(t, att), pdf) {
		t.Errorf("the .eml file: to %q, attachment of %d bytes", to, len(decode(t, att)))
	}
}

// decode reads a base64 part's body (lines of 76).
func decode(t *testing.T, b []byte) []byte {
	t.Helper()
	out, err := base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return out
}
