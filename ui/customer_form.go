package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"rebill/engine/customer"
	"rebill/engine/money"
	"rebill/ui/view"
)

// customerForm is the Profile tab: every setting of one customer, checked
// by the engine's validation after each change, each problem shown under
// its field, and saved only once nothing is wrong.
type customerForm struct {
	state *appState
	// isNew is true until the customer is first saved; its id can be
	// changed only until then.
	isNew bool
	// saved is the customer as stored (for a new one, the defaults), to
	// tell whether the form has unsaved changes.
	saved   customer.Customer
	loading bool
	touched bool

	id, name, contactName, email, phone, country, taxNumber *widget.Entry
	terms, supportFlat, adjustment, address, notes          *widget.Entry
	group, currency                                         *widget.SelectEntry
	support, basis                                          *widget.Select
	// discounts is the customer's provider discount mode, or the reseller's.
	discounts                  *widget.Select
	taxRates, rules, recurring *rowEditor
	// einvoiceFormat and einvoice are the E-invoicing section (see
	// customer_einvoice.go), the entries by customer.Field name.
	einvoiceFormat *widget.Select
	einvoice       map[string]*widget.Entry
	// fields are the form's fields by customer.Field name, where the
	// problems of that field are shown.
	fields map[string]*formField
	// order is the fields top to bottom, for the status line to name
	// the first one that needs correcting.
	order []*formField
	// scroll holds the form, so that a new customer starts at its top.
	scroll *container.Scroll
	flat   *fyne.Container
	// changes lists the plan's changes from a month on, which the form
	// shows and keeps (the command line and the customers CSV set them).
	changes *widget.Label
	// dated words the terms' changes by month and when a change applies.
	dated *widget.Label

	save, revert *widget.Button
	status       *widget.Label
	content      fyne.CanvasObject

	// onSaved tells the screen that a customer was saved.
	onSaved func(id string)
}

