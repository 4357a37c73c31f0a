package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"rebill/engine/customer"
	"rebill/engine/sample"
	"rebill/ui/view"
)

func (h *harness) customers() *customersScreen {
	return h.shell.screens["Customers"].(*customersScreen)
}

// addCustomer stores a customer directly and lets the window know.
func (h *harness) addCustomer(id, name, group string) {
	h.t.Helper()
	c := customer.Defaults{Currency: "USD", TermsDays: 30}.New()
	c.ID, c.Name, c.Group = id, name, group
	if err := h.db.AddCustomer(c, testNow); err != nil {
		h.t.Fatal(err)
	}
	h.state.dataChanged()
}

// problemOf is the message shown under a customer form field.
func problemOf(s *customersScreen, field string) string {
	return s.form.fields[field].problems()
}

func TestAddCustomerThroughTheForm(t *testing.T) {
	h := newHarness(t)
	h.state.show("Customers")
	s := h.customers()
	if !h.shows("No customers yet") {
		t.Errorf("the empty list does not say how to add customers: %q", h.texts())
	}
	h.addCustomer("GLOBEX", "Globex Corporation", "Americas")

	test.Tap(s.addBtn)
	f := s.form
	if !f.isNew || !f.save.Disabled() {
		t.Fatal("Add customer did not open an empty form with Save disabled")
	}
	if problemOf(s, "name") != "" {
		t.Error("an untouched new form already shows problems")
	}
	for _, tab := range s.others {
		if !tab.Disabled() {
			t.Errorf("tab %s is enabled for a customer not saved yet", tab.Text)
		}
	}

	// Typing the id shows that the name is missing; Save stays disabled.
	test.Type(f.id, "NEWCO")
	if got := problemOf(s, "name"); !strings.HasPrefix(got, "Name is empty") {
		t.Errorf("name problem = %q, want it to say the name is empty", got)
	}
	if !h.shows("Name is empty") {
		t.Error("the name problem is not on screen")
	}
	if !f.save.Disabled() {
		t.Error("Save is enabled without a name")
	}
	test.Type(f.name, "Newco Ltd")
	if got := problemOf(s, "name"); got != "" {
		t.Errorf("the name problem stays after typing one: %q", got)
	}

	// A currency that is not ISO 4217 is refused under its field.
	f.currency.SetText("XYZ")
	if got := problemOf(s, "currency"); !strings.Contains(got, `"XYZ" is not an ISO 4217 currency code`) {
		t.Errorf("currency problem = %q", got)
	}
	if !f.save.Disabled() {
		t.Error("Save is enabled with an unknown currency")
	}
	// Lower case is what people type: the engine normalizes it.
	f.currency.SetText("eur")
	if got := problemOf(s, "currency"); got != "" {
		t.Errorf("currency eur refused: %q", got)
	}
	// A percentage out of range, then a discount.
	f.adjustment.SetText("-150")
	if got := problemOf(s, "adjustment_percent"); !strings.Contains(got, "outside -100..1000%") {
		t.Errorf("adjustment problem = %q", got)
	}
	f.adjustment.SetText("-5")
	test.Type(f.group, "EMEA / Enterprise")
	if f.save.Disabled() {
		t.Fatalf("Save is still disabled; problems: %q", h.texts())
	}

	test.Tap(f.save)
	if !h.shows("Saved.") {
		t.Errorf("no Saved message; texts %q", h.texts())
	}
	c, err := h.db.Customer("NEWCO")
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "Newco Ltd" || c.Currency != "EUR" || !c.Adjustment.Equal(decimal.NewFromInt(-5)) || c.Group != "EMEA / Enterprise" || c.TermsDays != 30 {
		t.Errorf("stored %+v", c)
	}
	if f.isNew || !f.id.Disabled() {
		t.Error("the id can still be edited after the first save")
	}

	// It sits in its group in the tree, and is the one selected.
	if got := s.model.Children[""]; !equalStrings(got, []string{"g:americas", "g:emea"}) {
		t.Errorf("top level = %v", got)
	}
	if got := s.model.Children["g:emea"]; !equalStrings(got, []string{"g:emea / enterprise"}) {
		t.Errorf("EMEA holds %v", got)
	}
	if got := s.model.Children["g:emea / enterprise"]; !equalStrings(got, []string{"c:NEWCO"}) {
		t.Errorf("EMEA / Enterprise holds %v", got)
	}
	if s.selected != "NEWCO" || !h.shows("Newco Ltd") || !h.shows("Enterprise") {
		t.Errorf("the new customer is not shown in its group; texts %q", h.texts())
	}

	// The search filters the tree.
	test.Type(s.search, "newco")
	if got := s.model.Children[""]; !equalStrings(got, []string{"g:emea"}) {
		t.Errorf("search newco leaves %v at the top", got)
	}
	s.search.SetText("globex")
	if got := s.model.Children["g:americas"]; !equalStrings(got, []string{"c:GLOBEX"}) || s.model.Children["g:emea"] != nil {
		t.Errorf("search globex leaves %v", s.model.Children)
	}
	s.search.SetText("nobody here")
	if !h.shows(`No customer matches "nobody here"`) {
		t.Error("an empty search result is not explained")
	}
	s.search.SetText("")

	// Editing and saving records the change, shown in History.
	f.name.SetText("Newco Limited")
	if f.save.Disabled() || !h.shows("Unsaved changes.") {
		t.Error("an edit does not enable Save")
	}
	test.Tap(f.save)
	s.tabs.Select(s.others[2])
	found := false
	for _, r := range s.history.rows {
		if r.What == "Profile edited" && r.Field == "Name" && r.Old == "Newco Ltd" && r.New == "Newco Limited" {
			found = true
		}
	}
	if !found {
		t.Errorf("history rows %+v lack the name change", s.history.rows)
	}
	if !h.shows("Newco Ltd → Newco Limited") {
		t.Errorf("History does not show old -> new; texts %q", h.texts())
	}
	if !h.shows("Customer added") {
		t.Error("History does not show the creation")
	}
}

