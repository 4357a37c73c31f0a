package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// dialogEntries are the entries of the dialog on top, in order.
func (h *harness) dialogEntries() []*widget.Entry {
	h.t.Helper()
	var out []*widget.Entry
	eachVisible(h.win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
		if e, ok := o.(*widget.Entry); ok {
			out = append(out, e)
			return false
		}
		return true
	})
	return out
}

// The invoice view's Payments section and the Receivables screen on
// September 2024: ACME's invoice of USD 3.63, issued 2024-11-05, due
// 2024-12-05. A payment of 1.00 leaves 2.63 open, which the ageing report
// as of 2025-01-10 (36 days past due) shows in 31–60 days.
func TestPaymentsSectionAndReceivables(t *testing.T) {
	h, _ := invoiceHarness(t)
	approvedSeptember(t, h)
	inv := h.invoices()
	h.state.show("Invoices")
	inv.month.SetSelected("2024-09")
	acme := inv.row(t, "ACME")
	inv.openViewer(acme.Invoice.ID)
	p := inv.viewer.payments
	if !p.box.Visible() || p.summary.Text != "No payment recorded  ·  Open amount USD 3.63" {
		t.Fatalf("payments section %v %q", p.box.Visible(), p.summary.Text)
	}
	test.Tap(p.record)
	e := h.dialogEntries()
	if len(e) != 3 || e[1].Text != "3.63" {
		t.Fatalf("record payment dialog entries %d, amount %q", len(e), e[1].Text)
	}
	e[1].SetText("1.00")
	e[2].SetText("WIRE-9")
	h.tapDialog("Record payment")
	if p.summary.Text != "1 payment, USD 1.00  ·  Open amount USD 2.63" || !strings.Contains(p.lines.Text, "USD 1.00  WIRE-9") {
		t.Errorf("after paying 1.00: %q / %q", p.summary.Text, p.lines.Text)
	}

	r := h.shell.screens["Receivables"].(*receivablesScreen)
	r.asOf.SetText("2025-01-10")
	test.Tap(r.refresh)
	if len(r.tab.Rows) < 2 || r.tab.Rows[0][0] != "ACME" || r.tab.Rows[0][5] != "2.63" {
		t.Errorf("receivables rows %v", r.tab.Rows)
	}
	if !strings.HasPrefix(r.note.Text, "2 open invoices of 2 customers at the end of 2025-01-10") {
		t.Errorf("note %q", r.note.Text)
	}
}

// Settings > Sending invoices saves the server (never the password in
// the database) and refuses a login without TLS.
func TestSMTPPanel(t *testing.T) {
	h := newHarness(t)
	p := newSMTPPanel(h.state)
	p.host.SetText("smtp.example.com")
	p.tls.SetSelected("none")
	p.user.SetText("me")
	test.Tap(p.save)
	if !strings.Contains(p.status.Text, "would send the password of me in clear") {
		t.Errorf("a login without TLS: %q", p.status.Text)
	}
	p.tls.SetSelected("starttls")
	test.Tap(p.save)
	s, err := h.db.SMTPServer()
	if err != nil || s.Host != "smtp.example.com" || s.Port != 587 || s.User != "me" || p.port.Text != "587" {
		t.Errorf("saved %+v %v, port shown %q", s, err, p.port.Text)
	}
}
