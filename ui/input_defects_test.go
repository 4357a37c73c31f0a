package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/billing"
	"rebill/engine/customer"
	"rebill/engine/invoice"
	"rebill/store"
)

// TestRecurringChargeStatusNamesTheProblem: adding a recurring charge
// is not an error until something is typed in it, and then the status
// line names the field and what is wrong, not "what is shown in red"
// somewhere out of sight.
func TestRecurringChargeStatusNamesTheProblem(t *testing.T) {
	h := newHarness(t)
	h.state.show("Customers")
	s := h.customers()
	h.addCustomer("GLOBEX", "Globex Corporation", "Americas")
	s.selectCustomer("GLOBEX")
	f := s.form

	test.Tap(f.recurring.add)
	if f.status.Importance == widget.DangerImportance || problemOf(s, "recurring") != "" {
		t.Errorf("an empty new row is already wrong: status %q, problem %q", f.status.Text, problemOf(s, "recurring"))
	}
	test.Type(f.recurring.rows[0][0], "Managed service")
	want := `To save, correct Recurring charges: Recurring charge "Managed service": amount "" is not a number`
	if !strings.HasPrefix(f.status.Text, want) || f.status.Importance != widget.DangerImportance {
		t.Errorf("status %q, want it to start %q", f.status.Text, want)
	}
	if problemOf(s, "recurring") == "" {
		t.Error("the recurring charge is not marked")
	}
	if !f.save.Disabled() {
		t.Error("Save is enabled with a charge that has no amount")
	}
	test.Type(f.recurring.rows[0][1], "250")
	test.Type(f.recurring.rows[0][2], "2024-10")
	if f.save.Disabled() || f.status.Importance == widget.DangerImportance {
		t.Errorf("a complete charge still refused: %q", f.status.Text)
	}
}

// TestAddCustomerOpensAtTheTop: the required id and name are in sight
// and the cursor is in the id, whatever the form showed before.
func TestAddCustomerOpensAtTheTop(t *testing.T) {
	h := newHarness(t)
	h.win.Resize(fyne.NewSize(1024, 700))
	h.state.show("Customers")
	s := h.customers()
	h.addCustomer("GLOBEX", "Globex Corporation", "Americas")
	s.selectCustomer("GLOBEX")
	s.form.scroll.ScrollToBottom()
	if s.form.scroll.Offset.Y == 0 {
		t.Fatal("the form does not scroll at 1024x700: the test proves nothing")
	}

	test.Tap(s.addBtn)
	if y := s.form.scroll.Offset.Y; y != 0 {
		t.Errorf("Add customer opens scrolled down by %v", y)
	}
	if got := h.win.Canvas().Focused(); got != s.form.id {
		t.Errorf("focus is on %T, want the customer id", got)
	}
}

// TestCreditNoteDialogKeepsWhatWasTyped: a credit note refused for a
// missing reason or an amount too large stays open with what was typed,
// the field marked; once corrected it issues the note and closes.
func TestCreditNoteDialogKeepsWhatWasTyped(t *testing.T) {
	h, _ := invoiceHarness(t)
	approvedSeptember(t, h) // INV-2024-0001: ACME, USD 3.63
	inv := h.invoices()
	h.state.show("Invoices")
	inv.month.SetSelected("2024-09")
	inv.openViewer(onlyOf(t, h.db, "INV-2024-0001").ID)
	v := inv.viewer
	test.Tap(v.credit)
	fd := v.creditForm
	if fd == nil || fd.d == nil {
		t.Fatal("Credit note… opened no form")
	}
	choice := fd.order[0].input.(*widget.RadioGroup)
	amount := fd.fields["amount"].input.(*widget.Entry)
	reason := fd.fields["reason"].input.(*widget.Entry)
	choice.SetSelected("An amount (tax included)")

	steps := []struct {
		name, amount, reason string
		wantField, wantText  string
	}{
		{"no reason", "25.00", "", "reason", "needs a reason"},
		{"more than is left", "9999", "goodwill", "amount", "is more than is left to credit"},
		{"not a number", "25,,0", "goodwill", "amount", "is not a number"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			amount.SetText(st.amount)
			reason.SetText(st.reason)
			test.Tap(fd.ok)
			if !overlayShown(h, fd) {
				t.Fatal("the dialog closed on a refusal")
			}
			if amount.Text != st.amount || reason.Text != st.reason {
				t.Errorf("typed text lost: amount %q, reason %q", amount.Text, reason.Text)
			}
			if got := fd.fields[st.wantField].problems(); !strings.Contains(got, st.wantText) {
				t.Errorf("%s shows %q, want %q", st.wantField, got, st.wantText)
			}
		})
	}
	notes, _ := h.db.Invoices(store.InvoiceFilter{Kind: invoice.KindCreditNote}, testNow)
	if len(notes) != 0 {
		t.Fatalf("a refused form issued %d credit notes", len(notes))
	}

	amount.SetText("2.00")
	if fd.fields["amount"].problems() != "" {
		t.Errorf("the problem stays after correcting: %q", fd.fields["amount"].problems())
	}
	test.Tap(fd.ok)
	notes, _ = h.db.Invoices(store.InvoiceFilter{Kind: invoice.KindCreditNote}, testNow)
	if len(notes) != 1 || notes[0].Total.String() != "-2.00" || notes[0].Reason != "goodwill" {
		t.Fatalf("credit notes %+v", notes)
	}
	if overlayShown(h, fd) {
		t.Error("the dialog stays open after issuing")
	}
	if !h.shows("Credit note issued") {
		t.Errorf("no notice of the credit note: %q", h.texts())
	}
}

