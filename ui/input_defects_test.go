package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
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