func newCustomerForm(st *appState, onSaved func(id string)) *customerForm {
	f := &customerForm{state: st, onSaved: onSaved, fields: map[string]*formField{}}
	entry := func(placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(placeholder)
		e.OnChanged = func(string) { f.onChanged() }
		return e
	}
	f.id = entry("e.g. ACME")
	f.name = entry("as printed on invoices")
	f.group = widget.NewSelectEntry(nil)
	f.group.SetPlaceHolder("e.g. EMEA / Enterprise")
	f.group.OnChanged = func(string) { f.onChanged() }
	f.contactName = entry("")
	f.email = entry("e.g. accounts@example.com")
	f.phone = entry("")
	f.address = multiLineEntry(3)
	f.address.SetPlaceHolder("one line per address line")
	f.address.OnChanged = func(string) { f.onChanged() }
	f.country = entry("e.g. GB")
	f.taxNumber = entry("VAT or tax number")
	f.currency = widget.NewSelectEntry(money.Currencies())
	f.currency.SetPlaceHolder("e.g. USD")
	f.currency.OnChanged = func(string) { f.onChanged() }
	f.terms = entry("days")
	f.support = widget.NewSelect(view.PlanOptions(), func(string) { f.onChanged() })
	f.supportFlat = entry("e.g. 3")
	f.adjustment = entry("0")
	f.basis = widget.NewSelect(view.BasisOptions(), func(string) { f.onChanged() })
	f.discounts = widget.NewSelect(view.ChoiceLabels(view.CustomerDiscountChoices), func(string) { f.onChanged() })
	f.notes = multiLineEntry(3)
	f.notes.OnChanged = func(string) { f.onChanged() }
	f.taxRates = newRowEditor([]rowColumn{
		{title: "Name on the invoice", placeholder: "e.g. VAT 20%", weight: 3},
		{title: "Percent", placeholder: "e.g. 20", weight: 1},
	}, "Add tax rate", "No tax rate: invoices carry no sales tax or VAT.", f.onChanged)
	f.rules = newRowEditor([]rowColumn{
		{title: "Provider", placeholder: "any, or aws", weight: 1},
		{title: "Billing entity", placeholder: "any, or AWS", weight: 1.2},
		{title: "Product code", placeholder: "any, or AmazonEC2", weight: 1.4},
		{title: "Usage type", placeholder: "any", weight: 1.4},
		{title: "Percent", placeholder: "e.g. -10", weight: 0.8},
	}, "Add pricing rule", "No pricing rule: only the adjustment above changes the charges.", f.onChanged)
	f.recurring = newRowEditor([]rowColumn{
		{title: "Description on the invoice", placeholder: "e.g. Managed service", weight: 3},
		{title: "Amount", placeholder: "e.g. 250 or -50", weight: 1.2},
		{title: "From", placeholder: "YYYY-MM", weight: 1},
		{title: "Until", placeholder: "open-ended", weight: 1},
	}, "Add recurring charge", "No recurring charge or credit.", f.onChanged)

	field := func(name, label string, input fyne.CanvasObject, hint string) *formField {
		ff := newFormField(label, input, hint)
		f.fields[name] = ff
		f.order = append(f.order, ff)
		return ff
	}
	idField := field("id", "Customer id", f.id, "A short code of letters, digits, '-' and '_'. It cannot change once saved: mappings, credits and invoices refer to it.")
	nameField := field("name", "Name", f.name, "")
	groupField := field("group", "Group", f.group, `Pick a group or write a new one. One level of nesting with " / ", e.g. "EMEA / Enterprise".`)
	contactField := field("contact_name", "Contact name", f.contactName, "")
	emailField := field("email", "Email", f.email, "Where invoices are sent.")
	phoneField := field("phone", "Phone", f.phone, "")
	addressField := field("address", "Address", f.address, "As printed on the invoice, one line per line.")
	countryField := field("country", "Country", f.country, "")
	taxNumberField := field("tax_number", "Tax number", f.taxNumber, "The customer's VAT or tax number, printed on invoices.")
	currencyField := field("currency", "Invoice currency", f.currency, "ISO 4217 code, e.g. USD, EUR, GBP or JPY.")
	termsField := field("payment_terms_days", "Payment terms", f.terms, "Days until an invoice is due; 0 means due on receipt.")
	taxField := field("tax_rates", "Tax rates", f.taxRates.content, "Applied to the charges except AWS Marketplace, when an invoice is generated with tax.")
	flatField := field("support_flat_percent", "Support percent", container.NewBorder(nil, nil, nil, widget.NewLabel("% of the charges"), f.supportFlat), "")
	f.flat = flatField.box
	f.changes = widget.NewLabel("")
	f.changes.Wrapping = fyne.TextWrapWord
	f.dated = lowNote("")
	supportField := field("support_plan", "Support plan", container.NewVBox(f.support, f.flat, f.changes),
		"AWS plans are recomputed from the customer's own AWS charges, AWS Marketplace excluded.")
	adjustField := field("adjustment_percent", "Discount or uplift", container.NewBorder(nil, nil, nil, widget.NewLabel("%"), f.adjustment),
		"Negative for a discount (-5 gives 5% off), positive for an uplift (12.5 adds 12.5%). Applies to all charges except AWS Marketplace.")
	basisField := field("cost_basis", "Cost basis", f.basis, "Which cost of the billing file the customer pays.")
	discountsField := field("provider_discounts", "Provider discounts", f.discounts,
		"What this customer's statements do with the payer's EDP, private pricing, bundled and SPP discounts (Settings holds the reseller's choice).")
	rulesField := field("pricing_rules", "Pricing rules", f.rules.content, "")
	recurringField := field("recurring", "Recurring charges", f.recurring.content, "")
	notesField := field("notes", "Notes", f.notes, "For yourself: never printed on invoices.")

	f.save = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), f.onSave)
	f.save.Importance = widget.HighImportance
	f.revert = widget.NewButtonWithIcon("Undo changes", theme.ContentUndoIcon(), f.onRevert)
	f.status = widget.NewLabel("")
	f.status.Wrapping = fyne.TextWrapWord

	cols := &labelColumn{}
	einvoice := f.eInvoiceForm(cols, entry, field)
	form := container.NewVBox(
		formSection("Customer"),
		cols.form(idField, nameField, groupField),
		formSection("Billing contact"),
		cols.form(contactField, emailField, phoneField, addressField, countryField, taxNumberField),
		formSection("E-invoicing"),
		einvoice,
		formSection("Invoicing terms"),
		cols.form(currencyField, termsField, taxField, supportField, adjustField, basisField, discountsField),
		f.dated,
		formSection("Pricing rules"),
		lowNote("Mark up (positive percent) or discount (negative) the charges a rule matches. Leave a criterion empty to match anything; when several rules match a charge, the one with the most criteria wins."),
		rulesField.box,
		formSection("Recurring charges and credits"),
		lowNote("Added to every invoice from one month until another (empty: open-ended), in the invoice currency; a negative amount is a credit."),
		recurringField.box,
		formSection("Notes"),
		notesField.box,
	)
	bar := container.NewBorder(nil, nil, nil, container.NewHBox(f.revert, f.save), f.status)
	f.scroll = container.NewVScroll(container.NewPadded(form))
	f.content = container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), bar), nil, nil, f.scroll)
	return f
}