// overlayShown reports whether the form dialog is on the window.
func overlayShown(h *harness, fd *formDialog) bool {
	for _, o := range h.win.Canvas().Overlays().List() {
		if o.Visible() && containsObject(o, fd.ok) {
			return true
		}
	}
	return false
}

// containsObject reports whether target is o or inside it.
func containsObject(o, target fyne.CanvasObject) bool {
	found := false
	eachVisible(o, func(x fyne.CanvasObject) bool {
		if x == target {
			found = true
		}
		return !found
	})
	return found
}

// showsExactly reports whether some text of the window is exactly s.
func (h *harness) showsExactly(s string) bool {
	for _, x := range h.texts() {
		if x == s {
			return true
		}
	}
	return false
}

// TestRefusedApprovalIsTitledSo: an approval the store refuses is not
// announced as "Approved", and its reason names where in the window to
// fix it.
func TestRefusedApprovalIsTitledSo(t *testing.T) {
	h, _ := reportHarness(t) // no company name in the profile yet
	if _, err := h.db.GenerateInvoices(store.GenerateRequest{Period: "2024-09", Selection: customer.Selection{Customers: []string{"ACME"}}, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	h.state.dataChanged()
	inv := h.invoices()
	h.state.show("Invoices")
	inv.month.SetSelected("2024-09")
	inv.selectInvoice(inv.row(t, "ACME").Invoice.ID)
	test.Tap(inv.approve)
	h.tapDialog("Approve")
	if h.showsExactly("Approved") || !h.showsExactly("Not approved") {
		t.Errorf("the refusal's title is not \"Not approved\": %q", h.texts())
	}
	if !h.shows("Settings > Account information") || h.shows("rebill ") {
		t.Errorf("the refusal does not say what to do in the window: %q", h.texts())
	}
}

// TestDeletingADraftSaysWhatWasDeleted: Delete, once confirmed, says
// which draft went.
func TestDeletingADraftSaysWhatWasDeleted(t *testing.T) {
	h, _ := invoiceHarness(t)
	if _, err := h.db.GenerateInvoices(store.GenerateRequest{Period: "2024-09", Selection: customer.Selection{Customers: []string{"ACME", "GLOBEX"}}, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	h.state.dataChanged()
	inv := h.invoices()
	h.state.show("Invoices")
	inv.month.SetSelected("2024-09")
	inv.selectInvoice(inv.row(t, "GLOBEX").Invoice.ID)
	test.Tap(inv.del)
	h.tapDialog("Delete")
	if len(inv.model.Rows) != 1 {
		t.Fatalf("%d rows after deleting one of two drafts", len(inv.model.Rows))
	}
	if !h.showsExactly("Draft deleted") || !h.shows("The draft invoice of Globex for 2024-09") {
		t.Errorf("no feedback after deleting: %q", h.texts())
	}
}

// TestInvoiceListFocusFollowsTheRows: once the rows change under it (a
// draft deleted), the list's focus box no longer sits on another invoice
// than the one the hint names (none).
func TestInvoiceListFocusFollowsTheRows(t *testing.T) {
	h, _ := invoiceHarness(t)
	if _, err := h.db.GenerateInvoices(store.GenerateRequest{Period: "2024-09", Selection: customer.Selection{Customers: []string{"ACME", "GLOBEX"}}, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	h.state.dataChanged()
	inv := h.invoices()
	h.state.show("Invoices")
	inv.month.SetSelected("2024-09")
	first := inv.model.Rows[0].Invoice
	inv.table.table.Select(widget.TableCellID{Row: 0, Col: 1})
	h.win.Canvas().Focus(inv.table.table)
	if inv.selected != first.ID {
		t.Fatalf("selected %q, want %q", inv.selected, first.ID)
	}
	inv.deleteDraft(first, nil)
	h.tapDialog("Delete")
	if inv.selected != "" || !strings.HasPrefix(inv.hint.Text, "Select an invoice") {
		t.Fatalf("after deleting, selected %q, hint %q", inv.selected, inv.hint.Text)
	}
	inv.dialog.Hide() // the notice of what was deleted
	if h.win.Canvas().Focused() == fyne.Focusable(inv.table.table) {
		t.Error("the list keeps its focus box on the row where the deleted draft was, now another invoice")
	}
}

// TestFinishEndsThePreviewAndLeavesTheList: Finish goes to Reports with
// the viewer closed, so the Invoices screen shows the list again; Finish
// is offered only in a preview.
func TestFinishEndsThePreviewAndLeavesTheList(t *testing.T) {
	h, s := invoiceHarness(t)
	g := generateFor(t, h, s, "2024-09  ·  Final", []string{"ACME", "GLOBEX"}, billing.Options{})
	test.Tap(g.preview)
	inv := h.invoices()
	if !inv.finish.Visible() {
		t.Fatal("no Finish in the preview")
	}
	inv.selectInvoice(inv.row(t, "ACME").Invoice.ID)
	test.Tap(inv.viewBtn)
	test.Tap(inv.viewer.back)
	test.Tap(inv.finish)
	if got := h.shell.nav.Selected().Text; got != "Reports" {
		t.Errorf("Finish shows %s", got)
	}
	h.state.show("Invoices")
	if !inv.listPage.Visible() || inv.viewer.content.Visible() {
		t.Error("the Invoices screen shows the last invoice, not the list")
	}
	if inv.finish.Visible() {
		t.Error("Finish is still offered after the preview ended")
	}
}