func TestFormListsAndSupportPlan(t *testing.T) {
	h := newHarness(t)
	h.addCustomer("ACME", "Acme", "")
	s := h.customers()
	s.tree.Select("c:ACME")
	f := s.form
	if f.flat.Visible() {
		t.Error("the flat support percentage shows without the flat plan")
	}
	f.support.SetSelected(view.PlanName(customer.SupportFlat))
	if !f.flat.Visible() {
		t.Error("the flat plan does not ask for its percentage")
	}
	f.supportFlat.SetText("3")

	test.Tap(f.taxRates.add)
	row := f.taxRates.rows[0]
	test.Type(row[0], "VAT 20%")
	row[1].SetText("twenty")
	if got := problemOf(s, "tax_rates"); !strings.Contains(got, `"twenty" is not a percentage`) {
		t.Errorf("tax rate problem = %q", got)
	}
	row[1].SetText("20")

	test.Tap(f.rules.add)
	r := f.rules.rows[0]
	r[0].SetText("aws")
	r[2].SetText("AmazonEC2")
	r[4].SetText("-10")

	test.Tap(f.recurring.add)
	rc := f.recurring.rows[0]
	rc[0].SetText("Managed service")
	rc[1].SetText("250")
	rc[2].SetText("2024-13")
	if got := problemOf(s, "recurring"); !strings.Contains(got, "is not a month") {
		t.Errorf("recurring problem = %q", got)
	}
	rc[2].SetText("2024-09")
	if f.discounts.Selected != "As in Settings (the reseller's choice)" {
		t.Errorf("provider discounts start as %q", f.discounts.Selected)
	}
	f.discounts.SetSelected(f.discounts.Options[3])
	if f.save.Disabled() {
		t.Fatalf("Save disabled; texts %q", h.texts())
	}
	test.Tap(f.save)
	c, _ := h.db.Customer("ACME")
	if c.ProviderDiscounts != customer.DiscountsMargin {
		t.Errorf("provider discounts stored %q, want margin", c.ProviderDiscounts)
	}
	if c.Support != customer.SupportFlat || !c.SupportFlat.Equal(decimal.NewFromInt(3)) ||
		len(c.TaxRates) != 1 || c.TaxRates[0].Name != "VAT 20%" ||
		len(c.PricingRules) != 1 || c.PricingRules[0].ProductCode != "AmazonEC2" ||
		len(c.Recurring) != 1 || c.Recurring[0].From != "2024-09" || c.Recurring[0].Until != "" {
		t.Errorf("stored %+v", c)
	}

	// Removing the rule is a change too.
	var remove *widget.Button
	for _, o := range test.LaidOutObjects(f.rules.list) {
		if b, ok := o.(*widget.Button); ok && b.Text == "" {
			remove = b
		}
	}
	if remove == nil {
		t.Fatal("no remove button on the pricing rule")
	}
	test.Tap(remove)
	if len(f.rules.rows) != 0 || f.save.Disabled() {
		t.Error("removing the rule did not make a change to save")
	}
	test.Tap(f.revert)
	if len(f.rules.rows) != 1 || !f.save.Disabled() {
		t.Error("Undo changes did not bring the rule back")
	}
}

