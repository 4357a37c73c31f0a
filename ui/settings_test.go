package ui

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"

	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"rebill/engine/customer"
)

func (h *harness) settings() *settingsScreen {
	return h.shell.screens["Settings"].(*settingsScreen)
}

// pngOf encodes a blank w x h PNG.
func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSettingsSaveAndNumberPreview(t *testing.T) {
	h := newHarness(t)
	h.state.show("Settings")
	s := h.settings()
	if got := s.preview.Text; got != "INV-2024-00001" {
		t.Errorf("preview of the default format = %q", got)
	}
	if !s.save.Disabled() {
		t.Error("Save is enabled before any change")
	}

	s.numberFormat.SetText("R{YY}{MM}-{SEQ:3}")
	if got := s.preview.Text; got != "R2411-001" {
		t.Errorf("preview = %q, want R2411-001", got)
	}
	s.numberFormat.SetText("INV-{X}")
	if got := s.fields["invoice_number_format"].problems(); !strings.Contains(got, "unknown token {X}") {
		t.Errorf("format problem = %q", got)
	}
	if s.preview.Text != "—" || !s.save.Disabled() {
		t.Errorf("a bad format still previews %q or can be saved", s.preview.Text)
	}
	s.numberFormat.SetText("NCP-{YYYY}-{SEQ:5}")
	test.Type(s.email, "not an email")
	if got := s.fields["email"].problems(); !strings.Contains(got, "is not an email address") || !s.save.Disabled() {
		t.Errorf("email problem = %q", got)
	}
	s.email.SetText("billing@nimbus.example")
	s.currency.SetText("gbp")
	test.Type(s.company, "Nimbus Cloud Partners Ltd")
	s.address.SetText("7 Cloud Court\n\nManchester M1 2AB")
	s.instructions.SetText("Bank transfer, quoting the invoice number.")
	if s.preview.Text != "NCP-2024-00001" || s.save.Disabled() {
		t.Fatalf("preview %q, save disabled %v; texts %q", s.preview.Text, s.save.Disabled(), h.texts())
	}
	test.Tap(s.save)
	if !h.shows("Saved.") {
		t.Error("no Saved message")
	}
	p, err := h.db.Profile()
	if err != nil {
		t.Fatal(err)
	}
	if p.CompanyName != "Nimbus Cloud Partners Ltd" || p.DefaultCurrency != "GBP" ||
		len(p.Address) != 2 || p.NumberFormat != "NCP-{YYYY}-{SEQ:5}" || p.Email != "billing@nimbus.example" {
		t.Errorf("stored %+v", p)
	}
	if log, _ := h.db.ProfileLog(); len(log) != 1 {
		t.Errorf("the profile log has %d entries, want 1", len(log))
	}
	if !s.save.Disabled() {
		t.Error("Save stays enabled after saving")
	}

	// New customers start from the saved defaults.
	h.state.show("Customers")
	test.Tap(h.customers().addBtn)
	if got := h.customers().form.currency.Text; got != "GBP" {
		t.Errorf("a new customer starts in %q, want GBP", got)
	}
}

func TestLogoIsCheckedAndPreviewed(t *testing.T) {
	h := newHarness(t)
	h.state.show("Settings")
	s := h.settings()
	if !h.shows("No logo") || !s.removeLogo.Disabled() {
		t.Error("no empty logo state")
	}

	// Too many pixels.
	s.useLogo("wide.png", pngOf(t, customer.MaxLogoPixels+1, 1))
	if !h.shows("wide.png cannot be used: the logo is 4097x1 pixels") {
		t.Errorf("a too wide logo is not refused; texts %q", h.texts())
	}
	h.win.Canvas().Overlays().Top().Hide()
	// Too many bytes.
	big := append(pngOf(t, 1, 1), make([]byte, customer.MaxLogoBytes)...)
	s.useLogo("big.png", big)
	if !h.shows("big.png cannot be used: the logo is 1025 KiB") {
		t.Errorf("a too large logo is not refused; texts %q", h.texts())
	}
	h.win.Canvas().Overlays().Top().Hide()
	// Not an image.
	s.useLogo("logo.gif", []byte("GIF89a"))
	if !h.shows("neither PNG nor JPEG") {
		t.Error("a GIF is not refused")
	}
	h.win.Canvas().Overlays().Top().Hide()
	if s.logo != nil || !s.save.Disabled() {
		t.Fatal("a refused logo was taken")
	}

	s.useLogo("logo.png", pngOf(t, 240, 80))
	if !h.shows("PNG, 240x80 pixels") || s.save.Disabled() {
		t.Errorf("the logo is not previewed; texts %q", h.texts())
	}
	var img *canvas.Image
	for _, o := range test.LaidOutObjects(s.logoBox) {
		if i, ok := o.(*canvas.Image); ok {
			img = i
		}
	}
	if img == nil || img.FillMode != canvas.ImageFillContain {
		t.Error("no contained preview image")
	}
	test.Tap(s.save)
	if p, _ := h.db.Profile(); p.LogoType != customer.LogoPNG || len(p.Logo) == 0 {
		t.Errorf("the logo was not stored: %q", p.LogoType)
	}
	test.Tap(s.removeLogo)
	test.Tap(s.save)
	if p, _ := h.db.Profile(); p.LogoType != "" || len(p.Logo) != 0 {
		t.Error("Remove logo did not remove it")
	}
}