// setGroups offers the groups already in use.
func (f *customerForm) setGroups(groups []string) { f.group.SetOptions(groups) }

// loadNew starts a new customer from the reseller profile's defaults.
func (f *customerForm) loadNew(c customer.Customer) {
	f.isNew = true
	f.fill(c)
	f.id.Enable()
	f.scroll.ScrollToTop() // the id and name come first, and are required
	f.setStatus("Fill in at least the customer id and name, then save.", widget.MediumImportance)
}

// load shows a stored customer.
func (f *customerForm) load(c customer.Customer) {
	f.isNew = false
	f.fill(c)
	f.id.Disable()
	f.setStatus("", widget.MediumImportance)
}

// fill puts c into the widgets without counting it as a change.
func (f *customerForm) fill(c customer.Customer) {
	f.loading = true
	defer func() { f.loading = false }()
	f.saved, f.touched = c, false
	f.id.SetText(c.ID)
	f.name.SetText(c.Name)
	f.group.SetText(c.Group)
	f.contactName.SetText(c.Contact.Name)
	f.email.SetText(c.Contact.Email)
	f.phone.SetText(c.Contact.Phone)
	f.address.SetText(strings.Join(c.Contact.Address, "\n"))
	f.country.SetText(c.Contact.Country)
	f.taxNumber.SetText(c.TaxNumber)
	f.currency.SetText(c.Currency)
	f.terms.SetText(view.FieldText("payment_terms_days", &c))
	f.support.SetSelected(view.PlanName(c.Support))
	f.supportFlat.SetText(view.ZeroEmpty(c.SupportFlat))
	f.changes.SetText(view.SupportChangesText(c.SupportChanges))
	showWhen(f.changes, len(c.SupportChanges) > 0)
	f.dated.SetText(view.TermsHistoryText(c))
	f.adjustment.SetText(view.ZeroEmpty(c.Adjustment))
	f.basis.SetSelected(view.BasisChoice(c.Basis))
	f.discounts.SetSelected(view.ChoiceLabel(view.CustomerDiscountChoices, string(c.ProviderDiscounts)))
	f.notes.SetText(c.Notes)
	f.fillEInvoice(c)
	var rows [][]string
	for _, t := range c.TaxRates {
		rows = append(rows, []string{t.Name, t.Percent.String()})
	}
	f.taxRates.setRows(rows)
	rows = nil
	for _, r := range c.PricingRules {
		rows = append(rows, []string{r.Provider, r.BillingEntity, r.ProductCode, r.UsageType, r.Percent.String()})
	}
	f.rules.setRows(rows)
	rows = nil
	for _, r := range c.Recurring {
		rows = append(rows, []string{r.Description, r.Amount.String(), r.From, r.Until})
	}
	f.recurring.setRows(rows)
	f.check()
}