func TestOverlappingMappingIsRefused(t *testing.T) {
	h := newHarness(t)
	h.addCustomer("ALPHA", "Alpha Ltd", "")
	h.addCustomer("BETA", "Beta Inc", "")
	if err := h.db.Map(customer.Mapping{Account: "111122223333", Customer: "ALPHA", From: "2024-09"}, testNow); err != nil {
		t.Fatal(err)
	}
	h.state.show("Customers")
	s := h.customers()
	s.tree.Select("c:BETA")
	s.tabs.Select(s.others[0])
	a := s.accounts
	if !h.shows("Beta Inc owns no cloud account yet") {
		t.Errorf("no empty state for the accounts; texts %q", h.texts())
	}

	test.Type(a.account, "111122223333")
	a.from.SetText("2024-13")
	if got := a.fromField.problems(); !strings.Contains(got, "is not a month") || !a.add.Disabled() {
		t.Errorf("a bad month: problem %q, add disabled %v", got, a.add.Disabled())
	}
	// From Alpha's first month on would replace Alpha's mapping: refused.
	a.from.SetText("2024-09")
	if a.add.Disabled() {
		t.Fatal("Add mapping disabled for a valid mapping")
	}
	test.Tap(a.add)
	want := "Account 111122223333 already belongs to Alpha Ltd (ALPHA) from 2024-09 (open-ended), so it cannot also belong to BETA from 2024-09 (open-ended)."
	if !h.shows(want) || !h.shows("To move the account instead, give a first day or month after 2024-09") {
		t.Errorf("the refusal does not name the owner and months; texts %q", h.texts())
	}
	if ms, _ := h.db.MappingsOf("BETA"); len(ms) != 0 {
		t.Errorf("the refused mapping was stored: %v", ms)
	}
	h.win.Canvas().Overlays().Top().Hide()

	// Alpha ends its mapping from November; then Beta can take it.
	s.tree.Select("c:ALPHA")
	if len(a.mappings) != 1 || !h.shows("open-ended") {
		t.Fatalf("Alpha's mappings: %v", a.mappings)
	}
	test.Tap(findButton(t, a.mappingList, "End mapping…"))
	if a.endMonth.Text != "2024-11" {
		t.Errorf("End mapping proposes %q, want this month 2024-11", a.endMonth.Text)
	}
	if !h.shows("ALPHA owns the account from 2024-09 until 2024-10.") {
		t.Errorf("the dialog does not say what remains; texts %q", h.texts())
	}
	test.Tap(a.endConfirm)
	ms, _ := h.db.MappingsOf("ALPHA")
	if len(ms) != 1 || ms[0].Until != "2024-10" {
		t.Fatalf("after End mapping: %v", ms)
	}
	if !h.shows("2024-10") {
		t.Error("the list does not show the new last month")
	}

	s.tree.Select("c:BETA")
	a.account.SetText("111122223333")
	a.from.SetText("2024-11")
	test.Tap(a.add)
	if ms, _ := h.db.MappingsOf("BETA"); len(ms) != 1 || ms[0].From != "2024-11" {
		t.Fatalf("Beta's mappings: %v", ms)
	}
	if !h.shows("Account 111122223333 now belongs to BETA from 2024-11 (open-ended).") {
		t.Error("no confirmation of the mapping")
	}
	s.tabs.Select(s.others[2])
	if !h.shows("Account 111122223333 mapped") || !h.shows("2024-11 onwards") {
		t.Errorf("History lacks the mapping; texts %q", h.texts())
	}
}

