package store

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"rebill/engine/customer"
	"rebill/engine/email"
	"rebill/engine/invoice"
	"rebill/store/mailer"
	"rebill/store/mailer/mailtest"

	bolt "go.etcd.io/bbolt"
)

// The sending use case with a deliverer that keeps the message: a draft
// and a void invoice are refused before anything is delivered, a failed
// delivery records nothing, a customer without an address is told what
// to set, and a sent invoice records when, to whom and how, in the log.
func TestSendInvoice(t *testing.T) {
	db := sampleDB(t)
	rep := generate(t, db, customer.Selection{All: true}, allOn, oct5)
	acme, globex, draft := draftIDOf(t, rep, "ACME"), draftIDOf(t, rep, "GLOBEX"), draftIDOf(t, rep, "INITECH")
	approveOK(t, db, oct5, acme, globex)
	var got []email.Message
	keep := func(m email.Message) (string, error) { got = append(got, m); return invoice.SentBySMTP, nil }
	fail := func(email.Message) (string, error) { return "", errors.New("connection refused") }

	if _, err := db.SendInvoice(SendRequest{Invoice: draft, Deliver: keep, Now: oct20}); err == nil || !strings.Contains(err.Error(), "is a Draft and is never sent") {
		t.Errorf("sending a draft: %v", err)
	}
	if _, err := db.SendInvoice(SendRequest{Invoice: acme, Deliver: fail, Now: oct20}); err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("a failed delivery: %v", err)
	}
	if mustInvoice(t, db, acme).Sent != nil {
		t.Error("a failed delivery was recorded as sent")
	}

	if _, err := db.UpdateCustomer("GLOBEX", func(c *customer.Customer) error { c.Contact.Email = ""; return nil }, oct20); err != nil {
		t.Fatal(err)
	}
	res, err := db.SendInvoice(SendRequest{Invoice: globex, Deliver: keep, Now: oct20})
	if err != nil || res.Sending.To != "payables@globex.example" {
		t.Errorf("GLOBEX without an address now goes to the one on its invoice: %+v %v", res.Sending, err)
	}

	res, err = db.SendInvoice(SendRequest{Invoice: acme, Deliver: keep, Now: oct20})
	if err != nil {
		t.Fatal(err)
	}
	inv := mustInvoice(t, db, acme)
	if len(inv.Sent) != 1 || inv.Sent[0].To != "ap@acme-retail.example" || !inv.Sent[0].At.Equal(oct20) || inv.Sent[0].Attachments[0] != inv.Number+".pdf" {
		t.Errorf("recorded %+v", inv.Sent)
	}
	// ACME wants Peppol UBL: its PDF and its XML.
	if m := got[len(got)-1]; m.To.Address != "ap@acme-retail.example" || m.From.Address != "billing@nimbus-partners.example" || len(m.Attachments) != 2 {
		t.Errorf("message from %s to %s with %d attachments", m.From.Address, m.To.Address, len(m.Attachments))
	}
	if a := actionsOf(t, db, acme); len(a) < 3 || a[len(a)-3] != invoice.ActionExport || a[len(a)-2] != invoice.ActionExport || a[len(a)-1] != invoice.ActionSend {
		t.Errorf("ACME's log ends %v, want the exports of its PDF and its UBL, then the sending", a)
	}
	// Sent again after a credit note of 10.00: the body says it and the
	// balance, as the copy attached prints them.
	note, err := db.IssueCreditNote(CreditRequest{Invoice: acme, Amount: dec("10"), Reason: "goodwill", Now: oct20})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SendInvoice(SendRequest{Invoice: acme, Deliver: keep, Now: oct20}); err != nil {
		t.Fatal(err)
	}
	body := strings.ReplaceAll(got[len(got)-1].Body, ",", "")
	for _, want := range []string{
		"Total: USD " + inv.Total.Decimal().StringFixed(2) + "\n",
		"Credit note " + note.Number + " of 2026-10-20: USD -10.00\n",
		"Balance due: USD " + inv.Total.Decimal().Sub(dec("10")).StringFixed(2) + "\n",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the message sent after the credit note has no %q:\n%s", want, body)
		}
	}
	if rep, err := db.Check(); err != nil || !rep.OK() {
		t.Errorf("check: %v %+v", err, rep.Findings)
	}
}