// TestNextNumberMovesOnlyForward: the Settings form shows the invoice
// counter read-only, Save never moves it, and "Move forward…" moves it
// only forward, with a reason, recorded in the audit log.
func TestNextNumberMovesOnlyForward(t *testing.T) {
	h := newHarness(t)
	h.state.show("Settings")
	s := h.settings()
	if s.nextNumber.Text != "1" || s.preview.Text != "INV-2024-00001" {
		t.Fatalf("next number %q, preview %q", s.nextNumber.Text, s.preview.Text)
	}
	// Saving the profile leaves the counter as it is.
	test.Type(s.company, "Nimbus Cloud Partners Ltd")
	test.Tap(s.save)
	if n, _ := h.db.InvoiceNumbering(); n.Next != 1 {
		t.Fatalf("a profile save moved the counter to %d", n.Next)
	}

	test.Tap(s.moveNumber)
	if !h.shows("The next invoice takes number 1.") || !s.moveConfirm.Disabled() {
		t.Fatalf("the dialog does not start from the counter; texts %q", h.texts())
	}
	for _, tc := range []struct{ next, reason, problem string }{
		{"1", "again", "The next invoice number is 1 already: it only moves forward, to a number above 1"},
		{"0", "back", "only moves forward"},
		{"ten", "", `"ten" is not a whole number`},
		{"42", "", ""}, // the reason is not typed yet: nothing to complain about
	} {
		s.moveTo.SetText(tc.next)
		s.moveReason.SetText(tc.reason)
		got := s.moveField.problems()
		if !s.moveConfirm.Disabled() || !strings.Contains(got, tc.problem) || (tc.problem == "") != (got == "") {
			t.Errorf("%s/%q: confirm enabled %v, problem %q", tc.next, tc.reason, !s.moveConfirm.Disabled(), got)
		}
	}
	test.Type(s.moveReason, "continuing the series of our previous billing program")
	if s.moveConfirm.Disabled() {
		t.Fatalf("confirm disabled for 42 with a reason; problem %q", s.moveField.problems())
	}
	test.Tap(s.moveConfirm)
	if n, _ := h.db.InvoiceNumbering(); n.Next != 42 {
		t.Fatalf("counter %d after the move, want 42", n.Next)
	}
	if s.nextNumber.Text != "42" || s.preview.Text != "INV-2024-00042" || !h.shows("The next invoice now takes number 42") {
		t.Errorf("after the move: next %q, preview %q; texts %q", s.nextNumber.Text, s.preview.Text, h.texts())
	}
	log, err := h.db.AuditLog()
	if err != nil || len(log) != 1 {
		t.Fatalf("audit log %v %v", log, err)
	}
	if e := log[0]; e.Action != "move_series" || e.Invoice != "series:invoice" ||
		!strings.Contains(string(e.Before), `"next":1`) || !strings.Contains(string(e.After), `"next":42`) ||
		!strings.Contains(string(e.After), "previous billing program") {
		t.Errorf("audit entry %+v", e)
	}
	if _, err := h.db.VerifyAudit(); err != nil {
		t.Error(err)
	}
}

// TestSettingsDocuments: the uplift wording and the paper are profile
// settings saved from the Documents section; A4 is the default, and
// choosing it on a profile without a paper size changes nothing.
func TestSettingsDocuments(t *testing.T) {
	h := newHarness(t)
	h.state.show("Settings")
	s := h.settings()
	if s.paperSize.Selected != "A4" || s.upliftWording.Text != "" {
		t.Errorf("paper %q, uplift wording %q", s.paperSize.Selected, s.upliftWording.Text)
	}
	if !s.save.Disabled() {
		t.Error("Save is enabled before any change")
	}
	test.Type(s.company, "Nimbus Cloud Partners Ltd")
	test.Type(s.upliftWording, "Service management")
	s.paperSize.SetSelected("Letter")
	test.Tap(s.save)
	p, err := h.db.Profile()
	if err != nil {
		t.Fatal(err)
	}
	if p.UpliftWording != "Service management" || p.PaperSize != "Letter" {
		t.Errorf("saved uplift wording %q, paper %q", p.UpliftWording, p.PaperSize)
	}
}