// TestMappingMovesAfterConfirmation: a first day inside another
// customer's mapping moves the account, once the dialog naming both
// customers and the days is confirmed; Cancel changes nothing.
func TestMappingMovesAfterConfirmation(t *testing.T) {
	h := newHarness(t)
	h.addCustomer("ALPHA", "Alpha Ltd", "")
	h.addCustomer("BETA", "Beta Inc", "")
	if err := h.db.Map(customer.Mapping{Account: "111122223333", Customer: "ALPHA", From: "2024-09"}, testNow); err != nil {
		t.Fatal(err)
	}
	h.state.show("Customers")
	s := h.customers()
	s.tree.Select("c:BETA")
	s.tabs.Select(s.others[0])
	a := s.accounts
	test.Type(a.account, "111122223333")
	a.from.SetText("2024-10-15")
	question := "Mapping it to Beta Inc (BETA) on 2024-10-15 moves it: Alpha Ltd (ALPHA) keeps it until 2024-10-14, and Beta Inc (BETA) owns it from 2024-10-15 (open-ended)."
	test.Tap(a.add)
	if !h.shows("Move account 111122223333 to Beta Inc (BETA)?") || !h.shows(question) {
		t.Fatalf("no confirmation naming both owners and the day; texts %q", h.texts())
	}
	h.tapDialog("Cancel")
	if ms, _ := h.db.AccountMappings("111122223333"); len(ms) != 1 || ms[0].Until != "" {
		t.Fatalf("Cancel changed the mappings: %v", ms)
	}
	test.Tap(a.add)
	h.tapDialog("Move")
	ms, _ := h.db.AccountMappings("111122223333")
	if len(ms) != 2 || ms[0] != (customer.Mapping{Account: "111122223333", Customer: "ALPHA", From: "2024-09", Until: "2024-10-14"}) ||
		ms[1] != (customer.Mapping{Account: "111122223333", Customer: "BETA", From: "2024-10-15"}) {
		t.Fatalf("after the move: %v", ms)
	}
	if a.status.Text != "Account 111122223333 moves from ALPHA to BETA on 2024-10-15: ALPHA keeps it until 2024-10-14." {
		t.Errorf("status %q", a.status.Text)
	}
}

func TestUnassignedAccountsAssignInOneClick(t *testing.T) {
	h := newHarness(t)
	h.imports().addPaths([]string{writeFile(t, t.TempDir(), "october.csv", october)})
	test.Tap(h.imports().importBtn)
	h.addCustomer("ACME", "Acme", "")
	h.state.show("Customers")
	s := h.customers()
	s.tree.Select("c:ACME")
	s.tabs.Select(s.others[0])
	a := s.accounts
	if a.period != "2024-10" || len(a.unassigned) != 2 {
		t.Fatalf("unassigned in %s: %v", a.period, a.unassigned)
	}
	// By hand: 1.0000000001 + 2.5 and 0.12345678901, to the cent.
	for _, w := range []string{"Unassigned accounts in 2024-10", "444455556666", "USD 3.50", "USD 0.12"} {
		if !h.shows(w) {
			t.Errorf("the unassigned list does not show %q; texts %q", w, h.texts())
		}
	}
	test.Tap(findButton(t, a.unassignedList, "Assign to ACME"))
	if ms, _ := h.db.MappingsOf("ACME"); len(ms) != 1 || ms[0].Account != "444455556666" || ms[0].From != "2024-10" {
		t.Fatalf("ACME's mappings after Assign: %v", ms)
	}
	if len(a.unassigned) != 1 || a.unassigned[0].Account != "777788889999" {
		t.Errorf("still unassigned: %v", a.unassigned)
	}
}