// received is a message as the test SMTP server got it: its attachments
// by file name, each with its media type and decoded bytes.
type received struct {
	contentType string
	data        []byte
}

func attachmentsOf(t *testing.T, data []byte) map[string]received {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]received{}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if p.FileName() == "" {
			continue
		}
		raw, _ := io.ReadAll(p)
		b, err := base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(string(raw)))
		if err != nil {
			t.Fatalf("%s: %v", p.FileName(), err)
		}
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		out[p.FileName()] = received{contentType: ct, data: b}
	}
}

// validateEN16931 runs the official EN 16931 rules over an e-invoice,
// skipping with the reason when they cannot run here (no Node).
func validateEN16931(t *testing.T, xml []byte, syntax string) {
	t.Helper()
	script, err := filepath.Abs("../../shared/validation/en16931/validate")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(script); err != nil {
		t.Skipf("the EN 16931 validation script is not at %s", script)
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is needed to run the EN 16931 rules")
	}
	f := filepath.Join(t.TempDir(), "e.xml")
	if err := os.WriteFile(f, xml, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(script, f, syntax).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 2 {
		t.Skipf("the EN 16931 rules could not run: %s", out)
	}
	if err != nil || !bytes.Contains(out, []byte(" 0 failed")) {
		t.Fatalf("%s does not validate (%v):\n%s", syntax, err, out)
	}
}

// Sending through an SMTP server started here: each customer receives
// the documents its e-invoice choice asks for (ACME, Peppol UBL: the PDF
// and a valid XML; CONTOSO, Factur-X: that PDF alone; GLOBEX, none: the
// PDF), single or by month alike. A customer whose e-invoice would not
// validate is refused, naming the field, and nothing is sent, exported
// or recorded.
func TestSendAttachesTheEInvoice(t *testing.T) {
	db := sampleDB(t)
	rep := generate(t, db, customer.Selection{All: true}, allOn, oct5)
	ids := map[string]string{}
	for _, c := range []string{"ACME", "CONTOSO", "GLOBEX", "INITECH"} {
		ids[c] = draftIDOf(t, rep, c)
	}
	approveOK(t, db, oct5, ids["ACME"], ids["CONTOSO"], ids["GLOBEX"], ids["INITECH"])
	srv := mailtest.Start(t)
	conf, err := db.PutSMTPServer(email.Server{Host: srv.Host, Port: srv.Port, TLS: email.TLSNone}, oct20)
	if err != nil {
		t.Fatal(err)
	}
	deliver := mailer.SMTP{Server: conf}.Deliver
	number := func(c string) string { return mustInvoice(t, db, ids[c]).Number }

	// INITECH now wants XRechnung, which needs a Leitweg-ID its issued
	// invoice does not carry.
	if _, err := db.UpdateCustomer("INITECH", func(c *customer.Customer) error {
		c.EInvoice.Format = customer.EInvoiceXRechnung
		return nil
	}, oct20); err != nil {
		t.Fatal(err)
	}
	before := actionsOf(t, db, ids["INITECH"])
	_, err = db.SendInvoice(SendRequest{Invoice: ids["INITECH"], Deliver: deliver, Now: oct20})
	if err == nil || !strings.Contains(err.Error(), "is not sent: customer INITECH receives XRechnung e-invoices, and this one would not validate") ||
		!strings.Contains(err.Error(), "Customer INITECH has no buyer reference (Leitweg-ID), which XRechnung requires") {
		t.Errorf("sending an invalid XRechnung: %v", err)
	}
	if inv := mustInvoice(t, db, ids["INITECH"]); inv.Sent != nil {
		t.Errorf("the refused sending was recorded: %+v", inv.Sent)
	}
	if after := actionsOf(t, db, ids["INITECH"]); len(after) != len(before) {
		t.Errorf("the refused sending wrote to the log: %v, was %v", after, before)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("the server got %d messages from a refusal", n)
	}

	if _, err := db.SendInvoice(SendRequest{Invoice: ids["ACME"], Deliver: deliver, Now: oct20}); err != nil {
		t.Fatal(err)
	}
	month, err := db.SendMonth("2026-09", func(invoice.Invoice) Deliver { return deliver }, oct20)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range month {
		switch {
		case m.Number == number("ACME") && m.Skipped == "":
			t.Errorf("ACME's invoice, sent already, went again: %+v", m)
		case m.Number == number("INITECH") && !strings.Contains(m.Error, "has no buyer reference (Leitweg-ID)"):
			t.Errorf("INITECH's invoice in the month: %+v", m)
		case m.Number != number("ACME") && m.Number != number("INITECH") && (m.Error != "" || m.Sent == nil):
			t.Errorf("%+v", m)
		}
	}

	got := map[string]map[string]received{}
	for _, m := range srv.Messages() {
		got[m.To[0]] = attachmentsOf(t, m.Data)
	}
	if len(got) != 3 {
		t.Fatalf("messages to %v, want ACME's, CONTOSO's and GLOBEX's", got)
	}
	names := func(as map[string]received) []string {
		var out []string
		for n, a := range as {
			out = append(out, n+" "+a.contentType)
		}
		slices.Sort(out)
		return out
	}
	want := map[string][]string{
		"ap@acme-retail.example":   {number("ACME") + ".pdf application/pdf", number("ACME") + ".xml application/xml"},
		"factures@contoso.example": {number("CONTOSO") + ".pdf application/pdf"},
		"payables@globex.example":  {number("GLOBEX") + ".pdf application/pdf"},
	}
	for to, w := range want {
		if g := names(got[to]); !slices.Equal(g, w) {
			t.Errorf("%s received %v, want %v", to, g, w)
		}
	}
	if inv := mustInvoice(t, db, ids["ACME"]); len(inv.Sent) != 1 || !slices.Equal(inv.Sent[0].Attachments, []string{number("ACME") + ".pdf", number("ACME") + ".xml"}) {
		t.Errorf("ACME's sending recorded %+v", inv.Sent)
	}
	// CONTOSO's PDF is the Factur-X: a PDF/A-3 with the CII embedded.
	if fx := got["factures@contoso.example"][number("CONTOSO")+".pdf"].data; !bytes.HasPrefix(fx, []byte("%PDF-")) || !bytes.Contains(fx, []byte("factur-x.xml")) {
		t.Errorf("CONTOSO's attachment is not the Factur-X PDF (%d bytes)", len(fx))
	}
	xml := got["ap@acme-retail.example"][number("ACME")+".xml"].data
	if !bytes.Contains(xml, []byte("<cbc:ID>"+number("ACME")+"</cbc:ID>")) || !bytes.Contains(xml, []byte("urn:fdc:peppol.eu:2017:poacc:billing:3.0")) {
		t.Errorf("ACME's XML is not its Peppol invoice:\n%s", xml)
	}
	validateEN16931(t, xml, "ubl")
}

// TestSMTPSettingsChange: ChangeSMTPServer edits the saved server, so a
// new sender keeps the host and login; settings damaged in the database
// read as none there, so that setting them again (what the damage's
// message advises) mends them instead of failing on them.
func TestSMTPSettingsChange(t *testing.T) {
	db := openTest(t)
	if _, err := db.PutSMTPServer(email.Server{Host: "mail.nimbus.example", User: "billing"}, oct5); err != nil {
		t.Fatal(err)
	}
	got, err := db.ChangeSMTPServer(func(s *email.Server) error { s.From = "invoices@nimbus.example"; return nil }, oct5)
	if err != nil || got != (email.Server{Host: "mail.nimbus.example", Port: 587, TLS: email.TLSStartTLS, User: "billing", From: "invoices@nimbus.example"}) {
		t.Fatalf("changed the sender: %+v, %v", got, err)
	}
	if err := db.bolt.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketSettings).Put(keySMTP, []byte("{not json")) }); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SMTPServer(); err == nil {
		t.Fatal("damaged settings read without an error")
	}
	got, err = db.ChangeSMTPServer(func(s *email.Server) error { s.Host = "smtp.nimbus.example"; return nil }, oct5)
	if err != nil || got.Host != "smtp.nimbus.example" || got.User != "" {
		t.Fatalf("setting damaged settings again: %+v, %v", got, err)
	}
	if s, err := db.SMTPServer(); err != nil || s != got {
		t.Errorf("saved %+v, %v; want %+v", s, err, got)
	}
	// The change log keeps what the damaged value held, as text.
	cs, err := db.Changes(nil)
	if err != nil || len(cs) == 0 || string(cs[len(cs)-1].Old) != `"{not json"` {
		t.Errorf("the change log's last entry %+v (%v), want the damaged value as text", cs[len(cs)-1], err)
	}
}
