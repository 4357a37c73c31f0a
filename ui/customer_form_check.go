package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"rebill/engine/customer"
	"rebill/engine/money"
	"rebill/ui/view"
)

// The Profile tab reads the form into a customer, has the engine
// validate it after every change, shows each problem under its field and
// saves it only once nothing is wrong.

// onChanged validates the form after every change.
func (f *customerForm) onChanged() {
	if f.loading {
		return
	}
	f.touched = true
	f.check()
}

// draft reads the form into a customer. Text the engine's parsers cannot
// read (a percentage that is not a number) is reported per field, by
// customer.Field name; the values themselves are left to Validate.
func (f *customerForm) draft() (customer.Customer, map[string][]string) {
	c := f.saved
	bad := map[string][]string{}
	set := func(name, v string) {
		fd, _ := customer.FieldNamed(name)
		if err := fd.Set(&c, v); err != nil {
			bad[name] = append(bad[name], err.Error())
		}
	}
	set("id", f.id.Text)
	set("name", f.name.Text)
	set("group", f.group.Text)
	set("contact_name", f.contactName.Text)
	set("email", f.email.Text)
	set("phone", f.phone.Text)
	set("country", f.country.Text)
	set("tax_number", f.taxNumber.Text)
	set("currency", f.currency.Text)
	set("payment_terms_days", f.terms.Text)
	set("support_flat_percent", f.supportFlat.Text)
	set("adjustment_percent", f.adjustment.Text)
	set("notes", f.notes.Text)
	for name, v := range f.eInvoiceTexts() {
		set(name, v)
	}
	c.Contact.Address = splitLines(f.address.Text)
	c.Support = view.PlanNamed(f.support.Selected)
	c.Basis = view.BasisNamed(f.basis.Selected)
	c.ProviderDiscounts = customer.DiscountMode(view.ChoiceValue(view.CustomerDiscountChoices, f.discounts.Selected))

	c.TaxRates = []customer.TaxRate{}
	for _, r := range f.taxRates.values() {
		if blankRow(r) {
			continue
		}
		p, err := parsePercent(r[1])
		if err != nil {
			bad["tax_rates"] = append(bad["tax_rates"], fmt.Sprintf("tax rate %q: %q is not a percentage: write a number such as 20 or 5.5", r[0], r[1]))
		}
		c.TaxRates = append(c.TaxRates, customer.TaxRate{Name: r[0], Percent: p})
	}
	c.PricingRules = []customer.PricingRule{}
	for _, r := range f.rules.values() {
		if blankRow(r) {
			continue
		}
		p, err := parsePercent(r[4])
		if err != nil {
			bad["pricing_rules"] = append(bad["pricing_rules"], fmt.Sprintf("pricing rule percent %q is not a number: write a markup as 10 and a discount as -10", r[4]))
		}
		c.PricingRules = append(c.PricingRules, customer.PricingRule{Provider: r[0], BillingEntity: r[1], ProductCode: r[2], UsageType: r[3], Percent: p})
	}
	c.Recurring = []customer.RecurringCharge{}
	for _, r := range f.recurring.values() {
		if blankRow(r) {
			continue // just added, nothing typed yet: neither saved nor wrong
		}
		amt, err := money.Parse([]byte(r[1]))
		if err != nil || strings.TrimSpace(r[1]) == "" {
			bad["recurring"] = append(bad["recurring"], fmt.Sprintf("recurring charge %q: amount %q is not a number: write a charge as 250 and a credit as -50", r[0], r[1]))
		}
		c.Recurring = append(c.Recurring, customer.RecurringCharge{Description: r[0], Amount: amt, From: r[2], Until: r[3]})
	}
	return c, bad
}

// parsePercent reads a percentage typed in a row, with or without '%'
// (empty is zero), through the engine's number parser.
func parsePercent(s string) (decimal.Decimal, error) {
	return money.Parse([]byte(strings.TrimSuffix(strings.TrimSpace(s), "%")))
}

// check validates the form through the engine, shows each problem under
// its field, and enables Save when the customer is valid and changed. It
// returns the customer as it would be saved.
func (f *customerForm) check() (customer.Customer, bool) {
	c, bad := f.draft()
	c.Normalize()
	ps := problemsOf(c.Validate())
	if f.isNew && customer.CheckID(c.ID) == nil {
		if _, err := f.state.db.Customer(c.ID); err == nil {
			ps = append(ps, customer.Problem{Field: "id",
				Message: fmt.Sprintf("customer %s already exists: choose another id, or select %s in the list to edit it", c.ID, c.ID)})
		}
	}
	// A new, untouched form shows no problems yet: it would greet the
	// accountant in red.
	show := f.touched || !f.isNew
	var orphans []string
	for _, p := range ps {
		if _, ok := f.fields[p.Field]; !ok {
			orphans = append(orphans, p.Message)
		}
	}
	for name, ff := range f.fields {
		msgs := bad[name]
		if msgs == nil {
			msgs = ps.Of(name)
		}
		if !show {
			msgs = nil
		}
		ff.setProblems(msgs)
	}
	showWhen(f.flat, c.Support == customer.SupportFlat || len(bad["support_flat_percent"]) > 0 || len(ps.Of("support_flat_percent")) > 0)
	ok := len(bad) == 0 && len(ps) == 0
	dirty := f.dirty(c)
	enableWhen(f.save, ok && dirty)
	enableWhen(f.revert, dirty && !f.isNew)
	switch {
	case !show:
	case len(orphans) > 0:
		f.setStatus(sentence(strings.Join(orphans, "; ")), widget.DangerImportance)
	case !ok:
		f.setStatus(firstProblem(f.order), widget.DangerImportance)
	case dirty:
		f.setStatus("Unsaved changes.", widget.WarningImportance)
	}
	return c, ok
}

// dirty reports whether c differs from the customer as stored.
func (f *customerForm) dirty(c customer.Customer) bool {
	if f.isNew {
		return f.touched
	}
	saved := f.saved
	saved.Normalize()
	a, _ := json.Marshal(c)
	b, _ := json.Marshal(saved)
	return !bytes.Equal(a, b)
}

// hasChanges reports whether the form holds changes not saved yet.
func (f *customerForm) hasChanges() bool {
	if f.isNew {
		return f.touched
	}
	c, _ := f.draft()
	c.Normalize()
	return f.dirty(c)
}

func (f *customerForm) setStatus(text string, imp widget.Importance) {
	f.status.Importance = imp
	f.status.SetText(text)
}

// onSave records the customer: added when new, otherwise updated with
// its change-log entry.
func (f *customerForm) onSave() {
	c, ok := f.check()
	if !ok {
		return
	}
	var err error
	if f.isNew {
		err = f.state.db.AddCustomer(c, f.state.now())
	} else {
		err = f.state.db.PutCustomer(c, f.state.now())
	}
	if err != nil {
		dialog.ShowError(fmt.Errorf("%s was not saved: %w", c.ID, err), f.state.win)
		return
	}
	if stored, err := f.state.db.Customer(c.ID); err == nil {
		c = stored
	}
	before := f.saved
	f.load(c)
	if f.onSaved != nil {
		f.onSaved(c.ID)
	}
	f.setStatus(strings.TrimSpace("Saved. "+view.TermsDated(before, c)), widget.SuccessImportance)
}

// onRevert puts the stored customer back into the form.
func (f *customerForm) onRevert() {
	f.load(f.saved)
}