func TestCustomersCSVBadFileImportsNothing(t *testing.T) {
	h := newHarness(t)
	h.state.show("Customers")
	s := h.customers()
	bad := writeFile(t, t.TempDir(), "customers.csv",
		"id,name,currency\nOK1,Fine Ltd,USD\nBAD,Bad Ltd,XXX\n")
	f, err := os.Open(bad)
	if err != nil {
		t.Fatal(err)
	}
	s.importCustomers(f, "customers.csv")
	for _, w := range []string{"Could not import customers.csv", "Nothing was imported: customers.csv has 1 problem",
		"Line 3, column currency", `Currency "XXX" is not an ISO 4217 currency code`} {
		if !h.shows(w) {
			t.Errorf("the refusal does not show %q; texts %q", w, h.texts())
		}
	}
	if cs, _ := h.db.Customers(); len(cs) != 0 {
		t.Errorf("a refused file imported %d customers", len(cs))
	}
	h.win.Canvas().Overlays().Top().Hide()

	// A good file lands whole and the list shows it.
	good := writeFile(t, t.TempDir(), "good.csv", "id,name,group\nOK1,Fine Ltd,Americas\nOK2,Also Fine,Americas\n")
	f, _ = os.Open(good)
	s.importCustomers(f, "good.csv")
	if !h.shows("Customers: 2 added, 0 updated, 0 unchanged.") {
		t.Errorf("no import report; texts %q", h.texts())
	}
	if got := s.model.Children["g:americas"]; len(got) != 2 {
		t.Errorf("Americas holds %v", got)
	}
	h.win.Canvas().Overlays().Top().Hide()

	// A mappings file with overlapping rows is refused whole too.
	maps := writeFile(t, t.TempDir(), "maps.csv", "account,customer,from,until\n123456789012,OK1,2024-01,\n123456789012,OK2,2024-06,\n")
	f, _ = os.Open(maps)
	s.importMappings(f, "maps.csv")
	if !h.shows("Nothing was imported: maps.csv has 1 problem") || !h.shows("Line 3, column from") || !h.shows("Account 123456789012 is also mapped to OK1") {
		t.Errorf("overlapping mappings not refused; texts %q", h.texts())
	}
	if ms, _ := h.db.Mappings(); len(ms) != 0 {
		t.Errorf("a refused mappings file stored %v", ms)
	}
	h.win.Canvas().Overlays().Top().Hide()

	// Export writes what the store exports; the buttons open file dialogs.
	out := filepath.Join(t.TempDir(), "out.csv")
	w, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	s.exportCustomers(w, out)
	var want bytes.Buffer
	if err := h.db.ExportCustomersCSV(&want); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(out)
	if !bytes.Equal(got, want.Bytes()) || !h.shows("The customers are in "+out) {
		t.Errorf("export wrote %q", got)
	}
	h.win.Canvas().Overlays().Top().Hide()
	for _, b := range []*widget.Button{s.importBtn, s.exportBtn, s.importMap, s.exportMap} {
		test.Tap(b)
		if h.win.Canvas().Overlays().Top() == nil {
			t.Errorf("%s opened no file dialog", b.Text)
		}
		h.win.Canvas().Overlays().Top().Hide()
	}
}

