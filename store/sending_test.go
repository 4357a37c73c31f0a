package store

import (
	"errors"
	"strings"
	"testing"

	"rebill/engine/customer"
	"rebill/engine/email"
	"rebill/engine/invoice"
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
	if m := got[len(got)-1]; m.To.Address != "ap@acme-retail.example" || m.From.Address != "billing@nimbus-partners.example" || len(m.Attachments) != 1 {
		t.Errorf("message from %s to %s with %d attachments", m.From.Address, m.To.Address, len(m.Attachments))
	}
	if a := actionsOf(t, db, acme); a[len(a)-2] != invoice.ActionExport || a[len(a)-1] != invoice.ActionSend {
		t.Errorf("ACME's log ends %v, want the export of its PDF, then the sending", a)
	}
	if rep, err := db.Check(); err != nil || !rep.OK() {
		t.Errorf("check: %v %+v", err, rep.Findings)
	}
}