func TestGrantCredit(t *testing.T) {
	h := newHarness(t)
	h.addCustomer("ACME", "Acme", "")
	h.state.show("Customers")
	s := h.customers()
	s.tree.Select("c:ACME")
	s.tabs.Select(s.others[1])
	c := s.credits
	if !h.shows("No credit balance.") || !h.shows("No credit granted yet") {
		t.Errorf("empty ledger not explained; texts %q", h.texts())
	}
	test.Tap(c.grantBtn)
	g := c.grant
	if !g.confirm.Disabled() {
		t.Error("Grant credit enabled on an empty form")
	}
	test.Type(g.amount, "-5")
	if got := g.amountF.problems(); !strings.Contains(got, "is not positive") {
		t.Errorf("amount problem = %q", got)
	}
	g.amount.SetText("150.50")
	test.Type(g.reason, "Goodwill")
	test.Type(g.expires, "2025-03")
	if g.confirm.Disabled() {
		t.Fatalf("Grant credit disabled; texts %q", h.texts())
	}
	test.Tap(g.confirm)
	// Early November 2024, nothing imported: the invoices to come are
	// October's, not November's.
	for _, w := range []string{"Balance for invoices of 2024-10: USD 150.50", "Goodwill", "2025-03", "Granted USD 150.50 to ACME (credit #1)."} {
		if !h.shows(w) {
			t.Errorf("the ledger does not show %q; texts %q", w, h.texts())
		}
	}
	gs, _, _ := h.db.Ledger("ACME")
	if len(gs) != 1 || !gs[0].Amount.Equal(decimal.RequireFromString("150.50")) || gs[0].Currency != "USD" {
		t.Errorf("grants %+v", gs)
	}
}

func TestSampleDataBringsCustomers(t *testing.T) {
	if testing.Short() {
		t.Skip("imports the sample data")
	}
	h := newHarness(t)
	test.Tap(h.imports().sample)
	s := h.customers()
	if len(s.customers) != 6 {
		t.Fatalf("the sample has %d customers, want 6", len(s.customers))
	}
	if got := s.model.Children[""]; !equalStrings(got, []string{"g:americas", "g:emea"}) {
		t.Errorf("sample groups %v", got)
	}
	s.tree.Select("c:" + sample.CustomerAcme)
	a := s.accounts
	if a.period != "2024-10" || len(a.unassigned) != 1 || a.unassigned[0].Account != "934672015588" {
		t.Fatalf("unassigned in %s: %v, want the payer 934672015588 only", a.period, a.unassigned)
	}
	// The payer is listed with its cost but not offered to ACME in one
	// click: a payer is the reseller's shared account.
	h.state.show("Customers")
	s.tabs.Select(s.others[0])
	row := a.unassignedList.CreateItem()
	a.unassignedList.UpdateItem(0, row)
	if assign := row.(*fyne.Container).Objects[1].(*widget.Button); assign.Visible() {
		t.Errorf("the payer 934672015588 is offered in one click (%q)", assign.Text)
	}
	if !h.shows("the AWS payer itself: map it below to assign it") {
		t.Errorf("the payer's row does not say how to assign it; texts %q", h.texts())
	}

	// The sample granted UMBRELLA a credit: ACME's first is still its #1,
	// and the balance is for the newest imported month's invoices.
	s.tabs.Select(s.others[1])
	test.Tap(s.credits.grantBtn)
	g := s.credits.grant
	test.Type(g.amount, "25")
	test.Type(g.reason, "Goodwill")
	test.Tap(g.confirm)
	for _, w := range []string{"Granted USD 25.00 to ACME (credit #1).", "Balance for invoices of 2024-10: USD 25.00"} {
		if !h.shows(w) {
			t.Errorf("the credits tab does not show %q; texts %q", w, h.texts())
		}
	}
	if p, _ := h.db.Profile(); p.CompanyName == "" {
		t.Error("the sample has no reseller profile")
	}
}

func TestUnsavedEditsAreNotLostSilently(t *testing.T) {
	h := newHarness(t)
	h.addCustomer("ACME", "Acme", "")
	h.addCustomer("GLOBEX", "Globex", "")
	s := h.customers()
	s.tree.Select("c:ACME")
	s.form.name.SetText("Acme Retail")

	// Picking another customer asks first; Keep editing stays.
	s.tree.Select("c:GLOBEX")
	if !h.shows("Your changes to Acme (ACME) are not saved. Discard them?") {
		t.Fatalf("no question before discarding; texts %q", h.texts())
	}
	test.Tap(findButton(t, h.win.Canvas().Overlays().Top(), "Keep editing"))
	if s.selected != "ACME" || s.form.name.Text != "Acme Retail" {
		t.Errorf("Keep editing left %s with name %q", s.selected, s.form.name.Text)
	}
	// A change elsewhere does not reset the form.
	h.state.dataChanged()
	if s.form.name.Text != "Acme Retail" {
		t.Error("a data change reset the form")
	}

	s.tree.Select("c:GLOBEX")
	test.Tap(findButton(t, h.win.Canvas().Overlays().Top(), "Discard"))
	if s.selected != "GLOBEX" || s.form.name.Text != "Globex" {
		t.Errorf("Discard left %s with name %q", s.selected, s.form.name.Text)
	}
	if c, _ := h.db.Customer("ACME"); c.Name != "Acme" {
		t.Errorf("discarded edits were stored: %q", c.Name)
	}
}

// TestInvoicedMonthCannotMove: in the window too, a month an issued
// invoice bills cannot leave its customer (End mapping, a mappings file),
// and the refusal names the invoice; a month not invoiced moves.
func TestInvoicedMonthCannotMove(t *testing.T) {
	h, _ := invoiceHarness(t)
	approvedSeptember(t, h)
	h.state.show("Customers")
	s := h.customers()
	s.tree.Select("c:ACME")
	s.tabs.Select(s.others[0])
	a := s.accounts
	before, _ := h.db.Mappings()

	test.Tap(findButton(t, a.mappingList, "End mapping…"))
	a.endMonth.SetText("2024-09")
	test.Tap(a.endConfirm)
	want := "Account 444455556666 in 2024-09 is on invoice INV-2024-0001 (Open) of ACME, so it cannot be left to no customer for that month: " +
		"void that invoice or credit it in full first, then generate ACME's 2024-09 again; or leave 2024-09 with ACME."
	if !h.shows("444455556666 is already invoiced for 2024-09") || !h.shows(want) {
		t.Errorf("the refusal does not name the invoice; texts %q", h.texts())
	}
	h.win.Canvas().Overlays().Top().Hide()

	moving := writeFile(t, t.TempDir(), "moving.csv", "account,customer,from,until\n444455556666,GLOBEX,2024-09,\n")
	f, err := os.Open(moving)
	if err != nil {
		t.Fatal(err)
	}
	s.importMappings(f, "moving.csv")
	if !h.shows("Nothing was imported") || !h.shows("Account 444455556666 in 2024-09 is on invoice INV-2024-0001 (Open) of ACME, so it cannot move to GLOBEX") {
		t.Errorf("the mappings file was not refused; texts %q", h.texts())
	}
	h.win.Canvas().Overlays().Top().Hide()
	if after, _ := h.db.Mappings(); !slices.Equal(after, before) {
		t.Fatalf("a refused change was stored: %v", after)
	}

	// October is not invoiced: ACME's mapping ends after September.
	test.Tap(findButton(t, a.mappingList, "End mapping…"))
	a.endMonth.SetText("2024-10")
	test.Tap(a.endConfirm)
	if ms, _ := h.db.MappingsOf("ACME"); len(ms) != 1 || ms[0].Until != "2024-09" || !h.shows("Account 444455556666 no longer belongs to ACME from 2024-10.") {
		t.Errorf("ending October on: %v; texts %q", ms, h.texts())
	}
}
